import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isMeasured } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { captureIO } from '../helpers.js';

// Every per-session computation the reports rest on, counted: each must run once per session, in analyseRun alone.
vi.mock('../../harness/metrics/run-analysis.js', async (original) => {
  const m = await original<typeof import('../../harness/metrics/run-analysis.js')>();
  return { ...m, analyseRun: vi.fn(m.analyseRun) };
});
vi.mock('../../harness/metrics/session-metrics.js', async (original) => {
  const m = await original<typeof import('../../harness/metrics/session-metrics.js')>();
  return { ...m, sessionMetrics: vi.fn(m.sessionMetrics) };
});
vi.mock('../../harness/metrics/missed-parallelism.js', async (original) => {
  const m = await original<typeof import('../../harness/metrics/missed-parallelism.js')>();
  return { ...m, missedParallelism: vi.fn(m.missedParallelism) };
});
vi.mock('../../harness/metrics/waste.js', async (original) => {
  const m = await original<typeof import('../../harness/metrics/waste.js')>();
  return { ...m, markCalls: vi.fn(m.markCalls), wasteFigures: vi.fn(m.wasteFigures) };
});
vi.mock('../../harness/metrics/counterfactual.js', async (original) => {
  const m = await original<typeof import('../../harness/metrics/counterfactual.js')>();
  return { ...m, counterfactual: vi.fn(m.counterfactual) };
});
vi.mock('../../harness/core/plan-format.js', async (original) => {
  const m = await original<typeof import('../../harness/core/plan-format.js')>();
  return { ...m, parsePlan: vi.fn(m.parsePlan) };
});

const calls = (f: unknown): number => vi.mocked(f as () => unknown).mock.calls.length;

// Test files share a worker's module cache (vitest.config.ts): load the harness afresh, so it sees the counting versions.
const load = async () => {
  vi.resetModules();
  return {
    main: (await import('../../harness/cli/program.js')).main,
    analyseRun: (await import('../../harness/metrics/run-analysis.js')).analyseRun,
    sessionMetrics: (await import('../../harness/metrics/session-metrics.js')).sessionMetrics,
    missedParallelism: (await import('../../harness/metrics/missed-parallelism.js')).missedParallelism,
    waste: await import('../../harness/metrics/waste.js'),
    counterfactual: (await import('../../harness/metrics/counterfactual.js')).counterfactual,
    parsePlan: (await import('../../harness/core/plan-format.js')).parsePlan,
  };
};

describe('the reports compute each figure once', () => {
  const out = mkdtempSync(join(tmpdir(), 'bb-once-'));
  const dir = join(out, 'once');
  let h: Awaited<ReturnType<typeof load>>;
  beforeAll(async () => {
    h = await load();
  });
  beforeEach(() => vi.clearAllMocks());

  const expectOnce = (): void => {
    const run = readRun(dir);
    const n = run.sessions.length;
    // json-plan sessions of the plain loop keep no scored plan: their plan is read from the first turn, once.
    const plans = run.sessions.filter((s) => s.variantId === 'json-plan' && isMeasured(s) && s.extra?.plan === undefined).length;
    expect(n).toBe(2 * 2 * 3);
    expect(plans).toBe(6);
    expect(calls(h.analyseRun)).toBe(1);
    expect(calls(h.sessionMetrics)).toBe(n);
    expect(calls(h.missedParallelism)).toBe(n);
    expect(calls(h.waste.markCalls)).toBe(n);
    expect(calls(h.waste.wasteFigures)).toBe(0);
    expect(calls(h.counterfactual)).toBe(run.sessions.filter(isMeasured).length);
    expect(calls(h.parsePlan)).toBe(plans);
  };

  it('run: one analysis for every report and the printed table', async () => {
    const io = captureIO();
    const code = await h.main(['run', '-p', 'ref:optimal', '-p', 'ref:stochastic:0.5', '-r', '1', '--variants', 'baseline', '--variants', 'json-plan', '--tags', 'domain=travel', '--quiet', '--out', out, '--run-id', 'once'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(io.stdout.join('\n')).toContain('ref:optimal (reference policy)');
    expectOnce();
  });

  it('report: the same, when the reports are written again', async () => {
    const io = captureIO();
    expect(await h.main(['report', dir], io)).toBe(0);
    expect(io.stdout.filter((l) => l.startsWith('wrote ')).length).toBe(8);
    expectOnce();
  });
});
