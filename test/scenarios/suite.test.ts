import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadVariants, renderUserMessage, type Variant } from '../../harness/scenarios/load-variants.js';
import { RUN_DEFAULTS } from '../../harness/config/run-settings.js';
import { createProvider } from '../../harness/providers/registry.js';
import { runSession } from '../../harness/run/run-session.js';
import { turnLimitOf } from '../../harness/run/stop-rules.js';
import { loadScenarios } from '../../harness/scenarios/load-scenarios.js';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import type { Scenario } from '../../harness/scenarios/types.js';

/** The benchmark suite itself: every scenario and prompt variant shipped in the repository. */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scenarioLoad = loadScenarios([join(root, 'scenarios')]);
const variantLoad = loadVariants([join(root, 'prompts')]);
const scenarios = scenarioLoad.scenarios;
const variants = variantLoad.variants;

const SHAPES = ['fan-out', 'fan-out-then-dependent', 'diamond', 'chain', 'same-tool-n-args', 'two-chains', 'trap', 'single-call'];
const DOMAINS = ['coding', 'support', 'research', 'analytics', 'travel', 'calendar', 'operations', 'finance'];
const VARIANT_IDS = ['baseline', 'independence-tip', 'parallel-permission', 'plan-first', 'user-batching', 'json-plan'];

/** One plausible wrong first move per trap scenario: the dependent tool called with a guessed argument. */
const TRAP_GUESSES: Record<string, { tool: string; args: Record<string, unknown> }> = {
  'coding-failing-test-trap': { tool: 'read_file', args: { path: 'src/checkout.py' } },
  'support-where-is-order': { tool: 'track_shipment', args: { carrier: 'UPS', tracking_number: '100482' } },
  'research-postmortem-search': { tool: 'fetch_page', args: { url: 'https://engineering.ferrocart.com/postmortems' } },
  'calendar-design-review-trap': {
    tool: 'find_free_slots',
    args: { group_id: 'design-review', duration_minutes: 60, window_start: '2026-11-30', window_end: '2026-12-04' },
  },
};

function scenario(id: string): Scenario {
  const found = scenarios.find((s) => s.id === id);
  if (!found) throw new Error(`scenario ${id} is missing`);
  return found;
}

function variant(id: string): Variant {
  const found = variants.find((v) => v.id === id);
  if (!found) throw new Error(`variant ${id} is missing`);
  return found;
}

function countBy(key: (s: Scenario) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const s of scenarios) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  return counts;
}

async function runReference(s: Scenario, policy: 'ref:optimal' | 'ref:sequential', v: Variant = variant('baseline')) {
  return runSession({
    runId: 'suite-test',
    scenario: s,
    variant: v,
    provider: createProvider(policy).forScenario(s),
    repeat: 0,
    seed: 1,
    tools: new MockToolExecutor(s),
    // The run's default --max-turns, replaced by the scenario's own max_turns, as in a run.
    stopRules: [turnLimitOf(s, RUN_DEFAULTS.maxTurns)],
    modelLatencyMs: 0,
  });
}

