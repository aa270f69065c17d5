import type { Generated } from 'kysely';

/**
 * The store's tables (docs/DESIGN.md §5). Portable across SQLite and PostgreSQL: times are ISO-8601
 * UTC text (they sort as strings), JSON is text, booleans are 0/1 integers.
 */
export interface AccountsTable {
  id: string;
  provider: string;
  first_seen: string;
  last_seen: string;
}

/**
 * `complete`: a scan written in one go. `watch`: a watch session's view — its initial snapshot in
 * `scan_resources`, the later re-reads in `resource_changes`, results and summary kept current.
 */
export type ScanStatus = 'complete' | 'watch';

export interface ScansTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string;
  status: ScanStatus;
  /** JSON array of the inputs (files, accounts) the scan read. */
  inputs: string;
  /** sha256 of the sorted inputs: findings of a scope resolve when their resource leaves it. */
  scope: string;
  /** JSON object operation → count (live sources); `{}` for IaC. */
  api_calls: string;
  resource_count: number;
  /** JSON StatusCounts. */
  summary: string;
}

export interface ResourceVersionsTable {
  /** sha256 of the canonical JSON of `body`. */
  hash: string;
  resource_id: string;
  type: string;
  account: string;
  region: string;
  name: string;
  /** Canonical JSON of the resource (without the collection time). */
  body: string;
  created_at: string;
}

export interface ScanResourcesTable {
  scan_id: number;
  resource_id: string;
  hash: string;
}

export interface ResultsTable {
  scan_id: number;
  fingerprint: string;
  policy: string;
  resource_id: string;
  status: string;
  severity: string;
  message: string;
  evidence: string;
  reason: string | null;
  /** JSON list of the ids along a graph finding's path (the resource first); NULL otherwise. */
  path: string | null;
}

export type FindingStatus = 'open' | 'resolved' | 'reopened';
export const FINDING_STATUSES: readonly FindingStatus[] = ['open', 'resolved', 'reopened'];

export interface FindingsTable {
  /** src/store/identity.ts: the fingerprint, or policy + natural key when the resource has one. */
  identity: string;
  /** The engine's fingerprint of the latest failing result. */
  fingerprint: string;
  policy: string;
  resource_id: string;
  resource_type: string;
  resource_name: string;
  account: string;
  region: string;
  severity: string;
  status: FindingStatus;
  message: string;
  /** JSON {Key: Value} of the resource when last seen failing. */
  tags: string;
  scope: string;
  first_seen: string;
  last_seen: string;
  resolved_at: string | null;
  /** The last scan that evaluated this (policy, resource), whatever the verdict. */
  last_scan_id: number;
  /** JSON list of ids along the latest failing result's path; NULL for single-resource findings. */
  path: string | null;
  /** When the current open episode began (opened or reopened); NULL on rows older than migration 0004. */
  opened_at: string | null;
}

export interface BaselinesTable {
  id: Generated<number>;
  name: string;
  version: number;
  created_at: string;
  created_by: string;
  from_scan_id: number | null;
  resource_count: number;
}

export interface BaselineResourcesTable {
  baseline_id: number;
  resource_id: string;
  hash: string;
}

export interface DriftRunsTable {
  id: Generated<number>;
  baseline_id: number;
  at: string;
  added: number;
  removed: number;
  changed: number;
  /** 'report' (no enforcement asked), 'dry-run', 'applied' or 'paused'. */
  enforcement: string;
  /** JSON drift report. */
  report: string;
}

export interface EnforcementTable {
  scope: string;
  paused: number;
  reason: string | null;
  until: string | null;
  by: string | null;
  updated_at: string;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  dedup_key: string;
  payload: string;
  attempts: number;
  next_attempt_at: string;
  sent_at: string | null;
  last_error: string | null;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  who: string;
  action: string;
  resource: string;
  calls: string;
  result: string;
  at: string;
}

export interface SuppressionsTable {
  id: Generated<number>;
  /** What it matches: a result fingerprint, a (policy, resource id or name) pair, or a tag (with or without a policy). */
  fingerprint: string | null;
  policy: string | null;
  resource: string | null;
  tag_key: string | null;
  tag_value: string | null;
  reason: string;
  owner: string | null;
  /** ISO time after which the suppression no longer applies; null = until removed. */
  expires: string | null;
  created_at: string;
  created_by: string;
  /** When the expiry was noticed (and its notification queued). */
  expired_at: string | null;
}

export type ApprovalStatus = 'pending' | 'accepted' | 'rejected' | 'failed';

export interface ApprovalsTable {
  id: Generated<number>;
  policy: string;
  resource: string;
  /** JSON RemediationStep[]: the exact calls (or pipeline trigger) the approver accepts. */
  steps: string;
  status: ApprovalStatus;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  result: string | null;
}

/** One resource re-read by a watch scan after its snapshot: its new version, or NULL when it is gone. */
export interface ResourceChangesTable {
  id: Generated<number>;
  scan_id: number;
  resource_id: string;
  hash: string | null;
  at: string;
}

/** What an event detector remembers across restarts, e.g. `guardduty:<finding id>` → its last revision. */
export interface DetectorStateTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

export interface Database {
  accounts: AccountsTable;
  scans: ScansTable;
  resource_versions: ResourceVersionsTable;
  scan_resources: ScanResourcesTable;
  results: ResultsTable;
  findings: FindingsTable;
  baselines: BaselinesTable;
  baseline_resources: BaselineResourcesTable;
  drift_runs: DriftRunsTable;
  enforcement: EnforcementTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  suppressions: SuppressionsTable;
  approvals: ApprovalsTable;
  resource_changes: ResourceChangesTable;
  detector_state: DetectorStateTable;
}
