import { Option, type Command } from 'commander';
import { RUN_DEFAULTS } from '../config/run-settings.js';
import { LIMITS } from '../core/limits.js';
import type { CompareAxis } from '../metrics/compare-axis.js';
import type { HolmScope } from '../metrics/holm-scope.js';
import { choice, decimal, integer, list, modelLatency, runId, share, shard, type FlagParser } from './flag-parsers.js';

/**
 * A flag of a command: its commander spelling, its help and the parser of its
 * value. A flag without a parser is a switch (`true` when given) or, when it
 * takes a value, a string. Each command declares its flags in a table below;
 * `FlagValues` is the typed object its action receives.
 */
export interface Flag<T> {
  readonly flags: string;
  readonly description: string;
  parse?(value: string, previous: T | undefined): T;
}

// The choices of the report flags, spelled here so that `--help` does not load the statistics; the
// compiler keeps each list equal to its type (every member, nothing else).
const COMPARE_AXES = ['variants', 'models'] as const satisfies readonly CompareAxis[];
const HOLM_SCOPES = ['metric', 'all'] as const satisfies readonly HolmScope[];
const everyChoiceListed: [Exclude<CompareAxis, (typeof COMPARE_AXES)[number]> | Exclude<HolmScope, (typeof HOLM_SCOPES)[number]>] extends [never] ? true : false = true;
void everyChoiceListed;

const flag = <T>(flags: string, description: string, parse: FlagParser<T>): Flag<T> => ({ flags, description, parse });
const text = (flags: string, description: string): Flag<string> => ({ flags, description });
const toggle = (flags: string, description: string): Flag<true> => ({ flags, description });

export type FlagTable = Readonly<Record<string, Flag<unknown>>>;

/** The typed values of a table's flags, as commander hands them to the action: a flag not given is absent. */
export type FlagValues<F extends FlagTable> = { [K in keyof F]?: F[K] extends Flag<infer T> ? T : never };

/** Adds a table's flags to a command, each with its parser. The key of a flag is the name commander stores its value under. */
export function addFlags(cmd: Command, table: FlagTable): Command {
  for (const [key, f] of Object.entries(table)) {
    const option = new Option(f.flags, f.description);
    if (f.parse) option.argParser(f.parse);
    if (option.attributeName() !== key) throw new Error(`flag table: ${f.flags} is stored as "${option.attributeName()}", not "${key}"`);
    cmd.addOption(option);
  }
  return cmd;
}

/** Where the scenarios and prompt variants are, and which to use (`run`, `list`). */
export const INPUT_FLAGS = {
  scenarios: flag('--scenarios <paths>', 'scenario files or directories (comma-separated or repeated)', list),
  prompts: flag('--prompts <paths>', 'prompt variant files or directories', list),
  tags: flag('--tags <filters>', 'keep scenarios matching every filter: value or key=value (domain, shape, difficulty, tag, id)', list),
  variants: flag('--variants <ids>', 'prompt variant ids to use (default: all)', list),
  maxFixtureBytes: flag('--max-fixture-bytes <n>', 'largest result_file fixture or handler module a scenario may use (default: 5242880)', integer('--max-fixture-bytes', 1)),
} as const;

/** Report choices (`report`, and `run` for the reports it writes at the end). */
export const REPORT_FLAGS = {
  baseline: text('--baseline <variant>', 'variant the others are compared with in the reports (default: the first variant)'),
  compareBy: flag('--compare-by <axis>', 'what the reports compare: variants (within each model) or models (within each variant) (default: variants)', choice('--compare-by', COMPARE_AXES)),
  baselineProvider: text('--baseline-provider <id>', 'provider the others are compared with under --compare-by models (default: the first provider)'),
  generalize: flag('--generalize <what>', "tasks: intervals for tasks like these (two-level bootstrap); default: for this suite's tasks", choice('--generalize', ['tasks'] as const)),
  holmScope: flag('--holm-scope <scope>', "Holm's family: metric (per provider and metric, the variants compared; default) or all (every verdict metric and variant at once)", choice('--holm-scope', HOLM_SCOPES)),
  priceModel: text('--price-model <model>', 'model whose prices cost reference policies and the scripted provider; an unlisted model has no price (default: gpt-4o)'),
  prices: text('--prices <file>', 'YAML file adding or overriding model prices (docs/metrics.md)'),
  resamples: flag('--resamples <n>', 'bootstrap resamples per interval (default: 2000)', integer('--resamples', 100)),
} as const;

const CONFIG = text('--config <file>', 'config file (default: batchbench.config.yaml|.yml|.ts|.js in the working directory)');

