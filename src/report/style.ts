/** The learning report's styles (light and dark), inlined into each report. */
export const REPORT_CSS = `
:root{--bg:#fff;--fg:#1f2328;--muted:#656d76;--line:#d0d7de;--card:#f6f8fa;--good:#1a7f37;--bad:#cf222e;--warn:#9a6700;--accent:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#8d96a0;--line:#30363d;--card:#161b22;--good:#3fb950;--bad:#f85149;--warn:#d29922;--accent:#4493f8}}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;background:var(--bg);color:var(--fg)}
header{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:8px 20px}
nav{display:flex;gap:14px;flex-wrap:wrap;align-items:center}
nav a{color:var(--accent);text-decoration:none}
.meta{margin:4px 0 0;color:var(--muted);font-size:12px}
main{padding:0 20px 40px;max-width:1400px}
section{padding-top:18px;border-bottom:1px solid var(--line);padding-bottom:18px;scroll-margin-top:70px}
h2{margin:0 0 4px;font-size:18px}
.summary{margin:0 0 12px;color:var(--muted)}
.empty{padding:16px;border:1px dashed var(--line);border-radius:6px;color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:10px 14px;min-width:160px;max-width:320px}
.card .value{font-size:22px;font-weight:600}
.card .label{font-weight:600}
.card .note{color:var(--muted);font-size:12px}
.card.good .value{color:var(--good)}.card.bad .value{color:var(--bad)}.card.warn .value{color:var(--warn)}.card.muted .value{color:var(--muted);font-size:16px}
.charts{display:flex;flex-wrap:wrap;gap:16px}
figure.trend{margin:0;width:340px}
figcaption{font-size:12px;color:var(--muted)}
.chart{width:340px;height:auto;background:var(--card);border:1px solid var(--line);border-radius:4px}
.chart .axis{stroke:var(--line)}.chart .line{fill:none;stroke:var(--accent);stroke-width:1.5}.chart .dot{fill:var(--accent)}
.chart .bar{fill:var(--accent)}.chart .bar.observed{fill:var(--bad)}.chart .tick{font-size:8px;fill:var(--muted)}
.key{display:inline-block;width:10px;height:10px;background:var(--accent)}.key.observed{background:var(--bad)}
.tools{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:6px 0}
.tools input{padding:4px 8px;min-width:240px;border:1px solid var(--line);border-radius:4px;background:var(--bg);color:var(--fg)}
.tools select{background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:4px}
.count{color:var(--muted);font-size:12px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{cursor:pointer;user-select:none;white-space:nowrap;font-size:12px;color:var(--muted)}
th[aria-sort=ascending]::after{content:' ▲'}th[aria-sort=descending]::after{content:' ▼'}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.expandable{cursor:pointer}tr.expandable:hover{background:var(--card)}
tr.details td{background:var(--card)}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;overflow-wrap:anywhere}
.message{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-word}
.muted{color:var(--muted)}
.tag{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;border:1px solid var(--line)}
.tag.failed,.tag.broken,.tag.new,.tag.rejected{color:var(--bad);border-color:var(--bad)}
.tag.flaky,.tag.stale,.tag.falling,.tag.suggested,.tag.pending,.tag.abstained{color:var(--warn);border-color:var(--warn)}
.tag.passed,.tag.healed,.tag.stable,.tag.healthy,.tag.accepted{color:var(--good);border-color:var(--good)}
.strip{display:inline-flex;gap:1px}.strip i{display:inline-block;width:5px;height:12px;background:var(--line)}
.strip .r-p{background:var(--good)}.strip .r-f{background:var(--bad)}.strip .r-k{background:var(--warn)}.strip .r-h{background:var(--accent)}.strip .r-s{background:var(--muted)}.strip .r-none{background:transparent;outline:1px solid var(--line)}
.explanation{width:auto}.contribution{display:inline-block;height:8px;background:var(--good)}.contribution.neg{background:var(--bad)}
.llm-summary{border-left:3px solid var(--accent);padding-left:10px;margin-bottom:8px}.llm-summary p{margin:4px 0}
.shot{max-width:480px;border:1px solid var(--line);margin-top:6px}
button.more{margin-top:6px}
.error{color:var(--bad);white-space:pre-wrap;padding:20px}
`;
