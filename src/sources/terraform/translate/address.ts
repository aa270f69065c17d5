/**
 * Terraform address syntax: `module.a["k"].module.b[0].aws_subnet.edge[1]`. Instance keys are numbers
 * or quoted strings that may themselves contain dots and brackets, so addresses are tokenised, never
 * split on '.'.
 */
const INDEX = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;
const TRAILING_INDEX = new RegExp(`${INDEX}$`);
const MODULE_STEP = new RegExp(String.raw`^module\.([A-Za-z0-9_-]+)(${INDEX})?\.?`);
/** `type.name[index]` at the start of a reference; the type must look like a resource type. */
const RESOURCE_REF = new RegExp(
  String.raw`^([a-z][a-z0-9]*_[A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_-]*)(${INDEX})?`,
);

/** Names that start references to things that are not managed resources. */
const NOT_RESOURCES = new Set([
  'var',
  'local',
  'count',
  'each',
  'path',
  'terraform',
  'self',
  'module',
  'data',
]);

/** The address without its own instance key: `aws_subnet.edge[1]` → `aws_subnet.edge`. */
export function blockAddress(address: string): string {
  return address.replace(TRAILING_INDEX, '');
}

/** `module.a["k"].module.b[0]` → `module.a.module.b`: the configuration path of a module instance. */
export function moduleConfigPath(moduleAddress: string): string {
  const names: string[] = [];
  let rest = moduleAddress;
  while (rest.length > 0) {
    const m = MODULE_STEP.exec(rest);
    if (!m) break;
    names.push(`module.${m[1]}`);
    rest = rest.slice(m[0].length);
  }
  return names.join('.');
}

/**
 * The resource a reference inside a module points at, without the attribute:
 * `aws_s3_bucket.trail.id` → `aws_s3_bucket.trail`, `aws_subnet.edge[1].id` → `aws_subnet.edge[1]`.
 * Undefined for variables, locals, data sources, module outputs and the like.
 */
export function referencedResource(reference: string): { target: string; attribute?: string } | undefined {
  const head = reference.split('.', 1)[0] ?? '';
  if (NOT_RESOURCES.has(head)) return undefined;
  const m = RESOURCE_REF.exec(reference);
  if (!m) return undefined;
  const rest = reference.slice(m[0].length);
  const attribute = rest.startsWith('.') ? rest.slice(1).split(/[.[]/, 1)[0] : undefined;
  return attribute ? { target: m[0], attribute } : { target: m[0] };
}

/**
 * The resources one expression references. Terraform lists each reference at every depth
 * (`aws_subnet.edge[1].id`, `aws_subnet.edge[1]`, `aws_subnet.edge`); the block address is dropped
 * when an instance of the same block is named, so a ref points at what was written.
 */
export function expressionTargets(references: readonly string[]): string[] {
  const targets = new Set<string>();
  for (const ref of references) {
    const parsed = referencedResource(ref);
    if (parsed) targets.add(parsed.target);
  }
  const instancesOf = new Set([...targets].filter((t) => TRAILING_INDEX.test(t)).map(blockAddress));
  return [...targets].filter((t) => TRAILING_INDEX.test(t) || !instancesOf.has(t));
}

/** Prefixes a module-relative address with the module instance it lives in. */
export function inModule(moduleAddress: string, address: string): string {
  return moduleAddress ? `${moduleAddress}.${address}` : address;
}
