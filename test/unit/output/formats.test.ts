import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanInventory } from '../../../src/engine/scan.js';
import { csvCell, formatCsv } from '../../../src/output/csv.js';
import { toJsonDocument } from '../../../src/output/json.js';
import { formatJunit } from '../../../src/output/junit.js';
import { toSarif } from '../../../src/output/sarif.js';
import { formatTable } from '../../../src/output/table.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { resource } from '../../helpers/resources.js';

const NOW = new Date('2026-11-23T00:00:00Z');

function report() {
  const set = loadPolicies({ only: ['aws-ebs-volume-unencrypted', 'aws-s3-bucket-public'] });
  const iac = (address: string, line: number) => ({
    source: { kind: 'terraform-hcl' as const, file: 'infra/main.tf', line, address },
  });
  return scanInventory(
    {
      resources: [
        resource(
          'aws.ec2.volume',
          { Encrypted: false },
          { id: 'aws_ebs_volume.data', name: 'data', ...iac('aws_ebs_volume.data', 12) },
        ),
        resource(
          'aws.ec2.volume',
          { Encrypted: true },
          { id: 'aws_ebs_volume.ok', name: 'ok', ...iac('aws_ebs_volume.ok', 20) },
        ),
        resource(
          'aws.s3.bucket',
          {
            Name: 'site',
            Acl: {
              Grants: [
                { Grantee: { URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' },
              ],
            },
          },
          {
            id: 'aws_s3_bucket.site',
            name: '=cmd|site',
            tags: { Content: 'Marketing' },
            ...iac('aws_s3_bucket.site', 30),
          },
        ),
      ],
      unsupported: { aws_sqs_queue: 2 },
      inputs: ['infra'],
    },
    set,
    NOW,
  );
}

describe('output formats', () => {
  it('json follows the DESIGN §4 document', () => {
    const doc = toJsonDocument(report());
    assert.equal(doc.tool.name, 'warden');
    assert.deepEqual(
      {
        fail: doc.summary.fail,
        pass: doc.summary.pass,
        error: doc.summary.error,
        unknown: doc.summary.unknown,
        exempt: doc.summary.exempt,
      },
      { fail: 1, pass: 1, error: 0, unknown: 0, exempt: 1 },
    );
    assert.deepEqual(doc.summary.unsupported, { aws_sqs_queue: 2 });
    const fail = doc.results.find((r) => r.status === 'fail')!;
    assert.deepEqual(Object.keys(fail).sort(), [
      'evidence',
      'fingerprint',
      'frameworks',
      'message',
      'policy',
      'resource',
      'severity',
      'source',
      'status',
    ]);
    assert.deepEqual(fail.evidence, [{ path: 'Encrypted', value: false }]);
    assert.deepEqual(fail.frameworks['cis-aws-3.0'], ['2.2.1']);
  });

  it('sarif 2.1.0 has rules with metadata, file/line locations and suppressions for exempt results', () => {
    const sarif = toSarif(report());
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0]!;
    assert.deepEqual(
      run.tool.driver.rules.map((r) => r.id),
      ['aws-s3-bucket-public', 'aws-ebs-volume-unencrypted'],
    );
    assert.equal(run.tool.driver.rules[1]!.properties['security-severity'], '5.5');
    assert.equal(run.results.length, 2);
    const vol = run.results.find((r) => r.ruleId === 'aws-ebs-volume-unencrypted')!;
    assert.deepEqual(vol.locations?.[0]?.physicalLocation, {
      artifactLocation: { uri: 'infra/main.tf' },
      region: { startLine: 12 },
    });
    assert.equal(vol.ruleIndex, 1);
    assert.equal(vol.level, 'warning');
    const site = run.results.find((r) => r.ruleId === 'aws-s3-bucket-public')!;
    assert.deepEqual(site.suppressions, [
      { kind: 'inSource', justification: 'marketing content is public by design (tag Content=Marketing)' },
    ]);
  });

  it('junit has a suite per policy and failure/skipped elements', () => {
    const xml = formatJunit(report());
    assert.match(
      xml,
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="warden" tests="3" failures="1" errors="0" skipped="1"/,
    );
    assert.match(
      xml,
      /<testsuite name="aws-ebs-volume-unencrypted" tests="2" failures="1" errors="0" skipped="0">/,
    );
    assert.match(
      xml,
      /<testcase classname="aws-ebs-volume-unencrypted" name="data \(infra\/main.tf:12\)" file="infra\/main.tf">\n\s+<failure message="EBS volume is not encrypted" type="medium">/,
    );
    assert.match(
      xml,
      /<skipped message="exempt: marketing content is public by design \(tag Content=Marketing\)"\/>/,
    );
  });

  it('csv quotes per RFC 4180 and defuses spreadsheet formulas', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
    const lines = formatCsv(report()).trimEnd().split('\n');
    assert.equal(
      lines[0],
      'policy,severity,status,resource_id,resource_type,resource_name,provider,account,region,file,line,message,fingerprint',
    );
    assert.equal(lines.length, 4);
    assert.match(
      lines.find((l) => l.startsWith('aws-s3'))!,
      /^aws-s3-bucket-public,high,exempt,aws_s3_bucket.site,aws.s3.bucket,'=cmd\|site,aws,,,infra\/main.tf,30,/,
    );
  });

  it('table groups failures by policy with evidence and ends with the summary line', () => {
    const text = formatTable(report(), { color: false });
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0]!, /^Warden \S+ — 1 input, 3 resources, 2 policies$/);
    assert.ok(
      text.includes(
        'MEDIUM   aws-ebs-volume-unencrypted  EBS volume is not encrypted\n  ✖ aws_ebs_volume.data (data)  infra/main.tf:12\n      Encrypted = false',
      ),
    );
    assert.ok(
      text.includes(
        'Exempt\n  ○ aws-s3-bucket-public  aws_s3_bucket.site (=cmd|site)  marketing content is public by design',
      ),
    );
    assert.ok(text.includes('Not evaluated (unsupported types): aws_sqs_queue ×2'));
    assert.equal(lines.at(-1), '1 failed, 1 passed, 0 error, 0 unknown, 1 exempt');
  });
});
