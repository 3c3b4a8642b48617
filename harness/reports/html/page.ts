import type { ReportModel } from '../../metrics/report-model.js';
import { MAX_DRILL_SESSIONS } from '../../metrics/drill-down-sample.js';
import { armLabel, armNoun, axisSentence, groupTitle, isBaselineCell } from '../axis-labels.js';
import { modelOfProvider, noPriceSentence } from '../../metrics/prices.js';
import { latencySentence } from '../latency-note.js';
import { holmFamilySentence } from '../../metrics/holm-scope.js';
import { SCOPE_SENTENCE } from '../format.js';
import { FLAG_SENTENCE, formatValue, INTERVAL_SENTENCE, providerLabel, REFERENCE_PROMPT_SENTENCE, REFERENCE_SENTENCE, comparesVariantsUnderReference } from '../format.js';
import { tokenContrast, verdicts } from '../verdict.js';
import { chartLibrary } from './chart-library.js';
import { REPORT_CLIENT_SCRIPT } from './report-client-script.js';
import { htmlDocument, SCRIPTED_CSP, STATIC_CSP } from './document.js';
import { PLAN_HEADER, PLAN_NOTE, planCells } from '../plans.js';
import { drillDown } from './drill-down.js';
import { savingsSection } from './savings-section.js';
import { decisionBlock } from './decision-block.js';
import { SERIES_COLOURS, SERIES_DASHES } from '../palette.js';
import { escapeHtml as h, jsonForScript } from './escape.js';
import { fullTable, headlineTable, heatmapTable } from './tables.js';
import { wasteTable } from './waste-table.js';
import { errorWarning, type ErrorWarning } from '../error-warning.js';


const BATCH_SIZE_LABELS = ['1 call', '2 calls', '3 calls', '4 calls', '5+ calls'];

/** The data the charts draw, embedded as JSON. */
export function chartData(a: ReportModel): unknown {
  const providerIds = a.providers.map((p) => p.id);
  // A group with nothing measured has no figure to draw: it is left out of every chart, never drawn as zeros.
  const groups = a.providers.flatMap((p) =>
    p.variants.filter((v) => v.measured > 0).map((v) => {
      const turnsWithCalls = v.batchSizes.reduce((x, y) => x + y, 0);
      const shares = BATCH_SIZE_LABELS.map((_, k) => {
        const n = k < 4 ? (v.batchSizes[k + 1] ?? 0) : v.batchSizes.slice(5).reduce((x, y) => x + y, 0);
        return turnsWithCalls === 0 ? 0 : n / turnsWithCalls;
      });
      const stat = (m: 'turns' | 'batchingRate' | 'cost') => ({ mean: v.stats[m].mean, lower: v.stats[m].lower, upper: v.stats[m].upper });
      return {
        provider: providerLabel(p.id, p.kind),
        axis: [p.kind === 'reference' ? `${p.id} (ref.)` : p.id, v.variantId],
        providerIndex: providerIds.indexOf(p.id),
        variantIndex: Math.max(0, a.variantIds.indexOf(v.variantId)),
        variant: v.variantId,
        isBaseline: isBaselineCell(a, v),
        turns: stat('turns'),
        batchingRate: stat('batchingRate'),
        cost: stat('cost'),
        batchShares: shares,
        tokenCurve: v.tokenCurve.map((x) => Math.round(x)),
      };
    }),
  );
  return {
    groups,
    palette: SERIES_COLOURS,
    dashes: SERIES_DASHES.map((d) => (d === '' ? [] : d.split(' ').map(Number))),
    optimalCurve: a.optimalCurve?.map((x) => Math.round(x)) ?? null,
    batchSizeLabels: BATCH_SIZE_LABELS,
    bandLines: [
      { value: 30, label: 'poor < 30%' },
      { value: 40, label: 'revise < 40%' },
      { value: 60, label: 'target 60%' },
      { value: 80, label: 'target 80%' },
    ],
  };
}

