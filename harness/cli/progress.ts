import cliProgress from 'cli-progress';
import type { SessionRecord } from '../core/run-file/records.js';
import type { CliIO } from './io.js';

export type ProgressMode = 'bar' | 'lines' | 'none';

export interface Progress {
  update(record: SessionRecord, written: number, planned: number): void;
  stop(): void;
}

/** A bar on a terminal, a line per 10% otherwise, nothing with --quiet. */
export function createProgress(mode: ProgressMode, planned: number, io: CliIO): Progress {
  if (mode === 'none') return { update: () => undefined, stop: () => undefined };
  if (mode === 'lines') {
    let nextMark = 0.1;
    return {
      update(_record, written, total) {
        if (written / total >= nextMark || written === total) {
          io.err(`${written}/${total} sessions done`);
          while (nextMark <= written / total) nextMark += 0.1;
        }
      },
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'sessions {bar} {value}/{total} | {eta_formatted} left | last: {last}', hideCursor: true, stream: process.stderr, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(planned, 0, { last: '' });
  return {
    update(record, written) {
      bar.update(written, { last: `${record.scenarioId} ${record.status}` });
    },
    stop: () => bar.stop(),
  };
}
