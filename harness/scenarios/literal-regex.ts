/**
 * A quick test for the regular expressions that answer checks mostly are: a
 * finite set of ASCII strings (`roll ?back|revert`, `184[,.]?3`,
 * `Dec(ember)?\.? 9\b`) found by substring search, with RE2's answer, or such
 * sets in order with `.*` or `[^\n]*` between (`Porto[^\n]*(rain|showers)`).
 * RE2's `test` is true when some string of the pattern's language occurs in the
 * text; for a pattern without repetition that language is a short list, and
 * `\b` is a check of the neighbouring characters where it stands.
 * RE2 folds case by Unicode simple folding: an ASCII letter matches its other
 * case, and `k` and `s` also match the Kelvin sign (U+212A) and the long s
 * (U+017F); its `\b` and `\d` are ASCII only. A pattern outside these forms
 * (repetition, `.`, anchors, negated classes, non-ASCII, more than
 * MAX_STRINGS strings) gets no quick test and runs on RE2 (safe-regex.ts).
 */

/** One string of a pattern's language, with the offsets in it where `\b` requires a word boundary. */
interface Needle {
  text: string;
  boundaries: number[];
}

/** Strings a pattern may expand to: each is one substring search of the text. */
const MAX_STRINGS = 64;

/** An element of one expansion: a character (lowercased under `i`) or a word boundary. */
type Piece = string | typeof BOUNDARY;
const BOUNDARY = Symbol('\\b');

const isWord = (ch: string | undefined): boolean => ch !== undefined && /^[0-9A-Za-z_]$/.test(ch);

class TooComplex extends Error {}