/** "ref:sequential (reference policy), ref:optimal (reference policy) at gpt-4o prices as of ..." grouped by price. */
function priceNote(a: ReportModel): string {
  const byModel = new Map<string, { names: string[]; choice: NonNullable<ReportModel['providers'][number]['variants'][number]['price']> }>();
  for (const p of a.providers) {
    const choice = p.variants[0]?.price;
    if (!choice) continue;
    const entry = byModel.get(choice.model) ?? { names: [], choice };
    entry.names.push(providerLabel(p.id, p.kind));
    byModel.set(choice.model, entry);
  }
  const unpriced = a.providers.filter((p) => p.kind === 'model' && !p.variants[0]?.price).map((p) => h(noPriceSentence(modelOfProvider(p.id, p.kind) ?? p.id)));
  return [
    ...[...byModel.values()].map(({ names, choice }) => {
      const pr = choice.price;
      const why = choice.source === 'price-model' ? ' (the price model, --price-model, for reference policies and the scripted provider)' : '';
      return `${h(names.join(', '))} at ${h(choice.model)} prices as of ${h(pr.asOf)}: $${pr.input}/M input, $${pr.cachedInput}/M cached input, $${pr.output}/M output${why} (source: ${h(pr.source)})`;
    }),
    ...unpriced,
  ].join('; ');
}

/** The warning block report.html opens with when sessions errored or were skipped; every text escaped. */
export function warningHtml(w: ErrorWarning): string {
  const table = (header: readonly string[], rows: readonly (readonly string[])[], numeric: (i: number) => boolean): string =>
    `<div class="scroll"><table><thead><tr>${header.map((t) => `<th>${h(t)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c, i) => `<td${numeric(i) ? ' class="num"' : ''}>${h(c)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table></div>`;
  return (
    `<section id="errors" class="warning" role="alert"><p><strong>Warning: ${h(w.headline)}</strong> ${h(w.detail)}</p>` +
    table(w.providerHeader, w.providerRows, (i) => i > 0) +
    table(w.classHeader, w.classRows, (i) => i === 1) +
    `<p class="muted">Every errored and skipped session is in sessions.jsonl and sessions.csv with its error class and message.</p></section>`
  );
}

/** Lines the token chart holds before it becomes one small chart per provider. */
export const MAX_TOKEN_LINES = 6;

/** The cumulative-token chart: one chart, or beyond MAX_TOKEN_LINES lines one small chart per provider. */
function tokenFigure(a: ReportModel, groupCount: number): string {
  const caption = 'Mean cumulative input tokens after turn k (a finished session counts at its total); the axis ends at the last turn any session took; dashed black: the optimal reference policy.';
  if (groupCount <= MAX_TOKEN_LINES || a.providers.length < 2) return figure('chart-tokens', 'Cumulative input tokens', caption, true);
  const small = a.providers
    .map((p, i) => `<div class="small-plot"><h4>${h(providerLabel(p.id, p.kind))}</h4><div class="plot"><canvas id="chart-tokens-${i}" data-provider="${i}" role="img" aria-label="${h(`Cumulative input tokens, ${providerLabel(p.id, p.kind)}`)}"></canvas></div></div>`)
    .join('');
  return `<figure class="wide"><h3>Cumulative input tokens</h3><div class="small-multiples">${small}</div><figcaption>${h(`${caption} One chart per provider: ${groupCount} lines are too many for one.`)}</figcaption></figure>`;
}

function figure(id: string, title: string, caption: string, wide = false): string {
  return `<figure${wide ? ' class="wide"' : ''}><h3>${h(title)}</h3><div class="plot"><canvas id="${id}" role="img" aria-label="${h(title)}"></canvas></div><figcaption>${h(caption)}</figcaption></figure>`;
}

