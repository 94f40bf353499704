import DevPayStateMachineTesting

extension ManualClock {
    /// Lets `sleeps` sleeps of the code under test finish, one after the other, by moving time to each sleeper's
    /// deadline; returns how long each sleep lasted. Never sleeps on the wall clock.
    func completeSleeps(_ sleeps: Int) async -> [Duration] {
        var durations: [Duration] = []
        for _ in 0..<sleeps {
            await waitForSleepers(count: 1)
            guard let deadline = nextDeadline else { continue }
            durations.append(now.duration(to: deadline))
            advance(to: deadline)
        }
        return durations
    }
}
