import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli/program.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { captureIO, PROJECT } from '../helpers.js';

export const INPUTS = ['--scenarios', join(PROJECT, 'scenarios'), '--prompts', join(PROJECT, 'prompts')];

export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `bb-${prefix}-`));

/** Runs the CLI in-process; returns the exit code and what it printed. */
export async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

/** `batchbench run` on the fixture project into `<out>/<runId>`. */
export async function fixtureRun(out: string, runId: string, extra: readonly string[]): Promise<{ code: number; dir: string; out: string; err: string }> {
  const r = await cli(['run', ...INPUTS, '--out', out, '--run-id', runId, '--quiet', ...extra]);
  return { ...r, dir: join(out, runId) };
}

/**
 * A session without what legitimately differs between two runs of it: run id, clock times, real latencies; as
 * JSON with its keys in sorted order (a record read back keeps the key order of the line it was written as).
 */
export function comparable(s: SessionRecord): string {
  const { runId: _r, startedAt: _s, finishedAt: _f, realMs: _m, ...rest } = s;
  return JSON.stringify({ ...rest, turns: rest.turns.map(({ realLatencyMs: _l, ...t }) => t) }, (_key, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : value,
  );
}
