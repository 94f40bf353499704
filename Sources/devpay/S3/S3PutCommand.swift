import ArgumentParser
import DevPayS3
import Foundation

/// `devpay s3 put FILE BUCKET [KEY]`: uploads a file; large ones in parallel parts, resumed when run again
/// after an interruption.
struct S3PutCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "put", abstract: "Upload a file as an object.",
        discussion: """
            Files over --multipart-threshold go up in parts, --parallel at a time, each checked with its MD5. \
            If the upload is interrupted, running the same command again continues it from the parts S3 \
            already holds (--abort gives it up instead).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options
    @OptionGroup var transfer: S3TransferFlags

    @Argument(help: "The file to upload.")
    var file: String

    @Argument(help: "The bucket.")
    var bucket: String

    @Argument(help: "The object's key; the file's name when absent.")
    var key: String?

    @Option(help: "The object's Content-Type.")
    var contentType: String?

    @Flag(help: "Give up an interrupted upload of this file to this key (S3 frees its parts) instead of uploading.")
    var abort = false

    func run() async throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
            throw ValidationError("\(file) is not a regular file")
        }
        let location = S3ObjectLocation(bucket: bucket, key: key ?? URL(fileURLWithPath: file).lastPathComponent)
        let (file, transfer) = (file, transfer)
        if abort {
            let aborted = try await options.withAccess { client in
                try await transfer.transfers(client).abortUpload(file: file, to: location)
            }
            FileHandle.standardError.write(Data((aborted ? "aborted the upload to \(location)\n" : "no interrupted upload to \(location)\n").utf8))
            return
        }
        try await Self.upload(file, to: location, contentType: contentType, options: options, transfer: transfer)
    }

    /// Uploads with progress and prints the outcome (shared with `devpay s3 cp`).
    static func upload(
        _ file: String, to location: S3ObjectLocation, contentType: String?, options: S3Options, transfer: S3TransferFlags
    ) async throws {
        let bar = TransferProgress(label: "upload \(location.key)")
        let json = options.json
        let result = try await options.withAccess { client in
            try await S3TransferReporting.follow(
                transfer.transfers(client).upload(file: file, to: location, contentType: contentType), bar: bar, json: json)
        }
        bar.finish(S3TransferReporting.summary("uploaded", result, toward: true))
        if json { try JSONOutput.print(S3TransferReporting.ResultLine(result)) }
    }
}
