import { Document, isMap, isSeq } from 'yaml';
import { schemaModeline } from '../../core/project-files.js';
import type { z } from 'zod';
import type { InputIssue } from '../../core/errors.js';
import { jsonEqual, OMITTED } from '../../core/match-args.js';
import type { scenarioSchema } from '../schema.js';
import { readBfclSet, type BfclCall, type BfclItem, type BfclSource } from './bfcl-input.js';
import { bfclType, toJsonSchema } from './bfcl-schema.js';
import { apiToolNames, describeRenamed } from './tool-names.js';

/**
 * Converts Berkeley Function Calling Leaderboard questions into scenarios:
 * the question's functions become the tools (renamed where the model APIs
 * would reject the name), its user message the task, and each ground-truth
 * call one independent expected call whose `args` hold the first accepted
 * value of each parameter and whose `accept` lists the alternatives. Every
 * accepted variant of every call gets a mocked result that echoes the call.
 */

/** A scenario file as written (before defaults are applied). */
export type ScenarioDocument = z.input<typeof scenarioSchema>;

export interface ConvertedScenario {
  /** The BFCL question id, e.g. `parallel_0`. */
  sourceId: string;
  fileName: string;
  document: ScenarioDocument;
  /** Original name -> API name, for the tools that had to be renamed. */
  renamed: Map<string, string>;
}

/** More accepted variants than this for one call is reported as bad input rather than written out. */
export const MAX_VARIANTS_PER_CALL = 1000;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function pushUnique(list: unknown[], value: unknown): void {
  if (!list.some((v) => jsonEqual(v, value))) list.push(value);
}

/**
 * Every way to pick one accepted value per key; a key whose pick is `""` is
 * left out. `{ a: [1, 2], b: ["", 3] }` gives `{a:1}`, `{a:1,b:3}`, `{a:2}`, `{a:2,b:3}`.
 */
export function combinations(accepted: Readonly<Record<string, readonly unknown[]>>): Record<string, unknown>[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(accepted)) {
    combos = combos.flatMap((c) => values.map((v) => (v === OMITTED ? c : { ...c, [key]: v })));
  }
  const unique: Record<string, unknown>[] = [];
  for (const c of combos) if (!unique.some((u) => jsonEqual(u, c))) unique.push(c);
  return unique;
}

/**
 * The accepted values of one parameter, without duplicates. For a `dict`
 * parameter BFCL lists each key's accepted values inside the object
 * (`{ adults: [2], children: [2] }`); those become the concrete objects.
 */
export function acceptedValues(values: readonly unknown[], type: string | undefined): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (type === 'dict' && isPlainObject(value)) {
      const nested = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
      for (const concrete of combinations(nested)) pushUnique(out, concrete);
    } else {
      pushUnique(out, value);
    }
  }
  return out;
}

