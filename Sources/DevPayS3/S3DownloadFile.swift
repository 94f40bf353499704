#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A download's destination: written to a temporary file beside the final path (mode 0600), renamed into place
/// only when the object is complete, so a reader never sees half an object under the final name.
final class S3DownloadFile {
    private let finalPath: String
    private let temporaryPath: String
    private var descriptor: Int32

    init(finalPath: String) throws(S3ClientError) {
        self.finalPath = finalPath
        temporaryPath = finalPath + ".devpay-partial-\(getpid())"
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .file(path: temporaryPath, errno: errno) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func write(_ bytes: [UInt8]) throws(S3ClientError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw .file(path: temporaryPath, errno: errno)
            }
            offset += written
        }
    }

    func commit() throws(S3ClientError) {
        guard fsync(descriptor) == 0 else { throw .file(path: temporaryPath, errno: errno) }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, finalPath) == 0 else { throw .file(path: finalPath, errno: errno) }
    }

    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(temporaryPath)
    }
}
