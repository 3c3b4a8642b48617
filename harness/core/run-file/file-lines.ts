import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';

/** One line of a file, as bytes: without its newline; `ended` is false only for a last line the file cut off without one. */
export interface ByteLine {
  /** 1-based line number. */
  line: number;
  /** Where the line starts in the file, in bytes. */
  offset: number;
  bytes: Buffer;
  ended: boolean;
}

/** Bytes read at a time: lines are cut out of each chunk, so memory holds a chunk and a line, never the whole file. */
const CHUNK = 1024 * 1024;

/** The lines of bytes already in memory (a gunzipped file): views into `bytes`, nothing copied. */
export function* bufferLines(bytes: Buffer): Generator<ByteLine> {
  let start = 0;
  let line = 1;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl < 0 ? bytes.length : nl;
    yield { line, offset: start, bytes: bytes.subarray(start, end), ended: nl >= 0 };
    start = end + 1;
    line += 1;
  }
}

/** `read`'s result, or an InputError naming the file when the file system refuses it. */
function unreadable<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new InputError([{ file, path: '', message: `cannot be read: ${(e as Error).message}` }]);
  }
}

/**
 * The lines of a file read a chunk at a time, in order. A line's bytes may be
 * a view into the chunk: use them before asking for the next line. A file
 * that cannot be opened or read is an InputError naming it.
 */
export function* fileLines(file: string): Generator<ByteLine> {
  const fd = unreadable(file, () => openSync(file, 'r'));
  try {
    const chunk = Buffer.allocUnsafe(CHUNK);
    // Bytes of a line begun in an earlier chunk, waiting for its newline.
    let pending: Buffer[] = [];
    let pendingStart = 0;
    let position = 0;
    let line = 1;
    for (;;) {
      const n = unreadable(file, () => readSync(fd, chunk, 0, CHUNK, null));
      if (n === 0) break;
      let start = 0;
      while (start < n) {
        const nl = chunk.indexOf(0x0a, start);
        if (nl < 0 || nl >= n) {
          if (pending.length === 0) pendingStart = position + start;
          pending.push(Buffer.from(chunk.subarray(start, n)));
          break;
        }
        const piece = chunk.subarray(start, nl);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        yield { line, offset: pending.length === 0 ? position + start : pendingStart, bytes, ended: true };
        pending = [];
        line += 1;
        start = nl + 1;
      }
      position += n;
    }
    if (pending.length > 0) yield { line, offset: pendingStart, bytes: Buffer.concat(pending), ended: false };
  } finally {
    closeSync(fd);
  }
}
