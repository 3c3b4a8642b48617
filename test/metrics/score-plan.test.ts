import { describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../harness/core/plan-format.js';
import { adherence, planMetrics, summarisePlans } from '../../harness/metrics/plan-metrics.js';
import { scorePlan, type DagNode } from '../../harness/metrics/score-plan.js';
import type { SessionRecord } from '../../harness/core/run-file/records.js';
import { session } from '../helpers.js';
import { strategyScenario, strategyVariant } from '../run/strategies/helpers.js';

// The diamond: trip -> weather, hotel -> total. Optimal depth 3.
const DIAMOND: DagNode[] = [
  { id: 'trip', tool: 'get_trip', args: { trip_id: 'T-1' }, needs: [] },
  { id: 'weather', tool: 'weather', args: { city: 'Lyon' }, needs: ['trip'] },
  { id: 'hotel', tool: 'hotel', args: { city: 'Lyon' }, needs: ['trip'] },
  { id: 'total', tool: 'total_cost', args: { per_night: 95, nights: 2 }, needs: ['weather', 'hotel'] },
];

function plan(text: string): Plan {
  const p = parsePlan(text);
  if (!p.ok) throw new Error(p.error);
  return p.plan;
}

describe('scorePlan against the DAG', () => {
  it('a valid optimal plan: 3 groups for depth 3, no violations', () => {
    const score = scorePlan(plan('{"parallel_groups": [["get_trip(trip_id=T-1)"], ["weather(city=Lyon)", "hotel(city=Lyon)"], ["total_cost(per_night=$3.per_night, nights=2)"]]}'), DIAMOND);
    expect(score).toEqual({
      groups: 3,
      calls: 4,
      optimalDepth: 3,
      extraGroups: 0,
      valid: true,
      violations: [],
      missingNodes: [],
      extraCalls: 0,
      nodes: [['trip'], ['weather', 'hotel'], ['total']],
    });
  });

  it('a dependent call in the first group is a violation naming the call and its unmet needs', () => {
    const score = scorePlan(plan('{"parallel_groups": [["get_trip(trip_id=T-1)", "weather(city=Lyon)"], ["hotel(city=Lyon)"], ["total_cost(per_night=95, nights=2)"]]}'), DIAMOND);
    expect(score.valid).toBe(false);
    expect(score.violations).toEqual([{ group: 1, index: 2, call: 'weather(city="Lyon")', node: 'weather', needs: ['trip'] }]);
    expect(score).toMatchObject({ groups: 3, extraGroups: 0 });
  });

  it('a sequential plan is valid with one extra group; a plan that skips a call leaves its dependant unmet', () => {
    expect(scorePlan(plan('{"parallel_groups": [["get_trip(trip_id=T-1)"], ["weather(city=Lyon)"], ["hotel(city=Lyon)"], ["total_cost(per_night=95, nights=2)"]]}'), DIAMOND)).toMatchObject({
      groups: 4,
      extraGroups: 1,
      valid: true,
    });
    const partial = scorePlan(plan('{"parallel_groups": [["get_trip(trip_id=T-1)", "search(q=x)"], ["weather(city=Lyon)"], ["total_cost(per_night=95, nights=2)"]]}'), DIAMOND);
    expect(partial).toMatchObject({ valid: false, missingNodes: ['hotel'], extraCalls: 1, nodes: [['trip', null], ['weather'], ['total']] });
    expect(partial.violations).toEqual([{ group: 3, index: 1, call: 'total_cost(per_night=95, nights=2)', node: 'total', needs: ['hotel'] }]);
  });

  it('a guessed argument does not stand for the node; accepted alternatives and references do', () => {
    const dag: DagNode[] = [
      { id: 'c', tool: 'find', args: { email: 'j@x' }, needs: [] },
      { id: 'o', tool: 'order', args: { id: 'C-1', status: 'open' }, needs: ['c'], accept: { status: ['open', ''] } },
    ];
    expect(scorePlan(plan('{"parallel_groups": [["find(email=j@x)"], ["order(id=C-9)"]]}'), dag).nodes).toEqual([['c'], [null]]);
    expect(scorePlan(plan('{"parallel_groups": [["find(email=j@x)"], ["order(id=$1.id)"]]}'), dag).nodes).toEqual([['c'], ['o']]);
    expect(scorePlan(plan('{"parallel_groups": [["find(email=j@x)"], ["order(id=C-1, status=closed)"]]}'), dag).nodes).toEqual([['c'], [null]]);
  });
});

describe('plan adherence', () => {
  it('a planned call follows when it is made in the execution step whose rank is its group number', () => {
    // plan [[a, b], [c]]
    const planned = [['a', 'b'], ['c']];
    expect(adherence(planned, [['a', 'b'], ['c']])).toEqual({ followed: 3, planned: 3, fraction: 1 });
    // one at a time: only a (step 1, group 1) follows
    expect(adherence(planned, [['a'], ['b'], ['c']])).toEqual({ followed: 1, planned: 3, fraction: 1 / 3 });
    // all at once: c (group 2) ran in step 1
    expect(adherence(planned, [['a', 'b', 'c']])).toEqual({ followed: 2, planned: 3, fraction: 2 / 3 });
    // unplanned calls and repeats do not count as steps; c never made
    expect(adherence(planned, [['x'], ['a', 'b', 'x'], ['a']])).toEqual({ followed: 2, planned: 3, fraction: 2 / 3 });
  });
});

describe('planMetrics over recorded sessions', () => {
  const jsonPlan = { ...strategyVariant('loop'), id: 'json-plan', expectsPlan: true, system: 'Before any call, write {"parallel_groups": [[...], ...]} and then follow it.' };

  it('json-plan under the plain loop: the reference policy writes its plan with its first calls and follows it', async () => {
    const scenario = strategyScenario('diamond');
    const dag = scenario.expectedCalls;
    const optimal = await session(scenario, 'ref:optimal', { variant: jsonPlan });
    expect(optimal.turns[0]?.text).toContain('"parallel_groups"');
    expect(planMetrics(optimal, dag)).toMatchObject({ source: 'first-response', parsed: true, groups: 3, optimalDepth: 3, extraGroups: 0, valid: true, followed: 4, adherence: 1 });
    const sequential = await session(scenario, 'ref:sequential', { variant: jsonPlan });
    expect(planMetrics(sequential, dag)).toMatchObject({ parsed: true, groups: 4, extraGroups: 1, valid: true, followed: 4, adherence: 1 });
    // Without the plan instruction there is no plan to score.
    const plain = await session(scenario, 'ref:optimal');
    expect(planMetrics(plain, dag)).toMatchObject({ parsed: false, error: 'no JSON object with "parallel_groups" found', followed: null, adherence: null });
  });

  it('a plan the model did not follow: the turns are the execution steps', () => {
    const turn = (text: string, calls: [string, string][]) => ({
      text,
      calls: calls.map(([node, name]) => ({ node, name, args: {}, errorKind: undefined })),
    });
    const record = {
      turns: [
        turn('{"parallel_groups": [["get_trip(trip_id=T-1)"], ["weather(city=Lyon)", "hotel(city=Lyon)"], ["total_cost(per_night=95, nights=2)"]]}', [['trip', 'get_trip']]),
        turn('', [['weather', 'weather']]),
        turn('', [['hotel', 'hotel'], ['total', 'total_cost']]),
        turn('done', []),
      ],
    } as unknown as SessionRecord;
    // trip step 1 = group 1; weather step 2 = group 2; hotel step 3 != 2; total step 3 = 3: 3/4.
    expect(planMetrics(record, DIAMOND)).toMatchObject({ parsed: true, valid: true, followed: 3, adherence: 0.75 });
  });

  it('summarisePlans: parse rate, valid rate and means per provider and variant', () => {
    const rec = (variantId: string, text: string) =>
      ({ provider: { id: 'p', kind: 'scripted' }, variantId, strategy: 'loop', scenarioId: 'd', turns: [{ text, calls: [] }] }) as unknown as SessionRecord;
    const valid = '{"parallel_groups": [["get_trip(trip_id=T-1)"], ["weather(city=Lyon)", "hotel(city=Lyon)"], ["total_cost(per_night=95, nights=2)"]]}';
    const invalid = '{"parallel_groups": [["get_trip(trip_id=T-1)", "weather(city=Lyon)", "hotel(city=Lyon)"], ["total_cost(per_night=95, nights=2)"]]}';
    const rows = summarisePlans([rec('json-plan', valid), rec('json-plan', invalid), rec('json-plan', 'no plan'), rec('baseline', 'hi')], () => DIAMOND);
    // json-plan: 2 of 3 parsed; 1 of 2 valid; groups 3 and 2 -> mean 2.5, extra 0 and -1 -> -0.5; nothing executed -> adherence 0.
    expect(rows).toEqual([
      { providerId: 'p', variantId: 'json-plan', strategy: 'loop', sessions: 3, parsed: 2, parseRate: 2 / 3, validRate: 0.5, meanGroups: 2.5, meanExtraGroups: -0.5, meanAdherence: 0 },
      { providerId: 'p', variantId: 'baseline', strategy: 'loop', sessions: 1, parsed: 0, parseRate: 0, validRate: Number.NaN, meanGroups: Number.NaN, meanExtraGroups: Number.NaN, meanAdherence: Number.NaN },
    ]);
  });
});

describe('a reference policy is told whether a plan is expected, never reads the wording', () => {
  it('writes a plan for a variant that expects one, whatever its prompt says, and none for one that does not', async () => {
    const scenario = strategyScenario('diamond');
    const silent = { ...strategyVariant('loop'), id: 'plan-no-wording', expectsPlan: true, system: 'Use the tools.' };
    const wordy = { ...strategyVariant('loop'), id: 'wording-no-plan', expectsPlan: false, system: 'Write {"parallel_groups": [[...]]} first.' };
    expect((await session(scenario, 'ref:optimal', { variant: silent })).turns[0]?.text).toContain('"parallel_groups"');
    expect((await session(scenario, 'ref:optimal', { variant: wordy })).turns[0]?.text ?? '').not.toContain('parallel_groups');
  });
});

describe('a planned call fits its node as the run matched the calls themselves', () => {
  const lint: DagNode = { id: 'lint', tool: 'lint_files', args: { files: ['a.ts', 'b.ts'] }, unordered: ['files'], needs: [] };
  const city: DagNode = { id: 'nyc', tool: 'weather', args: { city: 'New York, NY' }, match_mode: 'bfcl', needs: [] };
  const plan = (tool: string, args: Record<string, unknown>): Plan => ({ groups: [[{ tool, args }]] });

  it('an `unordered` list in another order fits; without `unordered` it does not', () => {
    expect(scorePlan(plan('lint_files', { files: ['b.ts', 'a.ts'] }), [lint]).nodes).toEqual([['lint']]);
    const { unordered: _u, ...ordered } = lint;
    expect(scorePlan(plan('lint_files', { files: ['b.ts', 'a.ts'] }), [ordered]).nodes).toEqual([[null]]);
    // Same items are still required.
    expect(scorePlan(plan('lint_files', { files: ['a.ts'] }), [lint]).nodes).toEqual([[null]]);
  });

  it('under `match_mode: bfcl` a string differing in case, spaces and punctuation fits; under exact matching it does not', () => {
    expect(scorePlan(plan('weather', { city: 'new york ny' }), [city]).nodes).toEqual([['nyc']]);
    const { match_mode: _m, ...exact } = city;
    expect(scorePlan(plan('weather', { city: 'new york ny' }), [exact]).nodes).toEqual([[null]]);
  });
});
