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

#endif
