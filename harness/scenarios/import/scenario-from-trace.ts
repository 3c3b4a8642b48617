import { Document, isMap, isSeq } from 'yaml';
import type { InputIssue } from '../../core/errors.js';
import type { SessionRecord } from '../../core/run-file/records.js';
import { jsonEqual } from '../../core/match-args.js';
import type { ScenarioDocument } from './bfcl.js';
import { unknownParameters } from '../parameters.js';

/**
 * `scenario from-trace`: one imported session as a scenario file, so a
 * production conversation becomes a regression test. The tools are the ones
 * the model saw; each observed call becomes a mocked result matched on its
 * observed arguments (a failed call a mocked error); every successful distinct
 * call becomes an expected call with the inferred `needs`; the answer checks
 * are left empty, marked TODO in the file.
 */

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** The observed result as the mock returns it: parsed JSON when it is JSON, else the text. */
function resultValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface TraceScenario {
  document: ScenarioDocument;
  yaml: string;
}

/** The scenario of `session` (an imported session); issues name the run's sessions file and the field. */
export function scenarioFromTrace(session: SessionRecord, where: string): { scenario?: TraceScenario; issues: InputIssue[] } {
  const trace = session.extra?.trace;
  if (trace === undefined) return { issues: [{ file: where, path: 'extra.trace', message: 'not an imported session (no extra.trace): only `import traces` runs can be turned into scenarios' }] };
  const issues: InputIssue[] = [];
  const calls = session.turns.flatMap((t) => t.calls);
  // Tools the trace called without recording their definition (e.g. OTel spans without content) get an open schema.
  const offered = [
    ...trace.tools,
    ...[...new Set(calls.map((c) => c.name))]
      .filter((name) => !trace.tools.some((t) => t.name === name))
      .map((name) => ({ name, description: `${name} (its definition was not recorded in the trace)`, parameters: { type: 'object' } as Record<string, unknown> })),
  ];
  const tools = offered.map((tool, i) => {
    if (!TOOL_NAME.test(tool.name)) issues.push({ file: where, path: `extra.trace.tools.${i}.name`, message: `tool name ${JSON.stringify(tool.name)} is not accepted by the model APIs` });
    const results: { match: Record<string, unknown>; result?: unknown; error?: string }[] = [];
    for (const c of calls.filter((x) => x.name === tool.name)) {
      const match = c.args ?? {};
      if (results.some((r) => jsonEqual(r.match, match))) continue;
      results.push(c.isError ? { match, error: c.result === '' ? 'error' : c.result } : { match, result: resultValue(c.result) });
    }
    // The model may have passed arguments its tool never declared; the scenario keeps the schema as the model
    // saw it and admits those arguments, so the observed calls stay valid expected calls.
    const undeclared = calls.some((c) => c.name === tool.name && unknownParameters(tool.parameters, c.args ?? {}).length > 0);
    return {
      name: tool.name,
      description: tool.description === '' ? tool.name : tool.description,
      parameters: { ...tool.parameters, type: 'object' as const, ...(undeclared ? { additionalProperties: true } : {}) },
      results,
      fallback: { error: 'no result was recorded in the trace for these arguments' },
    };
  });
  // Expected calls: each distinct successful call; needs on a failed or repeated call move to the call that stands for it.
  const standsFor = new Map<string, string | null>();
  const expected: { id: string; tool: string; args: Record<string, unknown>; needs: string[] }[] = [];
  for (const node of trace.graph.nodes) {
    const call = calls.find((c) => c.node === node.id);
    if (call?.isError) {
      standsFor.set(node.id, null);
      continue;
    }
    const same = expected.find((e) => e.tool === node.tool && jsonEqual(e.args, node.args));
    if (same) {
      standsFor.set(node.id, same.id);
      continue;
    }
    const needs = [...new Set(node.needs.map((n) => standsFor.get(n)).filter((n): n is string => typeof n === 'string'))];
    expected.push({ id: node.id, tool: node.tool, args: node.args, needs });
    standsFor.set(node.id, node.id);
  }
  if (tools.length === 0) issues.push({ file: where, path: 'extra.trace.tools', message: 'the session offered and called no tools: a scenario needs at least one' });
  if (issues.length > 0) return { issues };
  const id = `trace-${session.runId}-${trace.sessionId}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  const document: ScenarioDocument = {
    id: /^[a-z0-9]/.test(id) ? id : `t-${id}`,
    title: `Session ${trace.sessionId} of imported run ${session.runId}`,
    domain: 'traces',
    shape: 'from-trace',
    difficulty: 'medium',
    tags: ['from-trace'],
    task: trace.prompt.user === '' ? '(the trace has no user message)' : trace.prompt.user,
    tools,
    expected_calls: expected,
    success: { required_calls: 'all', answer_contains: [] },
    reference_answer: session.finalAnswer !== null && session.finalAnswer !== '' ? session.finalAnswer : 'TODO: write the expected answer.',
  };
  const doc = new Document(document, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` Written by \`batchbench scenario from-trace\` from session ${trace.sessionId} of run ${session.runId}`,
    ` (${trace.sources.join(', ')}).`,
    ` Expected calls and their needs are INFERRED from data flow: ${trace.graph.label}.`,
    ' Mocked results are the observed ones, matched on the observed arguments.',
    ...(trace.prompt.system !== '' ? [' The system prompt of the trace (put it in a prompt variant to reproduce it):', ...trace.prompt.system.split('\n').map((l) => `   ${l}`)] : []),
  ].join('\n');
  const success = doc.get('success', true);
  if (isMap(success)) {
    const pair = success.items.find((p) => (p.key as { value?: unknown } | null)?.value === 'answer_contains' || String(p.key) === 'answer_contains');
    const key = pair?.key as { commentBefore?: string } | undefined;
    if (key) key.commentBefore = ' TODO: answer checks: add the facts a correct answer must contain (strings or { regex }); none are inferred from a trace.';
  }
  const results = (i: number): void => {
    const seq = doc.getIn(['tools', i, 'results'], true);
    if (isSeq(seq)) for (const item of seq.items) if (isMap(item)) item.flow = true;
  };
  tools.forEach((_, i) => results(i));
  const exp = doc.get('expected_calls', true);
  if (isSeq(exp)) for (const item of exp.items) if (isMap(item)) item.flow = true;
  return { scenario: { document, yaml: doc.toString({ lineWidth: 0 }) }, issues: [] };
}
