import { type Command, InvalidArgumentError } from 'commander';
import { SEVERITIES, type Severity } from '../model/result.js';
import { FORMATS, type Format } from '../output/index.js';
import type { ParameterValues } from '../policy/compile.js';

export function parseFormat(value: string): Format {
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${FORMATS.join(', ')}`);
  }
  return value as Format;
}

export function parseSeverity(value: string): Severity {
  const v = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(v))
    throw new InvalidArgumentError(`expected one of ${SEVERITIES.join(', ')}`);
  return v as Severity;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Parses a parameter value: JSON when it looks like JSON, a comma list for lists, else a string. */
function parseParamValue(raw: string): unknown {
  const t = raw.trim();
  if (/^[[{"]/.test(t) || t === 'true' || t === 'false' || /^-?\d+(\.\d+)?$/.test(t)) {
    try {
      return JSON.parse(t);
    } catch {
      throw new InvalidArgumentError(`invalid JSON value: ${t}`);
    }
  }
  return t === '' ? [] : t.includes(',') ? t.split(',').map((s) => s.trim()) : t;
}

/** `--param policy-id.name=value` (repeatable) → per-policy parameter values. */
export function parseParams(values: string[] = []): ParameterValues {
  const out: ParameterValues = {};
  for (const v of values) {
    const m = /^([^=]+)\.([A-Za-z_][\w-]*)=(.*)$/s.exec(v);
    if (!m) throw new InvalidArgumentError(`expected POLICY_ID.PARAMETER=VALUE, got "${v}"`);
    const [, policy, name, raw] = m;
    let value = parseParamValue(raw!);
    // A list parameter given one item is still a list.
    if (/cidr|list|s$/i.test(name!) && typeof value === 'string') value = [value];
    out[policy!] = { ...(out[policy!] ?? {}), [name!]: value };
  }
  return out;
}

/**
 * The output and gate options of every command that emits results (`scan`, `plan`, `detect`): one
 * definition so their formats, defaults and exit behaviour cannot drift apart.
 */
export function addResultOutputOptions(cmd: Command, help: { failOn: string; softFail: string }): Command {
  return cmd
    .option(
      '-f, --format <format>',
      'table, json, sarif, junit or csv (default: table on a terminal, else json)',
      parseFormat,
    )
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--fail-on <severity>', help.failOn, parseSeverity, 'low' as Severity)
    .option('--soft-fail', help.softFail);
}
