import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const HARNESS = join(import.meta.dirname, '..', '..', 'harness');

/** ARCHITECTURE.md, "Never": the rooms a room must not import. */
const NEVER: Record<string, readonly string[]> = {
  core: ['config', 'scenarios', 'providers', 'run', 'metrics', 'reports', 'cli'],
  metrics: ['providers', 'run', 'scenarios', 'cli'],
  reports: ['providers', 'run', 'scenarios'],
  providers: ['run', 'reports'],
  scenarios: ['run'],
  run: ['cli', 'reports'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The room each relative import of `file` reaches (static, type-only and dynamic imports alike). */
function importedRooms(file: string): { spec: string; room: string }[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)'(\.{1,2}\/[^']+)'/gm)].map((m) => {
    const spec = m[1] as string;
    return { spec, room: relative(HARNESS, resolve(dirname(file), spec)).split('/')[0] ?? '' };
  });
}

describe('import rules', () => {
  it('the import finder sees static, type-only and dynamic imports', () => {
    const run = join(HARNESS, 'run', 'run-configured.ts');
    expect(importedRooms(run).map((i) => i.room)).toEqual(expect.arrayContaining(['config', 'core', 'providers']));
    const program = join(HARNESS, 'cli', 'program.ts');
    expect(importedRooms(program).map((i) => i.spec)).toContain('./commands/run.js');
  });

  it.each(Object.entries(NEVER))('%s imports none of its forbidden rooms', (room, forbidden) => {
    const broken = sources(join(HARNESS, room)).flatMap((file) =>
      importedRooms(file)
        .filter((i) => forbidden.includes(i.room))
        .map((i) => `${relative(HARNESS, file)} -> ${i.spec}`),
    );
    expect(broken).toEqual([]);
  });
});
