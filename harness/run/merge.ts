import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../core/errors.js';
import type { RunManifest, SessionRecord } from '../core/run-file/records.js';
import { MANIFEST_FILE, readRun, SessionWriter, writeManifest, type LoadedRun } from '../core/run-file/run-files.js';
import { acquireRunLock, type RunLock } from '../core/run-file/run-lock.js';
import { inShard, plannedKeys } from '../core/matrix.js';
import { configDifferences } from '../core/run-file/same-config.js';
import type { RunResult } from './run-suite.js';

/** Run directories among `paths`: a directory with a run.json, or else each of its subdirectories that has one. */
export function findRunDirs(paths: readonly string[]): string[] {
  const dirs: string[] = [];
  for (const p of paths) {
    if (existsSync(join(p, MANIFEST_FILE))) {
      dirs.push(p);
      continue;
    }
    const children = existsSync(p) && statSync(p).isDirectory() ? readdirSync(p).sort().map((c) => join(p, c)) : [];
    const runs = children.filter((c) => existsSync(join(c, MANIFEST_FILE)));
    if (runs.length === 0) throw new UsageError(`${p}: not a run directory, and no subdirectory of it is one`);
    dirs.push(...runs);
  }
  return dirs;
}

/**
 * Joins the shards of one run (`run --shard i/n` on several machines) into a
 * single run at `outDir`, as if one machine had run the whole matrix with the
 * same seed. Refuses shards of different configurations, missing, duplicated
 * or unfinished shards, and sessions a shard should not hold; says which.
 * `outDir` is written under its lock (run-lock.ts): the caller's `lock`, or one
 * taken and released here.
 */
export function mergeShards(paths: readonly string[], outDir: string, options: { lock?: RunLock; log?: (line: string) => void } = {}): RunResult {
  const runs = findRunDirs(paths).map(readRun);
  if (runs.length === 0) throw new UsageError('merge needs at least one shard directory');
  if (existsSync(join(outDir, MANIFEST_FILE))) throw new UsageError(`${outDir} already holds a run; choose another --out`);
  const first = runs[0] as LoadedRun;
  const problems: string[] = [];
  for (const run of runs) {
    if (!run.manifest.shard) problems.push(`${run.dir} is not a shard (it was run without --shard)`);
    if (run.manifest.state !== 'finished' || run.sessions.length < run.manifest.sessionsPlanned) {
      problems.push(`${run.dir} is unfinished (${run.sessions.length}/${run.manifest.sessionsPlanned} sessions); finish it with \`batchbench run --resume ${run.dir}\``);
    }
    if (run.cutLine) problems.push(`${run.cutLine.file}:${run.cutLine.line} is cut short (the shard stopped while writing it); finish it with \`batchbench run --resume ${run.dir}\``);
    if (run !== first) problems.push(...configDifferences(first.manifest, run.manifest, [first.dir, run.dir], { shard: false }));
  }
  if (problems.length > 0) throw new UsageError(`cannot merge:\n  ${problems.join('\n  ')}`);

  const count = (first.manifest.shard as { count: number }).count;
  const byIndex = new Map<number, LoadedRun>();
  for (const run of runs) {
    const shard = run.manifest.shard as { index: number; count: number };
    if (shard.count !== count) problems.push(`${run.dir} is shard ${shard.index}/${shard.count}, ${first.dir} is one of ${count}`);
    const other = byIndex.get(shard.index);
    if (other) problems.push(`shard ${shard.index}/${count} given twice: ${other.dir} and ${run.dir}`);
    byIndex.set(shard.index, run);
  }
  for (let i = 1; i <= count; i++) if (!byIndex.has(i)) problems.push(`shard ${i}/${count} is missing`);
  if (problems.length > 0) throw new UsageError(`cannot merge:\n  ${problems.join('\n  ')}`);

  const c = first.manifest.config;
  const keys = plannedKeys({ providers: c.providers.map((p) => p.id), variants: c.variants, scenarios: c.scenarios, repeats: c.repeats });
  const position = new Map(keys.map((k, i) => [k, i]));
  const byKey = new Map<string, SessionRecord>();
  for (const run of runs) {
    const shard = run.manifest.shard as { index: number; count: number };
    for (const s of run.sessions) {
      const at = position.get(s.key);
      if (at === undefined || !inShard(at, shard)) problems.push(`${run.dir} holds session ${s.key}, which is not part of shard ${shard.index}/${count}`);
      else if (byKey.has(s.key)) problems.push(`session ${s.key} appears twice`);
      else byKey.set(s.key, s);
    }
  }
  const missing = keys.filter((k) => !byKey.has(k));
  if (missing.length > 0) problems.push(`${missing.length} session(s) of the matrix are in no shard, e.g. ${missing.slice(0, 3).join(', ')}`);
  if (problems.length > 0) throw new UsageError(`cannot merge:\n  ${problems.slice(0, 20).join('\n  ')}`);

  const runId = basename(outDir);
  const ordered = [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, run]) => run);
  const { shard: _shard, interrupted: _interrupted, resumedAt: _resumedAt, ...base } = first.manifest;
  const manifest: RunManifest = {
    ...base,
    runId,
    startedAt: ordered.map((r) => r.manifest.startedAt).sort()[0] as string,
    endedAt: ordered.map((r) => r.manifest.endedAt ?? '').sort().at(-1) ?? null,
    state: 'finished',
    sessionsPlanned: keys.length,
    sessionsWritten: keys.length,
    mergedFrom: ordered.map((r) => ({ runId: r.manifest.runId, shard: r.manifest.shard as { index: number; count: number } })),
  };
  const lock = options.lock ?? acquireRunLock(outDir, { command: 'merge', ...(options.log ? { log: options.log } : {}) });
  try {
    // Checked again under the lock: another merge may have written it meanwhile.
    if (existsSync(join(outDir, MANIFEST_FILE))) throw new UsageError(`${outDir} already holds a run; choose another --out`);
    writeManifest(outDir, manifest);
    const writer = new SessionWriter(outDir);
    try {
      for (const key of keys) writer.write({ ...(byKey.get(key) as SessionRecord), runId });
    } finally {
      writer.close();
    }
  } finally {
    if (!options.lock) lock.release();
  }
  return { dir: outDir, manifest };
}
