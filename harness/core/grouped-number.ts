/**
 * A number with en-US thousands separators: with `digits`, exactly that many fraction digits, as
 * `x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })` writes it;
 * without, as `x.toLocaleString('en-US')` does (at most 3 fraction digits, trailing zeros dropped).
 * Reports format thousands of figures: a finite number below 1e21 is written here, from its shortest
 * decimal (String(x)), rounded half away from zero, as the formatter does (it starts from the shortest
 * decimal that reads back as the number, which `toFixed` does not: 1.005 is 1.01 there and 1.00 with
 * `toFixed(2)`), so no command loads ICU's number formatting (about 15 ms) for it. Anything else (NaN,
 * ±Infinity, 1e21 and more, a digit count outside 0..20) goes through a kept Intl formatter.
 */
const formatters = new Map<number, Intl.NumberFormat>();
const NO_DIGITS = -1;

export function groupedNumber(x: number, digits?: number): string {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21 || (digits !== undefined && !(Number.isInteger(digits) && digits >= 0 && digits <= 20))) return viaIntl(x, digits);
  const negative = x < 0 || Object.is(x, -0);
  if (Number.isInteger(x) && !negative) return group(String(x)) + (digits ? `.${'0'.repeat(digits)}` : '');
  const [whole, fraction] = rounded(String(Math.abs(x)), digits ?? 3);
  const shown = digits === undefined ? fraction.replace(/0+$/, '') : fraction;
  return `${negative ? '-' : ''}${group(whole)}${shown === '' ? '' : `.${shown}`}`;
}

function viaIntl(x: number, digits: number | undefined): string {
  const key = digits ?? NO_DIGITS;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat('en-US', digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f.format(x);
}

/**
 * The decimal `shortest` (a non-negative number as String writes it, below 1e21: plain digits, or
 * `d.ddde-N` below 1e-6) rounded half away from zero to `digits` fraction digits: [whole part, fraction
 * of exactly `digits` digits].
 */
function rounded(shortest: string, digits: number): [string, string] {
  const e = shortest.indexOf('e');
  const mantissa = e < 0 ? shortest : shortest.slice(0, e);
  const point = mantissa.indexOf('.');
  let all = point < 0 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1);
  // Digits before the decimal point.
  let before = (point < 0 ? mantissa.length : point) + (e < 0 ? 0 : Number(shortest.slice(e + 1)));
  if (before <= 0) {
    all = '0'.repeat(1 - before) + all;
    before = 1;
  }
  all = all.padEnd(before + digits, '0');
  let kept = all.slice(0, before + digits);
  if ((all.charCodeAt(before + digits) || 48) >= 53) kept = increment(kept);
  const cut = kept.length - digits;
  return [kept.slice(0, cut).replace(/^0+(?=\d)/, ''), kept.slice(cut)];
}

/** A string of decimal digits plus one (`"0999"` -> `"1000"`, `"99"` -> `"100"`). */
function increment(decimal: string): string {
  let i = decimal.length - 1;
  while (i >= 0 && decimal[i] === '9') i -= 1;
  if (i < 0) return `1${'0'.repeat(decimal.length)}`;
  return decimal.slice(0, i) + String.fromCharCode(decimal.charCodeAt(i) + 1) + '0'.repeat(decimal.length - i - 1);
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
