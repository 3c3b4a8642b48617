import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const WATCH = join(import.meta.dirname, 'fixtures', 'watch-sdk-imports.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'bb-lazy-sdk-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI from source with the SDK watch hook; returns the SDK modules requested and the exit code. */
function cli(name: string, args: string[], env: Record<string, string> = {}): { sdks: string[]; status: number | null; stderr: string } {
  const watch = join(tmp, `${name}.txt`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', WATCH, join(ROOT, 'harness', 'cli', 'bin.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env, SDK_WATCH_FILE: watch },
    encoding: 'utf8',
  });
  const sdks = existsSync(watch) ? [...new Set(readFileSync(watch, 'utf8').trim().split('\n'))].sort() : [];
  return { sdks, status: r.status, stderr: r.stderr };
}

describe('the provider SDKs load only when a model is called', () => {
  const small = ['--scenarios', 'scenarios/travel-weather-cities.yaml', '--variants', 'baseline', '--repeats', '1', '--quiet'];

  it('a run of reference policies and `list` never load openai or @anthropic-ai/sdk', () => {
    const run = cli('ref', ['run', '--provider', 'ref:optimal', ...small, '--out', join(tmp, 'ref')]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.sdks).toEqual([]);
    const list = cli('list', ['list']);
    expect(list.status, list.stderr).toBe(0);
    expect(list.sdks).toEqual([]);
  });

  it('a model provider loads its SDK when its first request goes out (the watch sees it)', () => {
    const run = cli('model', ['run', '--provider', 'openai:gpt-4o-mini', '--base-url', 'http://127.0.0.1:9', '--max-retries', '0', '--timeout', '2000', ...small, '--out', join(tmp, 'model')], {
      OPENAI_API_KEY: 'sk-test-lazy',
    });
    expect(run.status, run.stderr).toBe(3);
    expect(run.sdks).toEqual(['openai']);
  });
});
