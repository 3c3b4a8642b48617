import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InputError, type InputIssue } from './errors.js';

/** Expands files and directories (their direct children with one of `extensions`) into sorted file paths. */
export function expandPaths(paths: readonly string[], extensions: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const full = resolve(p);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      throw new InputError([{ file: p, path: '', message: 'no such file or directory' }]);
    }
    if (stat.isDirectory()) {
      const children = readdirSync(full)
        .filter((f) => extensions.some((e) => f.endsWith(e)))
        .sort()
        .map((f) => join(full, f));
      files.push(...children);
    } else {
      files.push(full);
    }
  }
  return [...new Set(files)];
}

/** Parses YAML text; syntax errors become issues with line and column. */
export function parseYaml(text: string, file: string): { value: unknown; issues: InputIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      issues: doc.errors.map((e) => {
        const at = lineCounter.linePos(e.pos[0]);
        return { file, path: '', message: `YAML syntax error at line ${at.line}, column ${at.col}: ${e.message.split('\n')[0] ?? ''}` };
      }),
    };
  }
  return { value: doc.toJS(), issues: [] };
}

/** Validates `value` against `schema`, turning every problem into an issue naming the field path. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  file: string,
): { data: z.infer<S> | undefined; issues: InputIssue[] } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { data: parsed.data, issues: [] };
  const issues: InputIssue[] = [];
  for (const issue of parsed.error.issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ file, path: [...base, key].join('.'), message: 'unknown field (misspelled?)' });
      }
    } else {
      const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
      issues.push({ file, path: base.join('.'), message: missing ? `required field is missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})` : issue.message });
    }
  }
  return { data: undefined, issues };
}

/** A path as the user should read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** Reads a UTF-8 input file; a failure becomes an issue naming it as `shown`. */
export function readInputFile(file: string, shown: string): { text: string; issues: [] } | { text: undefined; issues: InputIssue[] } {
  try {
    return { text: readFileSync(file, 'utf8'), issues: [] };
  } catch (e) {
    return { text: undefined, issues: [{ file: shown, path: '', message: `cannot read: ${(e as Error).message}` }] };
  }
}
