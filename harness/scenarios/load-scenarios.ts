import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { bytes, DEFAULT_MAX_FIXTURE_BYTES, notRegularFile, readBounded } from '../core/bounded-read.js';
import { InputError, type InputIssue } from '../core/errors.js';
import { lazySha256 } from '../core/sha256.js';
import { displayPath, expandPaths, parseYaml, readInputFile, validateWith } from '../core/input-files.js';
import { stepIssues } from './chain-steps.js';
import { analyseDag, findCycle } from '../core/dag.js';
import { argsAccepted, OMITTED } from '../core/match-args.js';
import { echoOutcome, matchExtras } from './mock-extras.js';
import { findMock } from './mock-tools.js';
import { fixturesRootFor, projectDirFor, resolveInside } from './project-paths.js';
import { parameterNames, unknownParameters } from './parameters.js';
import { scenarioSchema, type ExpectedCall, type FallbackSpec, type MockResultSpec, type ScenarioFile } from './schema.js';
import { answerHasFact, factLabel } from './success.js';
import type { MockOutcome, Scenario, ScenarioTool } from './types.js';

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml'];

export interface LoadResult {
  scenarios: Scenario[];
  issues: InputIssue[];
}

/** Limits on what a scenario may pull in. */
export interface ScenarioLoadOptions {
  /** Largest `result_file` fixture or handler module, in bytes (default DEFAULT_MAX_FIXTURE_BYTES). */
  maxFixtureBytes?: number;
}

/** Loads and validates scenario files (files or directories); collects every issue instead of stopping at the first. */
export function loadScenarios(paths: readonly string[], options: ScenarioLoadOptions = {}): LoadResult {
  const scenarios: Scenario[] = [];
  const issues: InputIssue[] = [];
  for (const file of expandPaths(paths, SCENARIO_EXTENSIONS)) {
    const result = loadScenarioFile(file, options);
    issues.push(...result.issues);
    if (result.scenario) scenarios.push(result.scenario);
  }
  const seen = new Map<string, string>();
  for (const s of scenarios) {
    const other = seen.get(s.id);
    if (other) issues.push({ file: displayPath(s.file), path: 'id', message: `id "${s.id}" is also used by ${displayPath(other)}` });
    seen.set(s.id, s.file);
  }
  return { scenarios, issues };
}

/** Like `loadScenarios`, but throws an `InputError` listing every issue. */
export function loadScenariosOrThrow(paths: readonly string[], options: ScenarioLoadOptions = {}): Scenario[] {
  const { scenarios, issues } = loadScenarios(paths, options);
  if (issues.length > 0) throw new InputError(issues);
  return scenarios;
}

/** Loads one scenario file (at most MAX_YAML_BYTES); its fixtures and handler module must stay inside the project. */
export function loadScenarioFile(file: string, options: ScenarioLoadOptions = {}): { scenario?: Scenario; issues: InputIssue[] } {
  const shown = displayPath(file);
  const read = readInputFile(file, shown);
  if (read.text === undefined) return { issues: read.issues };
  const text = read.text;
  const yaml = parseYaml(text, shown);
  if (yaml.issues.length > 0) return { issues: yaml.issues };
  const { data, issues } = validateWith(scenarioSchema, yaml.value, shown);
  if (!data) return { issues };
  return buildScenario(data, file, text, options.maxFixtureBytes ?? DEFAULT_MAX_FIXTURE_BYTES);
}

