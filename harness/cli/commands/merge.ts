import { displayPath } from '../../input-files.js';
import { writeReports } from '../../reports/index.js';
import { mergeShards } from '../../run/merge.js';
import { EXIT, type CliIO } from '../io.js';

export interface MergeCommandOptions {
  out: string;
}

/** Joins shard runs into one run directory and writes its reports. */
export async function mergeCommand(dirs: readonly string[], opts: MergeCommandOptions, io: CliIO): Promise<number> {
  const result = mergeShards(dirs, opts.out);
  const files = await writeReports(result.dir);
  const shards = result.manifest.mergedFrom ?? [];
  io.out(`merged ${shards.length} shard(s) into run ${result.manifest.runId}: ${result.manifest.sessionsWritten} sessions in ${displayPath(result.dir)}`);
  for (const f of files) io.out(`  ${displayPath(f)}`);
  return EXIT.ok;
}
