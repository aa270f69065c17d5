import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseList, parseSince, parseTag, parseUntil } from '../../../src/cli/store-options.js';
import { redactUrl, resolveDbUrl } from '../../../src/store/open.js';

const now = new Date('2026-06-01T12:00:00.000Z');

describe('store command options', () => {
  it('reads --since as a date, an ISO time or an age', () => {
    assert.equal(parseSince('2026-01-31', now), '2026-01-31T00:00:00.000Z');
    assert.equal(parseSince('2026-05-01T10:00:00Z', now), '2026-05-01T10:00:00.000Z');
    assert.equal(parseSince('7d', now), '2026-05-25T12:00:00.000Z');
    assert.equal(parseSince('90m', now), '2026-06-01T10:30:00.000Z');
    assert.throws(() => parseSince('last week', now), /expected a date/);
  });

  it('reads --until as a duration from now or an ISO time', () => {
    assert.equal(parseUntil('30m', now), '2026-06-01T12:30:00.000Z');
    assert.equal(parseUntil('2h', now), '2026-06-01T14:00:00.000Z');
    assert.equal(parseUntil('2026-06-02T00:00:00Z', now), '2026-06-02T00:00:00.000Z');
    assert.throws(() => parseUntil('soon', now), /expected a duration/);
  });

  it('reads tags and lists', () => {
    assert.deepEqual(parseTag('team=pay', parseTag('env=a=b')), { env: 'a=b', team: 'pay' });
    assert.throws(() => parseTag('=x'), /expected KEY=VALUE/);
    assert.deepEqual(parseList('high, critical', ['low']), ['low', 'high', 'critical']);
  });

  it('chooses the store from --db, then WARDEN_DB, then the default, and never prints a password', () => {
    const saved = process.env.WARDEN_DB;
    try {
      delete process.env.WARDEN_DB;
      assert.equal(resolveDbUrl(), '.warden/warden.db');
      process.env.WARDEN_DB = 'postgres://a@h/db';
      assert.equal(resolveDbUrl(), 'postgres://a@h/db');
      assert.equal(resolveDbUrl('x.db'), 'x.db');
    } finally {
      if (saved === undefined) delete process.env.WARDEN_DB;
      else process.env.WARDEN_DB = saved;
    }
    assert.equal(
      redactUrl('postgres://warden:hunter2@db.internal:5432/w'),
      'postgres://warden:***@db.internal:5432/w',
    );
    assert.equal(redactUrl('/var/lib/warden.db'), '/var/lib/warden.db');
  });
});
