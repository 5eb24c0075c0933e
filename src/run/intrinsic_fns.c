/*
** intrinsic_fns.c: the eighteen intrinsic functions of the States Language, each checking
** its arguments the way AWS documents them (integers rounded to the nearest one, at most
** 1000 items from ArrayRange, at most 10,000 characters for Base64 and Hash, shallow merges
** only) and raising States.IntrinsicFailure otherwise. Digests come from core/hash.c;
** random numbers from the run's own generator (or one seeded by MathRandom's third argument).
*/
#include "run/intrinsic.h"
#include "core/hash.h"
#include "core/json.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANGE 1000
#define MAX_TEXT 10000

static int bad(const struct icall *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(const struct icall *c, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return run_fail_set(c->env->fail, "States.IntrinsicFailure", "%s: %s", c->name, msg);
}

/* 0 or -1 for a new value: NULL means out of memory. */
static int give(cJSON **out, cJSON *v)
{
  *out = v;
  return v ? 0 : -1;
}

static const char *ordinal(size_t i)
{
  static const char *const names[] = {"first", "second", "third"};
  return i < 3 ? names[i] : "an";
}

static int want_array(const struct icall *c, size_t i)
{
  if(cJSON_IsArray(c->v[i]))
    return 0;
  return bad(c, "the %s argument must be an array", ordinal(i));
}

static int want_string(const struct icall *c, size_t i, size_t max)
{
  if(!cJSON_IsString(c->v[i]))
    return bad(c, "the %s argument must be a string", ordinal(i));
  if(max && strlen(c->v[i]->valuestring) > max)
    return bad(c, "the %s argument is longer than %zu characters", ordinal(i), max);
  return 0;
}

/* AWS rounds non-integers to the nearest integer (half away from zero, as Java does). */
static int want_int(const struct icall *c, size_t i, double lo, double hi, double *out)
{
  if(!cJSON_IsNumber(c->v[i]))
    return bad(c, "the %s argument must be a number", ordinal(i));
  double d = c->v[i]->valuedouble;
  d = d < 0 ? -floor(-d + 0.5) : floor(d + 0.5);
  if(d < lo || d > hi)
    return bad(c, "the %s argument must be an integer from %.0f to %.0f", ordinal(i), lo, hi);
  *out = d;
  return 0;
}

/* {============ generic and JSON */

static void format_value(struct strbuf *b, const cJSON *v)
{
  if(cJSON_IsString(v))
    strbuf_puts(b, v->valuestring);
  else
    json_write(b, v, 0);
}

/* A literal template keeps its escapes (\{ is a brace, not a placeholder); a template
   from a path is plain text in which every {} is a placeholder. */
static int fn_format(const struct icall *c, cJSON **out)
{
  if(!cJSON_IsString(c->v[0]))
    return bad(c, "the first argument must be a string");
  const char *t = c->format ? c->format : c->v[0]->valuestring;
  struct strbuf b = {0};
  size_t next = 1;
  for(; *t; t++) {
    if(c->format && t[0] == '\\' && t[1]) {
      strbuf_putc(&b, *++t);
      continue;
    }
    if(t[0] == '{' && t[1] == '}') {
      if(next < c->n)
        format_value(&b, c->v[next]);
      next++;
      t++;
      continue;
    }
    strbuf_putc(&b, *t);
  }
  if(next != c->n) {
    strbuf_free(&b);
    return bad(c, "the template has %zu {} placeholders for %zu values", next - 1, c->n - 1);
  }
  char *s = strbuf_take(&b);
  cJSON *v = s ? cJSON_CreateString(s) : NULL;
  free(s);
  return give(out, v);
}

static int fn_string_to_json(const struct icall *c, cJSON **out)
{
  if(want_string(c, 0, 0))
    return 1;
  const char *end = NULL;
  cJSON *v = cJSON_ParseWithOpts(c->v[0]->valuestring, &end, 1);
  if(!v)
    return bad(c, "the argument is not JSON text");
  return give(out, v);
}

static int fn_json_to_string(const struct icall *c, cJSON **out)
{
  char *s = json_to_text(c->v[0], 0);
  cJSON *v = s ? cJSON_CreateString(s) : NULL;
  free(s);
  return give(out, v);
}

static int fn_json_merge(const struct icall *c, cJSON **out)
{
  if(!cJSON_IsObject(c->v[0]) || !cJSON_IsObject(c->v[1]))
    return bad(c, "the first two arguments must be objects");
  if(!cJSON_IsBool(c->v[2]))
    return bad(c, "the third argument must be a boolean");
  if(cJSON_IsTrue(c->v[2]))
    return bad(c, "only shallow merging is supported: the third argument must be false");
  cJSON *m = cJSON_Duplicate(c->v[0], 1);
  for(const cJSON *k = c->v[1]->child; m && k; k = k->next) {
    cJSON *copy = cJSON_Duplicate(k, 1);
    cJSON *old = cJSON_GetObjectItemCaseSensitive(m, k->string);
    int ok = copy && (old ? cJSON_ReplaceItemInObjectCaseSensitive(m, k->string, copy)
                          : cJSON_AddItemToObject(m, k->string, copy));
    if(!ok) {
      cJSON_Delete(copy);
      cJSON_Delete(m);
      m = NULL;
    }
  }
  return give(out, m);
}

static int fn_uuid(const struct icall *c, cJSON **out)
{
  char id[37];
  run_rng_uuid(c->env->rng, id);
  return give(out, cJSON_CreateString(id));
}

/* }============ */

/* {============ arrays */

static int fn_array(const struct icall *c, cJSON **out)
{
  cJSON *a = cJSON_CreateArray();
  for(size_t i = 0; a && i < c->n; i++)
    if(!json_push(a, cJSON_Duplicate(c->v[i], 1))) {
      cJSON_Delete(a);
      a = NULL;
    }
  return give(out, a);
}

static int fn_array_partition(const struct icall *c, cJSON **out)
{
  double size = 0;
  if(want_array(c, 0) || want_int(c, 1, 1, 2147483647.0, &size))
    return 1;
  cJSON *a = cJSON_CreateArray(), *chunk = NULL;
  long k = 0;
  if(!a)
    return -1;
  for(const cJSON *i = c->v[0]->child; i; i = i->next, k++) {
    if(k % (long)size == 0 && !(chunk = json_push(a, cJSON_CreateArray())))
      goto nomem;
    if(!json_push(chunk, cJSON_Duplicate(i, 1)))
      goto nomem;
  }
  *out = a;
  return 0;
nomem:
  cJSON_Delete(a);
  return -1;
}

static int fn_array_contains(const struct icall *c, cJSON **out)
{
  if(want_array(c, 0))
    return 1;
  int found = 0;
  for(const cJSON *i = c->v[0]->child; i && !found; i = i->next)
    found = cJSON_Compare(i, c->v[1], 1);
  return give(out, cJSON_CreateBool(found));
}

static int fn_array_range(const struct icall *c, cJSON **out)
{
  double lo = 0, hi = 0, step = 0;
  const double big = 2147483647.0;
  if(want_int(c, 0, -big - 1, big, &lo) || want_int(c, 1, -big - 1, big, &hi) ||
     want_int(c, 2, -big - 1, big, &step))
    return 1;
  if(step == 0)
    return bad(c, "the step (third argument) must not be 0");
  double count = (hi - lo) / step < 0 ? 0 : floor((hi - lo) / step) + 1;
  if(count > MAX_RANGE)
    return bad(c, "the range would have %.0f items; at most %d are allowed", count, MAX_RANGE);
  cJSON *a = cJSON_CreateArray();
  for(double i = 0; a && i < count; i++)
    if(!json_push(a, cJSON_CreateNumber(lo + i * step))) {
      cJSON_Delete(a);
      a = NULL;
    }
  return give(out, a);
}

static int fn_array_get_item(const struct icall *c, cJSON **out)
{
  double i = 0;
  if(want_array(c, 0) || want_int(c, 1, 0, 2147483647.0, &i))
    return 1;
  const cJSON *item = cJSON_GetArrayItem(c->v[0], (int)i);
  if(!item)
    return bad(c, "index %.0f is out of bounds for an array of %d items", i,
               cJSON_GetArraySize(c->v[0]));
  return give(out, cJSON_Duplicate(item, 1));
}

static int fn_array_length(const struct icall *c, cJSON **out)
{
  if(want_array(c, 0))
    return 1;
  return give(out, cJSON_CreateNumber(cJSON_GetArraySize(c->v[0])));
}

static int fn_array_unique(const struct icall *c, cJSON **out)
{
  if(want_array(c, 0))
    return 1;
  cJSON *a = cJSON_CreateArray();
  for(const cJSON *i = c->v[0]->child; a && i; i = i->next) {
    int seen = 0;
    for(const cJSON *j = a->child; j && !seen; j = j->next)
      seen = cJSON_Compare(i, j, 1);
    if(!seen && !json_push(a, cJSON_Duplicate(i, 1))) {
      cJSON_Delete(a);
      a = NULL;
    }
  }
  return give(out, a);
}

/* }============ */

/* {============ encoding, hashing, math, strings */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int fn_base64_encode(const struct icall *c, cJSON **out)
{
  if(want_string(c, 0, MAX_TEXT))
    return 1;
  const unsigned char *s = (const unsigned char *)c->v[0]->valuestring;
  size_t n = strlen((const char *)s), k = 0;
  char *e = malloc(4 * ((n + 2) / 3) + 1);
  if(!e)
    return -1;
  for(size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                 (i + 2 < n ? s[i + 2] : 0);
    e[k++] = b64[v >> 18 & 63];
    e[k++] = b64[v >> 12 & 63];
    e[k++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
    e[k++] = i + 2 < n ? b64[v & 63] : '=';
  }
  e[k] = '\0';
  cJSON *v = cJSON_CreateString(e);
  free(e);
  return give(out, v);
}

static int fn_base64_decode(const struct icall *c, cJSON **out)
{
  if(want_string(c, 0, MAX_TEXT))
    return 1;
  const char *s = c->v[0]->valuestring;
  size_t n = strlen(s), k = 0;
  if(n % 4)
    return bad(c, "the argument is not Base64 text (its length is not a multiple of 4)");
  char *d = malloc(n / 4 * 3 + 1);
  if(!d)
    return -1;
  for(size_t i = 0; i < n; i += 4) {
    unsigned v = 0;
    int pad = 0;
    for(int j = 0; j < 4; j++) {
      char ch = s[i + j];
      const char *p = strchr(b64, ch);
      /* '=' only ends the last group: "xx==" or "xxx=" */
      if(ch == '=' && i + 4 == n && (j == 3 || (j == 2 && s[i + 3] == '=')))
        pad++;
      else if(ch == '=' || !p || pad) {
        free(d);
        return bad(c, "the argument is not Base64 text");
      }
      v = v << 6 | (p && ch != '=' ? (unsigned)(p - b64) : 0);
    }
    d[k++] = (char)(v >> 16);
    if(pad < 2)
      d[k++] = (char)(v >> 8 & 255);
    if(pad < 1)
      d[k++] = (char)(v & 255);
  }
  d[k] = '\0';
  if(strlen(d) != k) {
    free(d);
    return bad(c, "the decoded data contains a NUL byte, which a string cannot hold");
  }
  cJSON *v = cJSON_CreateString(d);
  free(d);
  return give(out, v);
}

static int fn_hash(const struct icall *c, cJSON **out)
{
  static const struct {
    const char *name;
    void (*digest)(const void *data, size_t len, unsigned char *out);
    size_t len;
  } algs[] = {
    {"MD5", hash_md5, 16}, {"SHA-1", hash_sha1, 20}, {"SHA-256", hash_sha256, 32},
    {"SHA-384", hash_sha384, 48}, {"SHA-512", hash_sha512, 64}
  };
  if(want_string(c, 0, MAX_TEXT) || want_string(c, 1, 0))
    return 1;
  size_t a = 0, n = sizeof algs / sizeof algs[0];
  while(a < n && strcmp(c->v[1]->valuestring, algs[a].name))
    a++;
  if(a == n)
    return bad(c, "unknown algorithm '%s' (use MD5, SHA-1, SHA-256, SHA-384 or SHA-512)",
               c->v[1]->valuestring);
  unsigned char digest[64];
  char hex[2 * sizeof digest + 1];
  const char *data = c->v[0]->valuestring;
  algs[a].digest(data, strlen(data), digest);
  hash_to_hex(digest, algs[a].len, hex);
  return give(out, cJSON_CreateString(hex));
}

static int fn_math_random(const struct icall *c, cJSON **out)
{
  double lo = 0, hi = 0, seed = 0;
  const double big = 9007199254740991.0;
  if(want_int(c, 0, -big, big, &lo) || want_int(c, 1, -big, big, &hi) ||
     (c->n > 2 && want_int(c, 2, -big, big, &seed)))
    return 1;
  if(hi <= lo)
    return bad(c, "the start (%.0f) must be less than the end (%.0f)", lo, hi);
  uint64_t state = (uint64_t)(long long)seed, *rng = c->n > 2 ? &state : c->env->rng;
  double r = floor(run_rng_unit(rng) * (hi - lo));
  return give(out, cJSON_CreateNumber(lo + r));
}

static int fn_math_add(const struct icall *c, cJSON **out)
{
  double a = 0, b = 0;
  if(want_int(c, 0, -2147483648.0, 2147483647.0, &a) ||
     want_int(c, 1, -2147483648.0, 2147483647.0, &b))
    return 1;
  return give(out, cJSON_CreateNumber(a + b));
}

/* Every character of the second argument separates; empty pieces are dropped. */
static int fn_string_split(const struct icall *c, cJSON **out)
{
  if(want_string(c, 0, 0) || want_string(c, 1, 0))
    return 1;
  const char *s = c->v[0]->valuestring, *delims = c->v[1]->valuestring;
  cJSON *a = cJSON_CreateArray();
  while(a && *s) {
    size_t n = *delims ? strcspn(s, delims) : strlen(s);
    if(n) {
      char *piece = strndup(s, n);
      cJSON *v = piece ? cJSON_CreateString(piece) : NULL;
      free(piece);
      if(!json_push(a, v)) {
        cJSON_Delete(a);
        a = NULL;
      }
    }
    s += n + (s[n] ? 1 : 0);
  }
  return give(out, a);
}

/* }============ */

const struct intr_def intr_defs[] = {
  {"States.Format", 1, -1, fn_format},
  {"States.StringToJson", 1, 1, fn_string_to_json},
  {"States.JsonToString", 1, 1, fn_json_to_string},
  {"States.Array", 0, -1, fn_array},
  {"States.ArrayPartition", 2, 2, fn_array_partition},
  {"States.ArrayContains", 2, 2, fn_array_contains},
  {"States.ArrayRange", 3, 3, fn_array_range},
  {"States.ArrayGetItem", 2, 2, fn_array_get_item},
  {"States.ArrayLength", 1, 1, fn_array_length},
  {"States.ArrayUnique", 1, 1, fn_array_unique},
  {"States.Base64Encode", 1, 1, fn_base64_encode},
  {"States.Base64Decode", 1, 1, fn_base64_decode},
  {"States.Hash", 2, 2, fn_hash},
  {"States.JsonMerge", 3, 3, fn_json_merge},
  {"States.MathRandom", 2, 3, fn_math_random},
  {"States.MathAdd", 2, 2, fn_math_add},
  {"States.StringSplit", 2, 2, fn_string_split},
  {"States.UUID", 0, 0, fn_uuid},
  {NULL, 0, 0, NULL}
};
