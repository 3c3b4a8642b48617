import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { summarise } from './summary.js';
import type { RunManifest } from '../core/run-file/records.js';
import { MANIFEST_FILE, readRun, type CutLine, type LoadedRun } from '../core/run-file/run-files.js';
import { htmlEscape, htmlPage, htmlTable } from '../reports/history/history-html.js';
import { seriesStyle, type SeriesStyle } from '../reports/palette.js';
import { trendLegend, trendSvg } from '../reports/history/trend-chart.js';

/** Identity of a suite: its scenario ids and content hashes. Runs with the same fingerprint measured the same tasks. */
export function suiteFingerprint(manifest: RunManifest): string {
  const text = manifest.scenarios
    .map((s) => `${s.id}:${s.hash}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** One provider x variant group of one run: the key metrics, as history.csv holds them. */
export interface HistoryRow {
  run_id: string;
  started_at: string;
  suite: string;
  provider: string;
  variant: string;
  sessions: number;
  /** Sessions the figures rest on; errored and skipped ones are counted, never averaged. */
  measured: number;
  errored: number;
  skipped: number;
  /** Completed over measured; every mean over the measured sessions (NaN, an empty cell, when none). */
  success_rate: number;
  mean_turns: number;
  mean_overhead: number;
  mean_batching_rate: number;
  mean_tools_per_turn: number;
  mean_efficiency_score: number;
  mean_input_tokens: number;
  mean_output_tokens: number;
}

export interface History {
  suite: string;
  /** The runs the rows come from; `cutLine` when the last line of a run's sessions file was cut short (left out). */
  runs: { runId: string; startedAt: string; dir: string; cutLine?: CutLine }[];
  rows: HistoryRow[];
  /** Run directories left out, with why (other suite, unfinished, a shard). A corrupt run file is an error, not left out. */
  skipped: { dir: string; why: string }[];
}

/** Finished, whole runs directly under `dirs` (each child directory with a run.json). */
function findRuns(dirs: readonly string[]): { runs: LoadedRun[]; skipped: History['skipped'] } {
  const runs: LoadedRun[] = [];
  const skipped: History['skipped'] = [];
  const seen = new Set<string>();
  for (const parent of dirs) {
    if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`${parent}: no such directory of runs`);
    for (const child of readdirSync(parent).sort()) {
      const dir = join(parent, child);
      if (!existsSync(join(dir, MANIFEST_FILE))) continue;
      const run = readRun(dir);
      const m = run.manifest;
      if (m.state !== 'finished') skipped.push({ dir, why: `${m.state} (${m.sessionsWritten}/${m.sessionsPlanned} sessions)` });
      else if (m.shard) skipped.push({ dir, why: `only shard ${m.shard.index}/${m.shard.count}` });
      else if (seen.has(m.runId)) skipped.push({ dir, why: `run ${m.runId} already seen` });
      else {
        seen.add(m.runId);
        runs.push(run);
      }
    }
  }
  return { runs, skipped };
}

/**
 * The last `last` finished runs of one suite under `dirs`, oldest first, with
 * the key metrics of each provider x variant group. The suite is the one of
 * `suiteOf` (a run directory) if given, else the one of the newest run.
 */
export function collectHistory(dirs: readonly string[], options: { last: number; suiteOf?: string }): History {
  const found = findRuns(dirs);
  const byTime = [...found.runs].sort((a, b) => a.manifest.startedAt.localeCompare(b.manifest.startedAt));
  const newest = byTime.at(-1);
  if (!newest && options.suiteOf === undefined) throw new UsageError(`no finished run under ${dirs.join(', ')}`);
  const suite = suiteFingerprint(options.suiteOf !== undefined ? readRun(options.suiteOf).manifest : (newest as LoadedRun).manifest);
  const skipped = [...found.skipped];
  const same = byTime.filter((r) => {
    const ok = suiteFingerprint(r.manifest) === suite;
    if (!ok) skipped.push({ dir: r.dir, why: `another suite (${suiteFingerprint(r.manifest)})` });
    return ok;
  });
  const chosen = same.slice(-options.last);
  const rows = chosen.flatMap((run) =>
    summarise(run.sessions).map((g) => ({
      run_id: run.manifest.runId,
      started_at: run.manifest.startedAt,
      suite,
      provider: g.providerId,
      variant: g.variantId,
      sessions: g.sessions,
      measured: g.measured,
      errored: g.errored,
      skipped: g.skipped,
      success_rate: g.successRate,
      mean_turns: g.mean.turns,
      mean_overhead: g.mean.overhead,
      mean_batching_rate: g.mean.batchingRate,
      mean_tools_per_turn: g.mean.avgToolsPerTurn,
      mean_efficiency_score: g.mean.efficiencyScore,
      mean_input_tokens: g.mean.inputTokens,
      mean_output_tokens: g.mean.outputTokens,
    })),
  );
  return { suite, runs: chosen.map((r) => ({ runId: r.manifest.runId, startedAt: r.manifest.startedAt, dir: r.dir, ...(r.cutLine ? { cutLine: r.cutLine } : {}) })), rows, skipped };
}

const CHARTS: { key: keyof HistoryRow; title: string; format: (v: number) => string; domain: { min: number; max?: number } }[] = [
  { key: 'success_rate', title: 'Success rate', format: (v) => `${(v * 100).toFixed(0)}%`, domain: { min: 0, max: 1 } },
  { key: 'mean_batching_rate', title: 'Batching rate (mean per session)', format: (v) => `${(v * 100).toFixed(0)}%`, domain: { min: 0, max: 1 } },
  { key: 'mean_turns', title: 'Turns per session (mean)', format: (v) => v.toFixed(2), domain: { min: 0 } },
  { key: 'mean_input_tokens', title: 'Input tokens per session (mean)', format: (v) => Math.round(v).toLocaleString('en-US'), domain: { min: 0 } },
  { key: 'mean_efficiency_score', title: 'Efficiency score (mean)', format: (v) => v.toFixed(2), domain: { min: 0 } },
];

/** Lines one chart may hold before the page switches to one small chart per provider. */
export const MAX_LINES_PER_CHART = 6;

/**
 * `history.html`: a trend chart per key metric over the runs, labelled by run
 * id. Up to MAX_LINES_PER_CHART provider x variant lines share a chart, each in
 * its own colour; beyond that each provider gets its own small chart, with one
 * colour per variant, the same in every chart. Self-contained.
 */
export function historyHtml(history: History): string {
  const xLabels = history.runs.map((r) => r.runId);
  const providers = [...new Set(history.rows.map((r) => r.provider))];
  const variants = [...new Set(history.rows.map((r) => r.variant))];
  const pairs = [...new Set(history.rows.map((r) => `${r.provider}\u0000${r.variant}`))].map((k) => k.split('\u0000') as [string, string]);
  const split = pairs.length > MAX_LINES_PER_CHART && providers.length > 1;
  const values = (key: keyof HistoryRow, provider: string, variant: string): number[] =>
    history.runs.map((run) => {
      const row = history.rows.find((r) => r.run_id === run.runId && r.provider === provider && r.variant === variant);
      return row ? (row[key] as number) : Number.NaN;
    });
  const figure = (c: (typeof CHARTS)[number], title: string, series: { name: string; values: number[]; style: SeriesStyle }[], width: number): string =>
    `<figure>${trendSvg({ title, xLabels, series, format: c.format, domain: c.domain }, width)}</figure>`;
  let legend: string;
  let charts: string;
  if (!split) {
    const series = pairs.map(([p, v], i) => ({ name: `${p} / ${v}`, style: seriesStyle(i) }));
    legend = trendLegend(series);
    charts = `<div class="charts">${CHARTS.map((c) => figure(c, c.title, pairs.map(([p, v], i) => ({ name: `${p} / ${v}`, values: values(c.key, p, v), style: seriesStyle(i) })), 560)).join('\n')}</div>`;
  } else {
    const style = (v: string): SeriesStyle => seriesStyle(variants.indexOf(v));
    legend = trendLegend(variants.map((v) => ({ name: v, style: style(v) })));
    charts = CHARTS.map(
      (c) =>
        `<h3>${htmlEscape(c.title)}</h3><div class="charts small">${providers
          .map((p) => figure(c, p, variants.filter((v) => pairs.some(([pp, vv]) => pp === p && vv === v)).map((v) => ({ name: `${p} / ${v}`, values: values(c.key, p, v), style: style(v) })), 420))
          .join('\n')}</div>`,
    ).join('\n');
  }
  const runs = htmlTable(
    ['run', 'started', 'directory'],
    history.runs.map((r) => [{ text: r.runId }, { text: r.startedAt }, { text: r.dir }]),
  );
  const body = `<h1>batchbench history</h1>
<p class="muted">The last ${history.runs.length} finished run(s) of suite ${htmlEscape(history.suite)} (scenario ids and content hashes), oldest first, labelled by run id (start times in the table below, UTC). Means per measured session of each provider and variant: errored and skipped sessions are counted in history.csv, never averaged, and a run with nothing measured leaves a gap.${split ? ` ${pairs.length} lines are too many for one chart: each provider has its own, and each variant the same colour in all of them.` : ''}</p>
${legend}
${charts}
<h2>Runs</h2>
${runs}
${history.skipped.length > 0 ? `<details><summary>${history.skipped.length} run director${history.skipped.length === 1 ? 'y' : 'ies'} left out</summary><ul>${history.skipped.map((s) => `<li>${htmlEscape(s.dir)}: ${htmlEscape(s.why)}</li>`).join('')}</ul></details>` : ''}`;
  return htmlPage('batchbench history', body);
}
