import CDevPayOpenSSL

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A throwaway certificate authority and the server certificate it signs for `127.0.0.1`, `localhost` and the
/// virtual-hosted S3 names under `s3.localhost`.
///
/// Made with OpenSSL's libcrypto (already linked for signing) rather than swift-certificates, so the emulator
/// adds no second BoringSSL build and no ASN.1 stack to the package graph. Keys are ECDSA P-256; the CA's
/// private key lives only in memory and is dropped once the leaf is signed.
public struct LoopbackCertificateAuthority: Sendable {
    /// The CA certificate, PEM: what clients pass as their trust anchor (`--cacert`, `CAfile`).
    public let caCertificatePEM: String
    /// The server certificate (SAN `IP:127.0.0.1`, `DNS:localhost`, `DNS:s3.localhost`, `DNS:*.s3.localhost`), PEM.
    public let serverCertificatePEM: String
    /// The server certificate's private key, PEM (PKCS #8).
    public let serverPrivateKeyPEM: String

    /// Generates a fresh CA and server certificate valid from one hour ago for `validDays` days.
    ///
    /// Validity uses the real wall clock, not the emulator's clock: TLS clients check it against theirs.
    public static func generate(validDays: Int = 30) throws(EmulatorError) -> LoopbackCertificateAuthority {
        let caKey = try generateKey()
        defer { EVP_PKEY_free(caKey) }
        let serverKey = try generateKey()
        defer { EVP_PKEY_free(serverKey) }

        let ca = try makeCertificate(
            commonName: "DevPayKit emulator loopback CA",
            publicKey: caKey,
            issuer: nil,
            signingKey: caKey,
            validDays: validDays,
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE,pathlen:0"),
                (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"),
            ]
        )
        defer { X509_free(ca) }
        let server = try makeCertificate(
            commonName: "localhost",
            publicKey: serverKey,
            issuer: ca,
            signingKey: caKey,
            validDays: validDays,
            extensions: [
                (NID_basic_constraints, "critical,CA:FALSE"),
                (NID_key_usage, "critical,digitalSignature"),
                (NID_ext_key_usage, "serverAuth"),
                (NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost,DNS:\(S3SignedRequest.virtualHostDomain),DNS:*.\(S3SignedRequest.virtualHostDomain)"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid:always"),
            ]
        )
        defer { X509_free(server) }

        return LoopbackCertificateAuthority(
            caCertificatePEM: try pem { PEM_write_bio_X509($0, ca) },
            serverCertificatePEM: try pem { PEM_write_bio_X509($0, server) },
            serverPrivateKeyPEM: try pem { PEM_write_bio_PrivateKey($0, serverKey, nil, nil, 0, nil, nil) }
        )
    }

    private static func generateKey() throws(EmulatorError) -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw failure("EVP_PKEY_CTX_new") }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_group_name(context, "P-256") == 1 else {
            throw failure("EC key generation set-up")
        }
        var key: OpaquePointer?
        guard EVP_PKEY_generate(context, &key) == 1, let key else { throw failure("EVP_PKEY_generate") }
        return key
    }

    private static func makeCertificate(
        commonName: String,
        publicKey: OpaquePointer,
        issuer: OpaquePointer?,
        signingKey: OpaquePointer,
        validDays: Int,
        extensions: [(Int32, String)]
    ) throws(EmulatorError) -> OpaquePointer {
        guard let certificate = X509_new() else { throw failure("X509_new") }
        var serial = [UInt8](repeating: 0, count: 16)
        let built: Bool = serial.withUnsafeMutableBytes { buffer in
            guard RAND_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), 16) == 1 else { return false }
            buffer[0] &= 0x7F  // a positive serial number
            guard let serialNumber = BN_bin2bn(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), 16, nil)
            else { return false }
            defer { BN_free(serialNumber) }
            guard X509_set_version(certificate, 2) == 1,
                BN_to_ASN1_INTEGER(serialNumber, X509_get_serialNumber(certificate)) != nil,
                X509_gmtime_adj(X509_getm_notBefore(certificate), -3600) != nil,
                X509_gmtime_adj(X509_getm_notAfter(certificate), validDays * 86_400) != nil,
                X509_set_pubkey(certificate, publicKey) == 1,
                let subject = X509_get_subject_name(certificate),
                X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, "DevPayKit", -1, -1, 0) == 1,
                X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, commonName, -1, -1, 0) == 1,
                X509_set_issuer_name(certificate, issuer.map { X509_get_subject_name($0) } ?? subject) == 1
            else { return false }
            return true
        }
        guard built else {
            X509_free(certificate)
            throw failure("certificate fields")
        }
        var context = X509V3_CTX()
        X509V3_set_ctx(&context, issuer ?? certificate, certificate, nil, nil, 0)
        for (nid, value) in extensions {
            guard let ext = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                X509_free(certificate)
                throw failure("extension \(nid)")
            }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(certificate, ext, -1) == 1 else {
                X509_free(certificate)
                throw failure("X509_add_ext")
            }
        }
        guard X509_sign(certificate, signingKey, EVP_sha256()) > 0 else {
            X509_free(certificate)
            throw failure("X509_sign")
        }
        return certificate
    }

    private static func pem(_ write: (OpaquePointer) -> Int32) throws(EmulatorError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("BIO_new") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw failure("PEM write") }
        let length = Int(BIO_ctrl_pending(bio))
        var bytes = [UInt8](repeating: 0, count: length)
        let read = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32(length)) }
        guard read == length else { throw failure("BIO_read") }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func failure(_ step: String) -> EmulatorError {
        let code = ERR_get_error()
        ERR_clear_error()
        return .certificateGeneration("\(step) failed (OpenSSL error \(code))")
    }
}
