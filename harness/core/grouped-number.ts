/**
 * A number with en-US thousands separators: with `digits`, exactly that many fraction digits, as
 * `x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })` writes it;
 * without, as `x.toLocaleString('en-US')` does. Reports format thousands of figures and `toLocaleString`
 * builds a formatter on every call, so an integer below 1e21 is grouped here (from its shortest decimal, as the formatter starts) and the
 * rest go through one kept formatter per digit count (its rounding starts from the shortest decimal that
 * reads back as the number, which `toFixed` does not: 1.005 is 1.01 there and 1.00 with `toFixed(2)`).
 */
const formatters = new Map<number, Intl.NumberFormat>();
const NO_DIGITS = -1;

export function groupedNumber(x: number, digits?: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e21 && !Object.is(x, -0) && (digits === undefined || digits <= 20)) {
    return group(String(x)) + (digits ? `.${'0'.repeat(digits)}` : '');
  }
  const key = digits ?? NO_DIGITS;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f.format(x);
}

/** `-1234567` as `-1,234,567`. */
function group(integer: string): string {
  const sign = integer.startsWith('-') ? 1 : 0;
  const end = integer.length;
  if (end - sign <= 3) return integer;
  let out = integer.slice(0, sign + ((end - sign) % 3 || 3));
  for (let i = out.length; i < end; i += 3) out += `,${integer.slice(i, i + 3)}`;
  return out;
}
