import DevPayStateMachine
import Foundation
import Testing

/// Keeps docs/state-machines.md honest: its chart is the one tested here, its diagram is the chart's,
/// and its claims hold.
@Suite("statechart guide")
struct GuideTests {
    /// The repository root; links resolved first, as the sanitizer package reaches these tests through a link.
    private static let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The fenced blocks of `language` in the guide, in order.
    private static func blocks(_ language: String) throws -> [String] {
        let guide = try text("docs/state-machines.md")
        return guide.components(separatedBy: "```\(language)\n").dropFirst().map {
            $0.components(separatedBy: "\n```")[0] + "\n"
        }
    }

    @Test("the guide's chart is Support/Downloader.swift, verbatim")
    func listing() throws {
        let source = try Self.text("Tests/DevPayStateMachineTests/Chart/Support/Downloader.swift")
        let listing = source.components(separatedBy: "// guide-listing-begin\n")[1]
            .components(separatedBy: "// guide-listing-end")[0]
        #expect(try Self.blocks("swift").first == listing)
    }

    @Test("the guide's diagram is the chart's")
    func diagram() throws {
        let mermaid = Downloader().chart.mermaid()
        #expect(try Self.blocks("mermaid").first == mermaid, "actual:\n\(mermaid)")
    }

    // The guide's test, verbatim.
    @Test func pauseCancelsTheFetch() {
        var core = ChartCore(Downloader(), context: .init())
        core.send(Downloader.Start(url: "u"), call: CallID(1))
        core.send(Downloader.Progress(bytes: 5))
        core.send(Downloader.Pause())          // commands: cancel the stall timer and the fetch
        core.send(Downloader.Resume())         // commands: start .fetch(url: "u", from: 5), set "stall"
        #expect(core.state == .downloading && core.context.received == 5)
    }

    @Test("the commands the guide's comments name are the ones issued")
    func commentedCommands() {
        var core = ChartCore(Downloader(), context: .init())
        core.send(Downloader.Start(url: "u"), call: CallID(1))
        core.send(Downloader.Progress(bytes: 5))
        core.send(Downloader.Pause())
        #expect(core.commands.map(Self.describe) == ["unset stall", "cancel fetch 1"])
        core.send(Downloader.Resume())
        #expect(core.commands.map(Self.describe) == ["start fetch(url: \"u\", from: 5)", "set stall"])
    }

    @Test("the guide's graph answers")
    func graph() {
        let graph = Downloader().chart.graph
        #expect(graph.unreachableStates().isEmpty)
        #expect(graph.deadEnds() == [.done])
        #expect(graph.shortestPaths()[.paused]?.map(\.description) == [
            "idle --Start--> downloading", "downloading --Pause--> paused",
        ])
    }

    private static func describe(_ command: ChartCommand<Downloader>) -> String {
        switch command {
        case .startEffect(_, let effect, _): "start \(effect)"
        case .cancelEffect(let id): "cancel fetch \(id.rawValue)"
        case .setTimer(let id, _, _, _): "set \(id.name)"
        case .cancelTimer(let id): "unset \(id.name)"
        case .reply(let call, _): "reply \(call)"
        case .fail(let call, _): "fail \(call)"
        }
    }
}
