import { UNKNOWN } from '../../model/unknown.js';
import { InputError } from '../../util/errors.js';
import { isObj } from '../../util/narrow.js';
import type { Pos, Positions } from './positions.js';

export interface CfnParameter {
  name: string;
  type: string;
  /** A string, a list of strings (list types), or UNKNOWN (no value, SSM-backed or NoEcho). */
  value: unknown;
}

export interface CfnResourceEntry {
  logicalId: string;
  type: string;
  /** Properties as written (intrinsics not yet resolved); `{}` when omitted. */
  properties: unknown;
  condition?: string;
  metadata: unknown;
  pos?: Pos;
}

export interface TemplateModel {
  parameters: Map<string, CfnParameter>;
  mappings: Record<string, unknown>;
  conditions: Record<string, unknown>;
  resources: CfnResourceEntry[];
  /** Logical id → CloudFormation type, for Ref/GetAtt targets. */
  resourceTypes: Map<string, string>;
}

/** Keys of `Resources` that are LanguageExtensions loops, not resources. */
export const FOR_EACH_PREFIX = 'Fn::ForEach::';

// The adapter's name for the shared object test.
export const isRecord = isObj;

/** Checks the template's sections and reads parameters (with overrides) and resource entries. */
export function readTemplateModel(
  root: unknown,
  positions: Positions,
  file: string,
  overrides: Record<string, string>,
): TemplateModel {
  const fail = (message: string, pos?: Pos): never => {
    throw new InputError(message, file, pos?.line, pos?.column);
  };
  if (!isRecord(root))
    fail('not a CloudFormation template: the document is not a mapping', positions.of(root));
  const template = root as Record<string, unknown>;
  const resources = template.Resources;
  if (!isRecord(resources) || Object.keys(resources).length === 0) {
    fail(
      'not a CloudFormation template: expected a non-empty `Resources` mapping',
      positions.keyOf(template, 'Resources') ?? positions.of(template),
    );
  }
  const model: TemplateModel = {
    parameters: readParameters(template.Parameters, positions, fail, overrides),
    mappings: optionalSection(template, 'Mappings', positions, fail),
    conditions: optionalSection(template, 'Conditions', positions, fail),
    resources: [],
    resourceTypes: new Map(),
  };
  for (const [logicalId, entry] of Object.entries(resources as Record<string, unknown>)) {
    const pos = positions.keyOf(resources, logicalId);
    if (logicalId.startsWith(FOR_EACH_PREFIX)) {
      model.resources.push({ logicalId, type: 'Fn::ForEach', properties: {}, metadata: undefined, pos });
      continue;
    }
    if (!isRecord(entry)) fail(`resource ${logicalId}: expected a mapping with a Type`, pos);
    const resource = entry as Record<string, unknown>;
    const type = resource.Type;
    if (typeof type !== 'string' || type === '') {
      fail(`resource ${logicalId}: missing or non-string Type`, positions.keyOf(resource, 'Type') ?? pos);
    }
    const condition = resource.Condition;
    if (condition !== undefined && typeof condition !== 'string') {
      fail(
        `resource ${logicalId}: Condition must be a condition name`,
        positions.keyOf(resource, 'Condition'),
      );
    }
    if (typeof condition === 'string' && !(condition in model.conditions)) {
      fail(`resource ${logicalId}: unknown condition ${condition}`, positions.keyOf(resource, 'Condition'));
    }
    const properties =
      resource.Properties === undefined || resource.Properties === null ? {} : resource.Properties;
    model.resources.push({
      logicalId,
      type: type as string,
      properties,
      condition: condition as string | undefined,
      metadata: resource.Metadata,
      pos,
    });
    model.resourceTypes.set(logicalId, type as string);
  }
  return model;
}

function optionalSection(
  template: Record<string, unknown>,
  name: string,
  positions: Positions,
  fail: (message: string, pos?: Pos) => never,
): Record<string, unknown> {
  const section = template[name];
  if (section === undefined || section === null) return {};
  if (!isRecord(section)) return fail(`\`${name}\` must be a mapping`, positions.keyOf(template, name));
  return section;
}

function readParameters(
  section: unknown,
  positions: Positions,
  fail: (message: string, pos?: Pos) => never,
  overrides: Record<string, string>,
): Map<string, CfnParameter> {
  const out = new Map<string, CfnParameter>();
  if (section === undefined || section === null) return out;
  if (!isRecord(section)) return fail('`Parameters` must be a mapping', positions.of(section));
  for (const [name, spec] of Object.entries(section)) {
    const pos = positions.keyOf(section, name);
    if (!isRecord(spec) || typeof spec.Type !== 'string') {
      return fail(`parameter ${name}: expected a mapping with a string Type`, pos);
    }
    const type = spec.Type;
    const allowed = Array.isArray(spec.AllowedValues) ? spec.AllowedValues.map(String) : undefined;
    const given = Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    if (given !== undefined && allowed && !allowed.includes(given)) {
      fail(`parameter ${name}: value is not one of AllowedValues (${allowed.join(', ')})`, pos);
    }
    const raw = given ?? spec.Default;
    out.set(name, { name, type, value: parameterValue(type, raw, isTrue(spec.NoEcho)) });
  }
  return out;
}

function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/**
 * What `Ref` to a parameter yields. SSM-backed types are looked up at deploy time, and NoEcho values
 * are secrets: both stay UNKNOWN so nothing downstream can copy them.
 */
function parameterValue(type: string, raw: unknown, noEcho: boolean): unknown {
  if (noEcho || raw === undefined || raw === null || type.startsWith('AWS::SSM::Parameter::')) return UNKNOWN;
  const isList = type === 'CommaDelimitedList' || type.startsWith('List<');
  if (Array.isArray(raw)) return raw.map((item) => String(item));
  if (typeof raw === 'object') return UNKNOWN;
  const text = String(raw);
  if (!isList) return text;
  return text === '' ? [] : text.split(',').map((item) => item.trim());
}
