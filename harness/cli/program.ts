import { Command, CommanderError } from 'commander';
import { VERSION } from '../core/version.js';
import type { ImportBfclOptions } from './commands/import.js';
import type { ImportTracesFlags } from './commands/import-traces.js';
import type { ScenarioFromTraceFlags } from './commands/scenario-from-trace.js';
import type { MergeCommandOptions } from './commands/merge.js';
import type { BaselineOptions } from './commands/baseline.js';
import { repeated } from './flag-parsers.js';
import {
  addFlags,
  BUDGET_FLAGS,
  COMPARE_FLAGS,
  HISTORY_FLAGS,
  INPUT_FLAGS,
  POWER_FLAGS,
  REPORT_FLAGS,
  RUN_FLAGS,
  VALIDATE_FLAGS,
  type BudgetFlags,
  type CompareFlags,
  type HistoryFlags,
  type InputFlags,
  type PowerFlags,
  type ReportFlags,
  type RunFlags,
  type ValidateFlags,
} from './flags.js';
import { errorExitCode, EXIT, processIO, type CliIO } from './io.js';

// Each command's module (and through it the tokenizer, the SDKs, the report renderers) is imported
// when that command runs, so `--version`, `--help` and light commands start without loading them.

/** The exit codes, as `--help` lists them (README "Commands" has the same table). */
const EXIT_CODES_HELP = [
  'Exit codes:',
  `  ${EXIT.ok}    success`,
  `  ${EXIT.regression}    regression found (compare), or a file could not be written (full disk, no permission)`,
  `  ${EXIT.usage}    usage or input error (bad flag, bad file, run directory locked by another writer)`,
  `  ${EXIT.errored}    run: sessions errored (above --max-error-rate) or skipped (provider halted)`,
  `  ${EXIT.interrupted}  interrupted (Ctrl-C, SIGTERM); wins over 3`,
].join('\n');

