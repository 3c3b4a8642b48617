import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { InputError } from '../../harness/core/errors.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { cli, comparable, tempDir } from '../cli/helpers.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { captureIO } from '../helpers.js';

// A run written by the code before format 2 (test/fixtures/v1-run/README.md), with the reports that code wrote from it.
const V1 = join(import.meta.dirname, '..', 'fixtures', 'v1-run');
const ROOT = join(import.meta.dirname, '..', '..');
const REPORTS = ['summary.csv', 'plans.csv', 'sessions.csv', 'turns.csv'];

function copy(): string {
  const dir = join(tempDir('v1'), 'v1');
  cpSync(V1, dir, { recursive: true });
  return dir;
}

const rawLines = (dir: string): Record<string, unknown>[] =>
  readFileSync(join(dir, 'sessions.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a format-1 run', () => {
  it('is stored as format 1, with free-form strategy data of every kind', () => {
    const raw = rawLines(V1);
    expect(raw).toHaveLength(12);
    expect(new Set(raw.map((s) => s['formatVersion']))).toEqual(new Set([1]));
    expect((JSON.parse(readFileSync(join(V1, 'run.json'), 'utf8')) as { formatVersion: number }).formatVersion).toBe(1);
    expect(raw.map((s) => Object.keys((s['extra'] as object | undefined) ?? {}).join())).toEqual(['', '', '', '', 'budget', 'budget', 'chain', 'chain', 'hybrid', 'hybrid', 'plan', 'plan']);
  });

  it('reads migrated to format 2: each record as stored, with its version raised; the task graph has no accept (format 1 did not keep it)', () => {
    const run = readRun(V1);
    expect(run.manifest.formatVersion).toBe(2);
    expect(run.cutLine).toBeUndefined();
    expect(run.sessions).toEqual(rawLines(V1).map((s) => ({ ...s, formatVersion: 2 })));
    expect(run.manifest.scenarios.flatMap((s) => s.dag).filter((n) => n.accept !== undefined)).toEqual([]);
    // The data the reports read back is typed now.
    const chain = run.sessions.find((s) => s.key === 'ref:optimal|chain|coding-pr-prep|1');
    expect(chain?.extra?.chain).toEqual({
      name: 'pr_prep',
      steps: [
        { id: 'staged_diff', tool: 'git_diff', status: 'ok' },
        { id: 'recent_commits', tool: 'git_log', status: 'ok' },
        { id: 'test_results', tool: 'run_tests', status: 'ok' },
        { id: 'lint_results', tool: 'lint_files', status: 'ok' },
      ],
    });
    expect(run.sessions.find((s) => s.key === 'ref:optimal|plan-execute|coding-pr-prep|1')?.extra?.plan).toMatchObject({ source: 'plan-turn', parsed: true, valid: true, adherence: 1 });
  });

  it('`report` writes the same figures the format-1 code wrote from it', async () => {
    const dir = copy();
    const io = captureIO();
    expect(await main(['report', dir, '--resamples', '200'], io)).toBe(0);
    expect(io.stderr).toEqual([]);
    for (const name of REPORTS) expect(readFileSync(join(dir, name), 'utf8'), name).toBe(readFileSync(join(V1, name), 'utf8'));
  });

  it('format-1 strategy data: fields no reader knew are dropped; known ones are validated like format 2', () => {
    const dir = copy();
    const file = join(dir, 'sessions.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
    const edit = (n: number, change: (s: Record<string, unknown>) => void): void => {
      const out = lines.map((l, i) => {
        if (i !== n - 1) return l;
        const s = JSON.parse(l) as Record<string, unknown>;
        change(s);
        return JSON.stringify(s);
      });
      writeFileSync(file, `${out.join('\n')}\n`);
    };
    edit(5, (s) => ((s['extra'] as Record<string, unknown>)['note'] = 'free-form in format 1'));
    expect(readRun(dir).sessions.find((s) => s.key === 'ref:optimal|budget-5x5|coding-pr-prep|1')?.extra).toEqual({ budget: { maxTurns: 5, maxToolCallsPerTurn: 5 } });
    edit(5, (s) => ((s['extra'] as { budget: Record<string, unknown> }).budget['maxTurns'] = 'five'));
    expect(() => readRun(dir)).toThrow(InputError);
    expect(() => readRun(dir)).toThrow(`${file}:5: extra.budget.maxTurns: Invalid input: expected number, received string`);
  });

  it('continued by run --resume, it holds format-1 lines then format-2 lines and reads as one run', async () => {
    const dir = copy();
    const file = join(dir, 'sessions.jsonl');
    writeFileSync(file, `${readFileSync(file, 'utf8').split('\n').slice(0, 9).join('\n')}\n`);
    const manifest = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
    // The suite's travel-weather-cities.yaml has changed since this run (a tool description quoted, so YAML no longer cuts
    // it at a comma; the old file is now refused): the copy records the current file's hash, so the resume accepts it.
    const current = createHash('sha256').update(readFileSync(join(ROOT, 'scenarios', 'travel-weather-cities.yaml'))).digest('hex');
    const scenarios = (manifest['scenarios'] as { id: string; hash: string }[]).map((s) => (s.id === 'travel-weather-cities' ? { ...s, hash: current } : s));
    writeFileSync(join(dir, 'run.json'), JSON.stringify({ ...manifest, scenarios, state: 'interrupted', sessionsWritten: 9 }));
    const files = (flag: string, paths: string[]): string[] => paths.flatMap((p) => [flag, join(ROOT, p)]);
    const r = await cli([
      'run', '--resume', dir, '--quiet', '--resamples', '200',
      ...files('--scenarios', ['scenarios/coding-pr-prep.yaml', 'scenarios/travel-weather-cities.yaml']),
      ...files('--prompts', ['prompts/baseline.md', 'prompts/json-plan.md', 'prompts/strategies']),
    ]);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(rawLines(dir).map((s) => s['formatVersion'])).toEqual([...Array(9).fill(1), 2, 2, 2]);
    const run = readRun(dir);
    expect(run.manifest).toMatchObject({ formatVersion: 2, state: 'finished', sessionsWritten: 12 });
    // The three sessions run again are the stored ones: run id, clock and real times aside, and the estimated
    // token counts and request sizes, which the wire-format estimate changed after this run was written.
    const unestimated = (s: SessionRecord): string =>
      comparable({ ...s, runId: 'x', turns: s.turns.map((t) => ({ ...t, requestChars: 0, usage: t.usage.estimated ? { ...t.usage, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 } : t.usage })) });
    expect(run.sessions.map(unestimated)).toEqual(readRun(V1).sessions.map(unestimated));
    // The first nine lines, read from format 1, keep their stored counts.
    expect(run.sessions.slice(0, 9)).toEqual(readRun(V1).sessions.slice(0, 9));
  });
});
