import ArgumentParser
import DevPayS3

/// `devpay s3 ls [BUCKET]`: the buckets, or the objects of one bucket.
struct S3ListCommand: AsyncParsableCommand, GlobalOptionsCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the buckets, or the objects in a bucket.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: S3Options

    @Argument(help: "The bucket to list; the buckets themselves when absent.")
    var bucket: String?

    @Option(help: "Only keys that start with this prefix.")
    var prefix: String?

    struct BucketListing: Encodable { var buckets: [Bucket] }
    struct Bucket: Encodable { var name: String; var creationDate: String }
    struct ObjectListing: Encodable { var bucket: String; var objects: [Object] }
    struct Object: Encodable { var key: String; var size: Int64; var eTag: String; var lastModified: String }

    func run() async throws {
        if let bucket {
            let prefix = prefix
            let objects = try await options.withAccess { client in
                var objects: [S3ObjectSummary] = []
                for try await page in client.allObjects(bucket: bucket, prefix: prefix) { objects += page.objects }
                return objects
            }
            if options.json {
                try JSONOutput.print(ObjectListing(bucket: bucket, objects: objects.map {
                    Object(key: $0.key, size: $0.size, eTag: $0.eTag, lastModified: $0.lastModified)
                }))
            } else {
                for object in objects {
                    print("\(object.lastModified)  \(String(object.size).leftPadded(12))  \(TerminalText.escaped(object.key))")
                }
            }
        } else {
            let buckets = try await options.withAccess { client in try await client.listBuckets() }
            if options.json {
                try JSONOutput.print(BucketListing(buckets: buckets.map { Bucket(name: $0.name, creationDate: $0.creationDate) }))
            } else {
                for bucket in buckets { print("\(bucket.creationDate)  \(TerminalText.escaped(bucket.name))") }
            }
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
