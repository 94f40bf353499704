extension StateMachine {
    /// The machine's state, pending timers (absolute deadlines) and definition version.
    public func snapshot() -> Snapshot<Machine, C.Instant> {
        Snapshot(version: definition.version, state: state, timers: pendingTimers)
    }

    /// Creates a running machine from a snapshot: validates it, then re-arms its timers.
    ///
    /// Timers whose deadline has passed on `clock` fire before this returns, earliest first, each a
    /// complete transition; the others are armed as usual.
    ///
    /// - Throws: ``SnapshotError`` if the snapshot's version differs from `definition.version`, its state
    ///   appears nowhere in the table, or it holds a timer kind twice. Nothing is started then.
    public static func restore(
        _ snapshot: Snapshot<Machine, C.Instant>,
        definition: Machine,
        clock: C,
        effects: @escaping EffectHandler
    ) async throws(SnapshotError) -> StateMachine {
        guard snapshot.version == definition.version else {
            throw .versionMismatch(expected: definition.version, found: snapshot.version)
        }
        let table = definition.table
        let stateName = snapshot.state.name
        guard table.rules.contains(where: { $0.sources.contains(stateName) || $0.targets.contains(stateName) })
        else {
            throw .unknownState(String(describing: stateName))
        }
        var kinds = Set<TimerKind>()
        for timer in snapshot.timers where !kinds.insert(timer.kind).inserted {
            throw .duplicateTimer(timer.kind)
        }
        let machine = StateMachine(definition, initialState: snapshot.state, clock: clock, effects: effects)
        // Stable sort: equal deadlines keep the snapshot's order.
        let ordered = snapshot.timers.enumerated()
            .sorted { ($0.element.deadline, $0.offset) < ($1.element.deadline, $1.offset) }
            .map(\.element)
        await machine.rearm(ordered)
        return machine
    }
}
