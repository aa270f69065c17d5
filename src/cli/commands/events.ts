import type { Command } from 'commander';
import {
  affectedPolicies,
  type ChangeEvent,
  parseEventText,
  policiesByType,
  tally,
} from '../../events/index.js';
import { loadPolicySet } from '../../policy/load-set.js';
import { readInputText } from '../../util/read-input.js';
import { EXIT } from '../exit-codes.js';
import { collect } from '../options.js';
import { writeOutput } from '../write-output.js';

interface EventsOptions {
  policies?: string[];
  builtin: boolean;
  output?: string;
}

/**
 * `warden events <files…>`: normalises cloud change events (CloudTrail, EventBridge, S3
 * notifications, Azure Activity Log, GCP audit logs) and lists, per change, the resources it touched
 * and the policies to re-evaluate. The watch loop does the same on queue messages.
 */
async function runEvents(files: string[], opts: EventsOptions): Promise<number> {
  const policies = await loadPolicySet({ paths: opts.policies ?? [], builtIn: opts.builtin });
  const byType = policiesByType(policies.definitions);
  const changes: ChangeEvent[] = [];
  const outcomes = [];
  const trailFiles: string[] = [];
  for (const file of files) {
    const text = readInputText(file);
    const parsed = parseEventText(text, file);
    outcomes.push(...parsed.outcomes);
    trailFiles.push(...parsed.trailObjects.map((t) => `s3://${t.bucket}/${t.key}`));
    for (const o of parsed.outcomes) if (o.kind === 'change') changes.push(o.event);
  }
  const stats = tally(outcomes);
  const bad = outcomes.filter((o) => o.kind === 'malformed');
  if (bad.length > 0) {
    // Nothing half-written: a file with malformed events yields no output, only the reasons.
    for (const o of bad.slice(0, 20)) process.stderr.write(`error: ${o.where}: ${o.error}\n`);
    if (bad.length > 20) process.stderr.write(`error: … ${bad.length - 20} more malformed events\n`);
    return EXIT.usage;
  }
  const lines = changes.map((event) => JSON.stringify({ event, policies: affectedPolicies(event, byType) }));
  writeOutput(lines.length > 0 ? `${lines.join('\n')}\n` : '', opts.output);
  const i = stats.ignored;
  process.stderr.write(
    `warden: ${stats.changes} changes; ignored ${i['read-only']} read-only, ${i['failed-call']} failed calls, ${i['unknown-event']} unmapped, ${i['not-a-change']} other\n`,
  );
  const unknown = Object.entries(stats.unknown).sort((a, b) => b[1] - a[1]);
  if (unknown.length > 0)
    process.stderr.write(
      `warden: unmapped operations: ${unknown
        .slice(0, 10)
        .map(([k, n]) => `${k} (${n})`)
        .join(', ')}\n`,
    );
  for (const t of trailFiles)
    process.stderr.write(`warden: names trail file ${t} (read by watch through S3)\n`);
  return EXIT.ok;
}

export function addEventsCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('events')
    .description(
      'normalise cloud change events (CloudTrail, EventBridge, Azure Activity Log, GCP audit logs) and list the policies each change affects',
    )
    .argument('<files...>', 'event files: JSON or JSON lines')
    .option('-p, --policies <path>', 'policy file or directory to add (repeatable)', collect)
    .option('--no-builtin', 'do not load the built-in policy packs')
    .option('-o, --output <file>', 'write the JSON lines to a file instead of stdout')
    .action(async (files: string[], opts: EventsOptions) => setExit(await runEvents(files, opts)));
}