export function renderReportHtml(a: ReportModel): string {
  const m = a.manifest;
  const hasReference = a.providers.some((p) => p.kind === 'reference');
  const onlyReference = a.providers.length > 0 && a.providers.every((p) => p.kind === 'reference');
  const vs = verdicts(a);
  const contrast = tokenContrast(a);
  const estimated = a.providers.some((p) => p.variants.some((v) => v.tokensEstimated));
  const sessions = a.sessions;
  const groupCount = a.providers.reduce((n, p) => n + p.variants.length, 0);
  const warning = errorWarning(a.errors);

  if (warning?.nothingMeasured) {
    // No measured session: no efficiency figure, verdict or chart at all, only what went wrong.
    const body = [
      `<header><h1>batchbench report · run ${h(m.runId)}</h1>`,
      `<p class="muted">${sessions} sessions · ${m.config.providers.length} provider(s) × ${m.config.variants.length} variant(s) × ${m.config.scenarios.length} scenario(s) × ${m.config.repeats} repeat(s) · run ${h(m.state)} ${h(m.endedAt ?? m.startedAt)}</p></header>`,
      warningHtml(warning),
      `<footer>Rendered by batchbench ${h(m.tool.version)} from run.json and sessions.jsonl alone; regenerate with <code>batchbench report &lt;run-dir&gt;</code>. Self-contained: no network access.</footer>`,
    ].join('\n');
    return htmlDocument({ title: `batchbench · run ${m.runId}`, body, csp: STATIC_CSP });
  }

  const body = [
    `<header><h1>batchbench report · run ${h(m.runId)}</h1>`,
    `<p class="muted">${sessions} sessions · ${m.config.providers.length} provider(s) × ${m.config.variants.length} variant(s) × ${m.config.scenarios.length} scenario(s) × ${m.config.repeats} repeat(s) · run ${h(m.state)} ${h(m.endedAt ?? m.startedAt)} · <strong>${h(axisSentence(a))}</strong> · ${Math.round(a.confidence * 100)}% intervals from ${a.resamples} bootstrap resamples, seed ${a.seed}</p>`,
    // One banner for reference policies, so the bottom line stays above the fold.
    hasReference
      ? `<p class="banner"><span class="ref">Reference policies.</span> ${h(REFERENCE_SENTENCE)}${onlyReference ? ' This run has no model results: every row below is a reference policy.' : ''}${comparesVariantsUnderReference(a) ? ` <span class="ref">Same draws, any prompt:</span> ${h(REFERENCE_PROMPT_SENTENCE)}` : ''}</p>`
      : '',
    warning ? warningHtml(warning) : '',
    a.cutLine ? `<p class="banner">The last line of sessions.jsonl (line ${a.cutLine.line}) is cut short (the run stopped while writing it): that session is left out.</p>` : '',
    `<nav><a href="#decision">Bottom line</a><a href="#verdict">Verdict</a><a href="#headline">Headline table</a><a href="#charts">Charts</a><a href="#heatmap">Overhead by scenario</a><a href="#drill">Drill-down</a></nav></header>`,
    decisionBlock(a),

    `<section id="verdict"><h2>Verdict</h2>`,
    vs.length === 0 ? `<p>${a.compareBy === 'variants' ? 'Only one variant per provider' : 'Only one model per variant'}: nothing to compare with the baseline.</p>` : `<ul>${vs.map((v) => `<li>${h(v.sentence)}</li>`).join('')}</ul>`,
    contrast
      ? `<p>Token growth: the sequential reference policy sends ${h(formatValue(contrast.sequential, 'tokens'))}${contrast.estimated ? '*' : ''} input tokens per session on average, re-sending its growing history every turn; the optimal batching policy sends ${h(formatValue(contrast.optimal, 'tokens'))}${contrast.estimated ? '*' : ''}, ${(contrast.saving * 100).toFixed(0)}% fewer.</p>`
      : '',
    `<p><strong>The interval.</strong> ${h(INTERVAL_SENTENCE(a.confidence))}</p>`,
    `<p><strong>The flag.</strong> ${h(FLAG_SENTENCE(`${armNoun(a)}s`))} It shows as <span class="flag good">✓ real</span> (green when the change is an improvement, red when it is worse). ${h(holmFamilySentence(a.holmScope, `${armNoun(a)}s`, a.compareBy === 'variants' ? 'provider' : 'variant', a.holmTests))} ${h(SCOPE_SENTENCE(a.generalize))}</p>`,
    `<p><strong>Band.</strong> ${h(a.bandRule)}</p></section>`,

    `<section id="headline"><h2>Headline table</h2><p class="muted">${
      a.compareBy === 'variants'
        ? 'Per provider, each variant against the baseline variant of the same provider.'
        : `Per variant, each model against the baseline model ${h(armLabel(a, a.baselineProvider))} under the same variant.`
    } Metrics as rows, one column per ${h(armNoun(a))}. Each cell: mean per measured session, interval below, then Δ: the paired difference versus the baseline over pairs measured on both sides. Errored and skipped sessions are counted, never averaged; success rate is over measured sessions; – marks a figure with nothing measured to rest on.${estimated ? ' * token counts estimated with the tokenizer (the provider reported none).' : ''}</p>`,
    ...a.groups.map((g) => {
      const reference = a.compareBy === 'variants' && a.providers.find((p) => p.id === g.id)?.kind === 'reference';
      const dropped = g.comparisons.filter((c) => c.dropped > 0);
      const droppedNote =
        dropped.length === 0
          ? ''
          : `<p class="muted">Pairs dropped (one side or both errored or were skipped): ${dropped.map((c) => `${h(armLabel(a, c.armId))} ${c.dropped} of ${c.pairs + c.dropped}`).join('; ')}. Δ columns rest on the pairs measured on both sides.</p>`;
      const latency = latencySentence(m, a, g);
      const latencyNote = latency ? `<p class="muted">${h(latency)}</p>` : '';
      return `<h3>${reference ? '<span class="ref">' : '<span>'}${h(groupTitle(a, g))}</span></h3>${latencyNote}${headlineTable(g, a)}${droppedNote}${wasteTable(g, a)}${fullTable(g, a)}`;
    }),
    `<p class="muted">Cost: ${priceNote(a) || 'no price known'}.</p></section>`,

    plansSection(a),
    savingsSection(a),

    `<section id="charts"><h2>Charts</h2><p class="muted">Each variant has its own colour, the same in every chart (a colour-blind-safe palette, with dashed lines beyond eight variants); the baseline ${armNoun(a)}'s bar has a heavy outline; "(ref.)" marks a reference policy, not a model.</p><div class="charts${groupCount > 8 ? ' many' : ''}">`,
    figure('chart-turns', 'Turns per session', `Mean model round-trips per session with the 95% interval; heavy outline: baseline ${armNoun(a)}.`),
    figure('chart-batching', 'Batching rate', 'Share of tool calls made in turns with two or more calls, with the 95% interval; dashed lines: band edges.'),
    figure('chart-tools-per-turn', 'Tools per turn', 'Distribution of batch sizes: share of tool-calling turns that made 1, 2, 3, 4 or 5+ calls.'),
    tokenFigure(a, groupCount),
    figure('chart-cost', 'Cost per session', 'Mean cost per session in USD at the prices below the headline table, with the 95% interval.'),
    `</div></section>`,

    `<section id="heatmap"><h2>Turn overhead by scenario</h2><p class="muted">Mean turns above the task's optimal turns, per scenario and provider × variant; darker is worse. Hover a cell for the mean missed-parallel calls.</p>${heatmapTable(a)}</section>`,

    `<section id="drill"><h2>Drill-down</h2><p class="muted">Each session's turns as rows; calls side by side were made in one response. <span class="tag missed">missed</span> marks a call that could have joined an earlier turn's batch (its dependencies were already met). <span class="tag waste">duplicate of turn k</span> marks a call with the same tool and arguments as an earlier call that succeeded, <span class="tag waste">unexpected</span> a call that matches no expected call; <span class="tag">recovered</span> a failed call a later call made good. At most ${MAX_DRILL_SESSIONS} sessions are shown in all; the rest are in sessions.jsonl and turns.csv.</p>`,
    drillDown(a),
    `</section>`,

    `<footer>Rendered by batchbench ${h(m.tool.version)} from run.json and sessions.jsonl alone; regenerate with <code>batchbench report &lt;run-dir&gt;</code>. Self-contained: no network access.</footer>`,
  ].join('\n');

  return htmlDocument({
    title: `batchbench · run ${m.runId}`,
    body,
    csp: SCRIPTED_CSP,
    tail: [
      `<script type="application/json" id="report-data">${jsonForScript(chartData(a))}</script>`,
      `<script>${chartLibrary()}</script>`,
      `<script>${REPORT_CLIENT_SCRIPT}</script>`,
    ],
  });
}

/** The plan metrics of the variants whose plans are scored; nothing when the run has none. */
function plansSection(a: ReportModel): string {
  const plans = a.plans;
  if (plans.length === 0) return '';
  const kindOf = (id: string): string => a.manifest.config.providers.find((p) => p.id === id)?.kind ?? 'model';
  const head = `<tr>${PLAN_HEADER.map((c) => `<th>${h(c)}</th>`).join('')}</tr>`;
  const rows = plans.map((p) => `<tr>${planCells(p, kindOf).map((c, i) => `<td${i >= 2 ? ' class="num"' : ''}>${h(c)}</td>`).join('')}</tr>`).join('');
  return `<section id="plans"><h2>Plans</h2><p class="muted">${h(PLAN_NOTE)}</p><div class="scroll"><table><thead>${head}</thead><tbody>${rows}</tbody></table></div></section>`;
}
