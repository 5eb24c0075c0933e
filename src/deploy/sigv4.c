/*
** sigv4.c: the SigV4 steps that follow the canonical forms of sigv4_canon.c: deciding which
** headers (or presigned-URL parameters) the signer adds, assembling the canonical request,
** the string to sign, the HMAC-SHA256 key chain and the Authorization value. Digests and
** HMAC come from OpenSSL's libcrypto through deploy/crypto.c; the only place the secret key is read is signing_key(),
** which wipes its copies with hash_wipe(). Error messages name fields,
** never their values, so a diag can be shown or logged without leaking a credential.
*/
#include "deploy/sigv4.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hash.h"
#include "core/strbuf.h"
#include "deploy/crypto.h"
#include "deploy/sigv4_canon.h"

static const struct sfl_loc noloc;

/* What the signer adds to the request, worked out once for every step. */
struct plan {
  char payload_hash[SIGV4_HEX];       /* the hash the canonical request ends with */
  char scope[128];                    /* 20150830/us-east-1/service/aws4_request */
  struct sigv4_header add[3];         /* header form: added headers, in output order */
  size_t nadd;
  struct sigv4_header sign[3];        /* those of add[] that are signed */
  size_t nsign;
};

/* ======================================================================
** Checking the request
** ====================================================================== */

static int all_chars(const char *s, const char *extra)
{
  if(!s || !*s)
    return 0;
  for(; *s; s++) {
    unsigned char c = (unsigned char)*s;
    int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             (c && strchr(extra, c));
    if(!ok)
      return 0;
  }
  return 1;
}

static int is_timestamp(const char *t)
{
  static const char shape[] = "dddddddd" "T" "dddddd" "Z";
  if(!t || strlen(t) != sizeof shape - 1)
    return 0;
  for(size_t i = 0; shape[i]; i++) {
    if(shape[i] == 'd' ? (t[i] < '0' || t[i] > '9') : t[i] != shape[i])
      return 0;
  }
  return 1;
}

static enum sfl_status bad(struct diag *d, const char *what)
{
  return diag_set(d, SFL_ERR_INVALID, noloc, "SigV4: %s", what);
}

/* The scope fields and credentials, which sigv4_string_to_sign and sigv4_signature need. */
static enum sfl_status check_scope(const struct sigv4_request *r, struct diag *d)
{
  if(!is_timestamp(r->timestamp))
    return bad(d, "the timestamp must look like 20150830T123600Z");
  if(!all_chars(r->region, "-_."))
    return bad(d, "the region must be letters, digits, '-', '_' or '.'");
  if(!all_chars(r->service, "-_."))
    return bad(d, "the service must be letters, digits, '-', '_' or '.'");
  return SFL_OK;
}

static enum sfl_status check_request(const struct sigv4_request *r, struct diag *d)
{
  enum sfl_status st = check_scope(r, d);
  if(st)
    return st;
  if(!all_chars(r->method, "-_.!#$%&'*+^`|~"))
    return bad(d, "the method must be an HTTP token such as GET");
  if(!all_chars(r->access_key_id, ""))
    return bad(d, "the access key id must be letters and digits");
  if(!r->secret_key)
    return bad(d, "no secret key");
  if(r->session_token && (!*r->session_token || strpbrk(r->session_token, "\r\n")))
    return bad(d, "the session token is empty or has a line break");
  if(r->payload_len && !r->payload)
    return bad(d, "payload_len is set but payload is NULL");
  if(r->payload_hash && (!*r->payload_hash || strpbrk(r->payload_hash, " \t\r\n")))
    return bad(d, "the payload hash is empty or has blanks");
  if(r->nheaders && !r->headers)
    return bad(d, "nheaders is set but headers is NULL");
  for(size_t i = 0; i < r->nheaders; i++)
    if(!r->headers[i].name || !r->headers[i].value)
      return bad(d, "a request header has no name or no value");
  if(!sigv4_find_header(r->headers, r->nheaders, "host"))
    return bad(d, "the request has no Host header, which SigV4 must sign");
  if((r->flags & SIGV4_PRESIGN) && (r->expires < 1 || r->expires > SIGV4_MAX_EXPIRES))
    return bad(d, "a presigned URL expires after 1 to 604800 seconds");
  return SFL_OK;
}

