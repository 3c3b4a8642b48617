import { compileSafeRegex } from './safe-regex.js';
import type { AnswerFact } from './schema.js';
import type { Scenario } from './types.js';

export interface SuccessCheck {
  passed: boolean;
  /** Required expected-call ids that no call matched with a result (a call answered by a tool error does not count). */
  missingCalls: string[];
  /** Answer facts not found in the final answer, as written in the scenario. */
  missingFacts: string[];
}

export function factLabel(fact: AnswerFact): string {
  return typeof fact === 'string' ? fact : `/${fact.regex}/${fact.flags ?? ''}`;
}

/** Whether the answer holds the fact: a case-insensitive substring, or a regex run in linear time (safe-regex.ts). */
export function answerHasFact(answer: string, fact: AnswerFact): boolean {
  return hasFact(answer, undefined, fact);
}

/** `answerHasFact`, given the answer lowercased when the caller has it (once for all of an answer's facts). */
function hasFact(answer: string, lowered: string | undefined, fact: AnswerFact): boolean {
  if (typeof fact === 'string') return (lowered ?? answer.toLowerCase()).includes(fact.toLowerCase());
  return compileSafeRegex(fact.regex, fact.flags).test(answer);
}

/** Deterministic success check: required calls made and answered (order-free), and facts present in the answer. */
export function checkSuccess(
  scenario: Pick<Scenario, 'success'>,
  answeredCallIds: ReadonlySet<string>,
  finalAnswer: string | undefined,
): SuccessCheck {
  const missingCalls = scenario.success.requiredCalls.filter((id) => !answeredCallIds.has(id));
  const answer = finalAnswer ?? '';
  const lowered = answer.toLowerCase();
  const missingFacts = scenario.success.answerContains.filter((f) => !hasFact(answer, lowered, f)).map(factLabel);
  return { passed: finalAnswer !== undefined && missingCalls.length === 0 && missingFacts.length === 0, missingCalls, missingFacts };
}
