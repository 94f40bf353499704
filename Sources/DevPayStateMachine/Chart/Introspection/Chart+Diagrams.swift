extension Chart {
    /// The chart as a Mermaid `stateDiagram-v2`: compound states as composite states with their initial
    /// child, each state's entry and exit actions, invoked effects, timers, internal rules and
    /// postponements as descriptions, and every rule that moves as an edge labelled with its event and
    /// guard. Top-level rules are drawn from every top-level state.
    public func mermaid() -> String {
        var lines = ["stateDiagram-v2"]
        mermaidBody(of: 0, indent: "    ", into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private func mermaidBody(of node: Int, indent: String, into lines: inout [String]) {
        lines.append("\(indent)[*] --> \(nodes[nodes[node].initial].state!)")
        for child in nodes[node].children {
            let name = "\(nodes[child].state!)"
            if nodes[child].children.isEmpty {
                lines.append("\(indent)state \(name)")
            } else {
                lines.append("\(indent)state \(name) {")
                mermaidBody(of: child, indent: indent + "    ", into: &lines)
                lines.append("\(indent)}")
            }
            for note in notes(of: child) { lines.append("\(indent)\(name) : \(note)") }
        }
        // Each edge is drawn in the innermost composite that holds both its ends, so Mermaid never
        // creates a state in the wrong composite.
        for edge in allEdges() where edge.block == node {
            lines.append("\(indent)\(nodes[edge.source].state!) --> \(nodes[edge.target].state!) : \(edge.label)")
        }
    }

    /// Every rule that moves, as an edge between declared states; top-level rules start from each
    /// top-level state other than their target.
    private func allEdges() -> [(source: Int, target: Int, block: Int, label: String)] {
        var result: [(source: Int, target: Int, block: Int, label: String)] = []
        for node in nodes.indices {
            for (target, label) in edges(of: node) {
                let sources = node == 0 ? nodes[0].children.filter { $0 != target } : [node]
                for source in sources {
                    result.append((source, target, commonBlock(source, target), label))
                }
            }
        }
        return result
    }

    /// The innermost compound node (or the root) that contains both `a` and `b` without being either.
    private func commonBlock(_ a: Int, _ b: Int) -> Int {
        var block = nodes[a].parent
        while !isAncestor(block, of: b) || block == b { block = nodes[block].parent }
        return block
    }

    /// The chart as a Graphviz `digraph`: compound states as clusters; an edge into (or out of) a compound
    /// state is drawn to (or from) its initial leaf and clipped at the cluster.
    public func dot(name: String = "\(Definition.self)") -> String {
        var lines = ["digraph \"\(name)\" {", "    compound=true;", "    node [shape=box, style=rounded];"]
        dotBody(of: 0, indent: "    ", into: &lines)
        for node in nodes.indices {
            for rule in nodes[node].rules {
                guard case .transition(let target, _) = rules[rule].kind, let targetState = target.state,
                    let targetNode = nodeOfState[targetState]
                else { continue }
                let sources = node == 0 ? nodes[0].children.filter { $0 != targetNode } : [node]
                for source in sources {
                    let from = defaultLeaf(under: source)
                    let to = defaultLeaf(under: targetNode)
                    var attributes = ["label=\"\(label(of: rule))\""]
                    if !nodes[source].children.isEmpty { attributes.append("ltail=\"cluster_\(nodes[source].state!)\"") }
                    if !nodes[targetNode].children.isEmpty {
                        attributes.append("lhead=\"cluster_\(targetState)\"")
                    }
                    lines.append("    \"\(nodes[from].state!)\" -> \"\(nodes[to].state!)\" [\(attributes.joined(separator: ", "))];")
                }
            }
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func dotBody(of node: Int, indent: String, into lines: inout [String]) {
        let start = node == 0 ? "__start" : "__start_\(nodes[node].state!)"
        lines.append("\(indent)\"\(start)\" [shape=point];")
        lines.append("\(indent)\"\(start)\" -> \"\(nodes[defaultLeaf(under: nodes[node].initial)].state!)\";")
        for child in nodes[node].children {
            let name = "\(nodes[child].state!)"
            let notes = notes(of: child)
            if nodes[child].children.isEmpty {
                let text = ([name] + notes).joined(separator: "\\n")
                lines.append("\(indent)\"\(name)\" [label=\"\(text)\"];")
            } else {
                lines.append("\(indent)subgraph \"cluster_\(name)\" {")
                let text = ([name] + notes).joined(separator: "\\n")
                lines.append("\(indent)    label=\"\(text)\";")
                dotBody(of: child, indent: indent + "    ", into: &lines)
                lines.append("\(indent)}")
            }
        }
    }

    /// What happens inside a state, one line each.
    private func notes(of node: Int) -> [String] {
        var notes: [String] = []
        notes += nodes[node].entries.map { "entry / \($0.name)" }
        notes += nodes[node].exits.map { "exit / \($0.name)" }
        notes += nodes[node].invokes.map { "invoke \($0.name)" }
        notes += nodes[node].timers.map {
            "after \(Self.format($0.duration)) / \(type(of: $0.event).eventName) (\($0.name))"
        }
        for rule in nodes[node].rules {
            switch rules[rule].kind {
            case .postpone: notes.append("postpone \(label(of: rule))")
            case .transition(.none, _): notes.append("on \(label(of: rule))")
            case .transition: break
            }
        }
        return notes
    }

    private func edges(of node: Int) -> [(target: Int, label: String)] {
        nodes[node].rules.compactMap { rule in
            guard case .transition(let target, let reenter) = rules[rule].kind, let state = target.state,
                let targetNode = nodeOfState[state]
            else { return nil }
            var text = label(of: rule)
            if case .history = target { text += " (history)" }
            if reenter { text += " (reenter)" }
            return (targetNode, text)
        }
    }

    private func label(of rule: Int) -> String {
        rules[rule].eventName + (rules[rule].guardName.map { " [\($0)]" } ?? "")
    }

    /// `30 s`, `250 ms`: durations as a reader writes them.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return "\(milliseconds) ms"
    }
}

extension RuleTarget {
    /// The state the rule names, if any.
    var state: State? {
        switch self {
        case .none: nil
        case .state(let state), .history(let state): state
        }
    }
}
