import DevPaySigning
import Foundation

/// Runs blocking file work (reading a part to hash it, a final hash pass) on a thread of its own, never on
/// Swift's cooperative pool, which has only as many threads as cores.
///
/// One short-lived thread per call: a call reads megabytes, so the thread's cost (tens of µs) is noise.
enum BlockingFileWork {
    static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        let result: Result<Value, any Error> = await withCheckedContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            thread.name = "devpay-s3-file-io"
            thread.start()
        }
        return try result.get()
    }

    /// The MD5 digest of the bytes `range` of the file at `path`, read 256 KiB at a time.
    static func md5(ofFileAt path: String, range: Range<Int64>) async throws -> [UInt8] {
        try await run {
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw S3ClientError.file(path: path, errno: errno) }
            defer { close(descriptor) }
            let md5 = MD5()
            var buffer = [UInt8](repeating: 0, count: 256 << 10)
            var position = range.lowerBound
            while position < range.upperBound {
                let wanted = Int(min(Int64(buffer.count), range.upperBound - position))
                let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, wanted, off_t(position)) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    throw count == 0 ? S3TransferError.fileChanged(path: path) : S3ClientError.file(path: path, errno: errno)
                }
                buffer.withUnsafeBytes { md5.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                position += Int64(count)
            }
            return md5.finalize()
        }
    }
}
