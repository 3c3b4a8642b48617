import { UsageError } from '../core/errors.js';
import { formatLimit, LIMITS } from '../core/limits.js';
import type { Shard } from '../core/matrix.js';
import type { ProviderOptions } from '../providers/registry.js';
import type { ConfigSource, RunConfig } from './run-config.js';

export type { ConfigSource, ProviderEntry, RunConfig } from './run-config.js';

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

export interface ProviderSetting {
  spec: string;
  options: ProviderOptions;
}

/** Everything a run needs: a `RunConfig` with its defaults filled in. */
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
  maxFixtureBytes: number | undefined;
  shard: Shard | undefined;
  resume: boolean;
  keepErrored: boolean;
  /** Where the values came from (config/run-config.ts): errors about them name the file and the field. */
  source: ConfigSource | undefined;
}

export function splitList(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  const list = typeof values === 'string' ? [values] : values;
  return list.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

const listOr = (given: readonly string[] | undefined, fallback: readonly string[]): string[] => [...(given !== undefined && given.length > 0 ? given : fallback)];

/**
 * Fills in the defaults of a config that was checked where it came from (a
 * config file by its schema, flags by their parsers, a config given in code by
 * `checkRunConfig`). Settings for every provider go over each provider's own.
 */
export function resolveRunSettings(config: RunConfig): RunSettings {
  const shared = config.providerOptions ?? {};
  const providers = config.providers !== undefined && config.providers.length > 0 ? config.providers : RUN_DEFAULTS.providers;
  return {
    providers: providers.map((p) => (typeof p === 'string' ? { spec: p, options: { ...shared } } : { spec: p.spec, options: { ...p.options, ...shared } })),
    scenarioPaths: listOr(config.scenarios, RUN_DEFAULTS.scenarios),
    variantPaths: listOr(config.prompts, RUN_DEFAULTS.variants),
    tags: listOr(config.tags, []),
    variantIds: listOr(config.variants, []),
    repeats: config.repeats ?? RUN_DEFAULTS.repeats,
    concurrency: config.concurrency ?? RUN_DEFAULTS.concurrency,
    seed: config.seed ?? RUN_DEFAULTS.seed,
    out: config.out ?? RUN_DEFAULTS.out,
    runId: config.runId,
    modelLatencyMs: config.modelLatencyMs ?? RUN_DEFAULTS.modelLatencyMs,
    modelLatencyByProvider: { ...config.modelLatencyByProvider },
    maxTurns: config.maxTurns ?? RUN_DEFAULTS.maxTurns,
    maxFixtureBytes: config.maxFixtureBytes,
    shard: config.shard,
    resume: config.resume ?? false,
    keepErrored: config.keepErrored ?? false,
    source: config.source,
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
