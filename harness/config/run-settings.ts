import { UsageError } from '../core/errors.js';
import { formatLimit, LIMITS } from '../core/limits.js';
import { checkRunId } from '../core/run-file/run-id.js';
import { parseModelLatency } from '../core/model-latency.js';
import type { ProviderOptions } from '../providers/registry.js';
import type { BatchbenchConfig, ProviderConfig } from './schema.js';

/** Defaults of every run setting, used when neither the config file nor a flag gives one. */
export const RUN_DEFAULTS = {
  providers: ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal'],
  scenarios: ['scenarios'],
  variants: ['prompts'],
  repeats: 3,
  concurrency: 8,
  seed: 42,
  out: 'reports',
  modelLatencyMs: 800,
  maxTurns: 10,
} as const;

/** Command-line flags of `run`, as strings, all optional: what is given overrides the config file. */
export interface RunFlags {
  provider?: string[];
  scenarios?: string[];
  prompts?: string[];
  tags?: string[];
  variants?: string[];
  repeats?: string;
  concurrency?: string;
  seed?: string;
  out?: string;
  runId?: string;
  /** `<ms>` or `<provider>=<ms>`, repeatable. */
  modelLatency?: string | string[];
  maxTurns?: string;
  baseUrl?: string;
  temperature?: string;
  maxTokens?: string;
  timeout?: string;
  maxRetries?: string;
  rpm?: string;
  apiKeyEnv?: string;
  record?: string;
  replay?: string;
}

export interface ProviderSetting {
  spec: string;
  options: ProviderOptions;
}

/** Everything a run needs, after config file and flags are merged. */
export interface RunSettings {
  providers: ProviderSetting[];
  scenarioPaths: string[];
  variantPaths: string[];
  tags: string[];
  variantIds: string[];
  repeats: number;
  concurrency: number;
  seed: number;
  out: string;
  runId: string | undefined;
  modelLatencyMs: number;
  /** Model latency by provider id, over `modelLatencyMs` (`--model-latency <provider>=<ms>`, `model_latency_ms` of a provider in the config). */
  modelLatencyByProvider: Record<string, number>;
  maxTurns: number;
}

export function splitList(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  const list = typeof values === 'string' ? [values] : values;
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function int(value: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min} (got "${value}")`);
  if (n > max) throw new UsageError(`${flag} must be at most ${formatLimit(max)} (got "${value}"; see docs/limits.md)`);
  return n;
}

function num(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number (got "${value}")`);
  return n;
}

function fromConfig(p: ProviderConfig): ProviderOptions {
  return {
    ...(p.base_url !== undefined ? { baseUrl: p.base_url } : {}),
    ...(p.temperature !== undefined ? { temperature: p.temperature } : {}),
    ...(p.max_tokens !== undefined ? { maxTokens: p.max_tokens } : {}),
    ...(p.timeout_ms !== undefined ? { timeoutMs: p.timeout_ms } : {}),
    ...(p.max_retries !== undefined ? { maxRetries: p.max_retries } : {}),
    ...(p.concurrency !== undefined ? { concurrency: p.concurrency } : {}),
    ...(p.requests_per_minute !== undefined ? { requestsPerMinute: p.requests_per_minute } : {}),
    ...(p.api_key_env !== undefined ? { apiKeyEnv: p.api_key_env } : {}),
  };
}

/** Provider options given as flags; they apply to every provider of the run. */
export function providerFlags(flags: RunFlags): ProviderOptions {
  return {
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.temperature !== undefined ? { temperature: num(flags.temperature, '--temperature') } : {}),
    ...(flags.maxTokens !== undefined ? { maxTokens: int(flags.maxTokens, '--max-tokens', 1) } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: int(flags.timeout, '--timeout', 1) } : {}),
    ...(flags.maxRetries !== undefined ? { maxRetries: int(flags.maxRetries, '--max-retries', 0) } : {}),
    ...(flags.rpm !== undefined ? { requestsPerMinute: int(flags.rpm, '--rpm', 1) } : {}),
    ...(flags.apiKeyEnv !== undefined ? { apiKeyEnv: flags.apiKeyEnv } : {}),
    ...(flags.record !== undefined ? { recordDir: flags.record } : {}),
    ...(flags.replay !== undefined ? { replayDir: flags.replay } : {}),
  };
}

