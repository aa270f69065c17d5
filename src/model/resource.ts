/**
 * The one resource shape every source produces and every policy reads (docs/DESIGN.md §2).
 * `config` holds the cloud API's native field names so one policy fires on IaC and live data alike.
 */
export type Provider = 'aws' | 'azure' | 'gcp' | 'openstack';

export type SourceKind =
  | 'live'
  | 'terraform-plan'
  | 'terraform-state'
  | 'terraform-hcl'
  | 'cloudformation'
  | 'snapshot'
  | 'event';

export interface SourceRef {
  kind: SourceKind;
  file?: string;
  line?: number;
  /** Terraform address or CloudFormation logical id. */
  address?: string;
  collectedAt?: string;
}

export interface ResourceError {
  path: string;
  code: string;
  message: string;
}

/** An inline suppression written next to the resource in its source file. */
export interface InlineSkip {
  policy: string;
  reason: string;
}

/**
 * A reference from one resource's attribute to another resource, as declared in IaC
 * (plan `configuration` references, HCL traversals, CloudFormation Ref/GetAtt). Live sources
 * leave this empty: there the graph follows IDs.
 */
export interface ResourceRef {
  /** Attribute of this resource that holds the reference, in the source's own naming (e.g. `bucket`). */
  attribute: string;
  /** Address / logical id of the referenced resource. */
  target: string;
}

export interface Resource {
  id: string;
  provider: Provider;
  type: string;
  account: string;
  region: string;
  name: string;
  tags: Record<string, string>;
  config: Record<string, unknown>;
  source: SourceRef;
  /** Config paths (dotted, native names) whose values are known only after apply. */
  unknown?: string[];
  /** Config paths that could not be read (denied or failed calls). */
  errors?: ResourceError[];
  /** Suppressions written inline in the source (`# warden:skip=…`, `Metadata.warden.skip`). */
  skips?: InlineSkip[];
  /** IaC references to other resources, used to join sub-resources and to build the graph. */
  refs?: ResourceRef[];
}

/** What a source hands to the engine: the resources plus what it could not translate. */
export interface Inventory {
  resources: Resource[];
  /** IaC or API types seen but not modelled, with how many of each. Never a crash. */
  unsupported: Record<string, number>;
  /** Files read, for the summary and for SARIF artifact lists. */
  inputs: string[];
}

export function emptyInventory(): Inventory {
  return { resources: [], unsupported: {}, inputs: [] };
}

export function mergeInventories(parts: Inventory[]): Inventory {
  const out = emptyInventory();
  for (const part of parts) {
    out.resources.push(...part.resources);
    out.inputs.push(...part.inputs);
    for (const [type, count] of Object.entries(part.unsupported)) {
      out.unsupported[type] = (out.unsupported[type] ?? 0) + count;
    }
  }
  return out;
}
