import { type Command, InvalidArgumentError } from 'commander';
import type { RemediationStep } from '../../remediate/run.js';
import { clockNow } from '../../util/clock.js';
import { InputError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { DB_HELP, parseTableOrJson, whoAmI, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';

function parseApprovalId(value: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new InvalidArgumentError('expected an approval id (a positive integer)');
  return Number(value);
}

function parseStatus(value: string): 'pending' | 'accepted' | 'rejected' | 'failed' {
  if (!['pending', 'accepted', 'rejected', 'failed'].includes(value))
    throw new InvalidArgumentError('expected pending, accepted, rejected or failed');
  return value as 'pending';
}

/** `mode: ask` policies leave their planned actions here until a person accepts or rejects them. */
export function addApprovalCommands(program: Command, setExit: (code: number) => void): void {
  const group = program
    .command('approvals')
    .description('remediations waiting for a person (policies with mode: ask)');
  group
    .command('list')
    .description('list approvals with their exact calls')
    .option('--status <status>', 'pending, accepted, rejected or failed', parseStatus)
    .option(
      '-f, --format <format>',
      'table or json (default: table on a terminal, else json)',
      parseTableOrJson,
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--db <url>', DB_HELP)
    .action(async (opts: { status?: 'pending'; format?: 'table' | 'json'; output?: string; db?: string }) => {
      const { listApprovals } = await import('../../store/approvals.js');
      const list = await withStore(opts.db, (s) => listApprovals<RemediationStep>(s.db, opts.status));
      const format = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
      if (format === 'json') {
        writeOutput(`${JSON.stringify({ approvals: list }, null, 2)}\n`, opts.output);
        return;
      }
      const lines = ['id\tstatus\tpolicy\tresource\tactions\trequested'];
      for (const a of list)
        lines.push(
          `${a.id}\t${a.status}\t${a.policy}\t${a.resource}\t${a.steps.map((s) => s.action).join(',')}\t${a.requestedAt} by ${a.requestedBy}`,
        );
      writeOutput(`${lines.join('\n')}\n`, opts.output);
    });
  group
    .command('accept')
    .description(
      'run the approved steps now (audited before and after); the finding resolves at the next scan',
    )
    .argument('<id>', 'approval id', parseApprovalId)
    .option('--pipelines <file>', 'pipelines file, for approved redeploy steps')
    .option('--endpoint-url <url>', 'AWS API endpoint override (AWS_ENDPOINT_URL also works)')
    .option('--actor <name>', 'who accepts (default: WARDEN_USER or the login name)')
    .option('--db <url>', DB_HELP)
    .action(
      async (id: number, opts: { pipelines?: string; endpointUrl?: string; actor?: string; db?: string }) => {
        const who = opts.actor ?? whoAmI();
        const { decideApproval, getApproval, recordApprovalResult } = await import(
          '../../store/approvals.js'
        );
        const { applySteps } = await import('../../remediate/run.js');
        const { AwsExecutor, describeAwsError } = await import('../../enforce/execute.js');
        const pipelines = opts.pipelines
          ? (await import('../../remediate/pipelines.js')).loadPipelines(opts.pipelines)
          : undefined;
        const code = await withStore(opts.db, async (store) => {
          const a = await getApproval<RemediationStep>(store.db, id);
          if (!a) throw new InputError(`no approval ${id}`);
          if (
            !(await decideApproval(store.db, id, {
              status: 'accepted',
              by: who,
              at: clockNow().toISOString(),
            }))
          )
            throw new InputError(`approval ${id} is already ${a.status}`);
          const steps: RemediationStep[] = a.steps.map((s) => ({ ...s, status: 'planned' }));
          const executor = new AwsExecutor(opts.endpointUrl);
          try {
            await applySteps(steps, {
              policyId: a.policy,
              who,
              db: store.db,
              sender: executor,
              ...(pipelines ? { pipelines } : {}),
              describeError: describeAwsError,
            });
          } finally {
            executor.close();
          }
          const failed = steps.find((s) => s.status === 'failed');
          const summary = steps
            .map(
              (s) => `${s.action}: ${s.status}${s.reason ? ` (${s.reason})` : ''}${s.url ? ` ${s.url}` : ''}`,
            )
            .join('; ');
          await recordApprovalResult(store.db, id, failed ? 'failed' : 'accepted', summary);
          process.stdout.write(`approval ${id} ${failed ? 'failed' : 'accepted'}: ${summary}\n`);
          return failed ? EXIT.findings : EXIT.ok;
        });
        setExit(code);
      },
    );
  group
    .command('reject')
    .description('decline the steps; nothing is changed')
    .argument('<id>', 'approval id', parseApprovalId)
    .option('--reason <text>', 'why')
    .option('--actor <name>', 'who rejects (default: WARDEN_USER or the login name)')
    .option('--db <url>', DB_HELP)
    .action(async (id: number, opts: { reason?: string; actor?: string; db?: string }) => {
      const { decideApproval, getApproval } = await import('../../store/approvals.js');
      await withStore(opts.db, async (store) => {
        const a = await getApproval(store.db, id);
        if (!a) throw new InputError(`no approval ${id}`);
        const ok = await decideApproval(store.db, id, {
          status: 'rejected',
          by: opts.actor ?? whoAmI(),
          at: clockNow().toISOString(),
          ...(opts.reason ? { result: opts.reason } : {}),
        });
        if (!ok) throw new InputError(`approval ${id} is already ${a.status}`);
      });
      process.stdout.write(`approval ${id} rejected\n`);
    });
}
