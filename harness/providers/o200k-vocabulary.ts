import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../core/version.js';

/**
 * The o200k_base vocabulary (the GPT-4o family's BPE ranks) in a compact form: read from a `.tiktoken`
 * file (OpenAI's published format, one `base64(bytes) rank` line per token) into one byte buffer
 * and an open-addressing hash index from a token's bytes to its rank, about 4 MB in all. Counting
 * with it is in o200k.ts.
 */

export interface Vocabulary {
  /** Every token's bytes, one after another in rank order. */
  bytes: Uint8Array;
  /** Token `r` is `bytes[offsets[r]..offsets[r + 1]]`. */
  offsets: Uint32Array;
  /** Open-addressing hash index: a slot holds a rank or -1. */
  index: Int32Array;
}

/** No token: the rank of bytes that are not in the vocabulary. */
export const NONE = 0x7fffffff;

/** The `.tiktoken` file shipped with gpt-tokenizer (the same ranks its own encoder is generated from). */
export function o200kRanksFile(): string {
  const main = createRequire(import.meta.url).resolve('gpt-tokenizer');
  return join(dirname(main), '..', 'data', 'o200k_base.tiktoken');
}

const BASE64 = (() => {
  const values = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i += 1) values[alphabet.charCodeAt(i)] = i;
  return values;
})();

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = FNV_OFFSET;
  for (let i = start; i < end; i += 1) h = Math.imul(h ^ (buf[i] as number), FNV_PRIME);
  return h >>> 0;
}

/**
 * Reads `base64(bytes) rank` lines whose ranks run 0, 1, 2, ... (a `.tiktoken` file) into the token bytes,
 * their offsets and an index, hashing each token's bytes as they are decoded.
 */
export function parseTiktoken(file: Uint8Array, name: string): Vocabulary {
  const text = new Uint8Array(file.buffer, file.byteOffset, file.length);
  const end = text.length;
  const bytes = new Uint8Array(end);
  // A line is at least 7 characters ("XX== 0\n"): room for every rank and the closing offset.
  const offsets = new Uint32Array(Math.floor(end / 7) + 2);
  const hashes = new Uint32Array(offsets.length);
  const bad = (line: number, why: string): Error => new Error(`${name}: line ${line}: ${why}`);
  let out = 0;
  let p = 0;
  let rank = 0;
  while (p < end) {
    offsets[rank] = out;
    let acc = 0;
    let bits = 0;
    let h = FNV_OFFSET;
    for (;;) {
      const c = p < end ? (text[p++] as number) : 10;
      if (c === 32) break;
      if (c === 10) throw bad(rank + 1, 'expected "<base64> <rank>"');
      if (c === 61) continue; // '=' padding
      const v = BASE64[c] as number;
      if (v < 0) throw bad(rank + 1, 'not base64');
      acc = ((acc << 6) | v) & 0xffff;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        const b = (acc >> bits) & 255;
        bytes[out++] = b;
        h = Math.imul(h ^ b, FNV_PRIME);
      }
    }
    let value = 0;
    let digits = 0;
    for (;;) {
      const c = p < end ? (text[p++] as number) : 10;
      if (c === 10) break;
      if (c < 48 || c > 57) throw bad(rank + 1, 'rank is not a number');
      value = value * 10 + (c - 48);
      digits += 1;
    }
    if (digits === 0 || value !== rank) throw bad(rank + 1, `expected rank ${rank}`);
    hashes[rank] = h >>> 0;
    rank += 1;
  }
  offsets[rank] = out;
  let size = 1;
  while (size < rank * 2.5) size *= 2;
  const index = new Int32Array(size).fill(-1);
  const mask = size - 1;
  for (let r = 0; r < rank; r += 1) {
    let slot = (hashes[r] as number) & mask;
    while (index[slot] !== -1) slot = (slot + 1) & mask;
    index[slot] = r;
  }
  return { bytes: bytes.slice(0, out), offsets: offsets.slice(0, rank + 1), index };
}

/** Loads the vocabulary from a `.tiktoken` file (o200k_base's by default). */
export function loadVocabulary(file: string = o200kRanksFile()): Vocabulary {
  return parseTiktoken(readFileSync(file), file);
}

/**
 * The compiled vocabulary: the build (`npm run build`) writes o200k_base's offsets, hash index and token
 * bytes as they lie in memory, under a one-line JSON header naming the ranks file they came from (its
 * package version and size), so a command that counts tokens reads 4 MB (a few ms) instead of decoding
 * 3.6 MB of base64 and hashing every token (40 to 60 ms).
 * A file that is missing, of another format, or from another ranks file is not used: the ranks file is
 * read as before.
 */
export const COMPILED_VOCABULARY_FILE: string = join(PACKAGE_ROOT, 'dist', 'harness', 'providers', 'o200k_base.bin');

