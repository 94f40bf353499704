import Benchmark
import DevPayHTTP
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes

/// DevPayHTTP against the local nginx of `scripts/http-benchmark-server` on 127.0.0.1: mostly plain HTTP, so the
/// figures are the transport's own cost rather than TLS's, plus one HTTPS run. The curl CLI baseline is `scripts/benchmark-curl-baseline`; figures and
/// commands: docs/performance.md.
let benchmarks: @Sendable () -> Void = {
    let port = ProcessInfo.processInfo.environment["DEVPAY_BENCH_PORT"] ?? "18080"
    let authority = "127.0.0.1:\(port)"
    let hello = HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/hello")
    let helloURL = URL(string: "http://\(authority)/hello")!
    let plainHTTP = CurlHTTPClient.Configuration(schemePolicy: .allowPlainHTTP)

    let latency = Benchmark.Configuration(
        metrics: [.wallClock, .mallocCountTotal, .throughput, connectionsOpened],
        warmupIterations: 50,
        maxDuration: .seconds(5),
        maxIterations: 20_000
    )

    // One client, one kept-alive connection, one request at a time: the per-request overhead.
    let sequentialClient = CurlHTTPClient(configuration: plainHTTP)
    Benchmark("GET 5 B, sequential, kept alive: CurlHTTPClient", configuration: latency) { benchmark in
        for _ in benchmark.scaledIterations {
            let response = try await sequentialClient.send(hello, body: nil, options: HTTPRequestOptions())
            blackHole(response.body)
        }
        benchmark.measurement(connectionsOpened, sequentialClient.connectionsOpened)
    } setup: {
        try await requireServer(sequentialClient, hello)
    }

    // The same loop in a task that prefers the client's executor: it runs on the transport thread, so a request
    // costs no thread hand-off at all. A task enters the executor once per loop, not once per request: the first
    // (unmeasured) request of each sample moves the task onto the transport thread, the measured ones follow it
    // there, as in `withTaskExecutorPreference(client.executor) { for … { try await client.send(…) } }`.
    let executorClient = CurlHTTPClient(configuration: plainHTTP)
    Benchmark("GET 5 B, sequential, kept alive: CurlHTTPClient on its executor", configuration: latency) { benchmark in
        try await measureOnExecutor(benchmark, executorClient, hello)
    } setup: {
        try await requireServer(executorClient, hello)
    }

    // The same over HTTPS (HTTP/2 by ALPN), as the License Service and S3 are used: TLS verified with the benchmark
    // server's CA.
    let tlsPort = ProcessInfo.processInfo.environment["DEVPAY_BENCH_TLS_PORT"] ?? "18443"
    let benchCA = (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/devpay-http-bench/ca.pem"
    let helloTLS = HTTPRequest(method: .get, scheme: "https", authority: "127.0.0.1:\(tlsPort)", path: "/hello")
    let tlsClient = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: benchCA)))
    Benchmark("GET 5 B, sequential, kept alive, HTTPS: CurlHTTPClient", configuration: latency) { benchmark in
        for _ in benchmark.scaledIterations {
            let response = try await tlsClient.send(helloTLS, body: nil, options: HTTPRequestOptions())
            blackHole(response.body)
        }
        benchmark.measurement(connectionsOpened, tlsClient.connectionsOpened)
    } setup: {
        try await requireServer(tlsClient, helloTLS)
    }

    let tlsExecutorClient = CurlHTTPClient(configuration: .init(trustRoots: .caFile(path: benchCA)))
    Benchmark("GET 5 B, sequential, kept alive, HTTPS: CurlHTTPClient on its executor", configuration: latency) { benchmark in
        try await measureOnExecutor(benchmark, tlsExecutorClient, helloTLS)
    } setup: {
        try await requireServer(tlsExecutorClient, helloTLS)
    }

    // The same with Foundation's URLSession (on Linux, FoundationNetworking, itself over libcurl).
    let session = URLSession(configuration: .ephemeral)
    Benchmark("GET 5 B, sequential, kept alive: URLSession", configuration: latency) { benchmark in
        for _ in benchmark.scaledIterations {
            let (data, _) = try await session.data(from: helloURL)
            blackHole(data)
        }
    }

    // 32 requests at once through one client: throughput, and how many connections it needed (≤ 32).
    let concurrentClient = CurlHTTPClient(configuration: plainHTTP)
    let batch = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal, connectionsOpened],
        warmupIterations: 5,
        maxDuration: .seconds(5),
        maxIterations: 2_000
    )
    Benchmark("32 concurrent GETs 1 KiB: CurlHTTPClient", configuration: batch) { benchmark in
        let request = HTTPRequest(method: .get, scheme: "http", authority: authority, path: "/bytes-1k")
        for _ in benchmark.scaledIterations {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<32 {
                    group.addTask { try await concurrentClient.send(request, body: nil, options: HTTPRequestOptions()).body.count }
                }
                for try await count in group { precondition(count == 1024) }
            }
        }
        benchmark.measurement(connectionsOpened, concurrentClient.connectionsOpened)
    } setup: {
        try await requireServer(concurrentClient, hello)
    }
}

/// One request measured in the steady state of a loop of sends on the client's executor (see the executor benchmark).
private func measureOnExecutor(_ benchmark: Benchmark, _ client: CurlHTTPClient, _ request: HTTPRequest) async throws {
    try await withTaskExecutorPreference(client.executor) {
        blackHole(try await client.send(request, body: nil, options: HTTPRequestOptions()).body)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let response = try await client.send(request, body: nil, options: HTTPRequestOptions())
            blackHole(response.body)
        }
        benchmark.stopMeasurement()
    }
    benchmark.measurement(connectionsOpened, client.connectionsOpened)
}

/// Fails with a hint when the benchmark server is not running.
private func requireServer(_ client: CurlHTTPClient, _ request: HTTPRequest) async throws {
    do {
        _ = try await client.send(request, body: nil, options: HTTPRequestOptions(connectTimeout: .seconds(2)))
    } catch {
        print("HTTPBenchmarks needs the local server: run scripts/http-benchmark-server start (\(error))")
        throw error
    }
}

/// Connections the client had opened when the sample ended (cumulative; reuse is not counted again).
private let connectionsOpened = BenchmarkMetric.custom("connections opened (total)", polarity: .prefersSmaller, useScalingFactor: false)
