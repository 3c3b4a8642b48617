/**
 * Neutralises text that a spreadsheet would run as a formula (cells starting
 * with = + - @, or a tab / carriage return) by prefixing a single quote.
 */
export function safeCell(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
