import DevPayHTTP
import Dispatch
import HTTPTypes
import NIOConcurrencyHelpers
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("CurlHTTPClient.executor: tasks on the transport thread")
struct CurlHTTPClientExecutorTests {
    @Test("a task preferring the executor runs on the transport thread before and after each request")
    func tasksRunOnTheTransportThread() async throws {
        try await withServer { server in
            let client = try makeClient()
            // The progress handler runs on the transport thread: it names that thread.
            let transportThreads = Recorder<UInt>()
            let progress: HTTPProgressHandler = { _ in transportThreads.append(currentThread()) }
            let callerThreads = try await withTaskExecutorPreference(client.executor) {
                await Task.yield()  // the preference applies from the task's next enqueue on
                var threads = [currentThread()]
                for _ in 0..<5 {
                    let response = try await client.send(server.request("/hello"), body: .empty, options: .init(), progress: progress)
                    #expect(response.body == Array("hello".utf8))
                    threads.append(currentThread())
                }
                return threads
            }
            let transportThread = try #require(Set(transportThreads.values).count == 1 ? transportThreads.values.first : nil)
            #expect(callerThreads.allSatisfy { $0 == transportThread })
            #expect(client.connectionsOpened == 1)
        }
    }

    @Test("jobs run one at a time on one thread, in the order they were enqueued")
    func jobsRunInOrder() async throws {
        let client = CurlHTTPClient()
        let order = Recorder<Int>()
        let threads = Recorder<UInt>()
        let overlaps = Recorder<Int>()
        let running = Recorder<Int>()
        let tasks = (0..<500).map { index in
            Task(executorPreference: client.executor) {
                if running.append(index) != 1 { overlaps.append(index) }
                order.append(index)
                threads.append(currentThread())
                running.removeAll()
            }
        }
        for task in tasks { await task.value }
        #expect(order.values == Array(0..<500))
        #expect(overlaps.values.isEmpty)
        #expect(Set(threads.values).count == 1)
    }

    @Test("cancelling a request made on the executor aborts it with .cancelled, and the client stays usable")
    func cancellationOnTheExecutor() async throws {
        try await withServer { server in
            let client = try makeClient()
            // The server would answer after 60 s with "late": only an abort ends the request with .cancelled.
            let request = server.request("/slow?delay=60")
            let task = Task(executorPreference: client.executor) {
                try await client.send(request, body: nil, options: .init())
            }
            try await Task.sleep(for: .milliseconds(300))
            task.cancel()
            await #expect(throws: HTTPClientError.cancelled) { try await task.value }
            let response = try await withTaskExecutorPreference(client.executor) {
                try await client.send(server.request("/hello"), body: nil, options: .init())
            }
            #expect(response.body == Array("hello".utf8))
        }
    }

    @Test("a streamed body with backpressure is read on the executor")
    func streamingOnTheExecutor() async throws {
        try await withServer { server in
            let client = try makeClient(streamingBufferBytes: 64 << 10)
            let received = try await withTaskExecutorPreference(client.executor) {
                try await client.execute(server.request("/bytes?n=3000000")) { head, body in
                    #expect(head.status == .ok)
                    var received: [UInt8] = []
                    for try await chunk in body { received += chunk }
                    return received
                }
            }
            #expect(received == serverPattern(count: 3_000_000))
        }
    }

    // A job the loop dropped would hang this test; the time limit turns that into a failure.
    @Test(
        "when the client is released, queued jobs still run on its thread and later ones on the global executor",
        .timeLimit(.minutes(1))
    )
    func releasingTheClientStrandsNoJob() async throws {
        var client: CurlHTTPClient? = CurlHTTPClient()
        let executor = try #require(client?.executor)
        let gate = Gate()
        let ranBeforeRelease = Recorder<Run>()
        // The first job holds the transport thread, so the next ones are still queued when the client goes.
        let queued = (0..<20).map { index in
            Task(executorPreference: executor) {
                if index == 0 { gate.waitUntilOpen() }
                ranBeforeRelease.append(Run(index: index, thread: currentThread()))
            }
        }
        client = nil
        // Enqueued after the release: they must run although the transport thread is still held.
        let gateOpenWhenRun = Recorder<Bool>()
        let late = (0..<20).map { _ in
            Task(executorPreference: executor) { gateOpenWhenRun.append(gate.isOpen) }
        }
        // Only if forwarding were broken would the late jobs wait for the gate; then this opens it (and the
        // expectation below fails) instead of hanging the test.
        let safety = Task {
            try? await Task.sleep(for: .seconds(30))
            gate.open()
        }
        for task in late { _ = await task.value }
        gate.open()
        safety.cancel()
        for task in queued { await task.value }
        #expect(gateOpenWhenRun.values == Array(repeating: false, count: 20))
        let ran = ranBeforeRelease.values
        #expect(ran.map(\.index) == Array(0..<20))
        #expect(Set(ran.map(\.thread)).count == 1)
    }
}

private struct Run: Sendable {
    let index: Int
    let thread: UInt
}

/// Values appended from any thread.
private final class Recorder<Value: Sendable>: Sendable {
    private let storage = NIOLockedValueBox<[Value]>([])

    /// Appends `value`; returns how many values there are now.
    @discardableResult
    func append(_ value: Value) -> Int {
        storage.withLockedValue { $0.append(value); return $0.count }
    }

    func removeAll() {
        storage.withLockedValue { $0.removeAll() }
    }

    var values: [Value] { storage.withLockedValue { $0 } }
}

/// The calling thread's identity.
private func currentThread() -> UInt {
    #if canImport(Darwin)
    UInt(bitPattern: pthread_self())
    #else
    UInt(pthread_self())
    #endif
}

/// A one-shot gate that blocks a thread (the transport thread, on purpose) until it is opened.
private final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private let opened = Atomic<Bool>(false)

    var isOpen: Bool { opened.load(ordering: .acquiring) }

    func open() {
        if !opened.exchange(true, ordering: .acquiringAndReleasing) { semaphore.signal() }
    }

    func waitUntilOpen() {
        semaphore.wait()
    }
}
