/// Makes activation keys shaped like Amazon's: 28 characters of the base32 alphabet `A–Z2–7`.
public struct ActivationKeyGenerator<Generator: RandomNumberGenerator> {
    /// The alphabet every published activation key is drawn from.
    public static var alphabet: [Character] { Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") }

    private var generator: Generator

    /// Draws keys from `generator`; pass a seeded one for reproducible emulator runs.
    public init(generator: Generator) {
        self.generator = generator
    }

    /// A fresh 28-character key.
    public mutating func next() -> String {
        Self.key(using: &generator)
    }

    /// A fresh 28-character key drawn from a generator the caller keeps (the emulator's single source).
    public static func key(using generator: inout Generator) -> String {
        let alphabet = Self.alphabet
        return String((0..<28).map { _ in alphabet[Int(generator.next(upperBound: UInt8(alphabet.count)))] })
    }
}
