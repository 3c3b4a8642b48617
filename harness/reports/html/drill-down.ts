import { missedParallelism, type MissedCall } from '../../metrics/missed-parallelism.js';
import { graphIsInferred, taskGraph } from '../../metrics/task-graph.js';
import { harnessCallsOf } from '../../metrics/stat-metrics.js';
import { markCalls, orderedCalls } from '../../metrics/waste.js';
import type { RunManifest, ScenarioManifest, SessionRecord } from '../../core/run-file/records.js';
import { providerLabel } from '../format.js';
import { clip, escapeHtml as h } from './escape.js';
import { slug } from './tables.js';

/** Sessions shown per run at most, so the report stays small for big runs. */
export const MAX_DRILL_SESSIONS = 150;
/** Sessions shown per scenario at most. */
export const MAX_PER_SCENARIO = 12;

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

function dagLine(dag: ScenarioManifest['dag']): string {
  if (dag.length === 0) return 'no expected calls';
  return dag.map((n) => `${n.id} (${n.tool}${n.needs.length > 0 ? ` ← ${n.needs.join(', ')}` : ''})`).join(' · ');
}

const json = (v: unknown): string => {
  try {
    return JSON.stringify(v) ?? '';
  } catch {
    return String(v);
  }
};

/** Calls the harness made between turns (chain strategies), as far as the drill-down shows them. */
interface ShownHarnessCall {
  name: string;
  args: unknown;
  source: string;
  step: string;
  beforeTurn: number;
}

const harnessShown = (s: SessionRecord): readonly ShownHarnessCall[] => (s as { chainCalls?: readonly ShownHarnessCall[] }).chainCalls ?? [];

interface ShownWaste {
  /** Turn (or, for a harness call, the turn it came before) of the earlier call this one repeats. */
  duplicateOfTurn: number | undefined;
  unexpected: boolean;
  recovered: boolean;
}

/** Waste marks of a session's model calls, keyed `turn:callId`. */
function wasteMarks(s: SessionRecord): Map<string, ShownWaste> {
  const calls = orderedCalls(s);
  const marks = markCalls(calls);
  const out = new Map<string, ShownWaste>();
  calls.forEach((c, i) => {
    const m = marks[i];
    if (c.harness || !m) return;
    const duplicateOfTurn = m.duplicateOf === undefined ? undefined : calls[m.duplicateOf]?.turn;
    out.set(`${c.turn}:${c.call.id}`, { duplicateOfTurn, unexpected: m.unexpected, recovered: m.recovered });
  });
  return out;
}

/** "2 duplicate, 1 unexpected call, " or nothing when the session wasted no call. */
function wasteSummary(waste: ReadonlyMap<string, ShownWaste>): string {
  const dup = [...waste.values()].filter((w) => w.duplicateOfTurn !== undefined).length;
  const unexpected = [...waste.values()].filter((w) => w.unexpected).length;
  if (dup + unexpected === 0) return '';
  return `${dup} duplicate, ${unexpected} unexpected call${dup + unexpected === 1 ? '' : 's'}, `;
}

