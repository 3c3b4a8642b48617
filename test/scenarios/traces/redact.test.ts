import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir } from './temp-dirs.js';
import { main } from '../../../harness/cli/program.js';
import { makeRedactor } from '../../../harness/run/traces/redact.js';
import { captureIO } from '../../helpers.js';
import { anthropicLines, chatLines, type Script } from './build-traces.js';

afterAll(removeTempDirs);

const KEY = 'sk-proj-AbCdEfGhIjKlMnOpQrStUv0123';
const ANT_KEY = 'sk-ant-api03-ZyXwVuTsRqPoNmLkJiHg';

const leaky = (id: string): Script => ({
  id,
  model: 'gpt-4o',
  system: 'You help.',
  user: `My key is ${KEY}; write to ana.silva@example.com about customer CUST-99812.`,
  turns: [
    { calls: [{ name: 'lookup', args: { email: 'ana.silva@example.com', customer: 'CUST-99812' }, result: `{"token": "Bearer abcdef0123456789", "owner": "CUST-99812"}` }], usage: { input: 50, output: 5 } },
    { calls: [], text: 'Done for CUST-99812.', usage: { input: 80, output: 5 } },
  ],
});

describe('redaction', () => {
  it('masks keys, bearer tokens and emails built in, and --redact patterns', () => {
    const r = makeRedactor(['CUST-[0-9]+']);
    expect(r(`key ${KEY} and ${ANT_KEY}, Authorization: Bearer abc.def-123456, mail x.y@z.io, CUST-12`)).toBe('key [redacted] and [redacted], Authorization: [redacted], mail [redacted], [redacted]');
  });

  it('an invalid --redact pattern is a usage error naming it', async () => {
    const io = captureIO();
    expect(await main(['import', 'traces', 'x.jsonl', '--out', 'y', '--redact', '(unclosed'], io)).toBe(2);
    expect(io.stderr[0]).toMatch(/--redact "\(unclosed": not a valid regular expression/);
  });

  it.each([
    ['openai-chat', chatLines],
    ['anthropic', anthropicLines],
  ])('nothing matched, and no header of the trace, reaches the run directory (%s)', async (_format, render) => {
    const dir = tempDir('bb-redact-');
    const lines = render(leaky('r')).map((l) => JSON.stringify({ ...JSON.parse(l), headers: { Authorization: `Bearer ${ANT_KEY}`, 'x-api-key': ANT_KEY } }));
    writeFileSync(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
    const io = captureIO();
    expect(await main(['import', 'traces', join(dir, 'trace.jsonl'), '--out', join(dir, 'run'), '--redact', 'CUST-[0-9]+'], io)).toBe(0);
    const written = readdirSync(join(dir, 'run')).map((f) => readFileSync(join(dir, 'run', f), 'utf8')).join('\n');
    for (const secret of [KEY, ANT_KEY, 'abcdef0123456789', 'ana.silva@example.com', 'CUST-99812', 'Authorization', 'x-api-key']) expect(written).not.toContain(secret);
    const session = JSON.parse(readFileSync(join(dir, 'run', 'sessions.jsonl'), 'utf8').split('\n')[0] as string);
    expect(session.turns[0].calls[0].args).toEqual({ email: '[redacted]', customer: '[redacted]' });
    expect(session.finalAnswer).toBe('Done for [redacted].');
  });

  it('a line whose serializer escaped the characters (\\u0040 for @, \\u002d for -) is redacted all the same', async () => {
    const dir = tempDir('bb-redact-escaped-');
    // The escapes spell every built-in pattern's hint out of the raw line: '@', 'sk-', 'bearer'.
    const lines = chatLines(leaky('e')).map((l) => l.replaceAll('@', '\\u0040').replaceAll('-', '\\u002d').replaceAll('Bearer', 'B\\u0065arer'));
    for (const hint of ['@', 'sk-', 'earer']) expect(lines.join('\n')).not.toContain(hint);
    writeFileSync(join(dir, 'trace.jsonl'), `${lines.join('\n')}\n`);
    const io = captureIO();
    expect(await main(['import', 'traces', join(dir, 'trace.jsonl'), '--out', join(dir, 'run')], io)).toBe(0);
    const written = readdirSync(join(dir, 'run')).map((f) => readFileSync(join(dir, 'run', f), 'utf8')).join('\n');
    for (const secret of [KEY, 'abcdef0123456789', 'ana.silva@example.com', 'ana.silva\\u0040example.com']) expect(written).not.toContain(secret);
    const session = JSON.parse(readFileSync(join(dir, 'run', 'sessions.jsonl'), 'utf8').split('\n')[0] as string);
    expect(session.turns[0].calls[0].args).toEqual({ email: '[redacted]', customer: 'CUST-99812' });
  });
});
