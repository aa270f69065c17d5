import { InputError } from './errors.js';

/** `WARDEN_NOW` pins the clock (tests, reproducible runs); otherwise the real time. */
export function clockNow(): Date {
  const pinned = process.env.WARDEN_NOW;
  if (!pinned) return new Date();
  const t = Date.parse(pinned);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(pinned))
    throw new InputError(`WARDEN_NOW is not an ISO time: "${pinned}"`);
  return new Date(t);
}
