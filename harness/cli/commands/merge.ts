import { existsSync, rmdirSync } from 'node:fs';
import { displayPath } from '../../core/input-files.js';
import { writeReports } from '../../reports/index.js';
import { mergeShards } from '../../run/merge.js';
import { acquireRunLock } from '../../core/run-file/run-lock.js';
import { EXIT, type CliIO } from '../io.js';

export interface MergeCommandOptions {
  out: string;
}

/** Joins shard runs into one run directory and writes its reports. */
export async function mergeCommand(dirs: readonly string[], opts: MergeCommandOptions, io: CliIO): Promise<number> {
  // One writer per run directory: the merged run and its reports are written under its lock.
  const created = !existsSync(opts.out);
  const lock = acquireRunLock(opts.out, { command: 'merge', log: (line) => io.err(line) });
  let result;
  let files;
  try {
    result = mergeShards(dirs, opts.out, { lock });
    files = await writeReports(result.dir);
  } catch (e) {
    lock.release();
    // A refused merge leaves no empty directory behind (rmdir removes only an empty one).
    if (created) tryRmdir(opts.out);
    throw e;
  }
  lock.release();
  const shards = result.manifest.mergedFrom ?? [];
  io.out(`merged ${shards.length} shard(s) into run ${result.manifest.runId}: ${result.manifest.sessionsWritten} sessions in ${displayPath(result.dir)}`);
  for (const f of files) io.out(`  ${displayPath(f)}`);
  return EXIT.ok;
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (the merge wrote something) or already gone.
  }
}
