import { type Detection, detectorDefinition, resource } from './findings.js';
import type { FlowRecord } from './flow-log.js';
import { BurstCounter } from './window.js';

export const BRUTEFORCE_POLICY = 'detector-ssh-bruteforce';
/** The policy whose parameter the finding proposes (packs/core/aws-network.yaml). */
export const ADMIN_PORTS_POLICY = 'aws-ec2-sg-admin-ports-open';

export const BRUTEFORCE_DEFINITION = detectorDefinition({
  id: BRUTEFORCE_POLICY,
  resourceTypes: ['aws.ec2.instance', 'aws.ec2.network-interface'],
  severity: 'high',
  title: 'SSH/RDP brute force against an instance reachable from the internet',
  description:
    'Internet sources made many connection attempts to TCP 22 or 3389 of one instance in a short window (VPC flow logs).',
  remediation: `Allow SSH/RDP only from known ranges: set ${ADMIN_PORTS_POLICY}.allowedCidrs (the finding proposes a value) and narrow the security group to them, or replace SSH/RDP with AWS Systems Manager Session Manager.`,
  frameworks: { 'nist-800-53-r5': ['SI-4', 'AC-7', 'SC-7'], 'cis-aws-3.0': ['5.2', '5.3'] },
});

export interface BruteForceOptions {
  /** Attempts (flow records) from one source to one target port within the window (default 20). */
  threshold?: number;
  windowMs?: number;
  /** Packets in one accepted flow that make a real session, not a guess (default 100). */
  sessionPackets?: number;
  ports?: readonly number[];
  /** Fallbacks when the flow log format has no account-id / region fields. */
  account?: string;
  region?: string;
}

/** RFC 1918, loopback, link-local, CGNAT, ULA: not "the internet". */
export function isPrivateAddress(ip: string): boolean {
  if (ip.includes(':')) return /^(::1$|f[cd]|fe80:)/i.test(ip);
  const p = ip.split('.').map(Number);
  const [a = -1, b = -1] = p;
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}

interface SourceStats {
  attempts: number;
  accepted: number;
  rejected: number;
  /** Largest accepted flow in packets: a long session marks a legitimate administrator. */
  maxAcceptedPackets: number;
  first: number;
  last: number;
}

interface TargetStats {
  instanceId: string;
  interfaceId: string;
  dstaddr: string;
  port: number;
  account: string;
  region: string;
  sources: Map<string, SourceStats>;
  offenders: Set<string>;
  /** The record that completed the first burst, for the finding's source location. */
  firstAttack?: { file: string; line: number };
}

/**
 * Finds sources that hammer SSH/RDP on one target. One finding per (target, port) lists the
 * attacking sources and proposes `allowedCidrs` for the admin-ports policy: the /32 of each source
 * that held a real accepted session and never attacked, or an empty list when there was none.
 */
export class SshBruteForceDetector {
  private readonly bursts: BurstCounter;
  private readonly targets = new Map<string, TargetStats>();
  private readonly ports: ReadonlySet<number>;

  constructor(private readonly options: BruteForceOptions = {}) {
    this.bursts = new BurstCounter(options.threshold ?? 20, options.windowMs ?? 10 * 60_000);
    this.ports = new Set(options.ports ?? [22, 3389]);
  }

  add(r: FlowRecord, file: string, line: number): void {
    if (r.protocol !== 6 || !this.ports.has(r.dstport) || isPrivateAddress(r.srcaddr)) return;
    const target = r.instanceId || r.interfaceId || r.dstaddr;
    const key = `${target}\n${r.dstport}`;
    let t = this.targets.get(key);
    if (!t) {
      t = {
        instanceId: r.instanceId,
        interfaceId: r.interfaceId,
        dstaddr: r.dstaddr,
        port: r.dstport,
        account: r.account || (this.options.account ?? ''),
        region: r.region || (this.options.region ?? ''),
        sources: new Map(),
        offenders: new Set(),
      };
      this.targets.set(key, t);
    }
    let s = t.sources.get(r.srcaddr);
    const time = Number.isNaN(r.start) ? 0 : r.start * 1000;
    if (!s) {
      s = { attempts: 0, accepted: 0, rejected: 0, maxAcceptedPackets: 0, first: time, last: time };
      t.sources.set(r.srcaddr, s);
    }
    s.attempts++;
    if (time < s.first) s.first = time;
    if (time > s.last) s.last = time;
    if (r.action === 'ACCEPT') {
      s.accepted++;
      if (r.packets > s.maxAcceptedPackets) s.maxAcceptedPackets = r.packets;
    } else s.rejected++;
    if (this.bursts.add(`${key}\n${r.srcaddr}`, time)) {
      t.offenders.add(r.srcaddr);
      t.firstAttack ??= { file, line };
    }
  }

