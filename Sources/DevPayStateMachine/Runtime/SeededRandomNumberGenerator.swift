/// A deterministic random number generator (SplitMix64) for simulations and tests.
///
/// Code that draws randomness takes an injected `RandomNumberGenerator`; simulations (such as
/// `devpay simulate`) and tests pass this one with a fixed seed so a run replays exactly. It lives with the
/// framework, beside its clocks, so that shipped code needing a reproducible run never links a testing kit.
/// It is fast and well distributed, and not for cryptography.
public struct SeededRandomNumberGenerator: RandomNumberGenerator, Sendable {
    /// The seed this generator started from, for failure reports.
    public let seed: UInt64
    private var state: UInt64

    /// Creates a generator whose sequence is fixed by `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        self.state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
