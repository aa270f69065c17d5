import type { Resource } from '../../model/resource.js';

/**
 * The contract between the live AWS collection framework (client factory, credentials, retries,
 * call accounting: `src/sources/aws/*.ts`) and the per-service collectors
 * (`src/sources/aws/collectors/*.ts`). Collectors never build SDK clients or retry themselves.
 */

/** One AWS account as the scan sees it: who we are there and which regions to read. */
export interface AwsTarget {
  accountId: string;
  /** How the account was reached, for the summary (`default chain`, `assume-role arn:…`). */
  via: string;
  regions: string[];
}

/** The answer of an operation that AWS refused or that failed after retries. */
export class AwsCallError extends Error {
  constructor(
    readonly service: string,
    readonly operation: string,
    /** AWS error code (`AccessDenied`, `UnauthorizedOperation`, `NoSuchEntity`, …). */
    readonly code: string,
    message: string,
    /** The IAM action the caller lacks, for denials (`s3:GetBucketPolicy`). */
    readonly iamAction?: string,
  ) {
    super(message);
    this.name = 'AwsCallError';
  }

  /** For a failed list call: the resource type that could not be inventoried (set by the collector). */
  resourceType?: string;

  get denied(): boolean {
    return /AccessDenied|UnauthorizedOperation|AuthorizationError|AccessDeniedException|Forbidden/i.test(
      this.code,
    );
  }
}

/** Everything a collector may use for one (account, region). */
export interface CollectorContext {
  readonly account: string;
  /** The region being collected; global services are collected once with region `global`. */
  readonly region: string;
  readonly partition: string;
  readonly now: Date;
  /**
   * The SDK client for this service in this account/region, cached, with the endpoint override,
   * credentials, adaptive retry and call counting already wired in.
   */
  client<C>(ctor: new (config: Record<string, unknown>) => C, region?: string): C;
  /**
   * Runs one per-resource call under the service's concurrency limit. Bulk list/describe pages do
   * not need it; per-resource enrichment calls (GetBucketPolicy, GetKeyRotationStatus) do.
   */
  limit<T>(service: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Demand-driven enrichment: true when a loaded policy reads `path` (a plain dotted config path,
   * e.g. `Logging` or `Policy.Statement`) of resources of `type`, or when everything is collected
   * (`collect` command, snapshots, drift).
   */
  needs(type: string, path: string): boolean;
  /** Converts any thrown SDK error into an AwsCallError (service, operation, code, IAM action). */
  toCallError(err: unknown, service: string, operation: string): AwsCallError;
}

/** What one collector returns for one (account, region). */
export interface CollectorOutput {
  resources: Resource[];
  /** Whole calls that failed (a list call denied: the type could not be inventoried at all). */
  failures: AwsCallError[];
}

export interface Collector {
  /** Service name as in the summary (`ec2`, `s3`, `iam`). */
  service: string;
  /** Canonical resource types this collector produces (docs/resource-types.md). */
  types: readonly string[];
  /** `global` collectors (IAM, S3 listing, account) run once per account, not per region. */
  scope: 'regional' | 'global';
  collect(ctx: CollectorContext): Promise<CollectorOutput>;
  /**
   * Targeted re-read of resources a change event named (watch mode): the touched resources of this
   * collector's types in `ctx.region`, by id. Resources that no longer exist are simply absent.
   * `undefined` when no targeted call fits (account-wide touches, types without a by-id call): the
   * caller then falls back to `collect` filtered to the touched ids.
   */
  refresh?(ctx: CollectorContext, touched: readonly RefreshTarget[]): Promise<CollectorOutput | undefined>;
}

/** A resource to re-read: its type, and its ARN and/or native name (both absent: every one of the type). */
export interface RefreshTarget {
  type: string;
  id?: string;
  name?: string;
  /**
   * A field-scoped re-read: the event changed only these native config fields of `previous` (the
   * resource as the watch holds it). A collector that supports it re-reads just these fields and
   * returns a copy of `previous` with them replaced, identical to what a full read would build; one
   * that does not ignores both and re-reads the whole resource. Never set for creations/deletions.
   */
  scoped?: { fields: readonly string[]; previous: Resource };
}
