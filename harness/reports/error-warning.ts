import { notMeasuredSentence, type ErrorBreakdown } from '../metrics/error-breakdown.js';
import { providerLabel } from './format.js';

/**
 * The warning a report opens with when sessions errored or were skipped:
 * how many of how many, per provider and per error class with the first
 * message. Plain strings: callers escape for their format.
 */
export interface ErrorWarning {
  breakdown: ErrorBreakdown;
  /** "18 of 27 sessions errored." and what that means for the figures. */
  headline: string;
  detail: string;
  /** No session was measured: the report shows no efficiency figure at all. */
  nothingMeasured: boolean;
  providerHeader: string[];
  providerRows: string[][];
  classHeader: string[];
  classRows: string[][];
}

/** Longest first message shown per error class (the full text is in sessions.jsonl). */
export const MAX_FIRST_MESSAGE = 300;

const shorten = (text: string): string => {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length <= MAX_FIRST_MESSAGE ? one : `${one.slice(0, MAX_FIRST_MESSAGE)}…`;
};

/** The warning for a run's error breakdown, or undefined when every session was measured. */
export function errorWarning(b: ErrorBreakdown): ErrorWarning | undefined {
  if (b.errored === 0 && b.skipped === 0) return undefined;
  const nothingMeasured = b.measured === 0;
  return {
    breakdown: b,
    headline: `${notMeasuredSentence(b)}.`,
    detail: nothingMeasured
      ? 'No session was measured, so this run has no efficiency figures: no means, intervals, comparisons, verdict or charts. Fix the cause below and run it again (batchbench run --resume reruns errored and skipped sessions).'
      : `Errored and skipped sessions are counted, never averaged: every mean, median, interval, success rate, comparison and chart below rests on the ${b.measured} measured session(s) only, and each row says how many it rests on.`,
    nothingMeasured,
    providerHeader: ['provider', 'sessions', 'measured', 'errored', 'skipped'],
    providerRows: b.providers
      .filter((p) => p.errored + p.skipped > 0)
      .map((p) => [providerLabel(p.providerId, p.providerKind), String(p.sessions), String(p.sessions - p.errored - p.skipped), String(p.errored), String(p.skipped)]),
    classHeader: ['error class', 'sessions', 'first message'],
    classRows: b.classes.map((c) => [c.class, String(c.count), shorten(c.firstMessage)]),
  };
}
