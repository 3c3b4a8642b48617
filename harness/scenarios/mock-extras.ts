import { containsMatcher, regexMatcher, type TextMatcher } from './mock-match.js';
import type { FallbackSpec, MockResultSpec } from './schema.js';
import type { MockEntry, MockOutcome } from './types.js';

type Report = (path: string, message: string) => void;

/** The text tests and unordered keys of a mocked entry, compiled; bad regexes and misplaced keys reported at their field. */
export function matchExtras(spec: MockResultSpec, path: string, issue: Report): Pick<MockEntry, 'text' | 'unordered'> {
  const text: Record<string, TextMatcher[]> = {};
  const add = (key: string, m: TextMatcher): void => {
    (text[key] ??= []).push(m);
  };
  for (const [key, needle] of Object.entries(spec.contains ?? {})) {
    if (Object.hasOwn(spec.match, key)) issue(`${path}.contains.${key}`, `"${key}" is also in match; give it in one place`);
    add(key, containsMatcher(needle));
  }
  for (const [key, pattern] of Object.entries(spec.regex ?? {})) {
    if (Object.hasOwn(spec.match, key)) issue(`${path}.regex.${key}`, `"${key}" is also in match; give it in one place`);
    const m = regexMatcher(pattern);
    if ('error' in m) issue(`${path}.regex.${key}`, m.error);
    else add(key, m);
  }
  (spec.unordered ?? []).forEach((key, k) => {
    if (!Array.isArray(spec.match[key])) issue(`${path}.unordered.${k}`, `"${key}" must be an array in match`);
  });
  return {
    ...(Object.keys(text).length > 0 ? { text } : {}),
    ...(spec.unordered && spec.unordered.length > 0 ? { unordered: spec.unordered } : {}),
  };
}

/** A fallback's outcome, carrying its inline result as the echo template when `echo: true`. */
export function echoOutcome(spec: FallbackSpec, outcome: MockOutcome, path: string, issue: Report): MockOutcome {
  if (spec.echo !== true) return outcome;
  if (spec.result === undefined) {
    issue(`${path}.echo`, 'echo needs an inline result to echo the arguments into');
    return outcome;
  }
  return outcome.kind === 'result' ? { ...outcome, echo: spec.result } : outcome;
}
