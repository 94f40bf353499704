import ArgumentParser
import DevPayS3
import Foundation

/// `devpay s3 get BUCKET KEY [FILE]`: streams an object down to a file (written atomically) or stdout.
struct S3GetCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Download an object to a file, or to stdout with -.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options

    @Argument(help: "The bucket.")
    var bucket: String

    @Argument(help: "The object's key.")
    var key: String

    @Argument(help: "Where to write it (the file appears only once complete, mode 0600); - for stdout. Default: the key's last component.")
    var file: String?

    @Flag(help: "Without FILE: replace an existing file named after the key (never replaced otherwise).")
    var force = false

    struct Downloaded: Encodable { var bucket: String; var key: String; var file: String; var bytes: Int64?; var eTag: String? }

    func validate() throws {
        if file == "-", options.json { throw ValidationError("--json describes a downloaded file; it cannot share stdout with the object") }
    }

    func run() async throws {
        let (bucket, key) = (bucket, key)
        let progress = TransferProgress(label: "download \(key)")
        if file == "-" {
            let bytes = try await options.withAccess { client in
                try await client.getObject(bucket: bucket, key: key, progress: progress.handler) { _, body in
                    var count: Int64 = 0
                    for try await chunk in body {
                        FileHandle.standardOutput.write(Data(chunk))
                        count += Int64(chunk.count)
                    }
                    return count
                }
            }
            progress.finish("downloaded \(ByteCount(bytes)) from s3://\(bucket)/\(key)")
            return
        }
        let destination = file ?? String(key.split(separator: "/").last ?? Substring(key))
        // A name the user did not type never clobbers their file; checked before anything is sent.
        if file == nil, !force, FileManager.default.fileExists(atPath: destination) {
            throw CommandFailure(
                status: .failure, message: "\(destination) exists: pass --force to replace it, or name the file to write")
        }
        let info = try await options.withAccess { client in
            try await client.downloadObject(bucket: bucket, key: key, toFileAt: destination, progress: progress.handler)
        }
        progress.finish("downloaded \(ByteCount(info.contentLength ?? 0)) from s3://\(bucket)/\(key) to \(destination)")
        if options.json {
            try JSONOutput.print(Downloaded(bucket: bucket, key: key, file: destination, bytes: info.contentLength, eTag: info.eTag))
        }
    }
}
