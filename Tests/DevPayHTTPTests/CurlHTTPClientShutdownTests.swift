import DevPayHTTP
import Foundation
import Testing


@Suite("CurlHTTPClient.shutdown(): requests fail typed, the thread ends")
struct CurlHTTPClientShutdownTests {
    @Test("a request in flight fails with .shutDown, a later one too, and the transport thread ends")
    func shutdownFailsPendingAndLaterRequests() async throws {
        try await withServer { server in
            let client = try makeClient()
            // Kernel thread id of the transport thread, read on that thread through the client's executor.
            let transportThread = await withTaskExecutorPreference(client.executor) { currentThreadID() }
            let request = server.request("/slow?delay=60")
            let pending = Task { try await client.send(request, body: nil, options: .init()) }
            try await Task.sleep(for: .milliseconds(300))

            let (_, elapsed) = await measure { await client.shutdown() }

            // The answer would take 60 s; shutting down must not wait for it (loose bound for a loaded machine).
            #expect(elapsed < .seconds(10))
            let result = await pending.result
            #expect(throws: HTTPClientError.shutDown) { try result.get() }
            await #expect(throws: HTTPClientError.shutDown) {
                _ = try await client.send(server.request("/hello"), body: nil, options: .init())
            }
            #expect(await threadEnds(transportThread))
            // A second call finds the thread gone and returns at once.
            await client.shutdown()
        }
    }

    @Test("tasks preferring the client's executor still run after shutdown")
    func executorAfterShutdown() async {
        let client = CurlHTTPClient()
        await client.shutdown()
        let ran = await withTaskExecutorPreference(client.executor) { true }
        #expect(ran)
    }
}

/// The calling thread's kernel id, from `/proc/thread-self` (a link to `PID/task/TID`).
private func currentThreadID() -> String {
    let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    return String(link.split(separator: "/").last ?? "")
}

/// Whether the kernel thread leaves this process within two seconds (the loop signals just before it returns).
private func threadEnds(_ thread: String) async -> Bool {
    guard !thread.isEmpty else { return false }
    for _ in 0..<200 {
        if !FileManager.default.fileExists(atPath: "/proc/self/task/\(thread)") { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return false
}
