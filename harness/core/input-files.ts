import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type * as Yaml from 'yaml';
import type { z } from 'zod';
import { bytes, MAX_YAML_BYTES, readBounded } from './bounded-read.js';
import { InputError, type InputIssue } from './errors.js';
import { readPlainYaml } from './plain-yaml.js';

/** Alias references a YAML input may resolve: enough for hand-written anchors, far too few for an alias bomb. */
export const MAX_YAML_ALIASES = 100;

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

let yamlPackage: typeof Yaml | undefined;

/** The `yaml` package, loaded on first use: a plain document never needs it (plain-yaml.ts). */
function yaml(): typeof Yaml {
  // node:module too is loaded only here: no shipped input needs `yaml`.
  yamlPackage ??= process.getBuiltinModule('node:module').createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlPackage;
}

/**
 * Parses YAML text; every YAML input (scenario, prompt front matter, config,
 * gates, prices) goes through here. A plain document is read by plain-yaml.ts,
 * which gives the value the `yaml` package would; any other goes through
 * `yaml`. Syntax errors become issues with line and column; text over
 * `maxBytes` and alias bombs (more than MAX_YAML_ALIASES alias references)
 * become issues naming the file instead of exhausting the process.
 */
export function parseYaml(text: string, file: string, maxBytes = MAX_YAML_BYTES): { value: unknown; issues: InputIssue[] } {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBytes) return { value: undefined, issues: [{ file, path: '', message: `YAML input is ${bytes(size)}, over the limit of ${bytes(maxBytes)}` }] };
  const plain = readPlainYaml(text);
  if (plain !== undefined) return { value: plain.value, issues: [] };
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  try {
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
    return { value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }), issues: [] };
  } catch (e) {
    const message =
      e instanceof ReferenceError && /alias/i.test(e.message)
        ? `YAML aliases expand too far (over ${MAX_YAML_ALIASES} alias references; an alias bomb?)`
        : `YAML cannot be read: ${(e as Error).message}`;
    return { value: undefined, issues: [{ file, path: '', message }] };
  }
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

/** Reads a UTF-8 input file of at most `maxBytes` (a regular file only); a failure becomes an issue naming it as `shown`. */
export function readInputFile(file: string, shown: string, maxBytes = MAX_YAML_BYTES): { text: string; issues: [] } | { text: undefined; issues: InputIssue[] } {
  const read = readBounded(file, maxBytes);
  if ('problem' in read) return { text: undefined, issues: [{ file: shown, path: '', message: read.problem }] };
  return { text: read.text, issues: [] };
}
