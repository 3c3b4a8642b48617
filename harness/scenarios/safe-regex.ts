import { RE2JS } from 're2js';
import { LIMITS } from '../core/limits.js';
import { groupedNumber } from '../core/grouped-number.js';
import { literalTest } from './literal-regex.js';

/**
 * User-given regular expressions (success checks, chain-step inputs, argument
 * matching) run on RE2 (`re2js`, pure JavaScript): matching takes time linear
 * in the text, whatever the pattern, so `^(a+)+$` cannot stall a run. A
 * pattern is written in JavaScript syntax and must also be one RE2 supports:
 * backreferences (`\1`) and lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`) are
 * refused when the pattern is compiled, which happens once, at load.
 */
export interface SafeRegex {
  /** The pattern as written. */
  readonly source: string;
  /** The flags as written. */
  readonly flags: string;
  /** Whether the pattern matches anywhere in `text` (like `RegExp.prototype.test` of a fresh RegExp). */
  test(text: string): boolean;
  /** The first match: the whole match, then each group (`undefined` when it took no part), or null. */
  exec(text: string): (string | undefined)[] | null;
}

/** A pattern refused at compile time; `message` says why. */
export class SafeRegexError extends Error {
  override readonly name = 'SafeRegexError';
}

/** JavaScript flags and their RE2 counterparts (0: no effect on a first match). */
const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0,
  g: 0,
};

const cache = new Map<string, SafeRegex>();
const CACHE_SIZE = 1000;
/** Texts whose RE2 answer a pattern keeps, and the longest text kept. */
const TEST_MEMO_SIZE = 256;
const TEST_MEMO_TEXT = 4096;

/**
 * Compiles `pattern` with JavaScript `flags` (`i`, `m`, `s`, `u`, `g`) for
 * linear-time matching; throws `SafeRegexError` saying why a pattern is
 * refused. The same pattern and flags compile once per process.
 */
export function compileSafeRegex(pattern: string, flags = ''): SafeRegex {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = compile(pattern, flags);
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/** Why `pattern` with `flags` is refused, or undefined when it compiles. */
export function safeRegexProblem(pattern: string, flags = ''): string | undefined {
  try {
    compileSafeRegex(pattern, flags);
    return undefined;
  } catch (e) {
    if (e instanceof SafeRegexError) return e.message;
    throw e;
  }
}

function compile(pattern: string, flags: string): SafeRegex {
  if (pattern.length > LIMITS.regexChars) {
    throw new SafeRegexError(`the pattern has ${groupedNumber(pattern.length)} characters; the limit is ${groupedNumber(LIMITS.regexChars)}`);
  }
  // The pattern keeps JavaScript's syntax: what JavaScript rejects is rejected as before.
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    throw new SafeRegexError(`invalid regex: ${(e as Error).message}`);
  }
  let bits = 0;
  for (const f of flags) {
    const bit = FLAG_BITS[f];
    if (bit === undefined) throw new SafeRegexError(`flag "${f}" is not supported (use i, m, s, u or g)`);
    bits |= bit;
  }
  // A short finite set of ASCII strings (most answer checks) is tested by substring search with RE2's
  // answer (literal-regex.ts); RE2 accepts every such pattern, so it is compiled only when `exec` needs groups.
  const quick = literalTest(pattern, flags);
  let re: RE2JS | undefined;
  const engine = (): RE2JS => (re ??= compileRe2(pattern, bits));
  if (quick === undefined) engine();
  // RE2 in JavaScript is slow next to substring search, and the same texts come back (a reference policy's
  // answer to a scenario, every session): its answers are kept by text, a few hundred short texts per pattern.
  const answers = new Map<string, boolean>();
  const viaEngine = (text: string): boolean => {
    const known = answers.get(text);
    if (known !== undefined) return known;
    const found = engine().test(text);
    if (text.length > TEST_MEMO_TEXT) return found;
    if (answers.size >= TEST_MEMO_SIZE) answers.clear();
    answers.set(text, found);
    return found;
  };
  return {
    source: pattern,
    flags,
    test: quick ?? viaEngine,
    exec: (text) => {
      const m = engine().exec(text);
      return m === null ? null : Array.from(m, (g: unknown) => (typeof g === 'string' ? g : undefined));
    },
  };
}

function compileRe2(pattern: string, bits: number): RE2JS {
  try {
    return RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    throw new SafeRegexError(
      `not supported by the linear-time regex engine (RE2): ${why}. Checks run in time linear in the text, so backreferences, lookahead and lookbehind, and repeat counts over 1000 are refused`,
    );
  }
}
