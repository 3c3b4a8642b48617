import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { budgetedOptionsSchema } from '../../../harness/run/strategies/budgeted.js';
import { chainOptionsSchema } from '../../../harness/run/strategies/chain.js';
import { hybridOptionsSchema } from '../../../harness/run/strategies/hybrid.js';
import { strategies, strategyIssues } from '../../../harness/run/strategies/index.js';
import { loopOptionsSchema } from '../../../harness/run/strategies/loop.js';
import { planExecuteOptionsSchema } from '../../../harness/run/strategies/plan-execute.js';
import { cli, tempDir } from '../../cli/helpers.js';
import { PROJECT } from '../../helpers.js';
import { strategyVariant } from './helpers.js';

const SCENARIOS = ['--scenarios', join(PROJECT, 'scenarios')];

/** A prompt variant file: front matter lines, then a system prompt. */
const variantFile = (id: string, header: string): string => `---\nid: ${id}\ndescription: A test variant.\n${header}---\nYou are a helpful assistant with tools.\n`;

/** A prompts directory holding one good variant and `bad` (file name -> header lines). */
function promptsWith(bad: Record<string, string>): string {
  const dir = tempDir('strategy-options');
  writeFileSync(join(dir, 'good.md'), variantFile('good', 'strategy: budgeted\nstrategy_options: { max_turns: 3 }\n'));
  for (const [name, header] of Object.entries(bad)) writeFileSync(join(dir, `${name}.md`), variantFile(name, header));
  return dir;
}

/** Problems as `<file name>: <field>: <message>`, for a variant built in code. */
const problems = (strategy: string, options: Record<string, unknown>): string[] =>
  strategyIssues({ ...strategyVariant(strategy, options), file: join(PROJECT, 'prompts', 'v.md') }).map((i) => `${i.file.split('/').at(-1) ?? ''}: ${i.path}: ${i.message}`);

const BAD = {
  zero: 'strategy: budgeted\nstrategy_options: { max_turns: 0 }\n',
  misspelled: 'strategy: budgeted\nstrategy_options: { max_turn: 3 }\n',
  unknown: 'strategy: loop-de-loop\n',
};
const EXPECTED = [
  'misspelled.md: strategy_options.max_turn: unknown option "max_turn" (misspelled?); budgeted takes max_turns, max_tool_calls_per_turn',
  'unknown.md: strategy: unknown strategy "loop-de-loop"; use one of loop, budgeted, chain, hybrid, plan-execute',
  'zero.md: strategy_options.max_turns: must be at least 1',
];

describe('strategy options schemas', () => {
  it('each registered strategy exports its schema; defaults fill what a variant leaves out', () => {
    expect(Object.fromEntries(Object.entries(strategies).map(([name, s]) => [name, s.optionsSchema]))).toEqual({
      loop: loopOptionsSchema,
      budgeted: budgetedOptionsSchema,
      chain: chainOptionsSchema,
      hybrid: hybridOptionsSchema,
      'plan-execute': planExecuteOptionsSchema,
    });
    expect(budgetedOptionsSchema.parse({})).toEqual({ max_turns: 5, max_tool_calls_per_turn: 5 });
    expect(budgetedOptionsSchema.parse({ max_turns: 1000, max_tool_calls_per_turn: 1 })).toEqual({ max_turns: 1000, max_tool_calls_per_turn: 1 });
    expect(chainOptionsSchema.parse({})).toEqual({});
    expect(chainOptionsSchema.parse({ chain: 'pr_prep' })).toEqual({ chain: 'pr_prep' });
  });

  it('refuses out-of-bounds, mistyped and unknown options, naming the field and the known options', () => {
    expect(problems('budgeted', { max_turns: 0 })).toEqual(['v.md: strategy_options.max_turns: must be at least 1']);
    expect(problems('budgeted', { max_turns: 1001 })).toEqual(['v.md: strategy_options.max_turns: must be at most 1,000 (see docs/limits.md)']);
    // Past the safe integers both the range and the limit fail, reported once.
    expect(problems('budgeted', { max_turns: 1e300 })).toEqual(['v.md: strategy_options.max_turns: must be at most 1,000 (see docs/limits.md)']);
    expect(problems('budgeted', { max_tool_calls_per_turn: 2.5 })).toEqual(['v.md: strategy_options.max_tool_calls_per_turn: must be a whole number']);
    expect(problems('budgeted', { max_tool_calls_per_turn: 1001 })).toEqual(['v.md: strategy_options.max_tool_calls_per_turn: must be at most 1,000 (see docs/limits.md)']);
    expect(problems('budgeted', { max_tool_calls_per_turn: '2' })).toEqual(['v.md: strategy_options.max_tool_calls_per_turn: must be a whole number']);
    expect(problems('budgeted', { max_turns: 3, max_tool_calls: 2 })).toEqual([
      'v.md: strategy_options.max_tool_calls: unknown option "max_tool_calls" (misspelled?); budgeted takes max_turns, max_tool_calls_per_turn',
    ]);
    expect(problems('chain', { chain: '' })).toEqual(['v.md: strategy_options.chain: must not be empty']);
    expect(problems('chain', { chain: 3 })).toEqual(['v.md: strategy_options.chain: Invalid input: expected string, received number']);
    expect(problems('loop', { max_turns: 3 })).toEqual(['v.md: strategy_options.max_turns: unknown option "max_turns"; loop takes no options']);
    expect(problems('plan-execute', { replans: 2 })).toEqual(['v.md: strategy_options.replans: unknown option "replans"; plan-execute takes no options']);
    expect(problems('hybrid', {})).toEqual([]);
    // A name on Object's prototype is no strategy.
    expect(problems('toString', {})).toEqual(['v.md: strategy: unknown strategy "toString"; use one of loop, budgeted, chain, hybrid, plan-execute']);
  });
});

