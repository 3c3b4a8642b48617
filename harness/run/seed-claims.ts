import { RUN_DEFAULTS } from '../config/run-settings.js';
import type { Variant } from '../scenarios/load-variants.js';
import { createProvider } from '../providers/registry.js';
import type { SessionRecord } from '../core/run-file/records.js';
import { runSession } from './run-session.js';
import { turnLimitOf } from './stop-rules.js';
import { MockToolExecutor } from '../scenarios/mock-tools.js';
import type { Scenario } from '../scenarios/types.js';

/**
 * The claims the project's seed made about batching, measured on the suite
 * with the two deterministic reference policies. docs/scenarios.md holds the
 * table between markers; `npx tsx harness/run/write-seed-claims.ts`
 * regenerates it and test/scenarios/suite-claims.test.ts checks it matches.
 */

export const CLAIMS_START = '<!-- seed-claims:start -->';
export const CLAIMS_END = '<!-- seed-claims:end -->';

/** One scenario run by both reference policies. */
export interface ScenarioPair {
  id: string;
  calls: number;
  /** Widest batch the dependency graph allows. */
  maxWidth: number;
  sequential: SessionRecord;
  optimal: SessionRecord;
}

/** Runs `ref:sequential` and `ref:optimal` once on each scenario with the given variant. */
export async function measurePairs(scenarios: readonly Scenario[], variant: Variant): Promise<ScenarioPair[]> {
  const run = (s: Scenario, policy: string): Promise<SessionRecord> =>
    runSession({
      runId: 'seed-claims',
      scenario: s,
      variant,
      provider: createProvider(policy).forScenario(s, { expectsPlan: variant.expectsPlan }),
      repeat: 0,
      seed: 1,
      tools: new MockToolExecutor(s),
      // The run's default --max-turns, replaced by the scenario's own max_turns, as in a run.
      stopRules: [turnLimitOf(s, RUN_DEFAULTS.maxTurns)],
      modelLatencyMs: 0,
    });
  const pairs: ScenarioPair[] = [];
  for (const s of scenarios) {
    pairs.push({
      id: s.id,
      calls: s.expectedCalls.length,
      maxWidth: Math.max(...s.dag.widths),
      sequential: await run(s, 'ref:sequential'),
      optimal: await run(s, 'ref:optimal'),
    });
  }
  return pairs;
}

/** Model calls that asked for tools (round-trips to the tools). */
export function toolTurns(r: SessionRecord): number {
  return r.turns.filter((t) => t.calls.length > 0).length;
}

/** Input tokens of the whole session. */
export function inputTokens(r: SessionRecord): number {
  return r.turns.reduce((n, t) => n + t.usage.inputTokens, 0);
}

/** Input tokens of model call `k` (1-based) divided by those of call 1, or undefined when the session is shorter. */
export function turnGrowth(r: SessionRecord, k: number): number | undefined {
  const first = r.turns[0]?.usage.inputTokens;
  const kth = r.turns[k - 1]?.usage.inputTokens;
  return first && kth !== undefined ? kth / first : undefined;
}

export function median(values: readonly number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 === 1 ? (v[mid] ?? NaN) : ((v[mid - 1] ?? NaN) + (v[mid] ?? NaN)) / 2;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]): number => sum(xs) / xs.length;
const range = (xs: readonly number[]): string => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return lo === hi ? String(lo) : `${lo}–${hi}`;
};
const x2 = (n: number): string => `${n.toFixed(2)}×`;
const f2 = (n: number): string => n.toFixed(2);

/** The figures of the claims table, computed from the pairs. */
export interface SeedClaims {
  scenarios: number;
  long: { ids: string[]; seqToolTurns: number[]; optToolTurns: number[]; seqTurns: number[]; optTurns: number[]; tokenRatio: number };
  batched: { count: number; seqTurnsMean: number; seqTurnsRange: string; optTurnsMean: number; tokenRatio: number; tokenRatioMedian: number };
  suite: { seqTurnsMean: number; optTurnsMean: number; tokenRatio: number };
  growth: { turn5: { n: number; median: number; reach3x: number }; turn6: { n: number; median: number; reach3x: number } };
}

