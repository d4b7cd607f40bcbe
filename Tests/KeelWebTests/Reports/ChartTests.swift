import Foundation
import KeelWeb
import Testing

@Suite struct ChartTests {
    /// The `width` attributes of the marks, in order.
    func widths(_ svg: String) -> [Double] {
        svg.components(separatedBy: "<rect ").dropFirst().compactMap { part in
            part.range(of: #"width=""#).flatMap { Double(part[$0.upperBound...].prefix { $0 != "\"" }) }
        }
    }

    @Test func barsAreProportionalAndEveryTextIsEscaped() {
        let svg = Chart.bar(title: "渠道 <script>", items: [
            Chart.Item(label: "官网", value: 40), Chart.Item(label: #"<img src=x onerror="alert(1)">"#, value: 10), Chart.Item(label: "展会", value: 0),
        ])
        #expect(svg.hasPrefix("<svg class=\"chart\""))
        #expect(svg.contains(#"aria-label="渠道 &lt;script&gt;""#))
        #expect(!svg.contains("<img") && !svg.contains("<script"))
        #expect(svg.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"))
        let w = widths(svg)
        #expect(w.count == 3)
        #expect(abs(w[0] / w[1] - 4) < 0.01)
        #expect(w[2] == 0)
    }

    /// English labels are longer than Chinese ones: the label room grows with the longest, so none is cut off.
    @Test func longLabelsGetRoom() {
        func labelEnd(_ svg: String) -> Double? {
            svg.range(of: #"text-anchor="end""#).flatMap { end in
                svg[..<end.lowerBound].range(of: #"<text x=""#, options: .backwards).flatMap { Double(svg[$0.upperBound...].prefix { $0 != "\"" }) }
            }
        }
        let chinese = Chart.bar(title: "收入", items: [Chart.Item(label: "已签合同", value: 2), Chart.Item(label: "财务确认", value: 1)])
        let english = Chart.bar(title: "Revenue", items: [Chart.Item(label: "Signed contracts", value: 2), Chart.Item(label: "Confirmed by finance", value: 1)])
        #expect(labelEnd(chinese) == 74 && (labelEnd(english) ?? 0) >= 140)
        let grid = Chart.heatmap(title: "Leads", rows: ["Shopify store"], columns: ["Unqualified", "New"]) { _, _ in 1 }
        // "Unqualified" is about 78 units wide: its column is 86, so the next header starts clear of it.
        #expect(grid.contains(#"<text x="145.0" y="18" text-anchor="middle">Unqualified</text><text x="231.0" y="18" text-anchor="middle">New</text>"#), "\(grid)")
    }

    @Test func theFunnelNarrowsWithTheValuesAndTheHeatmapShadesByValue() {
        let funnel = Chart.funnel(title: "漏斗", items: [Chart.Item(label: "初步接洽", value: 100), Chart.Item(label: "商务谈判", value: 25, caption: "25 · ¥1,000")])
        let w = widths(funnel)
        #expect(abs(w[0] / w[1] - 4) < 0.01)
        // Each step labelled on its left, its band centred, its figures after the bands.
        #expect(funnel.contains(#"<text x="74.0" y="47.0" text-anchor="end">商务谈判</text>"#) && funnel.contains(#">25 · ¥1,000</text>"#))
        #expect(funnel.contains(#"<rect x="123.5""#))

        let heatmap = Chart.heatmap(title: "热力", rows: ["官网", "展会"], columns: ["新线索", "已联系"]) { r, c in [[8, 0], [2, 4]][r][c] }
        #expect(heatmap.components(separatedBy: "<rect ").count - 1 == 4)
        #expect(heatmap.contains(#"<title>官网 · 新线索: 8</title>"#))
        #expect(heatmap.contains(#"fill-opacity="1.0""#))
        #expect(heatmap.contains(#"fill-opacity="0.1""#))
        #expect(Chart.bar(title: "空", items: []).contains("<title>空</title>"))

        // Blank cells stay blank; a logarithmic map shades minutes and days apart without one outlier washing out the rest.
        let times = Chart.heatmap(title: "响应", rows: ["李娜"], columns: ["09", "10", "11"], caption: { "\(Int($0))分" }, logarithmic: true) { _, c in
            [10, nil, 10_000][c]
        }
        #expect(times.contains(##"fill="none" stroke="#d0d5dd""##) && times.components(separatedBy: "<title>").count - 1 == 3)
        #expect(times.contains("<title>李娜 · 09: 10分</title>") && times.contains(">10000分</text>"))
        #expect(times.contains(#"fill-opacity="0.3""#) && times.contains(#"fill-opacity="1.0""#))
    }
}
