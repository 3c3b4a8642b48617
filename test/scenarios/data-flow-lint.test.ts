import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { dataFlowIssues, textHolds, traceable } from '../../harness/scenarios/data-flow-lint.js';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { captureIO, PROJECT } from '../helpers.js';

const LINT = join(import.meta.dirname, '..', 'fixtures', 'lint');
const FORGOTTEN = join(LINT, 'forgotten-needs.yaml');

/** The forgotten-needs fixture with its text changed, loaded from a temporary copy. */
function variantOf(edit: (text: string) => string) {
  const dir = mkdtempSync(join(tmpdir(), 'bb-lint-'));
  writeFileSync(join(dir, 's.yaml'), edit(readFileSync(FORGOTTEN, 'utf8')));
  const { scenarios, issues } = loadScenarios([dir]);
  expect(issues).toEqual([]);
  const s = scenarios[0];
  if (!s) throw new Error('not loaded');
  return dataFlowIssues(s);
}

describe('traceable values', () => {
  it('strings of 3+ characters and numbers of 3+ digits that are not 10^k', () => {
    expect([traceable('ab'), traceable('abc'), traceable('  a '), traceable(5), traceable(42), traceable(100), traceable(1000), traceable(249.9), traceable(120)]).toEqual([
      false, true, false, false, false, false, false, true, true,
    ]);
  });

  it('a number is found only as a whole number, a string also JSON-escaped', () => {
    expect(textHolds('{"total":249.9}', 249.9)).toBe(true);
    expect(textHolds('{"total":1249.95}', 249.9)).toBe(false);
    expect(textHolds('{"path":"C:\\\\tmp"}', 'C:\\tmp')).toBe(true);
  });

  it('a number is found where a digit-and-dot lookaround regular expression finds it', () => {
    // The rule as a regex: no digit or `.` before, no digit and no `.` followed by a digit after.
    const byRegex = (text: string, value: number): boolean =>
      new RegExp(`(?<![\\d.])${String(value).replace(/[.+-]/g, '\\$&')}(?![\\d]|\\.\\d)`).test(text);
    const values = [249.9, 120, 1249, -340, 0.125, 1e21, 5012];
    const texts = ['', '249.9', '1249.9', '249.95', '249.9.', '249.9.5', 'x249.9x', '.249.9', '-340', '5-340', '1e+21', '120,120', '0.125 ', '10.125', '120.', '120.x', '50125012', 'a5012.b'];
    let seed = 7;
    const next = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const alphabet = '0123456789.-e+ x,';
    for (let i = 0; i < 400; i += 1) {
      const value = values[next(values.length)] as number;
      let text = '';
      for (let j = next(6); j > 0; j -= 1) text += next(2) === 0 ? String(value) : (alphabet[next(alphabet.length)] as string);
      texts.push(text);
    }
    for (const text of texts) for (const value of values) expect(textHolds(text, value), `${value} in "${text}"`).toBe(byRegex(text, value));
  });
});

describe('data-flow lint', () => {
  it('flags each argument taken from another call\'s result without needs, and leaves trivial numbers alone', () => {
    const { scenarios, issues } = loadScenarios([FORGOTTEN]);
    expect(issues).toEqual([]);
    const found = dataFlowIssues(scenarios[0]!);
    expect(found.map((i) => i.path)).toEqual(['expected_calls.1.args.customer_id', 'expected_calls.1.args.min_total']);
    expect(found[0]?.message).toBe(
      '"CUS-4471" is not in the task but appears in the mocked result of "order", and "history" does not need it: add needs: [order] (or, when the task implies the value, list "customer_id" in given_args)',
    );
    expect(found[1]?.message).toContain('249.9 is not in the task');
  });

  it('is silent once the need is declared', () => {
    expect(variantOf((t) => t.replace('limit: 5 } }', 'limit: 5 }, needs: [order] }'))).toEqual([]);
  });

  it('is silent for a value the task holds (strings case-insensitively) and for given_args', () => {
    const inTask = variantOf((t) => t.replace('Can order 100482', 'Can order 100482 of cus-4471').replace('limit: 5 } }', 'limit: 5 }, given_args: [min_total] }'));
    expect(inTask).toEqual([]);
  });

  it('ignores a result that only echoes the other call\'s own argument', () => {
    // The order's result repeats its order number; a second call given the same number from the task is fine,
    // and so is one whose value the other call also took as an argument.
    const echo = variantOf((t) =>
      t.replace('Can order 100482', 'Can order').replace("- { id: history, tool: refund_history, args: { customer_id: CUS-4471, min_total: 249.9, limit: 5 } }", "- { id: history, tool: refund_history, args: { customer_id: CUS-4471 }, needs: [order] }\n  - { id: again, tool: get_order, args: { order_number: '100482' } }"),
    );
    expect(echo).toEqual([]);
  });

  it('the shipped suite and the test project have no forgotten dependency', () => {
    const { scenarios, issues } = loadScenarios([join(import.meta.dirname, '..', '..', 'scenarios'), join(PROJECT, 'scenarios')]);
    expect(issues).toEqual([]);
    expect(scenarios.flatMap(dataFlowIssues)).toEqual([]);
  });
});

describe('batchbench validate', () => {
  it('warns and exits 0 by default, exits 2 with --strict', async () => {
    const io = captureIO();
    expect(await main(['validate', '--scenarios', FORGOTTEN, '--prompts', join(PROJECT, 'prompts')], io)).toBe(0);
    expect(io.stderr.join('\n')).toContain('warning: test/fixtures/lint/forgotten-needs.yaml: expected_calls.1.args.customer_id: "CUS-4471" is not in the task');
    expect(io.stderr.at(-1)).toBe('2 data-flow warning(s); --strict makes them fail');
    const strict = captureIO();
    expect(await main(['validate', '--strict', '--scenarios', FORGOTTEN, '--prompts', join(PROJECT, 'prompts')], strict)).toBe(2);
    expect(strict.stderr.at(-1)).toBe('2 data-flow problem(s) found (--strict)');
  });

  it('the shipped suite passes --strict', async () => {
    const io = captureIO();
    expect(await main(['validate', '--strict'], io)).toBe(0);
    expect(io.stderr).toEqual([]);
  });

  it('names an argument that is not a parameter of its tool', async () => {
    const io = captureIO();
    expect(await main(['validate', '--scenarios', join(LINT, 'not-a-parameter.yaml'), '--prompts', join(PROJECT, 'prompts')], io)).toBe(2);
    expect(io.stderr).toEqual([
      'test/fixtures/lint/not-a-parameter.yaml: expected_calls.0.args.force: "force" is not a parameter of "restart_service" (parameters: service, drain_seconds)',
      '1 problem(s) found',
    ]);
  });
});
