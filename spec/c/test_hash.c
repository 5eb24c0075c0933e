/*
** test_hash.c: MD5 and SHA-256 against the test suites of their specifications
** (RFC 1321 section A.5; FIPS 180-2 appendix B / NIST examples). HMAC-SHA256 is
** libcrypto's (spec/c/test_crypto.c).
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

/* SHA-1 and SHA-384/512 (FIPS 180-4): the NIST example messages, then n times 'a' at the
** padding edges of 64- and 128-byte blocks and for a million (B.3). Digests from Python's
** hashlib, an implementation independent of ours. */
static const struct {
  void (*fn)(const void *, size_t, unsigned char *);
  const char *in;       /* NULL: n times 'a' */
  size_t n;
  size_t len;
  const char *hex;
} sha_family[] = {
  {hash_sha1, "", (size_t)-1, 20,
   "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
  {hash_sha1, "abc", (size_t)-1, 20,
   "a9993e364706816aba3e25717850c26c9cd0d89d"},
  {hash_sha1, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", (size_t)-1, 20,
   "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
  {hash_sha1, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", (size_t)-1, 20,
   "a49b2446a02c645bf419f995b67091253a04a259"},
  {hash_sha1, NULL, 111, 20,
   "ac877859d427d9192054eea8feb3b8a403ef83a5"},
  {hash_sha1, NULL, 112, 20,
   "689993727ba37386bb032495e9dbdfb4dd1ba744"},
  {hash_sha1, NULL, 128, 20,
   "ad5b3fdbcb526778c2839d2f151ea753995e26a0"},
  {hash_sha1, NULL, 1000000, 20,
   "34aa973cd4c4daa4f61eeb2bdbad27316534016f"},
  {hash_sha384, "", (size_t)-1, 48,
   "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"},
  {hash_sha384, "abc", (size_t)-1, 48,
   "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
  {hash_sha384, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", (size_t)-1, 48,
   "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b"},
  {hash_sha384, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", (size_t)-1, 48,
   "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
  {hash_sha384, NULL, 111, 48,
   "3c37955051cb5c3026f94d551d5b5e2ac38d572ae4e07172085fed81f8466b8f90dc23a8ffcdea0b8d8e58e8fdacc80a"},
  {hash_sha384, NULL, 112, 48,
   "187d4e07cb306103c69967bf544d0dfbe9042577599c73c330abc0cb64c61236d5ed565ee19119d8c31779a38f791fcd"},
  {hash_sha384, NULL, 128, 48,
   "edb12730a366098b3b2beac75a3bef1b0969b15c48e2163c23d96994f8d1bef760c7e27f3c464d3829f56c0d53808b0b"},
  {hash_sha384, NULL, 1000000, 48,
   "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"},
  {hash_sha512, "", (size_t)-1, 64,
   "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
  {hash_sha512, "abc", (size_t)-1, 64,
   "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
  {hash_sha512, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", (size_t)-1, 64,
   "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"},
  {hash_sha512, "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu", (size_t)-1, 64,
   "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
  {hash_sha512, NULL, 111, 64,
   "fa9121c7b32b9e01733d034cfc78cbf67f926c7ed83e82200ef86818196921760b4beff48404df811b953828274461673c68d04e297b0eb7b2b4d60fc6b566a2"},
  {hash_sha512, NULL, 112, 64,
   "c01d080efd492776a1c43bd23dd99d0a2e626d481e16782e75d54c2503b5dc32bd05f0f1ba33e568b88fd2d970929b719ecbb152f58f130a407c8830604b70ca"},
  {hash_sha512, NULL, 128, 64,
   "b73d1929aa615934e61a871596b3f3b33359f42b8175602e89f7e06e5f658a243667807ed300314b95cacdd579f3e33abdfbe351909519a846d465c59582f321"},
  {hash_sha512, NULL, 1000000, 64,
   "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
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
  for(size_t i = 0; i < sizeof sha_family / sizeof *sha_family; i++) {
    unsigned char raw[64];
    char hex[129];
    const char *in = sha_family[i].in ? sha_family[i].in : million;
    size_t n = sha_family[i].in ? strlen(in) : sha_family[i].n;
    sha_family[i].fn(in, n, raw);
    hash_to_hex(raw, sha_family[i].len, hex);
    CHECK_STR(hex, sha_family[i].hex);
  }
  free(million);
  return check_done("test_hash");
}
