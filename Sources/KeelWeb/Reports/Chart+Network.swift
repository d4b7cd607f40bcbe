import Foundation

extension Chart {
    /// One node of a network chart: its label, what ties it to the centre (on the edge), and where it links to.
    public struct Node: Sendable {
        public var label: String
        public var edge: String
        public var href: String

        public init(label: String, edge: String, href: String) {
            self.label = label
            self.edge = edge
            self.href = href
        }
    }

    /// A star: the centre in the middle, each node on a circle around it, joined by an edge that says what ties them.
    public static func network(title: String, center: String, nodes: [Node]) -> String {
        let width = 640.0, height = 480.0, cx = width / 2, cy = height / 2, radius = nodes.count > 1 ? 180.0 : 150.0
        var marks = ""
        for (i, node) in nodes.enumerated() {
            let angle = Double(i) / Double(max(nodes.count, 1)) * 2 * .pi - .pi / 2
            let x = cx + radius * cos(angle), y = cy + radius * sin(angle)
            marks += "<line x1=\"\(fmt(cx))\" y1=\"\(fmt(cy))\" x2=\"\(fmt(x))\" y2=\"\(fmt(y))\" stroke=\"#9aa4b5\"/>"
            marks += "<text x=\"\(fmt((cx + x) / 2))\" y=\"\(fmt((cy + y) / 2 - 4))\" font-size=\"11\" fill=\"#5b6475\" text-anchor=\"middle\">\(escape(node.edge))</text>"
            marks += "<a href=\"\(escape(node.href))\"><circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"8\" fill=\"\(palette[1])\"><title>\(escape(node.label)): \(escape(node.edge))</title></circle>"
            marks += "<text x=\"\(fmt(x))\" y=\"\(fmt(y + 22))\" font-size=\"12\" text-anchor=\"middle\">\(escape(node.label))</text></a>"
        }
        marks += "<circle cx=\"\(fmt(cx))\" cy=\"\(fmt(cy))\" r=\"12\" fill=\"\(palette[0])\"/>"
        marks += "<text x=\"\(fmt(cx))\" y=\"\(fmt(cy + 28))\" font-size=\"13\" font-weight=\"bold\" text-anchor=\"middle\">\(escape(center))</text>"
        return svg(title: title, width: width, height: height, body: marks)
    }
}
