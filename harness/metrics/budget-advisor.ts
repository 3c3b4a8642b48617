import { isMeasured, type SessionRecord } from '../core/run-file/records.js';

/**
 * Round-trip budget advice from a run (the seed's rule of thumb: when 90% of
 * successful sessions finish within 3 turns, set the budget at 5). Pure
 * functions over session records. Errored and skipped sessions are counted
 * (`notMeasured`) and left out of every figure.
 */
export interface BudgetRule {
  /** Share of successful sessions the budget must fit, in (0, 1]. */
  quantile: number;
  /** Turns added on top of that quantile. */
  headroom: number;
}

export const DEFAULT_BUDGET_RULE: BudgetRule = { quantile: 0.9, headroom: 2 };

export function describeRule(rule: BudgetRule): string {
  const pct = Math.round(rule.quantile * 1000) / 10;
  return (
    `max_turns = p${pct} + ${rule.headroom}, where p${pct} is the fewest turns within which at least ${pct}% of the successful sessions finished ` +
    `(nearest rank: the ceil(${rule.quantile} x n)-th smallest turn count of n successful sessions). ` +
    `A session is cut when it took more model turns than max_turns.`
  );
}

/** Nearest-rank quantile of integer turn counts: the ceil(q·n)-th smallest value; NaN when empty. */
export function nearestRank(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export interface BudgetAdvice {
  providerId: string;
  variantId: string;
  strategy: string;
  /** null: every scenario of the variant together. */
  scenarioId: string | null;
  /** Measured sessions of the group: the advice rests on these. */
  sessions: number;
  /** Sessions that errored or were skipped: counted, never used (absent when there were none). */
  notMeasured?: number;
  successful: number;
  /** Turns of the successful sessions: how many took each count, ascending. */
  distribution: { turns: number; count: number }[];
  /** The rule's quantile of the successful sessions' turns; null when none succeeded. */
  quantileTurns: number | null;
  recommendedMaxTurns: number | null;
  /** Measured sessions of the group (any such status) with more turns than the recommendation, and how many of them had succeeded. */
  cut: number;
  cutSuccessful: number;
}

function advise(all: readonly SessionRecord[], scenarioId: string | null, rule: BudgetRule): BudgetAdvice {
  const first = all[0] as SessionRecord;
  const group = all.filter(isMeasured);
  const ok = group.filter((s) => s.status === 'completed').map((s) => s.turns.length);
  const counts = new Map<number, number>();
  for (const t of ok) counts.set(t, (counts.get(t) ?? 0) + 1);
  const q = ok.length === 0 ? null : nearestRank(ok, rule.quantile);
  const budget = q === null ? null : q + rule.headroom;
  const over = budget === null ? [] : group.filter((s) => s.turns.length > budget);
  return {
    providerId: first.provider.id,
    variantId: first.variantId,
    strategy: first.strategy,
    scenarioId,
    sessions: group.length,
    ...(all.length > group.length ? { notMeasured: all.length - group.length } : {}),
    successful: ok.length,
    distribution: [...counts].sort((a, b) => a[0] - b[0]).map(([turns, count]) => ({ turns, count })),
    quantileTurns: q,
    recommendedMaxTurns: budget,
    cut: over.length,
    cutSuccessful: over.filter((s) => s.status === 'completed').length,
  };
}

/**
 * Advice per provider and variant: first for all its scenarios together, then
 * per scenario (in first-seen order).
 */
export function adviseBudgets(sessions: readonly SessionRecord[], rule: BudgetRule = DEFAULT_BUDGET_RULE): BudgetAdvice[] {
  const byVariant = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const key = `${s.provider.id}|${s.variantId}`;
    byVariant.set(key, [...(byVariant.get(key) ?? []), s]);
  }
  return [...byVariant.values()].flatMap((group) => {
    const byScenario = new Map<string, SessionRecord[]>();
    for (const s of group) byScenario.set(s.scenarioId, [...(byScenario.get(s.scenarioId) ?? []), s]);
    return [advise(group, null, rule), ...[...byScenario].map(([id, g]) => advise(g, id, rule))];
  });
}

/** The advice as table cells, for the terminal and for budget.md. */
export function adviceTable(rows: readonly BudgetAdvice[], rule: BudgetRule): { header: string[]; rows: string[][] } {
  const pct = Math.round(rule.quantile * 1000) / 10;
  return {
    header: ['provider', 'variant', 'strategy', 'scenario', 'successful', `turns of successful sessions (turns x sessions)`, `p${pct}`, 'max_turns', 'would cut', 'of them successful'],
    rows: rows.map((r) => [
      r.providerId,
      r.variantId,
      r.strategy,
      r.scenarioId ?? '(all)',
      `${r.successful}/${r.sessions}${r.notMeasured !== undefined ? ` (${r.notMeasured} errored or skipped, left out)` : ''}`,
      r.distribution.map((d) => `${d.turns}x${d.count}`).join(' ') || '-',
      r.quantileTurns === null ? '-' : String(r.quantileTurns),
      r.recommendedMaxTurns === null ? '-' : String(r.recommendedMaxTurns),
      String(r.cut),
      String(r.cutSuccessful),
    ]),
  };
}