/** Computes the claims from measured pairs. Every session must have completed. */
export function seedClaims(pairs: readonly ScenarioPair[]): SeedClaims {
  const long = pairs.filter((p) => p.calls >= 10);
  const batched = pairs.filter((p) => p.maxWidth >= 3);
  const ratio = (ps: readonly ScenarioPair[]): number => sum(ps.map((p) => inputTokens(p.sequential))) / sum(ps.map((p) => inputTokens(p.optimal)));
  const growth = (k: number) => {
    const values = pairs.flatMap((p) => turnGrowth(p.sequential, k) ?? []);
    return { n: values.length, median: median(values), reach3x: values.filter((v) => v >= 3).length };
  };
  return {
    scenarios: pairs.length,
    long: {
      ids: long.map((p) => p.id),
      seqToolTurns: long.map((p) => toolTurns(p.sequential)),
      optToolTurns: long.map((p) => toolTurns(p.optimal)),
      seqTurns: long.map((p) => p.sequential.turns.length),
      optTurns: long.map((p) => p.optimal.turns.length),
      tokenRatio: ratio(long),
    },
    batched: {
      count: batched.length,
      seqTurnsMean: mean(batched.map((p) => p.sequential.turns.length)),
      seqTurnsRange: range(batched.map((p) => p.sequential.turns.length)),
      optTurnsMean: mean(batched.map((p) => p.optimal.turns.length)),
      tokenRatio: ratio(batched),
      tokenRatioMedian: median(batched.map((p) => inputTokens(p.sequential) / inputTokens(p.optimal))),
    },
    suite: {
      seqTurnsMean: mean(pairs.map((p) => p.sequential.turns.length)),
      optTurnsMean: mean(pairs.map((p) => p.optimal.turns.length)),
      tokenRatio: ratio(pairs),
    },
    growth: { turn5: growth(5), turn6: growth(6) },
  };
}

/** The Markdown table (with its lead-in line) that goes between the markers. */
export function seedClaimsMarkdown(c: SeedClaims): string {
  const l = c.long;
  const b = c.batched;
  return [
    `Measured on the ${c.scenarios} scenarios of the suite with the \`baseline\` prompt, one session per scenario and policy; input tokens are tokenizer estimates (o200k_base) of each request. \`ref:sequential\` makes one call per turn; \`ref:optimal\` makes every ready call at once.`,
    '',
    '| Seed claim | Seed figure | ref:sequential | ref:optimal | On the suite |',
    '|---|---|---:|---:|---|',
    `| Batching and chaining cut a 10-round-trip workflow to 2–3 | 10 → 2–3 round-trips | ${range(l.seqToolTurns)} | ${range(l.optToolTurns)} | tool round-trips on the ${l.ids.length} scenarios with 10+ calls (${l.ids.map((id) => `\`${id}\``).join(', ')}); model turns ${range(l.seqTurns)} → ${range(l.optTurns)}, input tokens ${x2(l.tokenRatio)} |`,
    `| One-tool-per-turn agents take 6–9 turns | 6–9 turns | ${f2(b.seqTurnsMean)} (${b.seqTurnsRange}) | ${f2(b.optTurnsMean)} | mean model turns on the ${b.count} scenarios whose graph allows a batch of 3+ calls |`,
    `| … at about 3× the tokens of agents batching 3+ tools per turn | ~3× | ${x2(b.tokenRatio)} | 1.00× | input tokens on those ${b.count} scenarios, sequential over optimal (median per scenario ${x2(b.tokenRatioMedian)}) |`,
    `| Whole suite | | ${f2(c.suite.seqTurnsMean)} turns | ${f2(c.suite.optTurnsMean)} turns | input tokens ${x2(c.suite.tokenRatio)} sequential over optimal |`,
    `| Turn 5–6 costs 3–4× turn 1 | 3–4× | turn 5: ${x2(c.growth.turn5.median)}, turn 6: ${x2(c.growth.turn6.median)} | | median input tokens of that model call over call 1, ref:sequential, over the ${c.growth.turn5.n} / ${c.growth.turn6.n} scenarios that reach it; ${c.growth.turn5.reach3x} / ${c.growth.turn6.reach3x} of them reach 3× |`,
  ].join('\n');
}

/** `doc` with the text between the seed-claims markers replaced by `table`. */
export function withSeedClaims(doc: string, table: string): string {
  const start = doc.indexOf(CLAIMS_START);
  const end = doc.indexOf(CLAIMS_END);
  if (start < 0 || end < start) throw new Error(`the document has no ${CLAIMS_START} ... ${CLAIMS_END} block`);
  return `${doc.slice(0, start + CLAIMS_START.length)}\n${table}\n${doc.slice(end)}`;
}
