import DevPayHTTP
import DevPayS3
import DevPaySigning
import DevPayHTTPTesting
import Foundation
import HTTPTypes
import Testing

/// A download into a folder other users can write to must not be steered by names planted there
/// (issue #22, item 1): the temporary file was `<destination>.devpay-partial-<pid>`, opened without
/// `O_EXCL|O_NOFOLLOW`, so a symlink there redirected the write and a planted file kept its owner's mode.
@Suite("S3 downloads against planted temporary names")
struct S3DownloadHardeningTests {
    let folder: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("s3-planted-\(UUID())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    func client() throws -> S3Client {
        let transport = ScriptedHTTPTransport([.init(.ok, headers: [(.contentLength, "11")], body: "the object!")])
        return S3Client(
            configuration: S3Client.Configuration(endpoint: try S3Endpoint(url: "https://127.0.0.1:8443"), currentTime: { 0 }),
            transport: transport,
            credentials: SigningCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"))
    }

    /// The name the old code used; an attacker who knows the victim's pid can plant it.
    var predictableTemporary: String { folder + "/object.bin.devpay-partial-\(getpid())" }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
    }

    @Test("a symlink planted at the temporary name is never followed: its target keeps its bytes")
    func plantedSymlink() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let victim = folder + "/victim-secret"
        try Data("precious".utf8).write(to: URL(fileURLWithPath: victim))
        try FileManager.default.createSymbolicLink(atPath: predictableTemporary, withDestinationPath: victim)

        try await client().downloadObject(bucket: "photos", key: "a", toFileAt: folder + "/object.bin")

        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious")
        #expect(try String(contentsOfFile: folder + "/object.bin", encoding: .utf8) == "the object!")
        #expect(try mode(folder + "/object.bin") == 0o600)
        // The planted link is someone else's; it is left alone, and no temporary file of ours remains.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            == ["object.bin", "object.bin.devpay-partial-\(getpid())", "victim-secret"])
    }

    @Test("a world-writable file planted at the temporary name never becomes the download")
    func plantedFile() async throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("planted".utf8).write(to: URL(fileURLWithPath: predictableTemporary))
        chmod(predictableTemporary, 0o666)
        var planted = stat()
        stat(predictableTemporary, &planted)

        try await client().downloadObject(bucket: "photos", key: "a", toFileAt: folder + "/object.bin")

        var landed = stat()
        stat(folder + "/object.bin", &landed)
        #expect(landed.st_ino != planted.st_ino)
        #expect(landed.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: folder + "/object.bin", encoding: .utf8) == "the object!")
    }
}
