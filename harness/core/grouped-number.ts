/**
 * A number with en-US thousands separators: with `digits`, exactly that many fraction digits, as
 * `x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })` writes it;
 * without, as `x.toLocaleString('en-US')` does. `toLocaleString` builds a new formatter on every call and
 * reports format thousands of figures, so one formatter per digit count is kept.
 */
const formatters = new Map<number, Intl.NumberFormat>();
const NO_DIGITS = -1;

export function groupedNumber(x: number, digits?: number): string {
  const key = digits ?? NO_DIGITS;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f.format(x);
}
