import { UNKNOWN, type Unknown } from '../../../model/unknown.js';

/**
 * A value Warden must not or cannot read: a Terraform-sensitive value, or a document that does not
 * parse. Translators carry it through like any value; finalisation turns it into `Resource.errors`,
 * so a policy that touches the path says `error` instead of guessing.
 */
export class Unreadable {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

/** Stands in for every sensitive value, so the secret itself never enters the pipeline. */
export const SENSITIVE: Unreadable = Object.freeze(
  new Unreadable('sensitive', 'Terraform marks this value sensitive; Warden never reads it'),
);

export type Marker = Unknown | Unreadable;

export function isMarker(value: unknown): value is Marker {
  return value === UNKNOWN || value instanceof Unreadable;
}
