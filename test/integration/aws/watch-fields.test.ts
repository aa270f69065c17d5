import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketPolicyCommand,
  PutBucketAclCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { scanInventory } from '../../../src/engine/scan.js';
import { EventIntake } from '../../../src/events/index.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { resolveAwsTargets } from '../../../src/sources/aws/collect.js';
import { s3Collector } from '../../../src/sources/aws/collectors/s3.js';
import { demandFromPolicies } from '../../../src/sources/aws/demand.js';
import { refreshAws } from '../../../src/sources/aws/refresh.js';
import { LiveState } from '../../../src/watch/state.js';
import { type MessageReport, Watcher } from '../../../src/watch/watcher.js';
import { ACCOUNT, access, collectEnv, REGION } from '../../support/aws-refresh.js';
import { type Moto, startMoto, testClientConfig } from '../../support/moto.js';

/**
 * Field-scoped re-reads through the watch path: a queue message → EventIntake → Watcher (held state
 * from LiveState) → refreshAws → LiveState. A bucket event costs the one call of the field it changed.
 */
let moto: Moto;
let s3: S3Client;
const policies = loadPolicies({ builtIn: true });
const POLICY = 'aws-s3-bucket-public';
const NAME = 'wf-bucket';
const ARN = `arn:aws:s3:::${NAME}`;

before(async () => {
  moto = await startMoto();
  s3 = new S3Client(testClientConfig(moto.endpoint, REGION));
});
beforeEach(() => moto.reset());
after(async () => {
  s3?.destroy();
  await moto?.stop();
});

let n = 0;
/** One EventBridge "AWS API Call via CloudTrail" event per S3 call, as the rule delivers them. */
function message(...eventNames: string[]) {
  const events = eventNames.map((eventName) => ({
    version: '0',
    id: `eb-wf-${++n}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.s3',
    account: ACCOUNT,
    time: new Date().toISOString(),
    region: REGION,
    detail: {
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT },
      eventTime: new Date().toISOString(),
      eventSource: 's3.amazonaws.com',
      eventName,
      awsRegion: REGION,
      requestParameters: { bucketName: NAME, Host: `${NAME}.s3.amazonaws.com` },
      responseElements: null,
      eventID: `wf-${n}`,
      readOnly: false,
      recipientAccountId: ACCOUNT,
    },
  }));
  const body =
    events.length === 1 ? JSON.stringify(events[0]) : events.map((e) => JSON.stringify(e)).join('\n');
  return { id: `m-${n}`, body, receiptHandle: `r-${n}`, receiveCount: 1, sentAt: Date.now() };
}

async function watcher() {
  const env = {
    endpoint: moto.endpoint,
    collectors: [s3Collector],
    demand: demandFromPolicies(policies.compiled),
  };
  const first = await collectEnv(env);
  const report = scanInventory(first.inventory, policies);
  const state = new LiveState(first.inventory, policies, report.results);
  const a = access(env);
  const resolved = await resolveAwsTargets(a);
  const removed: string[] = [];
  const w = new Watcher({
    intake: new EventIntake(),
    state,
    reread: (event, previous) => refreshAws({ ...a, resolved }, event.account, event.touched, previous),
    maxReceives: 5,
    remove: async (m) => {
      removed.push(m.id);
    },
    emit: async () => {},
    log: () => {},
  });
  const verdict = () => state.allResults().find((r) => r.policy === POLICY && r.resource.id === ARN)?.status;
  return { w, state, removed, verdict };
}

const bucketChanges = (r: MessageReport) =>
  r.changes
    .filter((c) => c.result.policy === POLICY)
    .map((c) => [c.change, c.result.resource.id, c.result.status]);

describe('field-scoped re-reads in the watch', () => {
  it('PutBucketPolicy making the bucket public raises the finding with 1 call; DeleteBucketPolicy resolves it with 1', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: NAME }));
    const { w, removed, verdict } = await watcher();
    assert.equal(verdict(), 'pass');
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${ARN}/*` }],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: NAME, Policy }));
    const put = await w.handle(message('PutBucketPolicy'));
    assert.deepEqual([put.outcome, put.events, put.calls], ['processed', 1, 1]);
    assert.deepEqual(bucketChanges(put), [['new', ARN, 'fail']]);

    await s3.send(new DeleteBucketPolicyCommand({ Bucket: NAME }));
    const del = await w.handle(message('DeleteBucketPolicy'));
    assert.deepEqual([del.outcome, del.calls], ['processed', 1]);
    assert.deepEqual(bucketChanges(del), [['resolved', ARN, 'pass']]);
    assert.equal(verdict(), 'pass');
    assert.deepEqual(removed, [put.id, del.id]);
  });

  it('two events on one bucket in one message: the second is re-read whole, so the first change is kept', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: NAME }));
    const { w, state } = await watcher();
    await s3.send(new PutBucketAclCommand({ Bucket: NAME, ACL: 'public-read' }));
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: NAME,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:DeleteBucket', Resource: ARN }],
        }),
      }),
    );
    const both = await w.handle(message('PutBucketAcl', 'PutBucketPolicy'));
    // PutBucketAcl: GetBucketAcl; PutBucketPolicy on the same bucket: Location + the 5 fields read.
    assert.deepEqual([both.outcome, both.events, both.calls], ['processed', 2, 7]);
    const held = state.currentInventory().resources.find((r) => r.id === ARN)!;
    const grants = (held.config.Acl as { Grants: { Grantee: { URI?: string } }[] }).Grants;
    assert.ok(grants.some((g) => g.Grantee.URI === 'http://acs.amazonaws.com/groups/global/AllUsers'));
    assert.equal((held.config.Policy as { Statement: { Effect: string }[] }).Statement[0]!.Effect, 'Deny');
    assert.deepEqual(bucketChanges(both), [['new', ARN, 'fail']]);
  });
});
