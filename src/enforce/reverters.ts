import type { RuleAtom } from '../drift/normalize.js';
import type { Resource } from '../model/resource.js';
import { canonicalJson } from '../util/canonical-json.js';
import { type AwsCall, type Reverter, type RevertPlan, topKey } from './types.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Splits a drift's changed paths into those a reverter handles and the rest. */
function partition(
  paths: readonly string[],
  handled: ReadonlySet<string>,
): { mine: Set<string>; other: string[] } {
  const mine = new Set<string>();
  const other: string[] = [];
  for (const p of paths) {
    const k = topKey(p);
    if (handled.has(k)) mine.add(k);
    else other.push(p);
  }
  return { mine, other };
}

/** A rule atom back in the IpPermissions form the EC2 API takes. */
function permissionOf(atom: RuleAtom): Rec {
  const perm: Rec = { IpProtocol: atom.IpProtocol };
  if (atom.FromPort !== undefined) perm.FromPort = atom.FromPort;
  if (atom.ToPort !== undefined) perm.ToPort = atom.ToPort;
  const d = atom.Description ? { Description: atom.Description } : {};
  if (atom.CidrIp) perm.IpRanges = [{ CidrIp: atom.CidrIp, ...d }];
  if (atom.CidrIpv6) perm.Ipv6Ranges = [{ CidrIpv6: atom.CidrIpv6, ...d }];
  if (atom.GroupId) perm.UserIdGroupPairs = [{ GroupId: atom.GroupId, ...d }];
  if (atom.PrefixListId) perm.PrefixListIds = [{ PrefixListId: atom.PrefixListId, ...d }];
  return perm;
}

const securityGroup: Reverter = {
  type: 'aws.ec2.security-group',
  plan(drift, baseline) {
    const calls: AwsCall[] = [];
    const notEnforceable: string[] = [];
    const groupId = String(baseline.config.GroupId ?? drift.name);
    const region = drift.region;
    const byDir = {
      IpPermissions: { add: [] as Rec[], remove: [] as Rec[], verb: 'SecurityGroupIngress' },
      IpPermissionsEgress: { add: [] as Rec[], remove: [] as Rec[], verb: 'SecurityGroupEgress' },
    };
    for (const c of drift.changes) {
      const key = topKey(c.path) as keyof typeof byDir;
      const dir = byDir[key];
      if (!dir || (c.path !== `${key}[+]` && c.path !== `${key}[-]`)) {
        notEnforceable.push(c.path);
        continue;
      }
      // A rule that appeared is revoked; a rule that disappeared is authorised again.
      if (c.op === 'added') dir.remove.push(permissionOf(c.after as RuleAtom));
      else dir.add.push(permissionOf(c.before as RuleAtom));
    }
    for (const dir of Object.values(byDir)) {
      if (dir.remove.length > 0)
        calls.push({
          service: 'ec2',
          command: `Revoke${dir.verb}`,
          input: { GroupId: groupId, IpPermissions: dir.remove },
          region,
        });
      if (dir.add.length > 0)
        calls.push({
          service: 'ec2',
          command: `Authorize${dir.verb}`,
          input: { GroupId: groupId, IpPermissions: dir.add },
          region,
        });
    }
    return { calls, notEnforceable };
  },
};

const CANNED: Record<string, string[]> = {
  private: [],
  'public-read': ['http://acs.amazonaws.com/groups/global/AllUsers READ'],
  'public-read-write': [
    'http://acs.amazonaws.com/groups/global/AllUsers READ',
    'http://acs.amazonaws.com/groups/global/AllUsers WRITE',
  ],
  'authenticated-read': ['http://acs.amazonaws.com/groups/global/AuthenticatedUsers READ'],
};

/**
 * The PutBucketAcl input that restores a baseline ACL: a canned ACL when the grants are exactly one
 * (owner full control plus the canned group grants), else the full grant list with the owner.
 */
