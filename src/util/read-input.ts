import { readFileSync } from 'node:fs';
import { InputError } from './errors.js';

/** Why a file could not be read, in one word where the system gives one (ENOENT, EACCES, EISDIR). */
export function readFailure(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/**
 * A user's input file, or an InputError naming it as shown (`shown`, default the path as given) —
 * never a stack trace. `what` names the kind of file in the message ("cannot read policy file: …").
 */
export function readInputFile(file: string, shown = file, what = ''): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new InputError(`cannot read${what ? ` ${what}` : ''}: ${readFailure(err)}`, shown);
  }
}

/** `readInputFile` as UTF-8 text. */
export function readInputText(file: string, shown = file, what = ''): string {
  return readInputFile(file, shown, what).toString('utf8');
}
