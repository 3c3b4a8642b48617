import { escapeHtml } from './escape.js';
import { REPORT_CSS } from './report-style.js';

/** Without script: inline styles only, nothing fetched. */
export const STATIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
/** With the page's own inline scripts: still nothing fetched, even if text slipped through. */
export const SCRIPTED_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/**
 * A complete, self-contained HTML document with the report stylesheet (plus
 * `extraCss`): every page batchbench writes uses it. `body` and `tail` are
 * markup already escaped by their builders; `title` is escaped here.
 */
export function htmlDocument(options: { title: string; body: string; csp: string; extraCss?: string; tail?: readonly string[] }): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${options.csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>${REPORT_CSS}${options.extraCss ?? ''}</style>`,
    '</head>',
    '<body>',
    options.body,
    ...(options.tail ?? []),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
