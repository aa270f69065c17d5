import type { TouchedResource } from '../events/types.js';
import type { Resource } from '../model/resource.js';
import { matchesTouched, type PreviousState } from '../sources/aws/refresh.js';
import type { LiveState, Replacement } from './state.js';

/** Could two touched entries name the same resource (same type; an entry without id/name names all)? */
function overlaps(a: TouchedResource, b: TouchedResource): boolean {
  if (a.type !== b.type) return false;
  if ((a.id === undefined && a.name === undefined) || (b.id === undefined && b.name === undefined))
    return true;
  return (a.id !== undefined && a.id === b.id) || (a.name !== undefined && a.name === b.name);
}

/**
 * The state a field-scoped re-read starts from: the resource as the watch holds it. A resource an
 * earlier event of the same message already re-read (not yet applied to the state) has no reliable
 * held state, so it gets none and is re-read whole — never a stale base that would undo that change.
 */
export function heldState(state: LiveState, pending: readonly Replacement[], account: string): PreviousState {
  return (t): Resource | undefined => {
    if (pending.some((p) => p.touched.some((x) => overlaps(x, t)))) return undefined;
    return state
      .currentInventory()
      .resources.find((r) => matchesTouched(r, t, account) && (t.id === undefined || r.id === t.id));
  };
}
