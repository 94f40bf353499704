import ArgumentParser
import DevPayS3
import Foundation

/// `devpay s3 get BUCKET KEY [FILE]`: downloads an object to a file (large ones in parallel ranges, resumed
/// when run again after an interruption) or streams it to stdout.
struct S3GetCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "get", abstract: "Download an object to a file, or to stdout with -.",
        discussion: """
            Objects over --multipart-threshold come in --parallel ranges written straight into the file. If \
            the download is interrupted, running the same command again continues it, unless the object \
            changed meanwhile (then it starts over). The file appears only once complete and checked.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options
    @OptionGroup var transfer: S3TransferFlags

    @Argument(help: "The bucket.")
    var bucket: String

    @Argument(help: "The object's key.")
    var key: String

    @Argument(help: "Where to write it (the file appears only once complete, mode 0600); - for stdout. Default: the key's last component.")
    var file: String?

    @Flag(help: "Without FILE: replace an existing file named after the key (never replaced otherwise).")
    var force = false

    func validate() throws {
        if file == "-", options.json { throw ValidationError("--json describes a downloaded file; it cannot share stdout with the object") }
    }

    func run() async throws {
        let (bucket, key) = (bucket, key)
        if file == "-" {
            let progress = TransferProgress(label: "download \(key)")
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
        try await Self.download(S3ObjectLocation(bucket: bucket, key: key), to: destination, options: options, transfer: transfer)
    }

    /// Downloads with progress and prints the outcome (shared with `devpay s3 cp`).
    static func download(_ location: S3ObjectLocation, to destination: String, options: S3Options, transfer: S3TransferFlags) async throws {
        let bar = TransferProgress(label: "download \(location.key)")
        let json = options.json
        let result = try await options.withAccess { client in
            try await S3TransferReporting.follow(transfer.transfers(client).download(location, to: destination), bar: bar, json: json)
        }
        bar.finish(S3TransferReporting.summary("downloaded", result, toward: false))
        if json { try JSONOutput.print(S3TransferReporting.ResultLine(result)) }
    }
}
