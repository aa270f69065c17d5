import { type Network, parseCidr } from '../../../util/cidr.js';
import { HclEvalError } from './values.js';

/** Terraform's cidrsubnet / cidrhost / cidrnetmask, for IPv4 and IPv6 alike. */

function network(prefix: string): Network {
  const net = parseCidr(prefix);
  if (!net || !prefix.includes('/')) throw new HclEvalError(`invalid CIDR prefix "${prefix}"`);
  return net;
}

function width(net: Network): number {
  return net.version === 4 ? 32 : 128;
}

export function formatAddress(version: 4 | 6, address: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((address >> shift) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((address >> shift) & 0xffffn));
  // RFC 5952, as Go prints it: the longest run (first on ties) of two or more zero groups becomes "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (part: number[]) => part.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

export function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const net = network(prefix);
  const bits = width(net);
  const length = net.prefix + newbits;
  if (!Number.isInteger(newbits) || newbits < 0 || length > bits) {
    throw new HclEvalError(`cannot extend prefix /${net.prefix} by ${newbits} bits`);
  }
  if (!Number.isInteger(netnum) || netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) {
    throw new HclEvalError(`network number ${netnum} does not fit in ${newbits} bits`);
  }
  const base = net.base | (BigInt(netnum) << BigInt(bits - length));
  return `${formatAddress(net.version, base)}/${length}`;
}

export function cidrhost(prefix: string, hostnum: number): string {
  const net = network(prefix);
  const hostBits = BigInt(width(net) - net.prefix);
  const size = 1n << hostBits;
  if (!Number.isInteger(hostnum)) throw new HclEvalError('host number must be a whole number');
  const offset = hostnum < 0 ? size + BigInt(hostnum) : BigInt(hostnum);
  if (offset < 0n || offset >= size) throw new HclEvalError(`host number ${hostnum} is outside ${prefix}`);
  return formatAddress(net.version, net.base + offset);
}

export function cidrnetmask(prefix: string): string {
  const net = network(prefix);
  if (net.version !== 4) throw new HclEvalError('cidrnetmask only supports IPv4 prefixes');
  const mask = ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - net.prefix)) - 1n);
  return formatAddress(4, mask);
}
