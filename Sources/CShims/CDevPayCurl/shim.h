// libcurl, with typed wrappers for its variadic calls: Swift cannot call C variadic functions, so every
// curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt use goes through one of these.
#ifndef CDEVPAY_CURL_SHIM_H
#define CDEVPAY_CURL_SHIM_H

// Debian puts libcurl's headers under the multiarch folder; `pkg-config --cflags libcurl` names it, but SwiftPM
// drops that flag as a system path and Swift's Clang importer does not search the multiarch folder itself.
#if __has_include(<curl/curl.h>)
#include <curl/curl.h>
#elif __has_include(<x86_64-linux-gnu/curl/curl.h>)
#include <x86_64-linux-gnu/curl/curl.h>
#elif __has_include(<aarch64-linux-gnu/curl/curl.h>)
#include <aarch64-linux-gnu/curl/curl.h>
#else
#error "libcurl headers not found: install libcurl4-openssl-dev (scripts/install-dependencies)"
#endif

// CURLVERSION_NOW is a macro Swift cannot import.
static inline curl_version_info_data *devpay_curl_version_info(void) {
    return curl_version_info(CURLVERSION_NOW);
}

static inline CURLcode devpay_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode devpay_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode devpay_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode devpay_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode devpay_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode devpay_curl_easy_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*devpay_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);
typedef int (*devpay_curl_progress_callback)(void *context, curl_off_t download_total, curl_off_t download_now,
                                             curl_off_t upload_total, curl_off_t upload_now);

static inline CURLcode devpay_curl_easy_setopt_data_callback(CURL *handle, CURLoption option,
                                                             devpay_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode devpay_curl_easy_setopt_progress_callback(CURL *handle, devpay_curl_progress_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
}

static inline CURLcode devpay_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode devpay_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode devpay_curl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode devpay_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

static inline CURLSHcode devpay_curl_share_setopt_long(CURLSH *share, CURLSHoption option, long value) {
    return curl_share_setopt(share, option, value);
}

// Macros Swift cannot import (composite expressions), as constants.
static const int devpay_curlpause_cont = CURLPAUSE_CONT;
static const long devpay_curlpipe_multiplex = CURLPIPE_MULTIPLEX;
static const size_t devpay_curl_writefunc_pause = CURL_WRITEFUNC_PAUSE;
static const size_t devpay_curl_readfunc_pause = CURL_READFUNC_PAUSE;
static const size_t devpay_curl_readfunc_abort = CURL_READFUNC_ABORT;

static inline CURLcode devpay_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLMcode devpay_curl_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) {
    return curl_multi_setopt(multi, option, value);
}

#endif
