import ArgumentParser

/// `devpay s3 rb BUCKET`.
struct S3RemoveBucketCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "rb", abstract: "Delete an empty bucket.",
        discussion: "S3 refuses to delete a bucket that still holds objects (BucketNotEmpty); remove them with `rm` first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options

    @Argument(help: "The bucket's name.")
    var bucket: String

    struct Deleted: Encodable { var bucket: String; var deleted: Bool }

    func run() async throws {
        let bucket = bucket
        try await options.withAccess { client in try await client.deleteBucket(bucket) }
        if options.json { try JSONOutput.print(Deleted(bucket: bucket, deleted: true)) } else { print("deleted bucket \(bucket)") }
    }
}
