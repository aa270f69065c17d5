import type { Command } from 'commander';
import { loadPolicies, policyFiles } from '../../policy/load.js';
import { EXIT } from '../exit-codes.js';
import { collect } from '../options.js';
import { writeOutput } from '../write-output.js';

export function addPolicyCommands(program: Command, setExit: (code: number) => void): void {
  const policies = program.command('policies').description('list and validate policies');

  policies
    .command('validate')
    .description('check policy files (YAML syntax, schema, filters, resource types) without scanning')
    .argument('<paths...>', 'policy files or directories')
    .action((paths: string[]) => {
      const files = paths.flatMap((p) => policyFiles(p));
      // Built-ins are loaded too so a user policy that reuses a built-in id is caught.
      const set = loadPolicies({ paths });
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
    .option('--framework <id>', 'only policies mapped to this framework (e.g. cis-aws-3.0)')
    .option('-f, --format <format>', 'table or json', 'table')
    .action((opts: { policies?: string[]; builtin: boolean; framework?: string; format: string }) => {
      const set = loadPolicies({ paths: opts.policies ?? [], builtIn: opts.builtin });
      const defs = set.definitions.filter((d) => !opts.framework || d.frameworks[opts.framework]);
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
          const fw = opts.framework ? `  ${opts.framework}: ${d.frameworks[opts.framework]!.join(', ')}` : '';
          return `${d.id.padEnd(width)}  ${d.severity.padEnd(8)}  ${d.resourceTypes.join(',')}  ${d.title}${fw}`;
        });
        writeOutput(`${lines.join('\n')}\n${defs.length} policies\n`, undefined);
      }
      setExit(EXIT.ok);
    });
}
