// OpenSSL 3 libcrypto, as DevPayKit uses it: digests, MACs, AEAD ciphers, KDFs, the CSPRNG, and X.509
// certificate generation for the emulator's loopback TLS.
#ifndef CDEVPAY_OPENSSL_SHIM_H
#define CDEVPAY_OPENSSL_SHIM_H

#include <openssl/opensslv.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/hmac.h>
/* X.509 and PEM: the emulator generates its loopback CA and server certificate at start. */
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#if OPENSSL_VERSION_MAJOR < 3
#error "DevPayKit needs OpenSSL 3 (Debian: libssl-dev)"
#endif

// Plain-struct SHA-1 and SHA-256 states for the signing hot path. OpenSSL 3.0's EVP_MD_CTX_copy_ex frees and
// re-allocates the provider context on every copy, so precomputed HMAC inner/outer states cannot be reused
// through EVP without two mallocs per MAC. These structs copy by value (no allocation) and run the same
// assembly (SHA-NI, AVX2) as EVP. The functions are deprecated in 3.0 but present in every distribution
// build; the wrappers keep the deprecation warnings out of Swift.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
static inline void devpay_sha256_init(SHA256_CTX *context) { SHA256_Init(context); }
static inline void devpay_sha256_update(SHA256_CTX *context, const void *bytes, size_t count) {
    SHA256_Update(context, bytes, count);
}
static inline void devpay_sha256_final(SHA256_CTX *context, unsigned char *digest) { SHA256_Final(digest, context); }
static inline void devpay_sha1_init(SHA_CTX *context) { SHA1_Init(context); }
static inline void devpay_sha1_update(SHA_CTX *context, const void *bytes, size_t count) {
    SHA1_Update(context, bytes, count);
}
static inline void devpay_sha1_final(SHA_CTX *context, unsigned char *digest) { SHA1_Final(digest, context); }
// One compression of a whole 64-byte block, nothing else (no buffering, no length count): for HMAC blocks
// whose padding the caller lays out itself (the key-derivation and outer-hash blocks of a fixed length).
static inline void devpay_sha256_block(SHA256_CTX *context, const void *block) {
    SHA256_Transform(context, (const unsigned char *)block);
}
static inline void devpay_sha1_block(SHA_CTX *context, const void *block) {
    SHA1_Transform(context, (const unsigned char *)block);
}
#pragma clang diagnostic pop

#endif
