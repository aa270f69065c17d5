import type { AwsCallError, CollectorContext } from '../../types.js';

/** The items of a whole list call, or why it could not be made (the type is then not inventoried). */
export type Listed<T> = { ok: true; items: T[] } | { ok: false; error: AwsCallError };

/**
 * Reads every page of a list/describe call. A failure on any page fails the whole list: a partial
 * inventory would let the missing resources pass silently.
 */
export async function listAll<P, T>(
  ctx: CollectorContext,
  operation: string,
  type: string,
  pages: () => AsyncIterable<P>,
  itemsOf: (page: P) => readonly T[] | undefined,
): Promise<Listed<T>> {
  const items: T[] = [];
  try {
    for await (const page of pages()) items.push(...(itemsOf(page) ?? []));
    return { ok: true, items };
  } catch (err) {
    const error = ctx.toCallError(err, 'ec2', operation);
    error.resourceType = type;
    return { ok: false, error };
  }
}

/** One unpaginated call (DescribeKeyPairs, DescribeRegions), with the same failure shape. */
export async function listOnce<T>(
  ctx: CollectorContext,
  operation: string,
  type: string,
  call: () => Promise<readonly T[] | undefined>,
): Promise<Listed<T>> {
  try {
    return { ok: true, items: [...((await call()) ?? [])] };
  } catch (err) {
    const error = ctx.toCallError(err, 'ec2', operation);
    error.resourceType = type;
    return { ok: false, error };
  }
}
