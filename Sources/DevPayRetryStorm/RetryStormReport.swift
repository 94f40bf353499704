/// The study's figures as a Markdown table, for the terminal and for docs/retry.md.
public enum RetryStormReport {
    /// One row per result, under a line that describes the scenario they share.
    public static func markdownTable(_ results: [RetryStormResult]) -> String {
        guard let scenario = results.first?.scenario else { return "" }
        var lines = [
            "\(scenario.clients) clients, capacity \(scenario.capacityPerSecond)/s, "
                + "\(scenario.duration.components.seconds) s simulated, answers after \(scenario.responseTime)",
            "",
            "| strategy | requests sent | amplification | succeeded | 99 % succeeded at | all succeeded at "
                + "| peak load (1 s) | peak after arrivals | × capacity | max attempts/client |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for result in results {
            let capacity = Double(scenario.capacityPerSecond)
            let cells = [
                result.strategy.rawValue,
                "\(result.requestsSent)",
                format(result.amplification) + "×",
                "\(result.successes)",
                result.timeTo99PercentSuccess.map(seconds) ?? "not reached",
                result.timeToAllSucceeded.map(seconds) ?? "not reached",
                "\(result.peakOfferedPerSecond)/s",
                "\(result.peakOfferedAfterArrivals)/s",
                format(Double(result.peakOfferedAfterArrivals) / capacity) + "×",
                "\(result.maxAttemptsPerClient)",
            ]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n")
    }

    /// The table's figures for `--json`: one entry per strategy, durations in seconds (`nil`: not reached).
    public struct Figures: Encodable, Sendable {
        public struct Strategy: Encodable, Sendable {
            public var strategy: String
            public var requestsSent: Int
            public var amplification: Double
            public var succeeded: Int
            public var seconds99PercentSucceeded: Double?
            public var secondsAllSucceeded: Double?
            public var peakOfferedPerSecond: Int
            public var peakOfferedAfterArrivals: Int
            public var maxAttemptsPerClient: Int
        }

        public var clients: Int
        public var capacityPerSecond: Int
        public var strategies: [Strategy]
        public var svg: String?

        /// The figures of `results`, and the path of the chart drawn from them, if any.
        public init(_ results: [RetryStormResult], svg: String?) {
            clients = results.first?.scenario.clients ?? 0
            capacityPerSecond = results.first?.scenario.capacityPerSecond ?? 0
            strategies = results.map { result in
                Strategy(
                    strategy: result.strategy.rawValue, requestsSent: result.requestsSent,
                    amplification: result.amplification, succeeded: result.successes,
                    seconds99PercentSucceeded: result.timeTo99PercentSuccess.map(RetryStormReport.secondsValue),
                    secondsAllSucceeded: result.timeToAllSucceeded.map(RetryStormReport.secondsValue),
                    peakOfferedPerSecond: result.peakOfferedPerSecond,
                    peakOfferedAfterArrivals: result.peakOfferedAfterArrivals,
                    maxAttemptsPerClient: result.maxAttemptsPerClient)
            }
            self.svg = svg
        }
    }

    static func secondsValue(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    static func seconds(_ duration: Duration) -> String {
        format(secondsValue(duration)) + " s"
    }

    /// Two decimals, without Foundation's formatters.
    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
