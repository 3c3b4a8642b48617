/** The page shell and escaping of the regression pages (compare.html, history.html): one file, no external resources. */

export function htmlEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --soft: #f6f8fa; --bad: #cf222e; --good: #1a7f37; --warn: #9a6700; }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); margin: 0; padding: 24px 32px 48px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 20px 0 6px; }
p, li { color: var(--fg); } .muted { color: var(--muted); }
table { border-collapse: collapse; margin: 8px 0 16px; width: 100%; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: right; vertical-align: top; } th { background: var(--soft); font-weight: 600; }
td:first-child, th:first-child, td.text, th.text { text-align: left; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 12px; font-weight: 700; color: #fff; }
.badge.fail { background: var(--bad); } .badge.pass { background: var(--good); } .badge.incomparable { background: var(--warn); }
td.fail, span.fail { color: var(--bad); font-weight: 700; } td.pass { color: var(--good); } td.skipped { color: var(--muted); }
td.worse { color: var(--bad); } td.better { color: var(--good); }
details { margin: 4px 0 12px; } summary { cursor: pointer; color: var(--muted); }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
`;

/** A complete, self-contained HTML document. `body` is trusted markup built with `htmlEscape`. */
export function htmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function htmlTable(header: readonly string[], rows: readonly (readonly { text: string; cls?: string; html?: string }[])[]): string {
  const th = header.map((h) => `<th>${htmlEscape(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td${c.cls ? ` class="${c.cls}"` : ''}>${c.html ?? htmlEscape(c.text)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}
