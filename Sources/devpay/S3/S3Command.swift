import ArgumentParser

/// `devpay s3`: S3 requests signed with a DevPay customer's credentials or explicit ones.
struct S3Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "List, create, upload, download and delete in S3 with DevPay or explicit credentials.",
        discussion: """
            DevPay mode (--store DIR --product-token T): the customer's stored set signs each request, with \
            the user and product tokens; nothing is sent unless the License Service says the customer is \
            subscribed. Explicit mode (--access-key-id, --secret-access-key [--session-token]) works with any \
            S3-compatible endpoint. Transfers draw a progress bar on stderr when it is a terminal.
            """,
        subcommands: [S3ListCommand.self, S3MakeBucketCommand.self, S3PutCommand.self, S3GetCommand.self, S3CopyCommand.self, S3RemoveCommand.self, S3RemoveBucketCommand.self]
    )
}
