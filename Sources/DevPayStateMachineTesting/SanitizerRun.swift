#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether the tests run in a sanitizer build, as `scripts/sanitizers` and `scripts/sanitizers-ci` declare
/// with `DEVPAY_SANITIZER=thread|address`.
///
/// A sanitizer makes code several times slower and adds shadow memory to the process, so bounds on wall-clock
/// time and peak memory measure the sanitizer rather than the code. Tests use this to stretch their hang guards
/// and to skip such bounds in sanitizer runs only; a normal run keeps every bound as written.
public enum SanitizerRun {
    /// The sanitizer's name (`thread`, `address`), or nil in a normal run.
    public static let name: String? = getenv("DEVPAY_SANITIZER").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }

    /// Whether this run is a sanitizer build.
    public static var isActive: Bool { name != nil }

    /// A hang guard for Swift Testing's `.timeLimit`: `minutes` in a normal run, five times as long under a
    /// sanitizer (ThreadSanitizer alone slows the state machine suites' stateful tests past one minute).
    public static func minutes(_ minutes: Int) -> Int { isActive ? minutes * 5 : minutes }
}
