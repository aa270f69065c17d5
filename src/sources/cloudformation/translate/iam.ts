import { isUnknown, UNKNOWN } from '../../../model/unknown.js';
import {
  appendTo,
  type Draft,
  type DraftIndex,
  inheritRefs,
  type JoinSpec,
  parentsOf,
  type TypeSpec,
} from '../draft.js';
import { orDefault, type Props } from '../props.js';
import {
  attachedManagedPolicies,
  inlinePolicies,
  orGenerated,
  permissionsBoundary,
  stringList,
  wrapStrings,
} from './common.js';

const MANAGED_POLICY_REFS = { ManagedPolicyArns: 'AttachedManagedPolicies' };

export const role: TypeSpec = {
  type: 'aws.iam.role',
  nameKey: 'RoleName',
  refAttributes: { ...MANAGED_POLICY_REFS, Policies: 'RolePolicyList' },
  translate(props) {
    const trust = props.policyDocument(
      props.raw('AssumeRolePolicyDocument'),
      'AssumeRolePolicyDocument',
      'AssumeRolePolicyDocument',
    );
    return {
      RoleName: orGenerated(props.str('RoleName')),
      RoleId: UNKNOWN,
      Arn: UNKNOWN,
      Path: orDefault(props.str('Path'), '/'),
      Description: props.str('Description'),
      MaxSessionDuration: orDefault(props.num('MaxSessionDuration'), 3600),
      AssumeRolePolicyDocument: trust,
      AttachedManagedPolicies: attachedManagedPolicies(props),
      RolePolicyList: inlinePolicies(props) ?? [],
      InstanceProfileList: [],
      PermissionsBoundary: permissionsBoundary(props),
    };
  },
};

export const user: TypeSpec = {
  type: 'aws.iam.user',
  nameKey: 'UserName',
  refAttributes: { ...MANAGED_POLICY_REFS, Policies: 'UserPolicyList', Groups: 'GroupList' },
  translate(props) {
    const login = props.obj('LoginProfile');
    return {
      UserName: orGenerated(props.str('UserName')),
      UserId: UNKNOWN,
      Arn: UNKNOWN,
      Path: orDefault(props.str('Path'), '/'),
      AttachedManagedPolicies: attachedManagedPolicies(props),
      UserPolicyList: inlinePolicies(props) ?? [],
      GroupList: stringList(props, 'Groups') ?? [],
      // The password is a secret and is never read; only the profile's existence matters.
      LoginProfile: login === undefined ? undefined : isUnknown(login) ? UNKNOWN : { CreateDate: UNKNOWN },
      AccessKeys: [],
      PermissionsBoundary: permissionsBoundary(props),
    };
  },
};

export const group: TypeSpec = {
  type: 'aws.iam.group',
  nameKey: 'GroupName',
  refAttributes: { ...MANAGED_POLICY_REFS, Policies: 'GroupPolicyList' },
  translate(props) {
    return {
      GroupName: orGenerated(props.str('GroupName')),
      Arn: UNKNOWN,
      Path: orDefault(props.str('Path'), '/'),
      AttachedManagedPolicies: attachedManagedPolicies(props),
      GroupPolicyList: inlinePolicies(props) ?? [],
    };
  },
};

export const instanceProfile: TypeSpec = {
  type: 'aws.iam.instance-profile',
  nameKey: 'InstanceProfileName',
  translate(props) {
    return {
      InstanceProfileName: orGenerated(props.str('InstanceProfileName')),
      Arn: UNKNOWN,
      Path: orDefault(props.str('Path'), '/'),
      Roles: wrapStrings(stringList(props, 'Roles'), (RoleName) => ({ RoleName })) ?? [],
    };
  },
};

export const managedPolicy: TypeSpec = {
  type: 'aws.iam.policy',
  nameKey: 'PolicyName',
  refAttributes: { Roles: 'Roles', Users: 'Users', Groups: 'Groups' },
  translate(props) {
    return {
      PolicyName: orGenerated(props.str('ManagedPolicyName')),
      Arn: UNKNOWN,
      Path: orDefault(props.str('Path'), '/'),
      Description: props.str('Description'),
      PolicyDocument: props.policyDocument(props.raw('PolicyDocument'), 'PolicyDocument', 'PolicyDocument'),
      IsAttachable: true,
    };
  },
};

