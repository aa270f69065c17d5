import type { Resource } from '../../../../model/resource.js';
import { ifKnown, pushUnique } from '../config.js';
import { isMarker } from '../markers.js';
import type { JoinSpec, ResourceSpec, TypeTable } from '../types.js';
import {
  blocks,
  jsonDocument,
  known,
  lastSegment,
  mapList,
  num,
  str,
  strList,
  type Values,
} from '../values.js';

function managedPolicy(arn: unknown): Record<string, unknown> {
  const a = str(arn);
  return { PolicyName: known(a, lastSegment), PolicyArn: a };
}

function managedPolicies(arns: unknown): unknown {
  return mapList(strList(arns), managedPolicy);
}

/** Inline policies; an empty `inline_policy {}` block only asks Terraform to remove the others. */
function inlinePolicies(value: unknown): unknown {
  const list = blocks(value);
  if (isMarker(list)) return list;
  return list
    .filter((b) => isMarker(b) || b.name !== undefined || b.policy !== undefined)
    .map((b) => (isMarker(b) ? b : { PolicyName: str(b.name), PolicyDocument: jsonDocument(b.policy) }));
}

function boundary(value: unknown): unknown {
  return known(str(value), (arn) => ({ PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn }));
}

const IDENTITY_KEYS = ['id', 'name', 'arn', 'unique_id'];

const role: ResourceSpec = {
  provider: 'aws',
  type: 'aws.iam.role',
  global: true,
  nameKey: 'RoleName',
  keys: IDENTITY_KEYS,
  identity: { id: 'name' },
  refs: {
    managed_policy_arns: 'AttachedManagedPolicies',
    inline_policy: 'RolePolicyList',
    permissions_boundary: 'PermissionsBoundary',
    assume_role_policy: 'AssumeRolePolicyDocument',
  },
  translate: (v) => ({
    RoleName: str(v.name),
    RoleId: str(v.unique_id),
    Arn: str(v.arn),
    Path: str(v.path) ?? '/',
    Description: str(v.description),
    MaxSessionDuration: num(v.max_session_duration, 3600),
    AssumeRolePolicyDocument: jsonDocument(v.assume_role_policy),
    AttachedManagedPolicies: managedPolicies(v.managed_policy_arns),
    RolePolicyList: inlinePolicies(v.inline_policy),
    InstanceProfileList: [],
    PermissionsBoundary: boundary(v.permissions_boundary),
  }),
};

const user: ResourceSpec = {
  provider: 'aws',
  type: 'aws.iam.user',
  global: true,
  nameKey: 'UserName',
  keys: IDENTITY_KEYS,
  identity: { id: 'name' },
  refs: { permissions_boundary: 'PermissionsBoundary' },
  translate: (v) => ({
    UserName: str(v.name),
    UserId: str(v.unique_id),
    Arn: str(v.arn),
    Path: str(v.path) ?? '/',
    AttachedManagedPolicies: [],
    UserPolicyList: [],
    GroupList: [],
    PermissionsBoundary: boundary(v.permissions_boundary),
  }),
};

const group: ResourceSpec = {
  provider: 'aws',
  type: 'aws.iam.group',
  global: true,
  nameKey: 'GroupName',
  keys: IDENTITY_KEYS,
  identity: { id: 'name' },
  translate: (v) => ({
    GroupName: str(v.name),
    GroupId: str(v.unique_id),
    Arn: str(v.arn),
    Path: str(v.path) ?? '/',
    AttachedManagedPolicies: [],
    GroupPolicyList: [],
  }),
};

const policy: ResourceSpec = {
  provider: 'aws',
  type: 'aws.iam.policy',
  global: true,
  nameKey: 'PolicyName',
  keys: ['id', 'arn', 'name'],
  refs: { policy: 'PolicyDocument' },
  translate: (v) => ({
    PolicyName: str(v.name),
    PolicyId: str(v.policy_id),
    Arn: str(v.arn),
    Path: str(v.path) ?? '/',
    Description: str(v.description),
    PolicyDocument: jsonDocument(v.policy),
    AttachmentCount: ifKnown(num(v.attachment_count)),
    IsAttachable: true,
  }),
};

const instanceProfile: ResourceSpec = {
  provider: 'aws',
  type: 'aws.iam.instance-profile',
  global: true,
  nameKey: 'InstanceProfileName',
  keys: ['id', 'name', 'arn', 'unique_id'],
  identity: { id: 'name' },
  refs: { role: 'Roles' },
  translate: (v) => {
    const roleName = str(v.role);
    return {
      InstanceProfileName: str(v.name),
      InstanceProfileId: str(v.unique_id),
      Arn: str(v.arn),
      Path: str(v.path) ?? '/',
      Roles: roleName === undefined ? [] : isMarker(roleName) ? roleName : [{ RoleName: roleName }],
    };
  },
};