describe('suite files', () => {
  it('load without validation issues', () => {
    expect(scenarioLoad.issues).toEqual([]);
    expect(variantLoad.issues).toEqual([]);
  });

  it('hold 24 to 30 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(24);
    expect(scenarios.length).toBeLessThanOrEqual(30);
  });

  it('use only the known shapes, each at least twice', () => {
    const counts = countBy((s) => s.shape);
    for (const s of scenarios) expect(SHAPES, `${s.id} has shape "${s.shape}"`).toContain(s.shape);
    for (const shape of SHAPES) expect(counts.get(shape) ?? 0, `shape ${shape}`).toBeGreaterThanOrEqual(2);
  });

  it('use only the known domains, each at least twice', () => {
    const counts = countBy((s) => s.domain);
    for (const s of scenarios) expect(DOMAINS, `${s.id} has domain "${s.domain}"`).toContain(s.domain);
    for (const domain of DOMAINS) expect(counts.get(domain) ?? 0, `domain ${domain}`).toBeGreaterThanOrEqual(2);
  });

  it('give every scenario 3-12 snake_case tools, including some the task does not need', () => {
    for (const s of scenarios) {
      expect(s.tools.length, s.id).toBeGreaterThanOrEqual(3);
      expect(s.tools.length, s.id).toBeLessThanOrEqual(12);
      for (const t of s.tools) expect(t.definition.name, s.id).toMatch(/^[a-z][a-z0-9_]*$/);
      const used = new Set(s.expectedCalls.map((c) => c.tool));
      expect(s.tools.some((t) => !used.has(t.definition.name)), `${s.id} has no distractor tool`).toBe(true);
    }
  });

  it('ship the six prompt variants', () => {
    expect(variants.map((v) => v.id).sort()).toEqual([...VARIANT_IDS].sort());
  });

  it('put the batching request of user-batching in the user message only', () => {
    const v = variant('user-batching');
    expect(v.userTemplate).not.toBe('{{task}}');
    expect(renderUserMessage(v, 'TASK').startsWith('TASK\n')).toBe(true);
    expect(v.system).toBe(variant('baseline').system);
    for (const other of variants.filter((x) => x.id !== 'user-batching')) {
      expect(other.userTemplate, other.id).toBe('{{task}}');
    }
  });
});

describe('hand-computed dependency structure of the engine fixtures', () => {
  it('ops-service-health: 5 independent calls, 2 turns', () => {
    const s = scenario('ops-service-health');
    expect(s.shape).toBe('fan-out');
    expect(s.expectedCalls).toHaveLength(5);
    expect(s.expectedCalls.every((c) => c.needs.length === 0)).toBe(true);
    expect(s.dag.optimalTurns).toBe(2);
  });

  it('support-refund-eligibility: a strict chain of 4, 5 turns', () => {
    const s = scenario('support-refund-eligibility');
    expect(s.shape).toBe('chain');
    expect(s.expectedCalls).toHaveLength(4);
    s.expectedCalls.forEach((c, i) => {
      expect(c.needs).toEqual(i === 0 ? [] : [s.expectedCalls[i - 1]?.id]);
    });
    expect(s.dag.optimalTurns).toBe(5);
  });

  it('travel-trip-diamond: 1 root, 2 calls needing it, 1 call needing both, 4 turns', () => {
    const s = scenario('travel-trip-diamond');
    expect(s.shape).toBe('diamond');
    const [root, left, right, join, ...rest] = s.expectedCalls;
    expect(rest).toEqual([]);
    expect(root?.needs).toEqual([]);
    expect(left?.needs).toEqual([root?.id]);
    expect(right?.needs).toEqual([root?.id]);
    expect([...(join?.needs ?? [])].sort()).toEqual([left?.id, right?.id].sort());
    expect(s.dag.optimalTurns).toBe(4);
  });

  it('coding-pr-prep: diff, log and tests together, then lint, 3 turns', () => {
    const s = scenario('coding-pr-prep');
    expect(s.expectedCalls.map((c) => c.tool).sort()).toEqual(['git_diff', 'git_log', 'lint_files', 'run_tests']);
    expect(s.expectedCalls.find((c) => c.tool === 'git_diff')?.args).toEqual({ staged: true });
    expect(s.expectedCalls.find((c) => c.tool === 'git_log')?.args).toEqual({ n: 5 });
    expect(s.expectedCalls.find((c) => c.tool === 'lint_files')?.needs).toEqual(['diff']);
    expect(s.dag.optimalTurns).toBe(3);
  });

  it('finance-fx-single: one call, 2 turns', () => {
    const s = scenario('finance-fx-single');
    expect(s.shape).toBe('single-call');
    expect(s.expectedCalls).toHaveLength(1);
    expect(s.dag.optimalTurns).toBe(2);
  });

  it('research-two-chains: two independent chains of 2, 3 turns', () => {
    const s = scenario('research-two-chains');
    expect(s.shape).toBe('two-chains');
    expect(s.expectedCalls).toHaveLength(4);
    const heads = s.expectedCalls.filter((c) => c.needs.length === 0);
    const tails = s.expectedCalls.filter((c) => c.needs.length > 0);
    expect(heads).toHaveLength(2);
    expect(tails.map((c) => c.needs)).toEqual(heads.map((h) => [h.id]));
    expect(s.dag.optimalTurns).toBe(3);
  });
});