/* ======================================================================
** The plan: headers the signer adds
** ====================================================================== */

static void make_scope(const struct sigv4_request *r, char scope[128])
{
  struct strbuf b = {0};
  strbuf_printf(&b, "%.8s/%s/%s/aws4_request", r->timestamp, r->region, r->service);
  scope[0] = '\0';
  if(!b.failed && b.len < 128)
    memcpy(scope, b.buf, b.len + 1);
  strbuf_free(&b);
}

/*
** Adds header `name` with `value` unless the request has it already; then its value must
** be the same, or the server would check a signature made for another value. The output
** order (token, date, content hash) and spellings are those of the AWS CRT signer, which
** the current test suite's signed requests show.
*/
static enum sfl_status plan_header(const struct sigv4_request *r, struct plan *p,
                                   const char *name, const char *value, int is_signed,
                                   struct diag *d)
{
  const struct sigv4_header *have = sigv4_find_header(r->headers, r->nheaders, name);
  if(have) {
    if(!sigv4_value_is(have->value, value))
      return diag_set(d, SFL_ERR_INVALID, noloc,
                      "SigV4: the request's %s header differs from the one being signed",
                      name);
    return SFL_OK;
  }
  p->add[p->nadd].name = name;
  p->add[p->nadd++].value = value;
  if(is_signed) {
    p->sign[p->nsign].name = name;
    p->sign[p->nsign++].value = value;
  }
  return SFL_OK;
}

static enum sfl_status make_plan(const struct sigv4_request *r, struct plan *p,
                                 struct diag *d)
{
  memset(p, 0, sizeof *p);
  make_scope(r, p->scope);
  if(!p->scope[0])
    return bad(d, "the region or service name is too long");
  if(r->payload_hash) {
    if(strlen(r->payload_hash) >= sizeof p->payload_hash)
      return bad(d, "the payload hash is longer than 64 characters");
    strcpy(p->payload_hash, r->payload_hash);
  }
  else {
    enum sfl_status st = crypto_load(d);
    if(st)
      return st;
    crypto_sha256_hex(r->payload ? r->payload : "", r->payload_len, p->payload_hash);
  }
  if(r->flags & SIGV4_PRESIGN)
    return SFL_OK;  /* the X-Amz-* parameters go in the query instead */
  enum sfl_status st = SFL_OK;
  if(r->session_token)
    st = plan_header(r, p, "X-Amz-Security-Token", r->session_token,
                     !(r->flags & SIGV4_TOKEN_UNSIGNED), d);
  if(!st)
    st = plan_header(r, p, "X-Amz-Date", r->timestamp, 1, d);
  if(!st && (r->flags & SIGV4_CONTENT_SHA256))
    st = plan_header(r, p, "x-amz-content-sha256", p->payload_hash, 1, d);
  return st;
}

/* ======================================================================
** Canonical request and string to sign
** ====================================================================== */

static char *credential(const struct sigv4_request *r, const struct plan *p)
{
  struct strbuf b = {0};
  strbuf_printf(&b, "%s/%s", r->access_key_id, p->scope);
  return strbuf_take(&b);
}

/* The X-Amz-* parameters of a presigned URL that are signed, names and values unencoded. */
static size_t presign_params(const struct sigv4_request *r, const char *cred,
                             const char *names, char *expires, struct sigv4_header out[6])
{
  size_t n = 0;
  out[n++] = (struct sigv4_header){"X-Amz-Algorithm", SIGV4_ALGORITHM};
  out[n++] = (struct sigv4_header){"X-Amz-Credential", cred};
  out[n++] = (struct sigv4_header){"X-Amz-Date", r->timestamp};
  out[n++] = (struct sigv4_header){"X-Amz-Expires", expires};
  out[n++] = (struct sigv4_header){"X-Amz-SignedHeaders", names};
  if(r->session_token && !(r->flags & SIGV4_TOKEN_UNSIGNED))
    out[n++] = (struct sigv4_header){"X-Amz-Security-Token", r->session_token};
  return n;
}

