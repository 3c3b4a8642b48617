import { closeSync, createReadStream, open, openSync, statSync, writeSync } from 'node:fs';
import type { Hash } from 'node:crypto';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * Reading trace files for `import traces`: line by line, from a file or a pipe, gzip-compressed or
 * not, with the bytes as stored hashed on the way and an abort that ends the reading at once; and
 * the copy of an input that cannot be read twice.
 */

/** Whether `path` is a regular file (one that reads the same twice); a path that cannot be looked at is left to the read to report. */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}

/**
 * The lines of a file, streamed (decompressed when it holds gzip data); every chunk of the file as
 * stored also goes to `hash` when given. An abort ends them at once (the caller checks the signal
 * after the loop).
 */
export async function* lines(path: string, hash: Hash | undefined, signal: AbortSignal | undefined): AsyncGenerator<string> {
  if (signal?.aborted) return;
  const raw = isPipe(path) ? await pipeReader(path) : createReadStream(path);
  const gzip = await startsWithGzip(raw);
  if (raw.readableEnded) return;
  if (hash !== undefined) raw.on('data', (chunk: Buffer | string) => hash.update(chunk));
  const input = gzip ? gunzipped(raw) : raw;
  const reader = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  // Closing the reader ends the loop below; destroying the stream alone would leave it waiting.
  const stop = (): void => {
    reader.close();
    input.destroy();
    raw.destroy();
  };
  signal?.addEventListener('abort', stop, { once: true });
  try {
    for await (const line of reader) {
      if (signal?.aborted) return;
      yield line;
    }
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
  }
}

/**
 * Whether the stream's data starts with gzip's magic bytes (1f 8b), whatever the file is called and
 * whether it is a file or a pipe; the bytes looked at are put back. Throws the stream's error (a file
 * that cannot be opened).
 */
async function startsWithGzip(raw: Readable): Promise<boolean> {
  for (;;) {
    const head = raw.read() as Buffer | null;
    if (head !== null) {
      raw.unshift(head);
      return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    }
    if (raw.errored) throw raw.errored;
    if (raw.readableEnded || raw.destroyed) return false;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        raw.off('readable', done);
        raw.off('end', done);
        raw.off('error', done);
        resolve();
      };
      raw.on('readable', done);
      raw.on('end', done);
      raw.on('error', done);
    });
  }
}

/** The decompressed stream of `raw`, failing with `raw`'s errors too (a truncated file fails with zlib's). */
function gunzipped(raw: Readable): Readable {
  const out = createGunzip();
  raw.on('error', (e) => out.destroy(e));
  return raw.pipe(out);
}

function isPipe(path: string): boolean {
  try {
    return statSync(path).isFIFO();
  } catch {
    return false;
  }
}

/**
 * A pipe (a named FIFO, `/dev/stdin` from a pipe, `<(zcat ...)`) read through the event loop: a file
 * stream's pending read of a silent pipe would hold the process after an abort until the writer wrote
 * again. Opening waits for a writer, as reading a FIFO does.
 */
async function pipeReader(path: string): Promise<Socket> {
  const fd = await new Promise<number>((resolve, reject) => open(path, 'r', (e, opened) => (e ? reject(e) : resolve(opened))));
  return new Socket({ fd, readable: true, writable: false });
}

/** The first pass's copy of an input that cannot be read twice, written in chunks. */
export class Spool {
  readonly #fd: number;
  #pending: string[] = [];
  #size = 0;

  constructor(file: string) {
    this.#fd = openSync(file, 'wx', 0o600);
  }

  write(line: string): void {
    this.#pending.push(line);
    this.#size += line.length + 1;
    if (this.#size >= 1 << 20) this.#flush();
  }

  close(): void {
    this.#flush();
    closeSync(this.#fd);
  }

  #flush(): void {
    if (this.#pending.length > 0) writeSync(this.#fd, `${this.#pending.join('\n')}\n`);
    this.#pending = [];
    this.#size = 0;
  }
}