  private targetResource(t: TargetStats) {
    if (t.instanceId) {
      const id =
        t.account && t.region
          ? `arn:aws:ec2:${t.region}:${t.account}:instance/${t.instanceId}`
          : t.instanceId;
      return resource('aws.ec2.instance', id, t.instanceId, t.account, t.region);
    }
    const eni = t.interfaceId || t.dstaddr;
    const id =
      t.account && t.region && t.interfaceId
        ? `arn:aws:ec2:${t.region}:${t.account}:network-interface/${eni}`
        : eni;
    return resource('aws.ec2.network-interface', id, eni, t.account, t.region);
  }

  detections(): Detection[] {
    const out: Detection[] = [];
    const sessionPackets = this.options.sessionPackets ?? 100;
    for (const t of this.targets.values()) {
      if (t.offenders.size === 0 || !t.firstAttack) continue;
      const offenders = [...t.offenders].sort();
      const attempts = offenders.reduce((n, ip) => n + (t.sources.get(ip)?.attempts ?? 0), 0);
      const accepted = offenders.reduce((n, ip) => n + (t.sources.get(ip)?.accepted ?? 0), 0);
      const stats = offenders.map((ip) => t.sources.get(ip)!);
      const first = Math.min(...stats.map((x) => x.first));
      const last = Math.max(...stats.map((x) => x.last));
      const allowed = [...t.sources.entries()]
        .filter(([ip, s]) => !t.offenders.has(ip) && s.maxAcceptedPackets >= sessionPackets)
        .map(([ip]) => (ip.includes(':') ? `${ip}/128` : `${ip}/32`))
        .sort();
      const service = t.port === 3389 ? 'RDP' : t.port === 22 ? 'SSH' : `TCP ${t.port}`;
      const res = this.targetResource(t);
      const param = `--param ${ADMIN_PORTS_POLICY}.allowedCidrs=${allowed.join(',')}`;
      out.push({
        policy: BRUTEFORCE_POLICY,
        resource: res,
        // Accepted attempts reached the service itself; rejected ones were stopped by the network.
        severity: accepted > 0 ? 'high' : 'medium',
        message: `${service} brute force on ${res.name}: ${attempts} attempts from ${offenders.length} source${offenders.length === 1 ? '' : 's'} (${offenders.slice(0, 3).join(', ')}${offenders.length > 3 ? ', …' : ''}), ${accepted} accepted`,
        evidence: [
          { path: 'port', value: t.port },
          {
            path: 'sources',
            value: offenders.map((ip, i) => {
              const { attempts, accepted, rejected } = stats[i]!;
              return { address: ip, attempts, accepted, rejected };
            }),
          },
          {
            path: 'window',
            value: { first: new Date(first).toISOString(), last: new Date(last).toISOString() },
          },
          {
            path: `parameters.${ADMIN_PORTS_POLICY}.allowedCidrs`,
            value: allowed,
            note:
              allowed.length > 0
                ? `proposed from sources with established sessions: ${param}`
                : 'no legitimate administration source seen: set allowedCidrs to your VPN or bastion range',
          },
        ],
        source: { kind: 'event', file: t.firstAttack.file, line: t.firstAttack.line },
        subject: `port:${t.port}`,
        frameworks: BRUTEFORCE_DEFINITION.frameworks,
      });
    }
    return out;
  }
}
