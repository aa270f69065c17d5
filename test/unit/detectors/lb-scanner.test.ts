import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { detectLbScanners, parseLbLine } from '../../../src/detectors/index.js';
import { InputError } from '../../../src/util/errors.js';

const SEED = 'test/fixtures/detectors/elb-seed-scanner.txt';
const tmp = mkdtempSync(join(tmpdir(), 'warden-lb-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const CLASSIC =
  '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/?a=1 HTTP/1.1" "curl/7.38.0" - -';
const ALB =
  'https 2018-07-02T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 403 403 0 57 "GET https://www.example.com:443/wp-login.php?x=1 HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012" 1 2018-07-02T22:22:48.364000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "403" "-" "-" TID_1234abcd5678ef90';

describe('load-balancer access log lines', () => {
  it('parses Classic ELB, ALB and the masked Classic shape of the seed scenario', () => {
    assert.deepEqual(parseLbLine(CLASSIC), {
      kind: 'classic',
      time: Date.parse('2015-05-13T23:39:43.945Z'),
      balancer: 'my-loadbalancer',
      client: '192.168.131.39',
      status: 200,
      method: 'GET',
      path: '/',
      userAgent: 'curl/7.38.0',
    });
    assert.deepEqual(parseLbLine(ALB), {
      kind: 'application',
      time: Date.parse('2018-07-02T22:23:00.186Z'),
      balancer: 'app/my-loadbalancer/50dc6c495c0c9188',
      client: '192.168.131.39',
      status: 403,
      method: 'GET',
      path: '/wp-login.php',
      userAgent: 'curl/7.46.0',
    });
    assert.deepEqual(
      parseLbLine(
        '2017-10-23T00:12:54.164535Z ASP-SaaS-Prod-ELB 0.000038 0.001246 0.000057 404 404 0 0 "HEAD http://X.X.X.X:80/mysql/admin/ HTTP/1.1" "Mozilla/5.0 Jorgee" - -',
      ),
      {
        kind: 'classic',
        time: Date.parse('2017-10-23T00:12:54.164Z'),
        balancer: 'ASP-SaaS-Prod-ELB',
        client: '',
        status: 404,
        method: 'HEAD',
        path: '/mysql/admin/',
        userAgent: 'Mozilla/5.0 Jorgee',
      },
    );
  });

  it('uses the backend status when the ELB status is "-", keeps IPv6 clients, rejects other lines', () => {
    const line = CLASSIC.replace('192.168.131.39:2817', '2001:db8::7:51234').replace(' 200 200 ', ' - 502 ');
    const r = parseLbLine(line);
    assert.equal(r?.client, '2001:db8::7');
    assert.equal(r?.status, 502);
    assert.equal(parseLbLine('hello world'), undefined);
    assert.equal(parseLbLine(''), undefined);
    assert.equal(
      parseLbLine(CLASSIC.replace('2015-05-13T23:39:43.945958Z', '2015-13-45T99:00:00Z')),
      undefined,
    );
  });
});

describe('scanner detection', () => {
  it('flags the seed scenario: five 404s on admin paths in 0.52 s with the Jorgee user agent', async () => {
    const run = await detectLbScanners([{ kind: 'file', path: SEED }]);
    assert.equal(run.lines, 5);
    assert.equal(run.skipped, 0);
    assert.equal(run.results.length, 1);
    const r = run.results[0]!;
    assert.equal(r.policy, 'detector-lb-scanner');
    assert.equal(r.severity, 'high');
    assert.deepEqual(r.resource, {
      id: 'ASP-SaaS-Prod-ELB',
      type: 'aws.elb.load-balancer',
      provider: 'aws',
      account: '',
      region: '',
      name: 'ASP-SaaS-Prod-ELB',
    });
    assert.equal(
      r.message,
      'Scanner at a masked client: 5 4xx responses on admin paths (/mysql/admin/, /mysql/dbadmin/, /mysql/sqlmanager/) in 0.52 s; scanner user agent "Mozilla/5.0 Jorgee"',
    );
    assert.deepEqual(r.evidence, [
      { path: 'client', value: null, note: 'the log masks client addresses' },
      { path: 'adminPath4xx', value: 5, note: '5 of 5 requests from the first suspicious one on' },
      { path: 'statusCodes', value: { 404: 5 } },
      {
        path: 'paths',
        value: [
          '/mysql/admin/',
          '/mysql/dbadmin/',
          '/mysql/sqlmanager/',
          '/mysql/mysqlmanager/',
          '/phpmyadmin/',
        ],
      },
      { path: 'userAgent', value: 'Mozilla/5.0 Jorgee' },
      { path: 'window', value: { first: '2017-10-23T00:12:54.164Z', last: '2017-10-23T00:12:54.682Z' } },
    ]);
    assert.deepEqual(r.source, { kind: 'event', file: SEED, line: 1 });
  });

  it('one finding per client with ARNs from --account/--region; slow probing and normal 404s are not scans', async () => {
    const t0 = Date.parse('2026-11-23T10:00:00Z');
    const alb = (
      sec: number,
      ip: string,
      path: string,
      status: number,
      ua = 'Mozilla/5.0 (X11; Linux x86_64)',
    ) =>
      ALB.replace('2018-07-02T22:23:00.186641Z', new Date(t0 + sec * 1000).toISOString())
        .replace('192.168.131.39:2817', `${ip}:40000`)
        .replace(' 403 403 ', ` ${status} ${status} `)
        .replace('https://www.example.com:443/wp-login.php?x=1', `https://www.example.com:443${path}`)
        .replace('"curl/7.46.0"', `"${ua}"`);
    const lines = [
      // 203.0.113.5: six admin 404s within 10 s → scan.
      ...[0, 2, 4, 6, 8, 10].map((s, i) =>
        alb(
          s,
          '203.0.113.5',
          ['/admin/', '/.env', '/.git/config', '/phpmyadmin/', '/wp-login.php', '/manager/html'][i]!,
          404,
        ),
      ),
      // 198.51.100.9: six admin 404s, one every 5 minutes → not a burst.
      ...[0, 300, 600, 900, 1200, 1500].map((s) => alb(s, '198.51.100.9', '/admin/', 404)),
      // 192.0.2.44: many 404s on ordinary pages, and admin pages that answered 200.
      ...[0, 1, 2, 3, 4, 5].map((s) => alb(s, '192.0.2.44', `/products/${s}`, 404)),
      ...[0, 1, 2, 3, 4, 5].map((s) => alb(s, '192.0.2.44', '/admin/', 200)),
      // 192.0.2.80: a single request with sqlmap's user agent.
      alb(20, '192.0.2.80', '/search', 200, 'sqlmap/1.8.2#stable (https://sqlmap.org)'),
    ];
    const file = join(tmp, 'alb.log.gz');
    writeFileSync(file, gzipSync(lines.join('\n')));
    const run = await detectLbScanners([{ kind: 'file', path: file }], {
      account: '123456789012',
      region: 'us-east-2',
    });
    assert.equal(run.parsed, lines.length);
    const got = run.results
      .map((r) => `${r.severity} ${r.resource.id} ${(r.evidence[0]!.value as string) ?? ''}`)
      .sort();
    assert.deepEqual(got, [
      'medium arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/app/my-loadbalancer/50dc6c495c0c9188 192.0.2.80',
      'medium arn:aws:elasticloadbalancing:us-east-2:123456789012:loadbalancer/app/my-loadbalancer/50dc6c495c0c9188 203.0.113.5',
    ]);
    assert.equal(run.results[0]!.resource.type, 'aws.elbv2.load-balancer');
    assert.equal(run.results[0]!.resource.name, 'my-loadbalancer');
    const fps = new Set(run.results.map((r) => r.fingerprint));
    assert.equal(fps.size, 2, 'two clients on one balancer are two findings');
  });

  it('a file with no access-log line is an input error with its first line', async () => {
    const file = join(tmp, 'notes.txt');
    writeFileSync(file, '\nthis is not a log\nnor this\n');
    await assert.rejects(detectLbScanners([{ kind: 'file', path: file }]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.format(), `${file}:2:1: not a Classic ELB or ALB access log line`);
      return true;
    });
    await assert.rejects(
      detectLbScanners([{ kind: 'file', path: join(tmp, 'missing.log') }]),
      /cannot read log file: ENOENT/,
    );
    await assert.rejects(detectLbScanners([{ kind: 'file', path: tmp }]), /cannot read log file: EISDIR/);
    const corrupt = join(tmp, 'corrupt.gz');
    writeFileSync(corrupt, gzipSync('x'.repeat(10_000)).subarray(0, 30));
    await assert.rejects(detectLbScanners([{ kind: 'file', path: corrupt }]), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.format(), `${corrupt}: cannot read log: unexpected end of file`);
      return true;
    });
  });

  it('reads from a fetcher (bytes, gzipped) as from a file', async () => {
    const bytes = gzipSync(Buffer.from(await import('node:fs').then((fs) => fs.readFileSync(SEED))));
    const run = await detectLbScanners([
      { kind: 'stream', name: 's3://logs/elb.log.gz', open: async () => bytes },
    ]);
    assert.equal(run.results.length, 1);
    assert.equal(run.results[0]!.source.file, 's3://logs/elb.log.gz');
  });
});