/** `parallel_0` -> `bfcl-parallel-0`. */
export function scenarioIdOf(bfclId: string): string {
  return `bfcl-${bfclId.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/** `parallel_0` -> `parallel`, `parallel_multiple_12` -> `parallel-multiple`. */
function categoryOf(bfclId: string): string {
  return bfclId.replace(/_\d+$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-');
}

function shapeOf(calls: readonly BfclCall[]): string {
  if (calls.length === 1) return 'single-call';
  return new Set(calls.map((c) => c.tool)).size === 1 ? 'same-tool-n-args' : 'fan-out';
}

/** Converts one question; problems name the question's or the answer's file and line. */
export function convertBfclItem(item: BfclItem): { converted?: ConvertedScenario; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const names = apiToolNames(item.functions.map((f) => f.name));
  const apiName = (name: string): string => names.get(name) ?? name;

  const calls = item.calls.map((call, j) => {
    const fn = item.functions.find((f) => f.name === call.tool);
    const accepted = Object.fromEntries(
      Object.entries(call.params).map(([param, values]) => [param, acceptedValues(values, bfclType(fn?.parameters.properties[param]))]),
    );
    const variants = combinations(accepted);
    if (variants.length > MAX_VARIANTS_PER_CALL) {
      issues.push({
        file: item.where.answers,
        path: `ground_truth.${j}.${call.tool}`,
        message: `${variants.length} accepted argument combinations (at most ${MAX_VARIANTS_PER_CALL} are mocked)`,
      });
    }
    const args: Record<string, unknown> = {};
    const accept: Record<string, unknown[]> = {};
    for (const [param, values] of Object.entries(accepted)) {
      const [first] = values;
      if (first !== OMITTED) args[param] = first;
      if (values.length > 1 || first === OMITTED) accept[param] = values;
    }
    return { tool: call.tool, args, accept, variants };
  });

  const tools = item.functions.map((fn, i) => {
    const { schema, problems } = toJsonSchema(fn.parameters, `function.${i}.parameters`);
    issues.push(...problems.map((p) => ({ file: item.where.questions, path: p.path, message: p.message })));
    const results: { match: Record<string, unknown>; match_mode: 'bfcl'; result: unknown }[] = [];
    const seen: unknown[] = [];
    for (const call of calls.filter((c) => c.tool === fn.name)) {
      for (const variant of call.variants) {
        if (seen.some((s) => jsonEqual(s, variant))) continue;
        seen.push(variant);
        results.push({ match: variant, match_mode: 'bfcl', result: { ok: true, tool: fn.name, args: variant } });
      }
    }
    const name = apiName(fn.name);
    const tool = { name, description: describeRenamed(fn.description, fn.name, name), parameters: { ...schema, type: 'object' as const }, results };
    // A function the ground truth never calls (offered as a distractor) answers every call with an error.
    return results.length > 0 ? tool : { ...tool, fallback: { error: `nothing recorded for this call of ${fn.name}` } };
  });
  if (issues.length > 0) return { issues };

  const usedTools = [...new Set(item.calls.map((c) => c.tool))];
  const document: ScenarioDocument = {
    id: scenarioIdOf(item.id),
    title: `BFCL ${item.id}: ${calls.length} call${calls.length === 1 ? '' : 's'} of ${usedTools.join(', ')}`,
    domain: 'bfcl',
    shape: shapeOf(item.calls),
    difficulty: 'easy',
    tags: ['bfcl', `bfcl-${categoryOf(item.id)}`],
    task: item.task,
    ...(item.context !== undefined ? { context: item.context } : {}),
    tools,
    expected_calls: calls.map((c, j) => ({
      id: `call-${j + 1}`,
      tool: apiName(c.tool),
      args: c.args,
      ...(Object.keys(c.accept).length > 0 ? { accept: c.accept } : {}),
      match_mode: 'bfcl' as const,
    })),
    reference_answer: `Done: made the ${calls.length} requested call${calls.length === 1 ? '' : 's'}.`,
  };
  const renamed = new Map([...names].filter(([from, to]) => from !== to));
  return { converted: { sourceId: item.id, fileName: `${document.id}.yaml`, document, renamed }, issues };
}

/** The YAML text of a converted scenario: block style, with each expected call and each mocked result on one flow line. */
export function scenarioYaml(converted: ConvertedScenario, schemaPath?: string): string {
  const doc = new Document(converted.document, { aliasDuplicateObjects: false });
  doc.commentBefore =
    ` BFCL question ${converted.sourceId}, converted by \`batchbench import bfcl\`; regenerate instead of editing.\n` +
    ' Berkeley Function Calling Leaderboard, Apache License 2.0: see README.md and LICENSE in this directory.';
  const flowItems = (path: (string | number)[]): void => {
    const seq = doc.getIn(path, true);
    if (isSeq(seq)) for (const item of seq.items) if (isMap(item)) item.flow = true;
  };
  flowItems(['expected_calls']);
  converted.document.tools.forEach((_, i) => flowItems(['tools', i, 'results']));
  // The editor's schema line first (the YAML language server reads it from the file's first line).
  return `${schemaPath !== undefined ? `${schemaModeline(schemaPath)}\n` : ''}${doc.toString({ lineWidth: 0 })}`;
}

export interface BfclConversion {
  scenarios: ConvertedScenario[];
  /** File name -> YAML text, in question order. */
  files: { name: string; text: string }[];
  /** Why questions (or answers) could not be converted; each such question is skipped. */
  issues: InputIssue[];
  /** Ground-truth parameters left out (optional, but not in the function's schema). */
  dropped: InputIssue[];
  /** Non-blank lines of the question file. */
  questionCount: number;
}

/**
 * Reads, validates and converts a BFCL question file and its answers. A
 * question that cannot be converted is skipped, with its reasons in `issues`;
 * the others are converted.
 */
/**
 * `schemaPath`: the scenario JSON Schema as seen from where the files will be
 * written; each file then starts with the `# yaml-language-server` line.
 */
export function convertBfcl(questions: BfclSource, answers: BfclSource, schemaPath?: string): BfclConversion {
  const { items, issues, dropped, questionCount } = readBfclSet(questions, answers);
  const scenarios: ConvertedScenario[] = [];
  const sourceOf = new Map<string, string>();
  for (const item of items) {
    const result = convertBfclItem(item);
    issues.push(...result.issues);
    if (!result.converted) continue;
    const id = result.converted.document.id;
    const other = sourceOf.get(id);
    if (other !== undefined) {
      issues.push({ file: item.where.questions, path: 'id', message: `becomes scenario id "${id}", like question "${other}"` });
      continue;
    }
    sourceOf.set(id, item.id);
    scenarios.push(result.converted);
  }
  const kept = new Set(scenarios.map((s) => s.sourceId));
  return {
    scenarios,
    files: scenarios.map((s) => ({ name: s.fileName, text: scenarioYaml(s, schemaPath) })),
    issues,
    dropped: dropped.filter((d) => items.some((i) => kept.has(i.id) && i.where.answers === d.file)),
    questionCount,
  };
}
