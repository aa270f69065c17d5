/**
 * Marker for an IaC value that is only known after apply. Adapters put it in attribute values;
 * translation turns every marked attribute into a path in `Resource.unknown` and leaves it out of
 * `config`, so policies see "unknown" rather than a wrong concrete value.
 */
export const UNKNOWN: unique symbol = Symbol.for('warden.unknown');
export type Unknown = typeof UNKNOWN;

export function isUnknown(value: unknown): value is Unknown {
  return value === UNKNOWN;
}
