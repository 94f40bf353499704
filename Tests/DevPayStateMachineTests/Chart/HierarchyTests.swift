import DevPayStateMachine
import Testing

@Suite("statechart hierarchy")
struct HierarchyTests {
    private func core() -> ChartCore<Nested> {
        var core = ChartCore(Nested(), context: .init())
        core.context.log.removeAll()
        return core
    }

    @Test("entering a compound state enters its initial children, outermost first")
    func entryOrder() {
        var core = core()
        #expect(core.send(Nested.Power()) == .handled)
        #expect(core.state == .a1)
        #expect(core.activeStates == [.on, .a, .a1])
        #expect(core.context.log == ["exit off", "enter on", "enter a", "enter a1"])
    }

    @Test("leaving nested states exits innermost first, then runs the rule, then enters")
    func exitOrder() {
        var core = core()
        core.send(Nested.Power())
        core.send(Nested.Next())
        core.context.log.removeAll()
        core.send(Nested.Flip())  // a2 overrides on's Flip: a2 → a1 inside a
        #expect(core.context.log == ["exit a2", "a2 flip", "enter a1"])
        core.context.log.removeAll()
        core.send(Nested.Power())  // on's rule, taken from a1
        #expect(core.context.log == ["exit a1", "exit a", "exit on", "enter off"])
        #expect(core.state == .off)
    }

    @Test("a rule declared on a parent applies in every child that does not override it")
    func parentRuleApplies() {
        var core = core()
        core.send(Nested.Power())
        #expect(core.send(Nested.Flip()) == .handled)  // a1 has no Flip: on's rule moves to b
        #expect(core.state == .b)
        // A top-level rule applies everywhere.
        #expect(core.send(Nested.Reset()) == .handled)
        #expect(core.state == .off)
    }

    @Test("a child's rule overrides its parent's for the same event")
    func childOverrides() {
        var core = core()
        core.send(Nested.Power())
        core.send(Nested.Next())
        core.send(Nested.Flip())
        #expect(core.state == .a1, "a2's Flip wins over on's Flip")
        core.send(Nested.Flip())
        #expect(core.state == .b, "from a1, on's Flip applies")
        core.send(Nested.Bump(by: 3))
        #expect(core.context.count == -3, "b's Bump wins over on's guarded Bump")
    }

    @Test("a guard that fails lets the next candidate rule, or none, take the event")
    func guards() {
        var core = core()
        core.send(Nested.Power())
        #expect(core.send(Nested.Bump(by: 4)) == .handled)
        #expect(core.context.count == 4)
        #expect(core.send(Nested.Bump(by: 40)) == .rejected)
        #expect(core.context.count == 4)
    }

    @Test("an internal transition exits and enters nothing")
    func internalTransition() {
        var core = core()
        core.send(Nested.Power())
        core.context.log.removeAll()
        core.send(Nested.Bump(by: 1))
        #expect(core.context.log.isEmpty)
        #expect(core.commands.isEmpty, "no timer or effect is restarted")
    }

    @Test("shallow history returns to the child that was active when the state was left")
    func shallowHistory() {
        var core = core()
        core.send(Nested.Power())
        core.send(Nested.Next())  // a2
        core.send(Nested.Power())  // off: a remembers a2, on remembers a
        #expect(core.send(Nested.Back()) == .handled)
        #expect(core.activeStates == [.on, .a, .a2])
        core.send(Nested.Flip())  // a2's override: a1
        core.send(Nested.Flip())  // on's Flip: b
        core.send(Nested.Back())  // b: back to a's history, now a1
        #expect(core.state == .a1)
    }

    @Test("history of a state never visited enters its initial child")
    func historyFirstTime() {
        var core = core()
        core.send(Nested.Back())
        #expect(core.activeStates == [.on, .a, .a1])
    }
}
