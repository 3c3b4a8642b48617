import { displayPath } from '../../input-files.js';
import { summarise } from '../../metrics/summary.js';
import { createProvider, type ProviderOptions } from '../../providers/registry.js';
import { readRun } from '../../run/run-files.js';
import { runSuite } from '../../run/run-suite.js';
import { writeReports } from '../../reports/index.js';
import { UsageError } from '../../errors.js';
import { EXIT, splitList, table, type CliIO } from '../io.js';
import { loadInputs, type InputOptions } from '../load-inputs.js';
import { createProgress } from '../progress.js';

export const DEFAULT_PROVIDERS = ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal'];

export interface RunCommandOptions extends InputOptions {
  provider?: string[] | string;
  repeats: string;
  concurrency: string;
  seed: string;
  out: string;
  runId?: string;
  modelLatency: string;
  maxTurns: string;
  quiet?: boolean;
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

function int(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${flag} must be an integer >= ${min} (got "${value}")`);
  return n;
}

function num(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new UsageError(`${flag} must be a number (got "${value}")`);
  return n;
}

export function providerOptionsFrom(opts: RunCommandOptions): ProviderOptions {
  return {
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    ...(opts.temperature !== undefined ? { temperature: num(opts.temperature, '--temperature') } : {}),
    ...(opts.maxTokens !== undefined ? { maxTokens: int(opts.maxTokens, '--max-tokens', 1) } : {}),
    ...(opts.timeout !== undefined ? { timeoutMs: int(opts.timeout, '--timeout', 1) } : {}),
    ...(opts.maxRetries !== undefined ? { maxRetries: int(opts.maxRetries, '--max-retries', 0) } : {}),
    ...(opts.rpm !== undefined ? { requestsPerMinute: int(opts.rpm, '--rpm', 1) } : {}),
    ...(opts.apiKeyEnv !== undefined ? { apiKeyEnv: opts.apiKeyEnv } : {}),
    ...(opts.record !== undefined ? { recordDir: opts.record } : {}),
    ...(opts.replay !== undefined ? { replayDir: opts.replay } : {}),
  };
}

/** Runs the matrix, streams sessions to disk, writes every report, prints a summary. */
export async function runCommand(opts: RunCommandOptions, io: CliIO, signal?: AbortSignal): Promise<number> {
  const { scenarios, variants } = loadInputs(opts);
  const specs = splitList(opts.provider);
  const providerOptions = providerOptionsFrom(opts);
  const providers = (specs.length > 0 ? specs : DEFAULT_PROVIDERS).map((spec) => createProvider(spec, providerOptions));
  const repeats = int(opts.repeats, '--repeats', 1);
  const planned = providers.length * variants.length * scenarios.length * repeats;
  const progress = createProgress(opts.quiet ? 'none' : io.isTTY ? 'bar' : 'lines', planned, io);
  if (!opts.quiet) {
    io.err(`running ${planned} sessions: ${providers.length} provider(s) x ${variants.length} variant(s) x ${scenarios.length} scenario(s) x ${repeats} repeat(s)`);
  }
  let result;
  try {
    result = await runSuite({
      scenarios,
      variants,
      providers,
      repeats,
      concurrency: int(opts.concurrency, '--concurrency', 1),
      seed: int(opts.seed, '--seed', 0),
      outDir: opts.out,
      ...(opts.runId !== undefined ? { runId: opts.runId } : {}),
      modelLatencyMs: int(opts.modelLatency, '--model-latency', 0),
      maxTurns: int(opts.maxTurns, '--max-turns', 1),
      ...(signal ? { signal } : {}),
      onSession: (record, written, total) => progress.update(record, written, total),
    });
  } finally {
    progress.stop();
    await Promise.all(providers.map((p) => p.close?.()));
  }
  const files = await writeReports(result.dir);
  printSummary(result.dir, io);
  io.out(`run ${result.manifest.runId}: ${result.manifest.sessionsWritten}/${result.manifest.sessionsPlanned} sessions in ${displayPath(result.dir)}`);
  for (const f of files) io.out(`  ${displayPath(f)}`);
  if (result.manifest.state === 'interrupted') {
    io.err('interrupted: the sessions above are on disk; the rest were not run');
    return EXIT.interrupted;
  }
  return EXIT.ok;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function printSummary(dir: string, io: CliIO): void {
  const groups = summarise(readRun(dir).sessions);
  const rows = groups.map((g) => [
    g.providerKind === 'reference' ? `${g.providerId} (reference policy)` : g.providerId,
    g.variantId,
    String(g.sessions),
    pct(g.successRate),
    g.mean.turns.toFixed(2),
    g.mean.overhead.toFixed(2),
    pct(g.mean.batchingRate),
    g.mean.avgToolsPerTurn.toFixed(2),
    g.mean.efficiencyScore.toFixed(2),
    `${Math.round(g.mean.inputTokens).toLocaleString('en-US')}${g.tokensEstimated ? '*' : ''}`,
  ]);
  for (const line of table(['provider', 'variant', 'sessions', 'success', 'turns', 'overhead', 'batching', 'tools/turn', 'efficiency', 'input tokens'], rows)) io.out(line);
  if (groups.some((g) => g.tokensEstimated)) io.out('* token counts estimated with the o200k_base tokenizer (the provider reported none)');
  io.out('means per session; reference policies are computed from each task\'s dependency structure, not model results');
}
