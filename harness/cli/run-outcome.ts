import type { SessionRecord } from '../core/run-file/records.js';
import { EXIT } from './io.js';

/** Errored and skipped sessions of a run, grouped for the end-of-run message. */
export interface RunTrouble {
  total: number;
  errored: number;
  skipped: number;
  /** Per error class: how many, and the first message. */
  classes: { name: string; count: number; first: string }[];
  /** Per skip reason: how many. */
  reasons: { reason: string; count: number }[];
}

/** Counts the errored and skipped sessions, by error class and by skip reason, in run order. */
export function runTrouble(sessions: readonly SessionRecord[]): RunTrouble {
  const classes = new Map<string, { name: string; count: number; first: string }>();
  const reasons = new Map<string, { reason: string; count: number }>();
  let errored = 0;
  let skipped = 0;
  for (const s of sessions) {
    if (s.status === 'errored') {
      errored += 1;
      const c = classes.get(s.error.class) ?? { name: s.error.class, count: 0, first: s.error.message };
      c.count += 1;
      classes.set(c.name, c);
    } else if (s.status === 'skipped') {
      skipped += 1;
      const r = reasons.get(s.reason) ?? { reason: s.reason, count: 0 };
      r.count += 1;
      reasons.set(r.reason, r);
    }
  }
  return { total: sessions.length, errored, skipped, classes: [...classes.values()], reasons: [...reasons.values()] };
}

const MAX_GROUPS = 5;
const oneLine = (text: string, max = 240): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/**
 * The lines stderr shows at the end of a run with errored or skipped sessions
 * (empty when there are none): `N of M sessions errored`, one line per error
 * class with its count and first message, `K skipped` with the reasons, and the
 * command that runs them again.
 */
export function troubleLines(t: RunTrouble, retry: string): string[] {
  if (t.errored === 0 && t.skipped === 0) return [];
  const lines: string[] = [];
  if (t.errored > 0) {
    lines.push(`${t.errored} of ${t.total} sessions errored:`);
    for (const c of t.classes.slice(0, MAX_GROUPS)) lines.push(`  ${c.count} ${c.name}: ${oneLine(c.first)}`);
    if (t.classes.length > MAX_GROUPS) lines.push(`  ... and ${t.classes.length - MAX_GROUPS} more error classes (see sessions.jsonl)`);
  }
  if (t.skipped > 0) {
    lines.push(`${t.skipped} of ${t.total} sessions skipped:`);
    for (const r of t.reasons.slice(0, MAX_GROUPS)) lines.push(`  ${r.count} ${oneLine(r.reason)}`);
    if (t.reasons.length > MAX_GROUPS) lines.push(`  ... and ${t.reasons.length - MAX_GROUPS} more reasons (see sessions.jsonl)`);
  }
  lines.push(`run them again with: ${retry}`);
  return lines;
}

/**
 * The exit code of `run`: 130 when interrupted (first), 3 when a session was
 * skipped (its provider halted) or the share of errored sessions is above
 * `maxErrorRate`, else 0.
 */
export function runExitCode(t: RunTrouble, interrupted: boolean, maxErrorRate: number): number {
  if (interrupted) return EXIT.interrupted;
  if (t.skipped > 0) return EXIT.errored;
  if (t.total > 0 && t.errored / t.total > maxErrorRate) return EXIT.errored;
  return EXIT.ok;
}
