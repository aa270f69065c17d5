/**
 * The IAM credential report: one CSV for every user and the root account, so password, MFA and
 * access-key facts cost one call per account instead of several per user.
 */
export type CredentialRow = Record<string, string | boolean | null>;

export const ROOT_USER = '<root_account>';

/** RFC 4180 fields: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

const DATE = /^\d{4}-\d{2}-\d{2}T/;

/** docs/resource-types.md: booleans as booleans, `N/A`/`no_information` as null, dates as ISO strings. */
export function cellValue(raw: string): string | boolean | null {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'N/A' || raw === 'no_information' || raw === 'not_supported' || raw === '') return null;
  if (DATE.test(raw)) {
    const d = new Date(raw);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return raw;
}

/** Rows keyed by the `user` column; column names are kept as AWS writes them. */
export function parseCredentialReport(csv: string): Map<string, CredentialRow> {
  const [header, ...rows] = parseCsv(csv);
  const out = new Map<string, CredentialRow>();
  if (!header) return out;
  for (const cells of rows) {
    const row: CredentialRow = {};
    header.forEach((column, i) => {
      // Names are data, not flags: a user called "true" stays a string.
      row[column] = column === 'user' || column === 'arn' ? (cells[i] ?? '') : cellValue(cells[i] ?? '');
    });
    const user = cells[0];
    if (typeof user === 'string' && user !== '') out.set(user, row);
  }
  return out;
}
