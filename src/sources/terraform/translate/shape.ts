import { InputError } from '../../../util/errors.js';
import { isObject } from './values.js';

/**
 * Shape checks for `terraform show -json` documents. Each failure is one clear InputError naming the
 * file and, for a resource, its address.
 */
export function expectObject(value: unknown, what: string, file: string): Record<string, unknown> {
  if (!isObject(value)) throw new InputError(`${what} must be a JSON object, not ${describe(value)}`, file);
  return value;
}

export function optionalArray(value: unknown, what: string, file: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InputError(`${what} must be a list, not ${describe(value)}`, file);
  return value;
}

export function expectString(value: unknown, what: string, file: string): string {
  if (typeof value !== 'string' || value === '')
    throw new InputError(`${what} must be a non-empty string`, file);
  return value;
}

/** Accepts the 1.x format versions Terraform has written since 0.12/1.0. */
export function checkFormatVersion(doc: Record<string, unknown>, kind: string, file: string): void {
  const v = doc.format_version;
  if (v === undefined) return;
  if (typeof v !== 'string' || !/^1\.\d+$/.test(v)) {
    throw new InputError(
      `unsupported Terraform ${kind} format_version ${JSON.stringify(v)} (expected 1.x)`,
      file,
    );
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a string' : `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}
