import { z } from 'zod';
import { errorAt, parseYamlFile } from '../policy/load.js';
import { InputError } from '../util/errors.js';
import { GithubTrigger } from './redeploy/github.js';
import { JenkinsTrigger } from './redeploy/jenkins.js';
import type { PipelineTrigger } from './redeploy/types.js';

/** A secret field: only `${env:NAME}`, so no credential is ever written into the file. */
const secret = z
  .string()
  .regex(/^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/, 'secrets must be given as ${env:NAME}, never inline');
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL');
const waitMs = z.number().int().min(0).max(600_000).optional();

const jenkins = z
  .object({
    url: httpUrl,
    job: z.string().min(1),
    user: z.string().min(1).optional(),
    'api-token': secret.optional(),
    'build-token': secret.optional(),
    'wait-ms': waitMs,
  })
  .strict()
  .refine((j) => (j.user === undefined) === (j['api-token'] === undefined), {
    message: 'user and api-token go together',
    path: ['user'],
  });

const github = z
  .object({
    repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'expected OWNER/NAME'),
    workflow: z.string().min(1),
    ref: z.string().min(1),
    token: secret,
    'api-url': httpUrl.optional(),
    'wait-ms': waitMs,
  })
  .strict();

const fileSchema = z
  .object({
    pipelines: z.record(
      z.string().regex(/^[\w.-]+$/),
      z.union([z.object({ jenkins }).strict(), z.object({ github }).strict()]),
    ),
  })
  .strict();

function fromEnv(ref: string | undefined, env: NodeJS.ProcessEnv, where: string): string | undefined {
  if (ref === undefined) return undefined;
  const name = /^\$\{env:(\w+)\}$/.exec(ref)![1]!;
  const value = env[name];
  if (!value) throw new InputError(`${where}: environment variable ${name} is not set`);
  return value;
}

/**
 * Reads `--pipelines pipelines.yaml` into triggers by name. Mistakes are reported with file:line;
 * a secret's environment variable is read here, and only its name ever appears in a message.
 */
export function loadPipelines(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Map<string, PipelineTrigger> {
  const parsed = parseYamlFile(file, 'pipelines file');
  const r = fileSchema.safeParse(parsed.doc.toJS());
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key "${issue.keys[0]}"`
        : `${path.join('.') || 'pipelines file'}: ${issue.message}`;
    throw errorAt(parsed, issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path, message);
  }
  const out = new Map<string, PipelineTrigger>();
  for (const [name, p] of Object.entries(r.data.pipelines))
    out.set(name, new LazyTrigger(() => makeTrigger(name, p, env)));
  return out;
}

type PipelineSpec = z.infer<typeof fileSchema>['pipelines'][string];

/**
 * Builds a pipeline's trigger on first use, so a pipeline this run does not use needs no secret in the
 * environment (one file can serve several jobs with different credentials).
 */
class LazyTrigger implements PipelineTrigger {
  private made?: PipelineTrigger;
  constructor(private readonly make: () => PipelineTrigger) {}
  private get inner(): PipelineTrigger {
    this.made ??= this.make();
    return this.made;
  }
  get system() {
    return this.inner.system;
  }
  describe(inputs: Record<string, string>): string {
    return this.inner.describe(inputs);
  }
  trigger(inputs: Record<string, string>) {
    return this.inner.trigger(inputs);
  }
}

function makeTrigger(name: string, p: PipelineSpec, env: NodeJS.ProcessEnv): PipelineTrigger {
  const where = `pipeline ${name}`;
  if ('jenkins' in p) {
    const j = p.jenkins;
    const apiToken = fromEnv(j['api-token'], env, where);
    const buildToken = fromEnv(j['build-token'], env, where);
    return new JenkinsTrigger({
      url: j.url,
      job: j.job,
      ...(j.user && apiToken ? { user: j.user, apiToken } : {}),
      ...(buildToken ? { buildToken } : {}),
      ...(j['wait-ms'] !== undefined ? { waitForBuildMs: j['wait-ms'] } : {}),
      pollIntervalMs: 200,
    });
  }
  const g = p.github;
  return new GithubTrigger({
    repository: g.repository,
    workflow: g.workflow,
    ref: g.ref,
    token: fromEnv(g.token, env, where)!,
    ...(g['api-url'] ? { apiUrl: g['api-url'] } : {}),
    ...(g['wait-ms'] !== undefined ? { waitForRunMs: g['wait-ms'] } : {}),
    pollIntervalMs: 200,
  });
}