/** Where a policy attaches: property naming the principals, their type, name key and list keys. */
const PRINCIPALS = [
  { key: 'Roles', type: role.type, nameKey: 'RoleName', inline: 'RolePolicyList' },
  { key: 'Users', type: user.type, nameKey: 'UserName', inline: 'UserPolicyList' },
  { key: 'Groups', type: group.type, nameKey: 'GroupName', inline: 'GroupPolicyList' },
] as const;

/** AWS::IAM::ManagedPolicy with Roles/Users/Groups → their `AttachedManagedPolicies`. */
export const managedPolicyAttachments: JoinSpec = (props: Props, index: DraftIndex) => {
  let joined = 0;
  for (const principal of PRINCIPALS) {
    for (const parent of parentsOf(props, index, principal.key, principal.type, principal.nameKey)) {
      appendTo(parent, 'AttachedManagedPolicies', {
        PolicyName: orGenerated(props.str('ManagedPolicyName')),
        PolicyArn: UNKNOWN,
        PolicyDocument: props.policyDocument(props.raw('PolicyDocument'), 'PolicyDocument', 'PolicyDocument'),
      });
      parent.refs.push({ attribute: 'AttachedManagedPolicies', target: props.logicalId });
      joined++;
    }
  }
  return joined;
};

function inlineEntry(props: Props): Record<string, unknown> {
  return {
    PolicyName: props.str('PolicyName'),
    PolicyDocument: props.policyDocument(props.raw('PolicyDocument'), 'PolicyDocument', 'PolicyDocument'),
  };
}

function joinInline(parents: Draft[], listKey: string, props: Props): number {
  for (const parent of parents) {
    appendTo(parent, listKey, inlineEntry(props));
    inheritRefs(
      parent,
      props,
      listKey,
      props.targetsOf('Roles').concat(props.targetsOf('Users'), props.targetsOf('Groups')),
    );
  }
  return parents.length;
}

/** AWS::IAM::Policy → the inline policy lists of its Roles, Users and Groups. */
export const inlinePolicy: JoinSpec = (props: Props, index: DraftIndex) => {
  let joined = 0;
  for (const principal of PRINCIPALS) {
    const parents = parentsOf(props, index, principal.key, principal.type, principal.nameKey);
    joined += joinInline(parents, principal.inline, props);
  }
  return joined;
};

/** AWS::IAM::RolePolicy / UserPolicy / GroupPolicy: one inline policy on one principal. */
function singleInline(which: 0 | 1 | 2, nameProperty: string): JoinSpec {
  const principal = PRINCIPALS[which];
  return (props, index) =>
    joinInline(
      parentsOf(props, index, nameProperty, principal.type, principal.nameKey),
      principal.inline,
      props,
    );
}

export const rolePolicy = singleInline(0, 'RoleName');
export const userPolicy = singleInline(1, 'UserName');
export const groupPolicy = singleInline(2, 'GroupName');

export const accessKey: TypeSpec = {
  type: 'aws.iam.access-key',
  translate(props) {
    // The secret (GetAtt SecretAccessKey) is never read.
    return {
      AccessKeyId: UNKNOWN,
      UserName: props.str('UserName'),
      Status: orDefault(props.str('Status'), 'Active'),
      CreateDate: UNKNOWN,
    };
  },
};

/** AWS::IAM::AccessKey → also the user's `AccessKeys`. */
export const accessKeyToUser: JoinSpec = (props: Props, index: DraftIndex) => {
  const parents = parentsOf(props, index, 'UserName', user.type, 'UserName');
  for (const parent of parents) {
    appendTo(parent, 'AccessKeys', {
      AccessKeyId: UNKNOWN,
      Status: orDefault(props.str('Status'), 'Active'),
      CreateDate: UNKNOWN,
    });
    parent.refs.push({ attribute: 'AccessKeys', target: props.logicalId });
  }
  return parents.length;
};

/** AWS::IAM::UserToGroupAddition → each user's `GroupList`. */
export const userToGroupAddition: JoinSpec = (props: Props, index: DraftIndex) => {
  const parents = parentsOf(props, index, 'Users', user.type, 'UserName');
  for (const parent of parents) {
    appendTo(parent, 'GroupList', props.str('GroupName') ?? UNKNOWN);
    for (const target of props.targetsOf('GroupName')) parent.refs.push({ attribute: 'GroupList', target });
  }
  return parents.length;
};
