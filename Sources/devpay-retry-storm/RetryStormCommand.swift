import ArgumentParser
import DevPayRetry
import DevPayRetryStorm
import DevPayStateMachine
import Foundation

/// `devpay-retry-storm`: the retry-storm study, a discrete-event simulation on a virtual clock. A study tool
/// beside the library, not part of any product (docs/retry.md, "Retry-storm study").
@main
struct RetryStormCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devpay-retry-storm",
        abstract: "Simulate a retry storm: many clients against a service that answers 503 beyond its capacity.",
        discussion: """
            Every strategy sees the same arrivals (same seed). Clients retry until they succeed or the run \
            ends; attempts are unlimited and the retry quota is off (see docs/retry.md).
            """
    )

    @Option(help: "Clients, each needing one successful request.")
    var clients = 1_000

    @Option(help: "Requests the service serves per second; it answers 503 beyond that.")
    var capacity = 100

    @Option(help: "Simulated run time in seconds.")
    var duration = 300

    @Option(help: "Time from request to answer, in milliseconds.")
    var responseTime = 100

    @Option(help: "Seconds over which the clients' first attempts arrive.")
    var arrivalWindow = 1

    @Option(help: "Seed of the random draws (arrivals and jitter).")
    var seed: UInt64 = 1

    @Option(help: "Write the offered-load curves as an SVG file here.")
    var svg: String?

    @Flag(help: "Print the figures as one JSON object (durations in seconds).")
    var json = false

    func run() throws {
        let scenario = RetryStormScenario(
            clients: clients,
            capacityPerSecond: capacity,
            duration: .seconds(duration),
            responseTime: .milliseconds(responseTime),
            arrivalWindow: .seconds(arrivalWindow))
        let results = RetryStormStrategy.allCases.map { strategy in
            var random = SeededRandomNumberGenerator(seed: seed)
            return RetryStormSimulation.run(strategy, in: scenario, using: &random)
        }
        if let svg {
            try RetryStormChart(results: results).svg.write(toFile: svg, atomically: true, encoding: .utf8)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let line = try encoder.encode(RetryStormReport.Figures(results, svg: svg))
            print(String(decoding: line, as: UTF8.self))
            return
        }
        print(RetryStormReport.markdownTable(results))
        if let svg { print("\nwrote \(svg)") }
    }
}
