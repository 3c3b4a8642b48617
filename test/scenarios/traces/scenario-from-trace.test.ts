import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './temp-dirs.js';
import { parse } from 'yaml';
import { main } from '../../../harness/cli/program.js';
import type { SessionRecord } from '../../../harness/core/run-file/records.js';
import { readRun } from '../../../harness/core/run-file/run-files.js';
import { captureIO } from '../../helpers.js';
import { anthropicLines, chatLines, interleave, oneAtATime, otelLines, toolError } from './build-traces.js';

afterAll(removeTempDirs);

const PROMPT = join(import.meta.dirname, '..', '..', '..', 'prompts', 'baseline.md');

async function importedRun(lines: string[]): Promise<string> {
  const dir = tempDir('bb-from-trace-');
  writeFileSync(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
  expect(await main(['import', 'traces', join(dir, 'trace.jsonl'), '--out', join(dir, 'run')], captureIO())).toBe(0);
  return dir;
}

describe('batchbench scenario from-trace', () => {
  it('turns the one-at-a-time session into a scenario that validates and that ref:optimal runs in 4 turns', async () => {
    const dir = await importedRun(interleave(chatLines(toolError('e')), chatLines(oneAtATime('a'))));
    const file = join(dir, 'scenarios', 'trace.yaml');
    const io = captureIO();
    expect(await main(['scenario', 'from-trace', join(dir, 'run'), 's2', '--out', file], io)).toBe(0);
    const text = readFileSync(file, 'utf8');
    // The editor's schema line first, pointing at the package's scenario schema from the file's directory.
    const schema = (text.split('\n')[0] ?? '').replace('# yaml-language-server: $schema=', '');
    expect(existsSync(resolve(dirname(file), schema)) && schema.endsWith('schemas/scenario.schema.json')).toBe(true);
    expect(text).toMatch(/# TODO: answer checks/);
    expect(text).toMatch(/INFERRED from data flow/);
    const doc = parse(text) as { expected_calls: unknown[]; tools: { name: string; results: unknown[] }[]; success: { answer_contains: unknown[] }; reference_answer: string };
    expect(doc.expected_calls).toEqual([
      { id: 'c1', tool: 'get_weather', args: { city: 'Lisbon' }, needs: [] },
      { id: 'c2', tool: 'get_weather', args: { city: 'Porto' }, needs: [] },
      { id: 'c3', tool: 'get_weather', args: { city: 'Faro' }, needs: [] },
      { id: 'c4', tool: 'find_hotels', args: { near: 'FAR-77' }, needs: ['c3'] },
      { id: 'c5', tool: 'book_hotel', args: { hotel_id: 'H-9001', nights: 2 }, needs: ['c4'] },
    ]);
    expect(doc.tools.find((t) => t.name === 'find_hotels')?.results).toEqual([{ match: { near: 'FAR-77' }, result: { hotel_id: 'H-9001' } }]);
    expect(doc.success.answer_contains).toEqual([]);
    expect(doc.reference_answer).toBe('Booked BK-555 near FAR-77.');

    expect(await main(['validate', '--scenarios', file, '--prompts', PROMPT], io), io.stderr.join('\n')).toBe(0);
    expect(await main(['run', '--scenarios', file, '--prompts', PROMPT, '-p', 'ref:optimal', '-r', '1', '--out', join(dir, 'runs'), '--run-id', 'r1', '-q', '--resamples', '100'], io)).toBe(0);
    const [s] = readRun(join(dir, 'runs', 'r1')).sessions as [SessionRecord];
    expect(s.status).toBe('completed');
    expect(s.turns.map((t) => t.calls.length)).toEqual([3, 1, 1, 0]);
    expect(s.optimalTurns).toBe(4);
  }, 20_000);

  it('a failed call becomes a mocked error, not an expected call; its retry is expected without the need', async () => {
    const dir = await importedRun(anthropicLines(toolError('e')));
    const file = join(dir, 'e.yaml');
    expect(await main(['scenario', 'from-trace', join(dir, 'run'), 's1', '--out', file], captureIO())).toBe(0);
    const doc = parse(readFileSync(file, 'utf8')) as { expected_calls: unknown[]; tools: { name: string; results: unknown[] }[] };
    expect(doc.expected_calls).toEqual([
      { id: 'c2', tool: 'get_weather', args: { city: 'Lisbon' }, needs: [] },
      { id: 'c3', tool: 'get_weather', args: { city: 'Porto' }, needs: [] },
    ]);
    expect(doc.tools.find((t) => t.name === 'get_weather')?.results).toEqual([
      { match: { city: 'Lisboa' }, error: 'error: unknown city Lisboa' },
      { match: { city: 'Lisbon' }, result: { temp_c: 21 } },
      { match: { city: 'Porto' }, result: { temp_c: 17 } },
    ]);
    expect(await main(['validate', '--scenarios', file, '--prompts', PROMPT], captureIO())).toBe(0);
  });

  it('an unknown session id is exit 2 naming the run file', async () => {
    const dir = await importedRun(chatLines(oneAtATime()));
    const io = captureIO();
    expect(await main(['scenario', 'from-trace', join(dir, 'run'), 's9', '--out', join(dir, 'x.yaml')], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/sessions\.jsonl: no session "s9"/);
  });
});

describe('scenario from-trace: OpenTelemetry spans without content', () => {
  it('tools called without a recorded definition get an open schema; the scenario validates', async () => {
    const dir = await importedRun(otelLines(oneAtATime(), { content: false }));
    const file = join(dir, 'o.yaml');
    expect(await main(['scenario', 'from-trace', join(dir, 'run'), 's1', '--out', file], captureIO())).toBe(0);
    const doc = parse(readFileSync(file, 'utf8')) as { tools: { name: string; description: string }[]; expected_calls: { needs: string[] }[] };
    expect(doc.tools.map((t) => t.name)).toEqual(['get_weather', 'find_hotels', 'book_hotel']);
    expect(doc.tools[0]?.description).toMatch(/definition was not recorded/);
    expect(doc.expected_calls.map((c) => c.needs)).toEqual([[], [], [], ['c3'], ['c4']]);
    expect(await main(['validate', '--scenarios', file, '--prompts', PROMPT], captureIO())).toBe(0);
  });
});

describe('scenario from-trace: arguments the tool never declared', () => {
  it('keeps the recorded schema, admits the undeclared arguments, and the scenario validates', async () => {
    // The agent declared its tools with no parameters, yet the model called them with arguments.
    const bare = chatLines(oneAtATime('a')).map((line) => {
      const entry = JSON.parse(line) as { request: { tools: { function: { parameters: Record<string, unknown> } }[] } };
      for (const t of entry.request.tools) t.function.parameters = { type: 'object', properties: {} };
      return JSON.stringify(entry);
    });
    const dir = await importedRun(bare);
    const file = join(dir, 'bare.yaml');
    expect(await main(['scenario', 'from-trace', join(dir, 'run'), 's1', '--out', file], captureIO())).toBe(0);
    const doc = parse(readFileSync(file, 'utf8')) as { tools: { name: string; parameters: Record<string, unknown> }[] };
    expect(doc.tools.find((t) => t.name === 'get_weather')?.parameters).toEqual({ type: 'object', properties: {}, additionalProperties: true });
    // A tool the session never called keeps its schema exactly.
    expect(doc.tools.find((t) => t.name === 'merge')?.parameters).toEqual({ type: 'object', properties: {} });
    const io = captureIO();
    expect(await main(['validate', '--scenarios', file, '--prompts', PROMPT], io), io.stderr.join('\n')).toBe(0);
  });
});
