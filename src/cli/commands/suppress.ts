import { type Command, InvalidArgumentError } from 'commander';
import type { Suppression } from '../../suppress/types.js';
import { clockNow } from '../../util/clock.js';
import { InputError } from '../../util/errors.js';
import { DB_HELP, parseTableOrJson, parseTag, whoAmI, withStore } from '../store-options.js';
import { writeOutput } from '../write-output.js';

interface SuppressOptions {
  policy?: string;
  resource?: string;
  tag?: Record<string, string>;
  reason?: string;
  owner?: string;
  expires?: string;
  db?: string;
}

/** `2027-01-31` (the suppression ends at the start of that day, UTC) or a full ISO time. */
function parseExpires(value: string): string {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(value) || Number.isNaN(t))
    throw new InvalidArgumentError('expected a date (2027-01-31) or an ISO time');
  return new Date(t).toISOString();
}

function parseSuppressionId(value: string): number {
  if (!/^[1-9]\d*$/.test(value))
    throw new InvalidArgumentError('expected a suppression id (a positive integer)');
  return Number(value);
}

function describeTarget(s: Suppression): string {
  if (s.fingerprint) return `fingerprint ${s.fingerprint}`;
  const parts = [];
  if (s.policy) parts.push(`policy ${s.policy}`);
  if (s.resource) parts.push(`resource ${s.resource}`);
  if (s.tag) parts.push(`tag ${s.tag.key}=${s.tag.value}`);
  return parts.join(', ');
}

function suppressionFrom(
  fingerprint: string | undefined,
  opts: SuppressOptions,
  now: Date,
): Omit<Suppression, 'id'> {
  const reason = opts.reason?.trim();
  if (!reason) throw new InputError('--reason is required: say why the finding is accepted');
  const tags = Object.entries(opts.tag ?? {});
  if (tags.length > 1) throw new InputError('--tag takes one KEY=VALUE');
  if (fingerprint !== undefined) {
    if (opts.policy || opts.resource || tags.length)
      throw new InputError('give a fingerprint, or --policy with --resource, or --tag: not several');
    if (!/^[0-9a-f]{8,64}$/.test(fingerprint)) throw new InputError(`not a fingerprint: "${fingerprint}"`);
  } else if (tags.length === 0 && !(opts.policy && opts.resource)) {
    throw new InputError(
      'name what to suppress: a fingerprint, --policy ID --resource ID, or --tag KEY=VALUE',
    );
  } else if (tags.length > 0 && opts.resource) {
    throw new InputError('--tag and --resource cannot be combined');
  }
  if (opts.expires && Date.parse(opts.expires) <= now.getTime())
    throw new InputError(`--expires ${opts.expires.slice(0, 10)} is not in the future`);
  const [tag] = tags;
  return {
    ...(fingerprint !== undefined ? { fingerprint } : {}),
    ...(opts.policy ? { policy: opts.policy } : {}),
    ...(opts.resource ? { resource: opts.resource } : {}),
    ...(tag ? { tag: { key: tag[0], value: tag[1] } } : {}),
    reason,
    ...(opts.owner ? { owner: opts.owner } : {}),
    ...(opts.expires ? { expires: opts.expires } : {}),
    createdAt: now.toISOString(),
    createdBy: whoAmI(),
  };
}

export function addSuppressCommands(program: Command): void {
  program
    .command('suppress')
    .description(
      'accept a finding for a while: it stays listed as exempt with the reason, and reopens when the suppression expires',
    )
    .argument('[fingerprint]', 'a result fingerprint (from scan output)')
    .option('--policy <id>', 'policy id (with --resource, or to narrow --tag)')
    .option('--resource <id>', 'resource id or name (with --policy)')
    .option('--tag <key=value>', 'every resource with this tag', parseTag)
    .option('--reason <text>', 'why (required)')
    .option('--owner <team>', 'who owns the decision')
    .option('--expires <date>', 'when it ends (2027-01-31 or an ISO time)', parseExpires)
    .option('--db <url>', DB_HELP)
    .action(async (fingerprint: string | undefined, opts: SuppressOptions) => {
      const s = suppressionFrom(fingerprint, opts, clockNow());
      const { addSuppression } = await import('../../store/suppressions.js');
      const id = await withStore(opts.db, (store) => addSuppression(store.db, s));
      process.stdout.write(`suppression ${id}: ${describeTarget({ id, ...s })}\n`);
    });

  const group = program.command('suppressions').description('list or remove suppressions');
  group
    .command('list')
    .description('list suppressions; expired ones are marked and their notification queued')
    .option(
      '-f, --format <format>',
      'table or json (default: table on a terminal, else json)',
      parseTableOrJson,
    )
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--db <url>', DB_HELP)
    .action(async (opts: { format?: 'table' | 'json'; output?: string; db?: string }) => {
      const now = clockNow();
      const { expireSuppressions, listSuppressions } = await import('../../store/suppressions.js');
      const list = await withStore(opts.db, async (store) => {
        await expireSuppressions(store.db, now);
        return listSuppressions(store.db);
      });
      const format = opts.format ?? (process.stdout.isTTY && !opts.output ? 'table' : 'json');
      if (format === 'json') {
        writeOutput(`${JSON.stringify({ suppressions: list }, null, 2)}\n`, opts.output);
        return;
      }
      const rows = list.map(
        (s) =>
          `${s.id}\t${s.expiredAt ? 'expired' : 'active'}\t${describeTarget(s)}\t${s.owner ?? '-'}\t${s.expires?.slice(0, 10) ?? 'never'}\t${s.reason}`,
      );
      writeOutput(`${['id\tstate\tmatches\towner\texpires\treason', ...rows].join('\n')}\n`, opts.output);
    });
  group
    .command('remove')
    .description('remove a suppression: the finding fails again at the next scan')
    .argument('<id>', 'suppression id', parseSuppressionId)
    .option('--db <url>', DB_HELP)
    .action(async (id: number, opts: { db?: string }) => {
      const { removeSuppression } = await import('../../store/suppressions.js');
      const removed = await withStore(opts.db, (store) => removeSuppression(store.db, id));
      if (!removed) throw new InputError(`no suppression ${id}`);
      process.stdout.write(`suppression ${id} removed\n`);
    });
}
