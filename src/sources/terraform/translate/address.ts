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
  const dot = reference.indexOf('.');
  if (NOT_RESOURCES.has(dot < 0 ? reference : reference.slice(0, dot))) return undefined;
  const m = RESOURCE_REF.exec(reference);
  if (!m) return undefined;
  const target = m[0];
  if (target.length === reference.length || reference.charCodeAt(target.length) !== 46 /* . */) {
    return { target };
  }
  // The attribute runs to the next '.' or '['.
  let end = target.length + 1;
  while (end < reference.length) {
    const c = reference.charCodeAt(end);
    if (c === 46 /* . */ || c === 91 /* [ */) break;
    end++;
  }
  const attribute = reference.slice(target.length + 1, end);
  return attribute ? { target, attribute } : { target };
}

/**
 * The resources one expression references. Terraform lists each reference at every depth
 * (`aws_subnet.edge[1].id`, `aws_subnet.edge[1]`, `aws_subnet.edge`); the block address is dropped
 * when an instance of the same block is named, so a ref points at what was written.
 */
export function expressionTargets(references: readonly string[]): string[] {
  return targetsOf(references, referencedResource);
}

/**
 * `expressionTargets` with the parser given (a plan caches it per reference text). Non-strings in
 * `references` are skipped. Targets come from RESOURCE_REF, so one names an instance exactly when it
 * ends with `]`, and its block address is then the target without its index.
 */
export function targetsOf(
  references: readonly unknown[],
  parse: (reference: string) => { target: string } | undefined,
): string[] {
  const targets: string[] = [];
  let instances = false;
  for (let i = 0; i < references.length; i++) {
    const ref = references[i];
    if (typeof ref !== 'string') continue;
    const target = parse(ref)?.target;
    if (target === undefined || targets.includes(target)) continue;
    targets.push(target);
    if (target.endsWith(']')) instances = true;
  }
  return instances ? withoutInstancedBlocks(targets) : targets;
}

/** Targets without the block addresses of which an instance is named too (see `expressionTargets`). */
export function withoutInstancedBlocks(targets: readonly string[]): string[] {
  const instancesOf = new Set(targets.filter((t) => t.endsWith(']')).map(blockAddress));
  return targets.filter((t) => t.endsWith(']') || !instancesOf.has(t));
}

/** Prefixes a module-relative address with the module instance it lives in. */
export function inModule(moduleAddress: string, address: string): string {
  return moduleAddress ? `${moduleAddress}.${address}` : address;
}
