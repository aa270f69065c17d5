/** IPv4/IPv6 network arithmetic for policies (`value_type: cidr`, allowed source ranges). */
export interface Network {
  version: 4 | 6;
  /** Network address as a bigint, host bits cleared. */
  base: bigint;
  prefix: number;
}

function parseV4(addr: string): bigint | undefined {
  const parts = addr.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(addr: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(addr)) return undefined;
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const expand = (s: string) => (s === '' ? [] : s.split(':'));
  const head = expand(halves[0] ?? '');
  const tail = halves.length === 2 ? expand(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let n = 0n;
  for (const g of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    n = (n << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return n;
}

export function parseCidr(text: string): Network | undefined {
  const [addr, prefixText] = text.trim().split('/');
  if (addr === undefined) return undefined;
  const v4 = parseV4(addr);
  const version: 4 | 6 = v4 !== undefined ? 4 : 6;
  const base = v4 ?? parseV6(addr);
  if (base === undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return undefined;
  const hostBits = BigInt(bits - prefix);
  return { version, base: (base >> hostBits) << hostBits, prefix };
}

/** True when `inner` lies inside `outer` (same family). */
export function networkWithin(inner: Network, outer: Network): boolean {
  if (inner.version !== outer.version || inner.prefix < outer.prefix) return false;
  const bits = BigInt((inner.version === 4 ? 32 : 128) - outer.prefix);
  return inner.base >> bits === outer.base >> bits;
}

export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  return a !== undefined && b !== undefined && networkWithin(a, b);
}

export const WORLD_CIDRS: readonly string[] = ['0.0.0.0/0', '::/0'];

export function isWorld(cidr: string): boolean {
  const n = parseCidr(cidr);
  return n !== undefined && n.prefix === 0;
}
