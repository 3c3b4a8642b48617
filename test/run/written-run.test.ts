import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { readRun, SessionWriter, writeManifest } from '../../harness/core/run-file/run-files.js';
import { runSuite } from '../../harness/index.js';
import { tempDir } from '../cli/helpers.js';
import { PROJECT } from '../helpers.js';

const V1 = join(import.meta.dirname, '..', 'fixtures', 'v1-run');

describe('a fresh run keeps the records it wrote instead of reading them back', () => {
  it('returns the run readRun reads from its directory, field for field, in plan order', async () => {
    const out = tempDir('written-run');
    const run = await runSuite({
      providers: ['ref:sequential', 'ref:stochastic:0.5'],
      scenarios: [join(PROJECT, 'scenarios')],
      prompts: [join(PROJECT, 'prompts')],
      repeats: 2,
      concurrency: 3,
      out,
      runId: 'r',
      reports: false,
    });
    const read = readRun(join(out, 'r'));
    expect(run.sessions).toHaveLength(24);
    // Strict: no field the file lacks (an undefined one), nothing in another order.
    expect(run.sessions).toStrictEqual(read.sessions);
    expect(run.manifest).toStrictEqual(read.manifest);
    expect(run.cutLine).toBeUndefined();
  });

  it('the writer keeps each record as its line reads back, in the order written; a record with an undefined field is kept without it', () => {
    const v1 = readRun(V1);
    const dir = join(tempDir('written-run'), 'w');
    writeManifest(dir, v1.manifest);
    const writer = new SessionWriter(dir, { keep: true });
    const [first, ...rest] = v1.sessions.slice().reverse() as [SessionRecord, ...SessionRecord[]];
    writer.write({ ...first, extra: undefined });
    for (const s of rest) writer.write(s);
    writer.close();
    const lines = readFileSync(join(dir, 'sessions.jsonl'), 'utf8').trimEnd().split('\n');
    expect(writer.kept).toStrictEqual(lines.map((l) => JSON.parse(l) as unknown));
    expect(writer.kept?.[0]).not.toHaveProperty('extra');
    // Repeated texts are one string, as readRun shares them.
    const results = (writer.kept ?? []).flatMap((s) => s.turns.flatMap((t) => t.calls.map((c) => c.result)));
    expect(new Set(results).size).toBeLessThan(results.length);
  });

  it('keeps nothing when the sessions file already held lines (they would be missing)', () => {
    const dir = join(tempDir('written-run'), 'w');
    const v1 = readRun(V1);
    writeManifest(dir, v1.manifest);
    appendFileSync(join(dir, 'sessions.jsonl'), `${JSON.stringify(v1.sessions[0])}\n`);
    const writer = new SessionWriter(dir, { keep: true });
    writer.write(v1.sessions[1] as SessionRecord);
    writer.close();
    expect(writer.kept).toBeUndefined();
    expect(new SessionWriter(join(tempDir('written-run'), 'plain')).kept).toBeUndefined();
  });
});
