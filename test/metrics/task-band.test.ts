import { describe, expect, it } from 'vitest';
import { batchableCalls, batchedOfBatchable, taskBand } from '../../harness/metrics/task-band.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import type { Scenario } from '../../harness/scenarios/types.js';
import { fixtureScenario, session } from '../helpers.js';

const dagOf = (s: Scenario) => s.expectedCalls.map((c) => ({ id: c.id, tool: c.tool, args: c.args, needs: c.needs }));

describe('batching relative to the task', () => {
  it('batchable calls from the task graph: chain 0, fan-out of 4 all 4, diamond its 2 middle calls', () => {
    expect(batchableCalls(dagOf(fixtureScenario('chain')))).toBe(0);
    expect(batchableCalls(dagOf(fixtureScenario('fan-out')))).toBe(4);
    expect(batchableCalls(dagOf(fixtureScenario('diamond')))).toBe(2);
  });

  it('ref:optimal batches all it can (100%), ref:sequential none (0%), and a chain has nothing to batch (n/a, not poor)', async () => {
    for (const name of ['fan-out', 'diamond']) {
      const s = fixtureScenario(name);
      expect(batchedOfBatchable(await session(s, 'ref:optimal'), dagOf(s))).toBe(1);
      expect(batchedOfBatchable(await session(s, 'ref:sequential'), dagOf(s))).toBe(0);
    }
    const chain = fixtureScenario('chain');
    const share = batchedOfBatchable(await session(chain, 'ref:optimal'), dagOf(chain));
    expect(share).toBeNaN();
    expect(taskBand(share)).toBe('n/a');
  });

  it('ref:optimal is in the top band on every task of the shipped suite that has something to batch', async () => {
    const scenarios = loadScenariosOrThrow(['scenarios']);
    const shapes = new Set<string>();
    for (const s of scenarios) {
      const share = batchedOfBatchable(await session(s, 'ref:optimal'), dagOf(s));
      if (batchableCalls(dagOf(s)) === 0) {
        expect(taskBand(share), s.id).toBe('n/a');
        continue;
      }
      shapes.add(s.shape);
      expect(share, s.id).toBe(1);
      expect(taskBand(share)).toBe('excellent');
    }
    // Every shape with something to batch was seen (chains and single calls have nothing to batch).
    expect(shapes.size).toBeGreaterThanOrEqual(5);
  });

  it.each([
    [1, 'excellent'],
    [0.9, 'excellent'],
    [0.899, 'target'],
    [0.6, 'target'],
    [0.599, 'below target'],
    [0.3, 'below target'],
    [0.299, 'poor'],
    [0, 'poor'],
  ] as const)('share %f is %s', (share, band) => {
    expect(taskBand(share)).toBe(band);
  });
});
