import { describe, expect, it } from 'vitest';
import { adviseBudgets } from '../../harness/metrics/budget-advisor.js';
import { compareVariants } from '../../harness/metrics/comparison.js';
import { errorBreakdown, notMeasuredSentence } from '../../harness/metrics/error-breakdown.js';
import { DEFAULT_PRICES } from '../../harness/metrics/prices.js';
import { analyseRun } from '../../harness/metrics/run-analysis.js';
import { sessionFigures } from '../../harness/metrics/stat-metrics.js';
import { summarise } from '../../harness/metrics/summary.js';
import { isMeasured } from '../../harness/core/run-file/records.js';
import { stormRun, stormSessions } from './errored-run.js';

describe('errored and skipped sessions are counted, never averaged', () => {
  const run = stormRun();
  const a = analyseRun(run, { resamples: 200, prices: DEFAULT_PRICES, priceModel: 'gpt-4o' });
  const cell = (provider: string, variant: string) => a.providers.find((p) => p.id === provider)?.variants.find((v) => v.variantId === variant);

  it('means, medians, success, curve and band rest on the measured sessions only (figures in errored-run.ts)', () => {
    const t = cell('ref:a', 'together');
    expect(t).toMatchObject({ sessions: 4, measured: 2, statuses: { completed: 2, failed: 0, budgetExceeded: 0, errored: 1, skipped: 1 } });
    expect(t?.stats.turns.mean).toBe(2.5);
    expect(t?.stats.turns.median).toBe(2.5);
    expect(t?.stats.inputTokens.mean).toBe(500);
    expect(t?.stats.overhead.mean).toBe(0.5);
    expect(t?.success).toMatchObject({ successes: 2, n: 2, estimate: 1 });
    expect(t?.tokenCurve).toEqual([100, 350, 500]);
    expect(t?.pooled).toMatchObject({ toolCalls: 8, parallelCalls: 8, toolTurns: 3, batchingRate: 1 });
    expect(t?.band).toBe('above target');
    expect(t?.batchSizes).toEqual([0, 0, 2, 0, 1]);
  });

  it('a group with nothing measured has no figure at all: NaN, never 0', () => {
    const dead = cell('ref:b', 'plain');
    expect(dead).toMatchObject({ sessions: 2, measured: 0, statuses: { errored: 2, skipped: 0 }, band: 'not measured', tokenCurve: [] });
    expect(dead?.stats.turns.mean).toBeNaN();
    expect(dead?.stats.inputTokens.mean).toBeNaN();
    expect(dead?.success.estimate).toBeNaN();
    expect(dead?.pooled.batchingRate).toBeNaN();
  });

  it('paired comparisons drop pairs with an errored or skipped side and count them', () => {
    const ga = a.groups.find((g) => g.id === 'ref:a')?.comparisons[0];
    expect(ga).toMatchObject({ variantId: 'together', pairs: 2, dropped: 2, unpaired: 0 });
    // (2 − 5 + 3 − 5) / 2 and (400 − 1,000 + 600 − 1,000) / 2.
    expect(ga?.metrics.turns).toMatchObject({ pairs: 2, baselineMean: 5, variantMean: 2.5, difference: -2.5 });
    expect(ga?.metrics.inputTokens.difference).toBe(-500);
    expect(ga?.metrics.success.difference).toBe(0);
    const gb = a.groups.find((g) => g.id === 'ref:b')?.comparisons[0];
    expect(gb).toMatchObject({ pairs: 0, dropped: 2 });
    expect(gb?.metrics.turns.difference).toBeNaN();
    expect(gb?.metrics.turns.significant).toBe(false);
  });

  it('scenario overheads and run totals count the measured sessions', () => {
    const fan = a.scenarios[0]?.cells.find((c) => c.providerId === 'ref:a' && c.variantId === 'together');
    expect(fan).toMatchObject({ sessions: 4, measured: 2, meanOverhead: 0.5 });
    const none = a.scenarios[0]?.cells.find((c) => c.providerId === 'ref:b' && c.variantId === 'plain');
    expect(none).toMatchObject({ sessions: 2, measured: 0 });
    expect(none?.meanOverhead).toBeNaN();
    expect([a.sessions, a.measured]).toEqual([12, 8]);
  });

  it('compareVariants without the measured flag keeps every pair (old callers unchanged)', () => {
    const sessions = stormSessions().filter((s) => s.provider.id === 'ref:a');
    const figures = (v: string) => sessions.filter((s) => s.variantId === v).map((s) => ({ scenarioId: s.scenarioId, repeat: s.repeat, figures: sessionFigures(s, [], undefined) }));
    const flagged = (v: string) => figures(v).map((x, i) => ({ ...x, measured: isMeasured(sessions.filter((s) => s.variantId === v)[i] as never) }));
    const opts = { resamples: 200, confidence: 0.95, seedFor: () => 1 };
    expect(compareVariants({ variantId: 'plain', sessions: figures('plain') }, [{ variantId: 'together', sessions: figures('together') }], opts)[0]).toMatchObject({ pairs: 4, dropped: 0 });
    const c = compareVariants({ variantId: 'plain', sessions: flagged('plain') }, [{ variantId: 'together', sessions: flagged('together') }], opts)[0];
    expect(c).toMatchObject({ pairs: 2, dropped: 2 });
    expect(c?.metrics.turns.difference).toBe(-2.5);
  });

  it('summarise (CLI table, summary.csv, history) counts every status and averages the measured', () => {
    const rows = summarise(run.sessions);
    const t = rows.find((g) => g.providerId === 'ref:a' && g.variantId === 'together');
    expect(t).toMatchObject({ sessions: 4, measured: 2, completed: 2, errored: 1, skipped: 1, successRate: 1 });
    expect([t?.mean.turns, t?.median.turns, t?.mean.inputTokens, t?.mean.toolCalls, t?.mean.batchingRate]).toEqual([2.5, 2.5, 500, 4, 1]);
    const dead = rows.find((g) => g.providerId === 'ref:b' && g.variantId === 'plain');
    expect(dead).toMatchObject({ sessions: 2, measured: 0, errored: 2 });
    expect(dead?.successRate).toBeNaN();
    expect(dead?.mean.turns).toBeNaN();
  });

  it('budget advice rests on the measured sessions and says how many were left out', () => {
    const all = adviseBudgets(run.sessions).find((r) => r.providerId === 'ref:a' && r.variantId === 'together' && r.scenarioId === null);
    // Successful turns 2 and 3: the ceil(0.9 x 2) = 2nd is 3, + 2 = 5.
    expect(all).toMatchObject({ sessions: 2, notMeasured: 2, successful: 2, quantileTurns: 3, recommendedMaxTurns: 5, cut: 0 });
    const dead = adviseBudgets(run.sessions).find((r) => r.providerId === 'ref:b' && r.variantId === 'plain' && r.scenarioId === null);
    expect(dead).toMatchObject({ sessions: 0, notMeasured: 2, successful: 0, recommendedMaxTurns: null });
  });

  it('errorBreakdown counts per provider and per class, with the first message', () => {
    const b = errorBreakdown(run.sessions);
    expect(b).toMatchObject({ sessions: 12, measured: 8, errored: 3, skipped: 1 });
    expect(b.providers).toEqual([
      { providerId: 'ref:a', providerKind: 'reference', sessions: 8, errored: 1, skipped: 1 },
      { providerId: 'ref:b', providerKind: 'reference', sessions: 4, errored: 2, skipped: 0 },
    ]);
    expect(b.classes).toEqual([
      { class: 'ProviderServerError', count: 1, firstMessage: '500 <b>storm</b> | upstream' },
      { class: 'ProviderConnectionError', count: 2, firstMessage: 'connect ECONNREFUSED 127.0.0.1:9 (#1)' },
      { class: 'skipped', count: 1, firstMessage: 'ref:a refused the key (401)' },
    ]);
    expect(notMeasuredSentence(b)).toBe('3 of 12 sessions errored and 1 was skipped');
    expect(notMeasuredSentence({ sessions: 27, errored: 12, skipped: 0 }, 'candidate sessions')).toBe('12 of 27 candidate sessions errored');
  });
});
