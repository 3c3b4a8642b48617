import { describe, expect, it } from 'vitest';
import { compareMarkdown, compareText } from '../../harness/reports/compare/compare-markdown.js';
import { compareRuns, type RunComparison } from '../../harness/metrics/compare-runs.js';
import { errorGateSentence, evaluateErrorGate, sideErrors } from '../../harness/metrics/error-gate.js';
import { DEFAULT_ERROR_GATE, parseGates } from '../../harness/metrics/gates.js';
import { junitXml } from '../../harness/reports/junit.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { manifestOf, sequential } from '../metrics/errored-run.js';
import { erroredSession, skippedSession } from '../metrics/synthetic-sessions.js';
import { findAll, parseXml } from '../reports/xml.js';

const PROVIDER = 'ref:<i>x</i>';
const run = (sessions: SessionRecord[]) => {
  const manifest = manifestOf([PROVIDER], 27, sessions.length);
  return { manifest: { ...manifest, config: { ...manifest.config, variants: ['plain'] } }, sessions };
};
const spec = (repeat: number) => ({ provider: PROVIDER, variant: 'plain', scenario: 'fan', repeat, optimalTurns: 2 });
const repeats = Array.from({ length: 27 }, (_, i) => i + 1);

describe('the error-rate gate', () => {
  it('decides on the share of sessions not measured, with no test: hand-computed cases', () => {
    // 12 of 27 against 0 of 27: the rate rises by 12/27 = 0.4444 > 0.
    const fail = evaluateErrorGate(DEFAULT_ERROR_GATE, sideErrors(27, 0, 0), sideErrors(27, 10, 2));
    expect(fail).toMatchObject({ status: 'fail', allowed: 0 });
    expect(fail.rise).toBeCloseTo(12 / 27, 12);
    expect(errorGateSentence(fail)).toBe(
      'error_rate: 10 of 27 candidate sessions errored and 2 were skipped (baseline: 0): the other figures rest on the 15 measured sessions; error rate 0.0% -> 44.4%, allowed: a rise of 0.0 pts; REGRESSION: sessions errored, so the other gates compare fewer sessions',
    );
    // The same errors on both sides pass; fewer errors pass.
    expect(evaluateErrorGate(DEFAULT_ERROR_GATE, sideErrors(27, 3, 0), sideErrors(27, 3, 0)).status).toBe('pass');
    expect(evaluateErrorGate(DEFAULT_ERROR_GATE, sideErrors(27, 3, 0), sideErrors(27, 0, 0)).status).toBe('pass');
    // A limit of 10 points: 2/27 = 7.4 points passes, 3/27 = 11.1 fails. A relative 50% of a 6/27 baseline allows 3/27 more.
    const [tenPoints] = parseGates({ error_rate: { max_rise: 0.1 } }, 'g.yaml');
    const [half] = parseGates({ error_rate: { max_rise: '50%' } }, 'g.yaml');
    if (tenPoints?.metric !== 'errorRate' || half?.metric !== 'errorRate') throw new Error('not an error-rate gate');
    expect(evaluateErrorGate(tenPoints, sideErrors(27, 0, 0), sideErrors(27, 2, 0)).status).toBe('pass');
    expect(evaluateErrorGate(tenPoints, sideErrors(27, 0, 0), sideErrors(27, 3, 0)).status).toBe('fail');
    expect(evaluateErrorGate(half, sideErrors(27, 6, 0), sideErrors(27, 9, 0)).status).toBe('pass');
    expect(evaluateErrorGate(half, sideErrors(27, 6, 0), sideErrors(27, 10, 0)).status).toBe('fail');
    expect(() => parseGates({ error_rate: { max_drop: 0 } }, 'g.yaml')).toThrow(/g\.yaml: gates\.error_rate: give max_rise/);
  });

  it('12 of 27 candidate sessions errored: the gate fails first, with the cause; the rest compares 15 measured pairs', () => {
    const baseline = run(repeats.map((r) => sequential(PROVIDER, 'plain', r)));
    const candidate = run(repeats.map((r) => (r <= 12 ? erroredSession({ ...spec(r), turns: [] }, { class: 'ProviderServerError', message: '500' }) : sequential(PROVIDER, 'plain', r))));
    const result = compareRuns(baseline, candidate, { resamples: 200 }) as RunComparison;
    expect(result.comparable).toBe(true);
    const g = result.groups[0];
    expect(g).toMatchObject({ pairs: 15, dropped: 12, unpaired: 0, candidateErrors: { sessions: 27, errored: 12, skipped: 0 } });
    // Sequential in every measured pair: no change, so only the error gate fails.
    expect(g?.metrics.turns).toMatchObject({ baselineMean: 5, variantMean: 5, difference: 0, pairs: 15 });
    expect([result.regressions, result.errorRegressions]).toEqual([1, 1]);
    const cause = 'error_rate: 12 of 27 candidate sessions errored (baseline: 0): the other figures rest on the 15 measured sessions';
    const text = compareText(result);
    expect(text[0]).toBe('REGRESSION: 1 of 5 gate(s) failed');
    expect(text[1]).toContain(`FAIL  ${PROVIDER} (reference policy) / plain: ${cause}`);
    const md = compareMarkdown(result);
    expect(md).toContain(`- ref:&lt;i>x&lt;/i> (reference policy) / plain: ${cause};`);
    expect(md).not.toContain('<i>');
    const junit = parseXml(junitXml(result));
    const failure = findAll(junit, 'failure')[0];
    expect(failure?.attrs['type']).toBe('errors');
    expect(failure?.attrs['message']).toContain(cause);
  });

  it('skipped sessions count like errored ones; the same errors on both sides pass', () => {
    const withSkips = (): SessionRecord[] => repeats.map((r) => (r <= 3 ? skippedSession(spec(r), 'key refused') : sequential(PROVIDER, 'plain', r)));
    const result = compareRuns(run(withSkips()), run(withSkips()), { resamples: 200 }) as RunComparison;
    expect(result.regressions).toBe(0);
    expect(result.groups[0]).toMatchObject({ pairs: 24, dropped: 3 });
    expect(errorGateSentence(result.groups[0]?.errorGate as never)).toBe(
      'error_rate: 3 of 27 candidate sessions were skipped (baseline: 3): the other figures rest on the 24 measured sessions; error rate 11.1% -> 11.1%, allowed: a rise of 0.0 pts; within the limit',
    );
  });
});
