import { Command, CommanderError, Option } from 'commander';
import { BatchbenchError, InputError, UsageError } from '../core/errors.js';
import { RUN_DEFAULTS } from '../config/run-settings.js';
import { VERSION } from '../core/version.js';
import type { BudgetCommandOptions } from './commands/budget.js';
import type { PowerCommandOptions } from './commands/power.js';
import type { ImportBfclOptions } from './commands/import.js';
import type { ImportTracesFlags } from './commands/import-traces.js';
import type { ScenarioFromTraceFlags } from './commands/scenario-from-trace.js';
import type { MergeCommandOptions } from './commands/merge.js';
import type { BaselineOptions } from './commands/baseline.js';
import type { CompareCommandOptions } from './commands/compare.js';
import type { HistoryOptions } from './commands/history.js';
import type { ReportFlags } from './commands/report.js';
import type { RunCommandOptions } from './commands/run.js';
import { EXIT, processIO, type CliIO } from './io.js';

// Each command's module (and through it the tokenizer, the SDKs, the report renderers) is imported
// when that command runs, so `--version`, `--help` and light commands start without loading them.

/** The exit codes, as `--help` lists them (README "Commands" has the same table). */
const EXIT_CODES_HELP = [
  'Exit codes:',
  `  ${EXIT.ok}    success`,
  `  ${EXIT.regression}    regression found (compare)`,
  `  ${EXIT.usage}    usage or input error (bad flag, bad file, run directory locked by another writer)`,
  `  ${EXIT.errored}    run: sessions errored (above --max-error-rate) or skipped (provider halted)`,
  `  ${EXIT.interrupted}  interrupted (Ctrl-C, SIGTERM); wins over 3`,
].join('\n');

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Builds the CLI. Each action stores its exit code in `result.code`; nothing here calls process.exit. */
export function createProgram(io: CliIO, result: { code: number }, signal?: AbortSignal): Command {
  const program = new Command('batchbench')
    .description('Measure how efficiently LLM agents use tools: round-trips, batching and token growth.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);

  const inputs = (cmd: Command): Command =>
    cmd
      .option('--scenarios <paths>', 'scenario files or directories (comma-separated or repeated)', collect)
      .option('--prompts <paths>', 'prompt variant files or directories', collect)
      .option('--tags <filters>', 'keep scenarios matching every filter: value or key=value (domain, shape, difficulty, tag, id)', collect)
      .option('--variants <ids>', 'prompt variant ids to use (default: all)', collect)
      .option('--max-fixture-bytes <n>', 'largest result_file fixture or handler module a scenario may use (default: 5242880)');

  inputs(program.command('run').description('run the benchmark matrix and write reports'))
    .option('--config <file>', 'config file (default: batchbench.config.yaml|.yml|.ts|.js in the working directory)')
    .option('-p, --provider <specs>', `providers: ref:sequential | ref:optimal | ref:stochastic:<p> | openai:<model> | openai-responses:<model> | anthropic:<model> (default: ${RUN_DEFAULTS.providers.join(', ')})`, collect)
    .option('-r, --repeats <n>', `sessions per provider, variant and scenario (default: ${RUN_DEFAULTS.repeats})`)
    .option('-c, --concurrency <n>', `sessions running at once per provider (default: ${RUN_DEFAULTS.concurrency})`)
    .option('-s, --seed <n>', `seed for every random choice (default: ${RUN_DEFAULTS.seed})`)
    .option('-o, --out <dir>', `parent directory of run directories (default: ${RUN_DEFAULTS.out})`)
    .option('--run-id <id>', 'name of the run directory (default: a timestamp)')
    .option('--model-latency <ms>', `virtual latency charged per model call: <ms> for every provider, or <provider>=<ms> for one (e.g. openai:gpt-4o=1200); repeatable (default: ${RUN_DEFAULTS.modelLatencyMs})`, collect)
    .option('--max-turns <n>', `stop a session after this many model calls (default: ${RUN_DEFAULTS.maxTurns})`)
    .option('--base-url <url>', 'base URL of an OpenAI-compatible or Anthropic endpoint')
    .option('--temperature <t>', 'sampling temperature for model providers')
    .option('--max-tokens <n>', 'max output tokens per model call')
    .option('--timeout <ms>', 'per-request timeout for model providers')
    .option('--max-retries <n>', 'retries per model call on 429, 5xx and connection errors')
    .option('--rpm <n>', 'requests per minute per provider')
    .option('--api-key-env <name>', 'environment variable holding the API key')
    .option('--record <dir>', 'record every model request and response into this directory')
    .option('--replay <dir>', 'serve model responses from recordings instead of the network')
    .option('--shard <i/n>', 'run only the i-th of n deterministic parts of the matrix (join them with `batchbench merge`)')
    .option('--resume <run-dir>', 'continue a run: keep its finished sessions, run the rest and its errored and skipped ones again (settings come from its run.json)')
    .option('--keep-errored', 'with --resume: keep errored and skipped sessions as they are; run only the missing ones')
    .option('--max-error-rate <fraction>', 'share of errored sessions (0..1) that still exits 0; skipped sessions always exit 3 (default: 0)')
    .option('--baseline <variant>', 'variant the others are compared with in the reports (default: the first variant)')
    .option('--compare-by <axis>', 'what the reports compare: variants (within each model) or models (within each variant) (default: variants)')
    .option('--baseline-provider <id>', 'provider the others are compared with under --compare-by models (default: the first provider)')
    .option('--generalize <what>', "tasks: intervals for tasks like these (two-level bootstrap); default: for this suite's tasks")
    .option('--holm-scope <scope>', "Holm's family: metric (per provider and metric, the variants compared; default) or all (every verdict metric and variant at once)")
    .option('--price-model <model>', 'model whose prices cost reference policies and the scripted provider; an unlisted model has no price (default: gpt-4o)')
    .option('--prices <file>', 'YAML file adding or overriding model prices (docs/metrics.md)')
    .option('--resamples <n>', 'bootstrap resamples per interval (default: 2000)')
    .addOption(new Option('-q, --quiet', 'no progress output'))
    .addHelpText('after', `\n${EXIT_CODES_HELP}`)
    .action(async (opts: RunCommandOptions) => {
      const { runCommand } = await import('./commands/run.js');
      result.code = await runCommand(opts, io, signal);
    });

  inputs(program.command('list').description('list scenarios with their optimal turns, prompt variants and providers')).action(async (opts) => {
    const { listCommand } = await import('./commands/list.js');
    result.code = await listCommand(opts as Parameters<typeof listCommand>[0], io);
  });

  program
    .command('validate')
    .description('check every scenario and prompt file; exit 2 on any problem')
    .option('--scenarios <paths>', 'scenario files or directories', collect)
    .option('--prompts <paths>', 'prompt variant files or directories', collect)
    .option('--config <file>', 'config file (default: batchbench.config.yaml|.yml|.ts|.js in the working directory)')
    .option('--max-fixture-bytes <n>', 'largest result_file fixture or handler module a scenario may use (default: 5242880)')
    .option('--strict', 'fail (exit 2) on data-flow warnings too: an argument found in another call\'s result without a needs path')
    .action(async (opts) => {
      const { validateCommand } = await import('./commands/validate.js');
      result.code = await validateCommand(opts as Parameters<typeof validateCommand>[0], io);
    });

  program
    .command('init')
    .description('scaffold a config, an example scenario, two prompt variants and a README snippet in this directory')
    .option('--force', 'overwrite files that exist')
    .action(async (opts: { force?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      result.code = await initCommand(opts, io);
    });

  program
    .command('report')
    .description('regenerate every report of a run directory without running anything')
    .argument('<run-dir>', 'a directory written by `batchbench run`')
    .option('--baseline <variant>', 'variant the others are compared with (default: the run\'s first variant)')
    .option('--compare-by <axis>', 'what the reports compare: variants (within each model) or models (within each variant) (default: variants)')
    .option('--baseline-provider <id>', 'provider the others are compared with under --compare-by models (default: the first provider)')
    .option('--generalize <what>', "tasks: intervals for tasks like these (two-level bootstrap); default: for this suite's tasks")
    .option('--holm-scope <scope>', "Holm's family: metric (per provider and metric, the variants compared; default) or all (every verdict metric and variant at once)")
    .option('--price-model <model>', 'model whose prices cost reference policies and the scripted provider; an unlisted model has no price (default: gpt-4o)')
    .option('--prices <file>', 'YAML file adding or overriding model prices (docs/metrics.md)')
    .option('--resamples <n>', 'bootstrap resamples per interval (default: 2000)')
    .action(async (dir: string, flags: ReportFlags) => {
      const { reportCommand } = await import('./commands/report.js');
      result.code = await reportCommand(dir, io, flags);
    });

  program
    .command('budget')
    .description('recommend a max_turns budget per variant and scenario from a run, and write budget.md into it')
    .argument('<run-dir>', 'a directory written by `batchbench run`')
    .option('--quantile <q>', 'share of successful sessions the budget must fit', '0.9')
    .option('--headroom <n>', 'turns added on top of that quantile', '2')
    .action(async (dir: string, opts: BudgetCommandOptions) => {
      const { budgetCommand } = await import('./commands/budget.js');
      result.code = await budgetCommand(dir, opts, io);
    });

  program
    .command('power')
    .description('recommend repeats per metric from a pilot run: the pairs needed to detect a change with 80% power')
    .argument('<run-dir>', 'a directory written by `batchbench run` (the pilot)')
    .option('--detect <changes>', 'changes to detect, e.g. turns=0.2,batching_rate=0.05 (shares as fractions)')
    .option('--power <p>', 'probability of detecting the change', '0.8')
    .option('--compare-by <axis>', 'variants (default) or models, as in `report`')
    .action(async (dir: string, opts: PowerCommandOptions) => {
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
    .option('--redact <regex>', 'also replace matches of this RE2 regular expression before anything is written (repeatable; API keys, bearer tokens and emails always are)', collect)
    .action(async (files: string[], opts: ImportTracesFlags) => {
      const { importTracesCommand } = await import('./commands/import-traces.js');
      result.code = await importTracesCommand(files, opts, io);
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

  program
    .command('compare')
    .description('compare a candidate run with a baseline run, gate the changes, write compare.md, compare.html and junit.xml; exit 1 on a regression, 2 if the runs cannot be compared')
    .argument('<runs...>', 'baseline and candidate run directories, or only the candidate with --baseline')
    .option('-b, --baseline <name>', 'compare with this saved baseline (see `batchbench baseline save`)')
    .option('--baselines <dir>', 'where saved baselines live (default: reports/baselines)')
    .option('--gates <file>', 'YAML file with a `gates:` map (default: `gates:` of the config file, else the built-in gates)')
    .option('--config <file>', 'config file to read `gates:` from (default: batchbench.config.* in the working directory)')
    .option('-o, --out <dir>', 'directory for compare.md, compare.html and junit.xml (default: <candidate-run>/compare)')
    .option('--confidence <level>', 'confidence level of the intervals and gate decisions (default: 0.95)')
    .option('--resamples <n>', 'bootstrap resamples per interval (default: 2000)')
    .option('--seed <n>', "bootstrap seed (default: the candidate run's seed)")
    .option('-q, --quiet', 'print only the verdict and the failed gates')
    .action(async (runs: string[], opts: CompareCommandOptions) => {
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

  program
    .command('history')
    .description('write history.csv and history.html: key metrics over the last N finished runs of one suite')
    .argument('[runs-dirs...]', 'directories holding run directories (default: reports)')
    .option('-n, --last <n>', 'how many of the latest runs', '30')
    .option('--suite <run-dir>', 'follow the suite of this run (default: the suite of the newest run)')
    .option('-o, --out <dir>', 'directory for history.csv and history.html (default: the first runs directory)')
    .action(async (dirs: string[], opts: HistoryOptions) => {
      const { historyCommand } = await import('./commands/history.js');
      result.code = await historyCommand(dirs, opts, io);
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
    if (e instanceof InputError) {
      for (const line of e.message.split('\n')) io.err(line);
      return EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      return EXIT.usage;
    }
    if (e instanceof BatchbenchError) {
      io.err(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