function aclInput(bucket: string, acl: unknown): Rec {
  const grants = isRec(acl) && Array.isArray(acl.Grants) ? (acl.Grants as Rec[]) : [];
  const owner = grants.find(
    (g) => isRec(g.Grantee) && g.Grantee.Type === 'CanonicalUser' && g.Permission === 'FULL_CONTROL',
  );
  const others = grants
    .filter((g) => g !== owner)
    .map((g) => `${isRec(g.Grantee) ? String(g.Grantee.URI ?? g.Grantee.ID) : '?'} ${String(g.Permission)}`)
    .sort();
  for (const [canned, expected] of Object.entries(CANNED)) {
    if (canonicalJson(others) === canonicalJson([...expected].sort())) return { Bucket: bucket, ACL: canned };
  }
  const ownerRec =
    isRec(acl) && isRec(acl.Owner)
      ? acl.Owner
      : owner && isRec(owner.Grantee)
        ? { ID: owner.Grantee.ID }
        : undefined;
  return {
    Bucket: bucket,
    AccessControlPolicy: { Grants: grants, ...(ownerRec ? { Owner: ownerRec } : {}) },
  };
}

const S3_KEYS = new Set([
  'PublicAccessBlockConfiguration',
  'Acl',
  'Policy',
  'ServerSideEncryptionConfiguration',
]);

const bucket: Reverter = {
  type: 'aws.s3.bucket',
  plan(drift, baseline) {
    const { mine, other } = partition(
      drift.changes.map((c) => c.path),
      S3_KEYS,
    );
    const name = String(baseline.config.Name ?? baseline.name);
    const region = drift.region || String(baseline.config.Location ?? '') || 'us-east-1';
    const cfg = baseline.config;
    const calls: AwsCall[] = [];
    const call = (command: string, input: Rec) => calls.push({ service: 's3', command, input, region });
    if (mine.has('PublicAccessBlockConfiguration')) {
      if (isRec(cfg.PublicAccessBlockConfiguration))
        call('PutPublicAccessBlock', {
          Bucket: name,
          PublicAccessBlockConfiguration: cfg.PublicAccessBlockConfiguration,
        });
      else call('DeletePublicAccessBlock', { Bucket: name });
    }
    if (mine.has('Acl')) call('PutBucketAcl', aclInput(name, cfg.Acl));
    if (mine.has('Policy')) {
      if (cfg.Policy !== undefined && cfg.Policy !== null)
        call('PutBucketPolicy', { Bucket: name, Policy: JSON.stringify(cfg.Policy) });
      else call('DeleteBucketPolicy', { Bucket: name });
    }
    if (mine.has('ServerSideEncryptionConfiguration')) {
      if (isRec(cfg.ServerSideEncryptionConfiguration))
        call('PutBucketEncryption', {
          Bucket: name,
          ServerSideEncryptionConfiguration: cfg.ServerSideEncryptionConfiguration,
        });
      else call('DeleteBucketEncryption', { Bucket: name });
    }
    return { calls, notEnforceable: other };
  },
};

const kmsKey: Reverter = {
  type: 'aws.kms.key',
  plan(drift, baseline) {
    const { mine, other } = partition(
      drift.changes.map((c) => c.path),
      new Set(['KeyRotationEnabled']),
    );
    const calls: AwsCall[] = [];
    if (mine.has('KeyRotationEnabled')) {
      const on = baseline.config.KeyRotationEnabled === true;
      calls.push({
        service: 'kms',
        command: on ? 'EnableKeyRotation' : 'DisableKeyRotation',
        input: { KeyId: String(baseline.config.KeyId ?? baseline.id) },
        region: drift.region,
      });
    }
    return { calls, notEnforceable: other };
  },
};

function permissionKey(p: unknown): string {
  return isRec(p) && p.Group === 'all' ? 'group:all' : `user:${isRec(p) ? String(p.UserId) : ''}`;
}

