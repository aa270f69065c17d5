import type { Command } from 'commander';
import { InputError } from '../../util/errors.js';
import { addSourceOptions, type SourceOptions, wantsLive } from '../source-options.js';
import { DB_HELP, parseId, parseTableOrJson, parseUntil, whoAmI, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';
import { baselineSource, describeBaseline } from './baseline.js';

export function addEnforcementCommands(program: Command): void {
  const enforcement = program
    .command('enforcement')
    .description('pause drift reverts during a deployment, and resume them');
  enforcement
    .command('pause')
    .description('record drift but revert nothing until resumed (or until --until)')
    .requiredOption('--reason <text>', 'why, e.g. "deploy 123"')
    .option('--until <when>', 'resume by itself after a duration (30m, 2h, 1d) or at an ISO time', (v) =>
      parseUntil(v),
    )
    .option('--db <url>', DB_HELP)
    .action(async (opts: { reason: string; until?: string; db?: string }) => {
      const { pauseEnforcement } = await import('../../store/enforcement.js');
      if (opts.reason.trim() === '') throw new InputError('--reason must not be empty');
      await withStore(opts.db, (s) =>
        pauseEnforcement(s.db, {
          reason: opts.reason,
          by: whoAmI(),
          ...(opts.until ? { until: opts.until } : {}),
        }),
      );
      process.stderr.write(
        `warden: enforcement paused${opts.until ? ` until ${opts.until}` : ''}: ${opts.reason}\n`,
      );
    });
  addSourceOptions(
    enforcement
      .command('resume')
      .description(
        'revert drift again; with --rebaseline, the current state becomes the new baseline version',
      )
      .argument('[paths...]', 'with --rebaseline: inputs or snapshots (default: the newest stored scan)'),
  )
    .option('--rebaseline', 'make the current state the approved one')
    .option('--baseline <name>', 'baseline to version with --rebaseline', 'default')
    .option('--from-scan <id>', 'with --rebaseline: take the resources of this stored scan', parseId)
    .option('--db <url>', DB_HELP)
    .action(
      async (
        paths: string[],
        opts: SourceOptions & { rebaseline?: boolean; baseline: string; fromScan?: number; db?: string },
      ) => {
        const sources = paths.length > 0 || (opts.snapshot ?? []).length > 0 || wantsLive(opts);
        if (!opts.rebaseline && (sources || opts.fromScan !== undefined))
          throw new InputError('paths, sources and --from-scan only make sense with --rebaseline');
        const { resumeEnforcement } = await import('../../store/enforcement.js');
        const { createBaseline } = await import('../../store/baselines.js');
        await withStore(opts.db, async (store) => {
          if (opts.rebaseline) {
            const src = await baselineSource(store, paths, opts.fromScan, opts);
            const info = await createBaseline(store.db, {
              name: opts.baseline,
              resources: src.resources,
              createdBy: whoAmI(),
              ...(src.fromScanId !== undefined ? { fromScanId: src.fromScanId } : {}),
            });
            process.stderr.write(`warden: created ${describeBaseline(info)}\n`);
          }
          await resumeEnforcement(store.db, whoAmI());
        });
        process.stderr.write('warden: enforcement resumed\n');
      },
    );
  enforcement
    .command('status')
    .description('whether drift reverts are paused, why, by whom and until when')
    .option('--db <url>', DB_HELP)
    .option('-f, --format <format>', 'table or json', parseTableOrJson)
    .action(async (opts: { db?: string; format?: string }) => {
      const { enforcementState } = await import('../../store/enforcement.js');
      const state = await withStore(opts.db, (s) => enforcementState(s.db));
      if ((opts.format ?? (process.stdout.isTTY ? 'table' : 'json')) === 'json') {
        writeOutput(`${JSON.stringify(state, null, 2)}\n`, undefined);
        return;
      }
      writeOutput(
        state.paused
          ? `paused by ${state.by ?? '?'}: ${state.reason ?? ''}${state.until ? ` (until ${state.until})` : ''}\n`
          : 'active\n',
        undefined,
      );
    });
}
