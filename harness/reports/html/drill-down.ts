import type { MissedCall } from '../../metrics/missed-parallelism.js';
import type { ReportModel } from '../../metrics/report-model.js';
import type { CallWaste, SessionReport } from '../../metrics/session-report.js';
import type { ScenarioManifest, SessionRecord } from '../../core/run-file/records.js';
import { providerLabel } from '../format.js';
import { clip, escapeHtml as h } from './escape.js';
import { slug } from './tables.js';
import { groupedNumber } from '../../core/grouped-number.js';

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

/** "2 duplicate, 1 unexpected call, " or nothing when the session wasted no call. */
function wasteSummary(waste: ReadonlyMap<string, CallWaste>): string {
  const dup = [...waste.values()].filter((w) => w.duplicateOfTurn !== undefined).length;
  const unexpected = [...waste.values()].filter((w) => w.unexpected).length;
  if (dup + unexpected === 0) return '';
  return `${dup} duplicate, ${unexpected} unexpected call${dup + unexpected === 1 ? '' : 's'}, `;
}

function sessionBlock(s: SessionRecord, r: SessionReport): string {
  const missed = r.missed;
  const missedById = new Map<string, MissedCall>(missed.map((m) => [`${m.turn}:${m.callId}`, m]));
  const waste = new Map<string, CallWaste>((r.waste ?? []).map((w) => [`${w.turn}:${w.callId}`, w]));
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
      `<td>${body}</td><td class="num">${groupedNumber(t.usage.inputTokens)}${t.usage.estimated ? '*' : ''}</td><td class="num">${groupedNumber(t.usage.outputTokens)}</td></tr>`
    );
  });
  return (
    `<div class="session"><h4>${h(providerLabel(s.provider.id, s.provider.kind))} · ${h(s.variantId)} · repeat ${s.repeat} — ` +
    `${s.turns.length} turns (optimal ${s.optimalTurns}), ${missed.length} missed-parallel call${missed.length === 1 ? '' : 's'}, ${wasteSummary(waste)}${h(status)}</h4>` +
    `<div class="scroll"><table class="turns"><thead><tr><th>turn</th><th>batch</th><th>calls (side by side = one response)</th><th>input tokens</th><th>output tokens</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div></div>`
  );
}

/** The drill-down of report.html: the sampled sessions of each scenario, turn by turn. */
export function drillDown(model: Pick<ReportModel, 'drillDown' | 'records' | 'perSession'>): string {
  return model.drillDown
    .map((d) => {
      const dag = d.dag;
      return (
        `<details id="scenario-${h(slug(d.scenarioId))}"><summary>${h(d.scenarioId)} — ${h(d.title ?? '')} <span class="ci">optimal ${d.optimalTurns ?? '?'} turns; showing ${d.shown.length} of ${d.sessions} sessions</span></summary>` +
        `<p class="muted">Dependencies: ${h(dag.length === 0 && d.inferred ? 'inferred per session from data flow (docs/traces.md): a call needs an earlier one when its arguments contain a value first seen in that call\'s result' : dagLine(dag))}</p>` +
        (d.shown.length < d.sessions ? `<p class="muted">A sample: the first repeats of each provider and variant. Every session is in sessions.jsonl and turns.csv.</p>` : '') +
        d.shown.map((i) => sessionBlock(model.records[i] as SessionRecord, model.perSession[i] as SessionReport)).join('') +
        `</details>`
      );
    })
    .join('');
}
