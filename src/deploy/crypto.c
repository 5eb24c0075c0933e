/*
** crypto.c: SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto, opened with dlopen().
**
** Why dlopen: linking libcrypto made every `sfl synth` of seed01 run about 2.5 million
** more instructions (6.2M -> 8.7M under callgrind), its load-time set-up, although
** synthesis never signs. Synthesis keeps core/hash.c; only signing opens libcrypto, once.
** The one-shot SHA256() and HMAC() are used: neither is deprecated in OpenSSL 3.
*/
#include "deploy/crypto.h"

#include <stddef.h>
#include <string.h>

#include <openssl/evp.h>

#include "core/hash.h"
#include "core/dynlib.h"

static struct {
  unsigned char *(*sha256)(const unsigned char *d, size_t n, unsigned char *md);
  unsigned char *(*hmac)(const EVP_MD *md, const void *key, int keylen,
                         const unsigned char *d, size_t n, unsigned char *out,
                         unsigned int *outlen);
  const EVP_MD *(*evp_sha256)(void);
} api;

static const struct dynlib_symbol symbols[] = {
  DYNLIB_SYMBOL(api, "SHA256", sha256),
  DYNLIB_SYMBOL(api, "HMAC", hmac),
  DYNLIB_SYMBOL(api, "EVP_sha256", evp_sha256),
};

enum sfl_status crypto_load(struct diag *d)
{
  static int loaded;
  if(loaded)
    return SFL_OK;
  enum sfl_status st = dynlib_load(SFL_CRYPTO_SONAME, "signing AWS requests needs OpenSSL's "
                                   "libcrypto", "libssl3", symbols,
                                   sizeof symbols / sizeof *symbols, &api, d);
  loaded = st == SFL_OK;
  return st;
}

void crypto_sha256_hex(const void *data, size_t len, char out[CRYPTO_SHA256_HEX])
{
  unsigned char md[32];
  api.sha256(data, len, md);
  hash_to_hex(md, sizeof md, out);
}

void crypto_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
                        unsigned char out[32])
{
  unsigned int n = 32;
  api.hmac(api.evp_sha256(), key, (int)keylen, data, len, out, &n);
}
