import ArgumentParser
import DevPayS3

/// How `devpay s3 put|get|cp` split and pace a transfer, and where resumable transfers keep their manifests.
struct S3TransferFlags: ParsableArguments {
    @Option(help: "Objects larger than this go in parts / parallel ranges (bytes, or with K, M, G: 16M).")
    var multipartThreshold: ByteSizeArgument = ByteSizeArgument(bytes: 16 << 20)

    @Option(help: "Part and range size (5M to 5G; raised so an object fits in 10 000 parts).")
    var partSize: ByteSizeArgument = ByteSizeArgument(bytes: 8 << 20)

    @Option(help: "Parts or ranges in flight at once.")
    var parallel = 4

    @Option(help: "Where interrupted transfers keep what they need to resume. Default: $XDG_STATE_HOME/devpay/transfers or ~/.local/state/devpay/transfers.")
    var manifestFolder: String?

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
    }

    var options: S3TransferOptions {
        S3TransferOptions(
            multipartThreshold: multipartThreshold.bytes, preferredPartSize: partSize.bytes, maximumPartsInFlight: parallel)
    }

    func transfers(_ client: S3Client) -> S3Transfers {
        S3Transfers(client: client, options: options, manifestFolder: manifestFolder)
    }
}

/// A byte count on the command line: `1048576`, `512K`, `16M`, `1G` (powers of 1 024).
struct ByteSizeArgument: ExpressibleByArgument {
    var bytes: Int64

    init(bytes: Int64) { self.bytes = bytes }

    init?(argument: String) {
        let multipliers: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var text = argument.uppercased()
        if text.hasSuffix("IB") || text.hasSuffix("B") { text = String(text.prefix { $0.isNumber || multipliers[$0] != nil }) }
        let multiplier = text.last.flatMap { multipliers[$0] } ?? 1
        if multiplier != 1 { text.removeLast() }
        guard let value = Int64(text), value >= 0 else { return nil }
        bytes = value * multiplier
    }

    var defaultValueDescription: String { "\(bytes)" }
}
