/* The HTML report's stylesheet, inlined into the page: system fonts, light and dark, and a print layout. */

export const REPORT_CSS = `
:root {
  color-scheme: light dark;
  --bg: #f4f6f9; --card: #ffffff; --text: #1c2230; --muted: #5d6677; --line: #e2e6ed; --band: #f7f9fb;
  --ok: #2e9d6c; --bad: #d94848; --lead: #4a6cf0; --open: #f3b0b0;
  --elite: #1f8a5b; --high: #3d63e0; --medium: #c77c12; --low: #cc3b3b; --none: #8a93a3;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #11141b; --card: #1a1f2a; --text: #e4e8ef; --muted: #9aa4b5; --line: #2c3340; --band: #1f2531;
    --ok: #3cbf85; --bad: #f06767; --lead: #7c95ff; --open: #6b2f35;
    --elite: #4fd39a; --high: #86a0ff; --medium: #f0b451; --low: #ff7a7a; --none: #7d8697;
  }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 28px 24px 40px; }
header h1 { margin: 0 0 4px; font-size: 24px; letter-spacing: -0.01em; }
header p { margin: 0; color: var(--muted); }
h2 { font-size: 16px; margin: 0 0 10px; }
section, .tile { background: var(--card); border: 1px solid var(--line); border-radius: 10px; }
section { padding: 16px 18px; margin-top: 18px; }
.tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 14px; margin-top: 20px; }
.tile { padding: 14px 16px; border-top: 4px solid var(--none); }
.tile.elite { border-top-color: var(--elite); } .tile.high { border-top-color: var(--high); }
.tile.medium { border-top-color: var(--medium); } .tile.low { border-top-color: var(--low); }
.tile h3 { margin: 0; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); }
.tile .value { font-size: 28px; font-weight: 700; margin: 6px 0 2px; font-variant-numeric: tabular-nums; }
.tile .sub { color: var(--muted); font-size: 12px; }
.level { display: inline-block; margin-top: 8px; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600;
  color: var(--card); background: var(--none); }
.level.elite { background: var(--elite); } .level.high { background: var(--high); }
.level.medium { background: var(--medium); } .level.low { background: var(--low); }
.summary { display: flex; flex-wrap: wrap; gap: 8px 22px; margin-top: 14px; color: var(--muted); }
.summary b { color: var(--text); font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: 1fr; gap: 0; }
.charts section { margin-top: 18px; }
.charts .wide { grid-column: 1 / -1; }
svg { display: block; max-width: 100%; height: auto; font-size: 12px; }
svg text { fill: var(--muted); }
svg .legend text, svg .env, svg .value { fill: var(--text); }
svg .empty { fill: var(--muted); font-size: 16px; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .ok { fill: var(--ok); } svg .bad, svg .fail { fill: var(--bad); }
svg .lead { fill: var(--lead); }
svg .band { fill: var(--band); } svg .band.odd { fill: var(--card); }
svg .down { fill: var(--bad); opacity: 0.55; }
svg .down.open { fill: var(--open); opacity: 1; stroke: var(--bad); stroke-dasharray: 4 3; }
svg .open-end { fill: var(--bad); } svg .incident-label { fill: var(--text); font-size: 11px; } svg .open-label { fill: var(--bad); font-weight: 600; font-size: 11px; }
svg .marker line { stroke: var(--text); stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .marker.p90 line { stroke: var(--bad); }
svg .marker text { fill: var(--text); font-weight: 600; }
table { width: 100%; border-collapse: collapse; font-size: 12px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: 12px; white-space: nowrap; }
td.version { font-weight: 600; white-space: nowrap; }
td.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
.table-wrap { overflow-x: auto; }
.envs, .outcome, .approvals, .target, td.track { white-space: nowrap; }
.approval.rejected { color: var(--bad); }
.chip { display: inline-block; padding: 0 6px; margin: 1px 2px 1px 0; border-radius: 4px; font-size: 12px; border: 1px solid var(--line); }
.chip.succeeded { color: var(--ok); } .chip.failed, .chip.rolled_back { color: var(--bad); }
.outcome.rolled_back, .outcome.failed, .missed { color: var(--bad); font-weight: 600; }
.met { color: var(--ok); font-weight: 600; }
.track.emergency { color: var(--bad); font-weight: 600; }
.muted, .approvals { color: var(--muted); }
.notes li { margin: 4px 0; }
.incident-list { margin-top: 8px; color: var(--muted); font-size: 12px; } .incident-list summary { cursor: pointer; } .incident-list ol { margin: 6px 0 0; padding-left: 22px; }
footer { margin-top: 22px; color: var(--muted); font-size: 12px; }
@media (max-width: 760px) { .tiles { grid-template-columns: 1fr 1fr; } .charts { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 11px; } main { max-width: none; padding: 0; }
  section, .tile { break-inside: avoid; border-color: #ccc; }
  tr { break-inside: avoid; }
}
`;
