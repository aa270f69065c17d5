import type { Provider, Resource } from '../../../model/resource.js';
import type { TfResource } from '../ir.js';
import type { Values } from './values.js';

export interface TranslateContext {
  address: string;
  /** The resource's region as far as known ('' when not). */
  region: string;
  tf: TfResource;
}

/** How one Terraform resource type becomes one canonical resource. */
export interface ResourceSpec {
  provider: Provider;
  /** Canonical type, e.g. `aws.s3.bucket`. */
  type: string;
  /** Pure: Terraform values (markers included) → native config (markers carried through). */
  translate(values: Values, ctx: TranslateContext): Record<string, unknown>;
  /** Config key holding the native name (bucket name, group name…), used when there is no Name tag. */
  nameKey?: string;
  /** Terraform attribute (or dotted nested attribute) → the native config key a reference fills. */
  refs?: Readonly<Record<string, string>>;
  /** Global services (IAM) have region ''. */
  global?: boolean;
  /** Terraform attributes whose values identify this resource when others name it (state joins). */
  keys?: readonly string[];
  /**
   * Attributes whose value equals a configured one (`aws_s3_bucket.id` is its `bucket`): lets a plan
   * fill a reference to a not-yet-known id from the configured name.
   */
  identity?: Readonly<Record<string, string>>;
}

export interface JoinContext {
  /** The child's Terraform resource. */
  child: TfResource;
}

/** How a sub-resource merges into its parent (docs/resource-types.md, end of the AWS section). */
export interface JoinSpec {
  /** Terraform types of possible parents. */
  parents: readonly string[];
  /** Attribute holding the parent's id/name/ARN; absent = every parent in the input (account-level). */
  via?: string;
  /** `via` holds a list of parents. */
  many?: boolean;
  /** Native config key of the parent that the child's other references fill. */
  refAttr?: string | ((values: Values) => string);
  /** Lower runs first (authoritative IAM policies before additive members). */
  priority?: number;
  apply(parent: Resource, values: Values, ctx: JoinContext): void;
}

/** A resource that copies facts from another one it names (an Azure container's storage account). */
export interface PullSpec {
  from: readonly string[];
  via: readonly string[];
  apply(self: Resource, source: Resource): void;
}

export interface TypeEntry {
  resource?: ResourceSpec;
  joins?: readonly JoinSpec[];
  pulls?: readonly PullSpec[];
  /**
   * Optional+computed attributes that read back what other resources manage (an S3 bucket's
   * `versioning`, a security group's `ingress`). A plan marks them unknown when they are not
   * configured; they are then treated as absent, so defaults and joined sub-resources apply.
   */
  readBack?: readonly string[];
  /** Attributes that name another resource by id or name; a plan may fill them from `identity`. */
  names?: readonly string[];
}

export type TypeTable = Readonly<Record<string, TypeEntry>>;
