/// Draws the offered load per second of each strategy as an SVG: the full run at full scale on top, and
/// below the same curves zoomed to three times the capacity, with the capacity and the 1.5× goal marked.
public struct RetryStormChart {
    /// The runs to draw, one curve each.
    public let results: [RetryStormResult]

    /// A chart of `results`.
    public init(results: [RetryStormResult]) {
        self.results = results
    }

    private let width = 900.0
    private let panelHeight = 260.0
    private let margin = (left: 60.0, right: 170.0, top: 30.0, bottom: 40.0)
    private static let colours: [RetryStormStrategy: String] = [
        .exponentialWithoutJitter: "#d62728",
        .standard: "#1f77b4",
        .adaptivePerClient: "#ff7f0e",
        .adaptiveShared: "#2ca02c",
    ]

    /// The chart as a standalone SVG document.
    public var svg: String {
        guard let scenario = results.first?.scenario else { return "" }
        let capacity = Double(scenario.capacityPerSecond)
        let lastBusySecond = results.map { result in
            (result.offeredPerSecond.lastIndex { $0 > 0 } ?? 0) + 1
        }.max() ?? 1
        let seconds = min(((lastBusySecond + 9) / 10) * 10, result0Length)
        let peak = Double(results.map(\.peakOfferedPerSecond).max() ?? 1)
        let height = 2 * (panelHeight + margin.top + margin.bottom)
        var parts = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
                + "font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
        ]
        parts += panel(
            title: "Requests reaching the service per second (\(scenario.clients) clients, capacity \(Int(capacity))/s)",
            top: 0, seconds: seconds, yMax: niceCeiling(peak), capacity: capacity, legend: true)
        parts += panel(
            title: "The same, zoomed to 3× capacity (values above are clipped)",
            top: panelHeight + margin.top + margin.bottom, seconds: seconds, yMax: 3 * capacity,
            capacity: capacity, legend: false)
        parts.append("</svg>")
        return parts.joined(separator: "\n") + "\n"
    }

    private var result0Length: Int { results.first?.offeredPerSecond.count ?? 1 }

    private func panel(
        title: String, top: Double, seconds: Int, yMax: Double, capacity: Double, legend: Bool
    ) -> [String] {
        let plotWidth = width - margin.left - margin.right
        let originY = top + margin.top + panelHeight
        let x = { (second: Double) in margin.left + plotWidth * second / Double(seconds) }
        let y = { (value: Double) in originY - panelHeight * min(value, yMax) / yMax }
        var parts = [
            text(title, x: margin.left, y: top + margin.top - 10, weight: "bold"),
            "<line x1=\"\(x(0))\" y1=\"\(originY)\" x2=\"\(x(Double(seconds)))\" y2=\"\(originY)\" stroke=\"black\"/>",
            "<line x1=\"\(x(0))\" y1=\"\(originY)\" x2=\"\(x(0))\" y2=\"\(y(yMax))\" stroke=\"black\"/>",
        ]
        for tick in 0...4 {
            let value = yMax * Double(tick) / 4
            parts.append(text("\(Int(value))", x: margin.left - 8, y: y(value) + 4, anchor: "end"))
            parts.append(gridLine(y: y(value), from: x(0), to: x(Double(seconds))))
        }
        let step = max(seconds / 10, 1)
        for second in stride(from: 0, through: seconds, by: step) {
            parts.append(text("\(second) s", x: x(Double(second)), y: originY + 16, anchor: "middle"))
        }
        for (value, label, dash) in [(capacity, "capacity", "6 3"), (1.5 * capacity, "1.5× capacity", "2 3")]
        where value <= yMax {
            parts.append(
                "<line x1=\"\(x(0))\" y1=\"\(y(value))\" x2=\"\(x(Double(seconds)))\" y2=\"\(y(value))\" "
                    + "stroke=\"black\" stroke-dasharray=\"\(dash)\"/>")
            parts.append(text(label, x: x(Double(seconds)) + 4, y: y(value) + 4))
        }
        for (index, result) in results.enumerated() {
            let colour = Self.colours[result.strategy] ?? "black"
            // A step curve: each second's count is held across that second.
            var points: [String] = []
            for second in 0..<seconds {
                let value = Double(result.offeredPerSecond[second])
                points.append("\(x(Double(second))),\(y(value))")
                points.append("\(x(Double(second + 1))),\(y(value))")
            }
            let pointList = points.joined(separator: " ")
            parts.append(
                "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.5\" points=\"\(pointList)\"/>")
            if legend {
                let legendY = top + margin.top + 20 * Double(index) + 30
                let legendX = width - margin.right + 20
                parts.append(
                    "<line x1=\"\(legendX)\" y1=\"\(legendY)\" x2=\"\(legendX + 20)\" y2=\"\(legendY)\" "
                        + "stroke=\"\(colour)\" stroke-width=\"3\"/>")
                parts.append(text(result.strategy.rawValue, x: legendX + 26, y: legendY + 4))
            }
        }
        return parts
    }

    private func text(_ content: String, x: Double, y: Double, anchor: String = "start", weight: String = "normal")
        -> String
    {
        "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\">\(content)</text>"
    }

    private func gridLine(y: Double, from: Double, to: Double) -> String {
        "<line x1=\"\(from)\" y1=\"\(y)\" x2=\"\(to)\" y2=\"\(y)\" stroke=\"#dddddd\"/>"
    }

    /// The next round value (1, 2 or 5 times a power of ten) at or above `value`.
    private func niceCeiling(_ value: Double) -> Double {
        var magnitude = 1.0
        while magnitude * 10 <= value { magnitude *= 10 }
        for factor in [1.0, 2, 5, 10] where factor * magnitude >= value {
            return factor * magnitude
        }
        return 10 * magnitude
    }
}
