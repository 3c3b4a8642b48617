import { UsageError } from '../core/errors.js';
import type { Scenario } from './types.js';

const KEYS = ['domain', 'shape', 'difficulty', 'tag', 'id'] as const;

/**
 * Keeps scenarios that match every filter. A filter is `key=value` (key one of
 * domain, shape, difficulty, tag, id) or a bare value that may match any of them.
 */
export function filterScenarios(scenarios: readonly Scenario[], filters: readonly string[]): Scenario[] {
  const parsed = filters.map((f) => {
    const eq = f.indexOf('=');
    if (eq < 0) return { key: undefined, value: f };
    const key = f.slice(0, eq);
    if (!(KEYS as readonly string[]).includes(key)) throw new UsageError(`unknown filter key "${key}" in "${f}"; use ${KEYS.join(', ')}`);
    return { key: key as (typeof KEYS)[number], value: f.slice(eq + 1) };
  });
  return scenarios.filter((s) =>
    parsed.every(({ key, value }) => {
      const fields: Record<(typeof KEYS)[number], string[]> = {
        domain: [s.domain],
        shape: [s.shape],
        difficulty: [s.difficulty],
        tag: s.tags,
        id: [s.id],
      };
      return key ? fields[key].includes(value) : Object.values(fields).some((vs) => vs.includes(value));
    }),
  );
}
