import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../harness/config/load-config.js';
import { resolveRunSettings } from '../../harness/config/run-settings.js';
import { main } from '../../harness/cli/program.js';
import { readRun } from '../../harness/run/run-files.js';
import { captureIO, PROJECT } from '../helpers.js';

function project(config: string, name = 'batchbench.config.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'bb-config-'));
  writeFileSync(join(dir, name), config);
  return dir;
}

describe('config file', () => {
  it('a YAML config resolves paths against its directory and fills every setting', async () => {
    const dir = project(`providers:\n  - ref:optimal\n  - { id: openai:gpt-4o-mini, base_url: "http://127.0.0.1:9/v1", temperature: 0, requests_per_minute: 60 }\nscenarios: [${PROJECT}/scenarios]\nvariants: [prompts]\nrepeats: 2\nseed: 9\nout: out\n`);
    const { config, file } = await loadConfig({ cwd: dir });
    expect(file).toBe(join(dir, 'batchbench.config.yaml'));
    const settings = resolveRunSettings(config, {});
    expect(settings.providers).toEqual([
      { spec: 'ref:optimal', options: {} },
      { spec: 'openai:gpt-4o-mini', options: { baseUrl: 'http://127.0.0.1:9/v1', temperature: 0, requestsPerMinute: 60 } },
    ]);
    expect(settings).toMatchObject({ scenarioPaths: [`${PROJECT}/scenarios`], variantPaths: [join(dir, 'prompts')], repeats: 2, seed: 9, out: join(dir, 'out'), concurrency: 8 });
    const overridden = resolveRunSettings(config, { repeats: '5', provider: ['openai:gpt-4o-mini'], temperature: '0.5' });
    expect(overridden.repeats).toBe(5);
    expect(overridden.providers).toEqual([{ spec: 'openai:gpt-4o-mini', options: { baseUrl: 'http://127.0.0.1:9/v1', temperature: 0.5, requestsPerMinute: 60 } }]);
  });

  it('errors name the file and the field', async () => {
    const dir = project('providers: [ref:optimal]\nrepeats: -1\nconcurency: 3\n');
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(/batchbench\.config\.yaml: repeats: .*\n.*batchbench\.config\.yaml: concurency: unknown field/);
    await expect(loadConfig({ cwd: dir, file: 'missing.yaml' })).rejects.toThrow(/missing\.yaml: config file not found/);
  });

  it('a TypeScript config with defineConfig loads', async () => {
    const dir = project(
      `import { defineConfig } from '${join(import.meta.dirname, '..', '..', 'harness', 'config', 'load-config.ts')}';\nexport default defineConfig({ providers: ['ref:sequential'], repeats: 4 });\n`,
      'batchbench.config.ts',
    );
    const { config } = await loadConfig({ cwd: dir });
    expect(config).toEqual({ providers: ['ref:sequential'], repeats: 4 });
  });

  it('`run --config` with no other flags runs exactly what the file describes', async () => {
    const dir = project(`providers: [ref:sequential]\nscenarios: [${PROJECT}/scenarios]\nvariants: [${PROJECT}/prompts/plain.md]\nrepeats: 1\nout: out\n`);
    const io = captureIO();
    expect(await main(['run', '--config', join(dir, 'batchbench.config.yaml'), '--run-id', 'c', '--quiet'], io)).toBe(0);
    const run = readRun(join(dir, 'out', 'c'));
    expect(run.manifest.config).toMatchObject({ providers: [{ id: 'ref:sequential', kind: 'reference' }], variants: ['plain'], repeats: 1 });
    expect(run.sessions).toHaveLength(3);
  });
});

describe('the config reference', () => {
  it('in docs/config.md and in the README is the one generated from the schema', async () => {
    const { configDoc, withReadmeReference } = await import('../../harness/config/config-doc.js');
    const { readFileSync } = await import('node:fs');
    const root = join(import.meta.dirname, '..', '..');
    expect(readFileSync(join(root, 'docs', 'config.md'), 'utf8')).toBe(configDoc());
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('| `providers[].base_url` |');
    expect(withReadmeReference(readme)).toBe(readme);
  });
});

describe('gates in the config file', () => {
  it('are validated when the config loads, naming the field', async () => {
    const dir = project('gates:\n  batching_rate: { max_drop: 0.05 }\n  turns: { max_rise: "ten percent" }\n  vibes: { max_drop: 1 }\n');
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(/gates\.turns\.max_rise/);
    const ok = project('gates:\n  batching_rate: { max_drop: 0.05 }\n  turns: { max_rise: "10%" }\n');
    expect((await loadConfig({ cwd: ok })).config.gates).toEqual({ batching_rate: { max_drop: 0.05 }, turns: { max_rise: '10%' } });
  });
});

describe('model latency per provider', () => {
  it('a provider of the config sets its own; --model-latency <provider>=<ms> wins over it, <ms> over the run-wide value', () => {
    const config = { model_latency_ms: 900, providers: [{ id: 'openai:gpt-4o', model_latency_ms: 1500 }, { id: 'anthropic:claude-sonnet-4-5', model_latency_ms: 2000 }, 'ref:optimal'] };
    const fromFile = resolveRunSettings(config, {});
    expect(fromFile.modelLatencyMs).toBe(900);
    expect(fromFile.modelLatencyByProvider).toEqual({ 'openai:gpt-4o': 1500, 'anthropic:claude-sonnet-4-5': 2000 });
    const flagged = resolveRunSettings(config, { modelLatency: ['300', 'anthropic:claude-sonnet-4-5=2500,ref:optimal=0'] });
    expect(flagged.modelLatencyMs).toBe(300);
    expect(flagged.modelLatencyByProvider).toEqual({ 'openai:gpt-4o': 1500, 'anthropic:claude-sonnet-4-5': 2500, 'ref:optimal': 0 });
    expect(() => resolveRunSettings(config, { modelLatency: ['-5'] })).toThrow('--model-latency "-5"');
  });
});
