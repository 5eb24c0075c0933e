/*
** hash.c: MD5 (RFC 1321) and SHA-256 (FIPS 180-4), written from the specifications.
**
** Why not libcrypto: its first digest call initialises OpenSSL's provider machinery,
** about 5 million instructions, which was two thirds of a whole `sfl synth` of a small
** app. These two functions hash short strings (logical IDs) and templates; the test
** suite checks them against the specifications' own test vectors.
*/
#include "core/hash.h"

#include <stdint.h>
#include <string.h>

static const char hex[] = "0123456789abcdef";

static void to_hex(const uint8_t *raw, size_t n, char *out)
{
  for(size_t i = 0; i < n; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[2 * n] = '\0';
}

static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/*
** Both digests pad the same way: 0x80, zeros, then the bit length in 8 bytes
** (little-endian for MD5, big-endian for SHA-256), to a multiple of 64 bytes.
*/
static void feed(const void *data, size_t len, int big_endian, void *state,
                 void (*block)(void *state, const uint8_t *b))
{
  const uint8_t *p = data;
  size_t rest = len;
  for(; rest >= 64; rest -= 64, p += 64)
    block(state, p);
  uint8_t tail[128] = {0};
  memcpy(tail, p, rest);
  tail[rest] = 0x80;
  size_t total = rest + 9 <= 64 ? 64 : 128;
  uint64_t bits = (uint64_t)len * 8;
  for(int i = 0; i < 8; i++)
    tail[total - 8 + (big_endian ? 7 - i : i)] = (uint8_t)(bits >> (8 * i));
  block(state, tail);
  if(total == 128)
    block(state, tail + 64);
}

/* {============ MD5 */

static const uint32_t md5_k[64] = {
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
  0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
  0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
  0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
  0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
  0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
  0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
  0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
  0xeb86d391};

static const int md5_r[64] = {
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20,
  5, 9, 14, 20, 5, 9, 14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};

static void md5_block(void *state, const uint8_t *b)
{
  uint32_t *h = state, m[16];
  for(int i = 0; i < 16; i++)
    m[i] = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 | (uint32_t)b[4 * i + 2] << 16
           | (uint32_t)b[4 * i + 3] << 24;
  uint32_t a = h[0], bb = h[1], c = h[2], d = h[3];
  for(int i = 0; i < 64; i++) {
    uint32_t f;
    int g;
    if(i < 16) {
      f = (bb & c) | (~bb & d);
      g = i;
    }
    else if(i < 32) {
      f = (d & bb) | (~d & c);
      g = (5 * i + 1) % 16;
    }
    else if(i < 48) {
      f = bb ^ c ^ d;
      g = (3 * i + 5) % 16;
    }
    else {
      f = c ^ (bb | ~d);
      g = (7 * i) % 16;
    }
    uint32_t tmp = d;
    d = c;
    c = bb;
    bb = bb + rotl(a + f + md5_k[i] + m[g], md5_r[i]);
    a = tmp;
  }
  h[0] += a;
  h[1] += bb;
  h[2] += c;
  h[3] += d;
}

int hash_md5_hex(const void *data, size_t len, char out[HASH_MD5_HEX])
{
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  feed(data, len, 0, h, md5_block);
  uint8_t raw[16];
  for(int i = 0; i < 16; i++)
    raw[i] = (uint8_t)(h[i / 4] >> (8 * (i % 4)));
  to_hex(raw, 16, out);
  return 0;
}

/* }============ */

/* {============ SHA-256 */

static const uint32_t sha_k[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
  0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
  0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
  0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
  0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
  0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
  0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
  0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2};

static void sha256_block(void *state, const uint8_t *b)
{
  uint32_t *h = state, w[64];
  for(int i = 0; i < 16; i++)
    w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16
           | (uint32_t)b[4 * i + 2] << 8 | (uint32_t)b[4 * i + 3];
  for(int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t v[8];
  memcpy(v, h, sizeof v);
  for(int i = 0; i < 64; i++) {
    uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
    uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
    uint32_t t1 = v[7] + s1 + ch + sha_k[i] + w[i];
    uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
    uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
    uint32_t t2 = s0 + maj;
    memmove(v + 1, v, 7 * sizeof *v);
    v[4] += t1;
    v[0] = t1 + t2;
  }
  for(int i = 0; i < 8; i++)
    h[i] += v[i];
}

int hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX])
{
  uint8_t raw[32];
  hash_sha256(data, len, raw);
  to_hex(raw, 32, out);
  return 0;
}

void hash_sha256(const void *data, size_t len, unsigned char out[32])
{
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c,
                   0x1f83d9ab, 0x5be0cd19};
  feed(data, len, 1, h, sha256_block);
  for(int i = 0; i < 32; i++)
    out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

/* }============ */
