import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { adviseBudgets, describeRule, nearestRank } from '../../harness/metrics/budget-advisor.js';
import { RUN_FORMAT_VERSION, type RunManifest, type SessionRecord } from '../../harness/core/run-file/records.js';
import { captureIO } from '../helpers.js';
import { turn } from './synthetic-sessions.js';

/** A session with `turns` empty model turns. */
function rec(variantId: string, scenarioId: string, turns: number, status: 'completed' | 'failed' | 'budget-exceeded', repeat: number): SessionRecord {
  const base = {
    formatVersion: RUN_FORMAT_VERSION,
    runId: 'synthetic',
    key: `ref:x|${variantId}|${scenarioId}|${repeat}`,
    provider: { id: 'ref:x', kind: 'reference' as const },
    variantId,
    strategy: 'loop',
    scenarioId,
    repeat,
    seed: 1,
    optimalTurns: 2,
    turns: Array.from({ length: turns }, (_, i) => turn(i + 1, [], 0, 0)),
    finalAnswer: null,
    success: { passed: status === 'completed', missingCalls: [], missingFacts: [] },
    startedAt: '',
    finishedAt: '',
    virtualMs: 0,
    realMs: 0,
  };
  return status === 'budget-exceeded' ? { ...base, status, stopReason: 'limit' } : { ...base, status };
}

/**
 * Variant `baseline`: 20 successful sessions, 6 in 2 turns, 12 in 3, 1 in 4 and 1 in 6
 * (18 of 20 = 90% within 3 turns), plus 2 failed in 7 turns and 1 stopped at 10.
 * Scenario a holds the 2-turn ones, scenario b the rest.
 */
function syntheticRun(): SessionRecord[] {
  const sessions: SessionRecord[] = [];
  let r = 0;
  const add = (scenario: string, turns: number, status: 'completed' | 'failed' | 'budget-exceeded', n: number): void => {
    for (let i = 0; i < n; i++) sessions.push(rec('baseline', scenario, turns, status, ++r));
  };
  add('a', 2, 'completed', 6);
  add('b', 3, 'completed', 12);
  add('b', 4, 'completed', 1);
  add('b', 6, 'completed', 1);
  add('b', 7, 'failed', 2);
  add('b', 10, 'budget-exceeded', 1);
  return sessions;
}

describe('budget advisor', () => {
  it('nearest-rank quantile of turn counts', () => {
    expect(nearestRank([2, 3, 3, 6], 0.9)).toBe(6); // ceil(3.6) = 4th
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9); // ceil(9) = 9th
    expect(nearestRank([5], 0.9)).toBe(5);
    expect(nearestRank([], 0.9)).toBeNaN();
  });

  it('90% of successful sessions within 3 turns -> max_turns 5; 4 of the 23 sessions would have been cut', () => {
    const [all, a, b] = adviseBudgets(syntheticRun());
    // 20 successful: sorted, the ceil(0.9 x 20) = 18th is 3 -> 3 + 2 = 5. Over 5 turns: the 6-turn success, 2 failed (7), 1 stopped (10).
    expect(all).toEqual({
      providerId: 'ref:x',
      variantId: 'baseline',
      strategy: 'loop',
      scenarioId: null,
      sessions: 23,
      successful: 20,
      distribution: [
        { turns: 2, count: 6 },
        { turns: 3, count: 12 },
        { turns: 4, count: 1 },
        { turns: 6, count: 1 },
      ],
      quantileTurns: 3,
      recommendedMaxTurns: 5,
      cut: 4,
      cutSuccessful: 1,
    });
    // Scenario a: 6 sessions in 2 turns -> 4, none cut.
    expect(a).toMatchObject({ scenarioId: 'a', successful: 6, quantileTurns: 2, recommendedMaxTurns: 4, cut: 0 });
    // Scenario b: 14 successful (12 x 3, 4, 6): the ceil(12.6) = 13th is 4 -> 6; cut: 2 failed at 7 and the stopped 10 -> 3, no success.
    expect(b).toMatchObject({ scenarioId: 'b', sessions: 17, successful: 14, quantileTurns: 4, recommendedMaxTurns: 6, cut: 3, cutSuccessful: 0 });
  });

  it('a group with no successful session gets no recommendation', () => {
    const [row] = adviseBudgets([rec('v', 's', 4, 'failed', 1)]);
    expect(row).toMatchObject({ successful: 0, quantileTurns: null, recommendedMaxTurns: null, cut: 0, distribution: [] });
  });

  it('`batchbench budget <run-dir>` prints the rule and the table and writes budget.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-budget-'));
    const scenario = (id: string): RunManifest['scenarios'][number] => ({ id, title: id, domain: 'd', shape: 's', difficulty: 'easy', tags: [], file: `${id}.yaml`, hash: 'h', optimalTurns: 2, widths: [], dag: [] });
    const manifest: RunManifest = {
      formatVersion: RUN_FORMAT_VERSION,
      runId: 'synthetic',
      tool: { name: 'batchbench', version: '0' },
      config: { providers: [{ id: 'ref:x', kind: 'reference' }], variants: ['baseline'], scenarios: ['a', 'b'], repeats: 1, concurrency: 1, seed: 1, modelLatencyMs: 0, maxTurns: 10 },
      scenarios: [scenario('a'), scenario('b')],
      variants: [{ id: 'baseline', description: '', strategy: 'loop', parallelToolCalls: true, file: 'baseline.md', hash: 'h' }],
      startedAt: '2026-11-25T00:00:00Z',
      endedAt: null,
      state: 'finished',
      sessionsPlanned: 23,
      sessionsWritten: 23,
    };
    writeFileSync(join(dir, 'run.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'sessions.jsonl'), `${syntheticRun().map((s) => JSON.stringify(s)).join('\n')}\n`);
    const io = captureIO();
    const code = await main(['budget', dir], io);
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    expect(io.stdout[0]).toBe('Round-trip budgets for run synthetic (23 sessions)');
    expect(io.stdout[1]).toBe(`Rule: ${describeRule({ quantile: 0.9, headroom: 2 })}`);
    expect(io.stdout[1]).toContain('max_turns = p90 + 2');
    const row = io.stdout.find((l) => l.includes('(all)'));
    expect(row?.split(/\s{2,}/)).toEqual(['ref:x', 'baseline', 'loop', '(all)', '20/23', '2x6 3x12 4x1 6x1', '3', '5', '4', '1']);
    const md = readFileSync(join(dir, 'budget.md'), 'utf8');
    expect(md).toContain('# Round-trip budgets: run synthetic');
    expect(md).toContain('| ref:x | baseline | loop | (all) | 20/23 | 2x6 3x12 4x1 6x1 | 3 | 5 | 4 | 1 |');
    expect(md).toContain('| ref:x | baseline | loop | b | 14/17 | 3x12 4x1 6x1 | 4 | 6 | 3 | 0 |');
    expect(io.stdout.at(-1)).toMatch(/^wrote .*budget\.md$/);
    // The rule is configurable; a bad value is a usage error.
    const strict = captureIO();
    expect(await main(['budget', dir, '--quantile', '1', '--headroom', '0'], strict)).toBe(0);
    expect(strict.stdout.find((l) => l.includes('(all)'))?.split(/\s{2,}/).slice(6)).toEqual(['6', '6', '3', '0']);
    const bad = captureIO();
    expect(await main(['budget', dir, '--quantile', '1.5'], bad)).toBe(2);
    expect(bad.stderr).toEqual(['error: --quantile must be a fraction above 0 and at most 1 (e.g. 0.9), got "1.5"']);
  });
});
