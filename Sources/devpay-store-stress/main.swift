// A helper process for the credential store's crash and multi-process tests (not shipped to apps).
//
//   devpay-store-stress crash-writer STORE FIRST
//       prints "ready", then stores set FIRST, FIRST+1, … forever, printing each index once it is stored.
//       The test kills it with SIGKILL at a random moment and checks what the store holds.
//   devpay-store-stress worker WORK ID WORKERS SAVES WAVES
//       one of WORKERS processes sharing WORK/store: SAVES saves with reads in between, then WAVES
//       reactivation waves in lock-step (file barriers in WORK/barriers) where every worker finds the same
//       set invalid; each activation call appends a line to WORK/activations.log. Prints a summary line.
//
// Sets are tagged so a mix of two sets is detectable: token "{UserToken}TAG", key "AKID-TAG",
// secret "secret-TAG-…".
import DevPayCredentialStore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("devpay-store-stress: \(message)\n".utf8))
    exit(1)
}

func emit(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
}

func credentials(tag: String) -> CredentialSet {
    do {
        return try CredentialSet(
            userToken: "{UserToken}" + tag,
            accessKeyID: "AKID-" + tag,
            secretAccessKey: "secret-" + tag + "-" + String(repeating: "x", count: 40),
            activatedAt: Date(timeIntervalSince1970: 1_700_000_000)
        )
    } catch {
        fail("\(error)")
    }
}

/// The tag of a consistent set, or a failure naming the mix.
func tag(of set: CredentialSet) -> String {
    let fromToken = String(set.userToken.revealed().dropFirst("{UserToken}".count))
    let fromKey = String(set.accessKeyID.dropFirst("AKID-".count))
    let fromSecret = set.secretAccessKey.revealed().dropFirst("secret-".count).dropLast(41)
    guard fromToken == fromKey, fromKey == String(fromSecret) else { fail("mixed set: \(set)") }
    return fromToken
}

/// Waits until all `workers` have arrived at barrier `name`; gives up after a minute (a worker died), so a
/// failing run ends instead of hanging.
func barrier(_ work: String, _ name: String, worker: Int, workers: Int) {
    let folder = work + "/barriers/" + name
    mkdir(work + "/barriers", 0o700)
    mkdir(folder, 0o700)
    let marker = open(folder + "/\(worker)", O_CREAT | O_WRONLY, 0o600)
    guard marker >= 0 else { fail("cannot create barrier marker in \(folder)") }
    close(marker)
    var waited = 0
    while ((try? FileManager.default.contentsOfDirectory(atPath: folder))?.count ?? 0) < workers {
        usleep(2_000)
        waited += 1
        if waited > 30_000 { fail("worker \(worker): gave up waiting at barrier \(name)") }
    }
}

func appendLine(_ path: String, _ line: String) {
    let descriptor = open(path, O_CREAT | O_WRONLY | O_APPEND, 0o600)
    guard descriptor >= 0 else { fail("cannot open \(path)") }
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
}

func runCrashWriter(store: String, first: Int) async throws -> Never {
    let store = CredentialStore(location: CredentialStoreLocation(path: store), product: product)
    emit("ready")
    var index = first
    while true {
        try await store.save(credentials(tag: String(index)))
        emit(String(index))
        index += 1
    }
}

func runWorker(work: String, worker: Int, workers: Int, saves: Int, waves: Int) async throws {
    let store = CredentialStore(location: CredentialStoreLocation(path: work + "/store"), product: product)
    var reads = 0

    barrier(work, "start", worker: worker, workers: workers)
    for save in 0..<saves {
        try await store.save(credentials(tag: "w\(worker)-s\(save)"))
        guard let stored = try await store.load().stored else { fail("no set right after a save") }
        _ = tag(of: stored.credentials)
        reads += 1
    }
    barrier(work, "saved", worker: worker, workers: workers)
    guard let afterSaves = try await store.load().stored else { fail("no set after the save phase") }
    emit("generation-after-saves \(afterSaves.revision.generation)")

    var activated = 0
    var adopted = 0
    for wave in 1...max(waves, 1) where waves > 0 {
        barrier(work, "wave-\(wave)-found-invalid", worker: worker, workers: workers)
        let seen = try await store.load().stored?.revision
        barrier(work, "wave-\(wave)-reactivating", worker: worker, workers: workers)
        let outcome = try await store.reactivate(replacing: seen) {
            appendLine(work + "/activations.log", "wave \(wave) worker \(worker)")
            try await Task.sleep(for: .milliseconds(20))  // a License Service call takes a while
            return credentials(tag: "wave\(wave)-w\(worker)")
        }
        switch outcome {
        case .activated: activated += 1
        case .adopted: adopted += 1
        }
        guard tag(of: outcome.stored.credentials).hasPrefix("wave\(wave)-") else { fail("wave \(wave) got \(outcome)") }
        guard let reread = try await store.load().stored, reread == outcome.stored else {
            fail("wave \(wave): stored set differs from the outcome")
        }
        reads += 1
    }
    emit("summary saves=\(saves) reads=\(reads) activated=\(activated) adopted=\(adopted)")
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: see the comment at the top of main.swift") }
let product = try ProductKey(identifier: "stress-product")

do {
    switch arguments[1] {
    case "crash-writer":
        guard arguments.count == 4, let first = Int(arguments[3]) else { fail("crash-writer STORE FIRST") }
        try await runCrashWriter(store: arguments[2], first: first)
    case "worker":
        guard arguments.count == 7, let worker = Int(arguments[3]), let workers = Int(arguments[4]),
            let saves = Int(arguments[5]), let waves = Int(arguments[6])
        else { fail("worker WORK ID WORKERS SAVES WAVES") }
        try await runWorker(work: arguments[2], worker: worker, workers: workers, saves: saves, waves: waves)
    default:
        fail("unknown command \(arguments[1])")
    }
} catch {
    fail("\(error)")
}
