import type { Command } from 'commander';
import { formatCollectionSummary } from '../../sources/aws/summary.js';
import { toSnapshot } from '../../sources/snapshot/index.js';
import { InputError } from '../../util/errors.js';
import { EXIT } from '../exit-codes.js';
import { addSourceOptions, collectLive, type SourceOptions, wantsLive } from '../source-options.js';
import { writeOutput } from '../write-output.js';

interface CollectOptions extends SourceOptions {
  output?: string;
}

/**
 * `warden collect --aws -o inventory.json`: reads the live accounts with every enrichment (no policy
 * set decides what is read) and writes an inventory snapshot that `scan --snapshot` evaluates later.
 */
async function runCollect(opts: CollectOptions): Promise<number> {
  if (!wantsLive(opts)) throw new InputError('collect reads live accounts: add --aws');
  if (opts.snapshot) throw new InputError('collect writes snapshots; --snapshot is for scan');
  const now = new Date();
  const collection = await collectLive(opts, { now });
  process.stderr.write(formatCollectionSummary({ ...collection, resources: collection.inventory.resources }));
  if (collection.accounts.length === 0) {
    const why = collection.unreachable[0];
    throw new InputError(
      `no AWS account could be read${why ? `: ${why.via}: ${why.code}: ${why.message}` : ''}`,
    );
  }
  writeOutput(`${JSON.stringify(toSnapshot(collection, now), null, 2)}\n`, opts.output);
  if (opts.output) {
    process.stderr.write(`warden: ${collection.inventory.resources.length} resources → ${opts.output}\n`);
  }
  // The snapshot is written either way; gaps in it are reported again by every scan of it.
  return collection.failures.length > 0 || collection.unreachable.length > 0 ? EXIT.findings : EXIT.ok;
}

export function addCollectCommand(program: Command, setExit: (code: number) => void): void {
  addSourceOptions(
    program
      .command('collect')
      .description('collect a live inventory snapshot (everything the policies could read) to scan later')
      .option('-o, --output <file>', 'write the snapshot to a file instead of stdout'),
  ).action(async (opts: CollectOptions) => setExit(await runCollect(opts)));
}
