import type { CollectionTag, ScalarTag } from 'yaml';

/** CloudFormation's YAML short forms; each may be written on a scalar, a sequence or a mapping. */
export const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'FindInMap',
  'Base64',
  'Cidr',
  'GetAZs',
  'ImportValue',
  'Transform',
  'Length',
  'ToJsonString',
] as const;

/** The long (JSON) form key a short tag stands for: `!Ref` → `Ref`, `!Sub` → `Fn::Sub`. */
export function longFormOf(tag: string): string | undefined {
  if (!tag.startsWith('!') || tag.startsWith('!!')) return undefined;
  const name = tag.slice(1);
  if (name === 'Ref' || name === 'Condition') return name;
  return /^[A-Za-z][A-Za-z0-9]*$/.test(name) ? `Fn::${name}` : undefined;
}

/*
 * The tags resolve to the node itself: the parser keeps `node.tag`, and the template converter turns
 * tagged nodes into the long form with the node's position. Registering them keeps the YAML parser
 * from warning about unknown tags.
 */
export const CFN_YAML_TAGS: (ScalarTag | CollectionTag)[] = SHORT_FORMS.flatMap((name) => {
  const tag = `!${name}`;
  const scalar: ScalarTag = { tag, resolve: (value: string) => value };
  const seq: CollectionTag = { tag, collection: 'seq', resolve: (node) => node };
  const map: CollectionTag = { tag, collection: 'map', resolve: (node) => node };
  return [scalar, seq, map];
});
