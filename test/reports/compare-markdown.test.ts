import { describe, expect, it } from 'vitest';
import { COMPARE_MARKDOWN_LIMIT, compareMarkdown, compareQuietText } from '../../harness/reports/compare/compare-markdown.js';
import { compareRuns, type RunComparison } from '../../harness/metrics/compare-runs.js';
import { describeGate, parseGates } from '../../harness/metrics/gates.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { batched, manifestOf, sequential } from '../metrics/errored-run.js';

const PROVIDER = 'ref:a';
const run = (sessions: SessionRecord[]) => ({ manifest: manifestOf([PROVIDER], 24, sessions.length), sessions });
const repeats = Array.from({ length: 24 }, (_, i) => i + 1);

// Baseline: "plain" sequential, "together" all four calls in one turn.
// Candidate: both sequential. "together" then loses its batching (100% -> 0%),
// gains 3 turns (2 -> 5) and 600 input tokens (400 -> 1,000) in every pair: 3 gates fail.
const baseline = run(repeats.flatMap((r) => [sequential(PROVIDER, 'plain', r), batched(PROVIDER, 'together', r)]));
const candidate = run(repeats.flatMap((r) => [sequential(PROVIDER, 'plain', r), sequential(PROVIDER, 'together', r)]));
const result = compareRuns(baseline, candidate, { resamples: 200 }) as RunComparison;

describe('compare.md for a pull-request comment', () => {
  it('puts the verdict first, then the failed gates, then the passing gates summarised per gate, then every gate folded', () => {
    expect(result.regressions).toBe(3);
    const md = compareMarkdown(result);
    expect(md.split('\n')[0]).toBe('## batchbench compare: REGRESSION: 3 of 10 gate(s) failed');
    const at = (s: string): number => {
      const i = md.indexOf(s);
      expect(i, s).toBeGreaterThan(0);
      return i;
    };
    expect(at('### Failed gates (3)')).toBeLessThan(at('### Gates that passed (7)'));
    expect(at('### Gates that passed (7)')).toBeLessThan(at('<details><summary>Every gate (10)</summary>'));
    expect(at('<details><summary>Every gate (10)</summary>')).toBeLessThan(at('### Per group'));
    // The failed table holds only failures.
    const failed = md.slice(at('### Failed gates'), at('### Gates that passed'));
    expect(failed).toContain('| ref:a (reference policy) / together | batching_rate may not drop by more than 5.0 pts | −100.0 pts |');
    expect(failed).toContain('| ref:a (reference policy) / together | turns may not rise by more than 10% | +3.00 |');
    expect(failed).toContain('| ref:a (reference policy) / together | input_tokens may not rise by more than 10% | +600 |');
    expect(failed).not.toContain('| pass |');
    // Per gate: turns passed in "plain" only, where nothing moved.
    expect(md).toContain('| turns may not rise by more than 10% | 1 of 2 | 0 | none: no group moved the bad way | – |');
    expect(md).toContain('| error_rate may not rise | 2 of 2 | 0 | none: no group moved the bad way | – |');
    // Groups are folded, with their gate count in the summary line.
    expect(md).toContain('<details><summary><b>ref:a (reference policy) / together</b>: 3 of 5 gate(s) failed, 24 pairs</summary>');
    expect(md).toContain('<details><summary><b>ref:a (reference policy) / plain</b>: 5 gate(s) passed, 24 pairs</summary>');
    expect(md).toContain('Per scenario: none of the 1 scenarios changed');
    expect(md).toContain('Per scenario (change, candidate minus baseline): 1 of 1 changed.');
    expect(md.length).toBeLessThan(COMPARE_MARKDOWN_LIMIT);
  });

  it('drops detail in steps to stay under the limit: scenario tables, then the list of every gate, then the group tables', () => {
    const full = compareMarkdown(result);
    const noScenarios = compareMarkdown(result, full.length - 1);
    expect(noScenarios.length).toBeLessThanOrEqual(full.length - 1);
    expect(noScenarios).not.toContain('Per scenario');
    expect(noScenarios).toContain('<details><summary>Every gate (10)</summary>');
    const noGateList = compareMarkdown(result, noScenarios.length - 1);
    expect(noGateList).not.toContain('Every gate');
    expect(noGateList).toContain('| Batching rate | 100.0% | 0.0% |');
    const pointer = compareMarkdown(result, noGateList.length - 1);
    expect(pointer.length).toBeLessThan(noGateList.length);
    expect(pointer).toContain("2 group(s): every metric's change per group is in compare.html");
    expect(pointer).not.toContain('| Batching rate |');
    // The verdict and the failures survive every step.
    for (const md of [noScenarios, noGateList, pointer]) {
      expect(md.startsWith('## batchbench compare: REGRESSION: 3 of 10 gate(s) failed')).toBe(true);
      expect(md).toContain('### Failed gates (3)');
    }
  });

  it('compare --quiet text: the verdict and one line per failed gate, nothing else', () => {
    const lines = compareQuietText(result);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('REGRESSION: 3 of 10 gate(s) failed');
    expect(lines.slice(1).every((l) => l.startsWith('  FAIL  ref:a (reference policy) / together: '))).toBe(true);
    expect(lines[1]).toContain('batching_rate fell 100.0 pts');
    const same = compareRuns(baseline, baseline, { resamples: 200 }) as RunComparison;
    expect(compareQuietText(same)).toEqual(['PASS: all 10 gate(s) passed']);
  });

  it('gate titles write an absolute limit in the unit of the gate sentence', () => {
    const gates = parseGates({ batching_rate: { max_drop: 0.05 }, input_tokens: { max_rise: 1500 }, turns: { max_rise: 0.5 }, error_rate: { max_rise: 0.1 } }, 'g.yaml');
    expect(gates.map(describeGate)).toEqual([
      'batching_rate may not drop by more than 5.0 pts',
      'input_tokens may not rise by more than 1,500',
      'turns may not rise by more than 0.50',
      'error_rate may not rise by more than 10.0 pts',
    ]);
  });
});
