import { writeReports } from '../../reports/index.js';
import { displayPath } from '../../input-files.js';
import { EXIT, type CliIO } from '../io.js';

/** Regenerates every report of a run directory from its run file, running nothing. */
export async function reportCommand(runDir: string, io: CliIO): Promise<number> {
  const files = await writeReports(runDir);
  for (const f of files) io.out(`wrote ${displayPath(f)}`);
  return EXIT.ok;
}
