import type { RunManifest, ScenarioManifest, SessionRecord } from '../core/run-file/records.js';
import { graphIsInferred } from './task-graph.js';

/** Sessions the drill-down shows per run at most, so the report stays small for big runs. */
export const MAX_DRILL_SESSIONS = 150;
/** Sessions it shows per scenario at most. */
export const MAX_PER_SCENARIO = 12;

/** One scenario of the drill-down: which of its sessions are shown. */
export interface DrillScenario {
  scenarioId: string;
  /** From the manifest; undefined when the manifest lacks the scenario. */
  title: string | undefined;
  optimalTurns: number | undefined;
  dag: ScenarioManifest['dag'];
  /** Whether a shown session's graph is inferred from a trace's data flow. */
  inferred: boolean;
  /** Sessions of the scenario in the run. */
  sessions: number;
  /** Indices (into the run's sessions) of the sessions shown, in the order shown. */
  shown: number[];
}

/**
 * Which sessions of a scenario the drill-down shows: repeat by repeat, one of
 * each provider x variant group per round, until the scenario's share of the
 * budget is used. Deterministic: the same run always shows the same sessions.
 */
export function sampleSessions(sessions: readonly SessionRecord[], perScenario: number): SessionRecord[] {
  const groups = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const k = `${s.provider.id}|${s.variantId}`;
    const list = groups.get(k);
    if (list) list.push(s);
    else groups.set(k, [s]);
  }
  const lists = [...groups.values()].map((l) => [...l].sort((a, b) => a.repeat - b.repeat));
  const out: SessionRecord[] = [];
  for (let round = 0; out.length < perScenario; round++) {
    let any = false;
    for (const l of lists) {
      const s = l[round];
      if (s && out.length < perScenario) {
        out.push(s);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

/** The drill-down's sample of a run: per scenario with sessions (manifest order, then first seen), the sessions shown. */
export function drillDownSample(manifest: Pick<RunManifest, 'scenarios'>, sessions: readonly SessionRecord[]): DrillScenario[] {
  const indexOf = new Map(sessions.map((s, i) => [s, i]));
  const byScenario = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const list = byScenario.get(s.scenarioId);
    if (list) list.push(s);
    else byScenario.set(s.scenarioId, [s]);
  }
  const ids = [...manifest.scenarios.map((s) => s.id), ...byScenario.keys()].filter((id, i, all) => all.indexOf(id) === i && byScenario.has(id));
  const perScenario = Math.max(1, Math.min(MAX_PER_SCENARIO, Math.floor(MAX_DRILL_SESSIONS / Math.max(1, ids.length))));
  return ids.map((id) => {
    const info = manifest.scenarios.find((s) => s.id === id);
    const all = byScenario.get(id) ?? [];
    const shown = sampleSessions(all, perScenario);
    return {
      scenarioId: id,
      title: info?.title,
      optimalTurns: info?.optimalTurns,
      dag: info?.dag ?? [],
      inferred: shown.some(graphIsInferred),
      sessions: all.length,
      shown: shown.map((s) => indexOf.get(s) as number),
    };
  });
}
