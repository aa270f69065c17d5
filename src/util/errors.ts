/**
 * Errors a user can fix (bad input, bad policy, bad flag). The CLI prints them as one line,
 * `error: <file>:<line>:<col>: <message>`, and exits 2. Anything else is an internal error (exit 3).
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = 'InputError';
  }

  /** `file:line:col: message`, leaving out the parts that are not known. */
  format(): string {
    const where = [this.file, this.line, this.line !== undefined ? (this.column ?? 1) : undefined]
      .filter((part) => part !== undefined && part !== '')
      .join(':');
    return where ? `${where}: ${this.message}` : this.message;
  }
}

/** Line and column (1-based) of a character offset in a text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
