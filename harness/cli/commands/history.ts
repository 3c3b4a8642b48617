import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DEFAULTS } from '../../config/run-settings.js';
import { displayPath } from '../../core/input-files.js';
import { collectHistory } from '../../metrics/history.js';
import { historyHtml } from '../../reports/history/history-page.js';
import { writeCsv } from '../../reports/csv-reporter.js';
import type { HistoryFlags } from '../flags.js';
import { EXIT, type CliIO } from '../io.js';
import { warnCutLine } from '../run-warnings.js';

export type HistoryOptions = HistoryFlags;

/** Runs `history` looks at when `--last` is not given. */
export const DEFAULT_HISTORY_RUNS = 30;

/** `batchbench history [runs-dir...]`: history.csv and history.html over the last N runs of one suite. */
export function historyCommand(dirs: readonly string[], opts: HistoryOptions, io: CliIO): number {
  const last = opts.last ?? DEFAULT_HISTORY_RUNS;
  const parents = dirs.length > 0 ? dirs : [RUN_DEFAULTS.out];
  const history = collectHistory(parents, { last, ...(opts.suite !== undefined ? { suiteOf: opts.suite } : {}) });
  for (const run of history.runs) warnCutLine(run.cutLine, io);
  const out = opts.out ?? (parents[0] as string);
  mkdirSync(out, { recursive: true });
  const csv = join(out, 'history.csv');
  const html = join(out, 'history.html');
  writeCsv(csv, history.rows as unknown as Record<string, unknown>[]);
  writeFileSync(html, historyHtml(history));
  io.out(`history of suite ${history.suite}: ${history.runs.length} run(s), ${history.rows.length} row(s)${history.skipped.length > 0 ? `; ${history.skipped.length} run director${history.skipped.length === 1 ? 'y' : 'ies'} left out` : ''}`);
  io.out(`  ${displayPath(csv)}`);
  io.out(`  ${displayPath(html)}`);
  return EXIT.ok;
}
