import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Runs `devpay simulate` as a user would, on a small storm so the debug build stays quick.
@Suite("devpay simulate")
struct SimulateCommandTests {
    @Test("prints one row per strategy and writes a well-formed SVG with a curve per strategy and panel")
    func smallStorm() async throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("storm-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let result = try await DevPayProcess.run(
            ["simulate", "--clients", "100", "--capacity", "10", "--duration", "120", "--svg", svg.path])
        #expect(result.status == 0, "stderr: \(result.standardError)")
        let rows = result.standardOutput.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| strategy") }
        #expect(rows.count == 4)
        // Lockstep rounds without jitter: 100 + 90 + … + 10 requests.
        #expect(rows.first?.hasPrefix("| exponential-no-jitter | 550 | 5.50× | 100 |") == true)

        let counter = ElementCounter()
        let parser = XMLParser(contentsOf: svg)
        parser?.delegate = counter
        #expect(parser?.parse() == true)
        #expect(counter.counts["svg"] == 1)
        #expect(counter.counts["polyline"] == 8)
    }
}

private final class ElementCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        counts[elementName, default: 0] += 1
    }
}
