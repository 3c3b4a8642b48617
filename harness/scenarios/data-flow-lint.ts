import type { InputIssue } from '../core/errors.js';
import { displayPath } from '../core/input-files.js';
import { findMock } from './mock-tools.js';
import type { Scenario } from './types.js';

/**
 * Data-flow lint: an expected call whose argument value can only have come
 * from another expected call's mocked result, with no `needs` path between
 * the two, is a forgotten dependency (its optimal turns and overhead figures
 * would be wrong). Values the task itself holds are not flagged.
 */

/** A value worth tracing: a string of 3+ characters, or a number of 3+ digits that is not a round 10^k. */
export function traceable(value: unknown): value is string | number {
  if (typeof value === 'string') return value.trim().length >= 3;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  const digits = String(Math.abs(value)).replace('.', '');
  return digits.length >= 3 && !/^10*$/.test(digits);
}

/** Every traceable leaf of an argument value, with its dot path below `prefix`. */
function leaves(value: unknown, prefix: string): { path: string; value: string | number }[] {
  if (traceable(value)) return [{ path: prefix, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, `${prefix}.${i}`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, `${prefix}.${k}`));
  }
  return [];
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

/**
 * True when `text` holds the value: a string as written (or JSON-escaped), a number not inside a longer
 * number: no digit or `.` just before it, no digit or `.` and a digit just after it.
 */
export function textHolds(text: string, value: string | number): boolean {
  if (typeof value === 'string') return text.includes(value) || text.includes(JSON.stringify(value).slice(1, -1));
  const number = String(value);
  for (let at = text.indexOf(number); at >= 0; at = text.indexOf(number, at + 1)) {
    const before = text[at - 1];
    const end = at + number.length;
    if (isDigit(before) || before === '.' || isDigit(text[end]) || (text[end] === '.' && isDigit(text[end + 1]))) continue;
    return true;
  }
  return false;
}

/** The task holds the value; strings compared case-insensitively (a user may write `inc-5012` or "euros"). `lowerTask`: the task lowercased. */
function inTask(task: string, lowerTask: string, value: string | number): boolean {
  return typeof value === 'string' ? lowerTask.includes(value.toLowerCase()) : textHolds(task, value);
}

/** Ids each expected call reaches through `needs` (its ancestors). */
function ancestors(scenario: Scenario): Map<string, Set<string>> {
  const needs = new Map(scenario.expectedCalls.map((c) => [c.id, c.needs]));
  const memo = new Map<string, Set<string>>();
  const of = (id: string, seen: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const out = new Set<string>();
    for (const n of needs.get(id) ?? []) {
      if (seen.has(n)) continue;
      out.add(n);
      for (const a of of(n, new Set([...seen, n]))) out.add(a);
    }
    memo.set(id, out);
    return out;
  };
  for (const c of scenario.expectedCalls) of(c.id, new Set([c.id]));
  return memo;
}

/** Forgotten dependencies in one scenario, as warnings located at the argument. */
export function dataFlowIssues(scenario: Scenario): InputIssue[] {
  const file = displayPath(scenario.file);
  const before = ancestors(scenario);
  const byId = new Map(scenario.expectedCalls.map((c) => [c.id, c]));
  const results = new Map<string, string>();
  for (const c of scenario.expectedCalls) {
    const tool = scenario.tools.find((t) => t.definition.name === c.tool);
    const mock = tool ? findMock(tool, c.args) : undefined;
    if (mock?.outcome.kind === 'result') results.set(c.id, mock.outcome.content);
  }
  const issues: InputIssue[] = [];
  const lowerTask = scenario.task.toLowerCase();
  scenario.expectedCalls.forEach((call, i) => {
    const given = new Set(call.given_args ?? []);
    const traced = Object.fromEntries(Object.entries(call.args).filter(([k]) => !given.has(k)));
    for (const leaf of leaves(traced, `expected_calls.${i}.args`)) {
      if (inTask(scenario.task, lowerTask, leaf.value)) continue;
      const sources = scenario.expectedCalls.filter((other) => {
        if (other.id === call.id) return false;
        if (before.get(call.id)?.has(other.id) || before.get(other.id)?.has(call.id)) return false;
        // A result that echoes an argument of the other call, or of a call it needs, is no source:
        // the value existed before that result, so both took it from elsewhere.
        const upstream = [other, ...[...(before.get(other.id) ?? [])].flatMap((id) => byId.get(id) ?? [])];
        if (upstream.some((u) => leaves(u.args, '').some((l) => l.value === leaf.value))) return false;
        const text = results.get(other.id);
        return text !== undefined && textHolds(text, leaf.value);
      });
      // A value some ancestor's result holds already flows through a declared need.
      const known = [...(before.get(call.id) ?? [])].some((id) => textHolds(results.get(id) ?? '', leaf.value));
      if (known) continue;
      if (sources.length === 0) continue;
      issues.push({
        file,
        path: leaf.path,
        message: `${JSON.stringify(leaf.value)} is not in the task but appears in the mocked result of ${sources
          .map((s) => `"${s.id}"`)
          .join(', ')}, and "${call.id}" does not need ${sources.length === 1 ? 'it' : 'them'}: add needs: [${sources.map((s) => s.id).join(', ')}] (or, when the task implies the value, list "${leaf.path.split('.')[3] ?? ''}" in given_args)`,
      });
    }
  });
  return issues;
}
