import { SEVERITY_RANK, type Severity } from '../model/result.js';
import type { NotifyConfig, RouteConfig } from './config.js';
import type { FindingNote } from './types.js';

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
}

/** Teams a finding belongs to: its own `team`, else every team whose accounts or tags match. */
export function teamsOf(f: FindingNote, teams: NotifyConfig['teams'] = {}): string[] {
  if (f.team) return [f.team];
  return Object.entries(teams)
    .filter(([, t]) => {
      const byAccount = t.accounts?.includes(f.resource.account) ?? false;
      const byTags = t.tags ? Object.entries(t.tags).every(([k, v]) => f.tags[k] === v) : false;
      return byAccount || byTags;
    })
    .map(([name]) => name);
}

function matches(route: RouteConfig, f: FindingNote, teams: string[]): boolean {
  const m = route.match;
  if (m.severity && !m.severity.includes(f.severity)) return false;
  if (m.minSeverity && SEVERITY_RANK[f.severity] < SEVERITY_RANK[m.minSeverity as Severity]) return false;
  if (m.policy && !m.policy.some((p) => glob(p).test(f.policy))) return false;
  if (m.account && !m.account.includes(f.resource.account)) return false;
  if (
    m.tags &&
    !Object.entries(m.tags).every(([k, v]) => Object.hasOwn(f.tags, k) && (v === '*' || f.tags[k] === v))
  )
    return false;
  if (m.team && !m.team.some((t) => teams.includes(t))) return false;
  return true;
}

/**
 * The channels a finding goes to: the union over matching routes, in route order; a matching route
 * with `stop: true` ends the walk (a more specific route placed first can then take over).
 */
export function routeFinding(f: FindingNote, config: Pick<NotifyConfig, 'routes' | 'teams'>): string[] {
  const teams = teamsOf(f, config.teams);
  const out: string[] = [];
  for (const route of config.routes) {
    if (!matches(route, f, teams)) continue;
    for (const ch of route.channels) if (!out.includes(ch)) out.push(ch);
    if (route.stop) break;
  }
  return out;
}
