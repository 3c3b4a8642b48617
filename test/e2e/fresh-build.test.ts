import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distIsFresh, finishBuild, stampBuild } from '../../bin/fresh-build.js';

function clone(): string {
  const root = mkdtempSync(join(tmpdir(), 'bb-fresh-'));
  mkdirSync(join(root, 'harness', 'cli'), { recursive: true });
  mkdirSync(join(root, 'dist', 'harness', 'cli'), { recursive: true });
  writeFileSync(join(root, 'harness', 'cli', 'bin.ts'), '');
  writeFileSync(join(root, 'package.json'), '{}');
  writeFileSync(join(root, 'dist', 'harness', 'cli', 'bin.js'), '');
  return root;
}

const at = (path: string, seconds: number): void => utimesSync(path, seconds, seconds);

describe('dist/ freshness (npm start, bin/batchbench.js in a clone)', () => {
  it('is stale without a build stamp, fresh after one, stale again when a source or package.json changes', () => {
    const root = clone();
    expect(distIsFresh(root)).toBe(false);
    for (const f of ['harness/cli/bin.ts', 'package.json']) at(join(root, f), 1_000_000);
    stampBuild(root);
    at(join(root, 'dist', '.build-stamp'), 1_000_010);
    expect(distIsFresh(root)).toBe(true);
    at(join(root, 'harness', 'cli', 'bin.ts'), 1_000_020);
    expect(distIsFresh(root)).toBe(false);
    at(join(root, 'harness', 'cli', 'bin.ts'), 1_000_000);
    writeFileSync(join(root, 'harness', 'new-file.ts'), '');
    at(join(root, 'harness', 'new-file.ts'), 1_000_000);
    expect(distIsFresh(root)).toBe(true);
    at(join(root, 'package.json'), 1_000_030);
    expect(distIsFresh(root)).toBe(false);
  });

  it('is stale when the compiled entry point is missing', () => {
    const root = clone();
    stampBuild(root);
    at(join(root, 'dist', '.build-stamp'), 2_000_000_000);
    expect(distIsFresh(root)).toBe(true);
    rmSync(join(root, 'dist', 'harness', 'cli', 'bin.js'));
    expect(distIsFresh(root)).toBe(false);
  });

  it('finishing a build writes the help cache and the compiled vocabulary with the compiled program, then the stamp; without the program, no stamp', () => {
    const root = clone();
    expect(finishBuild(root)).toBe(false);
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(false);
    // compiled writers that write a file each: finishBuild runs them from the clone's root, then stamps
    writeFileSync(join(root, 'dist', 'harness', 'cli', 'write-help-cache.js'), "import { writeFileSync } from 'node:fs';\nwriteFileSync('dist/harness/cli/help.json', '{}');\n");
    expect(finishBuild(root)).toBe(false);
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(false);
    mkdirSync(join(root, 'dist', 'harness', 'providers'));
    writeFileSync(join(root, 'dist', 'harness', 'providers', 'write-vocabulary.js'), "import { writeFileSync } from 'node:fs';\nwriteFileSync('dist/harness/providers/o200k_base.bin', 'v');\n");
    expect(finishBuild(root)).toBe(true);
    expect(readFileSync(join(root, 'dist', 'harness', 'cli', 'help.json'), 'utf8')).toBe('{}');
    expect(readFileSync(join(root, 'dist', 'harness', 'providers', 'o200k_base.bin'), 'utf8')).toBe('v');
    expect(existsSync(join(root, 'dist', '.build-stamp'))).toBe(true);
  });
});
