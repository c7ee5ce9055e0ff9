// The dashboard's stylesheet, served as /dashboard/static/style.css (the CSP allows no inline styles).
export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2228;background:#f4f6f8}
a{color:#1f5fae;text-decoration:none}a:hover{text-decoration:underline}
header.top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#17212b;color:#fff}
header.top .brand{font-weight:700;font-size:16px;letter-spacing:.02em}
header.top nav a{color:#cfd8e3;margin-right:16px;padding:4px 0}
header.top nav a.on{color:#fff;border-bottom:2px solid #6fb1ff}
header.top .who{margin-left:auto;display:flex;gap:10px;align-items:center;color:#cfd8e3}
header.top .who button{background:#2c3a48;color:#fff;border:1px solid #46596d;border-radius:4px;padding:3px 10px;cursor:pointer}
main{padding:16px 24px 40px;max-width:1280px}
h1{font-size:20px;margin:6px 0 12px}h2{font-size:16px;margin:22px 0 8px}.card>h2:first-child{margin-top:0}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:8px;margin:4px 0 14px}
#active-session-model .stats{grid-template-columns:repeat(6,1fr)}
.stat{background:#fff;border:1px solid #dde2e7;border-radius:6px;padding:6px 10px}
.stat b{display:block;font-size:18px}.stat span{color:#5b6672;font-size:12px;white-space:nowrap}
.card{background:#fff;border:1px solid #dde2e7;border-radius:6px;padding:12px 16px;margin-bottom:14px;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #edf0f2;vertical-align:top;white-space:nowrap}
th{color:#5b6672;font-weight:600;background:#fafbfc}
td.reasons{white-space:normal;max-width:420px}
tr.flag-medium td{background:#fff4e5}tr.flag-high td{background:#fdecea}
.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.pill{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.pill.allow{background:#2e7d32}.pill.monitor{background:#b58100}.pill.challenge{background:#e65100}.pill.block{background:#c62828}.pill.none{background:#8a949e}
.pill.active-model{background:#1f5fae}
form.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:end;margin-bottom:12px}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#5b6672}
select,input{font:inherit;padding:4px 6px;border:1px solid #c5ccd3;border-radius:4px;background:#fff}
button.primary{background:#1f5fae;color:#fff;border:0;border-radius:4px;padding:6px 14px;font:inherit;cursor:pointer}
.pager{margin-top:10px;display:flex;gap:14px}
.muted{color:#6b7682}.empty{color:#6b7682;padding:10px 0}
.error{background:#fdecea;border:1px solid #f3b8b3;color:#8e1c14;border-radius:6px;padding:10px 14px}
.login{max-width:380px;margin:80px auto;background:#fff;border:1px solid #dde2e7;border-radius:8px;padding:24px}
.login h1{margin-top:0}.login input{width:100%;margin:6px 0 14px}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:14px}
svg.chart{max-width:100%;height:auto;display:block}
fieldset.choices{border:0;padding:0;margin:0;display:flex;gap:12px;align-items:center}fieldset.choices legend{font-size:12px;color:#5b6672;padding:0}
form.filters label.choice{display:flex;flex-direction:row;gap:4px;align-items:center;color:#1d2228;font-size:14px}
.pill.label-genuine{background:#2e7d32}.pill.label-account_takeover{background:#c62828}.pill.label-bot{background:#e65100}.pill.label-unsure,.pill.label-none{background:#8a949e}
table.confusion{width:auto}table.confusion td{text-align:right;min-width:90px;font-size:15px}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}dl.kv dt{color:#5b6672}dl.kv dd{margin:0}
`;
