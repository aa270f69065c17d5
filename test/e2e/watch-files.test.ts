import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runWarden } from '../support/cli.js';

const F = 'test/fixtures/events';

describe('warden watch --events-file (built CLI)', () => {
  it('Azure and GCP changes: names the policies in doubt and says the re-read is missing', () => {
    const r = runWarden([
      'watch',
      '--events-file',
      `${F}/azure-activity.json`,
      '--events-file',
      `${F}/gcp-audit.jsonl`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            change: string;
            event: { provider: string };
            policies: string[];
            missing: string;
          },
      );
    assert.deepEqual(
      rows.map((x) => [x.change, x.event.provider, x.policies, x.missing]),
      [
        [
          'reevaluation-needed',
          'azure',
          ['azure-nsg-admin-ports-open'],
          'no live azure collector: the resource cannot be re-read, its verdict waits for the next scan of that cloud',
        ],
        [
          'reevaluation-needed',
          'gcp',
          ['gcp-firewall-admin-ports-open'],
          'no live gcp collector: the resource cannot be re-read, its verdict waits for the next scan of that cloud',
        ],
      ],
    );
    assert.equal(r.stderr, 'warden: 2 changes need re-evaluation; none could be re-read from these files\n');
  });

  it('bad usage: one clear line and exit 2', () => {
    const none = runWarden(['watch']);
    assert.equal(none.code, 2);
    assert.equal(none.stderr, 'error: watch needs --aws-queue URL (live AWS) or --events-file FILE\n');
    const bad = runWarden(['watch', '--aws-queue', 'not-a-url']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an SQS queue URL/);
    const every = runWarden(['watch', '--events-file', 'x', '--full-every', '0h']);
    assert.equal(every.code, 2);
    assert.match(every.stderr, /not a duration like 30m, 24h: "0h"/);
  });
});
