/// The bounds a document must stay within; anything beyond them is refused before it can cost much.
///
/// The defaults suit API answers (a License Service answer is under 2 KiB; an S3 listing of 1,000 keys is
/// well under 1 MiB).
public struct XMLReadLimits: Sendable, Hashable {
    /// The largest document accepted, in bytes; checked before libxml2 sees a byte.
    public var maximumBytes: Int
    /// The deepest element nesting accepted (the root is depth 1).
    public var maximumDepth: Int
    /// The most elements a document may hold.
    public var maximumElements: Int
    /// The most bytes of character data one element may hold.
    public var maximumTextBytes: Int

    /// Creates limits; every default is generous for API answers and small for an attacker.
    public init(
        maximumBytes: Int = 1 << 20,
        maximumDepth: Int = 32,
        maximumElements: Int = 100_000,
        maximumTextBytes: Int = 64 << 10
    ) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumElements = maximumElements
        self.maximumTextBytes = maximumTextBytes
    }
}
