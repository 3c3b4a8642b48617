import { z } from 'zod';
import { formatLimit, LIMITS } from '../core/limits.js';

/** Zod fields with the documented upper bounds of harness/core/limits.ts, for scenario and prompt files. */

const tooLong = (limit: number) => (issue: { input?: unknown }): string =>
  `too long: ${typeof issue.input === 'string' ? `${formatLimit(issue.input.length)} characters, ` : ''}at most ${formatLimit(limit)} (see docs/limits.md)`;

/** A long text (task, reference answer, tool description, mocked error, system prompt): at most `LIMITS.longTextChars` characters. */
export const longText = (): z.ZodString => z.string().max(LIMITS.longTextChars, { error: tooLong(LIMITS.longTextChars) });

/** A short text (id, title, domain, shape, tag, path): at most `LIMITS.shortTextChars` characters. */
export const shortText = (): z.ZodString => z.string().max(LIMITS.shortTextChars, { error: tooLong(LIMITS.shortTextChars) });

/** A virtual latency in ms: a whole number from 0 to `LIMITS.latencyMs` (one hour). */
export const virtualLatency = (): z.ZodNumber =>
  z.number().int().nonnegative().max(LIMITS.latencyMs, `at most ${formatLimit(LIMITS.latencyMs)} ms, one hour (see docs/limits.md)`);
