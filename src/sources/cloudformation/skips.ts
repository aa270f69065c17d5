import type { InlineSkip } from '../../model/resource.js';
import { InputError } from '../../util/errors.js';
import type { Pos, Positions } from './positions.js';
import { isRecord } from './template.js';

/** `Metadata: {warden: {skip: [{id, reason}]}}`: a suppression needs both, or it is an input error. */
export function readSkips(
  metadata: unknown,
  positions: Positions,
  file: string,
  logicalId: string,
  at?: Pos,
): InlineSkip[] {
  if (!isRecord(metadata) || !isRecord(metadata.warden)) return [];
  const list = metadata.warden.skip;
  if (list === undefined) return [];
  const fail = (where: unknown): never => {
    const pos = positions.of(where) ?? positions.keyOf(metadata.warden, 'skip') ?? at;
    throw new InputError(
      `resource ${logicalId}: Metadata.warden.skip must be a list of {id, reason} with non-empty strings`,
      file,
      pos?.line,
      pos?.column,
    );
  };
  if (!Array.isArray(list)) return fail(list);
  return list.map((item) => {
    if (!isRecord(item)) return fail(item);
    const { id, reason } = item;
    if (typeof id !== 'string' || id === '' || typeof reason !== 'string' || reason.trim() === '')
      return fail(item);
    return { policy: id, reason };
  });
}
