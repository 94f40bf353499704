@testable import DevPayHTTP
import Foundation
import Synchronization
import Testing

/// The hand-off that ThreadSanitizer used to report on the response head: another thread writes a value and
/// resumes the continuation before the task has reached its `await`. Under TSan (scripts/sanitizers-ci runs this
/// suite in CI) the read after the `await` is a reported race unless the `with…CurlThreadContinuation` wrappers add
/// the acquire Swift's runtime leaves out; in a normal build the test only checks the values arrive.
@Suite("continuations resumed by the libcurl thread")
struct CurlThreadContinuationTests {
    /// Written by the resuming thread only, before it resumes; read by the task only, after its `await`.
    /// `@unchecked Sendable`: that order is the happens-before edge under test.
    final class Slot: @unchecked Sendable {
        var value: [UInt8] = []
        /// Set after the resume, relaxed: TSan must learn no ordering from it.
        let resumed = Atomic<Bool>(false)
    }

    /// Starts a thread that fills `slot` and resumes, and returns only once it has resumed: before the await.
    static func resumeEarly(_ slot: Slot, round: Int, throwing: Bool, resume: @escaping @Sendable (Result<Int, HTTPClientError>) -> Void) {
        Thread.detachNewThread {
            slot.value = Array(repeating: UInt8(round), count: 64)
            resume(throwing ? .failure(.cancelled) : .success(round))
            slot.resumed.store(true, ordering: .relaxed)
        }
        // Holds this pool thread for the moment a thread takes to start, so the resume certainly comes before the
        // await (the case the runtime does not annotate). Relaxed, or TSan would learn the ordering from this wait
        // and the test would pass without the annotation.
        while !slot.resumed.load(ordering: .relaxed) { usleep(100) }
    }

    @Test("a value written before an early resume is read after the await without a reported race",
          arguments: [false, true], [false, true])
    func earlyResume(unsafe: Bool, throwing: Bool) async throws {
        for round in 0..<20 {
            let slot = Slot()
            let outcome: Result<Int, any Error>
            do {
                if unsafe {
                    outcome = .success(try await withUnsafeCurlThreadContinuation { (continuation: UnsafeContinuation<Int, any Error>) in
                        Self.resumeEarly(slot, round: round, throwing: throwing) { continuation.resume(with: $0) }
                    })
                } else {
                    outcome = .success(try await withCheckedCurlThreadContinuation { (continuation: CheckedContinuation<Int, any Error>) in
                        Self.resumeEarly(slot, round: round, throwing: throwing) { continuation.resume(with: $0) }
                    })
                }
            } catch {
                outcome = .failure(error)
            }
            #expect(slot.value == Array(repeating: UInt8(round), count: 64))
            if throwing {
                #expect(throws: HTTPClientError.cancelled) { try outcome.get() }
            } else {
                #expect(try outcome.get() == round)
            }
        }
    }
}
