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

    static func seconds(_ duration: Duration) -> String {
        format(Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18) + " s"
    }

    /// Two decimals, without Foundation's formatters.
    static func format(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
