import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { flowFormat } from '../../../src/detectors/flow-log.js';
import {
  DEFAULT_FLOW_FIELDS,
  detectFlowBruteForce,
  isPrivateAddress,
  parseFlowLine,
  parseFormatString,
} from '../../../src/detectors/index.js';
import { InputError } from '../../../src/util/errors.js';

const tmp = mkdtempSync(join(tmpdir(), 'warden-flow-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const ACCOUNT = '123456789010';
const T0 = 1_795_000_000;

/** A default-format (v2) record. */
function v2(
  src: string,
  dport: number,
  action: 'ACCEPT' | 'REJECT',
  t: number,
  packets = 12,
  eni = 'eni-0a1b2c3d4e5f60001',
  dst = '10.0.1.5',
) {
  return `2 ${ACCOUNT} ${eni} ${src} ${dst} ${40000 + (t % 20000)} ${dport} 6 ${packets} ${packets * 120} ${t} ${t + 60} ${action} OK`;
}

function write(name: string, lines: string[], gz = false): string {
  const file = join(tmp, name);
  const text = `${lines.join('\n')}\n`;
  writeFileSync(file, gz ? gzipSync(text) : text);
  return file;
}

describe('flow log records', () => {
  it('parses the default format and skips NODATA records', () => {
    const f = flowFormat(DEFAULT_FLOW_FIELDS);
    assert.deepEqual(parseFlowLine(v2('198.51.100.1', 22, 'REJECT', T0), f), {
      account: ACCOUNT,
      interfaceId: 'eni-0a1b2c3d4e5f60001',
      instanceId: '',
      region: '',
      srcaddr: '198.51.100.1',
      dstaddr: '10.0.1.5',
      dstport: 22,
      protocol: 6,
      packets: 12,
      bytes: 1440,
      start: T0,
      action: 'REJECT',
    });
    assert.equal(parseFlowLine(`2 ${ACCOUNT} eni-1 - - - - - - - ${T0} ${T0 + 60} - NODATA`, f), undefined);
    assert.equal(parseFlowLine('2 too short', f), undefined);
  });

  it('reads a LogFormat string and rejects one without the fields the detector needs', () => {
    const f = parseFormatString(
      '${version} ${instance-id} ${srcaddr} ${dstaddr} ${dstport} ${protocol} ${action}',
    );
    assert.deepEqual(f.fields, [
      'version',
      'instance-id',
      'srcaddr',
      'dstaddr',
      'dstport',
      'protocol',
      'action',
    ]);
    assert.throws(
      () => parseFormatString('${version} ${srcaddr}'),
      /flow log format lacks the dstaddr field/,
    );
    assert.throws(() => parseFormatString('${version} ${src addr}'), /not a flow log field name: \$\{src/);
  });

  it('knows private and public addresses', () => {
    assert.deepEqual(
      [
        '10.1.2.3',
        '172.16.0.1',
        '172.32.0.1',
        '192.168.1.1',
        '100.64.0.1',
        '8.8.8.8',
        'fd00::1',
        '2001:db8::1',
      ].map(isPrivateAddress),
      [true, true, false, true, true, false, true, false],
    );
  });
});

describe('SSH/RDP brute force', () => {
  it('flags sources hammering SSH and proposes allowedCidrs from the administrator who held a session', async () => {
    const lines: string[] = [];
    // Two attackers: 25 attempts each within ~4 minutes, some accepted by an open group.
    for (let i = 0; i < 25; i++)
      lines.push(v2('203.0.113.50', 22, i % 5 === 0 ? 'ACCEPT' : 'REJECT', T0 + i * 10));
    for (let i = 0; i < 25; i++) lines.push(v2('198.51.100.23', 22, 'REJECT', T0 + i * 9));
    // A slow source: 25 attempts, one every 5 minutes — below the rate.
    for (let i = 0; i < 25; i++) lines.push(v2('192.0.2.200', 22, 'REJECT', T0 + i * 300));
    // The administrator: one long accepted session.
    lines.push(v2('192.0.2.10', 22, 'ACCEPT', T0 + 30, 2400));
    // Internal traffic and other ports never count.
    for (let i = 0; i < 40; i++) lines.push(v2('10.0.2.9', 22, 'ACCEPT', T0 + i));
    for (let i = 0; i < 40; i++) lines.push(v2('203.0.113.50', 443, 'ACCEPT', T0 + i));
    lines.push(`2 ${ACCOUNT} eni-0a1b2c3d4e5f60001 - - - - - - - ${T0} ${T0 + 60} - NODATA`);
    const file = write('flow.log.gz', lines, true);
    const run = await detectFlowBruteForce([{ kind: 'file', path: file }], { region: 'eu-west-1' });
    assert.equal(run.skipped, 1);
    assert.equal(run.results.length, 1);
    const r = run.results[0]!;
    assert.equal(r.policy, 'detector-ssh-bruteforce');
    assert.equal(r.severity, 'high');
    assert.deepEqual(r.resource, {
      id: `arn:aws:ec2:eu-west-1:${ACCOUNT}:network-interface/eni-0a1b2c3d4e5f60001`,
      type: 'aws.ec2.network-interface',
      provider: 'aws',
      account: ACCOUNT,
      region: 'eu-west-1',
      name: 'eni-0a1b2c3d4e5f60001',
    });
    assert.equal(
      r.message,
      'SSH brute force on eni-0a1b2c3d4e5f60001: 50 attempts from 2 sources (198.51.100.23, 203.0.113.50), 5 accepted',
    );
    assert.deepEqual(r.evidence, [
      { path: 'port', value: 22 },
      {
        path: 'sources',
        value: [
          { address: '198.51.100.23', attempts: 25, accepted: 0, rejected: 25 },
          { address: '203.0.113.50', attempts: 25, accepted: 5, rejected: 20 },
        ],
      },
      {
        path: 'window',
        value: {
          first: new Date(T0 * 1000).toISOString(),
          last: new Date((T0 + 240) * 1000).toISOString(),
        },
      },
      {
        path: 'parameters.aws-ec2-sg-admin-ports-open.allowedCidrs',
        value: ['192.0.2.10/32'],
        note: 'proposed from sources with established sessions: --param aws-ec2-sg-admin-ports-open.allowedCidrs=192.0.2.10/32',
      },
    ]);
    assert.deepEqual(r.source, { kind: 'event', file, line: 20 });
  });

  it('reads custom formats from the S3 header line, naming the instance; RDP-only rejected attacks are medium', async () => {
    const header =
      'version account-id region instance-id srcaddr dstaddr srcport dstport protocol packets start end action log-status';
    const lines = [header];
    for (let i = 0; i < 20; i++)
      lines.push(
        `5 ${ACCOUNT} us-east-1 i-0abc123def4567890 45.33.1.${i % 2} 10.0.0.8 5${i}000 3389 6 3 ${T0 + i} ${T0 + i + 5} REJECT OK`,
      );
    const run = await detectFlowBruteForce([{ kind: 'file', path: write('custom.log', lines) }], {
      threshold: 10,
    });
    assert.deepEqual(
      run.results.map((r) => [r.severity, r.resource.type, r.resource.id, r.message]),
      [
        [
          'medium',
          'aws.ec2.instance',
          `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0abc123def4567890`,
          'RDP brute force on i-0abc123def4567890: 20 attempts from 2 sources (45.33.1.0, 45.33.1.1), 0 accepted',
        ],
      ],
    );
    const proposal = run.results[0]!.evidence.at(-1)!;
    assert.deepEqual(proposal.value, []);
    assert.equal(
      proposal.note,
      'no legitimate administration source seen: set allowedCidrs to your VPN or bastion range',
    );
  });

  it('headerless custom formats need --flow-log-format; a file that matches no record is an input error', async () => {
    const lines = Array.from({ length: 3 }, (_, i) => `i-0abc 45.33.1.9 10.0.0.8 22 6 REJECT ${i}`);
    const file = write('headerless.log', lines);
    await assert.rejects(detectFlowBruteForce([{ kind: 'file', path: file }]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.match(
        err.format(),
        /headerless\.log:1:1: not a VPC flow log record of the format \(version account-id/,
      );
      return true;
    });
    const format = parseFormatString(
      '${instance-id} ${srcaddr} ${dstaddr} ${dstport} ${protocol} ${action} ${start}',
    );
    const run = await detectFlowBruteForce([{ kind: 'file', path: file }], { format, threshold: 3 });
    assert.equal(run.results.length, 1);
    assert.equal(run.results[0]!.resource.id, 'i-0abc');
  });

  it('reads CloudWatch Logs deliveries (subscription batches, concatenated, gzipped) and filter-log-events output', async () => {
    const events = (from: number) =>
      Array.from({ length: 12 }, (_, i) => ({
        id: `3${from + i}`,
        timestamp: (T0 + i) * 1000,
        message: v2('203.0.113.99', 22, 'REJECT', T0 + from + i),
      }));
    const batch = (from: number) =>
      JSON.stringify({
        messageType: 'DATA_MESSAGE',
        owner: ACCOUNT,
        logGroup: '/vpc/flow-logs',
        logStream: 'eni-0a1b2c3d4e5f60001-all',
        subscriptionFilters: ['warden'],
        logEvents: events(from),
      });
    const control = JSON.stringify({
      messageType: 'CONTROL_MESSAGE',
      owner: 'CloudwatchLogs',
      logEvents: [
        { id: '', timestamp: 1, message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' },
      ],
    });
    const firehose = join(tmp, 'firehose.gz');
    writeFileSync(firehose, gzipSync(control + batch(0) + batch(12)));
    const run = await detectFlowBruteForce([{ kind: 'file', path: firehose }]);
    assert.equal(run.parsed, 24);
    assert.equal(run.results.length, 1);
    assert.match(
      run.results[0]!.message,
      /^SSH brute force on eni-0a1b2c3d4e5f60001: 24 attempts from 1 source \(203\.0\.113\.99\)/,
    );

    const cli = join(tmp, 'filter-log-events.json');
    writeFileSync(
      cli,
      JSON.stringify(
        {
          events: events(0).map((e) => ({ logStreamName: 's', ...e, ingestionTime: 1, eventId: e.id })),
          searchedLogStreams: [],
        },
        null,
        2,
      ),
    );
    const run2 = await detectFlowBruteForce([{ kind: 'file', path: cli }], { threshold: 12 });
    assert.equal(run2.results.length, 1);

    const other = join(tmp, 'other.json');
    writeFileSync(other, '{"hello": "world"}');
    await assert.rejects(detectFlowBruteForce([{ kind: 'file', path: other }]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(
        err.format(),
        `${other}:1:1: JSON that is not a CloudWatch Logs delivery or filter-log-events output`,
      );
      return true;
    });
  });
});