/** `run`: the matrix, the providers' settings, sharding and resuming, the exit rule, the reports. */
export const RUN_FLAGS = {
  ...INPUT_FLAGS,
  config: CONFIG,
  provider: flag(
    '-p, --provider <specs>',
    `providers: ref:sequential | ref:optimal | ref:stochastic:<p> | openai:<model> | openai-responses:<model> | anthropic:<model> (default: ${RUN_DEFAULTS.providers.join(', ')})`,
    list,
  ),
  repeats: flag('-r, --repeats <n>', `sessions per provider, variant and scenario (default: ${RUN_DEFAULTS.repeats})`, integer('--repeats', 1, LIMITS.repeats)),
  concurrency: flag('-c, --concurrency <n>', `sessions running at once per provider (default: ${RUN_DEFAULTS.concurrency})`, integer('--concurrency', 1, LIMITS.concurrency)),
  seed: flag('-s, --seed <n>', `seed for every random choice (default: ${RUN_DEFAULTS.seed})`, integer('--seed', 0)),
  out: text('-o, --out <dir>', `parent directory of run directories (default: ${RUN_DEFAULTS.out})`),
  runId: flag('--run-id <id>', 'name of the run directory (default: a timestamp)', runId),
  modelLatency: flag(
    '--model-latency <ms>',
    `virtual latency charged per model call: <ms> for every provider, or <provider>=<ms> for one (e.g. openai:gpt-4o=1200); repeatable (default: ${RUN_DEFAULTS.modelLatencyMs})`,
    modelLatency,
  ),
  maxTurns: flag('--max-turns <n>', `stop a session after this many model calls (default: ${RUN_DEFAULTS.maxTurns})`, integer('--max-turns', 1, LIMITS.maxTurns)),
  baseUrl: text('--base-url <url>', 'base URL of an OpenAI-compatible or Anthropic endpoint'),
  temperature: flag('--temperature <t>', 'sampling temperature for model providers', decimal('--temperature')),
  maxTokens: flag('--max-tokens <n>', 'max output tokens per model call', integer('--max-tokens', 1)),
  timeout: flag('--timeout <ms>', 'per-request timeout for model providers', integer('--timeout', 1)),
  maxRetries: flag('--max-retries <n>', 'retries per model call on 429, 5xx and connection errors', integer('--max-retries', 0)),
  rpm: flag('--rpm <n>', 'requests per minute per provider', integer('--rpm', 1)),
  apiKeyEnv: text('--api-key-env <name>', 'environment variable holding the API key'),
  record: text('--record <dir>', 'record every model request and response into this directory'),
  replay: text('--replay <dir>', 'serve model responses from recordings instead of the network'),
  shard: flag('--shard <i/n>', 'run only the i-th of n deterministic parts of the matrix (join them with `batchbench merge`)', shard),
  resume: text('--resume <run-dir>', 'continue a run: keep its finished sessions, run the rest and its errored and skipped ones again (settings come from its run.json)'),
  keepErrored: toggle('--keep-errored', 'with --resume: keep errored and skipped sessions as they are; run only the missing ones'),
  maxErrorRate: flag('--max-error-rate <fraction>', 'share of errored sessions (0..1) that still exits 0; skipped sessions always exit 3 (default: 0)', share('--max-error-rate', '[0, 1]', '0.05')),
  ...REPORT_FLAGS,
  quiet: toggle('-q, --quiet', 'no progress output'),
} as const;

/** `validate`. */
export const VALIDATE_FLAGS = {
  scenarios: flag('--scenarios <paths>', 'scenario files or directories', list),
  prompts: flag('--prompts <paths>', 'prompt variant files or directories', list),
  config: CONFIG,
  maxFixtureBytes: INPUT_FLAGS.maxFixtureBytes,
  strict: toggle('--strict', "fail (exit 2) on data-flow warnings too: an argument found in another call's result without a needs path"),
} as const;

/** `compare`. */
export const COMPARE_FLAGS = {
  baseline: text('-b, --baseline <name>', 'compare with this saved baseline (see `batchbench baseline save`)'),
  baselines: text('--baselines <dir>', 'where saved baselines live (default: reports/baselines)'),
  gates: text('--gates <file>', 'YAML file with a `gates:` map (default: `gates:` of the config file, else the built-in gates)'),
  config: text('--config <file>', 'config file to read `gates:` from (default: batchbench.config.* in the working directory)'),
  out: text('-o, --out <dir>', 'directory for compare.md, compare.html and junit.xml (default: <candidate-run>/compare)'),
  confidence: flag('--confidence <level>', 'confidence level of the intervals and gate decisions (default: 0.95)', share('--confidence', '(0, 1)', '0.95')),
  resamples: REPORT_FLAGS.resamples,
  seed: flag('--seed <n>', "bootstrap seed (default: the candidate run's seed)", integer('--seed', 0)),
  quiet: toggle('-q, --quiet', 'print only the verdict and the failed gates'),
} as const;

/** `budget`. */
export const BUDGET_FLAGS = {
  quantile: flag('--quantile <q>', 'share of successful sessions the budget must fit (default: 0.9)', share('--quantile', '(0, 1]', '0.9')),
  headroom: flag('--headroom <n>', 'turns added on top of that quantile (default: 2)', integer('--headroom', 0)),
} as const;

/** `power`. */
export const POWER_FLAGS = {
  detect: text('--detect <changes>', 'changes to detect, e.g. turns=0.2,batching_rate=0.05 (shares as fractions)'),
  power: flag('--power <p>', 'probability of detecting the change (default: 0.8)', share('--power', '(0, 1)', '0.8')),
  compareBy: flag('--compare-by <axis>', 'variants (default) or models, as in `report`', choice('--compare-by', COMPARE_AXES)),
} as const;

/** `history`. */
export const HISTORY_FLAGS = {
  last: flag('-n, --last <n>', 'how many of the latest runs (default: 30)', integer('--last', 1)),
  suite: text('--suite <run-dir>', 'follow the suite of this run (default: the suite of the newest run)'),
  out: text('-o, --out <dir>', 'directory for history.csv and history.html (default: the first runs directory)'),
} as const;

export type InputFlags = FlagValues<typeof INPUT_FLAGS>;
export type ReportFlags = FlagValues<typeof REPORT_FLAGS>;
export type RunFlags = FlagValues<typeof RUN_FLAGS>;
export type ValidateFlags = FlagValues<typeof VALIDATE_FLAGS>;
export type CompareFlags = FlagValues<typeof COMPARE_FLAGS>;
export type BudgetFlags = FlagValues<typeof BUDGET_FLAGS>;
export type PowerFlags = FlagValues<typeof POWER_FLAGS>;
export type HistoryFlags = FlagValues<typeof HISTORY_FLAGS>;
