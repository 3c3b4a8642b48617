import { bfclEqual } from './bfcl-match.js';

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    const keys = Object.keys(ao);
    return keys.length === Object.keys(bo).length && keys.every((k) => k in bo && jsonEqual(ao[k], bo[k]));
  }
  return false;
}

/** True when `args` has every key of `subset` with an equal value (arrays of `unordered` keys in any order). */
export function argsContain(
  args: Record<string, unknown>,
  subset: Record<string, unknown>,
  unordered?: readonly string[],
  mode?: 'bfcl',
): boolean {
  const equal = mode === 'bfcl' ? bfclEqual : jsonEqual;
  return Object.entries(subset).every(([k, v]) => k in args && (unordered?.includes(k) ? sameItems(args[k], v) : equal(args[k], v)));
}

/** Arrays holding equal items in any order (a multiset comparison); other values by `jsonEqual`. */
export function sameItems(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return jsonEqual(a, b);
  const left = [...b];
  return (
    a.length === b.length &&
    a.every((v) => {
      const i = left.findIndex((w) => jsonEqual(v, w));
      if (i >= 0) left.splice(i, 1);
      return i >= 0;
    })
  );
}

/** The value of `accept` lists that lets an argument be omitted. */
export const OMITTED = '';

/**
 * True when `args` satisfies an expected call's `args` and `accept`: keys of
 * `accept` take one of their listed values (or are absent when the list holds
 * `""`), every other key of `expected` is contained as with `argsContain`.
 * Without `accept` this is `argsContain(args, expected)`.
 */
export function argsAccepted(
  args: Record<string, unknown>,
  expected: Record<string, unknown>,
  accept: Readonly<Record<string, readonly unknown[]>> | undefined,
  unordered?: readonly string[],
  mode?: 'bfcl',
): boolean {
  if (accept === undefined) return argsContain(args, expected, unordered, mode);
  const equal = mode === 'bfcl' ? bfclEqual : jsonEqual;
  const fixed = Object.fromEntries(Object.entries(expected).filter(([k]) => !Object.hasOwn(accept, k)));
  return (
    argsContain(args, fixed, unordered, mode) &&
    Object.entries(accept).every(([k, values]) =>
      Object.hasOwn(args, k) ? values.some((v) => equal(args[k], v)) : values.includes(OMITTED),
    )
  );
}
