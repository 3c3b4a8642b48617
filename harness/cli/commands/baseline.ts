import { displayPath } from '../../core/input-files.js';
import { DEFAULT_BASELINE_NAME, DEFAULT_BASELINES_DIR, listBaselines, saveBaseline } from '../../core/run-file/baselines.js';
import { EXIT, table, type CliIO } from '../io.js';
import { warnCutLine } from '../run-warnings.js';

export interface BaselineOptions {
  name?: string;
  baselines?: string;
}

/** `batchbench baseline save <run-dir> [--name]`: keeps a copy of the run for `compare --baseline <name>`. */
export function baselineSaveCommand(runDir: string, opts: BaselineOptions, io: CliIO): number {
  const { dir, info, cutLine } = saveBaseline(runDir, opts.name ?? DEFAULT_BASELINE_NAME, opts.baselines ?? DEFAULT_BASELINES_DIR);
  warnCutLine(cutLine, io);
  io.out(`saved run ${info.runId} (${info.sessions} sessions) as baseline "${info.name}" in ${displayPath(dir)}`);
  io.out(`compare a run with it: batchbench compare --baseline ${info.name} <run-dir>`);
  return EXIT.ok;
}

/** `batchbench baseline list`: the saved baselines. */
export function baselineListCommand(opts: BaselineOptions, io: CliIO): number {
  const saved = listBaselines(opts.baselines ?? DEFAULT_BASELINES_DIR);
  if (saved.length === 0) {
    io.out(`no baselines in ${opts.baselines ?? DEFAULT_BASELINES_DIR}; save one with: batchbench baseline save <run-dir> --name <name>`);
    return EXIT.ok;
  }
  for (const line of table(['name', 'run', 'sessions', 'saved', 'from'], saved.map((b) => [b.name, b.runId, String(b.sessions), b.savedAt, displayPath(b.source)]))) io.out(line);
  return EXIT.ok;
}
