import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { displayPath } from '../core/input-files.js';
import { loadVariants } from '../scenarios/load-variants.js';
import { loadScenarios } from '../scenarios/load-scenarios.js';
import { MANIFEST_FILE, readManifest } from '../core/run-file/run-files.js';
import type { RunFlags } from './flags.js';

/** Flags that define the matrix: on resume they come from the run's run.json. */
const MATRIX_FLAGS = {
  tags: '--tags',
  variants: '--variants',
  provider: '--provider',
  repeats: '--repeats',
  seed: '--seed',
  modelLatency: '--model-latency',
  maxTurns: '--max-turns',
  shard: '--shard',
  out: '--out',
  runId: '--run-id',
} as const satisfies Partial<Record<keyof RunFlags, string>>;

/** Flags that do not change the matrix and are not in run.json (where the files are, connection settings, secrets' names): a resume repeats them. */
const CARRIED_FLAGS = {
  scenarios: '--scenarios',
  prompts: '--prompts',
  config: '--config',
  concurrency: '--concurrency',
  baseUrl: '--base-url',
  temperature: '--temperature',
  maxTokens: '--max-tokens',
  timeout: '--timeout',
  maxRetries: '--max-retries',
  rpm: '--rpm',
  apiKeyEnv: '--api-key-env',
  record: '--record',
  replay: '--replay',
  maxFixtureBytes: '--max-fixture-bytes',
} as const satisfies Partial<Record<keyof RunFlags, string>>;

/**
 * The files of the run's scenarios or variants: where run.json recorded them,
 * or, when `--scenarios` / `--prompts` point elsewhere (a run made on another
 * machine), the files there with the same ids. Their content is checked
 * against the recorded hashes before anything runs.
 */
function relocate(flag: string, paths: readonly string[] | undefined, recorded: readonly { id: string; file: string }[], load: (paths: string[]) => { id: string; file: string }[]): string[] {
  if (paths === undefined || paths.length === 0) return recorded.map((r) => r.file);
  const found = new Map(load([...paths]).map((x) => [x.id, x.file]));
  const missing = recorded.filter((r) => !found.has(r.id)).map((r) => r.id);
  if (missing.length > 0) throw new UsageError(`--resume: ${flag} ${paths.join(', ')} has no valid file for ${missing.map((id) => `"${id}"`).join(', ')}`);
  return recorded.map((r) => found.get(r.id) as string);
}

/**
 * The flags of `run --resume <dir>`: the matrix (scenarios, variants,
 * providers, repeats, seed, shard, ...) is read from the run's run.json, so the
 * sessions still to run are exactly the ones the run planned. Flags that would
 * change the matrix are refused rather than silently ignored; `--scenarios`
 * and `--prompts` may only say where the same files are now.
 */
export function resumeFlags(opts: RunFlags, dir: string): RunFlags {
  const given = Object.entries(MATRIX_FLAGS)
    .filter(([k]) => opts[k as keyof RunFlags] !== undefined)
    .map(([, flag]) => flag);
  if (given.length > 0) throw new UsageError(`--resume takes the run's settings from ${join(dir, MANIFEST_FILE)}; drop ${given.join(', ')}`);
  if (!existsSync(join(dir, MANIFEST_FILE))) throw new UsageError(`--resume ${dir}: no ${MANIFEST_FILE} there; give a directory written by \`batchbench run\``);
  // Validated and migrated: a corrupt run.json stops here, naming the file and the field.
  const m = readManifest(dir);
  return {
    ...opts,
    scenarios: relocate('--scenarios', opts.scenarios, m.scenarios, (p) => loadScenarios(p, opts.maxFixtureBytes !== undefined ? { maxFixtureBytes: opts.maxFixtureBytes } : {}).scenarios),
    prompts: relocate('--prompts', opts.prompts, m.variants, (p) => loadVariants(p).variants),
    variants: m.config.variants,
    provider: m.config.providers.map((p) => p.id),
    repeats: m.config.repeats,
    seed: m.config.seed,
    modelLatency: { defaultMs: m.config.modelLatencyMs, byProvider: { ...m.config.modelLatencyByProvider } },
    maxTurns: m.config.maxTurns,
    out: dirname(dir),
    runId: basename(dir),
    concurrency: opts.concurrency ?? m.config.concurrency,
    ...(m.shard ? { shard: { index: m.shard.index, count: m.shard.count } } : {}),
  };
}

const quote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/** The command that continues `dir`, repeating the flags (with the values the user gave) that run.json does not hold. */
export function resumeCommand(dir: string, opts: RunFlags): string {
  const carried = Object.entries(CARRIED_FLAGS).flatMap(([k, flag]) => {
    const v = opts[k as keyof RunFlags];
    if (typeof v === 'string' || typeof v === 'number') return [flag, quote(String(v))];
    // Scenario and prompt paths matter only when a resume moved them; a fresh run recorded its own.
    if (Array.isArray(v) && opts.resume !== undefined) return v.flatMap((x) => [flag, quote(String(x))]);
    return [];
  });
  return ['batchbench', 'run', '--resume', quote(displayPath(dir)), ...carried].join(' ');
}
