/*
** hash.h: the digests CDK's algorithms use (MD5 for logical IDs, SHA-256 for asset
** hashes and request signing, HMAC-SHA256 for SigV4, and the five digests
** of the States.Hash intrinsic), as lowercase hex.
*/
#ifndef SFL_CORE_HASH_H
#define SFL_CORE_HASH_H

#include <stddef.h>

#define HASH_MD5_HEX 33
#define HASH_SHA256_HEX 65

/* out receives a NUL-terminated hex string; returns 0. */
int hash_md5_hex(const void *data, size_t len, char out[HASH_MD5_HEX]);
int hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX]);
/* The raw digests (States.Hash offers all five). */
void hash_md5(const void *data, size_t len, unsigned char out[16]);
void hash_sha1(const void *data, size_t len, unsigned char out[20]);
void hash_sha256(const void *data, size_t len, unsigned char out[32]);
void hash_sha384(const void *data, size_t len, unsigned char out[48]);
void hash_sha512(const void *data, size_t len, unsigned char out[64]);
/* SHA-256 over data given in pieces (asset fingerprints hash whole folders). */
struct hash_sha256 {
  unsigned int h[8];
  unsigned char buf[64];
  size_t n;                 /* bytes waiting in buf */
  unsigned long long done;  /* bytes already taken in whole blocks */
};
void hash_sha256_init(struct hash_sha256 *c);
void hash_sha256_update(struct hash_sha256 *c, const void *data, size_t len);
/* The digest as lowercase hex; the context is spent. */
void hash_sha256_final_hex(struct hash_sha256 *c, char out[HASH_SHA256_HEX]);
/* n raw bytes as 2n lowercase hex digits and a NUL in out. */
void hash_to_hex(const unsigned char *raw, size_t n, char *out);
/* Zeroes n bytes in a way the compiler keeps (for secrets about to be freed). */
void hash_wipe(void *p, size_t n);

#endif
