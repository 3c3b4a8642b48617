import { randomBytes } from 'node:crypto';

/** `20261125-141503-a1b2`: sortable by start time, unique enough for one machine. */
export function newRunId(now = new Date()): string {
  const iso = now.toISOString();
  const stamp = `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
