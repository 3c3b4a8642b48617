import { isMeasured, type SessionRecord } from '../core/run-file/records.js';

/** Sessions of one provider that entered no metric. */
export interface ProviderErrors {
  providerId: string;
  providerKind: string;
  sessions: number;
  errored: number;
  skipped: number;
}

/** Errored sessions of one error class (or the skipped sessions, as class `skipped`), with the first message seen. */
export interface ErrorClassCount {
  class: string;
  count: number;
  /** The error message (or skip reason) of the first such session, in run order. */
  firstMessage: string;
}

/** How many sessions a set of figures rests on, and what happened to the others. */
export interface ErrorBreakdown {
  sessions: number;
  measured: number;
  errored: number;
  skipped: number;
  /** Providers in first-seen order; every provider, with or without errors. */
  providers: ProviderErrors[];
  /** Error classes in first-seen order; skipped sessions last, as class `skipped`. */
  classes: ErrorClassCount[];
}

/** Class under which skipped sessions are counted in `ErrorBreakdown.classes`. */
export const SKIPPED_CLASS = 'skipped';

/**
 * Counts the sessions that are not measured (errored, skipped) per provider
 * and per error class: what the warning blocks of summary.md, report.html and
 * the run's terminal table say. Pure.
 */
export function errorBreakdown(sessions: readonly SessionRecord[]): ErrorBreakdown {
  const providers = new Map<string, ProviderErrors>();
  const classes = new Map<string, ErrorClassCount>();
  let skippedFirst: ErrorClassCount | undefined;
  let errored = 0;
  let skipped = 0;
  for (const s of sessions) {
    let p = providers.get(s.provider.id);
    if (!p) {
      p = { providerId: s.provider.id, providerKind: s.provider.kind, sessions: 0, errored: 0, skipped: 0 };
      providers.set(s.provider.id, p);
    }
    p.sessions += 1;
    if (s.status === 'errored') {
      errored += 1;
      p.errored += 1;
      const c = classes.get(s.error.class);
      if (c) c.count += 1;
      else classes.set(s.error.class, { class: s.error.class, count: 1, firstMessage: s.error.message });
    } else if (s.status === 'skipped') {
      skipped += 1;
      p.skipped += 1;
      if (skippedFirst) skippedFirst.count += 1;
      else skippedFirst = { class: SKIPPED_CLASS, count: 1, firstMessage: s.reason };
    }
  }
  return {
    sessions: sessions.length,
    measured: sessions.filter(isMeasured).length,
    errored,
    skipped,
    providers: [...providers.values()],
    classes: [...classes.values(), ...(skippedFirst ? [skippedFirst] : [])],
  };
}

/** "3 of 27 sessions errored", "3 of 27 sessions errored and 24 were skipped", "24 of 27 sessions were skipped". */
export function notMeasuredSentence(b: Pick<ErrorBreakdown, 'sessions' | 'errored' | 'skipped'>, what = 'sessions'): string {
  const were = (n: number): string => (n === 1 ? 'was' : 'were');
  if (b.errored > 0 && b.skipped > 0) return `${b.errored} of ${b.sessions} ${what} errored and ${b.skipped} ${were(b.skipped)} skipped`;
  if (b.skipped > 0) return `${b.skipped} of ${b.sessions} ${what} ${were(b.skipped)} skipped`;
  return `${b.errored} of ${b.sessions} ${what} errored`;
}
