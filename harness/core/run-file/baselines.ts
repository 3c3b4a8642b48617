import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { InputError, UsageError } from '../errors.js';
import { displayPath, readInputFile, validateWith } from '../input-files.js';
import { MANIFEST_FILE, readRun, SESSIONS_GZ_FILE, type CutLine } from './run-files.js';

/** Where saved baselines live unless `--baselines` says otherwise. */
export const DEFAULT_BASELINES_DIR = join('reports', 'baselines');
export const DEFAULT_BASELINE_NAME = 'default';
const INFO_FILE = 'baseline.json';

const baselineInfoSchema = z.strictObject({
  name: z.string(),
  runId: z.string(),
  /** The run directory it was copied from. */
  source: z.string(),
  savedAt: z.string(),
  sessions: z.number().int().nonnegative(),
});

export type BaselineInfo = z.infer<typeof baselineInfoSchema>;

/** A saved baseline's baseline.json, checked like every file batchbench reads: a broken one names the file and the field. */
function readInfo(file: string): BaselineInfo {
  const read = readInputFile(file, displayPath(file), 64 * 1024);
  if (read.text === undefined) throw new InputError(read.issues);
  let value: unknown;
  try {
    value = JSON.parse(read.text);
  } catch (e) {
    throw new InputError([{ file: displayPath(file), path: '', message: `not valid JSON: ${(e as Error).message}` }]);
  }
  const { data, issues } = validateWith(baselineInfoSchema, value, displayPath(file));
  if (data === undefined) throw new InputError(issues);
  return data;
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new UsageError(`baseline name "${name}" must be letters, digits, '.', '_' or '-' (e.g. nightly, main, gpt-4o-2025-01)`);
}

/**
 * Saves a finished run as the baseline `name`: its run.json and its sessions
 * gzipped (everything a comparison needs; `sessions.jsonl.gz`, about a tenth of
 * the size, small enough to commit or cache) under `<baselinesDir>/<name>/`,
 * replacing a previous baseline of that name in one rename. Both are written
 * from the records read, validated and in the current format; a last line cut
 * by a crash is not carried over (`cutLine` says so).
 */
export function saveBaseline(runDir: string, name: string, baselinesDir: string, now: Date = new Date()): { dir: string; info: BaselineInfo; cutLine?: CutLine } {
  checkName(name);
  const run = readRun(runDir);
  const m = run.manifest;
  if (m.state !== 'finished') throw new UsageError(`${runDir} is ${m.state} (${m.sessionsWritten}/${m.sessionsPlanned} sessions); finish it with \`batchbench run --resume ${runDir}\` before saving it as a baseline`);
  if (m.shard) throw new UsageError(`${runDir} is only shard ${m.shard.index}/${m.shard.count}; join the shards with \`batchbench merge\` and save the merged run`);
  const dir = join(baselinesDir, name);
  const tmp = join(baselinesDir, `.${name}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, MANIFEST_FILE), `${JSON.stringify(m, null, 2)}\n`);
  writeFileSync(join(tmp, SESSIONS_GZ_FILE), gzipSync(run.sessions.map((s) => `${JSON.stringify(s)}\n`).join(''), { level: 9 }));
  const info: BaselineInfo = { name, runId: m.runId, source: resolve(runDir), savedAt: now.toISOString(), sessions: run.sessions.length };
  writeFileSync(join(tmp, INFO_FILE), `${JSON.stringify(info, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return run.cutLine ? { dir, info, cutLine: run.cutLine } : { dir, info };
}

/** Saved baselines, by name. */
export function listBaselines(baselinesDir: string): BaselineInfo[] {
  if (!existsSync(baselinesDir)) return [];
  return readdirSync(baselinesDir)
    .filter((n) => !n.startsWith('.') && existsSync(join(baselinesDir, n, INFO_FILE)))
    .sort()
    .map((n) => readInfo(join(baselinesDir, n, INFO_FILE)));
}

/** The run directory of the baseline `name`; a usage error naming the saved ones when there is none. */
export function baselineDir(name: string, baselinesDir: string): string {
  checkName(name);
  const dir = join(baselinesDir, name);
  if (existsSync(join(dir, MANIFEST_FILE))) return dir;
  const saved = listBaselines(baselinesDir).map((b) => b.name);
  throw new UsageError(
    `no baseline named "${name}" in ${baselinesDir} (${saved.length > 0 ? `saved: ${saved.join(', ')}` : 'none saved yet'}); save one with \`batchbench baseline save <run-dir> --name ${name}\``,
  );
}
