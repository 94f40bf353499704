import ArgumentParser

/// `devpay s3 mb BUCKET`.
struct S3MakeBucketCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(commandName: "mb", abstract: "Create a bucket.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options

    @Argument(help: "The bucket's name.")
    var bucket: String

    struct Created: Encodable { var bucket: String; var created: Bool }

    func run() async throws {
        let bucket = bucket
        try await options.withAccess { client in try await client.createBucket(bucket) }
        if options.json { try JSONOutput.print(Created(bucket: bucket, created: true)) } else { print("created bucket \(bucket)") }
    }
}
