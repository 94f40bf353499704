import ArgumentParser
import DevPayKit
import DevPayStateMachine

/// `devpay diagram`: the activation lifecycle's state diagram, drawn from the transition table itself.
struct DiagramCommand: ParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagram",
        abstract: "Print the activation lifecycle's state diagram (Mermaid or Graphviz dot).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case mermaid, dot }

    @OptionGroup var global: GlobalOptions

    @Option(help: "mermaid (default) or dot.")
    var format: Format = .mermaid

    func run() throws {
        let machine = ActivationStateMachine()
        switch format {
        case .mermaid: print(machine.mermaidDiagram)
        case .dot: print(machine.table.graphviz(initial: .restoring))
        }
    }
}
