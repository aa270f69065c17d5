import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { z } from 'zod';
import { SEVERITIES } from '../model/result.js';
import { InputError } from '../util/errors.js';
import { readInputText } from '../util/read-input.js';

const name = z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'names are letters, digits, ".", "_" or "-"');
const list = <T extends z.ZodType>(t: T) =>
  z.union([t, z.array(t)]).transform((v) => (Array.isArray(v) ? v : [v]));
const severity = z.enum(SEVERITIES as [string, ...string[]]);

const channelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('slack'), url: z.string().url() }).strict(),
  z
    .object({
      type: z.literal('webhook'),
      url: z.string().url(),
      secret: z.string().min(16, 'use a secret of 16 characters or more'),
    })
    .strict(),
  z
    .object({
      type: z.literal('email'),
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535).default(587),
      secure: z.boolean().optional(),
      requireTls: z.boolean().optional(),
      user: z.string().optional(),
      password: z.string().optional(),
      from: z.string().min(3),
      to: list(z.string().min(3)),
    })
    .strict(),
  z
    .object({
      type: z.literal('pagerduty'),
      routingKey: z.string().min(1),
      endpoint: z.string().url().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('jira'),
      url: z.string().url(),
      user: z.string().min(1),
      token: z.string().min(1),
      project: z.string().min(1),
      issueType: z.string().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('sns'),
      topicArn: z.string().startsWith('arn:'),
      region: z.string().optional(),
      endpoint: z.string().url().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('sqs'),
      queueUrl: z.string().url(),
      region: z.string().optional(),
      endpoint: z.string().url().optional(),
    })
    .strict(),
]);

const matchSchema = z
  .object({
    /** Exact severities, or `minSeverity` for "this or worse". */
    severity: list(severity).optional(),
    minSeverity: severity.optional(),
    /** Policy ids; `*` globs (`aws-s3-*`, `guardduty-*`). */
    policy: list(z.string()).optional(),
    account: list(z.string()).optional(),
    /** Every listed tag must be on the resource (value `*` = any value). */
    tags: z.record(z.string(), z.string()).optional(),
    team: list(z.string()).optional(),
  })
  .strict();

const routeSchema = z
  .object({
    name: z.string().optional(),
    match: matchSchema.default({}),
    channels: list(name).pipe(z.array(name).min(1)),
    /** Stop at this route when it matches (a specific route placed first overrides the general ones). */
    stop: z.boolean().optional(),
  })
  .strict();

const teamSchema = z
  .object({
    accounts: list(z.string()).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const notifyConfigSchema = z
  .object({
    channels: z.record(name, channelSchema),
    routes: z.array(routeSchema).min(1),
    teams: z.record(name, teamSchema).optional(),
    /** Messages per minute per channel name. */
    rateLimits: z.record(name, z.number().positive()).optional(),
  })
  .strict();

export type NotifyConfig = z.infer<typeof notifyConfigSchema>;
export type ChannelConfig = z.infer<typeof channelSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;

/**
 * `${env:NAME}` in any string is replaced by the environment variable, so webhook URLs, routing
 * keys and tokens stay out of the file. A missing variable is an error, never an empty secret.
 */
function interpolate(value: unknown, env: NodeJS.ProcessEnv, missing: Set<string>): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, v: string) => {
      const got = env[v];
      if (got === undefined) missing.add(v);
      return got ?? '';
    });
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, missing));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, missing)]));
  return value;
}

function nodeAt(root: Node | null | undefined, path: readonly PropertyKey[]): Node | undefined {
  let node: Node | null | undefined = root;
  for (const key of path) {
    if (isMap(node)) node = node.get(key as string, true) as Node | undefined;
    else if (isSeq(node)) node = node.get(key as number, true) as Node | undefined;
    else return undefined;
  }
  return node ?? undefined;
}

/** Parses and validates a notification config; errors carry file, line and the config path. */
export function parseNotifyConfig(
  text: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): NotifyConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const at = lines.linePos(e.pos[0]);
    throw new InputError(e.message.split('\n')[0]!, file, at.line, at.col);
  }
  const missing = new Set<string>();
  const raw = interpolate(doc.toJS(), env, missing);
  if (missing.size > 0)
    throw new InputError(
      `environment variable${missing.size > 1 ? 's' : ''} not set: ${[...missing].join(', ')}`,
      file,
    );
  const parsed = notifyConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = nodeAt(doc.contents, issue.path);
    const at = node?.range ? lines.linePos(node.range[0]) : undefined;
    const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    throw new InputError(`${where}${issue.message}`, file, at?.line, at?.col);
  }
  if (missing.size > 0)
    throw new InputError(
      `environment variable${missing.size > 1 ? 's' : ''} not set: ${[...missing].join(', ')}`,
      file,
    );
  const config = parsed.data;
  for (const [i, route] of config.routes.entries())
    for (const ch of route.channels)
      if (!Object.hasOwn(config.channels, ch)) {
        const at = nodeAt(doc.contents, ['routes', i, 'channels'])?.range;
        const pos = at ? lines.linePos(at[0]) : undefined;
        throw new InputError(`routes.${i}.channels: unknown channel "${ch}"`, file, pos?.line, pos?.col);
      }
  return config;
}

export function loadNotifyConfig(file: string, env: NodeJS.ProcessEnv = process.env): NotifyConfig {
  const text = readInputText(file);
  return parseNotifyConfig(text, file, env);
}
