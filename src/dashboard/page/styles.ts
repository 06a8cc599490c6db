/** The page's only stylesheet, inline (no build step, no second request). */
export const STYLES = `
:root{color-scheme:light;--fg:#1d232b;--muted:#6b7682;--line:#e3e7ec;--bg:#f6f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;flex-wrap:wrap;align-items:baseline;gap:6px 18px;padding:14px 24px;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:18px;margin:0}
header nav a{margin-right:12px;color:#2f6fd6;text-decoration:none}
main{padding:16px 24px;max-width:1440px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin-bottom:16px}
h2{font-size:15px;margin:0 0 8px}
h3{font-size:14px;margin:8px 0 2px}
.summary{display:flex;flex-wrap:wrap;gap:8px 24px;font-size:15px}
.summary b{font-size:20px}
.muted{color:var(--muted)}
.late{color:#b26b00;font-weight:600}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
th{font-weight:600;color:var(--muted);font-size:12px}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.last-error{white-space:normal;max-width:360px}
tr.failed td{background:#fdf0ef}
tr.stale td{background:#fdf7ea}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:8px;vertical-align:baseline}
.error{color:#b3261e}
.alert{border-color:#e8b4b1;background:#fdf3f2}
.alert h2{color:#b3261e}
code{font:13px ui-monospace,Menlo,Consolas,monospace;background:#eef1f4;padding:1px 5px;border-radius:4px}
.chart{width:100%;height:auto;display:block}
.chart .axis{font-size:10px;fill:var(--muted)}
.chart .mark429{font-size:9px;fill:#b26b00}
.chart .base{stroke:var(--line)}
.legend{margin:4px 0 0;color:var(--muted);font-size:12px}
.legend span{margin-right:12px;white-space:nowrap}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
.empty{color:var(--muted)}
.scroll{overflow-x:auto}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:0 16px}
`;
