/**
 * The string normalisation of BFCL's own checker (`standardize_string` in
 * bfcl_eval/eval_checker/ast_eval/ast_checker.py): spaces and the characters
 * `, . / - _ * ^` removed, lowercased, single quotes turned into double
 * quotes. BFCL applies it to string parameters, strings in lists and string
 * values of dicts, so "April 1, 2024" equals "april 1 2024" and "Boston,MA"
 * equals "Boston, MA". Used by `match_mode: bfcl`.
 */
export function standardizeString(s: string): string {
  return s.replace(/[ ,./\-_*^]/g, '').toLowerCase().replaceAll("'", '"');
}

/** Equality of JSON values with every string compared after `standardizeString` (arrays in order, object keys exactly). */
export function bfclEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return standardizeString(a) === standardizeString(b);
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => bfclEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = Object.keys(ao);
  return keys.length === Object.keys(bo).length && keys.every((k) => Object.hasOwn(bo, k) && bfclEqual(ao[k], bo[k]));
}
