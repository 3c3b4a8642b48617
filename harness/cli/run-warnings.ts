import { displayPath } from '../core/input-files.js';
import { cutLineWarning, type CutLine } from '../core/run-file/run-files.js';
import type { CliIO } from './io.js';

/** Prints, on stderr, that a run's last sessions line was cut short and left out (when it was). */
export function warnCutLine(cut: CutLine | undefined, io: CliIO): void {
  if (cut) io.err(`warning: ${cutLineWarning({ ...cut, file: displayPath(cut.file) })}`);
}
