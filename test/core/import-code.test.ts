import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCodeFile, isTypeScriptFile, type TypeScriptSupport } from '../../harness/core/import-code.js';

/** A process with neither tsx nor Node's type stripping (what Node 20 without tsx is); counts what was asked. */
function without(stripping = false): TypeScriptSupport & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    registerTsx: () => {
      asked.push('tsx');
      return Promise.resolve(false);
    },
    nodeStripsTypes: () => {
      asked.push('stripping');
      return stripping;
    },
  };
}

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'bb-import-code-'));
}

describe('importCodeFile', () => {
  it('refuses a TypeScript file when there is neither tsx nor type stripping, naming the file and what to do, without running it', async () => {
    const file = join(dir(), 'batchbench.config.ts');
    writeFileSync(file, "throw new Error('this module ran');\nexport default {} as object;\n");
    const support = without();
    expect(await importCodeFile(file, 'batchbench.config.ts', 'a .js, .mjs or .yaml config file', support)).toEqual({
      issue: {
        file: 'batchbench.config.ts',
        path: '',
        message: `cannot load a TypeScript file: Node ${process.version} does not strip types and tsx is not installed. Install tsx beside batchbench (npm i -D tsx; npm i -g tsx for a global batchbench), run Node >= 22.18, or use a .js, .mjs or .yaml config file`,
      },
    });
    expect(support.asked).toEqual(['tsx', 'stripping']);
  });

  it('with no tsx but a Node that strips types, imports the TypeScript file itself (here through vitest, as Node would)', async () => {
    const file = join(dir(), 'h.mts');
    writeFileSync(file, 'const n: number = 2;\nexport default { n };\n');
    const support = without(true);
    expect(await importCodeFile(file, 'h.mts', 'a .js or .mjs module', support)).toEqual({ exports: expect.objectContaining({ default: { n: 2 } }) });
    expect(support.asked).toEqual(['tsx', 'stripping']);
  });

  it('imports JavaScript without asking for any TypeScript loader', async () => {
    const file = join(dir(), 'h.mjs');
    writeFileSync(file, 'export default { get_stock: () => 3 };\n');
    const support = without();
    const loaded = await importCodeFile(file, 'h.mjs', 'a .js or .mjs module', support);
    expect('exports' in loaded && typeof (loaded.exports['default'] as { get_stock?: unknown }).get_stock).toBe('function');
    expect(support.asked).toEqual([]);
  });

  it('turns a module that throws while loading into an issue naming the file', async () => {
    const file = join(dir(), 'bad.mjs');
    writeFileSync(file, "throw new Error('no database here');\n");
    expect(await importCodeFile(file, 'scenarios/bad.mjs', 'a .js or .mjs module', without())).toEqual({
      issue: { file: 'scenarios/bad.mjs', path: '', message: 'cannot load: no database here' },
    });
  });

  it('knows TypeScript files by extension', () => {
    expect(['a.ts', 'a.mts', 'a.cts', 'a.js', 'a.mjs', 'a.yaml', 'a.d.tsx'].filter(isTypeScriptFile)).toEqual(['a.ts', 'a.mts', 'a.cts']);
  });
});
