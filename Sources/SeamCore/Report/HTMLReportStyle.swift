/// The fixed parts of the HTML report: its stylesheet, the SVG patterns every timeline shares, and the legend.
///
/// Colours: a light tint per lane (ColorBrewer "Paired", distinguishable with the common colour-vision
/// deficiencies when paired with the lane's name and position), dark text (#1b1f24) on white, amber
/// (#b35806) and blue (#0550ae) for observations (how TCP delivered the bytes: normal), and red (#c4161c)
/// only for what a program got wrong: verdicts and alerts.
enum HTMLReportStyle {
    static let css = """
        :root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --panel: #f6f8fa; --bad: #c4161c; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; padding: 18px 28px 40px; max-width: 1380px; color: var(--ink); background: #fff;
          font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        h1 { font-size: 22px; margin: 0 0 10px; }
        h1 .file { font-weight: 500; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
          font-size: 18px; }
        h2 { font-size: 18px; margin: 26px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
        h3 { font-size: 14px; font-weight: 600; margin: 14px 0 4px; }
        code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px;
          background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
        a { color: #0550ae; }
        .muted { color: var(--muted); font-weight: normal; }
        .bad { color: var(--bad); }
        .alert { border: 2px solid var(--bad); background: #fdecea; color: #7d1010; font-weight: 600;
          padding: 8px 12px; border-radius: 6px; margin: 10px 0; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 0; }
        dl.meta dt { color: var(--muted); }
        dl.meta dd { margin: 0; }
        ul.notes { margin: 8px 0 0; padding-left: 20px; color: var(--muted); }
        .badge { display: inline-block; padding: 0 8px; border-radius: 10px; border: 1px solid #8c959f;
          font-size: 12px; font-weight: 600; line-height: 19px; background: #eef1f4; color: var(--ink);
          white-space: nowrap; }
        .badge.kind { text-transform: uppercase; letter-spacing: .03em; }
        .badge.k-coalesced { background: #e3eefc; border-color: #0550ae; color: #0a3069; }
        .badge.k-split { background: #fff0d4; border-color: #b35806; color: #6b3400; }
        .badge.verdict { background: #fde0dd; border-color: #c4161c; color: #7d1010; text-transform: uppercase; }
        .badge.k-truncated, .badge.k-lost { background: #fde0dd; border-color: #c4161c; color: #7d1010; }
        .badge.cause { background: #f6f8fa; border-color: #8c959f; color: var(--ink); }
        .badge.whatif { background: #fff; border-style: dashed; }
        .badge.fact { background: #fff8c5; border-color: #9a6700; color: #4d2d00; font-weight: 500; }
        .badge.proto, .badge.leg { font-size: 11px; vertical-align: 2px; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; margin: 14px 0 0; padding: 8px 12px;
          background: var(--panel); border: 1px solid var(--line); border-radius: 6px; font-size: 13px; }
        .legend span { white-space: nowrap; }
        .sw { display: inline-block; width: 22px; height: 12px; vertical-align: -1px; margin-right: 5px;
          border: 1px solid #57606a; }
        ol.findings { list-style: none; padding: 0; margin: 0; }
        ol.findings.long { max-height: 70vh; overflow-y: auto; padding-right: 6px;
          border-bottom: 1px solid var(--line); }
        ol.findings li { margin: 6px 0; padding: 6px 12px; background: #fafbfc; border: 1px solid var(--line);
          border-left: 4px solid #0550ae; border-radius: 4px; }
        ol.verdicts { list-style: none; padding: 0; margin: 0; }
        ol.verdicts li { margin: 8px 0; padding: 8px 12px; background: #fff5f5; border: 1px solid #f3b8b5;
          border-left: 5px solid var(--bad); border-radius: 4px; }
        .fix { margin: 4px 0 0; color: #1a5e20; }
        .ok { color: #1a5e20; font-weight: 600; }
        table.summary { border-collapse: collapse; margin: 4px 0 8px; font-size: 13px; }
        table.summary td { padding: 1px 10px 1px 0; }
        ol.findings li.k-split { border-left-color: #e66101; }
        ol.findings li.k-incomplete { border-left-color: #8c959f; }
        .where { font-weight: 600; margin-left: 4px; }
        .evidence { margin: 3px 0 0; }
        .facts { margin: 4px 0 0; }
        .direction { margin: 6px 0 16px; }
        .ends { font-weight: 500; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
          font-size: 15px; }
        .note { margin: 2px 0; color: var(--muted); font-size: 13px; }
        footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
        svg.timeline { display: block; width: 100%; height: auto; max-width: 1300px; }
        svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
        svg text.lane { font-size: 12.5px; font-weight: 700; }
        svg text.cap { font-size: 11px; fill: var(--muted); }
        svg text.in { font-size: 11px; font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace;
          pointer-events: none; }
        svg text.na { font-size: 12px; font-style: italic; fill: #57606a; text-anchor: middle; }
        svg text.tick { font-size: 11px; fill: #3d444d; }
        svg .track { fill: #f6f8fa; stroke: #d0d7de; }
        svg .unobserved { fill: url(#seam-hatch); stroke: #d0d7de; }
        svg .snd.a { fill: #a6cee3; } svg .snd.b { fill: #d3e7f3; } svg .snd.edge { stroke: #1f5f8b; }
        svg .seg.a { fill: #fdbf6f; } svg .seg.b { fill: #fee3ba; } svg .seg.edge { stroke: #a6530b; }
        svg .rcv.a { fill: #b2df8a; } svg .rcv.b { fill: #dcf0c9; } svg .rcv.edge { stroke: #2f7d24; }
        svg .msg.a { fill: #cab2d6; } svg .msg.b { fill: #e6dbee; } svg .msg.edge { stroke: #5b3589; }
        svg .edge { stroke-width: 1; }
        svg .whatif { stroke-dasharray: 4 2; }
        svg .seg.retx { fill: url(#seam-hatch-red); stroke: #c4161c; stroke-width: 1; }
        svg .rcv.trunc { stroke: #c4161c; stroke-width: 2.5; }
        svg .lost { fill: url(#seam-hatch-red); stroke: #c4161c; stroke-dasharray: 3 2; }
        svg .merged { stroke: none; }
        svg .msg.split { stroke: #b35806; stroke-width: 2.5; }
        svg .msg.incomplete { stroke-dasharray: 5 3; stroke: #57606a; fill-opacity: .55; }
        svg .gap { fill: url(#seam-hatch); stroke: #57606a; stroke-dasharray: 2 2; }
        svg .cut { stroke: #6e7781; stroke-width: 1; stroke-dasharray: 2 3; }
        svg .cross { stroke: #b35806; stroke-width: 3; }
        svg .cross.dense { stroke-width: 1; }
        svg .finding { fill: none; stroke: #0550ae; stroke-width: 1.5; }
        svg .finding.f-split { stroke: #e66101; stroke-dasharray: 6 3; }
        svg .finding.f-incomplete { stroke: #57606a; stroke-dasharray: 3 3; }
        svg .finding:target { stroke-width: 4; fill: rgba(255, 214, 0, .25); }
        svg .tsnd { fill: #1f78b4; } svg .tseg { fill: #d95f02; } svg .trcv { fill: #2f7d24; }
        svg .wait { fill: #b2df8a; fill-opacity: .6; stroke: #2f7d24; stroke-width: .5; }
        details.time { margin: 2px 0 0; }
        details.time summary { cursor: pointer; color: var(--muted); font-size: 12px; margin-left: 8px; }
        svg .axis, svg path.tick { stroke: #57606a; stroke-width: 1; }

        """

