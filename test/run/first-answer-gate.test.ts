import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVariantsOrThrow } from '../../harness/scenarios/load-variants.js';
import { ProviderError } from '../../harness/providers/provider-errors.js';
import type { ProviderHandle } from '../../harness/providers/registry.js';
import { createProvider } from '../../harness/providers/registry.js';
import { FirstAnswerGate } from '../../harness/run/first-answer-gate.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { PROJECT } from '../helpers.js';

const scenarios = loadScenariosOrThrow([join(PROJECT, 'scenarios')]);
const variants = loadVariantsOrThrow([join(PROJECT, 'prompts')]);

/** A model-kind provider over `ref:optimal` whose calls go through `call` first. */
function modelProvider(call: (signal: AbortSignal | undefined) => Promise<void>, log: string[]): ProviderHandle {
  const inner = createProvider('ref:optimal');
  return {
    id: 'model:test',
    kind: 'model',
    forScenario(scenario) {
      const p = inner.forScenario(scenario);
      return {
        id: 'model:test',
        kind: 'model',
        generate: async (request, signal) => {
          log.push(`start ${scenario.id}`);
          await call(signal);
          return p.generate(request, signal);
        },
      };
    },
  };
}

const base = (provider: ProviderHandle, signal?: AbortSignal) => ({
  scenarios,
  variants: variants.slice(0, 1),
  providers: [provider],
  repeats: 2,
  concurrency: 4,
  seed: 1,
  outDir: mkdtempSync(join(tmpdir(), 'bb-gate-unit-')),
  modelLatencyMs: 0,
  maxTurns: 10,
  ...(signal ? { signal } : {}),
});

describe('FirstAnswerGate', () => {
  it('lets one session in, holds the others until open, then lets everyone in', async () => {
    const gate = new FirstAnswerGate();
    expect(await gate.enter()).toBe(true);
    let waited = false;
    const second = gate.enter().then((leads) => {
      waited = true;
      return leads;
    });
    await new Promise((r) => setImmediate(r));
    expect(waited).toBe(false);
    gate.open();
    expect(await second).toBe(false);
    expect(await gate.enter()).toBe(false);
  });

  it('a first session that errors without halting opens the gate: the others run and meet the error themselves', async () => {
    const log: string[] = [];
    let calls = 0;
    const provider = modelProvider(async () => {
      calls += 1;
      if (calls === 1) throw new ProviderError('HTTP 500 from the API', { isRetryable: false });
    }, log);
    const { manifest, dir } = await runSuite(base(provider));
    expect(manifest.sessionsWritten).toBe(scenarios.length * 2);
    const statuses = readRun(dir).sessions.map((s) => s.status);
    expect(statuses.filter((s) => s === 'errored')).toHaveLength(1);
    expect(statuses.filter((s) => s === 'completed')).toHaveLength(scenarios.length * 2 - 1);
  });

  it('Ctrl-C while the first session waits on the model: the waiting sessions are released and the run ends', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const provider = modelProvider(
      (signal) =>
        new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(new ProviderError('request aborted')), { once: true });
          setTimeout(() => controller.abort(), 20);
        }),
      log,
    );
    const { manifest } = await runSuite(base(provider, controller.signal));
    expect(manifest.state).toBe('interrupted');
    // Only the first session ever called the model: the others were held, then stopped by the abort.
    expect(log).toHaveLength(1);
    expect(manifest.interrupted).toHaveLength(1);
  });
});
