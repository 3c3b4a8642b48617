import type { InputIssue } from '../errors.js';
import { RUN_FORMAT_VERSION } from './schema.js';
import { strategyDataSchema } from './strategy-data.js';

/**
 * Older run-file formats, brought to the current one before validation. Each
 * record (run.json, and each line of sessions.jsonl) carries its own
 * `formatVersion` and is migrated on its own, so a format-1 run continued by
 * `run --resume` (format-1 lines, then format-2 lines) reads as one run.
 *
 * Format 1 to 2:
 * - the task graph (`scenarios[].dag[]`) gains `accept`; format 1 did not keep
 *   it, so a migrated node has none (its v1 meaning: only `args` match);
 * - a session's `extra` was a free-form object; format 2 types it per
 *   strategy. Its known fields (plan, budget, chain, hybrid, trace) are kept
 *   and validated; other fields, which no reader ever read, are dropped.
 */
export const READABLE_FORMATS = [1, RUN_FORMAT_VERSION] as const;

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The record's format, or an issue naming `formatVersion` when it is none this batchbench reads. */
function formatOf(value: unknown, file: string): { version: number } | { issue: InputIssue } {
  if (!isObject(value)) return { issue: { file, path: '', message: `is ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}, not a JSON object` } };
  const version = value['formatVersion'];
  if (typeof version === 'number' && (READABLE_FORMATS as readonly number[]).includes(version)) return { version };
  const shown = version === undefined ? 'missing' : JSON.stringify(version);
  return { issue: { file, path: 'formatVersion', message: `${shown}: this batchbench reads formats ${READABLE_FORMATS.join(' and ')} (a run file of a newer batchbench, or not a run file?)` } };
}

/** run.json in the current format (not yet validated), or the issue with its `formatVersion`. */
export function migrateManifest(value: unknown, file: string): { value: unknown } | { issue: InputIssue } {
  const format = formatOf(value, file);
  if ('issue' in format) return format;
  if (format.version === RUN_FORMAT_VERSION) return { value };
  return { value: { ...(value as Raw), formatVersion: RUN_FORMAT_VERSION } };
}

/** A sessions.jsonl record in the current format (not yet validated), or the issue with its `formatVersion`. */
export function migrateSession(value: unknown, file: string): { value: unknown } | { issue: InputIssue } {
  const format = formatOf(value, file);
  if ('issue' in format) return format;
  if (format.version === RUN_FORMAT_VERSION) return { value };
  const { extra, ...rest } = value as Raw;
  const out: Raw = { ...rest, formatVersion: RUN_FORMAT_VERSION };
  if (isObject(extra)) {
    const known = Object.fromEntries(Object.entries(extra).filter(([k]) => Object.hasOwn(strategyDataSchema.shape, k)));
    if (Object.keys(known).length > 0) out['extra'] = known;
  } else if (extra !== undefined) {
    out['extra'] = extra;
  }
  return { value: out };
}
