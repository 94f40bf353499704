import CDevPayOpenSSL

/// A secret string (Secret Access Key, user token) whose bytes live in memory the store owns and wipes.
///
/// The bytes are copied into a private heap buffer that is overwritten with `OPENSSL_cleanse` when the last
/// copy of the value is released. `description`, `debugDescription` and reflection (`dump`, `Mirror`) print
/// `<redacted>`, so a secret never reaches a log line or an error message by accident.
///
/// What Swift cannot promise: a `String` handed to ``init(_:)`` or returned by ``revealed()`` is an ordinary
/// Swift string. Its storage is managed by the runtime, may be copied, and is never wiped. Keep such copies
/// short-lived and prefer ``withUnsafeBytes(_:)`` where the consumer can take bytes (the signers can).
public struct SecretText: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    let storage: SecretBytes

    /// Copies the UTF-8 bytes of `text` into wiped-on-release storage. The argument itself is not wiped.
    public init(_ text: String) {
        storage = SecretBytes(copying: text.utf8)
    }

    init(storage: SecretBytes) {
        self.storage = storage
    }

    /// The number of UTF-8 bytes.
    public var utf8Count: Int { storage.count }

    /// Calls `body` with the secret's UTF-8 bytes; the pointer is valid only during the call.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try storage.withUnsafeBytes(body)
    }

    /// A plain `String` copy of the secret, for APIs that only take strings. That copy is not wiped.
    public func revealed() -> String {
        storage.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// Compares in constant time, so equality checks do not leak where two secrets first differ.
    public static func == (lhs: SecretText, rhs: SecretText) -> Bool {
        lhs.storage.constantTimeEquals(rhs.storage)
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "SecretText(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// Heap bytes that are overwritten before their memory returns to the allocator.
///
/// `@unchecked Sendable` is sound: `pointer` and `count` are set once in `init` and never change; the bytes are
/// written only in `init` (before the object is shared) and in `deinit` (when no reference is left), so every
/// concurrent access is a read.
final class SecretBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawBufferPointer

    var count: Int { pointer.count }

    init(copying bytes: some Collection<UInt8>) {
        pointer = .allocate(byteCount: bytes.count, alignment: 1)
        pointer.copyBytes(from: bytes)
    }

    /// Lets `fill` write exactly `count` bytes into fresh storage (decryption and key derivation write here
    /// directly, so no unwiped intermediate copy exists).
    init<Failure: Error>(
        count: Int, fill: (UnsafeMutableRawBufferPointer) throws(Failure) -> Void
    ) throws(Failure) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try fill(buffer)
        } catch {
            SecretBytes.wipe(buffer)
            buffer.deallocate()
            throw error
        }
        pointer = buffer
    }

    deinit {
        SecretBytes.wipe(pointer)
        pointer.deallocate()
    }

    func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(UnsafeRawBufferPointer(pointer))
    }

    func constantTimeEquals(_ other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        guard count > 0 else { return true }
        return CRYPTO_memcmp(pointer.baseAddress, other.pointer.baseAddress, count) == 0
    }

    /// `OPENSSL_cleanse` is written so the compiler cannot drop it as a dead store, unlike a plain loop.
    static func wipe(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        OPENSSL_cleanse(base, buffer.count)
    }
}
