import type { Command } from 'commander';
import { DB_HELP, parseTableOrJson, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';

interface AuditOptions {
  format?: 'table' | 'json';
  output?: string;
  limit: string;
  db?: string;
}

/** `warden audit`: what was done to which resource, by whom, with which calls and result. */
export function addAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('list the audit log: every remediation and revert, before and after')
    .option(
      '-f, --format <format>',
      'table or json (default: table on a terminal, else json)',
      parseTableOrJson,
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--limit <n>', 'at most this many entries', '1000')
    .option('--db <url>', DB_HELP)
    .action(async (opts: AuditOptions) => {
      const limit = /^[1-9]\d*$/.test(opts.limit) ? Number(opts.limit) : 1000;
      const { auditEntries } = await import('../../store/audit.js');
      const entries = await withStore(opts.db, (store) => auditEntries(store.db, limit));
      const format = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
      if (format === 'json') {
        writeOutput(`${JSON.stringify(entries, null, 2)}\n`, opts.output);
        return;
      }
      const lines = entries.map(
        (e) =>
          `${e.id}\t${e.at}\t${e.who}\t${e.action}\t${e.resource}\t${Array.isArray(e.calls) ? e.calls.length : 0} calls\t${e.result}`,
      );
      writeOutput(`${['id\tat\twho\taction\tresource\tcalls\tresult', ...lines].join('\n')}\n`, opts.output);
    });
}
