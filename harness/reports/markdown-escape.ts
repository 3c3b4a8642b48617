/**
 * Escapes user-given text (provider, variant and scenario ids, titles, error
 * messages, gate names, run ids) for a Markdown line or table cell: no HTML
 * tag or entity, no link or image, no column break, no code span, no line
 * break. Every Markdown file batchbench writes (summary.md, compare.md,
 * budget.md) passes such text through it.
 */
export function md(text: string): string {
  // `<` and `&` are enough to keep tags and entities out; `>` stays readable (`a -> b`).
  return text
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/\|/g, '\\|')
    .replace(/`/g, '\\`')
    .replace(/[[\]]/g, '\\$&')
    .replace(/\r?\n|\r/g, ' ');
}

const PLAIN = /^[A-Za-z0-9._:@/+-]+$/;

/** `text` in a code span when it is a plain name (nothing to escape), else escaped text without one. */
export function mdCode(text: string): string {
  return PLAIN.test(text) ? `\`${text}\`` : md(text);
}
