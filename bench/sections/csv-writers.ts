import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TURN_COLUMNS, turnRows, writeCsv, writeCsvRows } from '../../harness/reports/csv-reporter.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { spread, time, type Figure } from '../lib.js';

/**
 * turns.csv of a large run written two ways in the same run: as one array of
 * row objects stringified at once (how it was first written, still used for the
 * small tables), and as array rows streamed in chunks (how it is written now).
 */
export async function csvWriters(runDir: string, quick: boolean): Promise<Figure[]> {
  const sessions = readRun(runDir).sessions;
  const dir = mkdtempSync(join(tmpdir(), 'bb-bench-csv-'));
  const opts = { time: quick ? 200 : 2000, iterations: quick ? 2 : 5 };
  try {
    const before = await time('object rows', () => {
      const rows = [...turnRows(sessions)].map((r) => Object.fromEntries(TURN_COLUMNS.map((c, i) => [c, r[i]])));
      writeCsv(join(dir, 'before.csv'), rows);
    }, opts);
    const after = await time('streamed array rows', () => writeCsvRows(join(dir, 'after.csv'), TURN_COLUMNS, turnRows(sessions)), opts);
    const label = `turns.csv of ${sessions.length.toLocaleString('en-US')} sessions`;
    return [
      { section: '4 scale', name: `${label}: object rows, stringified at once (before)`, value: before.median, unit: 'ms', spread: spread(before) },
      { section: '4 scale', name: `${label}: array rows streamed in chunks (after)`, value: after.median, unit: 'ms', spread: spread(after), note: `${(before.median / after.median).toFixed(1)}x faster` },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
