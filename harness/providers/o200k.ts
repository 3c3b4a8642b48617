import { lookup, NONE, o200kVocabulary, type Vocabulary } from './o200k-vocabulary.js';

/**
 * Token counts under o200k_base (the GPT-4o family's BPE), the same counts as gpt-tokenizer's
 * `countTokens` (test/providers/o200k.test.ts compares them on every vocabulary entry, every text of
 * the default run and hand-picked unicode and whitespace), at a fraction of its load cost: the
 * vocabulary is a compact index (o200k-vocabulary.ts), read from the file the build compiles, or
 * else decoded from gpt-tokenizer's `o200k_base.tiktoken` file, instead of compiling its 2.4 MB
 * module and building a map of 200,000 strings. It is loaded on the first call, so commands and runs that never count never load it.
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

let vocabulary: Vocabulary | undefined;

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
  const v = (vocabulary ??= o200kVocabulary());
  let n = 0;
  // `match` with the g flag gives the pieces as strings: no match object (index, input, groups) per piece.
  const pieces = text.match(SPLIT) ?? [];
  for (let i = 0; i < pieces.length; i++) n += countPiece(v, pieces[i] as string);
  return n;
}
