/**
 * Scalars of plain YAML as the `yaml` package reads them: a plain scalar resolved by the YAML 1.2 core schema,
 * and a one-line single- or double-quoted scalar with `yaml`'s escapes. Used by the quick reader in
 * plain-yaml.ts; a form not read here throws NOT_PLAIN, and the document goes to `yaml`.
 */

/** Thrown inside the reader when the text leaves the plain forms; never escapes `readPlainYaml`. */
export const NOT_PLAIN = Symbol('not plain YAML');

export function notPlain(): never {
  throw NOT_PLAIN;
}

/** `yaml`'s core-schema tests and conversions (node_modules/yaml/dist/schema/core and common/null.js), in its order. */
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** First characters of every plain scalar that the core schema resolves to something other than a string. */
const NON_STRING_START = '~nNtTfF0123456789-+.';

/** The value of a plain scalar as the core schema resolves it. */
export function resolvePlain(source: string): unknown {
  if (source !== '' && !NON_STRING_START.includes(source[0] as string)) return source;
  if (NULL.test(source)) return null;
  if (BOOL.test(source)) return source[0] === 't' || source[0] === 'T';
  if (INT_OCT.test(source)) return parseInt(source.substring(2), 8);
  if (INT.test(source)) return parseInt(source, 10);
  if (INT_HEX.test(source)) return parseInt(source.substring(2), 16);
  if (FLOAT_NAN.test(source)) return source.slice(-3).toLowerCase() === 'nan' ? NaN : source[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(source) || FLOAT.test(source)) return parseFloat(source);
  return source;
}

/** `yaml`'s double-quote escapes (compose/resolve-flow-scalar.js), tab aside. */
const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};
const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };
const HEX = /^[0-9a-fA-F]+$/;

/** A one-line quoted scalar starting at `start` of `s`: its value and the index after its closing quote. */
export function readQuoted(s: string, start: number): { value: string; end: number } {
  const quote = s[start];
  let value = '';
  let i = start + 1;
  for (;;) {
    // The characters up to the next quote (or, in double quotes, backslash) stand for themselves; spaces
    // stay too: `yaml` trims them only before a line break, and this scalar has none.
    const close = s.indexOf(quote as string, i);
    const escape = quote === '"' ? s.indexOf('\\', i) : -1;
    const stop = escape >= 0 && (close < 0 || escape < close) ? escape : close;
    if (stop < 0) notPlain();
    value += s.slice(i, stop);
    i = stop;
    const ch = s[i];
    if (ch === quote) {
      if (quote === "'" && s[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (quote === '"' && ch === '\\') {
      const next = s[i + 1] ?? '';
      const simple = ESCAPES[next];
      if (simple !== undefined) {
        value += simple;
        i += 2;
        continue;
      }
      const length = HEX_LENGTH[next];
      if (length === undefined) notPlain();
      const hex = s.slice(i + 2, i + 2 + length);
      const code = hex.length === length && HEX.test(hex) ? parseInt(hex, 16) : NaN;
      if (!(code <= 0x10ffff)) notPlain();
      value += String.fromCodePoint(code);
      i += 2 + length;
      continue;
    }
  }
}
