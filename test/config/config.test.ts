import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../harness/config/load-config.js';
import { Command } from 'commander';
import { mergeRunConfig, runConfigFromFile } from '../../harness/config/run-config.js';
import { resolveRunSettings } from '../../harness/config/run-settings.js';
import { addFlags, RUN_FLAGS, type RunFlags } from '../../harness/cli/flags.js';
import { runConfigFromFlags } from '../../harness/cli/commands/run.js';
import { PROVIDER_PREFIXES } from '../../harness/providers/provider-spec.js';
import { providerFactories } from '../../harness/providers/registry.js';
import { main } from '../../harness/cli/program.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { captureIO, PROJECT } from '../helpers.js';

/** The flags of `run` as its parsers read them. */
function runFlags(argv: readonly string[]): RunFlags {
  const cmd = addFlags(new Command('run').exitOverride(), RUN_FLAGS);
  cmd.parse([...argv], { from: 'user' });
  return cmd.opts<RunFlags>();
}

function project(config: string, name = 'batchbench.config.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'bb-config-'));
  writeFileSync(join(dir, name), config);
  return dir;
}

describe('config file', () => {
  it('a YAML config resolves paths against its directory and fills every setting', async () => {
    const dir = project(`providers:\n  - ref:optimal\n  - { id: openai:gpt-4o-mini, base_url: "http://127.0.0.1:9/v1", temperature: 0, requests_per_minute: 60 }\nscenarios: [${PROJECT}/scenarios]\nprompts: [${PROJECT}/prompts]\nrepeats: 2\nseed: 9\nout: out\n`);
    const { config, file } = await loadConfig({ cwd: dir });
    expect(file).toBe(join(dir, 'batchbench.config.yaml'));
    const settings = resolveRunSettings(runConfigFromFile(config, file));
    expect(settings.providers).toEqual([
      { spec: 'ref:optimal', options: {} },
      { spec: 'openai:gpt-4o-mini', options: { baseUrl: 'http://127.0.0.1:9/v1', temperature: 0, requestsPerMinute: 60 } },
    ]);
    expect(settings).toMatchObject({ scenarioPaths: [`${PROJECT}/scenarios`], variantPaths: [`${PROJECT}/prompts`], variantIds: [], repeats: 2, seed: 9, out: join(dir, 'out'), concurrency: 8 });
    const overridden = resolveRunSettings(mergeRunConfig(runConfigFromFile(config, file), runConfigFromFlags(runFlags(['--repeats', '5', '--provider', 'openai:gpt-4o-mini', '--temperature', '0.5']))));
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

  it('`run --config` with no other flags runs exactly what the file describes: prompts: gives paths, variants: picks ids', async () => {
    const dir = project(`providers: [ref:sequential]\nscenarios: [${PROJECT}/scenarios]\nprompts: [${PROJECT}/prompts]\nvariants: [together]\nrepeats: 1\nout: out\n`);
    const io = captureIO();
    expect(await main(['run', '--config', join(dir, 'batchbench.config.yaml'), '--run-id', 'c', '--quiet'], io)).toBe(0);
    expect(io.stderr.join('\n')).not.toContain('warning');
    const run = readRun(join(dir, 'out', 'c'));
    expect(run.manifest.config).toMatchObject({ providers: [{ id: 'ref:sequential', kind: 'reference' }], variants: ['together'], repeats: 1 });
    expect(run.sessions).toHaveLength(3);
  });

  it('paths under variants: (the old meaning) are still read as prompts:, with a deprecation warning naming the file and the field', async () => {
    const dir = project(`providers: [ref:sequential]\nscenarios: [${PROJECT}/scenarios]\nvariants: [${PROJECT}/prompts/plain.md]\nrepeats: 1\nout: out\n`);
    const loaded = await loadConfig({ cwd: dir });
    expect(loaded.config.prompts).toEqual([`${PROJECT}/prompts/plain.md`]);
    expect(loaded.config.variants).toBeUndefined();
    expect(loaded.warnings).toEqual([
      'batchbench.config.yaml: variants: holds paths, read as prompts: (deprecated: write prompt files and directories under prompts:; variants: now names variant ids, as --variants does)',
    ].map((w) => w.replace('batchbench.config.yaml', join(dir, 'batchbench.config.yaml'))));
    const io = captureIO();
    expect(await main(['run', '--config', join(dir, 'batchbench.config.yaml'), '--run-id', 'c', '--quiet'], io)).toBe(0);
    expect(io.stderr.join('\n')).toContain('warning: ');
    expect(io.stderr.join('\n')).toContain('variants: holds paths, read as prompts:');
    expect(readRun(join(dir, 'out', 'c')).manifest.config).toMatchObject({ variants: ['plain'] });
  });

  it('an unknown variant id under variants: or report.baseline names the config file and the field; exit 2 before any session', async () => {
    for (const [yaml, field] of [
      ['variants: [nope]\n', 'variants: unknown variant(s): nope; available: plain, together'],
      ['report: { baseline: nope }\n', 'report.baseline: "nope" is not a variant of this run; its variants are: plain, together'],
    ] as const) {
      const dir = project(`providers: [ref:sequential]\nscenarios: [${PROJECT}/scenarios]\nprompts: [${PROJECT}/prompts]\nrepeats: 1\nout: out\n${yaml}`);
      const file = join(dir, 'batchbench.config.yaml');
      const io = captureIO();
      expect(await main(['run', '--config', file, '--run-id', 'c', '--quiet'], io)).toBe(2);
      expect(io.stderr.join('\n')).toContain(`${file}: ${field}`);
      expect(existsSync(join(dir, 'out', 'c', 'sessions.jsonl'))).toBe(false);
    }
  });

  it('a missing path, an unknown provider and a rate gate above 1 are refused, each naming the file and the field', async () => {
    const dir = project(
      `providers: [foo:bar, { id: "ref:bogus" }, ref:optimal]\nscenarios: [nowhere]\nprompts: [${PROJECT}/prompts, missing-prompts]\ngates:\n  batching_rate: { max_drop: 5 }\n  turns: { max_rise: 5 }\n`,
    );
    await expect(loadConfig({ cwd: dir })).rejects.toThrow(
      /batchbench\.config\.yaml: gates\.batching_rate\.max_drop: batching_rate is a rate from 0 to 1, so 5 would be 500 points; write 0\.05 for 5 points, or "5%" for 5% of the baseline/,
    );
    const fixed = project(`providers: [foo:bar, { id: "ref:bogus" }, ref:optimal]\nscenarios: [nowhere]\nprompts: [${PROJECT}/prompts, missing-prompts]\n`);
    const error = await loadConfig({ cwd: fixed }).then(
      () => undefined,
      (e: Error) => e.message,
    );
    expect(Object.keys(providerFactories)).toEqual([...PROVIDER_PREFIXES]);
    const file = join(fixed, 'batchbench.config.yaml');
    expect(error?.split('\n')).toEqual([
      `${file}: scenarios.0: no such file or directory: ${join(fixed, 'nowhere')}`,
      `${file}: prompts.1: no such file or directory: ${join(fixed, 'missing-prompts')}`,
      `${file}: providers.0: unknown provider "foo:bar"; known prefixes: ref:, openai:, openai-responses:, anthropic:`,
      `${file}: providers.1.id: unknown reference policy "ref:bogus"; use ref:sequential, ref:optimal or ref:stochastic:<p> with p in [0, 1]`,
    ]);
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
    const fromFile = resolveRunSettings(runConfigFromFile(config, undefined));
    expect(fromFile.modelLatencyMs).toBe(900);
    expect(fromFile.modelLatencyByProvider).toEqual({ 'openai:gpt-4o': 1500, 'anthropic:claude-sonnet-4-5': 2000 });
    const flagged = resolveRunSettings(mergeRunConfig(runConfigFromFile(config, undefined), runConfigFromFlags(runFlags(['--model-latency', '300', '--model-latency', 'anthropic:claude-sonnet-4-5=2500,ref:optimal=0']))));
    expect(flagged.modelLatencyMs).toBe(300);
    expect(flagged.modelLatencyByProvider).toEqual({ 'openai:gpt-4o': 1500, 'anthropic:claude-sonnet-4-5': 2500, 'ref:optimal': 0 });
    expect(() => runFlags(['--model-latency', '-5'])).toThrow('--model-latency "-5"');
  });
});
