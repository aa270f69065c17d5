import { isUnknown, UNKNOWN, type Unknown } from '../../../model/unknown.js';
import type { Maybe, Props } from '../props.js';
import { isRecord } from '../template.js';

/** `[{Key, Value}]` from CloudFormation's list form, or from the mapping form a few types use. */
export function tagList(props: Props): Maybe<{ Key: unknown; Value: unknown }[]> {
  const raw = props.raw('Tags');
  if (raw === undefined || raw === null) return [];
  if (isUnknown(raw)) return UNKNOWN;
  if (isRecord(raw)) {
    return Object.entries(raw).map(([Key, Value]) => ({
      Key,
      Value: props.toStr(Value, `Tags.${Key}`, 'Tags'),
    }));
  }
  const list = props.toList(raw, 'Tags', 'Tags') ?? [];
  if (isUnknown(list)) return UNKNOWN;
  return list.map((item, i) => {
    const tag = props.toObj(item, `Tags[${i}]`, 'Tags');
    if (tag === undefined || isUnknown(tag)) return { Key: UNKNOWN, Value: UNKNOWN };
    return {
      Key: props.toStr(tag.Key, `Tags[${i}].Key`, 'Tags'),
      Value: props.toStr(tag.Value, `Tags[${i}].Value`, 'Tags') ?? '',
    };
  });
}

/** A list of strings; an unknown item stays UNKNOWN in place. */
export function stringList(props: Props, key: string): Maybe<(string | Unknown)[]> {
  return stringsOf(props, props.raw(key), key, key);
}

export function stringsOf(
  props: Props,
  value: unknown,
  label: string,
  key?: string,
): Maybe<(string | Unknown)[]> {
  const list = props.toList(value, label, key);
  if (list === undefined || isUnknown(list)) return list;
  return list.map((item, i) => props.toStr(item, `${label}[${i}]`, key) ?? UNKNOWN);
}

/** Maps each item of a possibly-unknown list; unknown lists and unknown items stay UNKNOWN. */
export function mapList<T, R>(
  list: Maybe<(T | Unknown)[]>,
  fn: (item: T, index: number) => R,
): Maybe<(R | Unknown)[]> {
  if (list === undefined || isUnknown(list)) return list;
  return list.map((item, i) => (isUnknown(item) ? UNKNOWN : fn(item as T, i)));
}

/**
 * Wraps each string of a list in an object (`sg-1` → `{VpcSecurityGroupId: 'sg-1'}`). An unknown item
 * becomes an object whose field is unknown, so the list's length and other fields stay known.
 */
export function wrapStrings(
  list: Maybe<(string | Unknown)[]>,
  wrap: (item: string | Unknown) => unknown,
): Maybe<unknown[]> {
  if (list === undefined || isUnknown(list)) return list;
  return list.map(wrap);
}

/** `Policies: [{PolicyName, PolicyDocument}]` of roles, users and groups. */
export function inlinePolicies(props: Props, key = 'Policies'): Maybe<unknown[]> {
  return mapList(props.objects(key), (policy, i) => ({
    PolicyName: props.toStr(policy.PolicyName, `${key}[${i}].PolicyName`, key),
    PolicyDocument: props.policyDocument(policy.PolicyDocument, `${key}[${i}].PolicyDocument`, key),
  }));
}

/**
 * `ManagedPolicyArns` as `AttachedManagedPolicies`. A Ref to a managed policy in the template gives an
 * entry with unknown name and ARN; the link pass fills in what the template declares.
 */
export function attachedManagedPolicies(props: Props): Maybe<unknown[]> {
  const arns = stringList(props, 'ManagedPolicyArns');
  if (arns === undefined) return [];
  if (isUnknown(arns)) return UNKNOWN;
  return arns.map((arn) =>
    isUnknown(arn)
      ? { PolicyName: UNKNOWN, PolicyArn: UNKNOWN }
      : { PolicyName: arn.split('/').at(-1), PolicyArn: arn },
  );
}

/** `PermissionsBoundary` ARN in the API's object form. */
export function permissionsBoundary(props: Props): unknown {
  const arn = props.str('PermissionsBoundary');
  return arn === undefined ? undefined : { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: arn };
}

/** The value when written, else UNKNOWN: for names CloudFormation generates at deploy time. */
export function orGenerated(value: Maybe<string>): string | Unknown {
  return value ?? UNKNOWN;
}
