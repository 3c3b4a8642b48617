import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pickPath, resolveStepArgs, transforms, type ChainStep } from '../../../harness/scenarios/chain-steps.js';
import { loadScenarioFile } from '../../../harness/scenarios/load-scenarios.js';
import { STRATEGY_FIXTURES, SUITE } from './helpers.js';

describe('declared chain steps', () => {
  it('changed_files_from_diff lists the files of a unified diff (the PR-prep fixture has 3)', () => {
    const diff = readFileSync(join(SUITE, '..', 'fixtures', 'coding', 'pr-prep', 'git-diff-staged.txt'), 'utf8');
    expect(transforms.changed_files_from_diff?.(diff)).toEqual(['src/middleware/rate-limit.ts', 'src/server.ts', 'test/rate-limit.test.ts']);
    expect(transforms.changed_files_from_diff?.('--- a/gone.ts\n+++ /dev/null\n')).toEqual([]);
    expect(transforms.changed_files_from_diff?.([{ path: 'a.ts' }, 'b.ts'])).toEqual(['a.ts', 'b.ts']);
  });

  it('pick, regex and transform, in that order; failures say which input and why', () => {
    expect(pickPath({ items: [{ id: 'X' }] }, 'items.0.id')).toBe('X');
    expect(pickPath({ a: 1 }, 'a.b')).toBeUndefined();
    const step: ChainStep = {
      id: 's',
      tool: 't',
      args: { limit: 5, files: ['ignored'] },
      inputs: {
        files: { from: 'diff', pick: 'files', transform: 'changed_files_from_diff' },
        ticket: { from: 'task', regex: '\\b([A-Z]+-\\d+)\\b' },
        first: { from: 'diff', pick: 'files', transform: 'first' },
      },
    };
    const lookup = (from: string) => (from === 'task' ? { text: 'Fix PAY-42 today' } : from === 'diff' ? { text: '{"files": ["a.ts", "b.ts"]}' } : { missing: `no ${from}` });
    expect(resolveStepArgs(step, lookup)).toEqual({ args: { limit: 5, files: ['a.ts', 'b.ts'], ticket: 'PAY-42', first: 'a.ts' } });
    expect(resolveStepArgs({ ...step, inputs: { x: { from: 'diff', pick: 'nope' } } }, lookup)).toEqual({ error: 'x: the result of "diff" has nothing at "nope"' });
    expect(resolveStepArgs({ ...step, inputs: { x: { from: 'task', pick: 'a' } } }, lookup)).toEqual({ error: 'x: the result of "task" is not JSON, so "a" cannot be picked' });
    expect(resolveStepArgs({ ...step, inputs: { x: { from: 'task', regex: 'ZZZ' } } }, lookup)).toEqual({ error: 'x: /ZZZ/ does not match the result of "task"' });
    expect(resolveStepArgs({ ...step, inputs: { x: { from: 'task', transform: 'number' } } }, lookup)).toEqual({ error: 'x: input from "task" failed: not a number: "Fix PAY-42 today"' });
    expect(resolveStepArgs({ ...step, inputs: { x: { from: 'log' } } }, lookup)).toEqual({ error: 'x: no log' });
  });

  it('bad declarations are rejected at load, each located by field path', () => {
    const { scenario, issues } = loadScenarioFile(join(STRATEGY_FIXTURES, 'invalid', 'bad-chain.yaml'));
    expect(scenario).toBeUndefined();
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'chains.broken.0.inputs.email.from: unknown source "later": use "task" or an earlier step id',
      'chains.broken.1.id: duplicate step id "a"',
      'chains.broken.1.tool: unknown tool "no_such_tool" (tools: find_customer)',
      'chains.broken.2.inputs.email.transform: unknown transform "shout" (known: changed_files_from_diff, first, lines, json, number, to_string)',
      'chains.broken.2.inputs.email.regex: invalid regex: Invalid regular expression: /(/: Unterminated group',
      'hybrid.steps.0.id: step id "customer" is also an expected-call id; pick another so sources are unambiguous',
      'hybrid.steps.0.inputs.email.from: unknown source "nowhere": use "task", an earlier step id or an expected-call id',
    ]);
  });
});
