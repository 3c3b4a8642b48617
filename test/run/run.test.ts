import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { captureIO, PROJECT } from '../helpers.js';

const inputs = ['--scenarios', join(PROJECT, 'scenarios'), '--prompts', join(PROJECT, 'prompts')];

async function cliRun(extra: string[]): Promise<{ code: number; dir: string; io: ReturnType<typeof captureIO> }> {
  const out = mkdtempSync(join(tmpdir(), 'bb-run-'));
  const io = captureIO();
  const code = await main(['run', ...inputs, '--out', out, '--run-id', 'r', '--quiet', ...extra], io);
  return { code, dir: join(out, 'r'), io };
}

describe('batchbench run', () => {
  it('writes run.json, sessions.jsonl and the CSVs for the whole matrix', async () => {
    const { code, dir, io } = await cliRun(['--repeats', '2']);
    expect(code).toBe(0);
    const run = readRun(dir);
    // 3 reference policies x 2 variants x 3 scenarios x 2 repeats
    expect(run.sessions).toHaveLength(36);
    expect(run.manifest).toMatchObject({ state: 'finished', sessionsPlanned: 36, sessionsWritten: 36, formatVersion: 2 });
    expect(run.manifest.config.providers.map((p) => p.id)).toEqual(['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal']);
    expect(run.manifest.scenarios.map((s) => [s.id, s.optimalTurns])).toEqual([['t-chain', 4], ['t-diamond', 4], ['t-fan-out', 2]]);
    expect(run.manifest.scenarios[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(run.sessions.map((s) => s.key)).size).toBe(36);

    const sessions = parse(readFileSync(join(dir, 'sessions.csv')), { columns: true }) as Record<string, string>[];
    expect(sessions).toHaveLength(36);
    const optFan = sessions.find((r) => r['provider'] === 'ref:optimal' && r['scenario'] === 't-fan-out' && r['variant'] === 'plain');
    expect(optFan).toMatchObject({ provider_kind: 'reference', turns: '2', parallel_calls: '4', batching_rate: '1', status: 'completed', tokens_estimated: 'true' });

    const turns = parse(readFileSync(join(dir, 'turns.csv')), { columns: true }) as Record<string, string>[];
    expect(turns).toHaveLength(run.sessions.reduce((n, s) => n + s.turns.length, 0));

    const summary = parse(readFileSync(join(dir, 'summary.csv')), { columns: true }) as Record<string, string>[];
    expect(summary.map((r) => `${r['provider']}/${r['variant']}`)).toEqual([
      'ref:sequential/plain', 'ref:sequential/together', 'ref:stochastic:0.5/plain', 'ref:stochastic:0.5/together', 'ref:optimal/plain', 'ref:optimal/together',
    ]);
    const seq = summary[0] as Record<string, string>;
    // sequential: (4 + 5 + 5) turns / 3 scenarios, never batched, always successful
    expect(Number(seq['mean_turns'])).toBeCloseTo(14 / 3, 10);
    expect(seq['mean_batching_rate']).toBe('0');
    expect(seq['success_rate']).toBe('1');
    expect(io.stdout.join('\n')).toContain('reference policy');
  });

  it('the same seed twice gives identical metrics; another seed changes the stochastic policy', async () => {
    const metrics = (dir: string): string[] =>
      readRun(dir)
        .sessions.map((s) => {
          const { realMs: _realMs, ...m } = sessionMetrics(s);
          return `${s.key} ${JSON.stringify(m)}`;
        })
        .sort();
    const a = await cliRun(['--seed', '5', '--concurrency', '1']);
    const b = await cliRun(['--seed', '5', '--concurrency', '7']);
    const c = await cliRun(['--seed', '6']);
    expect(metrics(a.dir)).toEqual(metrics(b.dir));
    expect(metrics(a.dir)).not.toEqual(metrics(c.dir));
  });

  it('common random numbers: under ref:stochastic two variants get identical turns, calls and batching per scenario and repeat', async () => {
    const { code, dir, io } = await cliRun(['--provider', 'ref:stochastic:0.5', '--repeats', '6', '--seed', '11']);
    expect(code).toBe(0);
    const said = "Reference policies ignore the prompt's wording and share their random draws across variants";
    expect(io.stdout.join('\n')).toContain(said);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain(`> ${said}`);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain(said.replace("'", '&#39;'));
    const shape = (variant: string): Map<string, string> =>
      new Map(
        readRun(dir)
          .sessions.filter((s) => s.variantId === variant)
          .map((s) => {
            const m = sessionMetrics(s);
            const batches = s.turns.map((t) => t.calls.map((c) => `${c.name}(${JSON.stringify(c.args)})`).join('+')).join(' | ');
            return [`${s.scenarioId}#${s.repeat}`, `${m.turns} ${m.toolCalls} ${m.parallelCalls} ${m.batchingRate} ${batches}`];
          }),
      );
    const plain = shape('plain');
    const together = shape('together');
    expect(plain.size).toBe(18);
    expect([...together.entries()]).toEqual([...plain.entries()]);
    // The draws still vary across repeats: the 6 repeats of the fan-out do not all batch alike.
    const fanOut = [1, 2, 3, 4, 5, 6].map((r) => plain.get(`t-fan-out#${r}`));
    expect(new Set(fanOut).size).toBeGreaterThan(1);
    // One variant: nothing is compared, nothing to say.
    const single = await cliRun(['--provider', 'ref:stochastic:0.5', '--variants', 'plain']);
    expect(single.io.stdout.join('\n')).not.toContain(said);
    expect(readFileSync(join(single.dir, 'summary.md'), 'utf8')).not.toContain(said);
  });

  it('--model-latency sets the virtual model latency per provider, records it in run.json, and refuses a bad value (exit 2)', async () => {
    const { code, dir } = await cliRun(['--provider', 'ref:sequential,ref:optimal', '--variants', 'plain', '--repeats', '1', '--model-latency', '500', '--model-latency', 'ref:optimal=1200']);
    expect(code).toBe(0);
    const run = readRun(dir);
    expect(run.manifest.config.modelLatencyMs).toBe(500);
    expect(run.manifest.config.modelLatencyByProvider).toEqual({ 'ref:optimal': 1200 });
    const modelMs = (provider: string): Set<number> => new Set(run.sessions.filter((s) => s.provider.id === provider).flatMap((s) => s.turns.map((t) => t.virtual.modelMs)));
    expect(modelMs('ref:sequential')).toEqual(new Set([500]));
    expect(modelMs('ref:optimal')).toEqual(new Set([1200]));
    // ref:optimal on the fan-out: 2 turns x 1200 ms + the slowest tool of its one batch.
    const fan = run.sessions.find((s) => s.provider.id === 'ref:optimal' && s.scenarioId === 't-fan-out');
    expect(fan?.virtualMs).toBe(2 * 1200 + Math.max(...(fan?.turns[0]?.calls.map((c) => c.latencyMs) ?? [])));
    const bad = await cliRun(['--model-latency', 'ref:optimal=fast']);
    expect(bad.code).toBe(2);
    expect(bad.io.stderr.join('\n')).toContain('--model-latency "ref:optimal=fast": give <ms> or <provider>=<ms>');
  });

  it('a run killed midway leaves every finished session as a complete, parseable line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-kill-'));
    const dir = join(out, 'k');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'fixtures', 'slow-run.ts'), out, 'k', '30'], { stdio: 'ignore' });
    const file = join(dir, 'sessions.jsonl');
    const lines = (): string[] => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
    const deadline = Date.now() + 20_000;
    while (lines().length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const written = readFileSync(file, 'utf8');
    expect(written.endsWith('\n')).toBe(true);
    const records = written.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { status: string; turns: unknown[] });
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(records.length).toBeLessThan(60);
    for (const r of records) expect(r.status).toBe('completed');
    const run = readRun(dir);
    expect(run.manifest.state).toBe('running');
    expect(run.cutLine).toBeUndefined();
  }, 30_000);
});

