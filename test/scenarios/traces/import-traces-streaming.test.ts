import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './temp-dirs.js';
import { importTraces } from '../../../harness/run/traces/import-traces.js';
import { readOpenAiChatLine } from '../../../harness/run/traces/openai-chat.js';
import { makeRedactor, type Redactor } from '../../../harness/run/traces/redact.js';
import { SessionAssembler, SessionGrouper } from '../../../harness/run/traces/rebuild-sessions.js';
import type { SessionRecord, TraceData } from '../../../harness/core/run-file/records.js';
import { readRun } from '../../../harness/core/run-file/run-files.js';
import { chain, chatLines, interleave, oneAtATime, otelLines } from './build-traces.js';

afterAll(removeTempDirs);

const sessionIds = (sessions: readonly SessionRecord[]): string[] => sessions.map((s) => (s.extra?.trace as TraceData).sessionId);
/** A record with what depends on where and as what it was written (run id, source file names) taken out. */
const portable = (s: SessionRecord): unknown => ({ ...s, runId: '', extra: { trace: { ...(s.extra?.trace as TraceData), sources: (s.extra?.trace as TraceData).sources.map((x) => x.replace(/^.*:/, '')) } } });

describe('import traces holds only the open sessions', () => {
  it('the assembler hands back a session at its last call and keeps only those still open', () => {
    // s1 (six calls) starts first; s2 (four calls) ends first, at line 8.
    const lines = interleave(chatLines(oneAtATime('x')), chatLines(chain('y')));
    const calls = lines.map((l, i) => readOpenAiChatLine(JSON.parse(l), { file: 't.jsonl', line: i + 1 }));
    const grouper = new SessionGrouper();
    const placements = calls.map((c) => grouper.add(c));
    expect([grouper.sessions, grouper.callsOf(0), grouper.callsOf(1), grouper.modelOf(0)]).toEqual([2, 6, 4, 'gpt-4o']);
    const again = lines.map((l, i) => readOpenAiChatLine(JSON.parse(l), { file: 't.jsonl', line: i + 1 }));
    const assembler = new SessionAssembler((s) => grouper.callsOf(s));
    const done: [number, string, number, number][] = [];
    again.forEach((c, i) => {
      const s = assembler.add(c, placements[i] as (typeof placements)[number]);
      if (s !== undefined) done.push([i + 1, s.id, s.calls.length, assembler.open]);
    });
    expect(done).toEqual([
      [8, 's2', 4, 1],
      [10, 's1', 6, 0],
    ]);
  });

  it('writes each session when it ends; readers still get them in session order', async () => {
    const dir = tempDir('bb-traces-stream-');
    writeFileSync(join(dir, 'trace.jsonl'), `${interleave(chatLines(oneAtATime('x')), chatLines(chain('y'))).join('\n')}\n`);
    const result = await importTraces({ files: [join(dir, 'trace.jsonl')], out: join(dir, 'run'), skipInvalid: false, redact: makeRedactor([]) });
    expect([result.issues, result.sessions, result.calls]).toEqual([[], 2, 10]);
    const raw = readFileSync(join(dir, 'run', 'sessions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SessionRecord);
    expect(sessionIds(raw)).toEqual(['s2', 's1']);
    expect(raw.map((s) => s.repeat)).toEqual([2, 1]);
    expect(sessionIds(readRun(join(dir, 'run')).sessions)).toEqual(['s1', 's2']);
  });

  it('reads a pipe once, through a copy beside the output that is removed afterwards, to the same sessions as the file', async () => {
    const dir = tempDir('bb-traces-fifo-');
    const text = `${interleave(chatLines(oneAtATime('x')), chatLines(chain('y'))).join('\n')}\n`;
    writeFileSync(join(dir, 'trace.jsonl'), text);
    const fromFile = await importTraces({ files: [join(dir, 'trace.jsonl')], out: join(dir, 'from-file'), skipInvalid: false, redact: makeRedactor([]) });
    expect(fromFile.issues).toEqual([]);
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', `cat "${join(dir, 'trace.jsonl')}" > "${fifo}"`], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.once('exit', resolve));
    const fromPipe = await importTraces({ files: [fifo], out: join(dir, 'from-pipe'), skipInvalid: false, redact: makeRedactor([]) });
    expect(await written).toBe(0);
    expect([fromPipe.issues, fromPipe.sessions, fromPipe.calls]).toEqual([[], 2, 10]);
    expect(readRun(join(dir, 'from-pipe')).sessions.map(portable)).toEqual(readRun(join(dir, 'from-file')).sessions.map(portable));
    const files = (d: string): { sha256: string; lines: number }[] => (JSON.parse(readFileSync(join(dir, d, 'run.json'), 'utf8')) as { imported: { files: { sha256: string; lines: number }[] } }).imported.files;
    expect(files('from-pipe').map((f) => [f.sha256, f.lines])).toEqual([[createHash('sha256').update(text).digest('hex'), 10]]);
    expect(readdirSync(dir).sort()).toEqual(['from-file', 'from-pipe', 'pipe', 'trace.jsonl']);
  });

  it('with --skip-invalid, the lines the grouper refused are skipped in both readings', async () => {
    const dir = tempDir('bb-traces-ungrouped-');
    // y is whole; a's first two calls are missing, so its four later lines answer tool calls of nothing in the trace.
    const lines = interleave(chatLines(chain('y')), chatLines(oneAtATime('a')).slice(2));
    writeFileSync(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
    const result = await importTraces({ files: [join(dir, 'trace.jsonl')], out: join(dir, 'run'), skipInvalid: true, redact: makeRedactor([]) });
    expect([result.issues, [...result.skipped], result.sessions, result.calls]).toEqual([[], [['cannot be grouped', 4]], 1, 4]);
    const [session] = readRun(join(dir, 'run')).sessions;
    expect((session?.extra?.trace as TraceData).sources.map((x) => x.replace(/^.*:/, ''))).toEqual(['1', '3', '5', '7']);
    expect(session?.turns.map((t) => t.calls.length)).toEqual([1, 1, 1, 0]);
  });

  it.each([
    ['rewritten with as many lines', (): string[] => chatLines(oneAtATime('z'))],
    ['grown by another conversation', (): string[] => interleave(chatLines(oneAtATime('z')), chatLines(chain('w')))],
  ])('a file that changes between the two readings (%s) stops the import, naming it, with nothing written', async (_how, rewrite) => {
    const dir = tempDir('bb-traces-changed-');
    const file = join(dir, 'trace.jsonl');
    const lines = chatLines(oneAtATime('x'));
    writeFileSync(file, `${lines.join('\n')}\n`);
    // A redactor that, when the first reading reaches the last line, rewrites the file as another process might.
    let seen = 0;
    const redact: Redactor = Object.assign((t: string) => t, {
      needed: (): boolean => {
        seen += 1;
        if (seen === lines.length) writeFileSync(file, `${rewrite().join('\n')}\n`);
        return false;
      },
    });
    const result = await importTraces({ files: [file], out: join(dir, 'run'), skipInvalid: false, redact });
    expect(result.issues).toEqual([{ file, path: '', message: 'changed while it was being imported: import it again once nothing writes to it' }]);
    expect(readdirSync(dir)).toEqual(['trace.jsonl']);
  });

  it('Ctrl-C stops the import of a pipe whose writer is quiet, exits 130 at once and leaves nothing behind', async () => {
    const dir = tempDir('bb-traces-sigint-');
    writeFileSync(join(dir, 'trace.jsonl'), `${chatLines(oneAtATime('x')).join('\n')}\n`);
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The writer sends six lines and keeps the pipe open without writing, as a quiet log does.
    const writer = spawn('sh', ['-c', `(cat "${join(dir, 'trace.jsonl')}"; sleep 60) > "${fifo}"`], { stdio: 'ignore', detached: true });
    let cli: ChildProcess | undefined;
    try {
      const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', '..', 'bin', 'batchbench.js'), 'import', 'traces', fifo, '--out', join(dir, 'run')], { stdio: ['ignore', 'pipe', 'pipe'] });
      cli = child;
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      // The copy of the pipe appears once the first reading has begun.
      const started = Date.now();
      while (!readdirSync(dir).some((f) => f.startsWith('.run.spool-')) && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(dir).some((f) => f.startsWith('.run.spool-'))).toBe(true);
      child.kill('SIGINT');
      // Within seconds, not when the writer closes the pipe a minute later.
      expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running 10 s after Ctrl-C'), 10_000))])).toBe(130);
      expect(stderr).toContain('stopping the import: nothing is written (Ctrl-C again to quit at once)');
      expect(stderr).toContain(`import interrupted: nothing written to ${join(dir, 'run')}`);
      expect(existsSync(join(dir, 'run'))).toBe(false);
      expect(readdirSync(dir).sort()).toEqual(['pipe', 'trace.jsonl']);
    } finally {
      cli?.kill('SIGKILL');
      if (writer.pid !== undefined) process.kill(-writer.pid, 'SIGKILL');
    }
  }, 30_000);

  it('reads gzip-compressed traces, from a file or a pipe, to the same sessions; the file hash is of the bytes as stored', async () => {
    const dir = tempDir('bb-traces-gz-');
    const text = `${interleave(chatLines(oneAtATime('x')), chatLines(chain('y'))).join('\n')}\n`;
    writeFileSync(join(dir, 'trace.jsonl'), text);
    // No .gz in the name: the content says what it is.
    const packed = gzipSync(text);
    writeFileSync(join(dir, 'packed'), packed);
    const run = async (file: string, out: string): Promise<SessionRecord[]> => {
      const result = await importTraces({ files: [file], out: join(dir, out), skipInvalid: false, redact: makeRedactor([]) });
      expect([result.issues, result.sessions, result.calls]).toEqual([[], 2, 10]);
      return readRun(join(dir, out)).sessions;
    };
    const plain = (await run(join(dir, 'trace.jsonl'), 'plain')).map(portable);
    expect((await run(join(dir, 'packed'), 'from-gz')).map(portable)).toEqual(plain);
    const manifest = JSON.parse(readFileSync(join(dir, 'from-gz', 'run.json'), 'utf8')) as { imported: { files: { sha256: string; lines: number }[] } };
    expect(manifest.imported.files.map((f) => [f.sha256, f.lines])).toEqual([[createHash('sha256').update(packed).digest('hex'), 10]]);
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = spawn('sh', ['-c', `cat "${join(dir, 'packed')}" > "${fifo}"`], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.once('exit', resolve));
    expect((await run(fifo, 'from-gz-pipe')).map(portable)).toEqual(plain);
    expect(await written).toBe(0);
  });

  it('a truncated gzip file, a missing file and an empty one are refused by name, with nothing written', async () => {
    const dir = tempDir('bb-traces-gz-bad-');
    writeFileSync(join(dir, 'cut.jsonl.gz'), gzipSync(chatLines(oneAtATime('x')).join('\n')).subarray(0, 200));
    writeFileSync(join(dir, 'empty.jsonl'), '');
    const issues = async (file: string): Promise<string[]> =>
      (await importTraces({ files: [join(dir, file)], out: join(dir, 'run'), skipInvalid: false, redact: makeRedactor([]) })).issues.map((i) => `${i.file}: ${i.message}`);
    expect(await issues('cut.jsonl.gz')).toEqual([`${join(dir, 'cut.jsonl.gz')}: cannot read: unexpected end of file`]);
    expect(await issues('missing.jsonl')).toEqual([`${join(dir, 'missing.jsonl')}: cannot read: ENOENT: no such file or directory, open '${join(dir, 'missing.jsonl')}'`]);
    expect(await issues('empty.jsonl')).toEqual([`${join(dir, 'empty.jsonl')}: no model call found: nothing to import`]);
    expect(readdirSync(dir).sort()).toEqual(['cut.jsonl.gz', 'empty.jsonl']);
  });

  it('OpenTelemetry conversations spread over two files are written as each ends, numbered as they first appear', async () => {
    const dir = tempDir('bb-traces-otel-stream-');
    // conv-x (six chat spans) starts first; conv-y (four) ends first; a chat trace's session comes before both.
    const spans = interleave(otelLines(oneAtATime('x'), { content: true, conversation: 'conv-x' }), otelLines(chain('y'), { content: false, conversation: 'conv-y' }));
    writeFileSync(join(dir, 'a.jsonl'), `${spans.slice(0, 5).join('\n')}\n`);
    writeFileSync(join(dir, 'b.jsonl'), `${spans.slice(5).join('\n')}\n`);
    writeFileSync(join(dir, 'chat.jsonl'), `${chatLines(chain('z')).join('\n')}\n`);
    const out = join(dir, 'run');
    const result = await importTraces({ files: ['a.jsonl', 'chat.jsonl', 'b.jsonl'].map((f) => join(dir, f)), out, skipInvalid: false, redact: makeRedactor([]) });
    expect([result.issues, result.sessions, result.calls, result.format]).toEqual([[], 3, 14, 'otel+openai-chat']);
    const raw = readFileSync(join(out, 'sessions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SessionRecord);
    // The chat session ends in the second file; conv-y at b.jsonl's fourth line (the file's line 4), conv-x at its fifth.
    expect(sessionIds(raw)).toEqual(['s1', 's3', 's2']);
    const run = readRun(out);
    expect(sessionIds(run.sessions)).toEqual(['s1', 's2', 's3']);
    expect(run.sessions.map((s) => s.turns.length)).toEqual([4, 6, 4]);
    expect(run.manifest).toMatchObject({ sessionsPlanned: 3, sessionsWritten: 3, config: { repeats: 3, maxTurns: 6 } });
  });

  it('an OpenTelemetry chat span that cannot make a call is refused by path, or with --skip-invalid counted while its conversation imports', async () => {
    const dir = tempDir('bb-traces-otel-bad-');
    const lines = otelLines(oneAtATime('x'), { content: true, conversation: 'conv-x' });
    lines[2] = (lines[2] as string).replace('gen_ai.input.messages","value":{"stringValue":"', 'gen_ai.input.messages","value":{"stringValue":"{oops');
    writeFileSync(join(dir, 'spans.jsonl'), `${lines.join('\n')}\n`);
    const strict = await importTraces({ files: [join(dir, 'spans.jsonl')], out: join(dir, 'strict'), skipInvalid: false, redact: makeRedactor([]) });
    expect(strict.issues).toEqual([{ file: `${join(dir, 'spans.jsonl')}:3`, path: 'resourceSpans.0.scopeSpans.0.spans.0.attributes.gen_ai.input.messages', message: 'not valid JSON' }]);
    expect(existsSync(join(dir, 'strict'))).toBe(false);
    const lenient = await importTraces({ files: [join(dir, 'spans.jsonl')], out: join(dir, 'lenient'), skipInvalid: true, redact: makeRedactor([]) });
    expect([lenient.issues, [...lenient.skipped], lenient.sessions, lenient.calls]).toEqual([[], [['not an otel chat span', 1]], 1, 5]);
    const run = readRun(join(dir, 'lenient'));
    expect(run.sessions[0]?.turns).toHaveLength(5);
    expect(run.manifest).toMatchObject({ sessionsWritten: 1, config: { maxTurns: 5 } });
  });
});
