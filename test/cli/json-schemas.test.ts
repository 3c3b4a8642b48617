import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initCommand } from '../../harness/cli/commands/init.js';
import { loadConfig } from '../../harness/config/load-config.js';
import { SCHEMA_DIR, SCHEMA_NAMES, schemaFile, schemaText } from '../../harness/cli/json-schemas.js';
import { captureIO } from '../helpers.js';

const root = join(import.meta.dirname, '..', '..');
const filesIn = (dir: string, ext: string): string[] => readdirSync(join(root, dir)).filter((f) => f.endsWith(ext)).map((f) => join(dir, f));
/** The YAML part's first line: line 1 of a YAML file, line 2 (after `---`) of a prompt file. */
const modelineOf = (file: string): string => readFileSync(file, 'utf8').split('\n')[file.endsWith('.md') ? 1 : 0] ?? '';

describe('JSON Schemas for editors', () => {
  it('schemas/*.schema.json are the ones generated from the zod schemas (npx tsx harness/cli/write-json-schemas.ts)', () => {
    for (const name of SCHEMA_NAMES) expect(readFileSync(join(root, SCHEMA_DIR, schemaFile(name)), 'utf8'), name).toBe(schemaText(name));
    expect(readdirSync(join(root, SCHEMA_DIR)).sort()).toEqual(['config.schema.json', 'gates.schema.json', 'prompt.schema.json', 'scenario.schema.json']);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain(SCHEMA_DIR);
  });

  it('describe the files as batchbench reads them: required fields, the new config keys, gate names', () => {
    const scenario = JSON.parse(schemaText('scenario')) as { required: string[]; additionalProperties: boolean };
    expect(scenario.required).toEqual(['id', 'title', 'domain', 'shape', 'task', 'tools', 'expected_calls', 'reference_answer']);
    expect(scenario.additionalProperties).toBe(false);
    const prompt = JSON.parse(schemaText('prompt')) as {
      required: string[];
      properties: { strategy: { enum: string[] } };
      allOf: { if: { properties: { strategy: { const: string } }; required?: string[] }; then: { properties: { strategy_options: { properties: Record<string, unknown>; additionalProperties: boolean } } } }[];
    };
    expect(prompt.required).toEqual(['id', 'description']);
    // strategy_options follow the chosen strategy's options schema; the default strategy's apply when `strategy` is left out.
    expect(prompt.properties.strategy.enum).toEqual(['loop', 'budgeted', 'chain', 'hybrid', 'plan-execute']);
    const options = Object.fromEntries(prompt.allOf.map((b) => [b.if.properties.strategy.const, b.then.properties.strategy_options]));
    expect(options['budgeted']?.properties).toMatchObject({
      max_turns: { type: 'integer', minimum: 1, maximum: 1000, default: 5 },
      max_tool_calls_per_turn: { type: 'integer', minimum: 1, default: 5 },
    });
    expect(options['chain']?.properties).toMatchObject({ chain: { type: 'string', minLength: 1 } });
    expect(Object.values(options).every((o) => o.additionalProperties === false)).toBe(true);
    expect(options['loop']?.properties).toEqual({});
    expect(prompt.allOf.map((b) => b.if.required ?? [])).toEqual([[], ['strategy'], ['strategy'], ['strategy'], ['strategy']]);
    const config = JSON.parse(schemaText('config')) as { properties: Record<string, { description: string }> };
    expect(config.properties['prompts']?.description).toMatch(/^Prompt variant files or directories/);
    expect(config.properties['variants']?.description).toMatch(/^Prompt variant ids to run/);
    expect(config.properties['providers']).toBeDefined();
    const gates = JSON.parse(schemaText('gates')) as { properties: { gates: { propertyNames: { enum: string[] } } } };
    expect(gates.properties.gates.propertyNames.enum).toEqual(expect.arrayContaining(['error_rate', 'success_rate', 'batching_rate', 'turns', 'input_tokens']));
  });

  // scenarios/bfcl/ is left as `import bfcl` writes it (a test compares it with a fresh conversion).
  it('every shipped scenario and prompt file points the YAML language server at its schema', () => {
    const shipped = [
      ...filesIn('scenarios', '.yaml').map((f) => [f, 'scenario'] as const),
      ...filesIn('prompts', '.md').map((f) => [f, 'prompt'] as const),
      ...filesIn('prompts/strategies', '.md').map((f) => [f, 'prompt'] as const),
    ];
    expect(shipped.length).toBeGreaterThan(39);
    for (const [file, name] of shipped) {
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(modelineOf(join(root, file)));
      expect(m, file).not.toBeNull();
      // The relative path resolves to the schema in the repository.
      expect(resolve(dirname(join(root, file)), m?.[1] ?? ''), file).toBe(join(root, SCHEMA_DIR, schemaFile(name)));
    }
  });

  it("init's files point at the schemas of the installed package, and the config still loads", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-init-schema-'));
    expect(initCommand({ dir }, captureIO())).toBe(0);
    const expected: [string, string][] = [
      ['batchbench.config.yaml', './node_modules/batchbench/schemas/config.schema.json'],
      ['scenarios/weather-three-cities.yaml', '../node_modules/batchbench/schemas/scenario.schema.json'],
      ['prompts/baseline.md', '../node_modules/batchbench/schemas/prompt.schema.json'],
      ['prompts/batch-independent.md', '../node_modules/batchbench/schemas/prompt.schema.json'],
    ];
    for (const [file, schema] of expected) {
      expect(modelineOf(join(dir, file)), file).toBe(`# yaml-language-server: $schema=${schema}`);
      // Installed as a package, the path lands on a shipped schema file.
      const inPackage = resolve(dirname(join(dir, file)), schema).replace(join(dir, 'node_modules', 'batchbench'), root);
      expect(existsSync(inPackage), inPackage).toBe(true);
    }
    const { config, warnings } = await loadConfig({ cwd: dir });
    expect(warnings).toEqual([]);
    expect(config.prompts).toEqual([join(dir, 'prompts')]);
  });
});