describe('reading run files', () => {
  it('names the file, line and field of a malformed session record, and leaves out a cut-off last line', async () => {
    const { code, dir } = await cliRun(['--repeats', '1', '--provider', 'ref:optimal']);
    expect(code).toBe(0);
    const { appendFileSync, writeFileSync } = await import('node:fs');
    const file = join(dir, 'sessions.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    appendFileSync(file, '{"formatVersion":2,"key":"cut');
    const cut = readRun(dir);
    expect(cut.sessions).toHaveLength(lines.length);
    expect(cut.cutLine).toEqual({ file, line: lines.length + 1, offset: readFileSync(file).length - 29, bytes: 29 });
    const broken = JSON.parse(lines[1] as string) as Record<string, unknown>;
    broken['status'] = 'done';
    writeFileSync(file, [lines[0], JSON.stringify(broken)].join('\n'));
    expect(() => readRun(dir)).toThrow(/sessions\.jsonl:2: status: /);
  });
});

describe('report choices on run', () => {
  it('an unknown --baseline stops the run before any session', async () => {
    const { code, dir, io } = await cliRun(['--baseline', 'nope']);
    expect(code).toBe(2);
    expect(io.stderr.join('\n')).toContain('--baseline "nope" is not a variant of this run; its variants are: plain, together');
    expect(existsSync(dir)).toBe(false);
  });

  it('--baseline chooses the variant the comparison is made against', async () => {
    const { code, dir } = await cliRun(['--baseline', 'together', '--repeats', '1', '--resamples', '200']);
    expect(code).toBe(0);
    const rows = parse(readFileSync(join(dir, 'comparison.csv')), { columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r['baseline']))).toEqual(new Set(['together']));
  });
});

describe('a run mixing prompt variants and strategies', () => {
  it('records each variant with its strategy, and the HTML report shows the strategy', async () => {
    const out = mkdtempSync(join(tmpdir(), 'bb-mixed-'));
    const root = join(import.meta.dirname, '..', '..');
    const io = captureIO();
    const code = await main(
      ['run', '--scenarios', join(root, 'scenarios', 'coding-pr-prep.yaml'), '--scenarios', join(root, 'scenarios', 'ops-service-health.yaml'),
        '--prompts', join(root, 'prompts', 'baseline.md'), '--prompts', join(root, 'prompts', 'strategies'),
        '--provider', 'ref:optimal', '--repeats', '1', '--out', out, '--run-id', 'm', '--quiet', '--resamples', '200'],
      io,
    );
    expect(code).toBe(0);
    const run = readRun(join(out, 'm'));
    const strategyOf = Object.fromEntries(run.sessions.map((s) => [s.variantId, s.strategy]));
    expect(strategyOf).toEqual({ baseline: 'loop', 'budget-5x5': 'budgeted', chain: 'chain', hybrid: 'hybrid', 'plan-execute': 'plan-execute' });
    const chainPr = run.sessions.find((s) => s.variantId === 'chain' && s.scenarioId === 'coding-pr-prep');
    expect(chainPr && sessionMetrics(chainPr)).toMatchObject({ turns: 1, toolTurns: 0, toolCalls: 4, chainCalls: 4, success: true });
    const html = readFileSync(join(out, 'm', 'report.html'), 'utf8');
    for (const s of ['budgeted', 'plan-execute', 'hybrid']) expect(html).toContain(s);
  });
});

describe('plan metrics in the reports', () => {
  it('scores the plans of a variant that asks for one, and only of such variants', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const out = mkdtempSync(join(tmpdir(), 'bb-plans-'));
    const code = await main(
      ['run', '--scenarios', join(PROJECT, 'scenarios'), '--prompts', join(root, 'prompts', 'json-plan.md'), '--prompts', join(root, 'prompts', 'baseline.md'),
        '--provider', 'ref:optimal', '--repeats', '1', '--out', out, '--run-id', 'p', '--quiet', '--resamples', '200'],
      captureIO(),
    );
    expect(code).toBe(0);
    const rows = parse(readFileSync(join(out, 'p', 'plans.csv')), { columns: true }) as Record<string, string>[];
    // ref:optimal plans the DAG's levels: every plan parses, is valid, has the optimal number of groups and is followed.
    expect(rows).toEqual([
      { provider: 'ref:optimal', variant: 'json-plan', strategy: 'loop', sessions: '3', plans_parsed: '3', parse_rate: '1', valid_rate: '1', mean_groups: String((3 + 3 + 1) / 3), mean_extra_groups: '0', mean_adherence: '1' },
    ]);
    expect(readFileSync(join(out, 'p', 'summary.md'), 'utf8')).toContain('## Plans');
    expect(readFileSync(join(out, 'p', 'report.html'), 'utf8')).toContain('<section id="plans">');

    const { code: plain, dir } = await cliRun(['--repeats', '1', '--provider', 'ref:optimal']);
    expect(plain).toBe(0);
    expect(existsSync(join(dir, 'plans.csv'))).toBe(false);
  });
});
