/**
 * The quick path of `parseYaml` (input-files.ts): a small reader for the
 * plain YAML that scenario, prompt and config files are written in, several
 * times faster than the `yaml` package on a cold start. It gives exactly the
 * value `yaml` gives (YAML 1.2 core schema, plain objects, an alias the same
 * object as its anchor) or, for anything outside the forms below, undefined,
 * and the caller then parses with `yaml`, which gives the value or the error
 * with its line and column as before. So a document that is not plain (or not
 * valid) costs one cheap attempt, never a different result.
 *
 * Read here: block mappings and sequences indented with spaces; keys written
 * as plain words or quoted on one line; values that are one-line plain,
 * single- or double-quoted scalars, one-line flow collections, `|`, `|-`,
 * `>`, `>-` block scalars without more-indented lines, and `&anchor` /
 * `*alias` on a one-line value; comments. Left to `yaml`: tabs, CR, control
 * characters, trailing spaces, directives and document markers, tags,
 * multi-line plain, quoted or flow scalars, explicit keys, non-string or
 * duplicate keys, `+` chomping and indentation indicators, deep nesting and
 * anything else. test/core/plain-yaml.test.ts compares both readers over every
 * shipped YAML input.
 */

import { NOT_PLAIN, notPlain, readQuoted, resolvePlain } from './plain-yaml-scalars.js';

/** Characters, lines and markers this reader leaves to `yaml`. */
const UNUSUAL_CHAR = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNUSUAL_LINE = / $|^(?:---|\.\.\.|%)/m;

/** A plain key: a word that resolves to a string, at most 1,000 characters. */
const PLAIN_KEY = /^[A-Za-z0-9_$][A-Za-z0-9_$. /()@-]*$/;
/** First characters a plain scalar may not start with here (indicators; `-` is checked apart). */
const PLAIN_START = /^[?:,[\]{}#&*!|>'"%@`]/;
/** What a one-line plain scalar in block context is not read with here (it would be a mapping, or an error). */
const PLAIN_BLOCK_REFUSED = /: |:$/;
const ANCHOR = /^&([A-Za-z0-9_-]+) +/;
const ALIAS = /^\*([A-Za-z0-9_-]+)(?: +#.*)?$/;
/** What may follow a one-line value on its line: nothing, or a comment. */
const LINE_END = /^(?: +#.*)?$/;
const MAX_DEPTH = 64;
const MAX_KEY_LENGTH = 1000;
/** `yaml` refuses an anchor's 100th alias (maxAliasCount 100); this reader leaves a tenth of that to it. */
const MAX_ALIAS_USES = 10;

/** Sets a key as `yaml`'s toJS does: a key already `in` the object (`__proto__`, `toString`) becomes an own property. */
function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.hasOwn(map, key)) notPlain();
  if (key in map) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === 32) n += 1;
  return n;
}

/** A line holding nothing but an optional comment. */
function isBlank(line: string): boolean {
  const n = indentOf(line);
  return n === line.length || line[n] === '#';
}

class Reader {
  private readonly lines: string[];
  private at = 0;
  private readonly anchors = new Map<string, { value: unknown; uses: number }>();

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  document(): unknown {
    const first = this.nextContent();
    if (first === undefined || indentOf(first) !== 0) notPlain();
    const value = this.collection(0, 0);
    if (this.nextContent() !== undefined) notPlain();
    return value;
  }

  /** The next line with content (skipping blank and comment lines), left as the current line; undefined at the end. */
  private nextContent(): string | undefined {
    while (this.at < this.lines.length) {
      const line = this.lines[this.at] as string;
      if (!isBlank(line)) return line;
      this.at += 1;
    }
    return undefined;
  }

  /** A block mapping or sequence whose first line is the current one, at column `col`. */
  private collection(col: number, depth: number): unknown {
    if (depth > MAX_DEPTH) notPlain();
    const rest = (this.lines[this.at] as string).slice(col);
    return rest === '-' || rest.startsWith('- ') ? this.sequence(col, depth) : this.mapping(col, false, depth);
  }

  /**
   * A block mapping at column `col`. `inline`: its first entry stands on the
   * current line after a sequence's `- ` (a compact mapping).
   */
  private mapping(col: number, inline: boolean, depth: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let first = inline;
    for (;;) {
      if (!first) {
        const line = this.nextContent();
        if (line === undefined) break;
        const indent = indentOf(line);
        if (indent < col) break;
        if (indent > col) notPlain();
        const rest = line.slice(col);
        if (rest === '-' || rest.startsWith('- ')) notPlain();
      }
      first = false;
      this.entry(map, col, inline, depth);
    }
    return map;
  }

