import type { ScenarioManifest, SessionRecord } from '../core/run-file/records.js';

/** The graph inferred from a trace's data flow (`extra.trace.graph.nodes`, docs/traces.md), or undefined for a benchmark session. */
function inferredNodes(session: Pick<SessionRecord, 'extra'>): ScenarioManifest['dag'] | undefined {
  return session.extra?.trace?.graph.nodes;
}

/**
 * The task graph a session is measured against: the scenario's declared `dag`,
 * or for a session imported from a trace the graph inferred from its data flow,
 * whose node ids are the calls' `node`.
 */
export function taskGraph(session: Pick<SessionRecord, 'extra'>, declared: ScenarioManifest['dag']): ScenarioManifest['dag'] {
  return inferredNodes(session) ?? declared;
}

/** Whether the session's graph is inferred from a trace rather than declared by a scenario. */
export function graphIsInferred(session: Pick<SessionRecord, 'extra'>): boolean {
  return inferredNodes(session) !== undefined;
}