/** Printable ASCII that stands for itself outside a class. */
const LITERAL = /^[ !"#%&',\-/0-9:;<=>@A-Z_`a-z~]$/;
/** Punctuation whose escape stands for itself (RE2 accepts `\` before any ASCII punctuation). */
const ESCAPED = /^[!-/:-@[-`{-~]$/;

/** Expansions of a pattern (lists of pieces), or TooComplex. */
class Expander {
  private at = 0;

  constructor(
    private readonly p: string,
    private readonly fold: boolean,
  ) {}

  all(): Piece[][] {
    const out = this.alternation();
    if (this.at !== this.p.length) throw new TooComplex();
    return out;
  }

  private alternation(): Piece[][] {
    const out = [...this.sequence()];
    while (this.p[this.at] === '|') {
      this.at += 1;
      out.push(...this.sequence());
      if (out.length > MAX_STRINGS) throw new TooComplex();
    }
    return out;
  }

  private sequence(): Piece[][] {
    let out: Piece[][] = [[]];
    for (;;) {
      const ch = this.p[this.at];
      if (ch === undefined || ch === '|' || ch === ')') return out;
      let options = this.atom();
      if (this.p[this.at] === '?') {
        this.at += 1;
        if (this.p[this.at] === '?') throw new TooComplex();
        options = [[], ...options];
      }
      const next: Piece[][] = [];
      for (const head of out) for (const tail of options) next.push([...head, ...tail]);
      if (next.length > MAX_STRINGS) throw new TooComplex();
      out = next;
    }
  }

  private char(ch: string): string {
    return this.fold ? ch.toLowerCase() : ch;
  }

  private atom(): Piece[][] {
    const ch = this.p[this.at] as string;
    this.at += 1;
    if (ch === '(') {
      if (this.p[this.at] === '?') {
        if (this.p[this.at + 1] !== ':') throw new TooComplex();
        this.at += 2;
      }
      const inner = this.alternation();
      if (this.p[this.at] !== ')') throw new TooComplex();
      this.at += 1;
      return inner;
    }
    if (ch === '[') return this.charClass().map((c) => [c]);
    if (ch === '\\') {
      const next = this.p[this.at] ?? '';
      this.at += 1;
      if (next === 'b') return [[BOUNDARY]];
      if (next === 'd') return [...'0123456789'].map((d) => [d]);
      if (ESCAPED.test(next)) return [[this.char(next)]];
      throw new TooComplex();
    }
    if (LITERAL.test(ch)) return [[this.char(ch)]];
    throw new TooComplex();
  }

  /** The characters of `[...]` (no negation, ranges of letters or digits); the `[` is read. */
  private charClass(): string[] {
    const chars = new Set<string>();
    if (this.p[this.at] === '^' || this.p[this.at] === ']') throw new TooComplex();
    while (this.p[this.at] !== ']') {
      let ch = this.p[this.at];
      if (ch === undefined || ch === '[') throw new TooComplex();
      this.at += 1;
      if (ch === '\\') {
        ch = this.p[this.at] ?? '';
        this.at += 1;
        if (!ESCAPED.test(ch)) throw new TooComplex();
      } else if (!/^[ -~]$/.test(ch)) throw new TooComplex();
      if (this.p[this.at] === '-' && this.p[this.at + 1] !== ']' && this.p[this.at + 1] !== undefined) {
        const end = this.p[this.at + 1] as string;
        this.at += 2;
        const range = /^[0-9]$/.test(ch) && /^[0-9]$/.test(end) ? true : /^[a-z]$/.test(ch) && /^[a-z]$/.test(end) ? true : /^[A-Z]$/.test(ch) && /^[A-Z]$/.test(end);
        if (!range || end < ch) throw new TooComplex();
        for (let c = ch.charCodeAt(0); c <= end.charCodeAt(0); c += 1) chars.add(this.char(String.fromCharCode(c)));
      } else {
        chars.add(this.char(ch));
      }
      if (chars.size > MAX_STRINGS) throw new TooComplex();
    }
    this.at += 1;
    return [...chars];
  }
}

/**
 * One expansion as a needle. A boundary is checked on the text's own
 * characters: under `i`, a `k` of the pattern may match the Kelvin sign,
 * which is no word character.
 */
function toNeedle(pieces: readonly Piece[]): Needle {
  let text = '';
  const boundaries: number[] = [];
  for (const piece of pieces) {
    if (piece === BOUNDARY) boundaries.push(text.length);
    else text += piece;
  }
  if (text === '' && boundaries.length > 0) throw new TooComplex();
  return { text, boundaries };
}

/** Whether `text` has a word boundary before index `at`. */
const boundaryAt = (text: string, at: number): boolean => isWord(text[at - 1]) !== isWord(text[at]);

/** The last text folded: an answer is checked against several facts in a row. */
let lastFold = { text: '', folded: '' };

/** RE2's case folding of a text for ASCII needles: one UTF-16 unit for one, so positions stay. */
function foldCase(text: string): string {
  if (text === lastFold.text) return lastFold.folded;
  const folded = /^[\x00-\x7f]*$/.test(text) ? text.toLowerCase() : text.replace(/[A-Z\u212a\u017f]/g, (c) => (c === '\u212a' ? 'k' : c === '\u017f' ? 's' : c.toLowerCase()));
  lastFold = { text, folded };
  return folded;
}

/** A top-level alternative: finite parts in order, each found after the one before, across gaps. */
interface Chain {
  parts: Needle[][];
  /** Gaps of `[^\n]*` (or `.*` without the `s` flag): the parts lie on one line. */
  sameLine: boolean;
}

/** The pattern's top-level alternatives, each split at its top-level gaps `.*` and `[^\n]*`. */
function chains(pattern: string, dotAll: boolean): { sources: string[]; sameLine: boolean }[] {
  const out: { sources: string[]; sameLine: boolean }[] = [];
  let sources: string[] = [];
  let kinds = new Set<boolean>();
  let start = 0;
  let depth = 0;
  let inClass = false;
  const close = (end: number): void => {
    sources.push(pattern.slice(start, end));
    if (kinds.size > 1) throw new TooComplex();
    out.push({ sources, sameLine: kinds.has(true) });
    sources = [];
    kinds = new Set();
  };
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '\\') {
      i += 1;
    } else if (inClass) {
      if (ch === ']') inClass = false;
    } else if (depth === 0 && pattern.startsWith('[^\\n]*', i)) {
      sources.push(pattern.slice(start, i));
      kinds.add(true);
      i += 5;
      start = i + 1;
    } else if (ch === '[') {
      inClass = true;
    } else if (ch === '(') {
      depth += 1;
    } else if (ch === ')') {
      depth -= 1;
    } else if (depth === 0 && ch === '.' && pattern[i + 1] === '*') {
      sources.push(pattern.slice(start, i));
      kinds.add(!dotAll);
      i += 1;
      start = i + 1;
    } else if (depth === 0 && ch === '|') {
      close(i);
      start = i + 1;
    }
  }
  close(pattern.length);
  return out;
}

/** The smallest end of an occurrence of one of `needles` starting at `from` or later, with its boundaries; -1 for none. */
function firstEnd(hay: string, text: string, needles: readonly Needle[], from: number): number {
  let best = -1;
  for (const { text: needle, boundaries } of needles) {
    for (let at = hay.indexOf(needle, from); at >= 0 && (best < 0 || at + needle.length < best); at = hay.indexOf(needle, at + 1)) {
      if (boundaries.every((offset) => boundaryAt(text, at + offset))) {
        best = at + needle.length;
        break;
      }
    }
  }
  return best;
}

/** Whether the parts occur in order in `hay` (`text` unfolded): the earliest end of each leaves the most room for the next. */
function chainIn(hay: string, text: string, parts: readonly (readonly Needle[])[]): boolean {
  let pos = 0;
  for (const part of parts) {
    pos = firstEnd(hay, text, part, pos);
    if (pos < 0) return false;
  }
  return true;
}

/**
 * A test giving RE2's answer for `pattern` with JavaScript `flags` when each
 * of its alternatives is a short finite set of ASCII strings, or such sets
 * joined by `.*` or `[^\n]*`; undefined otherwise. The pattern must already
 * have passed JavaScript's and the flag checks.
 */
export function literalTest(pattern: string, flags: string): ((text: string) => boolean) | undefined {
  const fold = flags.includes('i');
  let alternatives: Chain[];
  try {
    let strings = 0;
    alternatives = chains(pattern, flags.includes('s')).map(({ sources, sameLine }) => ({
      sameLine,
      parts: sources.map((source) => {
        const needles = new Expander(source, fold).all().map(toNeedle);
        strings += needles.length;
        if (strings > MAX_STRINGS) throw new TooComplex();
        return needles;
      }),
    }));
  } catch (e) {
    if (e instanceof TooComplex) return undefined;
    throw e;
  }
  if (alternatives.some((a) => a.parts.length === 1 && a.parts[0]?.some((n) => n.text === ''))) return () => true;
  return (text) => {
    const hay = fold ? foldCase(text) : text;
    let lines: { hay: string[]; text: string[] } | undefined;
    return alternatives.some(({ parts, sameLine }) => {
      if (!sameLine || parts.length === 1) return chainIn(hay, text, parts);
      lines ??= { hay: hay.split('\n'), text: text.split('\n') };
      const { hay: hayLines, text: textLines } = lines;
      return hayLines.some((line, i) => chainIn(line, textLines[i] ?? '', parts));
    });
  };
}