/** Merges the config file and the flags: a flag wins over the file, the file over the defaults. */
export function resolveRunSettings(config: BatchbenchConfig, flags: RunFlags): RunSettings {
  const shared = providerFlags(flags);
  const flagProviders = splitList(flags.provider);
  const providers: ProviderSetting[] =
    flagProviders.length > 0
      ? flagProviders.map((spec) => {
          const fromFile = config.providers?.find((p) => typeof p !== 'string' && p.id === spec);
          return { spec, options: { ...(fromFile && typeof fromFile !== 'string' ? fromConfig(fromFile) : {}), ...shared } };
        })
      : (config.providers ?? RUN_DEFAULTS.providers).map((p) =>
          typeof p === 'string' ? { spec: p, options: { ...shared } } : { spec: p.id, options: { ...fromConfig(p), ...shared } },
        );
  // A flag is checked as given; a config value too, as it may come from code rather than a checked file.
  const pick = (flag: string | undefined, name: string, field: string, fromFile: number | undefined, fallback: number, min: number, max?: number): number =>
    flag !== undefined ? int(flag, name, min, max) : fromFile !== undefined ? int(String(fromFile), `${field} (config)`, min, max) : fallback;
  const scenarioFlags = splitList(flags.scenarios);
  const latency = parseModelLatency(flags.modelLatency === undefined ? [] : typeof flags.modelLatency === 'string' ? [flags.modelLatency] : flags.modelLatency);
  const latencyFromConfig = Object.fromEntries(
    (config.providers ?? []).flatMap((p) => (typeof p !== 'string' && p.model_latency_ms !== undefined ? [[p.id, p.model_latency_ms] as const] : [])),
  );
  const promptFlags = splitList(flags.prompts);
  const tagFlags = splitList(flags.tags);
  return {
    providers,
    scenarioPaths: scenarioFlags.length > 0 ? scenarioFlags : (config.scenarios ?? [...RUN_DEFAULTS.scenarios]),
    variantPaths: promptFlags.length > 0 ? promptFlags : (config.prompts ?? [...RUN_DEFAULTS.variants]),
    tags: tagFlags.length > 0 ? tagFlags : (config.tags ?? []),
    variantIds: splitList(flags.variants).length > 0 ? splitList(flags.variants) : (config.variants ?? []),
    repeats: pick(flags.repeats, '--repeats', 'repeats', config.repeats, RUN_DEFAULTS.repeats, 1, LIMITS.repeats),
    concurrency: pick(flags.concurrency, '--concurrency', 'concurrency', config.concurrency, RUN_DEFAULTS.concurrency, 1, LIMITS.concurrency),
    seed: pick(flags.seed, '--seed', 'seed', config.seed, RUN_DEFAULTS.seed, 0),
    out: flags.out ?? config.out ?? RUN_DEFAULTS.out,
    runId: flags.runId === undefined ? undefined : checkRunId(flags.runId),
    modelLatencyMs: latency.defaultMs ?? config.model_latency_ms ?? RUN_DEFAULTS.modelLatencyMs,
    modelLatencyByProvider: { ...latencyFromConfig, ...latency.byProvider },
    maxTurns: pick(flags.maxTurns, '--max-turns', 'max_turns', config.max_turns, RUN_DEFAULTS.maxTurns, 1, LIMITS.maxTurns),
  };
}

/** The sizes of a run's matrix: providers x variants x scenarios x repeats. */
export interface MatrixSize {
  providers: number;
  variants: number;
  scenarios: number;
  repeats: number;
}

/** Throws a `UsageError` when the matrix holds more than `LIMITS.matrixSessions` sessions; checked before any session is planned. */
export function checkMatrixSize(m: MatrixSize): void {
  const sessions = m.providers * m.variants * m.scenarios * m.repeats;
  if (sessions <= LIMITS.matrixSessions) return;
  throw new UsageError(
    `the run would hold ${formatLimit(sessions)} sessions (${m.providers} provider(s) x ${m.variants} variant(s) x ${m.scenarios} scenario(s) x ${m.repeats} repeat(s)); ` +
      `at most ${formatLimit(LIMITS.matrixSessions)} (see docs/limits.md): lower --repeats or narrow --provider, --variants, --scenarios or --tags, or split the suite into several runs`,
  );
}
