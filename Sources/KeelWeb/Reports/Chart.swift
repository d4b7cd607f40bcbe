import Foundation

/// SVG charts rendered on the server: bars, a funnel and a heatmap. Each returns a complete `<svg>` element that
/// scales to its container, carries a title for screen readers and a `<title>` tooltip per mark. Every text is
/// XML-escaped here, so the result may be inserted into a page as is.
public enum Chart {
    public struct Item: Sendable {
        public var label: String
        public var value: Double
        /// What the mark says next to it (e.g. "12 · ¥1,200,000"); the value when nil.
        public var caption: String?
        /// The mark's fill, when it carries meaning (a health level); the chart's first colour otherwise.
        public var color: String?

        public init(label: String, value: Double, caption: String? = nil, color: String? = nil) {
            self.label = label
            self.value = value
            self.caption = caption
            self.color = color
        }
    }

    static let palette = ["#1f5fbf", "#2e7d6b", "#b06a00", "#7a4fb3", "#b42318", "#44658c", "#5f7d1f", "#8c4466"]

    /// Every chart is drawn 300 units wide: its 12 px text reads at 12 px or more on a card as narrow as a phone's.
    static let width = 300.0, labelWidth = 80.0, captionWidth = 96.0, rowHeight = 26.0

    /// About how wide `text` is at 12 px: a Chinese character 12 units, a Latin capital 8, anything else 7.
    static func textWidth(_ text: String) -> Double {
        text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 12 : ("A"..."Z").contains(Character($1)) ? 8 : 7) }
    }

    /// The room for row labels: the longest label's (English labels are longer than Chinese ones), within bounds.
    static func labelRoom(_ labels: [String], least: Double = labelWidth, most: Double = 150) -> Double {
        min(most, max(least, (labels.map(textWidth).max() ?? 0) + 10))
    }

    /// Horizontal bars, one row per item, longest = the largest value.
    public static func bar(title: String, items: [Item]) -> String {
        rows(title: title, items: items, centred: false)
    }

    /// A funnel: each step's band centred and as wide as its value relative to the widest step.
    public static func funnel(title: String, items: [Item]) -> String {
        rows(title: title, items: items, centred: true)
    }

    /// A row per item: its label, its mark (from the left, or centred), its caption after the marks' area.
    static func rows(title: String, items: [Item], centred: Bool) -> String {
        let labelWidth = labelRoom(items.map(\.label))
        let area = width - labelWidth - captionWidth - 8
        let height = max(Double(items.count) * rowHeight, rowHeight) + 8
        let top = items.map(\.value).max() ?? 0
        var marks = ""
        for (i, item) in items.enumerated() {
            let y = Double(i) * rowHeight + 4
            let w = top > 0 ? max(item.value / top * area, item.value > 0 ? 2 : 0) : 0
            let x = labelWidth + (centred ? (area - w) / 2 : 0)
            let caption = item.caption ?? number(item.value)
            let fill = item.color ?? (centred ? palette[i % palette.count] : palette[0])
            marks += """
                <g><title>\(escape(item.label)): \(escape(caption))</title>\
                <text x="\(fmt(labelWidth - 6))" y="\(fmt(y + 17))" text-anchor="end">\(escape(item.label))</text>\
                <rect x="\(fmt(x))" y="\(fmt(y + 4))" width="\(fmt(w))" height="\(fmt(rowHeight - 8))" rx="2" fill="\(escape(fill))"/>\
                <text x="\(fmt(labelWidth + area + 6))" y="\(fmt(y + 17))">\(escape(caption))</text></g>
                """
        }
        return svg(title: title, width: width, height: height, body: marks)
    }

    /// A grid of cells shaded by value: rows × columns, with the value in each cell (as `caption` says it); a cell
    /// without a value is left blank. `logarithmic` shades by the value's logarithm (for values spanning minutes to days).
    public static func heatmap(title: String, rows: [String], columns: [String], caption: ((Double) -> String)? = nil, logarithmic: Bool = false,
                               value: (Int, Int) -> Double?) -> String {
        let cell = max(42, (columns.map(textWidth).max() ?? 0) + 8), rowLabel = labelRoom(rows, least: 84), header = 28.0
        let caption = caption ?? { number($0) }
        let width = rowLabel + Double(max(columns.count, 1)) * cell + 4
        let height = header + Double(max(rows.count, 1)) * (cell / 2 + 4) + 4
        let values = rows.indices.flatMap { r in columns.indices.compactMap { value(r, $0) } }
        let scale = { (v: Double) in logarithmic ? log1p(max(v, 0)) : v }
        let top = values.map(scale).max() ?? 0
        var marks = ""
        for (c, column) in columns.enumerated() {
            marks += "<text x=\"\(fmt(rowLabel + Double(c) * cell + cell / 2))\" y=\"18\" text-anchor=\"middle\">\(escape(column))</text>"
        }
        for (r, row) in rows.enumerated() {
            let y = header + Double(r) * (cell / 2 + 4)
            marks += "<text x=\"\(rowLabel - 8)\" y=\"\(fmt(y + 19))\" text-anchor=\"end\">\(escape(row))</text>"
            for (c, column) in columns.enumerated() {
                let x = rowLabel + Double(c) * cell
                guard let v = value(r, c) else {
                    marks += "<rect x=\"\(fmt(x + 2))\" y=\"\(fmt(y))\" width=\"\(cell - 4)\" height=\"\(cell / 2)\" rx=\"2\" fill=\"none\" stroke=\"#d0d5dd\"/>"
                    continue
                }
                let shade = top > 0 ? 0.08 + 0.92 * scale(v) / top : 0.08
                marks += """
                    <g><title>\(escape(row)) · \(escape(column)): \(escape(caption(v)))</title>\
                    <rect x="\(fmt(x + 2))" y="\(fmt(y))" width="\(cell - 4)" height="\(cell / 2)" rx="2" fill="\(palette[0])" fill-opacity="\(fmt(shade))"/>\
                    <text x="\(fmt(x + cell / 2))" y="\(fmt(y + 19))" text-anchor="middle"\(shade > 0.55 ? " class=\"on-mark\"" : "")>\(escape(caption(v)))</text></g>
                    """
            }
        }
        return svg(title: title, width: width, height: height, body: marks)
    }

    /// One row of an interval chart: a range (its 80 % interval), a dot (its median), and a tick (a point estimate to
    /// compare, such as the weighted pipeline).
    public struct Interval: Sendable {
        public var label: String
        public var low, mid, high: Double
        public var tick: Double?
        /// The row's tooltip.
        public var caption: String

        public init(label: String, low: Double, mid: Double, high: Double, tick: Double?, caption: String) {
            (self.label, self.low, self.mid, self.high, self.tick, self.caption) = (label, low, mid, high, tick, caption)
        }
    }

    /// Intervals on one scale from zero, a row each: a bar from low to high, a dot at mid, a dark tick at `tick`.
    public static func intervals(title: String, rows: [Interval]) -> String {
        let labelWidth = labelRoom(rows.map(\.label))
        let area = width - labelWidth - 12
        let top = rows.flatMap { [$0.high, $0.tick ?? 0] }.max() ?? 0
        func x(_ v: Double) -> Double { labelWidth + (top > 0 ? v / top * area : 0) }
        var marks = ""
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 4
            marks += """
                <g><title>\(escape(row.label)): \(escape(row.caption))</title>\
                <text x="\(fmt(labelWidth - 6))" y="\(fmt(y + 17))" text-anchor="end">\(escape(row.label))</text>\
                <rect x="\(fmt(x(row.low)))" y="\(fmt(y + 8))" width="\(fmt(max(2, x(row.high) - x(row.low))))" height="\(fmt(rowHeight - 16))" rx="2" fill="\(palette[0])" fill-opacity="0.35"/>\
                <circle cx="\(fmt(x(row.mid)))" cy="\(fmt(y + rowHeight / 2))" r="4" fill="\(palette[0])"/>
                """
            if let tick = row.tick {
                marks += "<rect x=\"\(fmt(x(tick) - 1))\" y=\"\(fmt(y + 4))\" width=\"2\" height=\"\(fmt(rowHeight - 8))\" fill=\"\(palette[2])\"/>"
            }
            marks += "</g>"
        }
        return svg(title: title, width: width, height: max(Double(rows.count) * rowHeight, rowHeight) + 8, body: marks)
    }

    static func svg(title: String, width: Double, height: Double, body: String) -> String {
        """
        <svg class="chart" viewBox="0 0 \(fmt(width)) \(fmt(height))" role="img" aria-label="\(escape(title))" xmlns="http://www.w3.org/2000/svg">\
        <title>\(escape(title))</title>\(body)</svg>
        """
    }

    /// XML text and attribute escaping.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func number(_ v: Double) -> String {
        v.rounded() == v ? v.formatted(.number.precision(.fractionLength(0))) : v.formatted(.number.precision(.fractionLength(2)))
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
}
