import { loadConfig } from '../../config/load-config.js';
import { resolveRunSettings, type RunFlags } from '../../config/run-settings.js';
import { UsageError } from '../../errors.js';
import { displayPath } from '../../input-files.js';
import { checkPriceOptions } from '../../reports/report-options.js';
import { summarise } from '../../metrics/summary.js';
import { createProvider } from '../../providers/registry.js';
import { writeReports } from '../../reports/index.js';
import { readRun } from '../../run/run-files.js';
import { runSuite } from '../../run/run-suite.js';
import { parseShard } from '../../run/shard.js';
import { resumeCommand, resumeFlags } from '../resume-flags.js';
import { EXIT, table, type CliIO } from '../io.js';
import { loadInputs } from '../load-inputs.js';
import { createProgress } from '../progress.js';
import { reportOptionsFrom, type ReportFlags } from './report.js';

export interface RunCommandOptions extends RunFlags, ReportFlags {
  config?: string;
  quiet?: boolean;
  /** `i/n`: run only the i-th of n deterministic parts of the matrix. */
  shard?: string;
  /** Run directory to continue: its settings come from its run.json. */
  resume?: string;
}

/** Runs the matrix, streams sessions to disk, writes every report, prints a summary. */
export async function runCommand(given: RunCommandOptions, io: CliIO, signal?: AbortSignal): Promise<number> {
  const opts = given.resume !== undefined ? resumeFlags(given, given.resume) : given;
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  const { config } = await loadConfig(opts.config !== undefined ? { file: opts.config } : {});
  const settings = resolveRunSettings(config, opts);
  const { scenarios, variants } = loadInputs({
    scenarios: settings.scenarioPaths,
    prompts: settings.variantPaths,
    tags: settings.tags,
    variants: settings.variantIds,
  });
  const reportOptions = reportOptionsFrom({
    ...(config.report?.baseline !== undefined ? { baseline: config.report.baseline } : {}),
    ...(config.report?.compare_by !== undefined ? { compareBy: config.report.compare_by } : {}),
    ...(config.report?.baseline_provider !== undefined ? { baselineProvider: config.report.baseline_provider } : {}),
    ...(config.report?.price_model !== undefined ? { priceModel: config.report.price_model } : {}),
    ...(config.report?.prices !== undefined ? { prices: config.report.prices } : {}),
    ...definedOnly(opts),
  });
  // Fail before running anything, not after every session has run.
  if (reportOptions.baseline !== undefined && !variants.some((v) => v.id === reportOptions.baseline)) {
    throw new UsageError(`--baseline "${reportOptions.baseline}" is not a variant of this run; its variants are: ${variants.map((v) => v.id).join(', ')}`);
  }
  if (reportOptions.baselineProvider !== undefined && !settings.providers.some((p) => p.spec === reportOptions.baselineProvider)) {
    throw new UsageError(`--baseline-provider "${reportOptions.baselineProvider}" is not a provider of this run; its providers are: ${settings.providers.map((p) => p.spec).join(', ')}`);
  }
  checkPriceOptions(reportOptions);
  const providers = settings.providers.map((p) => createProvider(p.spec, p.options));
  const matrix = providers.length * variants.length * scenarios.length * settings.repeats;
  // Shard i/n holds the sessions at plan positions i-1, i-1+n, ... (harness/run/shard.ts).
  const planned = shard ? Math.max(0, Math.floor((matrix - shard.index) / shard.count) + 1) : matrix;
  if (!opts.quiet) {
    io.err(`running ${planned} sessions: ${providers.length} provider(s) x ${variants.length} variant(s) x ${scenarios.length} scenario(s) x ${settings.repeats} repeat(s)`);
    if (shard) io.err(`shard ${shard.index}/${shard.count} of ${matrix} sessions`);
    if (given.resume !== undefined) io.err(`resuming ${displayPath(given.resume)}: sessions already on disk are kept`);
  }
  const progress = createProgress(opts.quiet ? 'none' : io.isTTY ? 'bar' : 'lines', planned, io);
  let result;
  try {
    result = await runSuite({
      scenarios,
      variants,
      providers,
      repeats: settings.repeats,
      concurrency: settings.concurrency,
      seed: settings.seed,
      outDir: settings.out,
      ...(settings.runId !== undefined ? { runId: settings.runId } : {}),
      modelLatencyMs: settings.modelLatencyMs,
      maxTurns: settings.maxTurns,
      ...(signal ? { signal } : {}),
      ...(shard ? { shard } : {}),
      ...(given.resume !== undefined ? { resume: true } : {}),
      onSession: (record, written, total) => progress.update(record, written, total),
    });
  } finally {
    progress.stop();
    await Promise.all(providers.map((p) => p.close?.()));
  }
  const files = await writeReports(result.dir, undefined, reportOptions);
  printSummary(result.dir, io);
  io.out(`run ${result.manifest.runId}: ${result.manifest.sessionsWritten}/${result.manifest.sessionsPlanned} sessions in ${displayPath(result.dir)}`);
  for (const f of files) io.out(`  ${displayPath(f)}`);
  if (result.manifest.state === 'interrupted') {
    io.err('interrupted: the sessions above are on disk; the rest were not run');
    io.err(`resume with: ${resumeCommand(result.dir, given)}`);
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
  if (groups.some((g) => g.providerKind === 'reference')) io.out("reference policies are computed from each task's dependency structure; they are not model results");
}

function definedOnly(flags: ReportFlags): ReportFlags {
  return {
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
    ...(flags.compareBy !== undefined ? { compareBy: flags.compareBy } : {}),
    ...(flags.baselineProvider !== undefined ? { baselineProvider: flags.baselineProvider } : {}),
    ...(flags.priceModel !== undefined ? { priceModel: flags.priceModel } : {}),
    ...(flags.prices !== undefined ? { prices: flags.prices } : {}),
    ...(flags.resamples !== undefined ? { resamples: flags.resamples } : {}),
  };
}
