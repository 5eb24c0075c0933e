/*
** test_crypto.c: deploy/crypto.c (libcrypto opened with dlopen) gives the SHA-256 of
** FIPS 180-2's examples and the HMAC-SHA256 of RFC 4231 section 4.
*/
#include <string.h>

#include "check.h"
#include "core/hash.h"
#include "deploy/crypto.h"

/* RFC 4231 test cases 1, 2, 4 (key and data of repeated bytes), 6 and 7 (keys longer than
** a block, hashed first); case 5 is a truncated output and has no place here. */
static void hmac_suite(void)
{
  unsigned char key[131], data[50], mac[32];
  char out[HASH_SHA256_HEX];
  memset(key, 0x0b, 20);
  crypto_hmac_sha256(key, 20, "Hi There", 8, mac);
  hash_to_hex(mac, 32, out);
  CHECK_STR(out, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  crypto_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, mac);
  hash_to_hex(mac, 32, out);
  CHECK_STR(out, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  for(int i = 0; i < 25; i++)
    key[i] = (unsigned char)(i + 1);
  memset(data, 0xcd, sizeof data);
  crypto_hmac_sha256(key, 25, data, sizeof data, mac);
  hash_to_hex(mac, 32, out);
  CHECK_STR(out, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  memset(key, 0xaa, sizeof key);
  const char *six = "Test Using Larger Than Block-Size Key - Hash Key First";
  crypto_hmac_sha256(key, sizeof key, six, strlen(six), mac);
  hash_to_hex(mac, 32, out);
  CHECK_STR(out, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  const char *seven = "This is a test using a larger than block-size key and a larger than "
                      "block-size data. The key needs to be hashed before being used by the "
                      "HMAC algorithm.";
  crypto_hmac_sha256(key, sizeof key, seven, strlen(seven), mac);
  hash_to_hex(mac, 32, out);
  CHECK_STR(out, "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

int main(void)
{
  struct diag d = {0};
  CHECK(crypto_load(&d) == SFL_OK);
  CHECK(crypto_load(&d) == SFL_OK);   /* once per process; a second call is free */
  char out[CRYPTO_SHA256_HEX];
  crypto_sha256_hex("abc", 3, out);
  CHECK_STR(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  crypto_sha256_hex("", 0, out);
  CHECK_STR(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  hmac_suite();
  return check_done("test_crypto");
}
