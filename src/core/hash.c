/*
** hash.c: MD5 (RFC 1321) and SHA-256 (FIPS 180-4), written from the specifications.
**
** Why not libcrypto: its first digest call initialises OpenSSL's provider machinery,
** about 5 million instructions, which was two thirds of a whole `sfl synth` of a small
** app. These two functions hash short strings (logical IDs) and templates. Signing AWS
** requests (src/deploy) does use libcrypto, opened with dlopen() only when it signs.
** The test suite checks them against the specifications' own test vectors (RFC 1321,
** FIPS 180-4 examples).
*/
#include "core/hash.h"

#include <stdint.h>
#include <string.h>

void hash_to_hex(const unsigned char *raw, size_t n, char *out)
{
  static const char hex[] = "0123456789abcdef";
  for(size_t i = 0; i < n; i++) {
    out[2 * i] = hex[raw[i] >> 4];
    out[2 * i + 1] = hex[raw[i] & 15];
  }
  out[2 * n] = '\0';
}

static uint32_t rotl(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/*
** All these digests pad the same way: 0x80, zeros, then the bit length (little-endian for
** MD5, big-endian for the SHA family) in the last 8 bytes of a length field of bs / 8
** bytes, to a multiple of the block size bs (64, or 128 for SHA-384/512). `done` is how
** many bytes the state has already taken in whole blocks (HMAC's key block).
*/
static void feed(const void *data, size_t len, uint64_t done, int big_endian, size_t bs,
                 void *state, void (*block)(void *state, const uint8_t *b))
{
  const uint8_t *p = data;
  size_t rest = len;
  for(; rest >= bs; rest -= bs, p += bs)
    block(state, p);
  uint8_t tail[256] = {0};
  memcpy(tail, p, rest);
  tail[rest] = 0x80;
  size_t total = rest + 1 + bs / 8 <= bs ? bs : 2 * bs;
  uint64_t bits = ((uint64_t)len + done) * 8;
  for(int i = 0; i < 8; i++)
    tail[total - 8 + (big_endian ? 7 - i : i)] = (uint8_t)(bits >> (8 * i));
  block(state, tail);
  if(total == 2 * bs)
    block(state, tail + bs);
}

/* The state words, most significant byte first, as the digest's bytes. */
static void words_out(const uint32_t *h, size_t nbytes, uint8_t *out)
{
  for(size_t i = 0; i < nbytes; i++)
    out[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static uint32_t be32(const uint8_t *b)
{
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
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

void hash_md5(const void *data, size_t len, unsigned char out[16])
{
  uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  feed(data, len, 0, 0, 64, h, md5_block);
  for(int i = 0; i < 16; i++)
    out[i] = (uint8_t)(h[i / 4] >> (8 * (i % 4)));
}

int hash_md5_hex(const void *data, size_t len, char out[HASH_MD5_HEX])
{
  uint8_t raw[16];
  hash_md5(data, len, raw);
  hash_to_hex(raw, 16, out);
  return 0;
}

/* }============ */

/* {============ SHA-1 */

static void sha1_block(void *state, const uint8_t *b)
{
  uint32_t *h = state, w[80];
  for(int i = 0; i < 16; i++)
    w[i] = be32(b + 4 * i);
  for(int i = 16; i < 80; i++)
    w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = h[0], bb = h[1], c = h[2], d = h[3], e = h[4];
  for(int i = 0; i < 80; i++) {
    uint32_t f, k;
    if(i < 20)
      f = (bb & c) | (~bb & d), k = 0x5a827999;
    else if(i < 40)
      f = bb ^ c ^ d, k = 0x6ed9eba1;
    else if(i < 60)
      f = (bb & c) | (bb & d) | (c & d), k = 0x8f1bbcdc;
    else
      f = bb ^ c ^ d, k = 0xca62c1d6;
    uint32_t t = rotl(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotl(bb, 30);
    bb = a;
    a = t;
  }
  h[0] += a;
  h[1] += bb;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

void hash_sha1(const void *data, size_t len, unsigned char out[20])
{
  uint32_t h[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
  feed(data, len, 0, 1, 64, h, sha1_block);
  words_out(h, 20, out);
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
    w[i] = be32(b + 4 * i);
  for(int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  /* The eight working variables as scalars. A round changes only d (which becomes the
  ** next e) and h (the next a); the others shift one place, so eight rounds written out
  ** with the roles rotated need no copying at all. Ch and Maj in their three-operation
  ** forms. */
  uint32_t a = h[0], b2 = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
#define SHA256_ROUND(a, b, c, d, e, f, g, h, i) \
  do { \
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) \
                  + sha_k[i] + w[i]; \
    d += t1; \
    h = t1 + (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b))); \
  } while(0)
  for(int i = 0; i < 64; i += 8) {
    SHA256_ROUND(a, b2, c, d, e, f, g, hh, i);
    SHA256_ROUND(hh, a, b2, c, d, e, f, g, i + 1);
    SHA256_ROUND(g, hh, a, b2, c, d, e, f, i + 2);
    SHA256_ROUND(f, g, hh, a, b2, c, d, e, i + 3);
    SHA256_ROUND(e, f, g, hh, a, b2, c, d, i + 4);
    SHA256_ROUND(d, e, f, g, hh, a, b2, c, i + 5);
    SHA256_ROUND(c, d, e, f, g, hh, a, b2, i + 6);
    SHA256_ROUND(b2, c, d, e, f, g, hh, a, i + 7);
  }
#undef SHA256_ROUND
  h[0] += a;
  h[1] += b2;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

int hash_sha256_hex(const void *data, size_t len, char out[HASH_SHA256_HEX])
{
  uint8_t raw[32];
  hash_sha256(data, len, raw);
  hash_to_hex(raw, 32, out);
  return 0;
}

static const uint32_t sha256_h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

/* SHA-256 of block || data, where block is one 64-byte block (NULL: none). */
static void sha256_after(const uint8_t *block, const void *data, size_t len, uint8_t out[32])
{
  uint32_t h[8];
  memcpy(h, sha256_h0, sizeof h);
  if(block)
    sha256_block(h, block);
  feed(data, len, block ? 64 : 0, 1, 64, h, sha256_block);
  words_out(h, 32, out);
  hash_wipe(h, sizeof h);
}

void hash_sha256(const void *data, size_t len, unsigned char out[32])
{
  sha256_after(NULL, data, len, out);
}

void hash_sha256_init(struct hash_sha256 *c)
{
  _Static_assert(sizeof c->h[0] == sizeof(uint32_t), "unsigned int is 32 bits");
  memcpy(c->h, sha256_h0, sizeof c->h);
  c->n = 0;
  c->done = 0;
}

void hash_sha256_update(struct hash_sha256 *c, const void *data, size_t len)
{
  const uint8_t *p = data;
  while(len) {
    size_t take = 64 - c->n < len ? 64 - c->n : len;
    memcpy(c->buf + c->n, p, take);
    c->n += take;
    p += take;
    len -= take;
    if(c->n == 64) {
      sha256_block(c->h, c->buf);
      c->done += 64;
      c->n = 0;
    }
  }
}

void hash_sha256_final_hex(struct hash_sha256 *c, char out[HASH_SHA256_HEX])
{
  uint8_t raw[32];
  feed(c->buf, c->n, c->done, 1, 64, c->h, sha256_block);
  words_out(c->h, 32, raw);
  hash_to_hex(raw, 32, out);
}

void hash_wipe(void *p, size_t n)
{
  /* through a volatile pointer, so the compiler cannot drop stores to memory about to die */
  volatile unsigned char *v = p;
  while(n--)
    *v++ = 0;
}

/* }============ */

/* {============ SHA-384 and SHA-512 */

/* FIPS 180-4 4.2.3 and 5.3: cube and square roots of the first primes, fractional bits. */
static const uint64_t sha512_k[80] = {
  0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL, 0xb5c0fbcfec4d3b2fULL,
  0xe9b5dba58189dbbcULL, 0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
  0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL, 0xd807aa98a3030242ULL,
  0x12835b0145706fbeULL, 0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
  0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL, 0x9bdc06a725c71235ULL,
  0xc19bf174cf692694ULL, 0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
  0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL, 0x2de92c6f592b0275ULL,
  0x4a7484aa6ea6e483ULL, 0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
  0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL, 0xb00327c898fb213fULL,
  0xbf597fc7beef0ee4ULL, 0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
  0x06ca6351e003826fULL, 0x142929670a0e6e70ULL, 0x27b70a8546d22ffcULL,
  0x2e1b21385c26c926ULL, 0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
  0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL, 0x81c2c92e47edaee6ULL,
  0x92722c851482353bULL, 0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
  0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL, 0xd192e819d6ef5218ULL,
  0xd69906245565a910ULL, 0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
  0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL, 0x2748774cdf8eeb99ULL,
  0x34b0bcb5e19b48a8ULL, 0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
  0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL, 0x748f82ee5defb2fcULL,
  0x78a5636f43172f60ULL, 0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
  0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL, 0xbef9a3f7b2c67915ULL,
  0xc67178f2e372532bULL, 0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
  0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL, 0x06f067aa72176fbaULL,
  0x0a637dc5a2c898a6ULL, 0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
  0x28db77f523047d84ULL, 0x32caab7b40c72493ULL, 0x3c9ebe0a15c9bebcULL,
  0x431d67c49c100d4cULL, 0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
  0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL};

static const uint64_t sha512_h0[8] = {
  0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
  0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
  0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
  0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL};

static const uint64_t sha384_h0[8] = {
  0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL,
  0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
  0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
  0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL};

static uint64_t rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

static void sha512_block(void *state, const uint8_t *b)
{
  uint64_t *h = state, w[80], v[8];
  for(int i = 0; i < 16; i++)
    w[i] = (uint64_t)be32(b + 8 * i) << 32 | be32(b + 8 * i + 4);
  for(int i = 16; i < 80; i++) {
    uint64_t s0 = rotr64(w[i - 15], 1) ^ rotr64(w[i - 15], 8) ^ (w[i - 15] >> 7);
    uint64_t s1 = rotr64(w[i - 2], 19) ^ rotr64(w[i - 2], 61) ^ (w[i - 2] >> 6);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  memcpy(v, h, sizeof v);
  for(int i = 0; i < 80; i++) {
    uint64_t s1 = rotr64(v[4], 14) ^ rotr64(v[4], 18) ^ rotr64(v[4], 41);
    uint64_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
    uint64_t t1 = v[7] + s1 + ch + sha512_k[i] + w[i];
    uint64_t s0 = rotr64(v[0], 28) ^ rotr64(v[0], 34) ^ rotr64(v[0], 39);
    uint64_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
    memmove(v + 1, v, 7 * sizeof *v);
    v[4] += t1;
    v[0] = t1 + s0 + maj;
  }
  for(int i = 0; i < 8; i++)
    h[i] += v[i];
}

static void sha512_from(const uint64_t h0[8], const void *data, size_t len, uint8_t *out,
                        size_t nbytes)
{
  uint64_t h[8];
  memcpy(h, h0, sizeof h);
  feed(data, len, 0, 1, 128, h, sha512_block);
  for(size_t i = 0; i < nbytes; i++)
    out[i] = (uint8_t)(h[i / 8] >> (56 - 8 * (i % 8)));
}

void hash_sha384(const void *data, size_t len, unsigned char out[48])
{
  sha512_from(sha384_h0, data, len, out, 48);
}

void hash_sha512(const void *data, size_t len, unsigned char out[64])
{
  sha512_from(sha512_h0, data, len, out, 64);
}

/* }============ */
