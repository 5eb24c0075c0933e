/*
** crypto.h: the SHA-256 and HMAC-SHA256 that request signing uses, from OpenSSL's
** libcrypto. libcrypto is opened with dlopen() the first time something is signed, so a
** process that never signs (every `sfl synth`) does not pay for loading it.
*/
#ifndef SFL_DEPLOY_CRYPTO_H
#define SFL_DEPLOY_CRYPTO_H

#include <stddef.h>

#include "core/diag.h"

#define CRYPTO_SHA256_HEX 65

/* Opens libcrypto once for the process; a machine without it gets a message naming libssl3. */
enum sfl_status crypto_load(struct diag *d);
/* These need a successful crypto_load() first. */
void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX]);
/* The 32 raw bytes of HMAC-SHA256 of data under key. */
void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        unsigned char out[32]);

#endif