  /** One `key: value` entry of a mapping at `col`, on the current line from `col` on. */
  private entry(map: Record<string, unknown>, col: number, inline: boolean, depth: number): void {
    const line = this.lines[this.at] as string;
    const text = line.slice(col);
    let key: string;
    let after: number;
    if (text[0] === '"' || text[0] === "'") {
      const quoted = readQuoted(text, 0);
      key = quoted.value;
      after = quoted.end;
    } else {
      const colon = text.search(/:(?: |$)/);
      if (colon < 0) notPlain();
      key = text.slice(0, colon);
      if (!PLAIN_KEY.test(key) || key.endsWith(' ') || typeof resolvePlain(key) !== 'string') notPlain();
      after = colon;
    }
    if (after > MAX_KEY_LENGTH || text[after] !== ':' || (text.length > after + 1 && text[after + 1] !== ' ')) notPlain();
    const valueAt = col + after + 1 + indentOf(text.slice(after + 1));
    setKey(map, key, this.value(line.slice(valueAt), col, inline ? 'inline-map' : 'map', depth));
  }

  /**
   * The value after `key:` or `- ` (`rest`: the line's remainder, spaces skipped) of a node at
   * column `col`; moves past every line the value takes.
   */
  private value(rest: string, col: number, context: 'map' | 'inline-map' | 'seq', depth: number): unknown {
    if (rest === '' || rest[0] === '#') {
      this.at += 1;
      const line = this.nextContent();
      if (line === undefined) return null;
      const indent = indentOf(line);
      if (indent > col) return this.collection(indent, depth + 1);
      const own = line.slice(col);
      if (context === 'map' && indent === col && (own === '-' || own.startsWith('- '))) return this.sequence(col, depth + 1);
      return null;
    }
    if (rest[0] === '*') {
      const alias = ALIAS.exec(rest);
      const anchor = alias ? this.anchors.get(alias[1] as string) : undefined;
      if (anchor === undefined || ++anchor.uses > MAX_ALIAS_USES) notPlain();
      this.endOfValue(col);
      return anchor.value;
    }
    if (rest[0] === '|' || rest[0] === '>') {
      if (context === 'seq') notPlain();
      return this.blockScalar(rest, col);
    }
    const anchor = ANCHOR.exec(rest);
    if (anchor) {
      const name = anchor[1] as string;
      if (this.anchors.has(name)) notPlain();
      const body = rest.slice(anchor[0].length);
      if (body === '' || /^[*&|>#]/.test(body)) notPlain();
      const value = this.inline(body, col);
      this.anchors.set(name, { value, uses: 0 });
      return value;
    }
    return this.inline(rest, col);
  }

  /** A one-line value: a flow collection, a quoted or a plain scalar. */
  private inline(rest: string, col: number): unknown {
    let value: unknown;
    let end: number;
    if (rest[0] === '[' || rest[0] === '{') {
      const flow = new FlowReader(rest);
      value = flow.node(0);
      end = flow.at;
    } else if (rest[0] === '"' || rest[0] === "'") {
      const quoted = readQuoted(rest, 0);
      value = quoted.value;
      end = quoted.end;
    } else {
      const comment = rest.indexOf(' #');
      const source = (comment < 0 ? rest : rest.slice(0, comment)).trimEnd();
      if (PLAIN_START.test(source) || (source[0] === '-' && (source.length === 1 || source[1] === ' ')) || PLAIN_BLOCK_REFUSED.test(source)) notPlain();
      value = resolvePlain(source);
      end = source.length;
    }
    if (!LINE_END.test(rest.slice(end))) notPlain();
    this.endOfValue(col);
    return value;
  }

  /** Moves past a one-line value of a node at `col`: a more-indented line after it would continue it. */
  private endOfValue(col: number): void {
    this.at += 1;
    const line = this.nextContent();
    if (line !== undefined && indentOf(line) > col) notPlain();
  }

  /** A block sequence at column `col`. */
  private sequence(col: number, depth: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      const line = this.nextContent();
      if (line === undefined) break;
      const indent = indentOf(line);
      if (indent < col) break;
      if (indent > col) notPlain();
      const own = line.slice(col);
      if (own !== '-' && !own.startsWith('- ')) break;
      const itemAt = col + 1 + indentOf(own.slice(1));
      const rest = line.slice(itemAt);
      if (rest === '-' || rest.startsWith('- ') || rest[0] === '?') notPlain();
      items.push(this.startsEntry(rest) ? this.mapping(itemAt, true, depth + 1) : this.value(rest, col, 'seq', depth));
    }
    return items;
  }

  /** Whether a sequence item's text opens a compact mapping (`- key: value`). */
  private startsEntry(rest: string): boolean {
    if (rest[0] === '"' || rest[0] === "'") {
      const quoted = readQuoted(rest, 0);
      return rest[quoted.end] === ':';
    }
    if (PLAIN_START.test(rest) && rest[0] !== ':' && rest[0] !== '?') return false;
    const comment = rest.indexOf(' #');
    return /:(?: |$)/.test(comment < 0 ? rest : rest.slice(0, comment));
  }

  /** A `|`, `|-`, `>` or `>-` block scalar: the value of a key in a mapping at `col`, as `yaml` folds and chomps it. */
  private blockScalar(header: string, col: number): string {
    if (header !== '|' && header !== '|-' && header !== '>' && header !== '>-') notPlain();
    const folded = header[0] === '>';
    const body: string[] = [];
    let indent = -1;
    let next = this.at + 1;
    for (; next < this.lines.length; next += 1) {
      const line = this.lines[next] as string;
      if (line === '') {
        body.push('');
        continue;
      }
      const n = indentOf(line);
      if (indent < 0) {
        if (n <= col) break;
        indent = n;
      } else if (n < indent) break;
      if (folded && n > indent) notPlain();
      body.push(line.slice(indent));
    }
    if (indent < 0) notPlain();
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    let value = '';
    let sep = '';
    for (const content of body) {
      if (!folded) {
        value += sep + content;
        sep = '\n';
      } else if (content === '') {
        if (sep === '\n') value += '\n';
        else sep = '\n';
      } else {
        value += sep + content;
        sep = ' ';
      }
    }
    this.at = next;
    const line = this.nextContent();
    if (line !== undefined && indentOf(line) > col) notPlain();
    return header.endsWith('-') ? value : `${value}\n`;
  }
}

/** A one-line flow collection (`[a, b]`, `{ k: v }`), possibly nested. */
class FlowReader {
  at = 0;