function buildScenario(data: ScenarioFile, file: string, text: string, maxFixtureBytes: number): { scenario?: Scenario; issues: InputIssue[] } {
  const shown = displayPath(file);
  const issues: InputIssue[] = [];
  const issue = (path: string, message: string): void => {
    issues.push({ file: shown, path, message });
  };
  // The file's text, then each result_file fixture's as it is read.
  const hashed = [text];
  const resolveFixture = fixtureResolver(file);

  const toolNames = new Set<string>();
  data.tools.forEach((t, i) => {
    if (toolNames.has(t.name)) issue(`tools.${i}.name`, `duplicate tool "${t.name}"`);
    toolNames.add(t.name);
  });

  const resolveOutcome = (spec: MockResultSpec | FallbackSpec, path: string): MockOutcome => {
    if (spec.error !== undefined) return { kind: 'error', message: spec.error };
    if (spec.result_file !== undefined) {
      const ref = spec.result_file;
      const target = resolveFixture(ref);
      if ('problem' in target) {
        issue(`${path}.result_file`, target.problem);
        return { kind: 'result', content: '' };
      }
      const read = readBounded(target.real, maxFixtureBytes, { noFollow: true });
      if ('problem' in read) {
        issue(`${path}.result_file`, `fixture "${ref}" ${read.problem}${read.tooBig ? ' (raise it with max_fixture_bytes or --max-fixture-bytes)' : ''}`);
        return { kind: 'result', content: '' };
      }
      const content = read.text;
      hashed.push(content);
      if (target.file.endsWith('.json')) {
        try {
          return { kind: 'result', content: JSON.stringify(JSON.parse(content)) };
        } catch (e) {
          issue(`${path}.result_file`, `fixture "${ref}" is not valid JSON: ${(e as Error).message}`);
        }
      }
      return { kind: 'result', content };
    }
    const r = spec.result;
    return { kind: 'result', content: typeof r === 'string' ? r : JSON.stringify(r) };
  };

  const tools: ScenarioTool[] = data.tools.map((t, i) => ({
    definition: { name: t.name, description: t.description, parameters: t.parameters },
    latencyMs: t.latency_ms,
    mocks: t.results.map((m, j) => ({
      match: m.match,
      mode: m.match_mode,
      ...matchExtras(m, `tools.${i}.results.${j}`, issue),
      outcome: resolveOutcome(m, `tools.${i}.results.${j}`),
      latencyMs: m.latency_ms ?? t.latency_ms,
    })),
    fallback: t.fallback
      ? { outcome: echoOutcome(t.fallback, resolveOutcome(t.fallback, `tools.${i}.fallback`), `tools.${i}.fallback`, issue), latencyMs: t.fallback.latency_ms ?? t.latency_ms }
      : undefined,
  }));

  const handlers = data.handlers === undefined ? undefined : resolveHandlers(file, data.handlers, maxFixtureBytes);
  if (handlers !== undefined && 'problem' in handlers) issue('handlers', handlers.problem);
  if (handlers === undefined) {
    data.tools.forEach((t, i) => {
      if (t.results.length === 0 && !t.fallback) {
        issue(`tools.${i}`, `tool "${t.name}" has no mocked result, fallback or handler, so every call to it could only fail; give it a fallback (a result or an error)`);
      }
    });
  }

  const ids = new Set<string>();
  data.expected_calls.forEach((c, i) => {
    if (ids.has(c.id)) issue(`expected_calls.${i}.id`, `duplicate expected-call id "${c.id}"`);
    ids.add(c.id);
  });
  data.expected_calls.forEach((c, i) => {
    const tool = tools.find((t) => t.definition.name === c.tool);
    if (!tool) {
      issue(`expected_calls.${i}.tool`, `unknown tool "${c.tool}" (tools: ${[...toolNames].join(', ')})`);
    } else {
      const mock = findMock(tool, c.args);
      // A tool with no mocks in a scenario with handlers is answered by code, checked by validateHandlers.
      const byHandler = handlers !== undefined && tool.mocks.length === 0 && !tool.fallback;
      const strangers = unknownParameters(tool.definition.parameters, c.args);
      for (const key of strangers) {
        issue(`expected_calls.${i}.args.${key}`, `"${key}" is not a parameter of "${c.tool}" (parameters: ${parameterNames(tool.definition.parameters).join(', ') || 'none'})`);
      }
      if (!byHandler && strangers.length === 0 && (!mock || mock.outcome.kind === 'error')) {
        issue(`expected_calls.${i}.args`, `no mocked result of "${c.tool}" answers these arguments`);
      }
      if (c.accept && !argsAccepted(c.args, c.args, c.accept)) {
        issue(`expected_calls.${i}.args`, 'for keys of accept, args must hold one of the accepted values (or omit the key when "" is accepted)');
      }
      for (const { key, index, args } of acceptedVariants(c)) {
        const variant = findMock(tool, args);
        if (!variant || variant.outcome.kind === 'error') {
          issue(`expected_calls.${i}.accept.${key}.${index}`, `no mocked result of "${c.tool}" answers the call with this accepted value`);
        }
      }
    }
    c.needs.forEach((n, j) => {
      if (!ids.has(n)) issue(`expected_calls.${i}.needs.${j}`, `unknown expected-call id "${n}"`);
      if (n === c.id) issue(`expected_calls.${i}.needs.${j}`, 'a call cannot need itself');
    });
  });
  for (const [name, steps] of Object.entries(data.chains ?? {})) {
    for (const i of stepIssues(steps, `chains.${name}`, { tools: toolNames })) issue(i.path, i.message);
  }
  if (data.hybrid) {
    for (const i of stepIssues(data.hybrid.steps, 'hybrid.steps', { tools: toolNames, gathered: ids })) issue(i.path, i.message);
  }
  const cycle = findCycle(data.expected_calls);
  if (cycle) issue('expected_calls', `dependency cycle: ${cycle.join(' -> ')}`);

  const required = data.success.required_calls === 'all' ? data.expected_calls.map((c) => c.id) : data.success.required_calls;
  required.forEach((id, i) => {
    if (!ids.has(id)) issue(`success.required_calls.${i}`, `unknown expected-call id "${id}"`);
  });
  data.success.answer_contains.forEach((fact, i) => {
    if (!answerHasFact(data.reference_answer, fact)) {
      issue('reference_answer', `does not contain the required fact ${JSON.stringify(factLabel(fact))}, so the task cannot be checked as solvable`);
    }
  });

  if (issues.length > 0) return { issues };
  const hash = lazySha256(hashed);
  return {
    scenario: {
      id: data.id,
      title: data.title,
      domain: data.domain,
      shape: data.shape,
      difficulty: data.difficulty,
      tags: data.tags,
      task: data.task,
      ...(data.context !== undefined ? { context: data.context } : {}),
      ...(data.max_turns !== undefined ? { maxTurns: data.max_turns } : {}),
      tools,
      expectedCalls: data.expected_calls,
      success: { requiredCalls: required, answerContains: data.success.answer_contains, ...(data.success.trajectory ? { trajectory: data.success.trajectory } : {}) },
      referenceAnswer: data.reference_answer,
      ...(data.chains ? { chains: data.chains } : {}),
      ...(data.hybrid ? { hybrid: data.hybrid } : {}),
      dag: analyseDag(data.expected_calls),
      handlersFile: handlers !== undefined && 'file' in handlers ? handlers.file : undefined,
      file,
      get hash() {
        return hash();
      },
    },
    issues,
  };
}

