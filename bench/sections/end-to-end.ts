import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type Figure } from '../lib.js';

/** The default suite with the default reference policies, CLI start to reports written, as a child process (bin/batchbench.js: the shipped bundle in dist/ when fresh). */
export function endToEnd(root: string, runs: number): Figure[] {
  const walls: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(join(tmpdir(), 'bb-bench-e2e-'));
    const started = performance.now();
    execFileSync(process.execPath, [join(root, 'bin', 'batchbench.js'), 'run', '--quiet', '--out', out], { cwd: root, stdio: 'ignore' });
    walls.push(performance.now() - started);
  }
  return [
    {
      section: '3 end to end',
      name: 'default suite, `batchbench run` start to reports written',
      value: median(walls) / 1000,
      unit: 's',
      target: { op: '<=', limit: 1.5, label: '<= 1.5 s' },
      spread: `min ${(Math.min(...walls) / 1000).toFixed(2)} / max ${(Math.max(...walls) / 1000).toFixed(2)} s, n=${runs}`,
    },
  ];
}