  constructor(private readonly s: string) {}

  private spaces(): void {
    while (this.s[this.at] === ' ') this.at += 1;
  }

  node(depth: number): unknown {
    if (depth > MAX_DEPTH) notPlain();
    const ch = this.s[this.at];
    if (ch === '[') return this.sequence(depth);
    if (ch === '{') return this.mapping(depth);
    if (ch === '"' || ch === "'") {
      const quoted = readQuoted(this.s, this.at);
      this.at = quoted.end;
      return quoted.value;
    }
    return resolvePlain(this.plain());
  }

  /** A plain scalar in flow context: up to `,`, `]`, `}` or `: `. */
  private plain(): string {
    const start = this.at;
    const first = this.s[start];
    if (first === undefined || PLAIN_START.test(first) || (first === '-' && /^(?:[ ,[\]{}]|$)/.test(this.s[start + 1] ?? ''))) notPlain();
    let i = start;
    for (;;) {
      const ch = this.s[i];
      if (ch === undefined || ch === ',' || ch === ']' || ch === '}') break;
      if (ch === '[' || ch === '{' || (ch === '#' && this.s[i - 1] === ' ')) notPlain();
      if (ch === ':' && (this.s[i + 1] === ' ' || this.s[i + 1] === undefined || /[,[\]{}]/.test(this.s[i + 1] as string))) break;
      i += 1;
    }
    this.at = i;
    const source = this.s.slice(start, i).trimEnd();
    if (source === '') notPlain();
    return source;
  }

  private sequence(depth: number): unknown[] {
    const items: unknown[] = [];
    this.at += 1;
    this.spaces();
    if (this.s[this.at] === ']') {
      this.at += 1;
      return items;
    }
    for (;;) {
      items.push(this.node(depth + 1));
      this.spaces();
      const ch = this.s[this.at];
      this.at += 1;
      if (ch === ']') return items;
      if (ch !== ',') notPlain();
      this.spaces();
      if (this.s[this.at] === ']') notPlain();
    }
  }

  private mapping(depth: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    this.at += 1;
    this.spaces();
    if (this.s[this.at] === '}') {
      this.at += 1;
      return map;
    }
    for (;;) {
      const ch = this.s[this.at];
      let key: string;
      if (ch === '"' || ch === "'") {
        const quoted = readQuoted(this.s, this.at);
        key = quoted.value;
        this.at = quoted.end;
        if (this.s[this.at] !== ':') notPlain();
      } else {
        key = this.plain();
        if (key.length > MAX_KEY_LENGTH || typeof resolvePlain(key) !== 'string') notPlain();
      }
      const sep = this.s[this.at];
      if (sep === ',' || sep === '}') {
        // `{ a: 1, b }`: a key without `:` has the value null.
        setKey(map, key, null);
      } else {
        if (sep !== ':' || this.s[this.at + 1] !== ' ') notPlain();
        this.at += 2;
        this.spaces();
        const next = this.s[this.at];
        if (next === ',' || next === '}' || next === undefined) notPlain();
        setKey(map, key, this.node(depth + 1));
      }
      this.spaces();
      const end = this.s[this.at];
      this.at += 1;
      if (end === '}') return map;
      if (end !== ',') notPlain();
      this.spaces();
      if (this.s[this.at] === '}') notPlain();
    }
  }
}

/** The value of a plain YAML document, exactly as `yaml` would give it; undefined when the document needs `yaml`. */
export function readPlainYaml(text: string): { value: unknown } | undefined {
  if (UNUSUAL_CHAR.test(text) || UNUSUAL_LINE.test(text)) return undefined;
  try {
    return { value: new Reader(text).document() };
  } catch (e) {
    if (e === NOT_PLAIN) return undefined;
    throw e;
  }
}
