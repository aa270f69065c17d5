import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Dialect } from './open.js';

/**
 * The one migration set, in code (not files on disk) so the bundled binary carries it. Both dialects
 * run the same steps; only the auto-increment key differs.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations run before the typed schema exists
type Db = Kysely<any>;

function initial(dialect: Dialect): Migration {
  const serial = (t: Db, table: string) =>
    dialect === 'postgres'
      ? t.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : t.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    async up(db: Db) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .execute();
      await serial(db, 'scans')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('api_calls', 'text', (c) => c.notNull())
        .addColumn('resource_count', 'integer', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('resource_versions')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('resource_versions_resource')
        .on('resource_versions')
        .column('resource_id')
        .execute();
      await db.schema
        .createTable('scan_resources')
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().references('resource_versions.hash'))
        .addPrimaryKeyConstraint('scan_resources_pk', ['scan_id', 'resource_id'])
        .execute();
      await db.schema
        .createIndex('scan_resources_resource')
        .on('scan_resources')
        .column('resource_id')
        .execute();
      await db.schema
        .createTable('results')
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .execute();
      await db.schema.createIndex('results_scan').on('results').columns(['scan_id', 'status']).execute();
      await db.schema
        .createTable('findings')
        .addColumn('identity', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_name', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('region', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('last_scan_id', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('findings_status').on('findings').columns(['status', 'scope']).execute();
      await serial(db, 'baselines')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('from_scan_id', 'integer')
        .addColumn('resource_count', 'integer', (c) => c.notNull())
        .addUniqueConstraint('baselines_name_version', ['name', 'version'])
        .execute();
      await db.schema
        .createTable('baseline_resources')
        .addColumn('baseline_id', 'integer', (c) => c.notNull().references('baselines.id'))
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().references('resource_versions.hash'))
        .addPrimaryKeyConstraint('baseline_resources_pk', ['baseline_id', 'resource_id'])
        .execute();
      await serial(db, 'drift_runs')
        .addColumn('baseline_id', 'integer', (c) => c.notNull().references('baselines.id'))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('added', 'integer', (c) => c.notNull())
        .addColumn('removed', 'integer', (c) => c.notNull())
        .addColumn('changed', 'integer', (c) => c.notNull())
        .addColumn('enforcement', 'text', (c) => c.notNull())
        .addColumn('report', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('enforcement')
        .addColumn('scope', 'text', (c) => c.primaryKey())
        .addColumn('paused', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('until', 'text')
        .addColumn('by', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await serial(db, 'outbox')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('dedup_key', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('outbox_channel_dedup', ['channel', 'dedup_key'])
        .execute();
      await db.schema
        .createIndex('outbox_due')
        .on('outbox')
        .columns(['sent_at', 'next_attempt_at'])
        .execute();
      await serial(db, 'audit_log')
        .addColumn('who', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('calls', 'text', (c) => c.notNull())
        .addColumn('result', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/**
 * Graph findings name the resources along their path (`Result.path`): kept per result and, for the
 * latest failing result, per finding. JSON text (a list of ids), NULL for single-resource findings.
 */
const resultPaths: Migration = {
  async up(db: Db) {
    await db.schema.alterTable('results').addColumn('path', 'text').execute();
    await db.schema.alterTable('findings').addColumn('path', 'text').execute();
  },
};

/**
 * Remediation records: suppressions (`warden suppress`: a finding accepted by a person, with a reason
 * and an expiry) and approvals (`mode: ask` policies: planned actions waiting for a person).
 */
function remediation(dialect: Dialect): Migration {
  return {
    async up(db: Db) {
      const t = db.schema.createTable('suppressions');
      await (dialect === 'postgres'
        ? t.addColumn('id', 'serial', (c) => c.primaryKey())
        : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('fingerprint', 'text')
        .addColumn('policy', 'text')
        .addColumn('resource', 'text')
        .addColumn('tag_key', 'text')
        .addColumn('tag_value', 'text')
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('expires', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('expired_at', 'text')
        .execute();
      const a = db.schema.createTable('approvals');
      await (dialect === 'postgres'
        ? a.addColumn('id', 'serial', (c) => c.primaryKey())
        : a.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', 'text')
        .addColumn('result', 'text')
        .execute();
    },
  };
}

/**
 * Watch mode writes per event (docs/DESIGN.md §11 "Watch writes per event"): `resource_changes` is the
 * log of resource versions a watch scan saw after its initial snapshot (hash NULL = gone), and
 * `detector_state` keeps what event detectors must remember across restarts (GuardDuty finding
 * revisions), keyed by detector and subject. `findings.opened_at` is when the current open episode
 * began, so notifications keep one identity per episode across restarts.
 */
function watchEvents(dialect: Dialect): Migration {
  return {
    async up(db: Db) {
      const t = db.schema.createTable('resource_changes');
      await (dialect === 'postgres'
        ? t.addColumn('id', 'serial', (c) => c.primaryKey())
        : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      )
        .addColumn('scan_id', 'integer', (c) => c.notNull().references('scans.id').onDelete('cascade'))
        .addColumn('resource_id', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.references('resource_versions.hash'))
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('resource_changes_scan')
        .on('resource_changes')
        .columns(['scan_id', 'resource_id'])
        .execute();
      await db.schema
        .createIndex('resource_changes_resource')
        .on('resource_changes')
        .column('resource_id')
        .execute();
      await db.schema
        .createTable('detector_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      // When the current open episode began (first_seen, or the last reopening): notification episodes.
      await db.schema.alterTable('findings').addColumn('opened_at', 'text').execute();
      // Watch looks findings up by the fingerprints of each message's changes.
      await db.schema.createIndex('findings_fingerprint').on('findings').column('fingerprint').execute();
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '0001_initial': initial(dialect),
        '0002_result_paths': resultPaths,
        '0003_remediation': remediation(dialect),
        '0004_watch_events': watchEvents(dialect),
      };
    },
  };
}

export const LATEST_MIGRATION = '0004_watch_events';
