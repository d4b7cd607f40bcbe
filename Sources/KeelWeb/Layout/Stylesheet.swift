/// The one CSS file: readable from 375 px phones to desktops, visible focus, no framework.
public enum Stylesheet {
    public static let css = """
        :root { --fg:#1d2330; --muted:#5b6475; --line:#d9dee7; --accent:#1f5fbf; --bad:#b42318; --bg:#f6f7f9; font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; }
        * { box-sizing: border-box; }
        body { margin:0; color:var(--fg); background:var(--bg); line-height:1.5; }
        a { color:var(--accent); }
        :focus-visible { outline:3px solid #f5a623; outline-offset:2px; }
        .top { display:flex; flex-wrap:wrap; gap:.5rem 1rem; align-items:center; padding:.5rem 1rem; background:#fff; border-bottom:1px solid var(--line); }
        .brand { font-weight:700; text-decoration:none; color:var(--fg); }
        .top nav ul { display:flex; flex-wrap:wrap; gap:.25rem 1rem; list-style:none; margin:0; padding:0; align-items:center; }
        .top nav a { text-decoration:none; color:var(--fg); padding:.2rem 0; } .top nav a:hover { color:var(--accent); }
        .top nav a[aria-current] { font-weight:700; color:var(--accent); box-shadow:inset 0 -2px 0 var(--accent); }
        .top nav .more { position:relative; } .top nav .more summary { color:var(--fg); } .top nav .more summary.current { font-weight:700; color:var(--accent); }
        .top nav .more ul { position:absolute; z-index:10; top:1.9rem; left:0; display:block; min-width:9rem; background:#fff; border:1px solid var(--line); border-radius:6px; padding:.35rem .75rem; box-shadow:0 4px 12px rgba(0,0,0,.08); }
        .top nav .more li { margin:.2rem 0; }
        .menu-toggle { position:absolute; opacity:0; width:1px; height:1px; } .menu-button { display:none; cursor:pointer; color:var(--accent); }
        .menu-toggle:focus-visible + .menu-button { outline:3px solid #f5a623; outline-offset:2px; }
        @media (max-width: 900px) {
          .menu-button { display:inline-block; } .top nav { display:none; width:100%; order:5; } .menu-toggle:checked ~ nav { display:block; }
          .top nav ul { flex-direction:column; align-items:flex-start; } .top nav .more ul { position:static; box-shadow:none; border:none; padding-left:1rem; }
          .quick { width:100%; order:4; } .quick input, .top .quick input { width:100%; max-width:none; }
        }
        .me { margin-left:auto; display:flex; gap:.5rem; align-items:center; }
        .inline { display:inline; }
        .sr { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); white-space:nowrap; }
        .quick input { width:16rem; max-width:60vw; }
        main { padding:1rem; max-width:1200px; margin:0 auto; }
        .bar { display:flex; justify-content:space-between; align-items:center; gap:1rem; }
        .button, button { display:inline-block; padding:.4rem .9rem; border:1px solid var(--accent); border-radius:4px; background:var(--accent); color:#fff; text-decoration:none; font:inherit; cursor:pointer; }
        .me button { background:#fff; color:var(--accent); }
        .button.secondary, button.secondary { background:#fff; color:var(--accent); } button.danger, .button.danger { background:#fff; color:var(--bad); border-color:var(--bad); }
        label.choice { display:block; margin:.25rem 0; } fieldset.card legend { font-weight:600; padding:0 .25rem; }
        .filters { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin:.5rem 0; }
        .filter-row { display:flex; flex-wrap:wrap; gap:.35rem; align-items:center; width:100%; }
        .columns { display:flex; flex-wrap:wrap; gap:.25rem 1rem; border:1px solid var(--line); background:#fff; }
        .views { display:flex; flex-wrap:wrap; gap:.25rem 1rem; margin:.5rem 0; } .views a[aria-current] { font-weight:700; }
        button.link { background:none; border:none; color:var(--bad); padding:0 .25rem; }
        details summary { cursor:pointer; color:var(--accent); } .save-view form { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin:.5rem 0; }
        input, select, textarea { font:inherit; padding:.35rem .5rem; border:1px solid var(--line); border-radius:4px; max-width:100%; }
        .table-wrap { overflow-x:auto; background:#fff; border:1px solid var(--line); }
        table { border-collapse:collapse; width:100%; }
        th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); white-space:nowrap; }
        .count, .src, time { color:var(--muted); } td.wrap { white-space:normal; min-width:12rem; }
        form.decision { display:flex; flex-wrap:wrap; gap:.35rem; } form.decision input { flex:1 1 100%; min-width:0; }
        .fields { display:grid; grid-template-columns:repeat(auto-fill, minmax(220px, 1fr)); gap:.5rem 1.5rem; margin:0; }
        .card { background:#fff; border:1px solid var(--line); border-radius:6px; padding:.75rem 1rem; margin:0 0 1rem; min-width:0; }
        .card h2 { font-size:1rem; margin:0 0 .5rem; } .card ul { padding-left:1.1rem; margin:0; } .card li { margin:.25rem 0; }
        .cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(300px, 1fr)); gap:1rem; } .cards .wide { grid-column:1 / -1; }
        .reconciliation td.num, .reconciliation th.num { text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums; }
        .reconciliation td.flag { color:var(--bad); font-weight:600; }
        .signing .hash { font-family:ui-monospace, monospace; font-size:.8rem; overflow-wrap:anywhere; }
        .chip { border:1px solid var(--line); border-radius:1rem; padding:.15rem .6rem; text-decoration:none; white-space:nowrap; }
        .chip[aria-current] { background:var(--accent); color:#fff; border-color:var(--accent); }
        .reconciliation tr[aria-current] th { font-weight:700; }
        .quote-lines td.num, .quote-lines th.num { text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums; }
        .totals { display:grid; justify-content:end; gap:.25rem; margin:.75rem 0 0; }
        .totals div { display:flex; justify-content:space-between; gap:2rem; }
        .totals dt { color:var(--muted); } .totals dd { margin:0; text-align:right; font-variant-numeric:tabular-nums; }
        .record { display:grid; grid-template-columns:minmax(0, 2fr) minmax(0, 1fr); gap:1rem; align-items:start; }
        .alert.closed { background:#fde8e6; color:var(--bad); border:1px solid var(--bad); border-radius:4px; padding:.5rem .8rem; font-weight:bold; }
        .muted, small { color:var(--muted); } .overdue time, .vacant { color:var(--bad); }
        .quick-log { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin:0 0 1rem; } .quick-log input[name=subject] { flex:1 1 16rem; min-width:0; }
        .tag { font-size:.75rem; padding:0 .35rem; border-radius:3px; background:#fde8e6; color:var(--bad); }
        .sla { display:inline-block; font-size:.8rem; padding:0 .4rem; border-radius:3px; white-space:nowrap; }
        .sla-ok { background:#e8f0fc; color:var(--accent); } .sla-late { background:#fde8e6; color:var(--bad); font-weight:bold; } .sla-done { background:#e7f5ec; color:#1e6b3a; }
        .trend.better { color:#1e6b3a; } .trend.worse { color:var(--bad); } table.response td { white-space:nowrap; } .heatmap .chart { min-width:760px; }
        .lead-inbox form.inline { display:flex; flex-direction:column; align-items:flex-start; gap:.25rem; } .lead-inbox form.inline input { width:7rem; } .lead-inbox td .sla { white-space:normal; }
        .sla-card ol { margin:.25rem 0 0; padding-left:1.1rem; } .sla-card li.late strong { color:var(--bad); }
        .fields dt { color:var(--muted); font-size:.875rem; } .fields dd { margin:0; overflow-wrap:anywhere; }
        .counts { display:flex; flex-wrap:wrap; gap:1.5rem; margin:.75rem 0; } .counts dt { color:var(--muted); font-size:.875rem; } .counts dd { margin:0; font-size:1.4rem; font-weight:bold; }
        progress { width:16rem; vertical-align:middle; }
        .timeline { padding-left:1.25rem; } .timeline > li { margin:.6rem 0; } .changes { margin:.2rem 0 0; padding-left:1rem; color:var(--text); } .changes li { margin:.1rem 0; } .old { text-decoration:line-through; color:var(--muted); }
        .field { display:flex; flex-direction:column; gap:.2rem; margin:.75rem 0; max-width:36rem; }
        .field.invalid input, .field.invalid select, .field.invalid textarea { border-color:var(--bad); }
        .error, .errors { color:var(--bad); } .errors { border:1px solid var(--bad); background:#fff4f2; padding:.5rem .75rem; }
        .duplicate { border:1px solid #d48806; background:#fffbe6; padding:.5rem .75rem; margin:.5rem 0; }
        .notice { background:#eef6ee; border:1px solid #9ac59a; padding:.5rem .75rem; }
        .watermark { position:fixed; inset:0; pointer-events:none; overflow:hidden; display:flex; flex-wrap:wrap; gap:4rem 6rem;
          padding:2rem; transform:rotate(-18deg) scale(1.3); opacity:.09; font-size:.9rem; color:#000; z-index:10; user-select:none; }
        @media print { .watermark { opacity:.18; } }
        .login { max-width:24rem; margin:3rem auto; background:#fff; padding:1.5rem; border:1px solid var(--line); }
        .board { display:grid; grid-auto-flow:column; grid-auto-columns:minmax(150px, 1fr); gap:.75rem; overflow-x:auto; padding-bottom:.5rem; }
        .column { background:#eef1f5; border-radius:6px; padding:.5rem; min-height:8rem; } .column h2 { font-size:.95rem; margin:0; }
        .column.over { outline:2px dashed var(--accent); }
        .deal.stale { border-left:3px solid var(--bad); } .stale-flag { color:var(--bad); font-size:.8rem; }
        .deal form.gate { display:block; border-top:1px solid var(--line); padding-top:.35rem; } .deal form.gate .field { margin:.35rem 0; }
        .deal form.gate input, .deal form.gate select, .deal form.gate textarea { width:100%; box-sizing:border-box; }
        .stages .flag { color:var(--bad); font-size:.85rem; }
        td .flag { color:var(--bad); font-size:.85rem; white-space:nowrap; }
        .file-pick { position:relative; } .file-pick input[type=file] { position:absolute; left:0; top:0; width:1px; height:1px; opacity:0; }
        .file-pick input[type=file]:focus + label { outline:2px solid var(--accent); outline-offset:2px; } .file-name { color:var(--muted); }
        .forecast-chart svg { max-width:560px; } .figure .big { font-size:1.4rem; font-weight:700; margin:.25rem 0; } details.adjust summary { cursor:pointer; color:var(--accent); }
        .deal { position:relative; background:#fff; border:1px solid var(--line); border-radius:4px; padding:.5rem; margin:.5rem 0; cursor:grab; }
        .deal form { display:flex; flex-wrap:wrap; gap:.25rem; margin-top:.35rem; } .deal .overdue { color:var(--bad); } form.notice { display:flex; gap:.75rem; align-items:center; flex-wrap:wrap; } .deal select { flex:1; min-width:0; } .deal button { padding:.2rem .5rem; }
        .chart { width:100%; height:auto; font-size:12px; } .cards.charts { grid-template-columns:repeat(auto-fit, minmax(min(372px, 100%), 1fr)); }
        .charts .card { padding:.75rem .5rem; } .charts details { margin-top:.5rem; } .charts table { font-size:.875rem; } .chart text { fill:var(--fg); } .chart text.on-mark { fill:#fff; }
        @media (max-width: 800px) { .record { grid-template-columns:minmax(0, 1fr); } }
        @media (max-width: 600px) { .me { margin-left:0; } main { padding:.75rem; } th, td { padding:.4rem; } }
        """
}
