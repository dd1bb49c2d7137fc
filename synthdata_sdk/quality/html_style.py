"""The report's inline stylesheet: system fonts, a light neutral palette, a responsive grid."""

from __future__ import annotations

CSS = """
:root {
  --bg: #f5f6f8; --card: #ffffff; --line: #e2e5ea; --text: #1f2630; --muted: #5f6b7a;
  --accent: #3b6fd8; --accent-soft: #dfe8fb; --rest: #c9ced6;
  --good: #237a4b; --good-soft: #e3f3ea; --warn: #a65d00; --warn-soft: #fdf0dc;
  --bad: #b42318; --bad-soft: #fde7e5;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--text); line-height: 1.45;
  font: 15px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, "Noto Sans", sans-serif;
}
main { max-width: 1200px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 0; font-family: var(--mono); overflow-wrap: anywhere; }
p { margin: 6px 0; }
code { font-family: var(--mono); font-size: 13px; }
.muted { color: var(--muted); }
p.note { margin: 10px 0 12px; font-size: 13px; }
header.top {
  display: flex; flex-wrap: wrap; gap: 20px; align-items: center; justify-content: space-between;
  background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px;
}
.score {
  min-width: 150px; text-align: center; border-radius: 10px; padding: 12px 18px;
}
.score .value { font-size: 40px; font-weight: 700; line-height: 1.1; }
.score .caption { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; }
.good { background: var(--good-soft); color: var(--good); }
.warn { background: var(--warn-soft); color: var(--warn); }
.bad { background: var(--bad-soft); color: var(--bad); }
.formula {
  margin-top: 10px; padding: 8px 12px; background: var(--bg); border-radius: 6px;
  font-family: var(--mono); font-size: 13px; overflow-x: auto;
}
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 12px; }
.metric { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.metric .name { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.metric .value { font-size: 22px; font-weight: 600; }
.scroll { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #fafbfc; color: var(--muted); font-weight: 600; white-space: nowrap; }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.mono { font-family: var(--mono); font-size: 12.5px; overflow-wrap: break-word; }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(360px, 100%), 1fr)); gap: 16px; }
.field { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; min-width: 0; }
.field header { display: flex; flex-wrap: wrap; gap: 4px 8px; align-items: baseline; justify-content: space-between; margin-bottom: 8px; }
.badge {
  display: inline-block; font-size: 11px; padding: 1px 8px; border-radius: 999px;
  background: var(--accent-soft); color: var(--accent); white-space: nowrap;
}
.badge.table { background: var(--bg); color: var(--muted); }
.badge.bad { background: var(--bad-soft); color: var(--bad); }
dl.stats { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 0 0 10px; font-size: 13px; }
dl.stats dt { color: var(--muted); }
dl.stats dd { margin: 0; font-variant-numeric: tabular-nums; }
table.quantiles { width: auto; margin: -4px 0 10px; font-size: 12px; }
table.quantiles th, table.quantiles td { padding: 2px 6px; text-align: right; border: none; background: none; }
table.quantiles td { font-variant-numeric: tabular-nums; border-top: 1px solid var(--line); }
.meter { display: inline-block; width: 60px; height: 6px; background: var(--line); border-radius: 3px; margin-left: 6px; vertical-align: middle; }
.meter span { display: block; height: 100%; background: var(--warn); border-radius: 3px; }
.chart-title { font-size: 12px; color: var(--muted); margin: 8px 0 2px; }
svg.chart { display: block; width: 100%; max-width: 480px; height: auto; }
svg.chart text { font: 10px -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--muted); }
svg.chart text.label { fill: var(--text); }
svg.chart .bar { fill: var(--accent); }
svg.chart .bar:hover { fill: #2a55b0; }
svg.chart .bar.rest { fill: var(--rest); }
svg.chart .grid { stroke: var(--line); stroke-dasharray: 3 3; }
svg.chart .axis-line { stroke: var(--rest); }
ul.checks { margin: 8px 0 0; padding-left: 18px; font-size: 13px; }
.ok { color: var(--good); }
.fail { color: var(--bad); font-weight: 600; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
"""
