import { renameSync, statSync, writeFileSync } from 'node:fs';
import { InputError } from '../util/errors.js';

/**
 * Writes a report to a file atomically (temp file + rename) so a crash never leaves a truncated
 * report that looks complete; without a file, writes to stdout.
 */
export function writeOutput(text: string | Uint8Array, file: string | undefined): void {
  if (!file || file === '-') {
    process.stdout.write(text);
    return;
  }
  // A device or pipe (`-o /dev/null`, `-o /dev/stdout`) is written in place: renaming a temp file over
  // it would replace the device with a regular file.
  const st = statSync(file, { throwIfNoEntry: false });
  if (st && !st.isFile()) {
    writeFileSync(file, text);
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    throw new InputError(
      `cannot write output: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      file,
    );
  }
}
