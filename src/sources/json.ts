import { displayPath } from '../util/display-path.js';
import { InputError, lineColumnAt } from '../util/errors.js';

/** JSON.parse with the error turned into file:line:column. */
export function parseJson(text: string, file: string): unknown {
  if (text.trim() === '') throw new InputError('file is empty', displayPath(file), 1, 1);
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const lc = /line (\d+) column (\d+)/.exec(msg);
    const where = lc
      ? { line: Number(lc[1]), column: Number(lc[2]) }
      : lineColumnAt(text, pos ? Number(pos[1]) : text.length);
    const what = msg
      .replace(/^JSON\.parse: /, '')
      .replace(/ in JSON at position \d+.*$/, '')
      .replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new InputError(`invalid JSON: ${what}`, displayPath(file), where.line, where.column);
  }
}
