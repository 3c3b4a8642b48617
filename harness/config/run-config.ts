import { z } from 'zod';
import { InputError, type InputIssue } from '../core/errors.js';
import { displayPath, validateWith } from '../core/input-files.js';
import type { Shard } from '../core/matrix.js';
import { checkRunId } from '../core/run-file/run-id.js';
import { COMPARE_AXES } from '../metrics/compare-axis.js';
import { HOLM_SCOPES } from '../metrics/holm-scope.js';
import type { ProviderOptions } from '../providers/registry.js';
import type { ReportOptions } from './report-options.js';
import { bounded } from './schema.js';
import type { BatchbenchConfig, ProviderConfig } from './schema.js';

/** A provider of a run: its spec (`ref:optimal`, `openai:gpt-4o-mini`, ...) with its own settings. */
export interface ProviderEntry {
  spec: string;
  options?: ProviderOptions;
}

/**
 * Where the values of a config came from, so that an error about one of them
 * names its file (or `runSuite options`) and field. `fields` maps a field of
 * `RunConfig` (`variants`, `report.baseline`, ...) to its name there
 * (`variants`, `report.baseline`, `max_turns`, ...); a field given elsewhere
 * (a flag) is not in it.
 */
export interface ConfigSource {
  file: string;
  fields: Readonly<Record<string, string>>;
}

/**
 * A run, typed: what the public `runSuite` takes, what a config file and the
 * flags of `batchbench run` are turned into. Every field is optional; what is
 * left out takes its default (`RUN_DEFAULTS`). Paths are relative to the
 * working directory.
 */
export interface RunConfig {
  /** Provider specs, or specs with settings. Default: the three reference policies. */
  providers?: readonly (string | ProviderEntry)[];
  /** Settings for every provider, over each one's own (the flags `--base-url`, `--temperature`, ...). */
  providerOptions?: ProviderOptions;
  /** Scenario files or directories. Default: `scenarios`. */
  scenarios?: readonly string[];
  /** Prompt variant files or directories. Default: `prompts`. */
  prompts?: readonly string[];
  /** Keep scenarios matching every filter: a value, or `key=value` with key domain, shape, difficulty, tag or id. */
  tags?: readonly string[];
  /** Prompt variant ids to run. Default: every variant found under `prompts`. */
  variants?: readonly string[];
  /** Sessions per provider, variant and scenario. Default: 3. */
  repeats?: number;
  /** Sessions running at once, per provider. Default: 8. */
  concurrency?: number;
  /** Seed for every random choice. Default: 42. */
  seed?: number;
  /** Parent directory of run directories. Default: `reports`. */
  out?: string;
  /** Name of the run directory under `out`. Default: a timestamp. */
  runId?: string;
  /** Virtual latency charged per model call, in ms. Default: 800. */
  modelLatencyMs?: number;
  /** Virtual latency per model call by provider id, over `modelLatencyMs`. */
  modelLatencyByProvider?: Readonly<Record<string, number>>;
  /** Stop a session after this many model calls. Default: 10. */
  maxTurns?: number;
  /** Largest `result_file` fixture or handler module a scenario may use, in bytes. Default: 5 MiB. */
  maxFixtureBytes?: number;
  /** Run only this deterministic part of the matrix (join the parts with `batchbench merge`). */
  shard?: Shard;
  /** Continue the run at `out`/`runId`: sessions already on disk are kept. */
  resume?: boolean;
  /** On resume, keep errored and skipped sessions as they are (default: run them again). */
  keepErrored?: boolean;
  /** Report choices: baseline, axis, prices, ... */
  report?: ReportOptions;
  /** Where the values came from; errors about them name it. */
  source?: ConfigSource;
}

/** Flags are checked by their parsers and config files by their schema; this is the check of a config given in code. */
const providerOptionsSchema = z.strictObject({
  baseUrl: z.string().url().optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().positive().optional(),
  timeoutMs: z.number().int().positive().optional(),
  maxRetries: z.number().int().nonnegative().optional(),
  retryBaseDelayMs: z.number().int().nonnegative().optional(),
  retryMaxDelayMs: z.number().int().nonnegative().optional(),
  concurrency: bounded.concurrency.optional(),
  requestsPerMinute: z.number().int().positive().optional(),
  apiKeyEnv: bounded.apiKeyEnv.optional(),
  recordDir: z.string().optional(),
  replayDir: z.string().optional(),
});

const list = z.array(z.string());

