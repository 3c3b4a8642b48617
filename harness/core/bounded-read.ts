import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { groupedNumber } from './grouped-number.js';

/** Largest fixture (`result_file`) or handler module read by default: 5 MiB. `max_fixture_bytes` / `--max-fixture-bytes` change it. */
export const DEFAULT_MAX_FIXTURE_BYTES = 5 * 1024 * 1024;

/** Largest YAML input (scenario, prompt front matter file, config, gates, prices): 1 MiB. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** What a path is when it is not a regular file, in words; undefined for a regular file. */
export function notRegularFile(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined;
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** `n` bytes with thousands separators. */
export const bytes = (n: number): string => `${groupedNumber(n)} bytes`;

/**
 * Reads a regular file of at most `maxBytes` bytes as UTF-8, or says why not.
 * Directories, FIFOs, sockets and devices are refused from a stat before any
 * open; the open is non-blocking, the opened file is checked again with fstat,
 * and no more than `maxBytes + 1` bytes are ever read (files such as
 * `/proc/self/environ` report size 0 yet hold data). With `noFollow`, a
 * symlink in the last path component is refused at open (for a path already
 * resolved with realpath, so that it cannot be swapped for a link meanwhile).
 */
export function readBounded(file: string, maxBytes: number, options: { noFollow?: boolean } = {}): { text: string } | { problem: string; tooBig?: true } {
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (e) {
    return { problem: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}` };
  }
  const kind = notRegularFile(stat);
  if (kind !== undefined) return { problem: `is ${kind}, not a regular file` };
  if (stat.size > maxBytes) return overCap(stat.size, maxBytes);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (options.noFollow ? (constants.O_NOFOLLOW ?? 0) : 0));
  } catch (e) {
    return { problem: `cannot read: ${(e as Error).message}` };
  }
  try {
    const opened = fstatSync(fd);
    const openedKind = notRegularFile(opened);
    if (openedKind !== undefined) return { problem: `is ${openedKind}, not a regular file` };
    if (opened.size > maxBytes) return overCap(opened.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    // The first chunk holds the file as fstat sizes it and one byte more; after a short read, a
    // small one sees the end. A file that reports no size, or grows, is read in 64 KiB pieces.
    // Only the bytes read are ever used of a chunk, so it need not be zeroed.
    let size = opened.size > 0 ? opened.size + 1 : 64 * 1024;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(size, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { problem: `holds more than ${bytes(maxBytes)}, the limit`, tooBig: true };
      size = n === chunk.length ? 64 * 1024 : 1024;
    }
    return { text: (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total)).toString('utf8') };
  } catch (e) {
    return { problem: `cannot read: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}

function overCap(size: number, maxBytes: number): { problem: string; tooBig: true } {
  return { problem: `is ${bytes(size)}, over the limit of ${bytes(maxBytes)}`, tooBig: true };
}
