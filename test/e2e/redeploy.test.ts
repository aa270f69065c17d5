import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runWardenAsync } from '../support/cli.js';
import { fakeGithub, fakeJenkins, type RecordingServer } from '../support/pipeline-servers.js';

/**
 * `warden remediate --pipelines … --redeploy NAME` and policy `redeploy` actions, on the built CLI,
 * against loopback servers speaking Jenkins' and GitHub's formats (auth, crumb, queue, inputs).
 */
const tmp = mkdtempSync(join(tmpdir(), 'warden-redeploy-'));
const keys = join(tmp, 'keys.yaml');
const db = join(tmp, 'warden.db');
let jenkins: RecordingServer;
let github: RecordingServer;
const SECRETS = { JENKINS_TOKEN: 'jenkins-secret-11aa', GH_TOKEN: 'ghp_secret_0000' };

function warden(args: string[], env: Record<string, string | undefined> = SECRETS) {
  return runWardenAsync(args, {
    PATH: process.env.PATH,
    HOME: tmp,
    NO_COLOR: '1',
    WARDEN_USER: 'ci',
    ...env,
  });
}

before(async () => {
  jenkins = await fakeJenkins({
    user: 'warden',
    apiToken: SECRETS.JENKINS_TOKEN,
    job: 'infra/deploy',
    number: 42,
  });
  github = await fakeGithub({
    token: SECRETS.GH_TOKEN,
    repository: 'acme/infra',
    workflow: 'deploy.yml',
    run: 77,
  });
  writeFileSync(
    keys,
    [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Resources:',
      '  AppKey:',
      '    Type: AWS::KMS::Key',
      '    Properties:',
      '      EnableKeyRotation: false',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(tmp, 'pipelines.yaml'),
    [
      'pipelines:',
      '  infra-jenkins:',
      '    jenkins:',
      `      url: ${jenkins.base}/`,
      '      job: infra/deploy',
      '      user: warden',
      '      api-token: ${env:JENKINS_TOKEN}',
      '  infra-github:',
      '    github:',
      `      api-url: ${github.base}`,
      '      repository: acme/infra',
      '      workflow: deploy.yml',
      '      ref: main',
      '      token: ${env:GH_TOKEN}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(tmp, 'policy.yaml'),
    [
      'policies:',
      '  - id: key-rotation-by-pipeline',
      '    resource: aws.kms.key',
      '    severity: medium',
      '    title: Rotation off; the pipeline turns it on',
      '    filters:',
      '      - KeyRotationEnabled: false',
      '    actions:',
      '      - type: redeploy',
      '        pipeline: infra-github',
      '        inputs: { encryption: true, key: "${resource.name}" }',
      '',
    ].join('\n'),
  );
});
after(async () => {
  await jenkins?.close();
  await github?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function fingerprint(policy: string, extra: string[] = []): Promise<string> {
  const r = await warden(['scan', keys, '--policy', policy, '--no-store', '-f', 'json', ...extra]);
  return (JSON.parse(r.stdout) as { results: { fingerprint: string }[] }).results[0]!.fingerprint;
}

describe('redeploy', () => {
  it('dry run shows the request and inputs without calling Jenkins', async () => {
    const fp = await fingerprint('aws-kms-key-rotation-disabled');
    const r = await warden([
      'remediate',
      keys,
      '--policy',
      'aws-kms-key-rotation-disabled',
      '--pipelines',
      join(tmp, 'pipelines.yaml'),
      '--redeploy',
      'infra-jenkins',
      '-f',
      'table',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'remediate aws-kms-key-rotation-disabled: dry run, no call made (--apply makes them)',
        `${keys}#AppKey  redeploy`,
        `  pipeline infra-jenkins: POST ${jenkins.base}/job/infra/job/deploy/buildWithParameters (enable_key_rotation, key, warden_finding, warden_policy) {"key":"AppKey","enable_key_rotation":"true","warden_policy":"aws-kms-key-rotation-disabled","warden_finding":"${fp}"}`,
        '1 resource: 1 planned, 0 refused, 0 skipped',
        '',
      ].join('\n'),
    );
    assert.equal(jenkins.seen.length, 0);
  });

  it('--apply triggers Jenkins with crumb and parameters, follows the queue, audits the build URL', async () => {
    const fp = await fingerprint('aws-kms-key-rotation-disabled');
    const r = await warden([
      'remediate',
      keys,
      '--policy',
      'aws-kms-key-rotation-disabled',
      '--pipelines',
      join(tmp, 'pipelines.yaml'),
      '--redeploy',
      'infra-jenkins',
      '--apply',
      '--db',
      db,
      '-f',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const step = JSON.parse(r.stdout).steps[0];
    assert.equal(step.status, 'triggered');
    assert.equal(step.url, `${jenkins.base}/job/infra/job/deploy/42/`);
    const post = jenkins.seen.filter((s) => s.method === 'POST').at(-1)!;
    assert.equal(post.headers['jenkins-crumb'], 'c7f1');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(post.body)), {
      key: 'AppKey',
      enable_key_rotation: 'true',
      warden_policy: 'aws-kms-key-rotation-disabled',
      warden_finding: fp,
    });
    const audit = JSON.parse((await warden(['audit', '--db', db, '-f', 'json'])).stdout) as Record<
      string,
      unknown
    >[];
    assert.deepEqual(
      audit.map(({ at: _at, ...rest }) => rest),
      [
        {
          id: 1,
          who: 'ci',
          action: 'remediate:aws-kms-key-rotation-disabled:redeploy',
          resource: `${keys}#AppKey`,
          calls: [
            {
              pipeline: 'infra-jenkins',
              request: `POST ${jenkins.base}/job/infra/job/deploy/buildWithParameters (enable_key_rotation, key, warden_finding, warden_policy)`,
              inputs: {
                key: 'AppKey',
                enable_key_rotation: 'true',
                warden_policy: 'aws-kms-key-rotation-disabled',
                warden_finding: fp,
              },
            },
          ],
          result: `ok: ${jenkins.base}/job/infra/job/deploy/42/`,
        },
      ],
    );
    assert.doesNotMatch(JSON.stringify(audit), /jenkins-secret/);
  });

  it("a policy's redeploy action dispatches the GitHub workflow with its input templates", async () => {
    const policy = join(tmp, 'policy.yaml');
    const fp = await fingerprint('key-rotation-by-pipeline', ['-p', policy]);
    const r = await warden([
      'remediate',
      keys,
      '-p',
      policy,
      '--policy',
      'key-rotation-by-pipeline',
      '--pipelines',
      join(tmp, 'pipelines.yaml'),
      '--apply',
      '--db',
      db,
      '-f',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).steps[0].url, 'https://github.com/acme/infra/actions/runs/77');
    const post = github.seen.find((s) => s.method === 'POST')!;
    assert.deepEqual(JSON.parse(post.body), {
      ref: 'main',
      inputs: {
        encryption: 'true',
        key: 'AppKey',
        warden_policy: 'key-rotation-by-pipeline',
        warden_finding: fp,
      },
    });
  });

  it('secrets only from the environment: inline secrets and unset variables are one-line errors', async () => {
    const inline = join(tmp, 'inline.yaml');
    writeFileSync(
      inline,
      'pipelines:\n  p:\n    github:\n      repository: a/b\n      workflow: w.yml\n      ref: main\n      token: ghp_inline\n',
    );
    const base = ['remediate', keys, '--policy', 'aws-kms-key-rotation-disabled', '--redeploy', 'p'];
    const a = await warden([...base, '--pipelines', inline]);
    assert.equal(a.code, 2);
    assert.equal(
      a.stderr,
      `error: ${inline}:7:14: pipelines.p.github.token: secrets must be given as \${env:NAME}, never inline\n`,
    );
    const b = await warden(
      [
        'remediate',
        keys,
        '--policy',
        'aws-kms-key-rotation-disabled',
        '--redeploy',
        'infra-jenkins',
        '--pipelines',
        join(tmp, 'pipelines.yaml'),
      ],
      {},
    );
    assert.equal(b.code, 2);
    assert.equal(b.stderr, 'error: pipeline infra-jenkins: environment variable JENKINS_TOKEN is not set\n');
    const c = await warden([
      'remediate',
      keys,
      '--policy',
      'aws-kms-key-rotation-disabled',
      '--redeploy',
      'p',
    ]);
    assert.equal(
      c.stderr,
      'error: policy aws-kms-key-rotation-disabled redeploys through pipeline "p": give the pipelines file with --pipelines\n',
    );
  });
});
