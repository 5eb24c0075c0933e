/*
** hash.h: the digests CDK's algorithms use (MD5 for logical IDs, SHA-256 for asset
** hashes and request signing), as lowercase hex.
*/
#ifndef SFL_CORE_HASH_H
#define SFL_CORE_HASH_H

#include <stddef.h>

#define HASH_MD5_HEX 33
#define HASH_SHA256_HEX 65

/* out receives a NUL-terminated hex string; returns 0. */
int hash_md5_hex(const void *data, size_t len, char out[HASH_MD5_HEX]);
int hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX]);
/* The 32 raw bytes of SHA-256. */
void hash_sha256(const void *data, size_t len, unsigned char out[32]);

#endif
