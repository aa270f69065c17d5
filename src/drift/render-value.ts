import { canonicalJson } from '../util/canonical-json.js';

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX = 240;

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

export function renderValue(v: unknown): string {
  if (typeof v === 'string') return clip(v);
  return clip(canonicalJson(v));
}

function ports(r: Rec): string {
  const from = r.FromPort;
  const to = r.ToPort;
  if (typeof from !== 'number' || from === -1) return '';
  return to === undefined || to === from ? ` ${from}` : ` ${from}-${to}`;
}

/** A security group rule atom as a person reads it: `tcp 22 from 0.0.0.0/0`. */
function renderRule(r: Rec): string {
  const proto = r.IpProtocol === '-1' ? 'all' : String(r.IpProtocol);
  const source = r.CidrIp ?? r.CidrIpv6 ?? r.GroupId ?? r.PrefixListId ?? '?';
  const desc = typeof r.Description === 'string' ? ` (${r.Description})` : '';
  return `${proto}${ports(r)} from ${String(source)}${desc}`;
}

function renderGrant(g: Rec): string {
  const grantee = isRec(g.Grantee) ? g.Grantee : {};
  const who =
    typeof grantee.URI === 'string'
      ? grantee.URI.replace(/^https?:\/\/acs\.amazonaws\.com\/groups\//, '')
      : String(grantee.ID ?? grantee.EmailAddress ?? '?');
  return `${String(g.Permission)} to ${who}`;
}

/** An element added to or removed from a list, in the list's own terms where it has some. */
export function renderElement(list: string, v: unknown): string {
  if (isRec(v)) {
    if ((list === 'IpPermissions' || list === 'IpPermissionsEgress') && 'IpProtocol' in v)
      return renderRule(v);
    if (list === 'Grants' && 'Permission' in v) return renderGrant(v);
    if (list === 'CreateVolumePermissions' || list === 'LaunchPermissions')
      return v.Group === 'all' ? 'all (public)' : String(v.UserId ?? renderValue(v));
  }
  return renderValue(v);
}