/** The call's `args` with one accepted value swapped in (or the key left out for `""`), for each accepted value. */
function acceptedVariants(call: ExpectedCall): { key: string; index: number; args: Record<string, unknown> }[] {
  return Object.entries(call.accept ?? {}).flatMap(([key, values]) =>
    values.map((value, index) => {
      const rest = Object.fromEntries(Object.entries(call.args).filter(([k]) => k !== key));
      return { key, index, args: value === OMITTED ? rest : { ...rest, [key]: value } };
    }),
  );
}

/** The fixtures root as shown in messages, e.g. `fixtures/`. */
const rootLabel = (dir: string): string => `${displayPath(dir) || '.'}/`;

/**
 * `./x` and `../x` are relative to the scenario file; anything else to the
 * nearest `fixtures/`. Either way the file must lie inside that fixtures root
 * after symlinks are followed.
 */
function fixtureResolver(scenarioFile: string): (ref: string) => { file: string; real: string } | { problem: string } {
  // The root, its label and its real path are looked up at the first fixture and kept for the scenario's others.
  let at: { root: string; label: string; real: () => string } | null | undefined;
  return (ref) => {
    if (at === undefined) {
      const root = fixturesRootFor(scenarioFile);
      let real: string | undefined;
      at = root === undefined ? null : { root, label: rootLabel(root), real: () => (real ??= realpathSync.native(root)) };
    }
    if (at === null) return { problem: `fixture "${ref}" needs a fixtures/ directory at or above ${rootLabel(dirname(scenarioFile))}, and there is none` };
    const { root, label, real } = at;
    const base = ref.startsWith('./') || ref.startsWith('../') ? dirname(scenarioFile) : root;
    const found = resolveInside(ref, base, root, label, real);
    if ('problem' in found) return { problem: found.missing ? `fixture "${ref}" not found (looked in ${label})` : found.problem };
    return found;
  };
}

/** The handler module: relative to the scenario file, inside its project directory, a regular file within the size limit. */
function resolveHandlers(scenarioFile: string, ref: string, maxBytes: number): { file: string } | { problem: string } {
  const project = projectDirFor(scenarioFile);
  const found = resolveInside(ref, dirname(scenarioFile), project, `the project directory ${rootLabel(project)}`);
  if ('problem' in found) return { problem: found.missing ? `module "${ref}" not found` : found.problem };
  const stat = statSync(found.real);
  const kind = notRegularFile(stat);
  if (kind !== undefined) return { problem: `module "${ref}" is ${kind}, not a regular file` };
  if (stat.size > maxBytes) return { problem: `module "${ref}" is ${bytes(stat.size)}, over the limit of ${bytes(maxBytes)} (raise it with max_fixture_bytes or --max-fixture-bytes)` };
  return { file: found.file };
}
