import { bfclEqual } from '../core/bfcl-match.js';
import { jsonEqual, sameItems } from '../core/match-args.js';
import { compileSafeRegex } from './safe-regex.js';

/**
 * Argument matching of mocked results beyond plain equality: free-text
 * arguments by substring or regular expression (RE2 syntax, run by re2js in
 * time linear in the input, so no pattern can hang a run), arrays ignoring
 * order, and the argument echo of a fallback's result.
 */

/** A compiled test of one free-text argument. */
export interface TextMatcher {
  /** `contains "x"` or `regex /x/`, for messages. */
  label: string;
  test(value: string): boolean;
}

/** A substring test, case-insensitive. */
export function containsMatcher(needle: string): TextMatcher {
  const lower = needle.toLowerCase();
  return { label: `contains ${JSON.stringify(needle)}`, test: (v) => v.toLowerCase().includes(lower) };
}

/** A leading inline flag group, e.g. `(?i)`: the only place a mock pattern can set flags. */
const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/**
 * A regex test (found anywhere in the value unless anchored; a leading `(?i)`, `(?s)` or `(?m)`
 * sets flags), or why the pattern is refused. Compiled by `compileSafeRegex`, as every
 * user-given pattern is: JavaScript syntax, linear-time matching, so no backreferences or lookaround.
 */
export function regexMatcher(pattern: string): TextMatcher | { error: string } {
  const inline = INLINE_FLAGS.exec(pattern);
  const flags = inline?.[1] ?? '';
  const body = inline ? pattern.slice(inline[0].length) : pattern;
  try {
    const re = compileSafeRegex(body, flags);
    return { label: `regex /${pattern}/`, test: (v) => re.test(v) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Equality of two argument values; with `unordered`, arrays compared as multisets. */
export function valueEqual(a: unknown, b: unknown, unordered: boolean): boolean {
  return unordered ? sameItems(a, b) : jsonEqual(a, b);
}

/** How one mocked entry matches: the literal `match`, its mode, text tests and unordered keys. */
export interface EntryMatch {
  match: Record<string, unknown>;
  mode: 'exact' | 'subset' | 'bfcl';
  /** Free-text tests by argument name; every one must pass on a string argument. */
  text?: Readonly<Record<string, readonly TextMatcher[]>>;
  /** Argument names whose arrays match in any order. */
  unordered?: readonly string[];
}

/**
 * True when the call's arguments satisfy the entry: every key of `match` equal
 * (arrays of `unordered` keys in any order; strings normalised in `bfcl`
 * mode), every text test passing; in `exact` and `bfcl` mode the call has no
 * key beyond those.
 */
export function entryMatches(entry: EntryMatch, args: Record<string, unknown>): boolean {
  // Plain loops: this runs for every mocked entry a call is tried against, in every session.
  for (const k of Object.keys(entry.match)) {
    if (!Object.hasOwn(args, k)) return false;
    const v = entry.match[k];
    const same = entry.mode === 'bfcl' ? bfclEqual(v, args[k]) : valueEqual(v, args[k], entry.unordered?.includes(k) === true);
    if (!same) return false;
  }
  const text = entry.text ?? {};
  for (const k of Object.keys(text)) {
    const v = args[k];
    if (typeof v !== 'string') return false;
    for (const t of text[k] as readonly TextMatcher[]) if (!t.test(v)) return false;
  }
  if (entry.mode === 'subset') return true;
  for (const k of Object.keys(args)) if (!Object.hasOwn(entry.match, k) && !Object.hasOwn(text, k)) return false;
  return true;
}

const PLACEHOLDER = /\{\{\s*args(?:\.([A-Za-z0-9_-]+))?\s*\}\}/g;
const WHOLE = /^\{\{\s*args(?:\.([A-Za-z0-9_-]+))?\s*\}\}$/;

/**
 * A fallback's result with the call's arguments echoed in: `{{args}}` is the
 * arguments as JSON, `{{args.name}}` one argument (text as is, anything else
 * as JSON, empty when absent). In a JSON result, a string that is exactly one
 * placeholder becomes the value itself (a number stays a number).
 */
export function renderEcho(template: unknown, args: Record<string, unknown>): string {
  const pick = (name: string | undefined): unknown => (name === undefined ? args : args[name]);
  const asText = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
  const fill = (s: string): string => s.replace(PLACEHOLDER, (_m, name: string | undefined) => asText(pick(name)));
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = WHOLE.exec(v);
      return whole ? (pick(whole[1]) ?? null) : fill(v);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return typeof template === 'string' ? fill(template) : JSON.stringify(walk(template));
}