describe('validate, list and run refuse a variant with bad strategy options', () => {
  const sorted = (err: string): string[] =>
    err
      .split('\n')
      .filter((l) => l.includes('.md: '))
      .map((l) => l.split('/').at(-1) ?? '')
      .sort();

  it('validate exits 2 naming each file and field', async () => {
    const r = await cli(['validate', ...SCENARIOS, '--prompts', promptsWith(BAD)]);
    expect(r.code).toBe(2);
    expect(sorted(r.err)).toEqual(EXPECTED);
    expect(r.err).toContain('3 problem(s) found');
    expect(r.out).not.toContain('ok:');
  });

  it('validate passes the same directory without the bad variants', async () => {
    const r = await cli(['validate', ...SCENARIOS, '--prompts', promptsWith({ chain: 'strategy: chain\nstrategy_options: { chain: pr_prep }\n' })]);
    expect(r.err).not.toContain('problem');
    expect(r.code).toBe(0);
    expect(r.out).toContain('ok: 3 scenario(s), 2 prompt variant(s)');
  });

  it('run exits 2 naming each file and field, and writes no session', async () => {
    for (const [name, header] of Object.entries(BAD)) {
      const out = tempDir('strategy-options-out');
      const r = await cli(['run', ...SCENARIOS, '--prompts', promptsWith({ [name]: header }), '--out', out, '--run-id', 'r', '--quiet']);
      expect(r.code, name).toBe(2);
      expect(sorted(r.err), name).toEqual(EXPECTED.filter((e) => e.startsWith(`${name}.md:`)));
      expect(readdirSync(out), name).toEqual([]);
    }
  });

  it('list exits 2 the same way', async () => {
    const r = await cli(['list', ...SCENARIOS, '--prompts', promptsWith({ zero: BAD.zero })]);
    expect(r.code).toBe(2);
    expect(sorted(r.err)).toEqual(['zero.md: strategy_options.max_turns: must be at least 1']);
  });

  it('run --resume exits 2 on a variant edited to a bad option, and adds no session', async () => {
    const prompts = promptsWith({});
    const out = tempDir('strategy-options-resume');
    const first = await cli(['run', ...SCENARIOS, '--prompts', prompts, '--provider', 'ref:optimal', '--repeats', '1', '--out', out, '--run-id', 'r', '--quiet']);
    expect(first.code).toBe(0);
    const sessions = join(out, 'r', 'sessions.jsonl');
    const lines = readFileSync(sessions, 'utf8').split('\n').filter((l) => l !== '');
    // 1 provider x 1 variant x 3 scenarios x 1 repeat; cut the last session so the resume has one to run.
    expect(lines).toHaveLength(3);
    writeFileSync(sessions, `${lines.slice(0, 2).join('\n')}\n`);
    const files = readdirSync(join(out, 'r')).sort();
    const manifest = readFileSync(join(out, 'r', 'run.json'), 'utf8');
    writeFileSync(join(prompts, 'good.md'), variantFile('good', 'strategy: budgeted\nstrategy_options: { max_turns: 3, max_tool_calls_per_turn: 0 }\n'));
    const resumed = await cli(['run', '--resume', join(out, 'r'), '--quiet']);
    expect(resumed.code).toBe(2);
    expect(sorted(resumed.err)).toEqual(['good.md: strategy_options.max_tool_calls_per_turn: must be at least 1']);
    expect(readFileSync(sessions, 'utf8').split('\n').filter((l) => l !== '')).toHaveLength(2);
    // Nothing else written either: no lock left behind, run.json as it was.
    expect(readdirSync(join(out, 'r')).sort()).toEqual(files);
    expect(readFileSync(join(out, 'r', 'run.json'), 'utf8')).toBe(manifest);
  });
});