describe.each(scenarios.map((s) => [s.id, s] as const))('%s', (_id, s) => {
  it('ref:optimal completes in exactly the optimal number of turns, never calling early', async () => {
    const record = await runReference(s, 'ref:optimal');
    expect(record.status).toBe('completed');
    expect(record.turns).toHaveLength(s.dag.optimalTurns);
    const calls = record.turns.flatMap((t) => t.calls);
    expect(calls).toHaveLength(s.expectedCalls.length);
    expect(calls.every((c) => !c.isError && c.depsSatisfied)).toBe(true);
  });

  it('ref:sequential completes with one call per turn plus the answer', async () => {
    const record = await runReference(s, 'ref:sequential');
    expect(record.status).toBe('completed');
    expect(record.turns).toHaveLength(s.expectedCalls.length + 1);
  });
});

describe('long-horizon scenarios', () => {
  const long = scenarios.filter((s) => s.expectedCalls.length >= 10);

  it('are the three written for it, each tagged long-horizon, in domains the suite already had', () => {
    expect(long.map((s) => [s.id, s.expectedCalls.length, s.dag.widths.join('/'), s.dag.optimalTurns])).toEqual([
      ['coding-lockfile-audit', 12, '6/3/3', 4],
      ['finance-month-end-bank-rec', 10, '8/2', 3],
      ['ops-checkout-path-sweep', 11, '1/6/4', 4],
    ]);
    for (const s of long) expect(s.tags, s.id).toContain('long-horizon');
  });

  it('need 10+ round-trips one call per turn, at most 3 tool turns at best, and set a max_turns that fits the sequential run', () => {
    for (const s of long) {
      expect(s.expectedCalls.length, s.id).toBeGreaterThanOrEqual(10);
      expect(s.dag.optimalTurns - 1, s.id).toBeLessThanOrEqual(3);
      expect(s.maxTurns, s.id).toBeGreaterThan(RUN_DEFAULTS.maxTurns);
      expect(s.maxTurns ?? 0, s.id).toBeGreaterThanOrEqual(s.expectedCalls.length + 1);
    }
  });
});

describe('trap scenarios', () => {
  const traps = scenarios.filter((s) => s.shape === 'trap');

  it('each have a guessed call listed here', () => {
    expect(traps.map((s) => s.id).sort()).toEqual(Object.keys(TRAP_GUESSES).sort());
  });

  it.each(traps.map((s) => [s.id, s] as const))('%s: calling the dependent tool with a guessed argument is a tool error', async (id, s) => {
    const guess = TRAP_GUESSES[id];
    if (!guess) throw new Error(`no guess for trap ${id}`);
    const dependent = s.expectedCalls.filter((c) => c.tool === guess.tool && c.needs.length > 0);
    expect(dependent.length, 'the guessed tool is a dependent step').toBeGreaterThan(0);
    const outcome = await new MockToolExecutor(s).execute(guess.tool, guess.args, JSON.stringify(guess.args));
    expect(outcome.isError).toBe(true);
  });
});

describe('every variant runs the suite loop', () => {
  it.each(VARIANT_IDS)('%s: ref:optimal on ops-service-health takes 2 turns', async (id) => {
    const record = await runReference(scenario('ops-service-health'), 'ref:optimal', variant(id));
    expect(record.status).toBe('completed');
    expect(record.turns).toHaveLength(2);
  });
});
