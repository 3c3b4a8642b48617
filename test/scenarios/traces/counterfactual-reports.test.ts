import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './temp-dirs.js';
import { main } from '../../../harness/cli/program.js';
import { readRun } from '../../../harness/core/run-file/run-files.js';
import { captureIO, PROJECT } from '../../helpers.js';

afterAll(removeTempDirs);

describe('counterfactual savings of a benchmark run (declared graph)', () => {
  it('sessions.csv, variants.csv, summary.md and report.html carry them', async () => {
    const out = tempDir('bb-cf-');
    const io = captureIO();
    const scenarios = ['fan-out', 'diamond'].map((n) => join(PROJECT, 'scenarios', `${n}.yaml`)).join(',');
    const code = await main(
      ['run', '--scenarios', scenarios, '--prompts', join(PROJECT, 'prompts', 'plain.md'), '-p', 'ref:sequential', '-p', 'ref:optimal', '-r', '1', '--model-latency', '1000', '--out', out, '--run-id', 'r', '-q', '--resamples', '100'],
      io,
    );
    expect(code).toBe(0);
    const dir = join(out, 'r');
    const run = readRun(dir);
    const rows = parse(readFileSync(join(dir, 'sessions.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const pick = (provider: string, scenario: string): Record<string, string> => rows.find((r) => r.provider === provider && r.scenario === `t-${scenario}`) as Record<string, string>;
    const inputOf = (provider: string, scenario: string, turns: number[]): number =>
      run.sessions.find((s) => s.provider.id === provider && s.scenarioId === `t-${scenario}`)!.turns.filter((t) => turns.includes(t.index)).reduce((n, t) => n + t.usage.inputTokens, 0);

    // Fan-out of 4 called one per turn: turns 2, 3, 4 join turn 1 -> 3 turns, 3 x 1000 ms of model latency.
    const fan = pick('ref:sequential', 'fan-out');
    expect([fan.turns, fan.counterfactual_graph, fan.counterfactual_saved_turns, fan.counterfactual_saved_latency_ms]).toEqual(['5', 'declared', '3', '3000']);
    expect(Number(fan.counterfactual_saved_input_tokens)).toBe(inputOf('ref:sequential', 'fan-out', [2, 3, 4]));
    // Diamond trip -> {weather, hotel} -> total one per turn: hotel (turn 3) joins weather (turn 2) -> 1 turn.
    const dia = pick('ref:sequential', 'diamond');
    expect([dia.turns, dia.counterfactual_saved_turns, dia.counterfactual_saved_latency_ms]).toEqual(['5', '1', '1000']);
    expect(Number(dia.counterfactual_saved_input_tokens)).toBe(inputOf('ref:sequential', 'diamond', [3]));
    for (const scenario of ['fan-out', 'diamond']) expect(pick('ref:optimal', scenario).counterfactual_saved_turns).toBe('0');

    const variants = parse(readFileSync(join(dir, 'variants.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    const seq = variants.find((v) => v.provider === 'ref:sequential') as Record<string, string>;
    // (3 + 1) / 2 sessions x 1000 = 2000 round-trips per 1,000 sessions.
    expect([seq.counterfactual_graph, seq.counterfactual_sessions, seq.counterfactual_saved_turns_per_1000]).toEqual(['declared', '2', '2000']);
    const tokens = (inputOf('ref:sequential', 'fan-out', [2, 3, 4]) + inputOf('ref:sequential', 'diamond', [3])) * 500;
    expect(Number(seq.counterfactual_saved_input_tokens_per_1000)).toBe(tokens);
    expect((variants.find((v) => v.provider === 'ref:optimal') as Record<string, string>).counterfactual_saved_turns_per_1000).toBe('0');

    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(summary).toContain('## Counterfactual savings');
    expect(summary).toContain(`ref:sequential / plain: this variant left 2,000 round-trips, ${tokens.toLocaleString('en-US')} tokens and $`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/<section id="savings">.*ref:sequential \/ plain.*left 2,000 round-trips/s);
  }, 20_000);
});
