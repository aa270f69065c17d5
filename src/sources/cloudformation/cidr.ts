/**
 * `Fn::Cidr` for IPv4: `count` consecutive blocks with `hostBits` host bits each, carved from the
 * start of `block`. Returns undefined for IPv6 (left unknown) and a message string for bad input.
 */
export function cidrBlocks(block: string, count: number, hostBits: number): string[] | undefined | string {
  if (block.includes(':')) return undefined;
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block.trim());
  if (!match) return `Fn::Cidr: ${block} is not an IPv4 CIDR block`;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return `Fn::Cidr: ${block} is not an IPv4 CIDR block`;
  const newPrefix = 32 - hostBits;
  if (!Number.isInteger(hostBits) || hostBits < 0 || newPrefix < prefix) {
    return `Fn::Cidr: ${hostBits} host bits do not fit in ${block}`;
  }
  if (!Number.isInteger(count) || count < 1 || count > 256 || count > 2 ** (newPrefix - prefix)) {
    return `Fn::Cidr: cannot carve ${count} blocks of /${newPrefix} from ${block}`;
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const base = address - (address % 2 ** (32 - prefix));
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(`${toDotted(base + i * 2 ** hostBits)}/${newPrefix}`);
  return out;
}

function toDotted(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
