import ArgumentParser
import DevPayS3
import Foundation

/// `devpay s3 cp SOURCE DESTINATION`, read like `aws s3 cp`: a local path and an `s3://bucket/key` URL in
/// either order (upload or download), or two URLs (a copy inside S3).
struct S3CopyCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "cp", abstract: "Copy a file to or from S3, or an object within S3 (like aws s3 cp).",
        discussion: """
            devpay s3 cp FILE s3://BUCKET/KEY uploads; devpay s3 cp s3://BUCKET/KEY FILE downloads; \
            devpay s3 cp s3://B1/K1 s3://B2/K2 copies inside S3 (objects up to 5 GiB). A destination ending \
            in / (or an existing folder) takes the source's name. Interrupted transfers resume when run again.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options
    @OptionGroup var transfer: S3TransferFlags

    @Argument(help: "A local file or s3://BUCKET/KEY.")
    var source: String

    @Argument(help: "A local path or s3://BUCKET/KEY (or s3://BUCKET/PREFIX/).")
    var destination: String

    @Option(help: "The object's Content-Type (uploads).")
    var contentType: String?

    struct Copied: Encodable { var type = "result"; var bucket: String; var key: String; var sourceBucket: String; var sourceKey: String; var eTag: String? }

    func run() async throws {
        switch (S3URL(source), S3URL(destination)) {
        case (nil, nil):
            throw ValidationError("one of SOURCE and DESTINATION must be an s3://BUCKET/KEY URL")
        case (nil, let target?):
            let name = URL(fileURLWithPath: source).lastPathComponent
            try await S3PutCommand.upload(
                source, to: target.location(defaultName: name), contentType: contentType, options: options, transfer: transfer)
        case (let origin?, nil):
            guard !origin.key.isEmpty else { throw ValidationError("\(source) names no object") }
            var path = destination
            var isFolder: ObjCBool = false
            if path.hasSuffix("/") || (FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue) {
                path = (path.hasSuffix("/") ? path : path + "/") + (origin.key.split(separator: "/").last.map(String.init) ?? origin.key)
            }
            try await S3GetCommand.download(origin.location(defaultName: ""), to: path, options: options, transfer: transfer)
        case (let origin?, let target?):
            guard !origin.key.isEmpty else { throw ValidationError("\(source) names no object") }
            let from = origin.location(defaultName: "")
            let to = target.location(defaultName: origin.key.split(separator: "/").last.map(String.init) ?? origin.key)
            let eTag = try await options.withAccess { client in
                try await client.copyObject(bucket: to.bucket, key: to.key, sourceBucket: from.bucket, sourceKey: from.key)
            }
            FileHandle.standardError.write(Data("copied \(from) to \(to)\n".utf8))
            if options.json {
                try JSONOutput.print(Copied(bucket: to.bucket, key: to.key, sourceBucket: from.bucket, sourceKey: from.key, eTag: eTag))
            }
        }
    }
}

/// `s3://bucket/key`, split.
struct S3URL {
    var bucket: String
    var key: String

    init?(_ text: String) {
        guard text.hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst(5)
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bucket = parts.first, !bucket.isEmpty else { return nil }
        self.bucket = String(bucket)
        key = parts.count > 1 ? String(parts[1]) : ""
    }

    /// The object; a key that is empty or ends in `/` gets `defaultName` appended.
    func location(defaultName: String) -> S3ObjectLocation {
        S3ObjectLocation(bucket: bucket, key: key.isEmpty || key.hasSuffix("/") ? key + defaultName : key)
    }
}
