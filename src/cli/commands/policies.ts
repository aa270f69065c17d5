import type { Command } from 'commander';
import { loadPolicySet } from '../../policy/load-set.js';
import { availablePacks, policyFiles } from '../../policy/packs.js';
import { EXIT } from '../exit-codes.js';
import { collect } from '../options.js';
import { writeOutput } from '../write-output.js';

export function addPolicyCommands(program: Command, setExit: (code: number) => void): void {
  const policies = program.command('policies').description('list and validate policies');

  policies
    .command('validate')
    .description('check policy files (YAML syntax, schema, filters, resource types) without scanning')
    .argument('<paths...>', 'policy files or directories')
    .action(async (paths: string[]) => {
      const files = paths.flatMap((p) => policyFiles(p));
      // Built-ins are loaded too so a user policy that reuses a built-in id is caught.
      const set = await loadPolicySet({ paths });
      const own = set.definitions.filter((d) => !d.origin.builtIn);
      process.stdout.write(
        `ok: ${own.length} polic${own.length === 1 ? 'y' : 'ies'} valid in ${files.length} file${files.length === 1 ? '' : 's'}\n`,
      );
      setExit(EXIT.ok);
    });

  policies
    .command('list')
    .description('list the loaded policies')
    .option('-p, --policies <path>', 'policy file or directory to add (repeatable)', collect)
    .option('--no-builtin', 'do not load the built-in policy packs')
    .option('--framework <id>', 'only policies mapped to this framework (e.g. cis-aws-3.0), from every pack')
    .option('--framework-file <file>', 'a custom framework YAML (repeatable)', collect)
    .option('-f, --format <format>', 'table or json', 'table')
    .action(
      async (opts: {
        policies?: string[];
        builtin: boolean;
        framework?: string;
        frameworkFile?: string[];
        format: string;
      }) => {
        const fw =
          opts.framework || opts.frameworkFile?.length
            ? (await import('../../compliance/framework.js')).resolveFramework(
                opts.framework,
                opts.frameworkFile ?? [],
              )
            : undefined;
        // A framework draws on every pack (benchmarks, governance), not only the default scan set.
        const set = await loadPolicySet({
          paths: opts.policies ?? [],
          builtIn: opts.builtin,
          ...(fw ? { packs: availablePacks() } : {}),
        });
        // Requirement ids per policy: the framework's own lists plus what each policy declares.
        const mapped = new Map<string, string[]>();
        if (fw) {
          const add = (policy: string, req: string) => {
            const list = mapped.get(policy) ?? [];
            if (!list.includes(req)) list.push(req);
            mapped.set(policy, list);
          };
          for (const r of fw.requirements) for (const p of r.policies) add(p, r.id);
          for (const d of set.definitions) for (const r of d.frameworks[fw.id] ?? []) add(d.id, r);
        }
        const defs = set.definitions
          .filter((d) => !fw || mapped.has(d.id))
          .map((d) => (fw ? { ...d, frameworks: { ...d.frameworks, [fw.id]: mapped.get(d.id)! } } : d));
        const frameworkId = fw?.id;
        if (opts.format === 'json') {
          const rows = defs.map(({ origin, filters, ...rest }) => ({
            ...rest,
            file: origin.file,
            line: origin.line,
          }));
          writeOutput(`${JSON.stringify(rows, null, 2)}\n`, undefined);
        } else {
          const width = Math.max(10, ...defs.map((d) => d.id.length));
          const lines = defs.map((d) => {
            const reqs = frameworkId ? `  ${frameworkId}: ${d.frameworks[frameworkId]!.join(', ')}` : '';
            return `${d.id.padEnd(width)}  ${d.severity.padEnd(8)}  ${d.resourceTypes.join(',')}  ${d.title}${reqs}`;
          });
          let trailer = `${defs.length} policies\n`;
          if (fw) {
            const loaded = new Set(set.definitions.map((d) => d.id));
            const manual = fw.requirements.filter(
              (r) => ![...mapped].some(([p, reqs]) => loaded.has(p) && reqs.includes(r.id)),
            );
            trailer += `${manual.length} of ${fw.requirements.length} ${fw.id} requirements have no automated policy (manual)\n`;
          }
          writeOutput(`${lines.join('\n')}\n${trailer}`, undefined);
        }
        setExit(EXIT.ok);
      },
    );
}
