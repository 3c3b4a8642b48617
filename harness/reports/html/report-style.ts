/**
 * The report's stylesheet (light and dark, screen and print). A TypeScript
 * module rather than a .css file, so the compiled package carries it; the
 * regression pages (compare.html, history.html) share it.
 */
export const REPORT_CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --card: #f6f8fb; --grid: rgba(29, 35, 48, 0.12);
  --good: #137a3a; --bad: #b42318; --accent: #2f5bd3; --hot: #e4572e; --ref: #6b4fbb; --mark: #fff1c2;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #12151c; --fg: #e3e7ef; --muted: #9aa3b5; --line: #2c3342; --card: #1a1f29; --grid: rgba(227, 231, 239, 0.14);
    --good: #4cc37a; --bad: #ff7a6b; --accent: #7ea2ff; --hot: #ff7b54; --ref: #b9a4ff; --mark: #4a3f12;
  }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1280px; padding: 24px; background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p, li { max-width: 100ch; }
.muted { color: var(--muted); }
nav a { margin-right: 14px; color: var(--accent); text-decoration: none; }
.banner { border-left: 4px solid var(--ref); background: var(--card); padding: 8px 12px; margin: 12px 0; max-width: none; }
header p { max-width: none; }
.warning { border-left: 6px solid var(--bad); background: var(--card); padding: 8px 12px; margin: 12px 0; }
.warning strong { color: var(--bad); }
td.bad { color: var(--bad); font-weight: 600; }
.ref { color: var(--ref); font-weight: 600; }
table { border-collapse: collapse; margin: 6px 0 12px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--card); font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
.ci { color: var(--muted); font-size: 12px; white-space: nowrap; }
.flag { font-weight: 700; white-space: nowrap; }
.flag.good { color: var(--good); }
.flag.bad { color: var(--bad); }
.band { white-space: nowrap; }
.scroll { overflow-x: auto; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 10px; break-inside: avoid; }
figure .plot { position: relative; height: 300px; }
figure.wide { grid-column: 1 / -1; }
figure.wide .plot { height: 420px; }
.charts.many { grid-template-columns: 1fr; }
.charts.many figure .plot { height: 380px; }
.charts.many figure.wide .plot { height: 520px; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 6px; }
.heat td.cell { text-align: right; background: color-mix(in srgb, var(--hot) calc(var(--h) * 75%), transparent); }
details { border: 1px solid var(--line); border-radius: 6px; margin: 8px 0; padding: 6px 10px; background: var(--card); }
summary { cursor: pointer; font-weight: 600; }
.session { margin: 10px 0 16px; }
.session h4 { margin: 8px 0 4px; font-size: 13px; }
.turns { width: 100%; }
.turns td { background: var(--bg); }
.batch { display: flex; flex-wrap: wrap; gap: 6px; }
.call { border: 1px solid var(--line); border-radius: 4px; padding: 3px 6px; min-width: 160px; max-width: 360px; background: var(--card); font-size: 12px; }
.call.missed { border: 2px solid var(--hot); background: var(--mark); }
.call.error { border-style: dashed; }
.call.duplicate, .call.unexpected { border: 2px dotted var(--bad); }
.tag.waste { background: var(--bad); color: #fff; }
.call .tool { font-weight: 600; }
.call .args, .call .result, .answer { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 11px; white-space: pre-wrap; word-break: break-word; }
.call .result { color: var(--muted); }
.tag { display: inline-block; font-size: 11px; padding: 0 5px; border-radius: 3px; background: var(--line); margin-left: 4px; }
.tag.missed { background: var(--hot); color: #fff; }
footer { margin-top: 40px; font-size: 12px; color: var(--muted); }
#decision { border: 1px solid var(--line); border-radius: 8px; background: var(--card); padding: 2px 16px 4px; margin: 10px 0 20px; }
#decision h2 { margin: 8px 0 4px; }
#decision p { margin: 4px 0; max-width: none; }
.bottom-line { padding-left: 18px; margin: 4px 0 8px; } .bottom-line li { font-weight: 600; margin: 1px 0; max-width: none; }
table.decision { width: 100%; table-layout: fixed; }
table.decision th:first-child { width: 13%; } table.decision th:nth-child(2) { width: 12%; }
.word { font-weight: 700; } .word.better { color: var(--good); } .word.worse { color: var(--bad); } .word.same { color: var(--muted); font-weight: 400; }
.scroll.labelled { border: 1px solid var(--line); border-radius: 6px; max-height: 70vh; overflow: auto; }
table.heat thead th { position: sticky; top: 0; z-index: 1; background: var(--card); }
table.heat tbody th, table.heat thead th:first-child { position: sticky; left: 0; z-index: 2; background: var(--card); }
table.headline { width: 100%; }
#headline table { table-layout: fixed; width: 100%; }
#headline thead th:first-child { width: 13%; }
#headline th, #headline td { overflow-wrap: anywhere; }
#headline .ci { white-space: normal; }
table.headline tbody th { text-align: left; }
table.headline .delta { margin-top: 3px; padding-top: 3px; border-top: 1px dotted var(--line); }
table.decision td, table.decision .ci { white-space: normal; overflow-wrap: anywhere; }
.small-multiples { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 12px; }
.small-plot h4 { margin: 4px 0; font-size: 13px; }
.small-plot .plot { position: relative; height: 280px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  .scroll, .scroll.labelled { overflow: visible; max-height: none; border: 0; }
  table { font-size: 10px; } th, td { padding: 2px 4px; }
  #decision, table.headline, figure { break-inside: avoid; }
  table.heat tbody th, table.heat thead th { position: static; }
  #drill { display: none; }
  .charts { grid-template-columns: 1fr 1fr; }
  figure .plot { height: 240px; }
  details { break-inside: avoid-page; }
  h2 { break-after: avoid; }
}
`;