    /// Patterns referenced by every timeline's CSS (`url(#seam-hatch)`), defined once per page.
    static let svgDefinitions = """
        <svg class="defs" width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
        <pattern id="seam-hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">\
        <rect width="8" height="8" fill="#f3f4f6"/><path d="M0 0V8" stroke="#d0d7de" stroke-width="3"/></pattern>
        <pattern id="seam-hatch-red" width="6" height="6" patternUnits="userSpaceOnUse" \
        patternTransform="rotate(45)"><rect width="6" height="6" fill="#fde0dd"/>\
        <path d="M0 0V6" stroke="#e8877f" stroke-width="2"/></pattern>
        </defs></svg>

        """

    static let legend = """
        <div class="legend" aria-label="legend">
        <span><i class="sw" style="background:#a6cee3"></i>send (write call)</span>
        <span><i class="sw" style="background:#fdbf6f"></i>segment / datagram</span>
        <span><i class="sw" style="background:#b2df8a"></i>recv (read call; dashed: what-if)</span>
        <span><i class="sw" style="background:#cab2d6"></i>message</span>
        <span><i class="sw" style="background:#fff;border:2px solid #b35806;border-left-width:4px;width:8px">\
        </i>amber tick: a range crosses a message boundary (normal for TCP)</span>
        <span><i class="sw" style="background:#cab2d6;border:2px solid #b35806"></i>split message</span>
        <span><i class="sw" style="background:#fde0dd;border:1px solid #c4161c"></i>retransmission</span>
        <span><i class="sw" style="background:repeating-linear-gradient(45deg,#f3f4f6 0 4px,#d0d7de 4px 6px)">\
        </i>not observed / capture gap</span>
        <span><i class="sw" style="background:none;border:2px solid #0550ae"></i>observation (click in the list)</span>
        <span><i class="sw" style="background:#b2df8a;border-left:3px solid #2f7d24"></i>time view: how long \
        a read's bytes waited</span>
        </div>

        """
}
