import { argsAccepted } from '../core/match-args.js';
import type { ExpectedCall } from './schema.js';

/**
 * The expected call a tool call stands for: same tool, arguments containing the
 * expected ones (or, for keys of `accept`, one of the accepted values). Calls
 * not yet matched are preferred, so two calls of one tool with different
 * arguments each find their own node.
 */
export function matchExpectedCall(
  expected: readonly ExpectedCall[],
  name: string,
  args: Record<string, unknown> | undefined,
  alreadyMatched: ReadonlySet<string>,
): ExpectedCall | undefined {
  if (args === undefined) return undefined;
  // The first candidate not matched yet, else the first candidate: read in order, stopping at the former.
  let first: ExpectedCall | undefined;
  for (const e of expected) {
    if (e.tool !== name || !argsAccepted(args, e.args, e.accept, e.unordered, e.match_mode)) continue;
    if (!alreadyMatched.has(e.id)) return e;
    first ??= e;
  }
  return first;
}