/** Builds the CLI. Each action stores its exit code in `result.code`; nothing here calls process.exit. */
export function createProgram(io: CliIO, result: { code: number }, signal?: AbortSignal): Command {
  const program = new Command('batchbench')
    .description('Measure how efficiently LLM agents use tools: round-trips, batching and token growth.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);

  addFlags(program.command('run').description('run the benchmark matrix and write reports'), RUN_FLAGS)
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (opts: RunFlags) => {
      const { runCommand } = await import('./commands/run.js');
      result.code = await runCommand(opts, io, signal);
    });

  addFlags(program.command('list').description('list scenarios with their optimal turns, prompt variants and providers'), INPUT_FLAGS).action(async (opts: InputFlags) => {
    const { listCommand } = await import('./commands/list.js');
    result.code = listCommand(opts, io);
  });

  addFlags(program.command('validate').description('check every scenario and prompt file; exit 2 on any problem'), VALIDATE_FLAGS).action(async (opts: ValidateFlags) => {
    const { validateCommand } = await import('./commands/validate.js');
    result.code = await validateCommand(opts, io);
  });

  program
    .command('init')
    .description('scaffold a config, an example scenario, two prompt variants and a README snippet in this directory')
    .option('--force', 'overwrite files that exist')
    .action(async (opts: { force?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      result.code = await initCommand(opts, io);
    });

  addFlags(
    program
      .command('report')
      .description('regenerate every report of a run directory without running anything')
      .argument('<run-dir>', 'a directory written by `batchbench run`'),
    REPORT_FLAGS,
  ).action(async (dir: string, flags: ReportFlags) => {
    const { reportCommand } = await import('./commands/report.js');
    result.code = await reportCommand(dir, io, flags);
  });

  addFlags(
    program
      .command('budget')
      .description('recommend a max_turns budget per variant and scenario from a run, and write budget.md into it')
      .argument('<run-dir>', 'a directory written by `batchbench run`'),
    BUDGET_FLAGS,
  ).action(async (dir: string, opts: BudgetFlags) => {
    const { budgetCommand } = await import('./commands/budget.js');
    result.code = budgetCommand(dir, opts, io);
  });

  addFlags(
    program
      .command('power')
      .description('recommend repeats per metric from a pilot run: the pairs needed to detect a change with 80% power')
      .argument('<run-dir>', 'a directory written by `batchbench run` (the pilot)'),
    POWER_FLAGS,
  ).action(async (dir: string, opts: PowerFlags) => {
    const { powerCommand } = await import('./commands/power.js');
    result.code = powerCommand(dir, opts, io);
  });

  const importCmd = program.command('import').description('convert scenarios from other benchmarks, or recorded agent traces into a run');
  importCmd
    .command('bfcl')
    .description('convert Berkeley Function Calling Leaderboard questions and answers (JSON lines) into scenario files')
    .argument('<questions>', 'questions file, e.g. BFCL_v4_parallel.json')
    .argument('<answers>', 'answers file, e.g. possible_answer.BFCL_v4_parallel.json')
    .requiredOption('-o, --out <dir>', 'directory to write the scenario files into')
    .option('--strict', 'exit 2 and write nothing when any question cannot be converted (default: skip it and say why)')
    .action(async (questions: string, answers: string, opts: ImportBfclOptions) => {
      const { importBfclCommand } = await import('./commands/import.js');
      result.code = await importBfclCommand(questions, answers, opts, io);
    });
  importCmd
    .command('traces')
    .description('import recorded model calls (JSON lines of request and response, or OTLP/JSON GenAI spans) as a run directory: report, compare, history and budget read it like any run')
    .argument('<files...>', 'trace files')
    .requiredOption('-o, --out <dir>', 'run directory to create')
    .option('--format <format>', 'openai-chat | openai-responses | anthropic | otel (default: detected from the first line)')
    .option('--skip-invalid', 'skip bad lines (counted, with reasons) instead of failing')
    .option('--redact <regex>', 'also replace matches of this RE2 regular expression before anything is written (repeatable; API keys, bearer tokens and emails always are)', repeated)
    .action(async (files: string[], opts: ImportTracesFlags) => {
      const { importTracesCommand } = await import('./commands/import-traces.js');
      result.code = await importTracesCommand(files, opts, io, signal);
    });

  program
    .command('scenario')
    .description('make scenario files')
    .command('from-trace')
    .description('write one session of an imported trace run as a scenario: observed tools and results as mocks, inferred needs, answer checks left TODO')
    .argument('<run-dir>', 'a run directory written by `batchbench import traces`')
    .argument('<session-id>', 'the session: s1, s2, ... (extra.trace.sessionId) or its key')
    .requiredOption('-o, --out <file>', 'scenario file to write')
    .option('--force', 'overwrite the file if it exists')
    .action(async (dir: string, id: string, opts: ScenarioFromTraceFlags) => {
      const { scenarioFromTraceCommand } = await import('./commands/scenario-from-trace.js');
      result.code = await scenarioFromTraceCommand(dir, id, opts, io);
    });

  program
    .command('merge')
    .description('join the shards of a run (`run --shard i/n`) into one run directory and write its reports')
    .argument('<dirs...>', 'shard run directories, or directories holding them')
    .requiredOption('-o, --out <dir>', 'run directory to create for the merged run')
    .action(async (dirs: string[], opts: MergeCommandOptions) => {
      const { mergeCommand } = await import('./commands/merge.js');
      result.code = await mergeCommand(dirs, opts, io);
    });

  addFlags(
    program
      .command('compare')
      .description('compare a candidate run with a baseline run, gate the changes, write compare.md, compare.html and junit.xml; exit 1 on a regression, 2 if the runs cannot be compared')
      .argument('<runs...>', 'baseline and candidate run directories, or only the candidate with --baseline'),
    COMPARE_FLAGS,
  ).action(async (runs: string[], opts: CompareFlags) => {
    const { compareCommand } = await import('./commands/compare.js');
    result.code = await compareCommand(runs, opts, io);
  });

  const baseline = program.command('baseline').description('save runs as named baselines for `compare --baseline`');
  baseline
    .command('save')
    .description('keep a copy of a finished run (run.json and sessions.jsonl) as a named baseline')
    .argument('<run-dir>', 'a finished run directory')
    .option('-n, --name <name>', 'baseline name (default: default)')
    .option('--baselines <dir>', 'where saved baselines live (default: reports/baselines)')
    .action(async (dir: string, opts: BaselineOptions) => {
      const { baselineSaveCommand } = await import('./commands/baseline.js');
      result.code = await baselineSaveCommand(dir, opts, io);
    });
  baseline
    .command('list')
    .description('list the saved baselines')
    .option('--baselines <dir>', 'where saved baselines live (default: reports/baselines)')
    .action(async (opts: BaselineOptions) => {
      const { baselineListCommand } = await import('./commands/baseline.js');
      result.code = await baselineListCommand(opts, io);
    });

  addFlags(
    program
      .command('history')
      .description('write history.csv and history.html: key metrics over the last N finished runs of one suite')
      .argument('[runs-dirs...]', 'directories holding run directories (default: reports)'),
    HISTORY_FLAGS,
  ).action(async (dirs: string[], opts: HistoryFlags) => {
    const { historyCommand } = await import('./commands/history.js');
    result.code = historyCommand(dirs, opts, io);
  });

  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO, signal?: AbortSignal): Promise<number> {
  const result = { code: EXIT.ok as number };
  const program = createProgram(io, result, signal);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    return errorExitCode(e, io);
  }
}
