import CFuzzerDriver
import DevPayCredentialStore
import Dispatch
import Foundation
import Synchronization

// SwiftPM renames an executable's `main` to `<Target>_main`; this one hands the input function to libFuzzer.
// With STORE_FUZZER_WRITE_SEED=<file> it instead stores the reference set and copies the sealed record there,
// which is how Specs/fuzz/store-record/ was made (the record opens only under the fixed master key below).
@_cdecl("StoreRecordFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    if let seedFile = ProcessInfo.processInfo.environment["STORE_FUZZER_WRITE_SEED"] {
        return writeSeed(to: seedFile)
    }
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, storeRecordFuzzer)
}

/// Writes the input as the product's record file and opens the store through its public API, as an app does
/// at start-up after a crash, a bad disk or an attacker changed the file.
///
/// Invariants: nothing traps and nothing throws (a bad record is the record's problem, not the store's); the
/// answer is "found" only for the exact reference set (AES-GCM: no mutation of a sealed record opens),
/// otherwise "missing, unreadable" with the bytes moved to quarantine, never deleted.
@_cdecl("LLVMFuzzerTestOneInput")
func storeRecordFuzzer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Data(bytes: data, count: size)
    try? FileManager.default.removeItem(atPath: sandbox.quarantine)
    guard FileManager.default.createFile(atPath: sandbox.record, contents: bytes, attributes: [.posixPermissions: 0o600])
    else { preconditionFailure("cannot write the record file") }

    switch runBlocking({ () async throws(CredentialStoreError) in try await sandbox.store.load() }) {
    case .success(.found(let stored)):
        precondition(stored.credentials == referenceSet, "a modified record opened to a different set")
    case .success(.missing(.unreadable(_, let quarantinedTo))):
        precondition(FileManager.default.fileExists(atPath: quarantinedTo), "unreadable bytes were not kept")
        precondition(!FileManager.default.fileExists(atPath: sandbox.record), "unreadable record left in place")
    case .success(.missing(.notStored)):
        preconditionFailure("a record file was there but the store says nothing was stored")
    case .failure(let error):
        preconditionFailure("load threw for a bad record instead of reading it as unreadable: \(error)")
    }
    return 0
}

/// The set the seed record holds. Test values only.
private let referenceSet = try! CredentialSet(
    userToken: "{UserToken}AAAAVGVzdFRva2VuRm9yRnV6emluZw==",
    accessKeyID: "AKIAFUZZEXAMPLE00001",
    secretAccessKey: "fuzzSecretAccessKeyExample/0123456789abcd",
    activatedAt: Date(timeIntervalSince1970: 1_700_000_000),
    tokenExpiresAt: Date(timeIntervalSince1970: 1_700_086_400))

/// A store in a fresh 0700 folder with a fixed master key (`DPMK`, version 1, 32 × 0x5A): a test key, so the
/// committed seed record authenticates and mutations of it reach the decoder behind the tag check.
private struct Sandbox: Sendable {
    let store: CredentialStore
    let record: String
    let quarantine: String

    init() {
        // In the working directory, which scripts/fuzz makes per run and removes before the next one.
        var template = Array((FileManager.default.currentDirectoryPath + "/store-sandbox-XXXXXX").utf8CString)
        guard let root = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) })
        else { preconditionFailure("mkdtemp failed") }
        let masterKey = Data("DPMK".utf8) + Data([1]) + Data(repeating: 0x5A, count: 32)
        guard FileManager.default.createFile(
            atPath: root + "/master.key", contents: masterKey, attributes: [.posixPermissions: 0o600])
        else { preconditionFailure("cannot write the master key") }
        let product = try! ProductKey(identifier: "com.example.fuzz")
        store = CredentialStore(location: CredentialStoreLocation(path: root), product: product)
        let folder = root + "/products/" + product.storageName
        record = folder + "/default.record"
        quarantine = folder + "/quarantine"
        // The first save creates the product folder with the store's own modes and checks.
        let store = store
        if case .failure(let error) = runBlocking({ () async throws(CredentialStoreError) in try await store.save(referenceSet) }) {
            preconditionFailure("cannot prepare the store: \(error)")
        }
    }
}

private let sandbox = Sandbox()

private func writeSeed(to path: String) -> CInt {
    let sealed = FileManager.default.contents(atPath: sandbox.record)!
    return FileManager.default.createFile(atPath: path, contents: sealed) ? 0 : 1
}

/// Runs an async store call to completion from libFuzzer's synchronous callback (libFuzzer's own thread,
/// never a cooperative-pool thread, so waiting here blocks nothing the task needs).
private func runBlocking<T: Sendable>(
    _ operation: @escaping @Sendable () async throws(CredentialStoreError) -> T
) -> Result<T, CredentialStoreError> {
    let outcome = Outcome<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, CredentialStoreError>
        do throws(CredentialStoreError) { result = .success(try await operation()) } catch { result = .failure(error) }
        outcome.value.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return outcome.value.withLock { $0! }
}

private final class Outcome<T: Sendable>: Sendable {
    let value = Mutex<Result<T, CredentialStoreError>?>(nil)
}
