import type { FindingChange } from './diff.js';

export type WatchFormat = 'jsonl' | 'json' | 'table';

/** One change as a JSON line: the Result of DESIGN §4 plus `change`. */
export function jsonLine(c: FindingChange): string {
  return JSON.stringify({ ...c.result, change: c.change });
}

/** One change as a terminal line. */
export function tableLine(c: FindingChange): string {
  const r = c.result;
  return `${c.change.padEnd(8)} ${r.severity.padEnd(8)} ${r.policy}  ${r.resource.id}  ${r.message}`;
}

/**
 * Writes changes as they happen (jsonl, table) or all at the end (json: one array, written at exit).
 * Output goes through `write`, which must finish before the queue message is deleted.
 */
export class ChangeWriter {
  private readonly held: FindingChange[] = [];
  constructor(
    private readonly format: WatchFormat,
    private readonly write: (text: string) => Promise<void>,
  ) {}

  async add(changes: readonly FindingChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (this.format === 'json') {
      this.held.push(...changes);
      return;
    }
    const line = this.format === 'jsonl' ? jsonLine : tableLine;
    await this.write(`${changes.map(line).join('\n')}\n`);
  }

  async close(): Promise<void> {
    if (this.format !== 'json') return;
    const doc = this.held.map((c) => ({ ...c.result, change: c.change }));
    await this.write(`${JSON.stringify(doc, null, 2)}\n`);
  }
}
