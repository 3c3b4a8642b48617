import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './temp-dirs.js';
import { importTraces } from '../../../harness/run/traces/import-traces.js';
import { makeRedactor } from '../../../harness/run/traces/redact.js';
import { counterfactualCost } from '../../../harness/metrics/counterfactual.js';
import { DEFAULT_PRICES } from '../../../harness/metrics/prices.js';
import type { SessionRecord, TraceData } from '../../../harness/core/run-file/records.js';
import { readRun } from '../../../harness/core/run-file/run-files.js';
import { anthropicLines, chain, chatLines, otelLines, responsesLines, diamond, interleave, noTools, oneAtATime, toolError, wellBatched, type Script } from './build-traces.js';

afterAll(removeTempDirs);

const tmp = (): string => tempDir('bb-traces-');

async function importLines(lines: string[], extra: { format?: string } = {}): Promise<{ sessions: SessionRecord[]; dir: string; file: string }> {
  const dir = tmp();
  const file = join(dir, 'trace.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const out = join(dir, 'run');
  const result = await importTraces({ files: [file], out, skipInvalid: false, redact: makeRedactor([]), ...extra });
  expect(result.issues).toEqual([]);
  return { sessions: readRun(out).sessions, dir: out, file };
}

const trace = (s: SessionRecord): TraceData => {
  if (s.extra?.trace === undefined) throw new Error(`${s.key} has no extra.trace`);
  return s.extra.trace;
};
const sum = (s: SessionRecord, f: (t: SessionRecord['turns'][number]) => number): number => s.turns.reduce((n, t) => n + f(t), 0);

/** Format, renderer, whether the trace holds message text (OTel spans without captured content do not). */
const formats: [string, (s: Script) => string[], boolean][] = [
  ['openai-chat', chatLines, true],
  ['anthropic', anthropicLines, true],
  ['openai-responses', (s: Script) => responsesLines(s, false), true],
  ['openai-responses', (s: Script) => responsesLines(s, true), true],
  ['otel', (s: Script) => otelLines(s, { content: true }), true],
  ['otel', (s: Script) => otelLines(s, { content: false }), false],
];

describe.each(formats)('import traces (%s #%#)', (format, render, content) => {
  it('five calls one at a time, three independent: optimal 4 turns, saves 2 turns, 350 input tokens, 1300 ms', async () => {
    const { sessions, dir, file } = await importLines(render(oneAtATime()));
    expect(sessions).toHaveLength(1);
    const s = sessions[0] as SessionRecord;
    expect(s.status).toBe('completed');
    expect(s.turns).toHaveLength(6);
    expect(s.optimalTurns).toBe(4);
    expect(s.turns.map((t) => t.calls.length)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(trace(s).graph.nodes.map((n) => [n.id, n.needs])).toEqual([['c1', []], ['c2', []], ['c3', []], ['c4', ['c3']], ['c5', ['c4']]]);
    expect(trace(s).counterfactual).toEqual({ turns: 4, savedTurns: 2, savedInputTokens: 350, savedCachedInputTokens: 192, savedLatencyMs: 1300 });
    // (350 - 192) · $2.50/M + 192 · $1.25/M = $0.000635
    expect(counterfactualCost(trace(s).counterfactual, DEFAULT_PRICES['gpt-4o']!)).toBeCloseTo(0.000635, 9);
    // Usage as recorded: 100+150+200+250+300+350 input, 64+128 cached, 74 output; latency 500..1000 ms.
    expect([sum(s, (t) => t.usage.inputTokens), sum(s, (t) => t.usage.cachedInputTokens), sum(s, (t) => t.usage.outputTokens)]).toEqual([1350, 192, 74]);
    expect(s.turns.map((t) => t.realLatencyMs)).toEqual([500, 600, 700, 800, 900, 1000]);
    expect(s.turns.every((t) => !t.usage.estimated)).toBe(true);
    expect(s.turns[3]?.calls[0]).toMatchObject({ name: 'find_hotels', args: { near: 'FAR-77' }, result: '{"hotel_id": "H-9001"}', isError: false });
    expect(s.provider).toEqual({ id: 'trace:gpt-4o', kind: 'model' });
    const manifest = readRun(dir).manifest;
    expect(manifest.imported).toMatchObject({ from: 'traces', format, skippedLines: 0, files: [{ sha256: createHash('sha256').update(readFileSync(file)).digest('hex'), lines: 6 }] });
    expect(manifest.imported?.inference).toMatch(/inferred from data flow.*"Lisbon, PT" used as "lisbon"/);
  });

  it('a well-batched session: 4 turns, optimal 4, nothing to save', async () => {
    const s = (await importLines(render(wellBatched()))).sessions[0] as SessionRecord;
    expect(s.turns.map((t) => t.calls.length)).toEqual([3, 1, 1, 0]);
    expect(s.optimalTurns).toBe(4);
    expect(trace(s).counterfactual.savedTurns).toBe(0);
    expect(trace(s).counterfactual.savedInputTokens).toBe(0);
  });

  it('a true chain: each call needs the one before, nothing to save', async () => {
    const s = (await importLines(render(chain()))).sessions[0] as SessionRecord;
    expect(trace(s).graph.nodes.map((n) => n.needs)).toEqual([[], ['c1'], ['c2']]);
    expect(s.optimalTurns).toBe(4);
    expect(trace(s).counterfactual).toMatchObject({ turns: 4, savedTurns: 0, savedInputTokens: 0 });
  });

  it('a diamond made one call at a time: the two middle calls could share a turn (saves 1 turn, 140 tokens)', async () => {
    const s = (await importLines(render(diamond()))).sessions[0] as SessionRecord;
    expect(trace(s).graph.nodes.map((n) => n.needs)).toEqual([[], ['c1'], ['c1'], ['c2', 'c3']]);
    expect(s.optimalTurns).toBe(4);
    expect(trace(s).counterfactual).toMatchObject({ turns: 4, savedTurns: 1, savedInputTokens: 140 });
  });

  it('a tool error: the retry waits for the error, the independent call joins turn 1 (saves 1 turn, 130 tokens)', async () => {
    const s = (await importLines(render(toolError()))).sessions[0] as SessionRecord;
    expect(s.turns[0]?.calls[0]?.isError).toBe(true);
    expect(s.turns[1]?.calls[0]?.isError).toBe(false);
    expect(trace(s).graph.nodes.map((n) => n.needs)).toEqual([[], ['c1'], []]);
    expect(s.optimalTurns).toBe(3);
    expect(trace(s).counterfactual).toMatchObject({ turns: 3, savedTurns: 1, savedInputTokens: 130 });
  });

  it('a session without tools: one turn, optimal 1, nothing to save', async () => {
    const s = (await importLines(render(noTools()))).sessions[0] as SessionRecord;
    expect(s.turns).toHaveLength(1);
    expect(s.optimalTurns).toBe(1);
    expect(s.finalAnswer).toBe(content ? 'Hello.' : '');
    expect(trace(s).counterfactual.savedTurns).toBe(0);
  });

  it('two interleaved conversations separate into two sessions with their own figures', async () => {
    const { sessions } = await importLines(interleave(render(oneAtATime('x')), render(chain('y'))));
    expect(sessions).toHaveLength(2);
    const [a, b] = sessions as [SessionRecord, SessionRecord];
    expect(trace(a).sessionId).toBe('s1');
    expect(a.turns).toHaveLength(6);
    expect(trace(a).sources).toEqual(['1', '3', '5', '7', '9', '10'].map((l) => expect.stringMatching(new RegExp(`trace\\.jsonl:${l}$`))));
    expect(trace(a).counterfactual.savedTurns).toBe(2);
    expect(b.turns).toHaveLength(4);
    expect(trace(b).counterfactual.savedTurns).toBe(0);
    expect(b.turns[2]?.calls[0]?.args).toEqual({ employee: 'EMP-0042' });
  });
});

describe('import traces: two conversations with the same opening', () => {
  it('are told apart by the reply each request carries', async () => {
    // Same system and user message; the first replies differ (Lisbon vs Porto).
    const a = oneAtATime('p');
    const b: Script = { ...oneAtATime('q'), turns: [{ ...oneAtATime('q').turns[1]!, usage: { input: 100, output: 10 } }, ...oneAtATime('q').turns.slice(2)] };
    const { sessions } = await importLines(interleave(chatLines(a), chatLines(b)));
    expect(sessions.map((s) => s.turns.length)).toEqual([6, 5]);
    expect(sessions[1]?.turns[0]?.calls[0]?.args).toEqual({ city: 'Porto' });
    expect(sessions[1]?.turns[1]?.calls[0]?.args).toEqual({ city: 'Faro' });
  });
});

describe('import traces: usage absent', () => {
  it('counts tokens with the o200k tokenizer and flags them estimated', async () => {
    const line = JSON.parse(chatLines(noTools())[0] as string) as { response: { usage?: unknown } };
    delete line.response.usage;
    const s = (await importLines([JSON.stringify(line)])).sessions[0] as SessionRecord;
    expect(s.turns[0]?.usage.estimated).toBe(true);
    expect(s.turns[0]?.usage.inputTokens).toBeGreaterThan(10);
  });
});

describe('import traces: nothing written when the output exists', () => {
  it('refuses a non-empty directory', async () => {
    const { dir } = await importLines(chatLines(noTools()));
    const r = await importTraces({ files: [join(dir, '..', 'trace.jsonl')], out: dir, skipInvalid: false, redact: makeRedactor([]) });
    expect(r.issues[0]?.message).toMatch(/not empty/);
    expect(existsSync(join(dir, 'run.json'))).toBe(true);
  });
});

describe('import traces: OpenTelemetry grouping', () => {
  it('groups spans of one trace-less export by gen_ai.conversation.id, whatever their order in the file', async () => {
    // Both conversations share one trace id; only the conversation id tells them apart. Lines of each are interleaved.
    const a = otelLines(oneAtATime('a'), { content: false, conversation: 'conv-a', traceId: 'f'.repeat(32) });
    const b = otelLines(chain('c'), { content: true, conversation: 'conv-b', traceId: 'f'.repeat(32) });
    const { sessions } = await importLines(interleave(b, a));
    expect(sessions.map((s) => s.turns.length)).toEqual([4, 6]);
    expect(trace(sessions[1] as SessionRecord).counterfactual).toEqual({ turns: 4, savedTurns: 2, savedInputTokens: 350, savedCachedInputTokens: 192, savedLatencyMs: 1300 });
    expect(sessions[0]?.turns[1]?.calls[0]?.args).toEqual({ customer: 'CU-8812' });
  });

  it('a failed execute_tool span marks the call as an error', async () => {
    const s = (await importLines(otelLines(toolError(), { content: true }))).sessions[0] as SessionRecord;
    expect(s.turns.map((t) => t.calls[0]?.isError)).toEqual([true, false, false, undefined]);
    expect(trace(s).counterfactual).toMatchObject({ savedTurns: 1, savedInputTokens: 130 });
  });
});

describe('import traces: known limit and several files', () => {
  it('a value re-derived in another form ("Lisbon, PT" used as "lisbon") is not seen as a dependency', async () => {
    const s: Script = {
      id: 'l',
      model: 'gpt-4o',
      system: 'You help.',
      user: 'Where is the office, and what is the weather there?',
      turns: [
        { calls: [{ name: 'lookup', args: { what: 'office' }, result: '{"city": "Lisbon, PT"}' }], usage: { input: 50, output: 5 } },
        { calls: [{ name: 'get_weather', args: { city: 'lisbon' }, result: '{"temp_c": 21}' }], usage: { input: 80, output: 5 } },
        { calls: [], text: 'Lisbon, 21 C.', usage: { input: 100, output: 5 } },
      ],
    };
    const r = (await importLines(chatLines(s))).sessions[0] as SessionRecord;
    // Really a chain; inferred as independent, so the counterfactual (wrongly) merges turn 2 into turn 1.
    expect(trace(r).graph.nodes.map((n) => n.needs)).toEqual([[], []]);
    expect(trace(r).counterfactual).toMatchObject({ savedTurns: 1, savedInputTokens: 80 });
  });

  it('a conversation split over two files is one session; run.json lists both files with their hashes', async () => {
    const dir = tempDir('bb-traces-');
    const lines = chatLines(oneAtATime());
    writeFileSync(join(dir, 'a.jsonl'), `${lines.slice(0, 3).join('\n')}\n`);
    writeFileSync(join(dir, 'b.jsonl'), `${lines.slice(3).join('\n')}\n`);
    const out = join(dir, 'run');
    const result = await importTraces({ files: [join(dir, 'a.jsonl'), join(dir, 'b.jsonl')], out, skipInvalid: false, redact: makeRedactor([]) });
    expect([result.issues, result.sessions, result.calls]).toEqual([[], 1, 6]);
    const run = readRun(out);
    expect(trace(run.sessions[0] as SessionRecord).counterfactual.savedTurns).toBe(2);
    expect(run.manifest.imported?.files.map((f) => [f.file.replace(/.*\//, ''), f.lines, f.sha256])).toEqual([
      ['a.jsonl', 3, createHash('sha256').update(readFileSync(join(dir, 'a.jsonl'))).digest('hex')],
      ['b.jsonl', 3, createHash('sha256').update(readFileSync(join(dir, 'b.jsonl'))).digest('hex')],
    ]);
  });
});
