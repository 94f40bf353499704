/// Failures the emulator injects before answering, to exercise clients' retry and recovery paths.
///
/// A scripted sequence is consumed first, one entry per matching request; once it is empty, each request
/// draws from the rates (with the emulator's injected random source, so a seeded run repeats).
public struct FaultPlan: Codable, Sendable, Equatable {
    /// Which requests a plan applies to. Admin requests are never faulted.
    public enum Target: String, Codable, Sendable, CaseIterable {
        /// License Service and S3 requests.
        case all
        /// Requests with an `Action` parameter.
        case licenseService
        /// Every other non-admin request.
        case s3
    }

    /// One scripted answer.
    public enum Fault: Codable, Sendable, Equatable {
        /// Answer normally.
        case pass
        /// HTTP 503 with the service's error body, and a `Retry-After` header when given.
        case serviceUnavailable(retryAfterSeconds: Int?)
        /// Close the connection without answering.
        case dropConnection
        /// Wait this long, then answer normally.
        case delay(milliseconds: Int)
    }

    /// The requests this plan applies to.
    public var target: Target
    /// Answers for the next matching requests, in order; consumed one per request.
    public var script: [Fault]
    /// Probability (0…1) that an unscripted request gets a 503.
    public var unavailableRate: Double
    /// The `Retry-After` seconds sent with rate-drawn 503s; none when `nil`.
    public var retryAfterSeconds: Int?
    /// Probability (0…1) that an unscripted request's connection is dropped.
    public var dropRate: Double
    /// Added to every matching request before it is answered (real time, not the emulator clock).
    public var latencyMilliseconds: Int

    public init(
        target: Target = .all, script: [Fault] = [], unavailableRate: Double = 0, retryAfterSeconds: Int? = nil,
        dropRate: Double = 0, latencyMilliseconds: Int = 0
    ) {
        self.target = target
        self.script = script
        self.unavailableRate = unavailableRate
        self.retryAfterSeconds = retryAfterSeconds
        self.dropRate = dropRate
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// No faults at all.
    public static var none: FaultPlan { FaultPlan() }

    /// What to do with one request to `service`; consumes a script entry when one applies.
    mutating func decide(for service: Target, using generator: inout some RandomNumberGenerator) -> FaultDecision {
        guard target == .all || target == service else { return FaultDecision(delayMilliseconds: 0, outcome: .answer) }
        var decision = FaultDecision(delayMilliseconds: latencyMilliseconds, outcome: .answer)
        if !script.isEmpty {
            switch script.removeFirst() {
            case .pass: break
            case .serviceUnavailable(let retryAfter): decision.outcome = .unavailable(retryAfterSeconds: retryAfter)
            case .dropConnection: decision.outcome = .drop
            case .delay(let milliseconds): decision.delayMilliseconds += milliseconds
            }
            return decision
        }
        let draw = Double.random(in: 0..<1, using: &generator)
        if draw < unavailableRate {
            decision.outcome = .unavailable(retryAfterSeconds: retryAfterSeconds)
        } else if draw < unavailableRate + dropRate {
            decision.outcome = .drop
        }
        return decision
    }
}

/// The verdict of a fault plan for one request.
struct FaultDecision: Equatable, Sendable {
    enum Outcome: Equatable, Sendable {
        case answer
        case unavailable(retryAfterSeconds: Int?)
        case drop
    }

    var delayMilliseconds: Int
    var outcome: Outcome
}