function sessionBlock(s: SessionRecord, dag: ScenarioManifest['dag']): string {
  const harness = harnessCallsOf(s);
  const missed = missedParallelism(s.turns, taskGraph(s, dag), harness);
  const missedById = new Map<string, MissedCall>(missed.map((m) => [`${m.turn}:${m.callId}`, m]));
  const waste = wasteMarks(s);
  const status =
    s.status === 'errored'
      ? `errored (not measured): ${s.error.class}: ${s.error.message}`
      : s.status === 'skipped'
        ? `skipped (not measured): ${s.reason}`
        : s.status === 'budget-exceeded'
          ? `budget exceeded: ${s.stopReason}`
          : s.status;
  const rows = s.turns.map((t) => {
    const before = harnessShown(s).filter((c) => c.beforeTurn === t.index);
    const harnessRow =
      before.length === 0
        ? ''
        : `<tr><td class="num muted">–</td><td class="muted">harness</td><td><div class="batch">${before
            .map((c) => `<div class="call"><span class="tool">${h(c.name)}</span><span class="tag">${h(c.source)} ${h(c.step)}</span><div class="args">${h(clip(json(c.args), 100))}</div></div>`)
            .join('')}</div></td><td class="num muted">–</td><td class="num muted">–</td></tr>`;
    const calls = t.calls
      .map((c) => {
        const m = missedById.get(`${t.index}:${c.id}`);
        const w = waste.get(`${t.index}:${c.id}`);
        const classes = ['call', m ? 'missed' : '', c.isError ? 'error' : '', w?.duplicateOfTurn !== undefined ? 'duplicate' : '', w?.unexpected ? 'unexpected' : '']
          .filter(Boolean)
          .join(' ');
        return (
          `<div class="${classes}"${m ? ` title="could have gone in turn ${m.earliestTurn}"` : ''}>` +
          `<span class="tool">${h(c.name)}</span>` +
          `<span class="tag">${c.node === null ? 'unmatched' : h(c.node)}</span>` +
          (m ? `<span class="tag missed">missed: turn ${m.earliestTurn}</span>` : '') +
          (w?.duplicateOfTurn !== undefined ? `<span class="tag waste" title="same tool and arguments as an earlier call that succeeded">duplicate of turn ${w.duplicateOfTurn}</span>` : '') +
          (w?.unexpected ? '<span class="tag waste" title="matches no expected call of the scenario">unexpected</span>' : '') +
          (w?.recovered ? '<span class="tag" title="a later call of the same tool and expected call succeeded">recovered</span>' : '') +
          (c.isError ? `<span class="tag">error${c.errorKind ? ` ${h(c.errorKind)}` : ''}</span>` : '') +
          `<div class="args">${h(clip(c.rawArgs, 100))}</div>` +
          `<div class="result">→ ${h(clip(c.result, 140))}</div></div>`
        );
      })
      .join('');
    const body = t.calls.length > 0 ? `<div class="batch">${calls}</div>` : `<div class="answer">${h(clip(t.text, 300))}</div>`;
    return (
      harnessRow +
      `<tr><td class="num">${t.index}</td><td>${t.calls.length > 1 ? `${t.calls.length} in parallel` : t.calls.length === 1 ? '1 call' : 'answer'}${t.phase ? `<br><span class="ci">${h(t.phase)}</span>` : ''}</td>` +
      `<td>${body}</td><td class="num">${t.usage.inputTokens.toLocaleString('en-US')}${t.usage.estimated ? '*' : ''}</td><td class="num">${t.usage.outputTokens.toLocaleString('en-US')}</td></tr>`
    );
  });
  return (
    `<div class="session"><h4>${h(providerLabel(s.provider.id, s.provider.kind))} · ${h(s.variantId)} · repeat ${s.repeat} — ` +
    `${s.turns.length} turns (optimal ${s.optimalTurns}), ${missed.length} missed-parallel call${missed.length === 1 ? '' : 's'}, ${wasteSummary(waste)}${h(status)}</h4>` +
    `<div class="scroll"><table class="turns"><thead><tr><th>turn</th><th>batch</th><th>calls (side by side = one response)</th><th>input tokens</th><th>output tokens</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div></div>`
  );
}

export function drillDown(manifest: RunManifest, sessions: readonly SessionRecord[]): string {
  const byScenario = new Map<string, SessionRecord[]>();
  for (const s of sessions) {
    const list = byScenario.get(s.scenarioId);
    if (list) list.push(s);
    else byScenario.set(s.scenarioId, [s]);
  }
  const ids = [...manifest.scenarios.map((s) => s.id), ...byScenario.keys()].filter((id, i, all) => all.indexOf(id) === i && byScenario.has(id));
  const perScenario = Math.max(1, Math.min(MAX_PER_SCENARIO, Math.floor(MAX_DRILL_SESSIONS / Math.max(1, ids.length))));
  return ids
    .map((id) => {
      const info = manifest.scenarios.find((s) => s.id === id);
      const all = byScenario.get(id) ?? [];
      const shown = sampleSessions(all, perScenario);
      const dag = info?.dag ?? [];
      return (
        `<details id="scenario-${h(slug(id))}"><summary>${h(id)} — ${h(info?.title ?? '')} <span class="ci">optimal ${info?.optimalTurns ?? '?'} turns; showing ${shown.length} of ${all.length} sessions</span></summary>` +
        `<p class="muted">Dependencies: ${h(dag.length === 0 && shown.some(graphIsInferred) ? 'inferred per session from data flow (docs/traces.md): a call needs an earlier one when its arguments contain a value first seen in that call\'s result' : dagLine(dag))}</p>` +
        (shown.length < all.length ? `<p class="muted">A sample: the first repeats of each provider and variant. Every session is in sessions.jsonl and turns.csv.</p>` : '') +
        shown.map((s) => sessionBlock(s, dag)).join('') +
        `</details>`
      );
    })
    .join('');
}
