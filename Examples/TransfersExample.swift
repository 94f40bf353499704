// example: transfers
import DevPayS3

/// Uploads a large file in parallel parts (resumed if an earlier run was interrupted), printing progress.
func uploadBackup(with client: S3Client) async throws -> S3TransferResult {
    let transfers = S3Transfers(client: client)
    let upload = transfers.upload(file: "/Users/me/backup.tar", to: S3ObjectLocation(bucket: "my-bucket", key: "backup.tar"))
    for await progress in upload.progress { print(progress.bytesTransferred, "/", progress.totalBytes) }
    return try await upload.result
}
// example end
