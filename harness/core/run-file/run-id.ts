import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';

/** `20261125-141503-a1b2`: sortable by start time, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Longest run id `--run-id` takes. */
export const MAX_RUN_ID_LENGTH = 128;

const PLAIN_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * A run id is the name of a directory under `--out`: letters, digits, `.`,
 * `_` and `-`, not `.` or `..`, at most 128 characters. Returns it, or throws
 * a `UsageError` saying why, so that no run writes outside `--out`.
 */
export function checkRunId(id: string): string {
  const why =
    id === ''
      ? 'is empty'
      : id.length > MAX_RUN_ID_LENGTH
        ? `has ${id.length} characters (at most ${MAX_RUN_ID_LENGTH})`
        : id === '.' || id === '..'
          ? 'names the current or parent directory'
          : !PLAIN_NAME.test(id)
            ? 'may hold only letters, digits, ".", "_" and "-" (no path separators)'
            : undefined;
  if (why !== undefined) throw new UsageError(`--run-id ${JSON.stringify(id.length > 200 ? `${id.slice(0, 200)}...` : id)} ${why}: it names a directory inside --out`);
  return id;
}
