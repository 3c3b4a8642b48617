import type { RunManifest } from '../core/run-file/records.js';
import { latencyFor } from '../core/model-latency.js';
import { hashDifferences } from '../core/run-file/same-config.js';

export interface Comparability {
  /** Why the runs cannot be compared; empty when they can. */
  reasons: string[];
  /** Differences worth knowing that do not prevent the comparison. */
  notes: string[];
  /** Baseline provider id -> candidate provider id. */
  providers: [string, string][];
}

const list = (xs: readonly string[]): string => xs.map((x) => `"${x}"`).join(', ');

function setDifference(what: string, a: readonly string[], b: readonly string[]): string[] {
  const onlyA = a.filter((x) => !b.includes(x));
  const onlyB = b.filter((x) => !a.includes(x));
  const parts = [onlyA.length > 0 ? `only in the baseline: ${list(onlyA)}` : '', onlyB.length > 0 ? `only in the candidate: ${list(onlyB)}` : ''].filter((p) => p !== '');
  return parts.length > 0 ? [`different ${what}: ${parts.join('; ')}`] : [];
}

/**
 * Whether a candidate run can be compared with a baseline run, session pair by
 * session pair. They must run the same suite: the same scenario ids with the
 * same content hashes (a changed scenario is a different task), and the same
 * prompt variant ids (their text may change: that is what a comparison tests).
 * Providers pair by id when both runs name the same ones, else in run order
 * when both runs have as many (a model upgrade compared with the old model).
 */
export function checkComparable(baseline: RunManifest, candidate: RunManifest): Comparability {
  const reasons: string[] = [];
  const notes: string[] = [];
  const labels: [string, string] = ['baseline', 'candidate'];
  reasons.push(...setDifference('suites (scenario ids)', baseline.scenarios.map((s) => s.id), candidate.scenarios.map((s) => s.id)));
  reasons.push(...hashDifferences('scenario', baseline.scenarios, candidate.scenarios, labels).map((d) => `${d}: the task changed, so its sessions do not pair`));
  reasons.push(...setDifference('prompt variants', baseline.config.variants, candidate.config.variants));

  const bp = baseline.config.providers.map((p) => p.id);
  const cp = candidate.config.providers.map((p) => p.id);
  let providers: [string, string][] = [];
  if ([...bp].sort().join('\u0000') === [...cp].sort().join('\u0000')) {
    providers = bp.map((id) => [id, id]);
  } else if (bp.length === cp.length) {
    providers = bp.map((id, i) => [id, cp[i] as string]);
    notes.push(`providers paired in run order: ${providers.map(([b, c]) => `${b} -> ${c}`).join(', ')}`);
  } else {
    reasons.push(`different providers that cannot be paired: baseline ${list(bp)}, candidate ${list(cp)}`);
  }

  for (const d of hashDifferences('prompt variant', baseline.variants, candidate.variants, labels)) notes.push(`${d} (the comparison measures this change)`);
  if (baseline.tool.version !== candidate.tool.version) notes.push(`batchbench version: baseline ${baseline.tool.version}, candidate ${candidate.tool.version}`);
  for (const key of ['repeats', 'seed', 'maxTurns'] as const) {
    if (baseline.config[key] !== candidate.config[key]) notes.push(`${key}: baseline ${baseline.config[key]}, candidate ${candidate.config[key]}`);
  }
  // The virtual clock charges each provider its own model latency (--model-latency, per provider with <provider>=<ms>):
  // a pair charged differently differs in virtual latency by setting, not by what the sessions did.
  for (const [b, c] of providers) {
    const lb = latencyFor(b, baseline.config.modelLatencyMs, baseline.config.modelLatencyByProvider);
    const lc = latencyFor(c, candidate.config.modelLatencyMs, candidate.config.modelLatencyByProvider);
    if (lb !== lc) notes.push(`model latency charged per call on the virtual clock: baseline ${lb} ms for ${b}, candidate ${lc} ms for ${c}; their virtual latencies differ by this setting, not by what the sessions did`);
  }
  for (const [label, m] of [['baseline', baseline], ['candidate', candidate]] as const) {
    if (m.state !== 'finished') notes.push(`the ${label} run is ${m.state} (${m.sessionsWritten}/${m.sessionsPlanned} sessions); only sessions present on both sides are compared`);
    if (m.shard) notes.push(`the ${label} run is shard ${m.shard.index}/${m.shard.count} only; merge the shards with \`batchbench merge\` to compare the whole run`);
  }
  return { reasons, notes, providers };
}
