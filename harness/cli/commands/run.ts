import { dirname } from 'node:path';
import { loadConfig } from '../../config/load-config.js';
import { checkReportChoices } from '../../config/report-choices.js';
import { mergeRunConfig, runConfigFromFile, type RunConfig } from '../../config/run-config.js';
import { resolveRunSettings } from '../../config/run-settings.js';
import { FileWriteError, UsageError } from '../../core/errors.js';
import { displayPath } from '../../core/input-files.js';
import type { LoadedRun } from '../../core/run-file/run-files.js';
import type { ReportModel } from '../../metrics/report-model.js';
import type { ProviderOptions } from '../../providers/registry.js';
import { REFERENCE_PROMPT_SENTENCE } from '../../reports/format.js';
import { reportRun } from '../../reports/index.js';
import { runConfiguredSuite } from '../../run/run-configured.js';
import type { RunFlags } from '../flags.js';
import { EXIT, table, type CliIO } from '../io.js';
import { createProgress, type Progress } from '../progress.js';
import { resumeCommand, resumeFlags } from '../resume-flags.js';
import { runExitCode, runTrouble, troubleLines } from '../run-outcome.js';
import { reportOptionsFrom } from './report.js';
import { groupedNumber } from '../../core/grouped-number.js';

/** What the flags of `run` give, as a run config (the config file's values go under it: `mergeRunConfig`). */
export function runConfigFromFlags(flags: RunFlags): RunConfig {
  const providerOptions: ProviderOptions = {
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.temperature !== undefined ? { temperature: flags.temperature } : {}),
    ...(flags.maxTokens !== undefined ? { maxTokens: flags.maxTokens } : {}),
    ...(flags.timeout !== undefined ? { timeoutMs: flags.timeout } : {}),
    ...(flags.maxRetries !== undefined ? { maxRetries: flags.maxRetries } : {}),
    ...(flags.rpm !== undefined ? { requestsPerMinute: flags.rpm } : {}),
    ...(flags.apiKeyEnv !== undefined ? { apiKeyEnv: flags.apiKeyEnv } : {}),
    ...(flags.record !== undefined ? { recordDir: flags.record } : {}),
    ...(flags.replay !== undefined ? { replayDir: flags.replay } : {}),
  };
  const report = reportOptionsFrom(flags);
  const latency = flags.modelLatency;
  return {
    ...(flags.provider !== undefined ? { providers: flags.provider } : {}),
    ...(Object.keys(providerOptions).length > 0 ? { providerOptions } : {}),
    ...(flags.scenarios !== undefined ? { scenarios: flags.scenarios } : {}),
    ...(flags.prompts !== undefined ? { prompts: flags.prompts } : {}),
    ...(flags.tags !== undefined ? { tags: flags.tags } : {}),
    ...(flags.variants !== undefined ? { variants: flags.variants } : {}),
    ...(flags.repeats !== undefined ? { repeats: flags.repeats } : {}),
    ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.out !== undefined ? { out: flags.out } : {}),
    ...(flags.runId !== undefined ? { runId: flags.runId } : {}),
    ...(latency?.defaultMs !== undefined ? { modelLatencyMs: latency.defaultMs } : {}),
    ...(latency !== undefined && Object.keys(latency.byProvider).length > 0 ? { modelLatencyByProvider: latency.byProvider } : {}),
    ...(flags.maxTurns !== undefined ? { maxTurns: flags.maxTurns } : {}),
    ...(flags.maxFixtureBytes !== undefined ? { maxFixtureBytes: flags.maxFixtureBytes } : {}),
    ...(flags.shard !== undefined ? { shard: flags.shard } : {}),
    ...(flags.resume !== undefined ? { resume: true } : {}),
    ...(flags.keepErrored ? { keepErrored: true } : {}),
    ...(Object.keys(report).length > 0 ? { report } : {}),
  };
}

