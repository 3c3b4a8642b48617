import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEMI_SPACE_CAP_MB } from '../../harness/cli/heap-limits.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'young-generation.ts');

/** The young generation's peak size (MB) of a child allocating like a run. */
function youngPeak(args: string[], nodeOptions = ''): number {
  const r = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: nodeOptions } });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { peakMb: number }).peakMb;
}

describe('the CLI caps the young generation at run time', () => {
  it('stops its growth at two halves of SEMI_SPACE_CAP_MB, where V8 alone grows it further', () => {
    const free = youngPeak([]);
    const limited = youngPeak(['limit']);
    expect(free).toBeGreaterThan(2 * SEMI_SPACE_CAP_MB);
    expect(limited).toBeLessThanOrEqual(2 * SEMI_SPACE_CAP_MB);
    expect(limited).toBeGreaterThanOrEqual(SEMI_SPACE_CAP_MB);
  });

  it('leaves the young generation alone when Node was given its size', () => {
    expect(youngPeak(['limit'], '--max-semi-space-size=16')).toBeGreaterThan(2 * SEMI_SPACE_CAP_MB);
  });
});