const COMPILED_FORMAT = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

interface CompiledHeader {
  format: number;
  /** `gpt-tokenizer@<version>/o200k_base.tiktoken` */
  source: string;
  sourceBytes: number;
  tokens: number;
  /** Slots of the hash index. */
  slots: number;
  bytes: number;
}

/** What the compiled file must say of the ranks file in use, or undefined when that cannot be told. */
function expectedSource(ranks: string): { source: string; sourceBytes: number } | undefined {
  try {
    const pkg = JSON.parse(readFileSync(join(dirname(ranks), '..', 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
    if (typeof pkg.version !== 'string') return undefined;
    return { source: `gpt-tokenizer@${pkg.version}/o200k_base.tiktoken`, sourceBytes: statSync(ranks).size };
  } catch {
    return undefined;
  }
}

/** Writes the compiled vocabulary of `ranks` to `file` (run by the build). */
export function writeCompiledVocabulary(file: string = COMPILED_VOCABULARY_FILE, ranks: string = o200kRanksFile()): void {
  const expected = expectedSource(ranks);
  if (expected === undefined || !LITTLE_ENDIAN) return;
  const v = loadVocabulary(ranks);
  const header: CompiledHeader = { format: COMPILED_FORMAT, ...expected, tokens: v.offsets.length - 1, slots: v.index.length, bytes: v.bytes.length };
  let text = JSON.stringify(header);
  // The offsets that follow start on a multiple of 4 bytes.
  text += `${' '.repeat((4 - ((text.length + 1) % 4)) % 4)}\n`;
  const parts = [Buffer.from(text, 'utf8'), v.offsets, v.index, v.bytes].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(file, Buffer.concat(parts));
}

/** The compiled vocabulary in `file` when it is one of `ranks`, else undefined. */
export function readCompiledVocabulary(file: string = COMPILED_VOCABULARY_FILE, ranks: string = o200kRanksFile()): Vocabulary | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    return undefined;
  }
  const newline = buf.indexOf(10);
  if (newline < 0 || newline > 1024 || (newline + 1) % 4 !== 0) return undefined;
  let header: Partial<CompiledHeader>;
  try {
    header = JSON.parse(buf.toString('utf8', 0, newline)) as Partial<CompiledHeader>;
  } catch {
    return undefined;
  }
  const expected = expectedSource(ranks);
  if (header.format !== COMPILED_FORMAT || expected === undefined || header.source !== expected.source || header.sourceBytes !== expected.sourceBytes) return undefined;
  const { tokens, slots, bytes } = header;
  if (!isCount(tokens) || !isCount(slots) || !isCount(bytes) || slots <= tokens || (slots & (slots - 1)) !== 0) return undefined;
  const at = newline + 1;
  if (buf.length !== at + (tokens + 1) * 4 + slots * 4 + bytes) return undefined;
  // Views of the file's bytes (all of them are the vocabulary); typed views need a start on a multiple of 4,
  // so a buffer that does not give one is copied first.
  const data = (buf.byteOffset + at) % 4 === 0 ? buf : new Uint8Array(buf);
  const start = data.byteOffset + at;
  const offsets = new Uint32Array(data.buffer, start, tokens + 1);
  const index = new Int32Array(data.buffer, start + offsets.byteLength, slots);
  const tokenBytes = new Uint8Array(data.buffer, start + offsets.byteLength + index.byteLength, bytes);
  // What lookups rely on to end: an empty slot, where a probe for bytes that are not a token stops. (A slot
  // or an offset out of range cannot crash a lookup, only fail to match; the header already tied the file
  // to this ranks file, so no element-wise check, which would cost as much as building the index.)
  if (offsets[0] !== 0 || offsets[tokens] !== bytes || index.indexOf(-1) === -1) return undefined;
  return { bytes: tokenBytes, offsets, index };
}

const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) > 0;

/** The o200k_base vocabulary: compiled by the build when that is current, else read from the ranks file. */
export function o200kVocabulary(): Vocabulary {
  return readCompiledVocabulary() ?? loadVocabulary();
}

/** Rank of the bytes `buf[start..end]`, or NONE. */
export function lookup(v: Vocabulary, buf: Uint8Array, start: number, end: number): number {
  const { bytes, offsets, index } = v;
  const mask = index.length - 1;
  const length = end - start;
  let slot = hashBytes(buf, start, end) & mask;
  for (;;) {
    const r = index[slot] as number;
    if (r === -1) return NONE;
    const from = offsets[r] as number;
    if ((offsets[r + 1] as number) - from === length) {
      let i = 0;
      while (i < length && bytes[from + i] === buf[start + i]) i += 1;
      if (i === length) return r;
    }
    slot = (slot + 1) & mask;
  }
}
