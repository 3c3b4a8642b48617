import { escapeHtml } from '../html/escape.js';
import { htmlDocument, STATIC_CSP } from '../html/document.js';

/**
 * The page shell of the regression pages (compare.html, history.html): the run
 * report's stylesheet and escaping (harness/reports/html), plus the few rules
 * those pages add. One file, no script, nothing fetched.
 */
export { escapeHtml as htmlEscape };

const EXTRA_CSS = `
.badge { display: inline-block; padding: 1px 10px; border-radius: 12px; font-size: 14px; font-weight: 700; color: #fff; vertical-align: 3px; }
.badge.fail { background: var(--bad); } .badge.pass { background: var(--good); } .badge.incomparable { background: var(--ref); }
td.status { font-weight: 700; } td.status.fail { color: var(--bad); } td.status.pass { color: var(--good); } td.status.skipped { color: var(--muted); font-weight: 400; }
td.better { color: var(--good); } td.worse { color: var(--bad); }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
svg .axis { stroke: var(--fg); } svg .grid { stroke: var(--line); }
.charts.small { grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); }
figure svg { width: 100%; height: auto; }
`;

/** A complete, self-contained HTML document. `body` is markup built with `htmlEscape`. */
export function htmlPage(title: string, body: string): string {
  return htmlDocument({ title, body, csp: STATIC_CSP, extraCss: EXTRA_CSS });
}

export interface Cell {
  text: string;
  /** Classes: `num` right-aligns (the report's rule), `status fail` etc. colour. */
  cls?: string;
  /** Trusted markup shown instead of `text`. */
  html?: string;
}

export function htmlTable(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td${c.cls ? ` class="${c.cls}"` : ''}>${c.html ?? escapeHtml(c.text)}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table></div>`;
}
