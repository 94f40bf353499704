import ArgumentParser
import Foundation

/// `devpay s3 put FILE BUCKET [KEY]`: streams a file up.
struct S3PutCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(commandName: "put", abstract: "Upload a file as an object.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options

    @Argument(help: "The file to upload.")
    var file: String

    @Argument(help: "The bucket.")
    var bucket: String

    @Argument(help: "The object's key; the file's name when absent.")
    var key: String?

    @Option(help: "The object's Content-Type.")
    var contentType: String?

    struct Uploaded: Encodable { var bucket: String; var key: String; var bytes: Int64; var eTag: String? }

    func run() async throws {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: file)
        } catch {
            throw ValidationError("cannot read \(file)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else { throw ValidationError("\(file) is not a regular file") }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let (file, bucket, contentType) = (file, bucket, contentType)
        let key = key ?? URL(fileURLWithPath: file).lastPathComponent
        let progress = TransferProgress(label: "upload \(key)")
        let eTag = try await options.withAccess { client in
            try await client.putObject(bucket: bucket, key: key, fileAt: file, contentType: contentType, progress: progress.handler)
        }
        progress.finish("uploaded \(ByteCount(size)) to s3://\(bucket)/\(key)")
        if options.json { try JSONOutput.print(Uploaded(bucket: bucket, key: key, bytes: size, eTag: eTag)) }
    }
}
