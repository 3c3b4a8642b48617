import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { summarise } from './summary.js';
import type { RunManifest } from '../core/run-file/records.js';
import { MANIFEST_FILE, readRun, type CutLine, type LoadedRun } from '../core/run-file/run-files.js';

/** Identity of a suite: its scenario ids and content hashes. Runs with the same fingerprint measured the same tasks. */
export function suiteFingerprint(manifest: RunManifest): string {
  const text = manifest.scenarios
    .map((s) => `${s.id}:${s.hash}`)
    .sort()
    .join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** One provider x variant group of one run: the key metrics, as history.csv holds them. */
export interface HistoryRow {
  run_id: string;
  started_at: string;
  suite: string;
  provider: string;
  variant: string;
  sessions: number;
  /** Sessions the figures rest on; errored and skipped ones are counted, never averaged. */
  measured: number;
  errored: number;
  skipped: number;
  /** Completed over measured; every mean over the measured sessions (NaN, an empty cell, when none). */
  success_rate: number;
  mean_turns: number;
  mean_overhead: number;
  mean_batching_rate: number;
  mean_tools_per_turn: number;
  mean_efficiency_score: number;
  mean_input_tokens: number;
  mean_output_tokens: number;
}

export interface History {
  suite: string;
  /** The runs the rows come from; `cutLine` when the last line of a run's sessions file was cut short (left out). */
  runs: { runId: string; startedAt: string; dir: string; cutLine?: CutLine }[];
  rows: HistoryRow[];
  /** Run directories left out, with why (other suite, unfinished, a shard). A corrupt run file is an error, not left out. */
  skipped: { dir: string; why: string }[];
}

/** Finished, whole runs directly under `dirs` (each child directory with a run.json). */
function findRuns(dirs: readonly string[]): { runs: LoadedRun[]; skipped: History['skipped'] } {
  const runs: LoadedRun[] = [];
  const skipped: History['skipped'] = [];
  const seen = new Set<string>();
  for (const parent of dirs) {
    if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new UsageError(`${parent}: no such directory of runs`);
    for (const child of readdirSync(parent).sort()) {
      const dir = join(parent, child);
      if (!existsSync(join(dir, MANIFEST_FILE))) continue;
      const run = readRun(dir);
      const m = run.manifest;
      if (m.state !== 'finished') skipped.push({ dir, why: `${m.state} (${m.sessionsWritten}/${m.sessionsPlanned} sessions)` });
      else if (m.shard) skipped.push({ dir, why: `only shard ${m.shard.index}/${m.shard.count}` });
      else if (seen.has(m.runId)) skipped.push({ dir, why: `run ${m.runId} already seen` });
      else {
        seen.add(m.runId);
        runs.push(run);
      }
    }
  }
  return { runs, skipped };
}

/**
 * The last `last` finished runs of one suite under `dirs`, oldest first, with
 * the key metrics of each provider x variant group. The suite is the one of
 * `suiteOf` (a run directory) if given, else the one of the newest run.
 */
export function collectHistory(dirs: readonly string[], options: { last: number; suiteOf?: string }): History {
  const found = findRuns(dirs);
  const byTime = [...found.runs].sort((a, b) => a.manifest.startedAt.localeCompare(b.manifest.startedAt));
  const newest = byTime.at(-1);
  if (!newest && options.suiteOf === undefined) throw new UsageError(`no finished run under ${dirs.join(', ')}`);
  const suite = suiteFingerprint(options.suiteOf !== undefined ? readRun(options.suiteOf).manifest : (newest as LoadedRun).manifest);
  const skipped = [...found.skipped];
  const same = byTime.filter((r) => {
    const ok = suiteFingerprint(r.manifest) === suite;
    if (!ok) skipped.push({ dir: r.dir, why: `another suite (${suiteFingerprint(r.manifest)})` });
    return ok;
  });
  const chosen = same.slice(-options.last);
  const rows = chosen.flatMap((run) =>
    summarise(run.sessions).map((g) => ({
      run_id: run.manifest.runId,
      started_at: run.manifest.startedAt,
      suite,
      provider: g.providerId,
      variant: g.variantId,
      sessions: g.sessions,
      measured: g.measured,
      errored: g.errored,
      skipped: g.skipped,
      success_rate: g.successRate,
      mean_turns: g.mean.turns,
      mean_overhead: g.mean.overhead,
      mean_batching_rate: g.mean.batchingRate,
      mean_tools_per_turn: g.mean.avgToolsPerTurn,
      mean_efficiency_score: g.mean.efficiencyScore,
      mean_input_tokens: g.mean.inputTokens,
      mean_output_tokens: g.mean.outputTokens,
    })),
  );
  return { suite, runs: chosen.map((r) => ({ runId: r.manifest.runId, startedAt: r.manifest.startedAt, dir: r.dir, ...(r.cutLine ? { cutLine: r.cutLine } : {}) })), rows, skipped };
}
