import { parseMaxFixtureBytes } from '../../run/load-inputs.js';
import { runConfiguredSuite } from '../../run/run-configured.js';
import { loadConfig } from '../../config/load-config.js';
import type { RunFlags } from '../../config/run-settings.js';
import { displayPath } from '../../core/input-files.js';
import type { ReportModel } from '../../metrics/report-model.js';
import { REFERENCE_PROMPT_SENTENCE } from '../../reports/format.js';
import { parseShard } from '../../core/matrix.js';
import { EXIT, table, type CliIO } from '../io.js';
import { createProgress, type Progress } from '../progress.js';
import { resumeCommand, resumeFlags } from '../resume-flags.js';
import { parseMaxErrorRate, runExitCode, runTrouble, troubleLines } from '../run-outcome.js';
import { UsageError } from '../../core/errors.js';
import { reportOptionsFrom, type ReportFlags } from './report.js';

export interface RunCommandOptions extends RunFlags, ReportFlags {
  config?: string;
  quiet?: boolean;
  /** `i/n`: run only the i-th of n deterministic parts of the matrix. */
  shard?: string;
  /** Run directory to continue: its settings come from its run.json. */
  resume?: string;
  /** Largest fixture or handler module in bytes; overrides the config's `max_fixture_bytes`. */
  maxFixtureBytes?: string;
  /** With `resume`: keep errored and skipped sessions as they are instead of running them again. */
  keepErrored?: boolean;
  /** Share (0..1) of errored sessions that still exits 0 (default 0). */
  maxErrorRate?: string;
}

/** Runs the matrix, streams sessions to disk, writes every report, prints a summary. */
export async function runCommand(given: RunCommandOptions, io: CliIO, signal?: AbortSignal): Promise<number> {
  const maxErrorRate = parseMaxErrorRate(given.maxErrorRate);
  if (given.keepErrored && given.resume === undefined) throw new UsageError('--keep-errored applies only with --resume <run-dir>');
  const opts = given.resume !== undefined ? resumeFlags(given, given.resume) : given;
  const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
  const { config, warnings, file: configFile } = await loadConfig(opts.config !== undefined ? { file: opts.config } : {});
  for (const w of warnings) io.err(`warning: ${w}`);
  let progress: Progress | undefined;
  let result;
  try {
    result = await runConfiguredSuite({
      ...config,
      ...(configFile !== undefined ? { configFile } : {}),
      ...(opts.maxFixtureBytes !== undefined ? { max_fixture_bytes: parseMaxFixtureBytes(opts.maxFixtureBytes) } : {}),
      flags: opts,
      reportOptions: reportOptionsFrom(opts),
      ...(shard ? { shard } : {}),
      ...(given.resume !== undefined ? { resume: true } : {}),
      ...(given.keepErrored ? { keepErrored: true } : {}),
      ...(signal ? { signal } : {}),
      log: (line) => io.err(line),
      onResume: (state) => {
        const again = state.rerun.errored.length + state.rerun.skipped.length;
        if (again > 0) io.err(`rerunning ${state.rerun.errored.length} errored and ${state.rerun.skipped.length} skipped session(s) of ${displayPath(state.dir)} (--keep-errored keeps them as they are)`);
        if (state.kept.errored + state.kept.skipped > 0) io.err(`keeping ${state.kept.errored} errored and ${state.kept.skipped} skipped session(s) as they are (--keep-errored)`);
      },
      onStart: (plan) => {
        if (!opts.quiet) {
          io.err(`running ${plan.planned} sessions: ${plan.providers} provider(s) x ${plan.variants} variant(s) x ${plan.scenarios} scenario(s) x ${plan.repeats} repeat(s)`);
          if (shard) io.err(`shard ${shard.index}/${shard.count} of ${plan.matrix} sessions`);
          if (given.resume !== undefined) io.err(`resuming ${displayPath(given.resume)}: sessions already on disk are kept, errored and skipped ones run again unless --keep-errored`);
        }
        progress = createProgress(opts.quiet ? 'none' : io.isTTY ? 'bar' : 'lines', plan.planned, io);
      },
      onSession: (record, written, total) => progress?.update(record, written, total),
    });
  } finally {
    progress?.stop();
  }
  // The CLI always writes the reports, so the run comes back with the model they were rendered from.
  if (result.model) printSummary(result.model, io);
  io.out(`run ${result.manifest.runId}: ${result.manifest.sessionsWritten}/${result.manifest.sessionsPlanned} sessions in ${displayPath(result.dir)}`);
  for (const f of result.files) io.out(`  ${displayPath(f)}`);
  const interrupted = result.manifest.state === 'interrupted';
  const trouble = runTrouble(result.sessions);
  // Errors are loud: counted per class on stderr, with the command that runs them again (the resume line below says it when interrupted).
  const lines = troubleLines(trouble, resumeCommand(result.dir, given));
  for (const line of interrupted ? lines.slice(0, -1) : lines) io.err(line);
  const code = runExitCode(trouble, interrupted, maxErrorRate);
  if (!interrupted && trouble.errored > 0 && code === EXIT.ok) {
    io.err(`errored share ${(trouble.errored / trouble.total).toFixed(3)} is within --max-error-rate ${maxErrorRate}: exit 0`);
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
          `${Math.round(g.mean.inputTokens).toLocaleString('en-US')}${g.tokensEstimated ? '*' : ''}`,
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

