import type { InlineSkip, ResourceRef, SourceKind } from '../../model/resource.js';

/**
 * One Terraform resource instance as read from a plan, a state or HCL, before translation into the
 * native resource model. Plan, state and HCL readers all produce this; the translators consume it.
 */
export interface TfResource {
  kind: Extract<SourceKind, 'terraform-plan' | 'terraform-state' | 'terraform-hcl'>;
  /** Full address with module path and index: `module.net.aws_subnet.edge[0]`. */
  address: string;
  /** Module path: '' for root, `module.net`, `module.net.module.inner`. */
  module: string;
  /** Terraform resource type, e.g. `aws_s3_bucket`. */
  type: string;
  /** Block name, e.g. `edge`. */
  name: string;
  /** `count` index or `for_each` key, when the block has one. */
  index?: number | string;
  /**
   * Attribute values with Terraform's own names (snake_case, nested blocks as lists of objects).
   * A value known only after apply is the `UNKNOWN` marker (src/model/unknown.ts).
   */
  values: Record<string, unknown>;
  /** Attribute paths (dotted) Terraform marks sensitive. Their values must never be printed. */
  sensitive: string[];
  /** References from this resource's attributes to other resources (addresses without attribute). */
  refs: ResourceRef[];
  /** Provider-level region when known (plan/HCL provider block), else ''. */
  region: string;
  file?: string;
  line?: number;
  skips: InlineSkip[];
}
