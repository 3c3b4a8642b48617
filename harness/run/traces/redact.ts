import { RE2JS } from 're2js';
import { UsageError } from '../../core/errors.js';

/**
 * Redaction applied to every string of a trace line before anything is read
 * from it, so no matched text reaches the run directory. Built in: API keys
 * (OpenAI `sk-…`, Anthropic `sk-ant-…`, AWS access key ids, Google `AIza…`),
 * bearer tokens and email addresses; `--redact <regex>` adds patterns
 * (RE2 syntax, linear time). Header fields of a trace line are never read.
 */

export const REDACTED = '[redacted]';

export const BUILT_IN_PATTERNS: readonly string[] = [
  '\\bsk-[A-Za-z0-9_-]{16,}',
  '\\bAKIA[0-9A-Z]{16}\\b',
  '\\bAIza[0-9A-Za-z_-]{35}',
  '(?i)\\bbearer\\s+[A-Za-z0-9._~+/=-]{8,}',
  '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}',
];

/** Text each built-in pattern cannot match without (lower-cased), so most strings skip the regex. */
const HINTS: readonly string[] = ['sk-', 'akia', 'aiza', 'bearer', '@'];
/** Any hint in a raw JSON line, in any case, or a \u escape (which can spell one): one scan of the line. */
const LINE_HINT = new RegExp([...HINTS, '\\u'].map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');

/** Replaces every match in one string. `needed(line)` is false when no pattern can match any string the raw line (JSON text) holds (most lines), so its strings need no pass. */
export type Redactor = ((text: string) => string) & { needed: (rawLine: string) => boolean };

/** Compiles the built-in patterns and `extra` ones; a bad pattern is a usage error naming it. */
export function makeRedactor(extra: readonly string[]): Redactor {
  const compiled = [...BUILT_IN_PATTERNS, ...extra].map((p) => {
    try {
      return RE2JS.compile(p);
    } catch (e) {
      throw new UsageError(`--redact ${JSON.stringify(p)}: not a valid regular expression (RE2 syntax): ${(e as Error).message}`);
    }
  });
  const redact = (text: string): string => {
    let out = text;
    let lower: string | undefined;
    compiled.forEach((re, i) => {
      const hint = HINTS[i];
      if (hint !== undefined && !(lower ??= out.toLowerCase()).includes(hint)) return;
      if (re.matcher(out).find()) {
        out = re.matcher(out).replaceAll(REDACTED);
        lower = undefined;
      }
    });
    return out;
  };
  // User patterns can match anything; the built-in ones need their hint somewhere in the line's text, and a
  // \u escape can spell any character of it (a serializer may write '@' as \u0040), so such a line is read whole.
  const needed = (rawLine: string): boolean => extra.length > 0 || LINE_HINT.test(rawLine);
  return Object.assign(redact, { needed });
}

/** A copy of a parsed JSON value with every string (keys included) redacted. */
export function redactJson(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, redact));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[redact(k)] = redactJson(v, redact);
    return out;
  }
  return value;
}
