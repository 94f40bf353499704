import DevPayStateMachine

/// A bounded counter whose outcomes depend on the order of events: the concurrency test's subject.
struct BoundedCounter: Statechart {
    enum State: ChartState { case counting }
    struct Context: Sendable, Equatable { var value = 0 }

    struct Up: ChartEvent {}
    struct Down: ChartEvent {}
    struct Double: ChartEvent {}

    var chart: Chart<BoundedCounter> {
        Chart(initial: .counting) {
            Node(.counting) {
                On(Up.self, when: Condition("below 20") { context, _ in context.value < 20 }) { $0.context.value += 1 }
                On(Down.self, when: Condition("above 0") { context, _ in context.value > 0 }) { $0.context.value -= 1 }
                On(Double.self, when: Condition("below 10") { context, _ in context.value < 10 }) { $0.context.value *= 2 }
            }
        }
    }

    static let events: [any ChartEvent] = [Up(), Down(), Double()]
}
