import type { ResourceDrift } from '../drift/diff.js';
import type { Resource } from '../model/resource.js';

export type AwsService = 'ec2' | 's3' | 'kms' | 'rds' | 'iam';

/** One AWS SDK v3 call: `new <command>Command(input)` sent by the `service` client in `region`. */
export interface AwsCall {
  service: AwsService;
  command: string;
  input: Record<string, unknown>;
  region: string;
}

export interface RevertPlan {
  calls: AwsCall[];
  /** Changed paths this reverter cannot restore (e.g. a description). */
  notEnforceable: string[];
}

/** Turns the drift of one resource into the calls that restore its baseline configuration. */
export interface Reverter {
  type: string;
  plan(drift: ResourceDrift, baseline: Resource, current: Resource): RevertPlan;
}

/** `IpPermissions[+]` → `IpPermissions`, `PublicAccessBlockConfiguration.BlockPublicAcls` → `PublicAccessBlockConfiguration`. */
export function topKey(path: string): string {
  return path.split(/[.[]/, 1)[0]!;
}
