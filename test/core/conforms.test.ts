import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conforms } from '../../harness/core/run-file/conforms.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { isSessionLine } from '../../harness/core/run-file/schema.js';
import { manifestSchema, sessionLineSchema } from '../../harness/core/run-file/schema.js';

const V1 = join(import.meta.dirname, '..', 'fixtures', 'v1-run');

type Json = unknown;

/** Every path to a value inside `value` (objects and arrays), the root included. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/** A deep copy of `value` with the value at `path` replaced by `edit` of it (`undefined` from `edit` deletes an object's field). */
function edited(value: Json, path: readonly (string | number)[], edit: (v: Json) => Json): Json {
  if (path.length === 0) return edit(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? edited(v, rest, edit) : v));
  const out: Record<string, Json> = { ...(value as Record<string, Json>) };
  const next = edited(out[head as string], rest, edit);
  if (next === undefined && rest.length === 0) delete out[head as string];
  else out[head as string] = next;
  return out;
}

/** What each value is replaced by: wrong types, numbers zod's checks refuse, and for objects an unknown field. */
const EDITS: ((v: Json) => Json)[] = [
  () => undefined,
  () => null,
  () => 'text',
  () => -1,
  () => 0,
  () => 1.5,
  () => Number.NaN,
  () => Number.POSITIVE_INFINITY,
  () => true,
  () => [],
  () => ({}),
  (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...v, unknownField: 1 } : v),
  (v) => (Array.isArray(v) ? [...v, 'extra'] : v),
  (v) => (typeof v === 'string' ? 'loop' : v),
  (v) => (typeof v === 'string' ? 'plan-execute' : v),
];

/** Every record edited at every path in every way: `passes` and zod agree on each. */
function expectAgreement(schema: z.ZodType, passes: (value: unknown) => boolean, records: readonly Json[]): number {
  let cases = 0;
  for (const record of records) {
    expect(passes(record)).toBe(true);
    for (const path of paths(record)) {
      for (const edit of EDITS) {
        const value = edited(record, path, edit);
        expect(passes(value), `${path.join('.')} -> ${JSON.stringify(edit(undefined))}`).toBe(schema.safeParse(value).success);
        cases += 1;
      }
    }
  }
  return cases;
}

describe('the writers\' check passes exactly what zod passes, without zod copying the value', () => {
  const run = readRun(V1);
  const [first] = run.sessions;
  if (!first) throw new Error('empty fixture');

  it('a session line of every strategy and every status, edited at every field', () => {
    const base = { ...first };
    const statuses: Json[] = [
      { ...base, status: 'errored', error: { class: 'ProviderError', message: 'boom', statusCode: 500, halts: 'auth' } },
      { ...base, status: 'skipped', reason: 'not run' },
      { ...base, status: 'budget-exceeded', stopReason: 'max turns' },
      { ...base, status: 'failed' },
    ];
    const oneOfEach = run.sessions.filter((s, i, all) => all.findIndex((o) => o.strategy === s.strategy) === i);
    expect(oneOfEach.map((s) => s.strategy).sort()).toEqual(['budgeted', 'chain', 'hybrid', 'loop', 'plan-execute']);
    const cases = expectAgreement(sessionLineSchema, isSessionLine, [...oneOfEach, ...statuses]);
    expect(cases).toBeGreaterThan(5_000);
  });

  it('run.json, edited at every field', () => {
    expect(expectAgreement(manifestSchema, (v) => conforms(manifestSchema, v), [run.manifest])).toBeGreaterThan(1_000);
  });

  it('the rules between fields hold: a key that does not match its fields, data of another strategy', () => {
    expect(first.strategy).toBe('loop');
    expect(isSessionLine({ ...first, key: 'wrong' })).toBe(false);
    expect(isSessionLine({ ...first, extra: { budget: { maxTurns: 5, maxToolCallsPerTurn: 5 } } })).toBe(false);
    expect(isSessionLine({ ...first, strategy: 'budgeted', extra: { budget: { maxTurns: 5, maxToolCallsPerTurn: 5 } } })).toBe(true);
  });

  it('what it does not read is left to zod: a refinement, a transform, a default, a loose object, a class instance', () => {
    expect(conforms(sessionLineSchema, first)).toBe(false);
    expect(conforms(z.string().transform((s) => s.length), 'abc')).toBe(false);
    expect(conforms(z.strictObject({ a: z.number().default(1) }), { a: 1 })).toBe(false);
    expect(conforms(z.object({ a: z.number() }), { a: 1 })).toBe(false);
    expect(conforms(z.strictObject({}), new Date())).toBe(false);
    expect(conforms(z.string().email(), 'a@b.c')).toBe(false);
  });
});
