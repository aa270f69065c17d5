import type { Severity } from '../model/result.js';
import { type Detection, detectorDefinition, resource } from './findings.js';
import type { LbRequest } from './lb-log.js';
import { BurstCounter } from './window.js';

export const LB_SCANNER_POLICY = 'detector-lb-scanner';

export const LB_SCANNER_DEFINITION = detectorDefinition({
  id: LB_SCANNER_POLICY,
  resourceTypes: ['aws.elb.load-balancer', 'aws.elbv2.load-balancer'],
  severity: 'high',
  title: 'Scanner probing admin paths through the load balancer',
  description:
    'One client made many requests to administration paths that ended in 4xx within seconds, or used the user agent of a known vulnerability scanner.',
  remediation:
    'Block the source at the edge (AWS WAF IP set or a network ACL deny rule), add the WAF managed rule groups for known bad inputs and anonymous IP lists, and make sure the probed admin paths are not served to the internet.',
  frameworks: { 'nist-800-53-r5': ['SI-4', 'SC-7'] },
});

export interface ScannerOptions {
  /** 4xx responses on admin-like paths from one client within `windowMs` that make a scan (default 5). */
  threshold?: number;
  windowMs?: number;
  /** Used to build load-balancer ARNs; without them the id is the logged name. */
  account?: string;
  region?: string;
}

/** Paths scanners probe for: admin consoles, database managers, config and VCS files, CGI. */
const ADMIN_PATH =
  /(admin|phpmyadmin|pma|mysql|dbadmin|sqlmanager|manager|wp-login|xmlrpc|\.env|\.git|\.svn|\.aws|config|setup|install|cgi-bin|console|actuator|jenkins|solr|phpinfo|shell|backup|\.bak|\.sql|server-status|jmx|invoker|webdav|boaform|hnap1|vendor\/phpunit)/i;

/** User agents of known scanners and attack tools (substring, case-insensitive). */
const SCANNER_AGENTS =
  /(jorgee|sqlmap|nikto|nmap|masscan|zgrab|nuclei|wpscan|dirbuster|gobuster|ffuf|feroxbuster|acunetix|netsparker|nessus|openvas|w3af|whatweb|wfuzz|hydra|zmeu|morfeus|censysinspect|l9explore|fuzz faster)/i;

interface ClientStats {
  balancer: string;
  kind: LbRequest['kind'];
  client: string;
  adminErrors: number;
  requests: number;
  first: number;
  last: number;
  firstLine: { file: string; line: number };
  paths: string[];
  statuses: Record<string, number>;
  scannerAgent?: string;
  burst: boolean;
}

const MAX_PATHS = 10;

/**
 * Flags clients that probe admin paths (a burst of 4xx on admin-like paths) or announce a scanner
 * user agent. Streaming: `add` per request, `detections` at the end; state is kept only for clients
 * that did something suspicious.
 */
export class LbScannerDetector {
  private readonly bursts: BurstCounter;
  private readonly clients = new Map<string, ClientStats>();

  constructor(private readonly options: ScannerOptions = {}) {
    this.bursts = new BurstCounter(options.threshold ?? 5, options.windowMs ?? 60_000);
  }

  add(req: LbRequest, file: string, line: number): void {
    const adminError = req.status >= 400 && req.status < 500 && ADMIN_PATH.test(req.path);
    const agent = SCANNER_AGENTS.test(req.userAgent);
    const key = `${req.balancer}\n${req.client}`;
    let stats = this.clients.get(key);
    if (!stats && !adminError && !agent) return;
    if (!stats) {
      stats = {
        balancer: req.balancer,
        kind: req.kind,
        client: req.client,
        adminErrors: 0,
        requests: 0,
        first: req.time,
        last: req.time,
        firstLine: { file, line },
        paths: [],
        statuses: {},
        burst: false,
      };
      this.clients.set(key, stats);
    }
    stats.requests++;
    stats.first = Math.min(stats.first, req.time);
    stats.last = Math.max(stats.last, req.time);
    if (agent && !stats.scannerAgent) stats.scannerAgent = req.userAgent;
    if (adminError) {
      stats.adminErrors++;
      stats.statuses[req.status] = (stats.statuses[req.status] ?? 0) + 1;
      if (stats.paths.length < MAX_PATHS && !stats.paths.includes(req.path)) stats.paths.push(req.path);
      if (this.bursts.add(key, req.time)) stats.burst = true;
    }
  }

  private balancerResource(s: ClientStats) {
    const { account, region } = this.options;
    const type = s.kind === 'application' ? 'aws.elbv2.load-balancer' : 'aws.elb.load-balancer';
    const name = s.kind === 'application' ? (s.balancer.split('/')[1] ?? s.balancer) : s.balancer;
    const id =
      account && region
        ? `arn:aws:elasticloadbalancing:${region}:${account}:loadbalancer/${s.balancer}`
        : s.balancer;
    return resource(type, id, name, account ?? '', region ?? '');
  }

  detections(): Detection[] {
    const out: Detection[] = [];
    for (const s of this.clients.values()) {
      if (!s.burst && !s.scannerAgent) continue;
      const who = s.client || 'a masked client';
      const seconds = ((s.last - s.first) / 1000).toFixed(2);
      const why: string[] = [];
      if (s.burst)
        why.push(
          `${s.adminErrors} 4xx responses on admin paths (${s.paths.slice(0, 3).join(', ')}) in ${seconds} s`,
        );
      if (s.scannerAgent) why.push(`scanner user agent "${s.scannerAgent}"`);
      const severity: Severity = s.burst && s.scannerAgent ? 'high' : 'medium';
      out.push({
        policy: LB_SCANNER_POLICY,
        resource: this.balancerResource(s),
        severity,
        message: `Scanner at ${who}: ${why.join('; ')}`,
        evidence: [
          {
            path: 'client',
            value: s.client || null,
            note: s.client ? undefined : 'the log masks client addresses',
          },
          {
            path: 'adminPath4xx',
            value: s.adminErrors,
            note: `${s.adminErrors} of ${s.requests} requests from the first suspicious one on`,
          },
          { path: 'statusCodes', value: s.statuses },
          { path: 'paths', value: s.paths },
          { path: 'userAgent', value: s.scannerAgent ?? null },
          {
            path: 'window',
            value: { first: new Date(s.first).toISOString(), last: new Date(s.last).toISOString() },
          },
        ].map((e) => (e.note === undefined ? { path: e.path, value: e.value } : e)),
        source: { kind: 'event', file: s.firstLine.file, line: s.firstLine.line },
        subject: `client:${s.client}`,
        frameworks: LB_SCANNER_DEFINITION.frameworks,
      });
    }
    return out;
  }
}
