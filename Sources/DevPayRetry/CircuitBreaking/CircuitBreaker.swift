/// A circuit breaker as a pure state machine: it opens when too many recent attempts failed, fails fast while
/// open, and after a cool-down lets one probe through (half-open) whose outcome closes or reopens it.
///
/// Only service trouble counts as failure (throttling and transient faults); a permanent error such as a
/// 404 shows a healthy service and counts as success. Times are offsets on the engine's clock.
public struct CircuitBreaker: Sendable, Hashable {
    /// When the breaker opens and for how long.
    public struct Configuration: Sendable, Hashable {
        /// How many of the most recent outcomes the failure ratio looks at.
        public var windowSize: Int
        /// The fewest outcomes in the window before the breaker may open.
        public var minimumOutcomes: Int
        /// The failure ratio (failures / outcomes in the window) at or above which the breaker opens.
        public var failureRatio: Double
        /// How long the breaker stays open before it lets a probe through.
        public var openDuration: Duration

        /// Creates a configuration.
        public init(
            windowSize: Int = 20,
            minimumOutcomes: Int = 10,
            failureRatio: Double = 0.5,
            openDuration: Duration = .seconds(30)
        ) {
            precondition(windowSize >= 1 && (1...windowSize).contains(minimumOutcomes), "window too small")
            self.windowSize = windowSize
            self.minimumOutcomes = minimumOutcomes
            self.failureRatio = failureRatio
            self.openDuration = openDuration
        }
    }

    /// Where the breaker stands.
    public enum State: Sendable, Hashable {
        /// Attempts pass; outcomes are counted.
        case closed
        /// Attempts fail fast until the given time.
        case open(until: Duration)
        /// One probe may pass (or is in flight); others fail fast.
        case halfOpen(probeInFlight: Bool)
    }

    /// The answer to "may this attempt go?".
    public enum Admission: Sendable, Hashable {
        /// Yes, as an ordinary attempt.
        case allowed
        /// Yes, as the one probe of a half-open breaker; its outcome decides.
        case probe
        /// No; the breaker may let a probe through after this long (zero while another probe is in flight).
        case rejected(retryAfter: Duration)
    }

    /// The thresholds in use.
    public let configuration: Configuration
    /// Where the breaker stands now.
    public private(set) var state: State = .closed
    /// The most recent outcomes, oldest first; `true` is a failure.
    private var window: [Bool] = []

    /// Creates a closed breaker.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Decides whether an attempt may start at `now`.
    public mutating func admit(at now: Duration) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until) where now < until:
            return .rejected(retryAfter: until - now)
        case .open, .halfOpen(probeInFlight: false):
            state = .halfOpen(probeInFlight: true)
            return .probe
        case .halfOpen(probeInFlight: true):
            return .rejected(retryAfter: .zero)
        }
    }

    /// Books the outcome of an attempt that `admit` let through as `admission`.
    ///
    /// Outcomes of ordinary attempts that finish after the breaker left the closed state are ignored: only
    /// the probe decides a half-open breaker.
    public mutating func record(failure: Bool, of admission: Admission, at now: Duration) {
        switch (admission, state) {
        case (.probe, .halfOpen):
            if failure {
                state = .open(until: now + configuration.openDuration)
            } else {
                state = .closed
            }
            window.removeAll()
        case (.allowed, .closed):
            window.append(failure)
            if window.count > configuration.windowSize {
                window.removeFirst()
            }
            let failures = window.count { $0 }
            if window.count >= configuration.minimumOutcomes,
                Double(failures) >= configuration.failureRatio * Double(window.count)
            {
                state = .open(until: now + configuration.openDuration)
                window.removeAll()
            }
        default:
            break
        }
    }

    /// Books an attempt that ended without an outcome (cancelled): a probe's slot is freed for another.
    public mutating func abandon(_ admission: Admission) {
        if admission == .probe, state == .halfOpen(probeInFlight: true) {
            state = .halfOpen(probeInFlight: false)
        }
    }
}
