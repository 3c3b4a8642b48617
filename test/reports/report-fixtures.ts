/** Runs for the report tests, made by the real engine with reference policies. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { createProvider } from '../../harness/providers/registry.js';
import { runSuite } from '../../harness/run/run-suite.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { PROJECT } from '../helpers.js';

/** Text a hostile tool or fixture could return: markup that must show as text and never run. */
export const EVIL = '<img src=x onerror="window.__pwned=1"> </script><script>window.__pwned=2</script>';

/** A scenario whose title, tool results and answer carry `EVIL`. */
export function writeEvilScenario(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'evil.yaml');
  const q = JSON.stringify(EVIL);
  writeFileSync(
    file,
    [
      'id: t-evil',
      `title: ${JSON.stringify(`Hostile text ${EVIL}`)}`,
      'domain: security',
      'shape: fan-out',
      'difficulty: easy',
      'task: Read both notes.',
      'tools:',
      '  - name: read_note',
      '    description: Read a note.',
      '    parameters: { type: object, properties: { id: { type: string } }, required: [id] }',
      '    results:',
      `      - { match: { id: a }, result: { note: ${q} } }`,
      `      - { match: { id: b }, result: { note: ${q} } }`,
      'expected_calls:',
      '  - { id: a, tool: read_note, args: { id: a } }',
      '  - { id: b, tool: read_note, args: { id: b } }',
      'success:',
      '  answer_contains: [notes]',
      `reference_answer: ${JSON.stringify(`Both notes read. ${EVIL}`)}`,
      '',
    ].join('\n'),
  );
  return file;
}

export interface FixtureRunOptions {
  providers?: string[];
  repeats?: number;
  evil?: boolean;
  runId?: string;
}

/** Runs the fixture project (plus the hostile scenario when asked) and returns the run directory. */
export async function fixtureRun(options: FixtureRunOptions = {}): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'batchbench-report-'));
  const paths = [join(PROJECT, 'scenarios')];
  if (options.evil) paths.push(writeEvilScenario(join(root, 'scenarios')));
  const { variants, issues } = loadVariants([join(PROJECT, 'prompts')]);
  if (issues.length > 0) throw new Error(issues.map((i) => i.message).join('\n'));
  const result = await runSuite({
    scenarios: loadScenariosOrThrow(paths),
    variants,
    providers: (options.providers ?? ['ref:sequential', 'ref:stochastic:0.5', 'ref:optimal']).map((p) => createProvider(p)),
    repeats: options.repeats ?? 3,
    concurrency: 8,
    seed: 42,
    outDir: root,
    runId: options.runId ?? 'run',
    modelLatencyMs: 800,
    maxTurns: 10,
  });
  return result.dir;
}
