import { type Command, InvalidArgumentError } from 'commander';
import { scanInventory } from '../../engine/scan.js';
import { loadPolicySet } from '../../policy/load-set.js';
import { clockNow } from '../../util/clock.js';
import { InputError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { collect, parseParams } from '../options.js';
import { addSourceOptions, loadSources, type SourceOptions } from '../source-options.js';
import { DB_HELP, parseTableOrJson, whoAmI, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';

interface RemediateCliOptions extends SourceOptions {
  policy: string;
  resource?: string;
  apply?: boolean;
  confirm?: boolean;
  allowIamChanges?: boolean;
  maxResources?: number;
  format?: 'table' | 'json';
  output?: string;
  policies?: string[];
  builtin: boolean;
  param?: string[];
  actor?: string;
  pipelines?: string;
  redeploy?: string;
  db?: string;
}

function parseCount(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}

async function runRemediate(paths: string[], opts: RemediateCliOptions): Promise<number> {
  if (opts.confirm && !opts.apply) throw new InputError('--confirm only means something with --apply');
  const overrides = parseParams(opts.param);
  const policies = await loadPolicySet({
    paths: opts.policies ?? [],
    builtIn: opts.builtin,
    parameters: overrides,
    only: [opts.policy],
  });
  const policy = policies.compiled[0];
  if (!policy) throw new InputError(`policy ${opts.policy} is disabled`);
  const def = policy.definition;
  if (def.actions.length === 0 && !opts.redeploy)
    throw new InputError(`policy ${def.id} declares no actions`, def.origin.file, def.origin.line);
  const now = clockNow();
  const params: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(def.parameters))
    params[name] = overrides[def.id]?.[name] ?? p.default;
  const pipelines = opts.pipelines
    ? (await import('../../remediate/pipelines.js')).loadPipelines(opts.pipelines)
    : undefined;
  const { withActionReads } = await import('../../remediate/actions/index.js');
  const read = () => loadSources(paths, opts, { policies: policies.compiled.map(withActionReads), now });
  const { inventory } = await read();
  const scan = scanInventory(inventory, policies, now);
  const { remediate } = await import('../../remediate/run.js');
  const { renderRemediationJson, renderRemediationTable } = await import('../../remediate/render.js');
  const base = {
    policy,
    params,
    apply: opts.apply === true,
    confirm: opts.confirm === true,
    allowIamChanges: opts.allowIamChanges === true,
    ...(opts.maxResources ? { maxResources: opts.maxResources } : {}),
    ...(opts.resource ? { resource: opts.resource } : {}),
    who: opts.actor ?? whoAmI(),
    now,
    ...(pipelines ? { pipelines } : {}),
    ...(opts.redeploy ? { redeploy: opts.redeploy } : {}),
  };
  const report = opts.apply
    ? await withStore(opts.db, async (store) => {
        const { AwsExecutor, describeAwsError } = await import('../../enforce/execute.js');
        const executor = new AwsExecutor(opts.endpointUrl);
        try {
          return await remediate(inventory, scan.results, {
            ...base,
            db: store.db,
            sender: executor,
            describeError: describeAwsError,
            reread: async () => (await read()).inventory,
          });
        } finally {
          executor.close();
        }
      })
    : await remediate(inventory, scan.results, base);
  const format = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
  writeOutput(
    format === 'json' ? renderRemediationJson(report) : renderRemediationTable(report),
    opts.output,
  );
  const bad = report.steps.some(
    (s) =>
      s.status === 'failed' ||
      s.status === 'not-run' ||
      (s.verified !== undefined && s.verified !== 'pass' && s.verified !== 'gone'),
  );
  return bad ? EXIT.findings : EXIT.ok;
}

export function addRemediateCommand(program: Command, setExit: (code: number) => void): void {
  addSourceOptions(
    program
      .command('remediate')
      .description(
        "act on a policy's failing resources with its declared actions: a dry run that prints the exact AWS calls unless --apply",
      )
      .argument('[paths...]', 'inputs, as for scan (usually --aws for live resources)'),
  )
    .requiredOption('--policy <id>', 'the policy whose actions to run')
    .option('--resource <id>', 'only this resource (id or name)')
    .option('--apply', 'make the calls (each written to the audit log before and after)')
    .option('--confirm', 'with --apply: allow destructive actions (terminate)')
    .option('--allow-iam-changes', 'allow actions that change IAM (detach-admin-policy)')
    .option('--max-resources <n>', 'act on at most this many resources', parseCount)
    .option(
      '-f, --format <format>',
      'table or json (default: table on a terminal, else json)',
      parseTableOrJson,
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('-p, --policies <path>', 'policy file or directory to add (repeatable)', collect)
    .option('--no-builtin', 'do not load the built-in policy packs')
    .option('--param <policy.name=value>', 'set a policy parameter (repeatable)', collect)
    .option(
      '--pipelines <file>',
      'pipelines for redeploy actions (YAML: jenkins or github, secrets as ${env:NAME})',
    )
    .option(
      '--redeploy <pipeline>',
      "trigger this pipeline with the finding's inputs instead of the policy's actions",
    )
    .option('--actor <name>', 'who acts, for the audit log (default: WARDEN_USER or the login name)')
    .option('--db <url>', DB_HELP)
    .action(async (paths: string[], opts: RemediateCliOptions) => setExit(await runRemediate(paths, opts)));
}
