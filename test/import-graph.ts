import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

/**
 * The import graph of harness/ as its sources state it: every relative
 * `import`, `import type`, `export ... from` and `import()` of every .ts file,
 * grouped by room (the first folder under harness/, or the loose file's name).
 */

export interface Import {
  /** Importing file, relative to the source root. */
  from: string;
  /** Imported file, relative to the source root (may lie outside it: `../testing/...`). */
  to: string;
  /** 1-based line of the import. */
  line: number;
}

/** The source without comments, each comment replaced by spaces and its newlines kept, so line numbers hold. */
export function stripComments(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      while (i < src.length && src[i] !== '\n') (out += ' '), (i += 1);
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      for (; i < stop; i += 1) out += src[i] === '\n' ? '\n' : ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      // Copy a string literal whole (a `//` inside it is not a comment). Template literals are copied as text.
      const quote = c;
      out += c;
      i += 1;
      while (i < src.length && src[i] !== quote) {
        if (src[i] === '\\') (out += src[i]), (i += 1);
        if (i < src.length) (out += src[i]), (i += 1);
      }
      if (i < src.length) (out += src[i]), (i += 1);
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

const SPECIFIER = /(?:^|[;\n}])\s*(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]+)\1|(?:^|[;\n}])\s*import\s*(['"])([^'"]+)\3|\bimport\(\s*(['"])([^'"]+)\5\s*\)/g;

/** The module specifiers a source imports, with their lines. */
export function specifiers(src: string): { spec: string; line: number }[] {
  const text = stripComments(src);
  const found: { spec: string; line: number }[] = [];
  for (const m of text.matchAll(SPECIFIER)) {
    const spec = m[2] ?? m[4] ?? m[6];
    if (spec === undefined) continue;
    const at = m.index + m[0].indexOf(spec);
    found.push({ spec, line: text.slice(0, at).split('\n').length });
  }
  return found;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import of every .ts file under `root`. */
export function importsUnder(root: string): Import[] {
  return tsFiles(root).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8'))
      .filter((s) => s.spec.startsWith('.'))
      .map((s) => ({
        from: relative(root, file).split(sep).join('/'),
        to: relative(root, normalize(join(dirname(file), s.spec.replace(/\.js$/, '.ts')))).split(sep).join('/'),
        line: s.line,
      })),
  );
}

/** The room of a path relative to the source root: its first folder, or the file itself when loose. */
export const roomOf = (path: string): string => path.split('/')[0]!;

export interface Rules {
  /** Room -> the rooms it may import besides itself. A room missing here is not a room of the design. */
  allowed: Readonly<Record<string, readonly string[]>>;
}

export interface Violation {
  kind: 'outside a room' | 'forbidden import' | 'leaves the source root' | 'cycle';
  text: string;
}

/** Strongly connected components of more than one room: the import circles between rooms. */
export function roomCycles(edges: readonly [string, string][]): string[][] {
  const nodes = [...new Set(edges.flat())].sort();
  const next = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const [a, b] of edges) if (a !== b) next.get(a)!.push(b);
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return out;
}

/** What breaks the rules: files outside the rooms, imports a room may not make, imports leaving the root, circles. */
export function checkImports(imports: readonly Import[], rules: Rules, files: readonly string[] = []): Violation[] {
  const rooms = new Set(Object.keys(rules.allowed));
  const violations: Violation[] = [];
  for (const f of new Set([...files, ...imports.map((i) => i.from)])) {
    if (!rooms.has(roomOf(f))) violations.push({ kind: 'outside a room', text: `${f} is in no room of the design` });
  }
  const edges: [string, string][] = [];
  for (const i of imports) {
    if (i.to.startsWith('..')) {
      violations.push({ kind: 'leaves the source root', text: `${i.from}:${i.line} imports ${i.to}` });
      continue;
    }
    const a = roomOf(i.from);
    const b = roomOf(i.to);
    if (a === b) continue;
    edges.push([a, b]);
    const allowed = rules.allowed[a];
    if (allowed !== undefined && !allowed.includes(b)) violations.push({ kind: 'forbidden import', text: `${i.from}:${i.line} imports ${i.to} (${a} may import ${allowed.join(', ') || 'nothing else'})` });
  }
  for (const c of roomCycles(edges)) violations.push({ kind: 'cycle', text: `rooms import each other: ${c.join(' <-> ')}` });
  return violations;
}
