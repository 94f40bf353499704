import DevPayKit
import DevPayStateMachineTesting
import Testing

/// Waits for lifecycle states, bounded by real time so that a bug fails the test instead of hanging it.
struct Waiter {
    let lifecycle: DevPayLifecycle<ManualClock>

    func waitFor(_ expected: ActivationState, sourceLocation: SourceLocation = #_sourceLocation) async {
        await waitFor("\(expected)", sourceLocation: sourceLocation) { $0 == expected }
    }

    func waitFor(
        _ description: String, sourceLocation: SourceLocation = #_sourceLocation,
        _ predicate: @escaping @Sendable (ActivationState) -> Bool
    ) async {
        let states = await lifecycle.states
        let found = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await state in states where predicate(state) { return true }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(20))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !found {
            Issue.record("timed out waiting for \(description); state: \(await lifecycle.state)", sourceLocation: sourceLocation)
        }
    }
}
