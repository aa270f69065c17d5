/**
 * Splits a space-separated log line whose fields may be double-quoted (`"GET http://… HTTP/1.1"`).
 * Quotes are removed; a backslash escapes the next character inside quotes (ALB writes `\"`).
 * Hand-written because it runs once per log line and dominates parsing time.
 */
export function splitFields(line: string): string[] {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && line.charCodeAt(i) === 32) i++;
    if (i >= n) break;
    if (line.charCodeAt(i) === 34) {
      i++;
      let start = i;
      let value = '';
      while (i < n && line.charCodeAt(i) !== 34) {
        if (line.charCodeAt(i) === 92 && i + 1 < n) {
          value += line.slice(start, i);
          i++;
          start = i;
        }
        i++;
      }
      out.push(value + line.slice(start, i));
      i++;
    } else {
      const start = i;
      while (i < n && line.charCodeAt(i) !== 32) i++;
      out.push(line.slice(start, i));
    }
  }
  return out;
}
