import { VERSION } from '../core/version.js';
import { DEFAULT_HELP_WIDTH, readHelpCache } from './help-cache.js';

// What `batchbench` prints for a few command lines, without building the commander program (which
// loads commander and every flag table): the same text, byte for byte (test/cli/fast-path.test.ts).

/** Whether `argv` is `validate` alone, which bin.ts runs without commander (bare-validate.ts). */
export function isBareValidate(argv: readonly string[]): boolean {
  return argv.length === 1 && argv[0] === 'validate';
}

const VERSION_FLAGS = ['--version', '-V'];
const HELP_FLAGS = ['--help', '-h'];

/**
 * The output of `argv` when it is only `--version`/`-V` (also after `run`, as `npm start -- --version`
 * passes it) or only `--help`/`-h` with help `helpWidth` columns wide (commander's: the terminal's
 * width, undefined for a pipe) and a valid help cache (`readHelp`); otherwise undefined: run the full program.
 */
export function fastOutput(argv: readonly string[], helpWidth: number | undefined, readHelp: () => string | undefined = readHelpCache): string | undefined {
  const [first, second] = argv;
  if (first === undefined) return undefined;
  if ((argv.length === 1 && VERSION_FLAGS.includes(first)) || (argv.length === 2 && first === 'run' && second !== undefined && VERSION_FLAGS.includes(second))) {
    return `${VERSION}\n`;
  }
  if (argv.length === 1 && HELP_FLAGS.includes(first) && (helpWidth ?? DEFAULT_HELP_WIDTH) === DEFAULT_HELP_WIDTH) return readHelp();
  return undefined;
}