const runConfigSchema = z.strictObject({
  providers: z.array(z.union([z.string().min(1), z.strictObject({ spec: z.string().min(1), options: providerOptionsSchema.optional() })])).optional(),
  providerOptions: providerOptionsSchema.optional(),
  scenarios: list.optional(),
  prompts: list.optional(),
  tags: list.optional(),
  variants: list.optional(),
  repeats: bounded.repeats.optional(),
  concurrency: bounded.concurrency.optional(),
  seed: z.number().int().nonnegative().optional(),
  out: z.string().optional(),
  runId: z.string().optional(),
  modelLatencyMs: bounded.latencyMs.optional(),
  modelLatencyByProvider: z.record(z.string(), bounded.latencyMs).optional(),
  maxTurns: bounded.maxTurns.optional(),
  maxFixtureBytes: z.number().int().positive().optional(),
  shard: z
    .strictObject({ index: z.number().int().positive(), count: z.number().int().positive() })
    .refine((s) => s.index <= s.count, 'index must be from 1 to count')
    .optional(),
  resume: z.boolean().optional(),
  keepErrored: z.boolean().optional(),
  report: z
    .strictObject({
      baseline: z.string().optional(),
      compareBy: z.enum(COMPARE_AXES).optional(),
      baselineProvider: z.string().optional(),
      priceModel: z.string().optional(),
      pricesFile: z.string().optional(),
      resamples: z.number().int().min(100).optional(),
      seed: z.number().int().nonnegative().optional(),
      holmScope: z.enum(HOLM_SCOPES).optional(),
      generalize: z.enum(['tasks']).optional(),
    })
    .optional(),
  source: z.strictObject({ file: z.string(), fields: z.record(z.string(), z.string()) }).optional(),
});

// Every field of RunConfig has its check (a strict schema would refuse a field it lacks).
type Unchecked = Exclude<keyof RunConfig, keyof z.infer<typeof runConfigSchema>>;
const everyFieldChecked: [Unchecked] extends [never] ? true : false = true;
void everyFieldChecked;

/** What the public `runSuite` names in its errors. */
export const API_SOURCE = 'runSuite options';

/**
 * Checks a config given in code (the public `runSuite`), once, before
 * anything runs: types, bounds, unknown fields, the run id. Throws an
 * `InputError` naming `where` and each field. Returns it with its source
 * (`where`, every field under its own name) unless it names one.
 */
export function checkRunConfig(config: RunConfig, where = API_SOURCE): RunConfig {
  const { issues } = validateWith(runConfigSchema, config, where);
  if (issues.length > 0) throw new InputError(issues);
  if (config.runId !== undefined) checkRunId(config.runId);
  if (config.source !== undefined) return config;
  const fields = Object.fromEntries(
    Object.entries(config).flatMap(([k, v]) => (k === 'report' && typeof v === 'object' && v !== null ? Object.keys(v).map((r) => `report.${r}`) : [k])).map((k) => [k, k]),
  );
  return { ...config, source: { file: where, fields } };
}

function fromProvider(p: ProviderConfig): ProviderEntry {
  return {
    spec: p.id,
    options: {
      ...(p.base_url !== undefined ? { baseUrl: p.base_url } : {}),
      ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
      ...(p.max_tokens !== undefined ? { maxTokens: p.max_tokens } : {}),
      ...(p.timeout_ms !== undefined ? { timeoutMs: p.timeout_ms } : {}),
      ...(p.max_retries !== undefined ? { maxRetries: p.max_retries } : {}),
      ...(p.concurrency !== undefined ? { concurrency: p.concurrency } : {}),
      ...(p.requests_per_minute !== undefined ? { requestsPerMinute: p.requests_per_minute } : {}),
      ...(p.api_key_env !== undefined ? { apiKeyEnv: p.api_key_env } : {}),
    },
  };
}

/**
 * A loaded config file (checked by its schema, paths resolved: `loadConfig`)
 * as a `RunConfig`, remembering the file and the name of each field it gave.
 */
