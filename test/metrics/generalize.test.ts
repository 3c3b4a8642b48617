import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapMeans } from '../../harness/metrics/bootstrap.js';
import { cli } from '../cli/helpers.js';
import { fixtureRun } from '../reports/report-fixtures.js';

type Row = Record<string, string>;
const csv = (file: string): Row[] => parse(readFileSync(file), { columns: true }) as Row[];

describe('what the intervals speak for', () => {
  it('within tasks, a value constant per task has no sampling spread; drawing tasks too, it does', () => {
    // Task A: 0, 0, 0; task B: 10, 10, 10. Mean 5.
    const column = [0, 0, 0, 10, 10, 10];
    const strata = ['a', 'a', 'a', 'b', 'b', 'b'];
    const [plain] = bootstrapMeans([column], { resamples: 500, seed: 1 });
    const [suite] = bootstrapMeans([column], { resamples: 500, seed: 1, strata });
    const [tasks] = bootstrapMeans([column], { resamples: 500, seed: 1, strata, generalize: true });
    expect(new Set(suite?.sorted)).toEqual(new Set([5]));
    expect((plain?.sorted.at(-1) ?? 0) - (plain?.sorted[0] ?? 0)).toBeGreaterThan(0);
    // Two tasks drawn with replacement: both A (0), both B (10) or one of each (5).
    expect(new Set(tasks?.sorted)).toEqual(new Set([0, 5, 10]));
  });

  describe('reports', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await fixtureRun({ providers: ['ref:sequential', 'ref:optimal'], repeats: 3 });
    });

    it("by default say the intervals are for this suite's tasks; ref:sequential's turns, fixed per task, get a zero-width interval", async () => {
      expect((await cli(['report', dir])).code).toBe(0);
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain("The intervals speak for this suite's tasks");
      const seq = csv(join(dir, 'variants.csv')).find((r) => r['provider'] === 'ref:sequential' && r['variant'] === 'plain');
      // chain 4, diamond 5, fan-out 5 turns, every repeat: (4 + 5 + 5) / 3.
      expect(Number(seq?.['turns_ci_low'])).toBeCloseTo(14 / 3, 10);
      expect(Number(seq?.['turns_ci_high'])).toBeCloseTo(14 / 3, 10);
    });

    it('--generalize tasks: a two-level bootstrap whose interval includes the spread between tasks, and the reports say so', async () => {
      const r = await cli(['report', dir, '--generalize', 'tasks']);
      expect(r.code, r.err).toBe(0);
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('The intervals speak for tasks like these (--generalize tasks)');
      const seq = csv(join(dir, 'variants.csv')).find((r) => r['provider'] === 'ref:sequential' && r['variant'] === 'plain');
      expect(Number(seq?.['turns_ci_low'])).toBeLessThan(14 / 3);
      expect(Number(seq?.['turns_ci_high'])).toBeGreaterThan(14 / 3);
      expect(Number(seq?.['turns_ci_low'])).toBeGreaterThanOrEqual(4);
      const bad = await cli(['report', dir, '--generalize', 'models']);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('--generalize takes "tasks"');
    });
  });
});
