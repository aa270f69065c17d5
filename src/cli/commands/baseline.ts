import type { Command } from 'commander';
import type { Resource } from '../../model/resource.js';
import type { BaselineInfo } from '../../store/baselines.js';
import type { Store } from '../../store/open.js';
import { InputError } from '../../util/errors.js';
import { addSourceOptions, loadSourcesReported, type SourceOptions, wantsLive } from '../source-options.js';
import { DB_HELP, parseId, parseTableOrJson, whoAmI, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';
import { columns } from './records.js';

/**
 * The resources that become a baseline: a stored scan's, or what the sources (paths, snapshots, live
 * accounts) hold now, read in full. With neither, the newest stored scan, so `warden scan …` then
 * `warden baseline create` works.
 */
export async function baselineSource(
  store: Store,
  paths: readonly string[],
  fromScan: number | undefined,
  sources: SourceOptions = {},
): Promise<{ resources: Resource[]; fromScanId?: number }> {
  const { getScan, latestScanId, scanResources } = await import('../../store/scans.js');
  if (fromScan !== undefined) {
    if (!(await getScan(store.db, fromScan)))
      throw new InputError(`no stored scan with id ${fromScan}`, store.location);
    return { resources: await scanResources(store.db, fromScan), fromScanId: fromScan };
  }
  if (paths.length > 0 || (sources.snapshot ?? []).length > 0 || wantsLive(sources))
    return { resources: (await loadSourcesReported(paths, sources)).inventory.resources };
  const latest = await latestScanId(store.db);
  if (latest === undefined)
    throw new InputError(
      'no stored scan to take the baseline from: name paths, or run `warden scan` first',
      store.location,
    );
  return { resources: await scanResources(store.db, latest), fromScanId: latest };
}

export function describeBaseline(b: BaselineInfo): string {
  return `baseline ${b.name} v${b.version}: ${b.resourceCount} resources${b.fromScanId !== null ? ` from scan ${b.fromScanId}` : ''}`;
}

export function addBaselineCommands(program: Command): void {
  const baseline = program
    .command('baseline')
    .description('approved configurations that drift is measured against');
  addSourceOptions(
    baseline
      .command('create')
      .description('make the current configuration the approved state (a new version; old versions are kept)')
      .argument(
        '[paths...]',
        'inputs or snapshots to take the configuration from (default: the newest stored scan)',
      ),
  )
    .option('--name <name>', 'baseline name', 'default')
    .option('--from-scan <id>', 'take the resources of this stored scan', parseId)
    .option('--db <url>', DB_HELP)
    .action(
      async (paths: string[], opts: SourceOptions & { name: string; fromScan?: number; db?: string }) => {
        const { createBaseline } = await import('../../store/baselines.js');
        const info = await withStore(opts.db, async (store) => {
          const src = await baselineSource(store, paths, opts.fromScan, opts);
          return createBaseline(store.db, {
            name: opts.name,
            resources: src.resources,
            createdBy: whoAmI(),
            ...(src.fromScanId !== undefined ? { fromScanId: src.fromScanId } : {}),
          });
        });
        process.stderr.write(`warden: created ${describeBaseline(info)}\n`);
      },
    );
  baseline
    .command('list')
    .description('every baseline version')
    .option('--db <url>', DB_HELP)
    .option('-f, --format <format>', 'table or json', parseTableOrJson)
    .action(async (opts: { db?: string; format?: string }) => {
      const { listBaselines } = await import('../../store/baselines.js');
      const list = await withStore(opts.db, (s) => listBaselines(s.db));
      if ((opts.format ?? (process.stdout.isTTY ? 'table' : 'json')) === 'json') {
        writeOutput(`${JSON.stringify({ baselines: list }, null, 2)}\n`, undefined);
        return;
      }
      if (list.length === 0) {
        writeOutput('no baselines\n', undefined);
        return;
      }
      writeOutput(
        columns([
          ['NAME', 'VERSION', 'RESOURCES', 'CREATED', 'BY', 'FROM SCAN'],
          ...list.map((b) => [
            b.name,
            String(b.version),
            String(b.resourceCount),
            b.createdAt,
            b.createdBy,
            b.fromScanId === null ? '' : String(b.fromScanId),
          ]),
        ]),
        undefined,
      );
    });
}
