import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateFramework } from '../../../src/compliance/evaluate.js';
import { resolveFramework } from '../../../src/compliance/framework.js';
import { scanInventory } from '../../../src/engine/scan.js';
import { loadPolicies } from '../../../src/policy/load.js';
import { complianceCsv } from '../../../src/report/csv.js';
import { complianceHtml } from '../../../src/report/html.js';
import { complianceJson } from '../../../src/report/json.js';
import { inventoryOf, live, NOW } from '../../helpers/live.js';

function smallReport() {
  const policies = loadPolicies({
    packs: ['core', 'cis-aws-v3'],
    paths: ['test/fixtures/frameworks/acme-policies.yaml'],
  });
  const inventory = inventoryOf([
    live('aws.s3.bucket', '<script>alert(1)</script>', { Name: 'x' }),
    live('aws.s3.bucket', 'owned', { Name: 'owned' }, { tags: { owner: 'data' } }),
    live('aws.ec2.security-group', 'sg', {
      GroupName: 'sg',
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    }),
  ]);
  return evaluateFramework(
    resolveFramework(undefined, ['test/fixtures/frameworks/acme.yaml']),
    scanInventory(inventory, policies, NOW),
    { now: NOW },
  );
}

describe('compliance report formats', () => {
  const report = smallReport();

  it('CSV: one row per requirement and resource, every requirement present', () => {
    const lines = complianceCsv(report).trimEnd().split('\n');
    assert.equal(
      lines[0],
      'framework,requirement,title,section,status,reason,policy,result,severity,resource_id,resource_type,account,region,file,line,message,remediation',
    );
    // Cells here hold no quotes, so a quoted cell is one that holds commas.
    const cells = (line: string) =>
      [...line.matchAll(/"([^"]*)"|([^,]*)/g)]
        .filter((m) => m.index === 0 || line[m.index - 1] === ',')
        .map((m) => m[1] ?? m[2] ?? '');
    assert.deepEqual(
      lines.slice(1).map((l) => {
        const c = cells(l);
        return `${c[1]} ${c[4]} ${c[6]}`;
      }),
      [
        'NET-1 fail aws-ec2-sg-admin-ports-open',
        'LOG-1 not-applicable ',
        'LOG-2 manual ',
        'GOV-1 fail acme-bucket-owner',
        'GOV-2 not-applicable ',
      ],
    );
    assert.equal(
      lines[4],
      'acme-cloud-baseline,GOV-1,Every bucket has an owner,GOV,fail,1 resource failed,acme-bucket-owner,fail,low,arn:aws:aws.s3.bucket:us-east-1:111122223333:<script>alert(1)</script>,aws.s3.bucket,111122223333,us-east-1,,,Bucket has no owner tag,Tag the bucket with its owning team (tag owner).',
    );
  });

  it('JSON: the whole report with the tool name', () => {
    const doc = JSON.parse(complianceJson(report));
    assert.equal(doc.tool.name, 'warden');
    assert.equal(doc.framework.id, 'acme-cloud-baseline');
    assert.equal(doc.generatedAt, '2026-11-23T00:00:00.000Z');
    assert.deepEqual(
      {
        pass: doc.summary.pass,
        fail: doc.summary.fail,
        manual: doc.summary.manual,
        score: doc.summary.score,
      },
      { pass: 0, fail: 2, manual: 1, score: 0 },
    );
  });

  it('HTML: self-contained, summary first, charts inline, every value escaped', () => {
    const html = complianceHtml(report);
    assert.ok(html.startsWith('<!doctype html>'));
    assert.ok(!/(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), 'no external references');
    assert.ok(!/<script/i.test(html), 'no scripts');
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.indexOf('id="score"') < html.indexOf('id="chart-sections"'));
    assert.ok(html.indexOf('id="chart-severity"') < html.indexOf('id="requirements"'));
    assert.match(html, /<div class="score" id="score">0\.0%<\/div>/);
    assert.match(
      html,
      /<div class="tile" id="count-fail"><span class="n" style="color:#c62828">2<\/span>Failed<\/div>/,
    );
    assert.match(html, /@media print/);
    assert.ok(
      html.includes(
        '<strong>What to check:</strong> The security team&#39;s weekly review minutes list the open findings.',
      ),
    );
  });
});
