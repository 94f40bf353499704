import Benchmark
import DevPaySigning

/// The primitive under every signature: the floor the signing suites are compared with.
let benchmarks: @Sendable () -> Void = {
    let oneKiB = [UInt8](repeating: 0x61, count: 1024)
    Benchmark("SHA-256 1 KiB", configuration: .init(metrics: [.wallClock, .mallocCountTotal, .throughput])) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(SHA256.digest(oneKiB))
        }
    }
}
