import ArgumentParser

/// `devpay s3 rm BUCKET KEY`.
struct S3RemoveCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Delete an object.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options

    @Argument(help: "The bucket.")
    var bucket: String

    @Argument(help: "The object's key.")
    var key: String

    struct Deleted: Encodable { var bucket: String; var key: String; var deleted: Bool }

    func run() async throws {
        let (bucket, key) = (bucket, key)
        try await options.withAccess { client in try await client.deleteObject(bucket: bucket, key: key) }
        if options.json { try JSONOutput.print(Deleted(bucket: bucket, key: key, deleted: true)) } else { print("deleted s3://\(bucket)/\(key)") }
    }
}