export function runConfigFromFile(config: BatchbenchConfig, file: string | undefined): RunConfig {
  const r = config.report;
  const latency = Object.fromEntries((config.providers ?? []).flatMap((p) => (typeof p !== 'string' && p.model_latency_ms !== undefined ? [[p.id, p.model_latency_ms] as const] : [])));
  const run: RunConfig = {
    ...(config.providers !== undefined ? { providers: config.providers.map((p) => (typeof p === 'string' ? p : fromProvider(p))) } : {}),
    ...(config.scenarios !== undefined ? { scenarios: config.scenarios } : {}),
    ...(config.prompts !== undefined ? { prompts: config.prompts } : {}),
    ...(config.tags !== undefined ? { tags: config.tags } : {}),
    ...(config.variants !== undefined ? { variants: config.variants } : {}),
    ...(config.repeats !== undefined ? { repeats: config.repeats } : {}),
    ...(config.concurrency !== undefined ? { concurrency: config.concurrency } : {}),
    ...(config.seed !== undefined ? { seed: config.seed } : {}),
    ...(config.out !== undefined ? { out: config.out } : {}),
    ...(config.model_latency_ms !== undefined ? { modelLatencyMs: config.model_latency_ms } : {}),
    ...(Object.keys(latency).length > 0 ? { modelLatencyByProvider: latency } : {}),
    ...(config.max_turns !== undefined ? { maxTurns: config.max_turns } : {}),
    ...(config.max_fixture_bytes !== undefined ? { maxFixtureBytes: config.max_fixture_bytes } : {}),
    ...(r !== undefined
      ? {
          report: {
            ...(r.baseline !== undefined ? { baseline: r.baseline } : {}),
            ...(r.compare_by !== undefined ? { compareBy: r.compare_by } : {}),
            ...(r.baseline_provider !== undefined ? { baselineProvider: r.baseline_provider } : {}),
            ...(r.price_model !== undefined ? { priceModel: r.price_model } : {}),
            ...(r.prices !== undefined ? { pricesFile: r.prices } : {}),
            ...(r.generalize !== undefined ? { generalize: r.generalize } : {}),
            ...(r.holm_scope !== undefined ? { holmScope: r.holm_scope } : {}),
          },
        }
      : {}),
  };
  if (file === undefined) return run;
  return { ...run, source: { file: displayPath(file), fields: fileFields(run) } };
}

/** The config file's name of each RunConfig field it can give. */
const FILE_FIELDS: Readonly<Record<string, string>> = {
  modelLatencyMs: 'model_latency_ms',
  maxTurns: 'max_turns',
  maxFixtureBytes: 'max_fixture_bytes',
  'report.compareBy': 'report.compare_by',
  'report.baselineProvider': 'report.baseline_provider',
  'report.priceModel': 'report.price_model',
  'report.pricesFile': 'report.prices',
  'report.holmScope': 'report.holm_scope',
};

function fileFields(run: RunConfig): Record<string, string> {
  const keys = [...Object.keys(run).filter((k) => k !== 'report'), ...Object.keys(run.report ?? {}).map((k) => `report.${k}`)];
  return Object.fromEntries(keys.map((k) => [k, FILE_FIELDS[k] ?? k]));
}

const given = (v: unknown): boolean => v !== undefined && !(Array.isArray(v) && v.length === 0);

/**
 * `over` (the flags) over `base` (the config file): a field `over` gives wins,
 * an empty list gives nothing. Providers named by `over` keep their settings
 * from `base`; provider options, latencies by provider and report choices
 * merge field by field. The source is `base`'s, without the fields `over` gives.
 */
export function mergeRunConfig(base: RunConfig, over: RunConfig): RunConfig {
  const { source: _ignored, ...flags } = over;
  const givenKeys = new Set(Object.entries(flags).flatMap(([k, v]) => (given(v) ? [k] : [])));
  const givenReport = new Set(Object.entries(over.report ?? {}).flatMap(([k, v]) => (v !== undefined ? [`report.${k}`] : [])));
  const merged: RunConfig = { ...base, ...Object.fromEntries(Object.entries(flags).filter(([k]) => givenKeys.has(k))) };
  if (given(over.providers)) {
    const settingsOf = (spec: string): ProviderEntry | undefined => base.providers?.find((p): p is ProviderEntry => typeof p !== 'string' && p.spec === spec);
    merged.providers = (over.providers ?? []).map((p) => (typeof p === 'string' ? (settingsOf(p) ?? p) : p));
  }
  const providerOptions = { ...base.providerOptions, ...over.providerOptions };
  if (Object.keys(providerOptions).length > 0) merged.providerOptions = providerOptions;
  const latency = { ...base.modelLatencyByProvider, ...over.modelLatencyByProvider };
  if (Object.keys(latency).length > 0) merged.modelLatencyByProvider = latency;
  const report = { ...base.report, ...over.report };
  if (Object.keys(report).length > 0) merged.report = report;
  if (base.source !== undefined) {
    const kept = Object.entries(base.source.fields).filter(([k]) => !givenKeys.has(k) && !givenReport.has(k));
    merged.source = { file: base.source.file, fields: Object.fromEntries(kept) };
  }
  return merged;
}

/** The file and field a value came from, when it came from a file (or from `runSuite options`). */
export function sourceOf(source: ConfigSource | undefined, field: string): Omit<InputIssue, 'message'> | undefined {
  const path = source?.fields[field];
  return source !== undefined && path !== undefined ? { file: source.file, path } : undefined;
}
