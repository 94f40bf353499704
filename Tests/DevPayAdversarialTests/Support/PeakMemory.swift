#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's peak resident set size (`getrusage`'s `ru_maxrss`) in bytes.
///
/// It only grows, so the growth across an exchange bounds what that exchange held at once — provided
/// nothing else in the process allocates meanwhile: the suites that use it are serialized, and CI runs
/// this target on its own (`swift test --filter DevPayAdversarialTests`).
enum PeakMemory {
    static var bytes: Int {
        var usage = rusage()
        #if canImport(Darwin)
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #else
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
        #endif
    }
}
