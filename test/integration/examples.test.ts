import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, PutBucketAclCommand, S3Client } from '@aws-sdk/client-s3';
import { WARDEN_BIN } from '../support/cli.js';
import { FAKE_CREDENTIALS, type Moto, startMoto, testClientConfig } from '../support/moto.js';
import { fakeJenkins, type RecordingServer } from '../support/pipeline-servers.js';

/**
 * The pipeline examples cannot rot: every `warden …` command in examples/jenkins and examples/github
 * is extracted and run, as the pipeline's shell would run it, on the built binary against fixtures,
 * moto and a loopback Jenkins, with the variables each file documents.
 */
const ROOT = process.cwd();
const ws = mkdtempSync(join(tmpdir(), 'warden-examples-'));
let moto: Moto;
let jenkins: RecordingServer;

/** `sh '…warden …'` in a Jenkinsfile; a line starting with `warden ` in a workflow's run block. */
export function extractCommands(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.yml') || file.endsWith('.yaml'))
    return text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('warden '));
  return [...text.matchAll(/'(warden [^']+)'/g)].map((m) => m[1]!);
}

function sh(command: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd: ws, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

let env: Record<string, string>;

before(async () => {
  moto = await startMoto();
  jenkins = await fakeJenkins({
    user: 'warden',
    apiToken: 'jenkins-example-token',
    job: 'infra/deploy',
    number: 9,
  });
  const s3 = new S3Client(testClientConfig(moto.endpoint));
  await s3.send(new CreateBucketCommand({ Bucket: 'examples-public' }));
  await s3.send(new PutBucketAclCommand({ Bucket: 'examples-public', ACL: 'public-read' }));
  s3.destroy();
  cpSync(join(ROOT, 'examples/terraform-seed'), join(ws, 'infra'), { recursive: true });
  cpSync(join(ROOT, 'examples/terraform-plan/plan.json'), join(ws, 'plan.json'));
  // The documented pipelines file, pointed at the loopback Jenkins.
  writeFileSync(
    join(ws, 'pipelines.yaml'),
    readFileSync(join(ROOT, 'examples/jenkins/pipelines.yaml'), 'utf8').replace(
      'https://jenkins.example.com/',
      `${jenkins.base}/`,
    ),
  );
  const bin = join(ws, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'warden'), `#!/bin/sh\nexec "${process.execPath}" "${WARDEN_BIN}" "$@"\n`);
  chmodSync(join(bin, 'warden'), 0o755);
  env = {
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    HOME: ws,
    NO_COLOR: '1',
    WARDEN_USER: 'jenkins',
    INFRA_DIR: 'infra',
    WARDEN_DB: join(ws, 'warden.db'),
    AWS_REGIONS: 'us-east-1',
    WARDEN_PIPELINES: join(ws, 'pipelines.yaml'),
    BUILD_TAG: 'jenkins-deploy-7',
    JENKINS_TOKEN: 'jenkins-example-token',
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: moto.endpoint,
  };
});
after(async () => {
  await jenkins?.close();
  await moto?.stop();
  rmSync(ws, { recursive: true, force: true });
});

/** Runs a file's commands in order; each must end with the exit code the pipeline expects. */
async function runAll(file: string, expected: [RegExp, number][]): Promise<void> {
  const commands = extractCommands(join(ROOT, file));
  assert.equal(commands.length, expected.length, `${file}: ${commands.join('\n')}`);
  for (const [i, command] of commands.entries()) {
    const [shape, code] = expected[i]!;
    assert.match(command, shape);
    const r = await sh(command, env);
    assert.equal(r.code, code, `${command}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^(error|internal error):/m, command);
  }
}

describe('pipeline examples', () => {
  it('the example files are not scan inputs: `warden scan examples` reads only the IaC', async () => {
    const files = readdirSync(join(ROOT, 'examples/jenkins')).concat(
      readdirSync(join(ROOT, 'examples/github')),
    );
    assert.deepEqual(files.sort(), [
      'Jenkinsfile.deploy',
      'Jenkinsfile.governance',
      'Jenkinsfile.pre-deploy',
      'pipelines.yaml',
      'warden.yml',
    ]);
    const out = join(ws, 'examples-scan.json');
    const r = await new Promise<number | null>((resolve) => {
      const child = spawn(
        process.execPath,
        [WARDEN_BIN, 'scan', 'examples', '--no-store', '-f', 'json', '-o', out],
        {
          cwd: ROOT,
          stdio: 'ignore',
        },
      );
      child.on('close', resolve);
    });
    assert.equal(r, 1);
    const doc = JSON.parse(readFileSync(out, 'utf8')) as { results: { resource: { id: string } }[] };
    const roots = new Set(doc.results.map((x) => x.resource.id.split(/[#/]/).slice(0, 2).join('/')));
    assert.deepEqual([...roots].sort(), [
      'examples/cloudformation',
      'examples/terraform-plan',
      'examples/terraform-seed',
    ]);
  });

  it('pre-deploy: the HCL scan publishes JUnit and fails on high', async () => {
    await runAll('examples/jenkins/Jenkinsfile.pre-deploy', [
      [/^warden scan "\$INFRA_DIR" .*--format junit/, 1],
    ]);
    assert.match(readFileSync(join(ws, 'warden-junit.xml'), 'utf8'), /<testsuites[^>]*>/);
  });

  it('deploy: plan gate, pause, collect, baseline, resume', async () => {
    await runAll('examples/jenkins/Jenkinsfile.deploy', [
      [/^warden plan plan\.json/, 1],
      [/^warden enforcement pause/, 0],
      [/^warden collect --aws/, 0],
      [/^warden baseline create deployed\.json --name production/, 0],
      [/^warden enforcement resume/, 0],
    ]);
    assert.equal(JSON.parse(readFileSync(join(ws, 'warden-plan.sarif'), 'utf8')).version, '2.1.0');
  });

  it('governance: live scan, report, redeploy through Jenkins, audit', async () => {
    await runAll('examples/jenkins/Jenkinsfile.governance', [
      [/^warden scan --aws/, 0],
      [/^warden collect --aws/, 0],
      [/^warden report inventory\.json/, 0],
      [/^warden remediate --aws .*--redeploy infra-deploy --apply/, 0],
      [/^warden audit/, 0],
    ]);
    assert.ok(existsSync(join(ws, 'cis-report.html')));
    const remediation = JSON.parse(readFileSync(join(ws, 'remediation.json'), 'utf8'));
    assert.deepEqual(
      remediation.steps.map((s: { resource: string; status: string; url: string }) => [
        s.resource,
        s.status,
        s.url,
      ]),
      [['arn:aws:s3:::examples-public', 'triggered', `${jenkins.base}/job/infra/job/deploy/9/`]],
    );
    const post = jenkins.seen.find((s) => s.method === 'POST' && s.headers['jenkins-crumb'])!;
    assert.equal(new URLSearchParams(post.body).get('bucket'), 'examples-public');
    const audit = JSON.parse(readFileSync(join(ws, 'audit.json'), 'utf8')) as {
      action: string;
      result: string;
    }[];
    assert.deepEqual(
      audit.map((e) => `${e.action} ${e.result}`),
      [`remediate:aws-s3-bucket-public:redeploy ok: ${jenkins.base}/job/infra/job/deploy/9/`],
    );
  });

  it('github: the pull-request gate writes SARIF and fails on high', async () => {
    await runAll('examples/github/warden.yml', [[/^warden scan "\$INFRA_DIR" .*--format sarif/, 1]]);
    const sarif = JSON.parse(readFileSync(join(ws, 'warden.sarif'), 'utf8'));
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.length > 0);
  });
});