const ebsSnapshot: Reverter = {
  type: 'aws.ec2.snapshot',
  plan(drift, baseline, current) {
    const { mine, other } = partition(
      drift.changes.map((c) => c.path),
      new Set(['CreateVolumePermissions']),
    );
    const calls: AwsCall[] = [];
    if (mine.has('CreateVolumePermissions')) {
      const list = (r: Resource) =>
        Array.isArray(r.config.CreateVolumePermissions)
          ? (r.config.CreateVolumePermissions as unknown[])
          : [];
      const want = new Map(list(baseline).map((p) => [permissionKey(p), p]));
      const have = new Map(list(current).map((p) => [permissionKey(p), p]));
      const add = [...want].filter(([k]) => !have.has(k)).map(([, p]) => p);
      const remove = [...have].filter(([k]) => !want.has(k)).map(([, p]) => p);
      // OperationType with GroupNames/UserIds is the form every implementation of the API accepts.
      const op = (OperationType: 'add' | 'remove', perms: unknown[]) => {
        if (perms.length === 0) return;
        const groups = perms.filter((p) => isRec(p) && p.Group === 'all').map(() => 'all');
        const users = perms
          .filter((p) => isRec(p) && typeof p.UserId === 'string')
          .map((p) => String((p as Rec).UserId));
        calls.push({
          service: 'ec2',
          command: 'ModifySnapshotAttribute',
          input: {
            SnapshotId: String(baseline.config.SnapshotId ?? baseline.name),
            Attribute: 'createVolumePermission',
            OperationType,
            ...(groups.length ? { GroupNames: groups } : {}),
            ...(users.length ? { UserIds: users } : {}),
          },
          region: drift.region,
        });
      };
      op('remove', remove);
      op('add', add);
    }
    return { calls, notEnforceable: other };
  },
};

function restoreValues(r: Resource): string[] {
  const attrs = Array.isArray(r.config.Attributes) ? (r.config.Attributes as unknown[]) : [];
  const restore = attrs.find((a) => isRec(a) && a.AttributeName === 'restore');
  return isRec(restore) && Array.isArray(restore.AttributeValues) ? restore.AttributeValues.map(String) : [];
}

const rdsSnapshot: Reverter = {
  type: 'aws.rds.snapshot',
  plan(drift, baseline, current) {
    const { mine, other } = partition(
      drift.changes.map((c) => c.path),
      new Set(['Attributes']),
    );
    const calls: AwsCall[] = [];
    if (mine.has('Attributes')) {
      const want = restoreValues(baseline);
      const have = restoreValues(current);
      const ValuesToAdd = want.filter((v) => !have.includes(v));
      const ValuesToRemove = have.filter((v) => !want.includes(v));
      if (ValuesToAdd.length + ValuesToRemove.length > 0)
        calls.push({
          service: 'rds',
          command: 'ModifyDBSnapshotAttribute',
          input: {
            DBSnapshotIdentifier: String(baseline.config.DBSnapshotIdentifier ?? baseline.name),
            AttributeName: 'restore',
            ...(ValuesToAdd.length ? { ValuesToAdd } : {}),
            ...(ValuesToRemove.length ? { ValuesToRemove } : {}),
          },
          region: drift.region,
        });
      else other.push('Attributes');
    }
    return { calls, notEnforceable: other };
  },
};

/** The types `warden drift --enforce` can restore; every other type is reported as not enforceable. */
export const REVERTERS: ReadonlyMap<string, Reverter> = new Map(
  [securityGroup, bucket, kmsKey, ebsSnapshot, rdsSnapshot].map((r) => [r.type, r]),
);

export function planRevert(
  drift: Parameters<Reverter['plan']>[0],
  baseline: Resource,
  current: Resource,
): RevertPlan | undefined {
  return REVERTERS.get(drift.type)?.plan(drift, baseline, current);
}
