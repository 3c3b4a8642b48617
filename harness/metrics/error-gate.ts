import { notMeasuredSentence } from './error-breakdown.js';
import { formatDelta, formatValue } from './format-units.js';
import type { ErrorRateGate } from './gates.js';

/** How many of one side's sessions entered no metric. */
export interface SideErrors {
  sessions: number;
  errored: number;
  skipped: number;
  /** (errored + skipped) / sessions; 0 for no sessions. */
  rate: number;
}

export interface ErrorGateResult {
  gate: ErrorRateGate;
  /** Never skipped: a count needs no pairs and no test. */
  status: 'pass' | 'fail';
  baseline: SideErrors;
  candidate: SideErrors;
  /** Rise of the error rate the gate allows, as a share of sessions (a relative limit times the baseline's rate). */
  allowed: number;
  /** candidate rate − baseline rate: positive is worse. */
  rise: number;
}

/** Counts of one side, from its status counts. */
export function sideErrors(sessions: number, errored: number, skipped: number): SideErrors {
  return { sessions, errored, skipped, rate: sessions === 0 ? 0 : (errored + skipped) / sessions };
}

/**
 * Decides the error-rate gate of one group: it fails when the share of
 * candidate sessions that errored or were skipped rose above the baseline's
 * by more than the limit. No statistical test: an error is not noise around
 * a mean, it is a session that measured nothing. Pure.
 */
export function evaluateErrorGate(gate: ErrorRateGate, baseline: SideErrors, candidate: SideErrors): ErrorGateResult {
  const allowed = gate.limit.kind === 'absolute' ? gate.limit.value : gate.limit.fraction * baseline.rate;
  const rise = candidate.rate - baseline.rate;
  const fail = rise > allowed + 1e-12;
  return { gate, status: fail ? 'fail' : 'pass', baseline, candidate, allowed, rise };
}

/**
 * "error_rate: 12 of 27 candidate sessions errored (baseline: 0): the other
 * figures rest on the 15 measured sessions; error rate 0.0% -> 44.4%, allowed:
 * a rise of 0.0 pts; REGRESSION: errors, not a change of the model's behaviour".
 */
export function errorGateSentence(r: ErrorGateResult): string {
  const c = r.candidate;
  const bad = c.errored + c.skipped;
  const measured = c.sessions - bad;
  const what = `${notMeasuredSentence(c, 'candidate sessions')} (baseline: ${r.baseline.errored + r.baseline.skipped}${r.baseline.sessions !== c.sessions ? ` of ${r.baseline.sessions}` : ''})`;
  const rest = bad > 0 ? `: the other figures rest on the ${measured} measured session${measured === 1 ? '' : 's'}` : '';
  const rates = `error rate ${formatValue(r.baseline.rate, 'share')} -> ${formatValue(c.rate, 'share')}`;
  const allowed = `allowed: a rise of ${formatDelta(r.allowed, 'share').slice(1)}${r.gate.limit.kind === 'relative' ? ` (${+(r.gate.limit.fraction * 100).toPrecision(6)}% of the baseline's rate)` : ''}`;
  const verdict = r.status === 'fail' ? 'REGRESSION: sessions errored, so the other gates compare fewer sessions' : 'within the limit';
  return `${r.gate.name}: ${what}${rest}; ${rates}, ${allowed}; ${verdict}`;
}