/** The access key's secret (and its SES SMTP password) is never read. */
function accessKeyEntry(v: Values): Record<string, unknown> {
  return {
    AccessKeyId: str(v.id),
    UserName: str(v.user),
    Status: str(v.status) ?? 'Active',
    CreateDate: str(v.create_date),
  };
}

const accessKey: ResourceSpec = {
  provider: 'aws',
  type: 'aws.iam.access-key',
  global: true,
  nameKey: 'AccessKeyId',
  refs: { user: 'UserName' },
  translate: accessKeyEntry,
};

type Principal = 'role' | 'user' | 'group';
const PRINCIPAL_TYPE: Record<Principal, string> = {
  role: 'aws_iam_role',
  user: 'aws_iam_user',
  group: 'aws_iam_group',
};
const INLINE_KEY: Record<Principal, string> = {
  role: 'RolePolicyList',
  user: 'UserPolicyList',
  group: 'GroupPolicyList',
};

function attach(parent: Resource, arn: unknown): void {
  pushUnique(parent.config, 'AttachedManagedPolicies', [managedPolicy(arn)]);
}

function attachmentJoin(kind: Principal, via: string = kind, many = false): JoinSpec {
  return {
    parents: [PRINCIPAL_TYPE[kind]],
    via,
    many,
    refAttr: 'AttachedManagedPolicies',
    apply: (parent, v) => attach(parent, v.policy_arn),
  };
}

function inlineJoin(kind: Principal): JoinSpec {
  return {
    parents: [PRINCIPAL_TYPE[kind]],
    via: kind,
    refAttr: INLINE_KEY[kind],
    apply: (parent, v) =>
      pushUnique(parent.config, INLINE_KEY[kind], [
        { PolicyName: str(v.name), PolicyDocument: jsonDocument(v.policy) },
      ]),
  };
}

export const IAM_TYPES: TypeTable = {
  aws_iam_role: { resource: role, readBack: ['inline_policy', 'managed_policy_arns'] },
  aws_iam_user: { resource: user },
  aws_iam_group: { resource: group },
  aws_iam_policy: { resource: policy },
  aws_iam_instance_profile: { resource: instanceProfile, names: ['role'] },
  aws_iam_access_key: {
    resource: accessKey,
    names: ['user'],
    joins: [
      {
        parents: ['aws_iam_user'],
        via: 'user',
        refAttr: 'AccessKeys',
        apply: (parent, v) => {
          const entry = accessKeyEntry(v);
          delete entry.UserName;
          // A key created by this plan has no id yet; that it exists is what counts.
          entry.AccessKeyId = ifKnown(entry.AccessKeyId);
          pushUnique(parent.config, 'AccessKeys', [entry]);
        },
      },
    ],
  },
  aws_iam_role_policy_attachment: { joins: [attachmentJoin('role')], names: ['role'] },
  aws_iam_user_policy_attachment: { joins: [attachmentJoin('user')], names: ['user'] },
  aws_iam_group_policy_attachment: { joins: [attachmentJoin('group')], names: ['group'] },
  aws_iam_policy_attachment: {
    joins: [
      attachmentJoin('role', 'roles', true),
      attachmentJoin('user', 'users', true),
      attachmentJoin('group', 'groups', true),
    ],
  },
  aws_iam_role_policy: { joins: [inlineJoin('role')], names: ['role'] },
  aws_iam_user_policy: { joins: [inlineJoin('user')], names: ['user'] },
  aws_iam_group_policy: { joins: [inlineJoin('group')], names: ['group'] },
  aws_iam_user_group_membership: {
    names: ['user'],
    joins: [
      {
        parents: ['aws_iam_user'],
        via: 'user',
        refAttr: 'GroupList',
        apply: (parent, v) => {
          const groups = strList(v.groups);
          pushUnique(parent.config, 'GroupList', isMarker(groups) ? [groups] : groups);
        },
      },
    ],
  },
  aws_iam_group_membership: {
    joins: [
      {
        parents: ['aws_iam_user'],
        via: 'users',
        many: true,
        refAttr: 'GroupList',
        apply: (parent, v) => pushUnique(parent.config, 'GroupList', [str(v.group)]),
      },
    ],
  },
};
