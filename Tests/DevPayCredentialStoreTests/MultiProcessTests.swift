@testable import DevPayCredentialStore
import DevPayStateMachine
import DevPayStateMachineTesting
import DevPayTestSupport
import Foundation
import Testing

/// Real processes, real SIGKILLs, real `flock` contention, with the `devpay-store-stress` helper.
@Suite("credential store across processes", .serialized)
struct MultiProcessTests {
    static let product = try! ProductKey(identifier: "stress-product")

    /// The exact set the helper writes for `tag` (see Sources/devpay-store-stress/main.swift).
    static func helperSet(_ tag: String) -> CredentialSet {
        try! CredentialSet(
            userToken: "{UserToken}" + tag, accessKeyID: "AKID-" + tag,
            secretAccessKey: "secret-" + tag + "-" + String(repeating: "x", count: 40),
            activatedAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    static func environmentInt(_ name: String) -> Int? {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init)
    }

    /// The latest a kill comes after the writer is ready, in µs: 30 ms spans several writes. A sanitizer build of
    /// the writer is several times slower (in a loaded AddressSanitizer run 100 kills within 30 ms caught no write),
    /// so the window grows with it and the kills still land in every phase of a write.
    static let longestDelay: UInt32 = SanitizerRun.isActive ? 300_000 : 30_000

    @Test("a writer killed with SIGKILL at random moments always leaves the old or the new set")
    func crashDuringWrites() async throws {
        let iterations = Self.environmentInt("DEVPAY_STORE_CRASH_ITERATIONS") ?? 1_000
        let seed = UInt64(Self.environmentInt("DEVPAY_STORE_CRASH_SEED") ?? Int.random(in: 0...Int(Int32.max)))
        var random = SeededRandomNumberGenerator(seed: seed)
        let folder = try TemporaryFolder()
        let store = CredentialStore(location: folder.storeLocation, product: Self.product)
        try await store.save(Self.helperSet("0"))
        let helper = ChildProcess.stressHelperPath
        #expect(FileManager.default.isExecutableFile(atPath: helper), "build the helper: swift build --build-tests")

        var current = 0
        var killedMidStream = 0
        var committedInFlight = 0
        var killedBeforeRename = 0
        let productFolder = folder.storeLocation.path + "/products/" + Self.product.storageName
        let clock = ContinuousClock()
        let started = clock.now
        for iteration in 1...iterations {
            let delay = UInt32.random(in: 0...Self.longestDelay, using: &random)
            let first = current + 1
            let (acknowledged, status, pid): (Int?, Int32, pid_t) = try await Offload.run {
                guard let child = ChildProcess.spawn(helper, ["crash-writer", folder.storeLocation.path, "\(first)"])
                else { return (nil, -1, 0) }
                guard child.readLine() == "ready" else {
                    child.kill(SIGKILL)
                    return (nil, child.wait(), child.pid)
                }
                usleep(delay)
                child.kill(SIGKILL)
                let lines = child.remainingLines()
                return (lines.last.flatMap(Int.init), child.wait(), child.pid)
            }
            #expect(status & 0x7F == SIGKILL, "iteration \(iteration) (seed \(seed)): child was not killed")
            let lastAcknowledged = acknowledged ?? current
            guard let stored = try await store.load().stored else {
                Issue.record("iteration \(iteration) (seed \(seed)): no credentials after a crash")
                return
            }
            let index = Int(stored.credentials.accessKeyID.dropFirst("AKID-".count)) ?? -1
            #expect(
                stored.credentials == Self.helperSet("\(index)"),
                "iteration \(iteration) (seed \(seed)): the store holds a mix of sets")
            #expect(
                index == lastAcknowledged || index == lastAcknowledged + 1,
                "iteration \(iteration) (seed \(seed)): stored \(index), last acknowledged \(lastAcknowledged)")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: productFolder)
            if leftovers.contains(where: { $0.hasPrefix("default.record.tmp-\(pid)-") }) { killedBeforeRename += 1 }
            if acknowledged != nil { killedMidStream += 1 }
            if index == lastAcknowledged + 1 { committedInFlight += 1 }
            current = index
        }
        let elapsed = clock.now - started
        print(
            "crash test: \(iterations) SIGKILLs in \(elapsed) (seed \(seed)); \(killedMidStream) after at least "
                + "one acknowledged write, \(killedBeforeRename) with a half-written temporary file left, "
                + "\(committedInFlight) after the rename but before the acknowledgement; \(current) sets written")
        if iterations >= 100 {
            // Otherwise the test would prove little: the kills must hit every phase of a write.
            #expect(killedMidStream > 0 && killedBeforeRename > 0 && committedInFlight > 0)
        }
    }

    @Test("8 processes saving, reading and reactivating lose no update and activate once per wave")
    func eightProcesses() async throws {
        let workers = 8
        let saves = Self.environmentInt("DEVPAY_STORE_STRESS_SAVES") ?? 25
        let waves = Self.environmentInt("DEVPAY_STORE_STRESS_WAVES") ?? 10
        let folder = try TemporaryFolder()
        let helper = ChildProcess.stressHelperPath

        let results: [(lines: [String], status: Int32)] = try await Offload.run {
            let children = (0..<workers).map { worker in
                ChildProcess.spawn(helper, ["worker", folder.path, "\(worker)", "\(workers)", "\(saves)", "\(waves)"])
            }
            return children.map { child in
                guard let child else { return ([], -1) }
                return (child.remainingLines(), child.wait())
            }
        }
        for (worker, result) in results.enumerated() {
            #expect(result.status == 0, "worker \(worker) failed: \(result.lines)")
            #expect(
                result.lines.contains("generation-after-saves \(workers * saves)"), "worker \(worker): \(result.lines)")
        }
        let summaries = results.compactMap { $0.lines.last(where: { $0.hasPrefix("summary") }) }
        let activated = summaries.map { count(of: "activated", in: $0) }.reduce(0, +)
        let adopted = summaries.map { count(of: "adopted", in: $0) }.reduce(0, +)
        #expect(activated == waves)
        #expect(adopted == waves * (workers - 1))

        let log = (try? String(contentsOfFile: folder.path + "/activations.log", encoding: .utf8)) ?? ""
        let calls = log.split(separator: "\n").map { $0.split(separator: " ")[1] }
        #expect(calls.count == waves, "License Service calls: \(log)")
        #expect(Set(calls).count == waves, "one call per wave: \(log)")

        let store = CredentialStore(
            location: CredentialStoreLocation(path: folder.path + "/store"), product: Self.product)
        let final = try await store.load().stored
        #expect(final?.revision.generation == UInt64(workers * saves + waves))
        #expect(final?.credentials.accessKeyID.hasPrefix("AKID-wave\(waves)-") == true)
    }

    private func count(of key: String, in summary: String) -> Int {
        summary.split(separator: " ").first { $0.hasPrefix(key + "=") }
            .flatMap { Int($0.dropFirst(key.count + 1)) } ?? 0
    }
}
