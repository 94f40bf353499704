import Benchmark
import DevPaySigning
import SigningFixtures

/// The signing hot path (issue 4 targets): one S3 GET with a 400-character session token (`SigningFixtures`,
/// shared with the `SigningWorkloads` callgrind driver), signed by warm
/// signers (buffers sized, signing key cached) unless the name says otherwise. Each benchmark builds and
/// warms its signer before `startMeasurement()`, so setup is not measured.
let benchmarks: @Sendable () -> Void = {
    let fast = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], scalingFactor: .kilo,
                                       maxDuration: .seconds(3))
    let credentials = SigningFixtures.credentials
    let time = SigningFixtures.time
    let nextDay = SigningFixtures.nextDay
    let request = SigningFixtures.request

    Benchmark("SigV4 header", configuration: fast) { benchmark in
        let signer = try! SigV4Signer(credentials: credentials, region: "us-east-1")
        _ = try! signer.withAuthorization(for: request, at: time, payload: .unsigned) { $0.count }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try! signer.withAuthorization(for: request, at: time, payload: .unsigned) { $0.count })
        }
    }

    Benchmark("SigV4 presign", configuration: fast) { benchmark in
        let signer = try! SigV4Signer(credentials: credentials, region: "us-east-1")
        var warm = request
        try! signer.presign(&warm, at: time, expires: 3600)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            var copy = request
            try! signer.presign(&copy, at: time, expires: 3600)
            blackHole(copy)
        }
    }

    Benchmark("SigV2 header", configuration: fast) { benchmark in
        let signer = try! S3SigV2Signer(credentials: credentials)
        _ = try! signer.withAuthorization(for: request, at: time, addressing: .pathStyle) { $0.count }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try! signer.withAuthorization(for: request, at: time, addressing: .pathStyle) { $0.count })
        }
    }

    Benchmark("SigV1 License Service", configuration: fast) { benchmark in
        let signer = try! LicenseServiceSigner(credentials: credentials)
        let parameters = SigningFixtures.licenseServiceParameters(signer: signer)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(signer.signature(for: parameters))
        }
    }

    Benchmark("SigV4 header cold key", configuration: fast) { benchmark in
        let signer = try! SigV4Signer(credentials: credentials, region: "us-east-1")
        _ = try! signer.withAuthorization(for: request, at: time, payload: .unsigned) { $0.count }
        benchmark.startMeasurement()
        // Alternating days defeats the one-day key cache, so every signature derives its key.
        var flip = false
        for _ in benchmark.scaledIterations {
            flip.toggle()
            blackHole(try! signer.withAuthorization(for: request, at: flip ? nextDay : time, payload: .unsigned) { $0.count })
        }
    }

    let oneMiB = [UInt8](repeating: 0x5A, count: 1 << 20)
    let payloadConfiguration = Benchmark.Configuration(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
                                                       maxDuration: .seconds(3))

    Benchmark("SigV4 signed payload 1 MiB", configuration: payloadConfiguration) { benchmark in
        let signer = try! SigV4Signer(credentials: credentials, region: "us-east-1")
        var put = request
        put.method = "PUT"
        _ = try! signer.withAuthorization(for: put, at: time, payload: .unsigned) { $0.count }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(try! signer.withAuthorization(for: put, at: time, payload: .hash(of: oneMiB)) { $0.count })
        }
    }

    // The ceiling for the line above: OpenSSL's SHA-256 over the same MiB, nothing else.
    Benchmark("OpenSSL SHA-256 1 MiB (baseline)", configuration: payloadConfiguration) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(SHA256.digest(oneMiB))
        }
    }
}
