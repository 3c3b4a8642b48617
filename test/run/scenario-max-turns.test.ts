import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { captureIO, PROJECT } from '../helpers.js';

/** t-chain (3 calls, each needing the previous) takes 4 model calls one call per turn. */
async function runChain(maxTurnsLine: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bb-maxturns-'));
  const text = readFileSync(join(PROJECT, 'scenarios', 'chain.yaml'), 'utf8').replace('difficulty: medium\n', `difficulty: medium\n${maxTurnsLine}`);
  writeFileSync(join(dir, 'chain.yaml'), text);
  const out = mkdtempSync(join(tmpdir(), 'bb-maxturns-out-'));
  const io = captureIO();
  const code = await main(
    ['run', '--scenarios', dir, '--prompts', join(PROJECT, 'prompts', 'plain.md'), '--provider', 'ref:sequential', '--max-turns', '2', '--out', out, '--run-id', 'r', '--quiet'],
    io,
  );
  expect(code).toBe(0);
  return readRun(join(out, 'r')).sessions;
}

describe('a scenario\'s own max_turns', () => {
  it('without it, --max-turns 2 cuts the 4-turn sequential session', async () => {
    const [s] = await runChain('');
    expect(s).toMatchObject({ status: 'budget-exceeded', stopReason: 'reached the limit of 2 model turns' });
    expect(s?.turns).toHaveLength(2);
  });

  it('max_turns: 6 replaces the run\'s limit and the session completes in 4 turns', async () => {
    const [s] = await runChain('max_turns: 6\n');
    expect(s?.status).toBe('completed');
    expect(s?.turns).toHaveLength(4);
  });

  it('max_turns: 3 replaces the run limit of 2 and cuts the session at 3', async () => {
    const [s] = await runChain('max_turns: 3\n');
    expect(s).toMatchObject({ status: 'budget-exceeded', stopReason: 'reached the limit of 3 model turns' });
  });
});
