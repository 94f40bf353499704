import DevPayStateMachine

/// A chart three levels deep that logs its entry and exit actions in its context, for the hierarchy,
/// history and diagram tests.
///
/// ```
/// root ─ off
///      └ on (initial a) ─ a (initial a1) ─ a1, a2
///                       └ b
/// ```
struct Nested: Statechart {
    enum State: ChartState { case off, on, a, a1, a2, b }
    struct Context: Sendable, Equatable { var log: [String] = []; var count = 0 }
    enum Effect: Sendable, Equatable { case watch(String) }

    struct Power: ChartEvent {}
    struct Next: ChartEvent {}
    struct Flip: ChartEvent {}
    struct Back: ChartEvent {}
    struct Bump: ChartEvent { var by: Int }
    struct Reset: ChartEvent {}
    struct Tick: ChartEvent {}

    var chart: Chart<Nested> {
        Chart(initial: .off) {
            On(Reset.self, to: .off)
            Node(.off) {
                Entry("log") { $0.context.log.append("enter off") }
                Exit("log") { $0.context.log.append("exit off") }
                On(Power.self, to: .on)
                On(Back.self, toHistoryOf: .a)
            }
            Node(.on, initial: .a) {
                Entry("log") { $0.context.log.append("enter on") }
                Exit("log") { $0.context.log.append("exit on") }
                After(.seconds(60), "idle", send: Power())
                On(Power.self, to: .off)
                On(Flip.self, to: .b)
                On(Bump.self, when: Condition("small") { _, bump in bump.by < 10 }) { $0.context.count += $0.event.by }
                Node(.a, initial: .a1) {
                    Entry("log") { $0.context.log.append("enter a") }
                    Exit("log") { $0.context.log.append("exit a") }
                    Invoke("watch a") { _ in .watch("a") }
                    Node(.a1) {
                        Entry("log") { $0.context.log.append("enter a1") }
                        Exit("log") { $0.context.log.append("exit a1") }
                        On(Next.self, to: .a2)
                    }
                    Node(.a2) {
                        Entry("log") { $0.context.log.append("enter a2") }
                        Exit("log") { $0.context.log.append("exit a2") }
                        After(.seconds(5), "tick", send: Tick())
                        On(Next.self, to: .a1)
                        // Overrides the parent's Flip: stays inside a.
                        On(Flip.self, to: .a1) { $0.context.log.append("a2 flip") }
                        On(Tick.self) { $0.context.count += 100 }
                    }
                }
                Node(.b) {
                    Entry("log") { $0.context.log.append("enter b") }
                    Exit("log") { $0.context.log.append("exit b") }
                    On(Back.self, toHistoryOf: .a)
                    On(Bump.self) { $0.context.count -= $0.event.by }
                }
            }
        }
    }
}
