import { describe, expect, it } from 'vitest';
import type { History, HistoryRow } from '../../harness/metrics/history.js';
import { historyHtml } from '../../harness/reports/history/history-page.js';
import { SERIES_COLOURS } from '../../harness/reports/palette.js';

/** Runs night-1..night-3 started within the same minute (their old labels were equal), one row per provider x variant. */
function history(providers: string[], variants: string[], value: (run: number, p: number, v: number) => Partial<HistoryRow> = () => ({})): History {
  const runs = [1, 2, 3].map((n) => ({ runId: `night-${n}`, startedAt: `2026-01-01T03:17:0${n}.000Z`, dir: `reports/nights/night-${n}` }));
  const rows = runs.flatMap((run, r) =>
    providers.flatMap((provider, p) =>
      variants.map((variant, v) => ({
        run_id: run.runId,
        started_at: run.startedAt,
        suite: 'abc',
        provider,
        variant,
        sessions: 3,
        measured: 3,
        errored: 0,
        skipped: 0,
        success_rate: 1,
        mean_turns: 3 + v,
        mean_overhead: 0,
        mean_batching_rate: 0.5,
        mean_tools_per_turn: 2,
        mean_efficiency_score: 1,
        mean_input_tokens: 1000 + 100 * r,
        mean_output_tokens: 100,
        ...value(r, p, v),
      })),
    ),
  );
  return { suite: 'abc', runs, rows, skipped: [] };
}

const svgs = (html: string): string[] => html.match(/<svg width="\d+" height="240"[\s\S]*?<\/svg>/g) ?? [];
const strokes = (svg: string): string[] => [...svg.matchAll(/<polyline fill="none" stroke="([^"]+)" stroke-width="2"(?: stroke-dasharray="([^"]+)")?/g)].map((m) => `${m[1]} ${m[2] ?? ''}`);
const ticks = (svg: string): string[] => [...svg.matchAll(/<text x="\d+" y="[\d.]+" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1] as string);

describe('history.html', () => {
  it('labels runs by id, gives every line its own colour, and keeps a rate axis within 0-100%', () => {
    const html = historyHtml(history(['ref:a', 'ref:b'], ['plain', 'together']));
    const charts = svgs(html);
    expect(charts).toHaveLength(5);
    // x labels: the run ids, not minute timestamps that repeat.
    for (const id of ['night-1', 'night-2', 'night-3']) expect(charts[0]).toContain(`>${id}</text>`);
    expect(charts[0]).not.toContain('01-01 03:17');
    // Four lines, four colours, from the palette, in every chart.
    for (const svg of charts) {
      expect(strokes(svg)).toEqual([`${SERIES_COLOURS[0]} `, `${SERIES_COLOURS[1]} `, `${SERIES_COLOURS[2]} `, `${SERIES_COLOURS[3]} `]);
    }
    // Success is 100% in every run: the axis ends at 100%, never above.
    expect(ticks(charts[0] as string)).toEqual(['90%', '95%', '100%']);
    expect(html).not.toContain('110%');
    // Batching 50% flat: 45%..55%, inside 0..1. Turns never go below zero.
    expect(ticks(charts[1] as string)).toEqual(['45%', '50%', '55%']);
  });

  it('beyond six lines: one small chart per provider, each variant in the same colour in all of them', () => {
    const html = historyHtml(history(['ref:a', 'ref:b', 'ref:c'], ['v1', 'v2', 'v3'], (_r, p) => ({ success_rate: p === 2 ? 0 : 1 })));
    const charts = svgs(html);
    expect(charts).toHaveLength(15); // 5 metrics x 3 providers
    const colours = [SERIES_COLOURS[0], SERIES_COLOURS[1], SERIES_COLOURS[2]].map((c) => `${c} `);
    for (const svg of charts) expect(strokes(svg)).toEqual(colours);
    expect(html).toContain('9 lines are too many for one chart');
    // The legend names the variants with the same colours.
    const legend = html.match(/<p class="legend">[\s\S]*?<\/p>/)?.[0] ?? '';
    expect([...legend.matchAll(/stroke="([^"]+)"/g)].map((m) => m[1])).toEqual([SERIES_COLOURS[0], SERIES_COLOURS[1], SERIES_COLOURS[2]]);
    expect(legend).toContain(' v1<');
    // A success rate of 0% throughout: the axis starts at 0%, never below.
    const successOfC = charts[2] as string;
    expect(successOfC).toContain('>ref:c</text>');
    expect(ticks(successOfC)[0]).toBe('0%');
    expect(html).not.toContain('-10%');
  });

  it('nine variants in one provider: the ninth repeats the first colour with a dashed line, so no two lines look alike', () => {
    const variants = Array.from({ length: 9 }, (_, i) => `v${i + 1}`);
    const html = historyHtml(history(['ref:a'], variants));
    const lines = strokes(svgs(html)[0] as string);
    expect(new Set(lines).size).toBe(9);
    expect(lines[8]).toBe(`${SERIES_COLOURS[0]} 6 3`);
  });
});