/* The canonical request; *names receives the signed-headers list. */
static enum sfl_status build_canonical(const struct sigv4_request *r, const struct plan *p,
                                       char **out, struct strbuf *names, struct diag *d)
{
  struct strbuf c = {0}, hdrs = {0};
  struct sigv4_header params[6];
  size_t nparams = 0;
  char expires[16];
  char *cred = NULL;
  enum sfl_status st = sigv4_canon_headers(r->headers, r->nheaders, p->sign, p->nsign, &hdrs,
                                           names, d);
  if(!st && (r->flags & SIGV4_PRESIGN)) {
    snprintf(expires, sizeof expires, "%u", r->expires);
    cred = credential(r, p);
    if(!cred || names->failed)
      st = diag_nomem(d);
    else
      nparams = presign_params(r, cred, names->buf, expires, params);
  }
  if(!st) {
    strbuf_puts(&c, r->method);
    strbuf_putc(&c, '\n');
    st = sigv4_canon_path(r->path, r->flags, &c, d);
  }
  if(!st) {
    strbuf_putc(&c, '\n');
    st = sigv4_canon_query(r->query, params, nparams, &c, d);
  }
  if(!st) {
    strbuf_putc(&c, '\n');
    strbuf_add(&c, hdrs.buf ? hdrs.buf : "", hdrs.len);
    strbuf_printf(&c, "\n%s\n%s", names->buf ? names->buf : "", p->payload_hash);
    *out = strbuf_take(&c);
    if(!*out)
      st = diag_nomem(d);
  }
  strbuf_free(&c);
  strbuf_free(&hdrs);
  free(cred);
  return st;
}

enum sfl_status sigv4_canonical_request(const struct sigv4_request *r, char **out,
                                        struct diag *d)
{
  struct plan p;
  struct strbuf names = {0};
  *out = NULL;
  enum sfl_status st = check_request(r, d);
  if(!st)
    st = make_plan(r, &p, d);
  if(!st)
    st = build_canonical(r, &p, out, &names, d);
  strbuf_free(&names);
  return st;
}

enum sfl_status sigv4_string_to_sign(const struct sigv4_request *r, const char *canonical,
                                     char **out, struct diag *d)
{
  char scope[128], hash[CRYPTO_SHA256_HEX];
  *out = NULL;
  enum sfl_status st = check_scope(r, d);
  if(!st)
    st = crypto_load(d);
  if(st)
    return st;
  make_scope(r, scope);
  if(!scope[0])
    return bad(d, "the region or service name is too long");
  crypto_sha256_hex(canonical, strlen(canonical), hash);
  struct strbuf b = {0};
  strbuf_printf(&b, SIGV4_ALGORITHM "\n%s\n%s\n%s", r->timestamp, scope, hash);
  *out = strbuf_take(&b);
  return *out ? SFL_OK : diag_nomem(d);
}

/* ======================================================================
** Signature
** ====================================================================== */

enum { KEY = 32 };   /* bytes of an HMAC-SHA256 key or signature */

/*
** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request").
** The "AWS4" + secret buffer and every intermediate key are wiped before returning.
*/
static enum sfl_status signing_key(const struct sigv4_request *r,
                                   unsigned char key[KEY], struct diag *d)
{
  size_t n = strlen(r->secret_key);
  unsigned char *k0 = malloc(n + 4);
  unsigned char k1[KEY], k2[KEY], k3[KEY];
  if(!k0)
    return diag_nomem(d);
  memcpy(k0, "AWS4", 4);
  memcpy(k0 + 4, r->secret_key, n);
  crypto_hmac_sha256(k0, n + 4, r->timestamp, 8, k1);
  crypto_hmac_sha256(k1, KEY, r->region, strlen(r->region), k2);
  crypto_hmac_sha256(k2, KEY, r->service, strlen(r->service), k3);
  crypto_hmac_sha256(k3, KEY, "aws4_request", 12, key);
  hash_wipe(k0, n + 4);
  hash_wipe(k1, sizeof k1);
  hash_wipe(k2, sizeof k2);
  hash_wipe(k3, sizeof k3);
  free(k0);
  return SFL_OK;
}

