import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

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
