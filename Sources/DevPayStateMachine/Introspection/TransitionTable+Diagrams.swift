extension TransitionTable {
    /// The table as a Mermaid `stateDiagram-v2`.
    ///
    /// - Parameters:
    ///   - initial: drawn with an arrow from the start marker.
    ///   - current: highlighted (for example the state a running machine is in).
    public func mermaid(initial: State.Name? = nil, highlighting current: State.Name? = nil) -> String {
        var lines = ["stateDiagram-v2"]
        for state in states {
            lines.append("    state \"\(Self.label(state))\" as \(Self.identifier(state))")
        }
        if let initial {
            lines.append("    [*] --> \(Self.identifier(initial))")
        }
        for edge in edges {
            let label = edge.label.replacingAll(of: [":", ";", "#"], with: " ")
            lines.append("    \(Self.identifier(edge.source)) --> \(Self.identifier(edge.target)) : \(label)")
        }
        if let current {
            lines.append("    classDef current fill:#ffcc66,stroke:#b36b00,stroke-width:2px")
            lines.append("    class \(Self.identifier(current)) current")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The table as a Graphviz DOT digraph.
    ///
    /// - Parameters:
    ///   - initial: drawn with an arrow from a start point.
    ///   - current: filled (for example the state a running machine is in).
    public func graphviz(initial: State.Name? = nil, highlighting current: State.Name? = nil) -> String {
        var lines = [
            "digraph \(Self.quoted(String(describing: Machine.self))) {",
            "    rankdir=LR;",
            "    node [shape=box, style=rounded];",
        ]
        for state in states {
            var attributes = "label=\(Self.quoted(Self.label(state)))"
            if state == current {
                attributes += ", style=\"rounded,filled\", fillcolor=\"#ffcc66\", penwidth=2"
            }
            lines.append("    \(Self.identifier(state)) [\(attributes)];")
        }
        if let initial {
            lines.append("    __start [shape=point];")
            lines.append("    __start -> \(Self.identifier(initial));")
        }
        for edge in edges {
            lines.append(
                "    \(Self.identifier(edge.source)) -> \(Self.identifier(edge.target)) [label=\(Self.quoted(edge.label))];")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func label(_ state: State.Name) -> String {
        String(describing: state)
    }

    /// A name both formats accept as a node identifier: letters, digits and underscores.
    private static func identifier(_ state: State.Name) -> String {
        let mapped = String(describing: state).unicodeScalars.map { scalar -> Character in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        return "s_" + String(mapped)
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingAll(of: ["\\"], with: "\\\\").replacingAll(of: ["\""], with: "\\\"") + "\""
    }
}

extension String {
    /// Replaces every occurrence of each of `targets` (single characters) with `replacement`.
    fileprivate func replacingAll(of targets: Set<Character>, with replacement: String) -> String {
        var result = ""
        for character in self {
            if targets.contains(character) { result += replacement } else { result.append(character) }
        }
        return result
    }
}
