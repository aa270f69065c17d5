import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { InputError } from '../util/errors.js';
import { readFailure } from '../util/read-input.js';

/** Where log lines come from: a file path, or bytes/a stream handed over by a fetcher (S3, CloudWatch Logs). */
export type LogSource =
  | { kind: 'file'; path: string }
  | { kind: 'stream'; name: string; open: () => Promise<Readable | Uint8Array> };

export function sourceName(s: LogSource): string {
  return s.kind === 'file' ? s.path : s.name;
}

/** Lines longer than this are not log lines (binary or hostile input); they are skipped, not buffered forever. */
const MAX_LINE = 1024 * 1024;

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function fileStream(path: string): Readable {
  const head = Buffer.alloc(2);
  let n: number;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    n = readSync(fd, head, 0, 2, 0);
  } catch (err) {
    throw new InputError(`cannot read log file: ${readFailure(err)}`, path);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const raw = createReadStream(path, { highWaterMark: 1024 * 1024 });
  // Gzip is recognised by its magic bytes: S3 log keys end in .gz but copies often lose the suffix.
  if (n !== 2 || !isGzip(head)) return raw;
  const gunzip = createGunzip();
  // pipe() does not forward errors: a read error must end the gunzip stream the caller iterates.
  raw.on('error', (err) => gunzip.destroy(err));
  return raw.pipe(gunzip);
}

async function openSource(s: LogSource): Promise<Readable> {
  if (s.kind === 'file') return fileStream(s.path);
  const got = await s.open();
  if (got instanceof Uint8Array) return Readable.from([isGzip(got) ? gunzipSync(got) : Buffer.from(got)]);
  return got;
}

export interface Line {
  text: string;
  /** 1-based line number within the source. */
  number: number;
}

/**
 * Streams the lines of a log (plain or gzipped) without holding the file in memory. Splits on
 * `\n` in the raw bytes and decodes each line once; a trailing `\r` is dropped.
 */
export async function* readLines(s: LogSource): AsyncGenerator<Line> {
  const stream = await openSource(s);
  let carry: Buffer | undefined;
  let number = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (;;) {
        const nl = buf.indexOf(10, start);
        if (nl < 0) break;
        number++;
        let end = nl;
        if (end > start && buf[end - 1] === 13) end--;
        if (end - start <= MAX_LINE) yield { text: buf.toString('utf8', start, end), number };
        start = nl + 1;
      }
      carry = start < buf.length ? buf.subarray(start) : undefined;
      // An over-long line's head is dropped; its tail then fails to parse and is counted as skipped.
      if (carry && carry.length > MAX_LINE) carry = undefined;
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read log: ${(err as Error).message}`, sourceName(s));
  }
  if (carry && carry.length > 0) {
    number++;
    yield { text: carry.toString('utf8').replace(/\r$/, ''), number };
  }
}
