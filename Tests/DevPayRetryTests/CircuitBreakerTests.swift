import DevPayRetry
import PropertyBased
import Testing

@Suite("the circuit breaker")
struct CircuitBreakerTests {
    let configuration = CircuitBreaker.Configuration(
        windowSize: 10, minimumOutcomes: 4, failureRatio: 0.5, openDuration: .seconds(30))

    @Test("it opens when half of at least four recent outcomes failed, and fails fast until the cool-down ends")
    func opens() {
        var breaker = CircuitBreaker(configuration: configuration)
        for failure in [false, true, false] {
            #expect(breaker.admit(at: .seconds(1)) == .allowed)
            breaker.record(failure: failure, of: .allowed, at: .seconds(1))
        }
        #expect(breaker.state == .closed)
        breaker.record(failure: true, of: .allowed, at: .seconds(2))
        #expect(breaker.state == .open(until: .seconds(32)))
        #expect(breaker.admit(at: .seconds(12)) == .rejected(retryAfter: .seconds(20)))
    }

    @Test("after the cool-down one probe passes, others are rejected while it is in flight")
    func halfOpen() {
        var breaker = openBreaker()
        #expect(breaker.admit(at: .seconds(31)) == .probe)
        #expect(breaker.state == .halfOpen(probeInFlight: true))
        #expect(breaker.admit(at: .seconds(31)) == .rejected(retryAfter: .zero))
    }

    @Test("a successful probe closes the breaker; a failed one reopens it for another cool-down")
    func probeOutcome() {
        var closing = openBreaker()
        _ = closing.admit(at: .seconds(31))
        closing.record(failure: false, of: .probe, at: .seconds(32))
        #expect(closing.state == .closed)
        #expect(closing.admit(at: .seconds(32)) == .allowed)

        var reopening = openBreaker()
        _ = reopening.admit(at: .seconds(31))
        reopening.record(failure: true, of: .probe, at: .seconds(32))
        #expect(reopening.state == .open(until: .seconds(62)))
    }

    @Test("a cancelled probe frees the slot for the next caller")
    func abandonedProbe() {
        var breaker = openBreaker()
        _ = breaker.admit(at: .seconds(31))
        breaker.abandon(.probe)
        #expect(breaker.admit(at: .seconds(31)) == .probe)
    }

    @Test("late outcomes of ordinary attempts do not decide a half-open breaker")
    func lateOutcomesIgnored() {
        var breaker = openBreaker()
        _ = breaker.admit(at: .seconds(31))
        breaker.record(failure: false, of: .allowed, at: .seconds(31))
        #expect(breaker.state == .halfOpen(probeInFlight: true))
    }

    @Test("only the most recent outcomes count: old successes slide out of the window")
    func slidingWindow() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<10 { breaker.record(failure: false, of: .allowed, at: .zero) }
        for _ in 0..<4 { breaker.record(failure: true, of: .allowed, at: .zero) }
        // The window holds 6 successes and 4 failures (a cumulative count would say 4 of 14).
        #expect(breaker.state == .closed)
        breaker.record(failure: true, of: .allowed, at: .zero)
        #expect(breaker.state == .open(until: .seconds(30)))
    }

    @Test("it opens exactly when the window's failure ratio reaches the threshold with enough outcomes")
    func openingRule() async {
        await propertyCheck(input: Gen.bool(0.4).array(of: 1...60)) { outcomes in
            var breaker = CircuitBreaker(configuration: configuration)
            var window: [Bool] = []
            for failure in outcomes {
                guard breaker.state == .closed else { break }
                breaker.record(failure: failure, of: .allowed, at: .zero)
                window = Array((window + [failure]).suffix(10))
                let shouldOpen = window.count >= 4 && Double(window.count { $0 }) >= 0.5 * Double(window.count)
                #expect((breaker.state != .closed) == shouldOpen)
            }
        }
    }

    private func openBreaker() -> CircuitBreaker {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<4 {
            breaker.record(failure: true, of: .allowed, at: .seconds(1))
        }
        return breaker
    }
}
