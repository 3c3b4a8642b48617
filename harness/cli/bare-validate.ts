import { validateCommand } from './commands/validate.js';
import { errorExitCode, processIO, type CliIO } from './io.js';

/**
 * `batchbench validate` with no flags, run without building the commander program (which loads
 * commander and every flag table): the same output and exit code as `main(['validate'])`
 * (test/cli/fast-path.test.ts). bin.ts takes this path when `isBareValidate(argv)`.
 */
export async function bareValidate(io: CliIO = processIO): Promise<number> {
  try {
    return await validateCommand({}, io);
  } catch (e) {
    return errorExitCode(e, io);
  }
}
