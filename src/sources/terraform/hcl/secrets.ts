/**
 * Attribute names whose values are secrets whatever they are set from: a literal password in a .tf
 * file is exactly what must never reach a report. Matching is by name at any depth, so
 * `environment.0.variables.DB_PASSWORD` counts too; a false positive only hides a value.
 */
const SECRET_NAMES = new Set([
  'password',
  'passwd',
  'secret',
  'token',
  'user_data',
  'user_data_base64',
  'custom_data',
  'metadata_startup_script',
  'startup-script',
  'secret_string',
  'secret_binary',
  'private_key',
  'private_key_pem',
  'client_secret',
  'secret_key',
  'auth_token',
  'sas_token',
  'connection_string',
  'primary_access_key',
  'secondary_access_key',
  'sensitive_content',
  'content_base64',
]);

const SECRET_SUFFIXES = ['_password', '_secret', '_token', '_private_key', '_secret_key', '_passwd'];

export function isSecretAttribute(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_NAMES.has(lower) || SECRET_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

/** Dotted paths (list indices as numbers) of every secret-named key in a value tree. */
export function secretPaths(value: unknown, path = ''): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      out.push(...secretPaths(item, path === '' ? String(i) : `${path}.${i}`));
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const p = path === '' ? key : `${path}.${key}`;
      if (isSecretAttribute(key)) out.push(p);
      else out.push(...secretPaths(item, p));
    }
  }
  return out;
}
