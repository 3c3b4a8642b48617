import { isMeasured, type ScenarioManifest, type SessionRecord } from '../core/run-file/records.js';
import { counterfactual, counterfactualCost } from './counterfactual.js';
import { graphIsInferred, taskGraph } from './task-graph.js';
import { groupedNumber } from '../core/grouped-number.js';

/**
 * Counterfactual savings of every session and every provider x variant of a
 * run (method: docs/metrics.md, "Counterfactual savings"). The graph is the
 * scenario's declared `dag`, or for a session imported from a trace the graph
 * inferred from data flow (`extra.trace.graph`, labelled `inferred`). Only
 * measured sessions (`isMeasured`) have savings.
 */
export interface SessionSavings {
  graph: 'declared' | 'inferred';
  savedTurns: number;
  savedInputTokens: number;
  savedCachedInputTokens: number;
  /** USD; NaN when no price applies. */
  savedCostUsd: number;
  savedLatencyMs: number;
}

export interface VariantSavings {
  providerId: string;
  variantId: string;
  /** Measured sessions the figures rest on. */
  sessions: number;
  /** `inferred` when any of them used an inferred graph. */
  graph: 'declared' | 'inferred';
  /** Sums over 1,000 sessions at the variant's mean: turns, input tokens, USD and ms left on the table. */
  per1000: { turns: number; inputTokens: number; costUsd: number; latencyMs: number };
}

/** The savings of one session, or undefined when it is not measured. */
export function sessionSavings(s: SessionRecord, dag: ScenarioManifest['dag'], price: Parameters<typeof counterfactualCost>[1] | undefined): SessionSavings | undefined {
  if (!isMeasured(s)) return undefined;
  const c = counterfactual(s.turns, taskGraph(s, dag));
  return {
    graph: graphIsInferred(s) ? 'inferred' : 'declared',
    savedTurns: c.savedTurns,
    savedInputTokens: c.savedInputTokens,
    savedCachedInputTokens: c.savedCachedInputTokens,
    savedCostUsd: price ? counterfactualCost(c, price) : Number.NaN,
    savedLatencyMs: c.savedLatencyMs,
  };
}

/** Savings per provider x variant, in order of first appearance, from each session's savings (`bySession[i]` for `sessions[i]`). */
export function savingsByVariant(sessions: readonly Pick<SessionRecord, 'provider' | 'variantId'>[], bySession: readonly (SessionSavings | undefined)[]): VariantSavings[] {
  const groups = new Map<string, { providerId: string; variantId: string; items: SessionSavings[] }>();
  sessions.forEach((s, i) => {
    const key = `${s.provider.id}\u0000${s.variantId}`;
    let g = groups.get(key);
    if (!g) {
      g = { providerId: s.provider.id, variantId: s.variantId, items: [] };
      groups.set(key, g);
    }
    const saved = bySession[i];
    if (saved) g.items.push(saved);
  });
  const per1000 = (items: readonly SessionSavings[], f: (x: SessionSavings) => number): number => (items.length === 0 ? Number.NaN : (items.reduce((n, x) => n + f(x), 0) / items.length) * 1000);
  return [...groups.values()].map((g) => ({
    providerId: g.providerId,
    variantId: g.variantId,
    sessions: g.items.length,
    graph: g.items.some((x) => x.graph === 'inferred') ? ('inferred' as const) : ('declared' as const),
    per1000: {
      turns: per1000(g.items, (x) => x.savedTurns),
      inputTokens: per1000(g.items, (x) => x.savedInputTokens),
      costUsd: per1000(g.items, (x) => x.savedCostUsd),
      latencyMs: per1000(g.items, (x) => x.savedLatencyMs),
    },
  }));
}

/** The sentence of summary.md and report.html for one variant. */
export function savingsSentence(v: VariantSavings): string {
  const n = (x: number, digits = 0): string => (Number.isFinite(x) ? groupedNumber(x, digits) : '–');
  const usd = Number.isFinite(v.per1000.costUsd) ? `$${n(v.per1000.costUsd, 2)}` : 'an unknown cost (no price)';
  return `this variant left ${n(v.per1000.turns)} round-trips, ${n(v.per1000.inputTokens)} tokens and ${usd} on the table per 1,000 sessions`;
}

/** What a savings figure rests on, for the note under each table. */
export const SAVINGS_NOTE =
  'Counterfactual savings: what each session would have saved had every tool call been issued in the earliest turn its inputs allowed (docs/metrics.md); a lower bound (output tokens and tool time are kept). Rows marked "inferred" use dependencies inferred from data flow in imported traces, which miss values the model re-derived in another form.';
