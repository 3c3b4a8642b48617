import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'batchbench.js');

/** A directory outside any ES-module package (no package.json above it says "type": "module"): Node reads a .ts there as CommonJS. */
function plainDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bb-ts-plain-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const cli = (args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('TypeScript configs and handler modules outside an ES-module package (tsx installed)', () => {
  it('loads a batchbench.config.ts with types and its default export, and the run follows it', () => {
    const dir = plainDir();
    const config = join(dir, 'batchbench.config.ts');
    writeFileSync(config, "const repeats: number = 2;\nexport default { providers: ['ref:optimal'], repeats, scenarios: ['" + join(ROOT, 'scenarios') + "'], prompts: ['" + join(ROOT, 'prompts') + "'] };\n");
    const validate = cli(['validate', '--config', config], dir);
    expect([validate.status, validate.stderr]).toEqual([0, '']);
    const run = cli(['run', '--config', config, '--quiet', '--out', join(dir, 'out'), '--run-id', 'r'], dir);
    expect(run.status).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'r', 'run.json'), 'utf8')) as { config: { repeats: number; providers: { id: string }[] }; sessionsWritten: number };
    expect(manifest.config.repeats).toBe(2);
    expect(manifest.config.providers.map((p) => p.id)).toEqual(['ref:optimal']);
    expect(manifest.sessionsWritten).toBe(30 * 6 * 2);
  }, 60_000);

  it('loads a handler module .ts with named and default exports, and its results reach the session', () => {
    const dir = plainDir();
    mkdirSync(join(dir, 'coded'));
    writeFileSync(
      join(dir, 'coded', 's.yaml'),
      ['id: coded', 'title: t', 'domain: d', 'shape: single-call', 'task: q', 'handlers: ./h.ts', 'tools:', '  - { name: get_stock, description: d, parameters: { type: object } }', 'expected_calls: [{ id: a, tool: get_stock, args: { sku: A1 } }]', 'reference_answer: ok'].join('\n'),
    );
    writeFileSync(join(dir, 'coded', 'h.ts'), "export function get_stock(args: Record<string, unknown>): string {\n  return `in stock: ${String(args['sku'])}`;\n}\nexport default { get_stock };\n");
    const args = ['--scenarios', 'coded', '--prompts', join(ROOT, 'prompts')];
    const validate = cli(['validate', ...args], dir);
    expect([validate.status, validate.stdout]).toEqual([0, "loaded handler module coded/h.ts (its code ran with your user's rights)\nok: 1 scenario(s), 6 prompt variant(s)\n"]);
    const run = cli(['run', ...args, '-p', 'ref:optimal', '-r', '1', '--quiet', '--out', join(dir, 'out'), '--run-id', 'r'], dir);
    expect(run.status).toBe(0);
    const sessions = readFileSync(join(dir, 'out', 'r', 'sessions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { turns: { calls: { result: string; isError: boolean }[] }[] });
    expect(sessions).toHaveLength(6);
    for (const s of sessions) expect(s.turns.flatMap((t) => t.calls.map((c) => [c.result, c.isError]))).toEqual([['in stock: A1', false]]);
  }, 60_000);
});
