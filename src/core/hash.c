/*
** hash.c: digests through libcrypto's EVP interface.
*/
#include "core/hash.h"

#include <openssl/evp.h>

static int digest_hex(const EVP_MD *md, const void *data, size_t len, char *out)
{
  static const char hex[] = "0123456789abcdef";
  unsigned char raw[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if(!EVP_Digest(data, len, raw, &n, md, NULL))
    return -1;
  for(unsigned int i = 0; i < n; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[2 * n] = '\0';
  return 0;
}

int hash_md5_hex(const void *data, size_t len, char out[HASH_MD5_HEX])
{
  return digest_hex(EVP_md5(), data, len, out);
}

int hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX])
{
  return digest_hex(EVP_sha256(), data, len, out);
}
