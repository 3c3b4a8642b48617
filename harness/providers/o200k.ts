import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Token counts under o200k_base (the GPT-4o family's BPE), the same counts as gpt-tokenizer's
 * `countTokens` (test/providers/o200k.test.ts compares them on every vocabulary entry, every text of
 * the default run and hand-picked unicode and whitespace), at a fraction of its load cost: the
 * vocabulary is read from the package's `o200k_base.tiktoken` file (OpenAI's published format,
 * one `base64(bytes) rank` line per token) into one byte buffer and an open-addressing hash index,
 * instead of compiling a 2.4 MB module and building a map of 200,000 strings. It is loaded on the
 * first call, so commands and runs that never count never load it.
 */

/** o200k_base's split of a text into pieces before BPE (tiktoken's pattern, as gpt-tokenizer writes it). */
const CONTRACTION = String.raw`(?:'(?:[sS]|[dD]|[mM]|[tT]|[lL][lL]|[vV][eE]|[rR][eE]))?`;
const SPLIT = new RegExp(
  String.raw`[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+${CONTRACTION}` +
    String.raw`|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*${CONTRACTION}` +
    String.raw`|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`,
  'gu',
);

/** Special tokens are not counted as text: like gpt-tokenizer by default, a text holding one is refused. */
const SPECIAL = /(<\|endoftext\|>|<\|fim_prefix\|>|<\|fim_middle\|>|<\|fim_suffix\|>|<\|im_start\|>|<\|im_end\|>|<\|im_sep\|>|<\|endofprompt\|>)/;

export interface Vocabulary {
  /** Every token's bytes, one after another in rank order. */
  bytes: Uint8Array;
  /** Token `r` is `bytes[offsets[r]..offsets[r + 1]]`. */
  offsets: Uint32Array;
  /** Open-addressing hash index: a slot holds a rank or -1. */
  index: Int32Array;
}

const NONE = 0x7fffffff;
let vocabulary: Vocabulary | undefined;

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
function lookup(v: Vocabulary, buf: Uint8Array, start: number, end: number): number {
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

function startsWithBom(buf: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf;
}

/** Whether `buf[start..end]` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
export function isUtf8(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = buf[i] as number;
    let extra: number;
    let cp: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      extra = 1;
      cp = b & 0x1f;
    } else if ((b & 0xf0) === 0xe0) {
      extra = 2;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      extra = 3;
      cp = b & 0x07;
    } else return false;
    if (i + extra >= end) return false;
    for (let k = 1; k <= extra; k += 1) {
      const c = buf[i + k] as number;
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if ((extra === 2 && cp < 0x800) || (extra === 3 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return false;
    i += extra + 1;
  }
  return true;
}

/**
 * Rank of the bytes `buf[start..end]` as gpt-tokenizer finds it during a merge, or NONE. It decodes
 * well-formed UTF-8 with a TextDecoder, which drops a leading byte-order mark, and looks the rest
 * up among its text tokens (none of which starts with a BOM); other bytes are looked up as they are.
 * For bytes that do not start with a BOM this is the plain lookup.
 */
function rankOf(v: Vocabulary, buf: Uint8Array, start: number, end: number): number {
  if (!startsWithBom(buf, start, end) || !isUtf8(buf, start, end)) return lookup(v, buf, start, end);
  return end - start > 3 && !startsWithBom(buf, start + 3, end) ? lookup(v, buf, start + 3, end) : NONE;
}

let scratch = new Uint8Array(1024);
let starts = new Int32Array(1025);
let ranks = new Int32Array(1025);

/**
 * UTF-8 of `piece` into `scratch` (a lone surrogate becomes U+FFFD, as TextEncoder writes it).
 * Returns the byte length, negated when the piece held a lone surrogate.
 */
function encodePiece(piece: string): number {
  if (scratch.length < piece.length * 3) scratch = new Uint8Array(piece.length * 3);
  const buf = scratch;
  let n = 0;
  let wellFormed = true;
  for (let i = 0; i < piece.length; i += 1) {
    let c = piece.charCodeAt(i);
    if (c < 0x80) {
      buf[n++] = c;
      continue;
    }
    if (c < 0x800) {
      buf[n++] = 0xc0 | (c >> 6);
      buf[n++] = 0x80 | (c & 63);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = piece.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i += 1;
        buf[n++] = 0xf0 | (c >> 18);
        buf[n++] = 0x80 | ((c >> 12) & 63);
        buf[n++] = 0x80 | ((c >> 6) & 63);
        buf[n++] = 0x80 | (c & 63);
        continue;
      }
      wellFormed = false;
      c = 0xfffd;
    }
    buf[n++] = 0xe0 | (c >> 12);
    buf[n++] = 0x80 | ((c >> 6) & 63);
    buf[n++] = 0x80 | (c & 63);
  }
  return wellFormed ? n : -n;
}

/**
 * Tokens of the piece's bytes `scratch[0..length]` by byte-pair merging: the adjacent pair whose
 * merged bytes have the lowest rank is merged first (the leftmost on a tie), until no pair is a token.
 */
function mergeCount(v: Vocabulary, length: number): number {
  if (starts.length < length + 1) {
    starts = new Int32Array(length + 1);
    ranks = new Int32Array(length + 1);
  }
  const buf = scratch;
  for (let i = 0; i <= length; i += 1) {
    starts[i] = i;
    ranks[i] = i < length - 1 ? rankOf(v, buf, i, i + 2) : NONE;
  }
  let parts = length + 1; // boundaries
  while (parts > 1) {
    let lowest = NONE;
    let at = -1;
    for (let i = 0; i < parts - 1; i += 1) {
      const r = ranks[i] as number;
      if (r < lowest) {
        lowest = r;
        at = i;
      }
    }
    if (at === -1) break;
    // Drop boundary at + 1: parts at and at + 1 become one.
    starts.copyWithin(at + 1, at + 2, parts);
    ranks.copyWithin(at + 1, at + 2, parts);
    parts -= 1;
    ranks[at] = at + 2 < parts ? rankOf(v, buf, starts[at] as number, starts[at + 2] as number) : NONE;
    if (at > 0) ranks[at - 1] = at + 1 < parts ? rankOf(v, buf, starts[at - 1] as number, starts[at + 1] as number) : NONE;
  }
  return parts - 1;
}

/** Token counts of pieces already seen (pieces repeat: words, indentation, punctuation). */
const pieceCounts = new Map<string, number>();
const MAX_PIECES = 200_000;

function countPiece(v: Vocabulary, piece: string): number {
  const known = pieceCounts.get(piece);
  if (known !== undefined) return known;
  const encoded = encodePiece(piece);
  const length = Math.abs(encoded);
  // A piece that is a token is one token. Like gpt-tokenizer, which looks a piece up whole among its
  // text tokens, a piece with a lone surrogate or a leading BOM is never found whole.
  const whole = encoded > 0 && !startsWithBom(scratch, 0, length) && lookup(v, scratch, 0, length) !== NONE;
  const n = whole ? 1 : mergeCount(v, length);
  if (pieceCounts.size >= MAX_PIECES) pieceCounts.clear();
  pieceCounts.set(piece, n);
  return n;
}

/** Tokens of `text` under o200k_base. */
export function countO200k(text: string): number {
  if (text.includes('<|')) {
    const special = SPECIAL.exec(text);
    if (special !== null) throw new Error(`Disallowed special token found: ${special[0]}`);
  }
  const v = (vocabulary ??= loadVocabulary());
  let n = 0;
  for (const [piece] of text.matchAll(SPLIT)) n += countPiece(v, piece);
  return n;
}
