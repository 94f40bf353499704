/// The pages of a `ListObjectsV2` listing, fetched lazily: the next request goes out only when the caller
/// asks for the next page, and the listing ends after the page without a continuation token.
public struct S3ObjectListing: AsyncSequence, Sendable {
    public typealias Element = S3ObjectListPage

    let client: S3Client
    let bucket: String
    let prefix: String?
    let pageSize: Int?

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(listing: self)
    }

    /// Fetches one page per call to `next()`.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let listing: S3ObjectListing
        var continuationToken: String?
        var finished = false

        init(listing: S3ObjectListing) {
            self.listing = listing
        }

        public mutating func next() async throws -> S3ObjectListPage? {
            guard !finished else { return nil }
            let page = try await listing.client.listObjects(
                bucket: listing.bucket,
                prefix: listing.prefix,
                continuationToken: continuationToken,
                maximumKeys: listing.pageSize
            )
            continuationToken = page.nextContinuationToken
            finished = continuationToken == nil
            return page
        }
    }
}
