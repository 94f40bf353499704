#if canImport(Glibc)
import Glibc
#endif
import DevPaySigning
import SigningFixtures

// Runs one workload of `SigningBenchmarks` (same names, same fixtures) N times after building and warming
// its signer, for instruction counting under valgrind: the VM has no hardware counters, and instruction
// counts do not depend on what the neighbours run. Per signature = (count at 2N − count at N) / N, which
// cancels start-up and set-up:
//     valgrind --tool=callgrind .build/release/SigningWorkloads 'SigV4 header' 1000
// With `--time` it prints the best wall-clock time per signature of 20 rounds of N instead: a quick A/B
// check between two builds run alternately, not a replacement for the benchmark suite.
// See ../docs/performance.md.

@inline(never)
func sink<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

let arguments = CommandLine.arguments
guard arguments.count == 3 || (arguments.count == 4 && arguments[3] == "--time"),
    let iterations = Int(arguments[2])
else {
    print("usage: SigningWorkloads <benchmark name> <iterations> [--time]")
    exit(2)
}
let timed = arguments.count == 4

/// Runs `body` `iterations` times, or (with `--time`) 20 rounds of that, printing the best round's
/// nanoseconds per iteration.
func run(_ body: () -> Void) {
    guard timed else {
        for _ in 0..<iterations { body() }
        return
    }
    var best = Int64.max
    for _ in 0..<20 {
        let start = ContinuousClock.now
        for _ in 0..<iterations { body() }
        let elapsed = (ContinuousClock.now - start).components
        best = min(best, (elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000) / Int64(iterations))
    }
    print("\(arguments[1]): \(best) ns")
}
// Local copies: reading a global of another module inside the loops would copy the request each time.
let request = SigningFixtures.request
let time = SigningFixtures.time
let nextDay = SigningFixtures.nextDay
let credentials = SigningFixtures.credentials
switch arguments[1] {
case "SigV4 header":
    let signer = try! SigV4Signer(credentials: credentials, region: "us-east-1")
    sink(try! signer.withAuthorization(for: request, at: time, payload: .unsigned) { $0.count })
    run { sink(try! signer.withAuthorization(for: request, at: time, payload: .unsigned) { $0.count }) }
case "SigV4 presign":
    let signer = try! SigV4Signer(credentials: credentials, region: "us-east-1")
    var warm = request
    try! signer.presign(&warm, at: time, expires: 3600)
    run {
        var copy = request
        try! signer.presign(&copy, at: time, expires: 3600)
        sink(copy)
    }
case "SigV2 header":
    let signer = try! S3SigV2Signer(credentials: credentials)
    sink(try! signer.withAuthorization(for: request, at: time, addressing: .pathStyle) { $0.count })
    run { sink(try! signer.withAuthorization(for: request, at: time, addressing: .pathStyle) { $0.count }) }
case "SigV1 License Service":
    let signer = try! LicenseServiceSigner(credentials: credentials)
    let parameters = SigningFixtures.licenseServiceParameters(signer: signer)
    sink(signer.signature(for: parameters))
    run { sink(signer.signature(for: parameters)) }
case "SigV4 header cold key":
    let signer = try! SigV4Signer(credentials: credentials, region: "us-east-1")
    sink(try! signer.withAuthorization(for: request, at: time, payload: .unsigned) { $0.count })
    var flip = false
    run {
        flip.toggle()
        sink(try! signer.withAuthorization(for: request, at: flip ? nextDay : time, payload: .unsigned) { $0.count })
    }
default:
    print("unknown workload \(arguments[1])")
    exit(2)
}