enum sfl_status sigv4_signature(const struct sigv4_request *r, const char *string_to_sign,
                                char out[SIGV4_HEX], struct diag *d)
{
  unsigned char key[KEY], sig[KEY];
  out[0] = '\0';
  enum sfl_status st = check_scope(r, d);
  if(!st && !r->secret_key)
    st = bad(d, "no secret key");
  if(!st)
    st = crypto_load(d);
  if(!st)
    st = signing_key(r, key, d);
  if(st)
    return st;
  crypto_hmac_sha256(key, KEY, string_to_sign, strlen(string_to_sign), sig);
  hash_wipe(key, sizeof key);
  hash_to_hex(sig, KEY, out);
  return SFL_OK;
}

/* ======================================================================
** Putting it together
** ====================================================================== */

/* The presigned query: CRT's parameter order, each value encoded, signature last. */
static char *presign_query(const struct sigv4_request *r, const struct plan *p,
                           const char *names, const char *signature)
{
  struct strbuf b = {0};
  char *cred = credential(r, p);
  if(!cred)
    return NULL;
  strbuf_puts(&b, "X-Amz-Algorithm=" SIGV4_ALGORITHM "&X-Amz-Credential=");
  sigv4_uri_encode(&b, cred, strlen(cred), 0);
  strbuf_printf(&b, "&X-Amz-Date=%s&X-Amz-SignedHeaders=", r->timestamp);
  sigv4_uri_encode(&b, names, strlen(names), 0);
  strbuf_printf(&b, "&X-Amz-Expires=%u", r->expires);
  if(r->session_token) {
    strbuf_puts(&b, "&X-Amz-Security-Token=");
    sigv4_uri_encode(&b, r->session_token, strlen(r->session_token), 0);
  }
  strbuf_printf(&b, "&X-Amz-Signature=%s", signature);
  free(cred);
  return strbuf_take(&b);
}

/* Copies the added headers and Authorization into res->store, then points at the copies. */
static enum sfl_status fill_headers(struct sigv4_result *res, const struct plan *p,
                                    struct diag *d)
{
  struct strbuf store = {0};
  size_t at[4];
  for(size_t i = 0; i <= p->nadd; i++) {
    at[i] = store.len;
    strbuf_puts(&store, i < p->nadd ? p->add[i].value : res->authorization);
    strbuf_add(&store, "", 1);
  }
  res->store = strbuf_take(&store);
  if(!res->store)
    return diag_nomem(d);
  for(size_t i = 0; i <= p->nadd; i++) {
    res->headers[i].name = i < p->nadd ? p->add[i].name : "Authorization";
    res->headers[i].value = res->store + at[i];
  }
  res->nheaders = p->nadd + 1;
  return SFL_OK;
}

static enum sfl_status finish(const struct sigv4_request *r, const struct plan *p,
                              const char *names, struct sigv4_result *res, struct diag *d)
{
  if(r->flags & SIGV4_PRESIGN) {
    res->query = presign_query(r, p, names, res->signature);
    return res->query ? SFL_OK : diag_nomem(d);
  }
  struct strbuf b = {0};
  strbuf_printf(&b, SIGV4_ALGORITHM " Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                r->access_key_id, p->scope, names, res->signature);
  res->authorization = strbuf_take(&b);
  if(!res->authorization)
    return diag_nomem(d);
  return fill_headers(res, p, d);
}

enum sfl_status sigv4_sign(const struct sigv4_request *r, struct sigv4_result *res,
                           struct diag *d)
{
  struct plan p;
  struct strbuf names = {0};
  memset(res, 0, sizeof *res);
  enum sfl_status st = check_request(r, d);
  if(!st)
    st = make_plan(r, &p, d);
  if(!st)
    st = build_canonical(r, &p, &res->canonical_request, &names, d);
  if(!st)
    st = sigv4_string_to_sign(r, res->canonical_request, &res->string_to_sign, d);
  if(!st)
    st = sigv4_signature(r, res->string_to_sign, res->signature, d);
  if(!st)
    st = finish(r, &p, names.buf ? names.buf : "", res, d);
  strbuf_free(&names);
  if(st)
    sigv4_result_free(res);
  return st;
}

void sigv4_result_free(struct sigv4_result *res)
{
  if(!res)
    return;
  free(res->canonical_request);
  free(res->string_to_sign);
  free(res->authorization);
  free(res->query);
  free(res->store);
  memset(res, 0, sizeof *res);
}
