import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_BUNDLE } from '../../bin/fresh-build.js';
import { runChild } from '../child.js';
import type { Figure } from '../lib.js';

/** Conversations open at once in the generated file: their calls are interleaved line by line. */
const OPEN = 64;
/** Model calls per conversation: five one-at-a-time tool calls and an answer. */
const CALLS = 6;

const TOOLS = ['get_weather', 'find_hotels', 'book_hotel', 'lookup', 'merge'].map((name) => ({
  type: 'function',
  function: { name, description: `${name}: looks things up for the travel desk`, parameters: { type: 'object', properties: { city: { type: 'string' }, id: { type: 'string' } } } },
}));

/** Line k (0-based) of conversation c, in OpenAI Chat Completions trace form, with the whole history re-sent. */
function line(c: number, k: number): string {
  const messages: unknown[] = [
    { role: 'system', content: 'You are a travel agent. Use the tools; batch independent calls.' },
    { role: 'user', content: `Conversation ${c}: check the weather in three cities and book a hotel near the station of the warmest.` },
  ];
  for (let j = 0; j < k; j += 1) {
    const id = `call_${c}_${j}`;
    messages.push({ role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify({ city: `City-${c}-${j}`, id: j > 0 ? `ST-${c}-${j - 1}` : undefined }) } }] });
    messages.push({ role: 'tool', tool_call_id: id, content: JSON.stringify({ temp_c: 20 + j, station: `ST-${c}-${j}`, note: 'x'.repeat(120) }) });
  }
  const last = k === CALLS - 1;
  const message = last
    ? { role: 'assistant', content: `Booked for conversation ${c}.`, refusal: null }
    : { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: `call_${c}_${k}`, type: 'function', function: { name: 'get_weather', arguments: JSON.stringify({ city: `City-${c}-${k}`, id: k > 0 ? `ST-${c}-${k - 1}` : undefined }) } }] };
  const response = {
    id: `chatcmpl-${c}-${k}`,
    object: 'chat.completion',
    created: 1767225600 + k,
    model: 'gpt-4o',
    choices: [{ index: 0, finish_reason: last ? 'stop' : 'tool_calls', logprobs: null, message }],
    usage: { prompt_tokens: 300 + 120 * k, completion_tokens: 20, total_tokens: 320 + 120 * k, prompt_tokens_details: { cached_tokens: k > 0 ? 256 : 0 } },
  };
  return JSON.stringify({ request: { model: 'gpt-4o', messages, tools: TOOLS }, response, latency_ms: 800 });
}

/** Writes `calls` model calls (rounded down to whole conversations), `OPEN` conversations interleaved at a time. */
export function writeTraceFile(file: string, calls: number): number {
  const fd = openSync(file, 'w');
  const conversations = Math.floor(calls / CALLS);
  let written = 0;
  try {
    for (let base = 0; base < conversations; base += OPEN) {
      const open = Math.min(OPEN, conversations - base);
      let chunk = '';
      for (let k = 0; k < CALLS; k += 1) for (let c = base; c < base + open; c += 1) chunk += `${line(c, k)}\n`;
      writeSync(fd, chunk);
      written += open * CALLS;
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

/**
 * `batchbench import traces` of a generated file of `calls` model calls, run as a user runs it (the shipped
 * bundle, in a child process of its own): wall time from spawn to exit, and the child's peak RSS.
 */
export function traceImport(root: string, work: string, calls: number): Figure[] {
  const file = join(work, `trace-${calls}.jsonl`);
  const written = writeTraceFile(file, calls);
  const out = join(work, `trace-run-${calls}`);
  const r = runChild(root, [join(root, CLI_BUNDLE), 'import', 'traces', file, '--out', out]);
  // The counts are read from the run the command wrote, not assumed from the file written.
  const manifest = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { sessionsWritten: number };
  const label = `${written.toLocaleString('en-US')} model calls`;
  const note = `${manifest.sessionsWritten.toLocaleString('en-US')} sessions, ${OPEN} interleaved; file ${(statSync(file).size / 1e6).toFixed(0)} MB; the shipped bundle`;
  return [
    { section: '6 trace import', name: `${label}: import wall time`, value: r.wallMs / 1000, unit: 's', target: { op: '<', limit: 30, label: '< 30 s' }, note: `${note}; CPU ${(r.cpuMs / 1000).toFixed(2)} s` },
    { section: '6 trace import', name: `${label}: peak RSS`, value: r.rssMb, unit: 'MB', target: { op: '<', limit: 300, label: '< 300 MB' } },
  ];
}
