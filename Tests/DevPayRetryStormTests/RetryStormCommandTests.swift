import DevPayTestSupport
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Runs `devpay-retry-storm` as a user would, on a small storm so the debug build stays quick.
@Suite("devpay-retry-storm")
struct RetryStormCommandTests {
    /// The tool SwiftPM built beside this test bundle (the test target depends on it).
    static var tool: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("devpay-retry-storm").path),
            folder.path != "/"
        {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("devpay-retry-storm")
    }

    @Test("prints one row per strategy and writes a well-formed SVG with a curve per strategy and panel")
    func smallStorm() async throws {
        let svg = FileManager.default.temporaryDirectory.appendingPathComponent("storm-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: svg) }
        let arguments = [Self.tool.path, "--clients", "100", "--capacity", "10", "--duration", "120", "--svg", svg.path]
        let output = try await offPool { try childOutput(arguments, input: Data()) }
        let rows = String(decoding: output, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| strategy") }
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
