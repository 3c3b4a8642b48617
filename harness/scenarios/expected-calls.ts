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
  const candidates = expected.filter((e) => e.tool === name && argsAccepted(args, e.args, e.accept, e.unordered, e.match_mode));
  return candidates.find((e) => !alreadyMatched.has(e.id)) ?? candidates[0];
}
