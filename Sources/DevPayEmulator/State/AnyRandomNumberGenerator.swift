/// The caller's injected random source behind one concrete type, so the emulator is not generic over it.
struct AnyRandomNumberGenerator: RandomNumberGenerator, Sendable {
    var base: any RandomNumberGenerator & Sendable

    mutating func next() -> UInt64 { base.next() }
}
