import { z } from 'zod';
import { compileSafeRegex, safeRegexProblem } from './safe-regex.js';

/**
 * Deterministic tool steps a scenario declares for the `chain` and `hybrid`
 * strategies (docs/strategies.md): each step is one tool call whose arguments
 * are constants (`args`) or come from the task, an earlier step or a gathered
 * call (`inputs`), through a JSON pick, a regex and a named transform.
 */

const STEP_ID = /^[a-zA-Z0-9_.-]+$/;

export const stepInputSchema = z.strictObject({
  /** `task` (the task text), the id of an earlier step, or (hybrid only) an expected-call id the model gathered. */
  from: z.string().min(1),
  /** Dot path into the source's JSON result, e.g. `customer_id` or `items.0.id`. */
  pick: z.string().min(1).optional(),
  /** Regex applied to the source text (linear time, safe-regex.ts); the first capture group (else the whole match) is taken. */
  regex: z.string().min(1).optional(),
  /** Name of a transform from the registry below, applied last. */
  transform: z.string().min(1).optional(),
});

export const chainStepSchema = z.strictObject({
  id: z.string().regex(STEP_ID, 'step ids use letters, digits, _ . -'),
  tool: z.string(),
  /** Constant arguments. */
  args: z.record(z.string(), z.unknown()).default({}),
  /** Arguments taken from the task, earlier steps or gathered calls; they override `args`. */
  inputs: z.record(z.string(), stepInputSchema).default({}),
});

export const chainsSchema = z.record(z.string().regex(STEP_ID, 'chain names use letters, digits, _ . -'), z.array(chainStepSchema).min(1));

export const hybridSchema = z.strictObject({
  /** Steps run after the model's gather turn, before the synthesis turn. */
  steps: z.array(chainStepSchema).min(1),
});

export type StepInput = z.infer<typeof stepInputSchema>;
export type ChainStep = z.infer<typeof chainStepSchema>;
export type HybridSpec = z.infer<typeof hybridSchema>;

/** Named transforms a step input may apply. Pure; a thrown error becomes a step error. */
export const transforms: Record<string, (value: unknown) => unknown> = {
  /** Paths of the files a unified diff changes (`+++ b/<path>`; deleted files left out); a list of paths passes through. */
  changed_files_from_diff: (value) => {
    if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' && v !== null && 'path' in v ? String(v.path) : String(v)));
    const files: string[] = [];
    for (const line of String(value).split('\n')) {
      const m = /^\+\+\+ b\/(.+?)\s*$/.exec(line);
      if (m?.[1] && !files.includes(m[1])) files.push(m[1]);
    }
    return files;
  },
  /** First element of a list. */
  first: (value) => {
    if (!Array.isArray(value) || value.length === 0) throw new Error('expected a non-empty list');
    return value[0];
  },
  /** Non-empty trimmed lines of a text. */
  lines: (value) =>
    String(value)
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
  /** Parses a JSON text. */
  json: (value) => JSON.parse(String(value)) as unknown,
  /** A number. */
  number: (value) => {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`not a number: ${JSON.stringify(value)}`);
    return n;
  },
  /** Text: strings unchanged, anything else as JSON. */
  to_string: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
};

/** The value at a dot path (`a.0.b`), or undefined. */
export function pickPath(value: unknown, path: string): unknown {
  let cur = value;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(key)] : (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Where a source's text comes from: the task, a step result, a gathered result; undefined when not available. */
export type SourceLookup = (from: string) => { text: string } | { missing: string };

/** One input's value, or why it cannot be computed. */
export function resolveInput(input: StepInput, lookup: SourceLookup): { value: unknown } | { error: string } {
  const source = lookup(input.from);
  if ('missing' in source) return { error: source.missing };
  let value: unknown = source.text;
  try {
    if (input.pick !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(source.text);
      } catch {
        return { error: `the result of "${input.from}" is not JSON, so "${input.pick}" cannot be picked` };
      }
      value = pickPath(parsed, input.pick);
      if (value === undefined) return { error: `the result of "${input.from}" has nothing at "${input.pick}"` };
    }
    if (input.regex !== undefined) {
      const m = compileSafeRegex(input.regex).exec(typeof value === 'string' ? value : JSON.stringify(value));
      if (!m) return { error: `/${input.regex}/ does not match the result of "${input.from}"` };
      value = m[1] ?? m[0];
    }
    if (input.transform !== undefined) {
      const f = transforms[input.transform];
      if (!f) return { error: `unknown transform "${input.transform}"` };
      value = f(value);
    }
  } catch (e) {
    return { error: `input from "${input.from}" failed: ${(e as Error).message}` };
  }
  return { value };
}

/** The step's arguments: constants overridden by resolved inputs; or the first input that failed. */
export function resolveStepArgs(step: ChainStep, lookup: SourceLookup): { args: Record<string, unknown> } | { error: string } {
  const args: Record<string, unknown> = { ...step.args };
  for (const [key, input] of Object.entries(step.inputs)) {
    const r = resolveInput(input, lookup);
    if ('error' in r) return { error: `${key}: ${r.error}` };
    args[key] = r.value;
  }
  return { args };
}

/**
 * Problems in a chain or hybrid declaration, located by field path below
 * `prefix`: duplicate step ids, unknown tools, sources that are not earlier
 * steps (or `task`, or for hybrid an expected call), unknown transforms, bad regexes.
 */
export function stepIssues(
  steps: readonly ChainStep[],
  prefix: string,
  known: { tools: ReadonlySet<string>; gathered?: ReadonlySet<string> },
): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const earlier = new Set<string>();
  steps.forEach((step, i) => {
    const at = `${prefix}.${i}`;
    if (earlier.has(step.id)) issues.push({ path: `${at}.id`, message: `duplicate step id "${step.id}"` });
    if (known.gathered?.has(step.id)) issues.push({ path: `${at}.id`, message: `step id "${step.id}" is also an expected-call id; pick another so sources are unambiguous` });
    if (!known.tools.has(step.tool)) issues.push({ path: `${at}.tool`, message: `unknown tool "${step.tool}" (tools: ${[...known.tools].join(', ')})` });
    for (const [key, input] of Object.entries(step.inputs)) {
      const ip = `${at}.inputs.${key}`;
      const fromOk = input.from === 'task' || earlier.has(input.from) || (known.gathered?.has(input.from) ?? false);
      if (!fromOk) {
        const allowed = known.gathered ? '"task", an earlier step id or an expected-call id' : '"task" or an earlier step id';
        issues.push({ path: `${ip}.from`, message: `unknown source "${input.from}": use ${allowed}` });
      }
      if (input.transform !== undefined && !transforms[input.transform]) {
        issues.push({ path: `${ip}.transform`, message: `unknown transform "${input.transform}" (known: ${Object.keys(transforms).join(', ')})` });
      }
      const regexProblem = input.regex === undefined ? undefined : safeRegexProblem(input.regex);
      if (regexProblem !== undefined) issues.push({ path: `${ip}.regex`, message: regexProblem });
    }
    earlier.add(step.id);
  });
  return issues;
}