/** Runs the matrix, streams sessions to disk, writes every report, prints a summary. */
export async function runCommand(given: RunFlags, io: CliIO, signal?: AbortSignal): Promise<number> {
  if (given.keepErrored && given.resume === undefined) throw new UsageError('--keep-errored applies only with --resume <run-dir>');
  const flags = given.resume !== undefined ? resumeFlags(given, given.resume) : given;
  const { config: file, warnings, file: configFile } = await loadConfig(flags.config !== undefined ? { file: flags.config } : {});
  for (const w of warnings) io.err(`warning: ${w}`);
  // The flag, else the config file's `max_error_rate`, else 0: any errored session exits 3.
  const maxErrorRate = given.maxErrorRate ?? file.max_error_rate ?? 0;
  // Flags over the config file over the defaults, each checked once where it came from.
  const config = mergeRunConfig(runConfigFromFile(file, configFile), runConfigFromFlags(flags));
  const settings = resolveRunSettings(config);
  const reportOptions = config.report ?? {};
  const shard = settings.shard;
  let progress: Progress | undefined;
  let files: string[] = [];
  let model: ReportModel | undefined;
  let result: LoadedRun;
  try {
    result = await runConfiguredSuite(settings, {
      checkPlan: (matrix) => checkReportChoices(reportOptions, matrix, config.source),
      finish: async (run) => {
        ({ files, model } = await reportRun(run, reportOptions));
      },
      ...(signal ? { signal } : {}),
      log: (line) => io.err(line),
      onResume: (state) => {
        if (state.droppedLine) io.err(`warning: ${displayPath(state.droppedLine.file)}:${state.droppedLine.line}: dropped the last line, cut short (${state.droppedLine.bytes} bytes without a newline: the run stopped while writing it); that session runs again`);
        const again = state.rerun.errored.length + state.rerun.skipped.length;
        if (again > 0) io.err(`rerunning ${state.rerun.errored.length} errored and ${state.rerun.skipped.length} skipped session(s) of ${displayPath(state.dir)} (--keep-errored keeps them as they are)`);
        if (state.kept.errored + state.kept.skipped > 0) io.err(`keeping ${state.kept.errored} errored and ${state.kept.skipped} skipped session(s) as they are (--keep-errored)`);
      },
      onStart: (plan) => {
        if (!flags.quiet) {
          io.err(`running ${plan.planned} sessions: ${plan.providers} provider(s) x ${plan.variants} variant(s) x ${plan.scenarios} scenario(s) x ${plan.repeats} repeat(s)`);
          if (shard) io.err(`shard ${shard.index}/${shard.count} of ${plan.matrix} sessions`);
          if (given.resume !== undefined) io.err(`resuming ${displayPath(given.resume)}: sessions already on disk are kept, errored and skipped ones run again unless --keep-errored`);
        }
        progress = createProgress(flags.quiet ? 'none' : io.isTTY ? 'bar' : 'lines', plan.planned, io);
      },
      onSession: (record, written, total) => progress?.update(record, written, total),
    });
  } catch (e) {
    if (!(e instanceof FileWriteError)) throw e;
    progress?.stop();
    io.err(`error: ${e.message}`);
    // What is on disk, and the command that goes on from it once there is room.
    const dir = e.report !== undefined ? e.path : dirname(e.path);
    if (e.report !== undefined) io.err(`every session is in ${displayPath(dir)}; once the reports can be written: batchbench report ${displayPath(dir)}`);
    else io.err(`the sessions finished before it are kept in ${displayPath(dir)}; once there is room: ${resumeCommand(dir, given)}`);
    return 1;
  } finally {
    progress?.stop();
  }
  // The table printed is rendered from the model the reports were written from.
  if (model) printSummary(model, io);
  io.out(`run ${result.manifest.runId}: ${result.manifest.sessionsWritten}/${result.manifest.sessionsPlanned} sessions in ${displayPath(result.dir)}`);
  for (const f of files) io.out(`  ${displayPath(f)}`);
  const interrupted = result.manifest.state === 'interrupted';
  const trouble = runTrouble(result.sessions);
  // Errors are loud: counted per class on stderr, with the command that runs them again (the resume line below says it when interrupted).
  const lines = troubleLines(trouble, resumeCommand(result.dir, given));
  for (const line of interrupted ? lines.slice(0, -1) : lines) io.err(line);
  const code = runExitCode(trouble, interrupted, maxErrorRate);
  if (!interrupted && trouble.errored > 0 && code === EXIT.ok) {
    io.err(`errored share ${(trouble.errored / trouble.total).toFixed(3)} is within ${given.maxErrorRate !== undefined ? '--max-error-rate' : 'max_error_rate'} ${maxErrorRate}: exit 0`);
  }
  if (interrupted) {
    io.err('interrupted: the sessions above are on disk; the rest were not run');
    io.err(`resume with: ${resumeCommand(result.dir, given)}`);
  }
  return code;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * The terminal table of a run: per provider x variant, how many sessions and
 * how many of them were measured, errored or skipped, then the means over the
 * measured ones. A group with nothing measured shows "–", never 0; a run with
 * nothing measured shows no figures at all. Rendered from the reports' model.
 */
function printSummary(model: Pick<ReportModel, 'summaries' | 'sessions'>, io: CliIO): void {
  const groups = model.summaries;
  const nothing = groups.every((g) => g.measured === 0);
  const figures = (g: (typeof groups)[number]): string[] =>
    g.measured === 0 || nothing
      ? Array.from({ length: 7 }, () => '–')
      : [
          pct(g.successRate),
          g.mean.turns.toFixed(2),
          g.mean.overhead.toFixed(2),
          pct(g.mean.batchingRate),
          g.mean.avgToolsPerTurn.toFixed(2),
          g.mean.efficiencyScore.toFixed(2),
          `${groupedNumber(Math.round(g.mean.inputTokens))}${g.tokensEstimated ? '*' : ''}`,
        ];
  const rows = groups.map((g) => [
    g.providerKind === 'reference' ? `${g.providerId} (reference policy)` : g.providerId,
    g.variantId,
    String(g.sessions),
    String(g.measured),
    String(g.errored),
    String(g.skipped),
    ...figures(g),
  ]);
  for (const line of table(['provider', 'variant', 'sessions', 'measured', 'errored', 'skipped', 'success', 'turns', 'overhead', 'batching', 'tools/turn', 'efficiency', 'input tokens'], rows)) io.out(line);
  const unmeasured = groups.reduce((n, g) => n + g.errored + g.skipped, 0);
  if (nothing && model.sessions > 0) io.out('no session was measured (every one errored or was skipped): this run has no efficiency figures');
  else if (unmeasured > 0) io.out(`errored and skipped sessions are counted, never averaged: each row's figures, success rate included, rest on its measured sessions`);
  if (groups.some((g) => g.tokensEstimated)) io.out('* token counts estimated with the o200k_base tokenizer (the provider reported none)');
  if (groups.some((g) => g.providerKind === 'reference')) io.out("reference policies are computed from each task's dependency structure; they are not model results");
  if (new Set(groups.filter((g) => g.providerKind === 'reference').map((g) => g.variantId)).size > 1) io.out(REFERENCE_PROMPT_SENTENCE);
}

