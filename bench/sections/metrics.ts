import { sessionMetrics } from '../../harness/metrics/session-metrics.js';
import { summarise } from '../../harness/metrics/summary.js';
import type { RunManifest, SessionRecord } from '../../harness/core/run-file/records.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { spread, time, type Figure } from '../lib.js';

/** Extra analysis to time with the metrics (e.g. the variant comparison with its bootstrap). */
export type Analysis = (run: { manifest: RunManifest; sessions: readonly SessionRecord[] }) => unknown;

/** Session metrics and per-variant statistics over the first 1,000 and all sessions of a run directory. */
export async function metricsAndStatistics(runDir: string, quick: boolean, analysis?: Analysis): Promise<Figure[]> {
  const run = readRun(runDir);
  const all = run.sessions;
  const figures: Figure[] = [];
  for (const n of [1000, all.length]) {
    const sessions = all.slice(0, n);
    const t = await time(`metrics ${n}`, () => {
      sessions.map((s) => sessionMetrics(s));
      summarise(sessions);
      analysis?.({ manifest: run.manifest, sessions });
    }, { time: quick ? 200 : 2000, iterations: quick ? 2 : 10 });
    figures.push({
      section: '1 metrics and statistics',
      name: `${sessions.length.toLocaleString('en-US')} sessions: metrics + summary${analysis ? ' + comparison with bootstrap' : ''}`,
      value: t.median,
      unit: 'ms',
      spread: spread(t),
    });
  }
  return figures;
}
