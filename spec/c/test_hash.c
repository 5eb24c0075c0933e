/*
** test_hash.c: MD5 and SHA-256 against the test suites of their specifications
** (RFC 1321 section A.5; FIPS 180-2 appendix B / NIST examples).
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/hash.h"

static const struct { const char *in, *md5; } md5_suite[] = {
  {"", "d41d8cd98f00b204e9800998ecf8427e"},
  {"a", "0cc175b9c0f1b6a831c399e269772661"},
  {"abc", "900150983cd24fb0d6963f7d28e17f72"},
  {"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
  {"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
  {"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
   "d174ab98d277d9f5a5611c2c9f419d9f"},
  {"12345678901234567890123456789012345678901234567890123456789012345678901234567890",
   "57edf4a22be3c955ac49da2e2107b67a"},
};

static const struct { const char *in, *sha; } sha_suite[] = {
  {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
  {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
  {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
   "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
   "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

int main(void)
{
  char out[HASH_SHA256_HEX];
  for(size_t i = 0; i < sizeof md5_suite / sizeof *md5_suite; i++) {
    hash_md5_hex(md5_suite[i].in, strlen(md5_suite[i].in), out);
    CHECK_STR(out, md5_suite[i].md5);
  }
  for(size_t i = 0; i < sizeof sha_suite / sizeof *sha_suite; i++) {
    hash_sha256_hex(sha_suite[i].in, strlen(sha_suite[i].in), out);
    CHECK_STR(out, sha_suite[i].sha);
  }
  /* One million 'a' (FIPS 180-2 B.3), and lengths around the 55/56/64-byte padding edges. */
  char *million = malloc(1000000);
  memset(million, 'a', 1000000);
  hash_sha256_hex(million, 1000000, out);
  CHECK_STR(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  hash_sha256_hex(million, 55, out);
  CHECK_STR(out, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  hash_sha256_hex(million, 56, out);
  CHECK_STR(out, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  hash_sha256_hex(million, 64, out);
  CHECK_STR(out, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  hash_md5_hex(million, 56, out);
  CHECK_STR(out, "3b0c8ac703f828b04c6c197006d17218");
  free(million);
  return check_done("test_hash");
}
