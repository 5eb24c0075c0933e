/*
** test_sigv4.c: the SigV4 signer against every vector of the two AWS test suites in
** ../shared/sigv4-testsuite (the classic aws-sig-v4-test-suite, and the CRT's
** aws-signing-test-suite/v4 in both its Authorization-header and presigned-URL forms).
** Each vector's request file is parsed here, signed, and every artifact the suite gives is
** compared: canonical request, string to sign, signature or Authorization value, signed
** request; then each step is run again from the suite's own previous artifact, so a fault
** shows at the step that has it. The two vectors the suite README says carry bad data are
** listed in classic_bad[] with its reason and checked only where the data is sound.
** ctest runs this from the repository root; without the suite the test fails and says so.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "core/strbuf.h"
#include "deploy/sigv4.h"

#define SUITE_DIR "../shared/sigv4-testsuite"
#define CLASSIC_DIR SUITE_DIR "/aws-sig-v4-test-suite"
#define CRT_DIR SUITE_DIR "/aws-signing-test-suite/v4"
#define CLASSIC_COUNT 31   /* the README's counts: finding fewer is a failure */
#define CRT_COUNT 38
#define MAX_VECTORS 64
#define MAX_HEADERS 32

/* The README: every classic vector uses these (the classic suite has no context file). */
#define EX_KEY_ID "AKIDEXAMPLE"
#define EX_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define EX_REGION "us-east-1"
#define EX_SERVICE "service"
#define EX_TIME "20150830T123600Z"

enum {
  SKIP_CREQ = 1,       /* the .creq is wrong: do not compare it or hash it */
  SKIP_REQUEST = 2,    /* the .req is not what the rest signs: check only the chain */
  SREQ_AUTH_ONLY = 4   /* of the .sreq, compare only the Authorization line */
};

static const struct {
  const char *vector;
  unsigned what;
  const char *reason;
} classic_bad[] = {
  {"post-x-www-form-urlencoded", SKIP_CREQ | SREQ_AUTH_ONLY,
   "README: its .creq does not hash to its .sts (it leaves content-type out of "
   "SignedHeaders, which .authz signs); use .sts, .authz and .sreq and ignore the .creq. "
   "(Its .sreq also drops the .req's Content-Type line, so only its Authorization line "
   "is compared.)"},
  {"post-x-www-form-urlencoded-parameters", SKIP_REQUEST,
   "README: the .req sends Param1=value1 as the body, but the .creq/.sts/.authz chain signs "
   "it as a query string with an empty-body hash, so it does not describe the .req; the "
   "chain, consistent in itself, is still checked"},
};

/* ======================================================================
** Files and comparisons
** ====================================================================== */

static char *slurp(const char *dir, const char *name, const char *ext, size_t *len)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/%s%s", dir, name, ext);
  FILE *f = fopen(path, "rb");
  if(!f)
    return NULL;
  struct strbuf b = {0};
  char chunk[4096];
  for(;;) {
    size_t n = fread(chunk, 1, sizeof chunk, f);
    if(!n)
      break;
    strbuf_add(&b, chunk, n);
  }
  fclose(f);
  if(len)
    *len = b.len;
  return strbuf_take(&b);
}

/* What a suite publishes for one form of one vector (NULL for a missing file). */
struct artifacts {
  char *creq, *sts, *auth, *sreq;  /* auth: the classic .authz or the CRT signature */
};

static void read_artifacts(struct artifacts *a, const char *dir, const char *prefix,
                           const char *const ext[4])
{
  a->creq = slurp(dir, prefix, ext[0], NULL);
  a->sts = slurp(dir, prefix, ext[1], NULL);
  a->auth = slurp(dir, prefix, ext[2], NULL);
  a->sreq = slurp(dir, prefix, ext[3], NULL);
}

static void free_artifacts(struct artifacts *a)
{
  free(a->creq);
  free(a->sts);
  free(a->auth);
  free(a->sreq);
}

/* One comparison of one vector; a failure names the vector and the artifact. */
static void same(const char *vector, const char *what, const char *got, const char *want)
{
  check_count++;
  if(got && want && !strcmp(got, want))
    return;
  check_failures++;
  fprintf(stderr, "FAIL %s: %s\n--- expected\n%s\n--- got\n%s\n---\n", vector, what,
          want ? want : "(file missing)", got ? got : "(null)");
}

static void ok_status(const char *vector, const char *what, enum sfl_status st,
                      const struct diag *d)
{
  check_count++;
  if(st == SFL_OK)
    return;
  check_failures++;
  fprintf(stderr, "FAIL %s: %s: %s\n", vector, what, d->msg);
}

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The subdirectories of dir, sorted (caller frees each and the array); -1 when unreadable. */
static int subdirs(const char *dir, char ***out)
{
  DIR *dp = opendir(dir);
  if(!dp)
    return -1;
  char **names = NULL;
  int n = 0;
  for(;;) {
    const struct dirent *e = readdir(dp);
    if(!e)
      break;
    char path[1024];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    if(e->d_name[0] == '.' || stat(path, &st) || !S_ISDIR(st.st_mode))
      continue;
    char **grown = realloc(names, (size_t)(n + 1) * sizeof *names);
    if(!grown)
      break;
    names = grown;
    names[n++] = strdup(path);
  }
  closedir(dp);
  qsort(names, (size_t)n, sizeof *names, by_name);
  *out = names;
  return n;
}

static void free_list(char **list, int n)
{
  for(int i = 0; i < n; i++)
    free(list[i]);
  free(list);
}

/* ======================================================================
** Parsing a raw request (.req, request.txt)
** ====================================================================== */

/*
** How a continuation line (obs-fold: a line starting with a blank) becomes a value. The
** suites disagree on get-header-value-multiline: the classic one signs "value1,value2,value3"
** (each line is another value of the header, joined like repeated headers), the CRT one
** "value1 value2 value3" (RFC 7230 3.2.4: an obs-fold is one space). Folding is a matter of
** reading HTTP text, which the signer never does (it refuses line breaks in a value), so the
** parser follows each suite's reading.
*/
enum fold { FOLD_AS_VALUES, FOLD_AS_SPACE };

struct req {
  char *text;            /* the file */
  char *work;            /* a copy, cut into the strings below */
  char method[16];
  char *path, *query;    /* the request target split at '?'; query NULL without one */
  struct sigv4_header headers[MAX_HEADERS];
  size_t nheaders;
  char *folded[MAX_HEADERS];  /* values built by FOLD_AS_SPACE, freed with the req */
  const char *header_block;   /* in text: the header lines, without the request line */
  size_t header_len;
  const char *body;           /* in text; NULL when there is no empty line */
  size_t body_len;
  int final_newline;          /* the last header line ends the file with a '\n' */
};

static int add_line(struct req *q, char *line, enum fold fold)
{
  if(*line == ' ' || *line == '\t') {
    if(!q->nheaders)
      return -1;
    struct sigv4_header *prev = &q->headers[q->nheaders - 1];
    if(fold == FOLD_AS_VALUES) {
      if(q->nheaders == MAX_HEADERS)
        return -1;
      q->headers[q->nheaders++] = (struct sigv4_header){prev->name, line};
      return 0;
    }
    struct strbuf b = {0};
    strbuf_printf(&b, "%s %s", prev->value, line);
    char *v = strbuf_take(&b);
    free(q->folded[q->nheaders - 1]);
    q->folded[q->nheaders - 1] = v;
    prev->value = v;
    return v ? 0 : -1;
  }
  char *colon = strchr(line, ':');
  if(!colon || q->nheaders == MAX_HEADERS)
    return -1;
  *colon = '\0';
  q->headers[q->nheaders++] = (struct sigv4_header){line, colon + 1};
  return 0;
}

static int parse_request_line(struct req *q, char *line)
{
  char *sp1 = strchr(line, ' '), *sp2 = strrchr(line, ' ');
  if(!sp1 || sp2 == sp1 || (size_t)(sp1 - line) >= sizeof q->method)
    return -1;
  memcpy(q->method, line, (size_t)(sp1 - line));
  q->method[sp1 - line] = '\0';
  *sp2 = '\0';  /* the target may hold spaces (get-space): it runs to the last one */
  q->path = sp1 + 1;
  char *qm = strchr(q->path, '?');
  if(qm) {
    *qm = '\0';
    q->query = qm + 1;
  }
  return 0;
}

static int parse_request(struct req *q, char *text, size_t len, enum fold fold)
{
  memset(q, 0, sizeof *q);
  q->text = text;
  q->work = strdup(text);
  if(!q->work)
    return -1;
  char *sep = strstr(q->work, "\n\n");
  size_t head_len = sep ? (size_t)(sep - q->work) : strlen(q->work);
  if(sep) {
    q->body = text + head_len + 2;
    q->body_len = len - head_len - 2;
  }
  q->work[head_len] = '\0';
  if(head_len && q->work[head_len - 1] == '\n') {
    q->work[--head_len] = '\0';
    q->final_newline = !sep;
  }
  char *nl = strchr(q->work, '\n');
  q->header_block = nl ? text + (nl - q->work) + 1 : text + head_len;
  q->header_len = nl ? head_len - (size_t)(nl - q->work) - 1 : 0;
  if(nl)
    *nl = '\0';
  if(parse_request_line(q, q->work))
    return -1;
  for(char *line = nl ? nl + 1 : NULL; line;) {
    char *next = strchr(line, '\n');
    if(next)
      *next++ = '\0';
    if(add_line(q, line, fold))
      return -1;
    line = next;
  }
  return 0;
}

static void free_request(struct req *q)
{
  for(size_t i = 0; i < MAX_HEADERS; i++)
    free(q->folded[i]);
  free(q->work);
  free(q->text);
}

/* The request as sfl would hand it to the signer, with the suites' credentials. */
static void to_sigv4(const struct req *q, struct sigv4_request *r)
{
  memset(r, 0, sizeof *r);
  r->method = q->method;
  r->path = q->path;
  r->query = q->query;
  r->headers = q->headers;
  r->nheaders = q->nheaders;
  r->payload = q->body;
  r->payload_len = q->body ? q->body_len : 0;
  r->access_key_id = EX_KEY_ID;
  r->secret_key = EX_SECRET;
  r->region = EX_REGION;
  r->service = EX_SERVICE;
  r->timestamp = EX_TIME;
}

/*
** The signed request as the suites print it: the request line (with the presigned query
** when there is one), the header lines as read, the added headers, then the body. The
** classic suite writes "Authorization: " with a space and no blank line without a body (the
** .req's last line break, if any, stays last); the CRT one writes "Name:value" for every
** header, each line ended, then an empty line.
*/
static char *signed_request(const struct req *q, const struct sigv4_result *res, int classic)
{
  struct strbuf b = {0};
  strbuf_printf(&b, "%s %s", q->method, q->path);
  if(res->query)
    strbuf_printf(&b, "?%s%s%s", q->query ? q->query : "", q->query ? "&" : "", res->query);
  else if(q->query)
    strbuf_printf(&b, "?%s", q->query);
  strbuf_puts(&b, " HTTP/1.1\n");
  strbuf_add(&b, q->header_block, q->header_len);
  for(size_t i = 0; i < res->nheaders; i++) {
    int auth = !strcmp(res->headers[i].name, "Authorization");
    strbuf_printf(&b, "\n%s:%s%s", res->headers[i].name, classic && auth ? " " : "",
                  res->headers[i].value);
  }
  if(!classic || q->body)
    strbuf_puts(&b, "\n\n");
  else if(q->final_newline)
    strbuf_putc(&b, '\n');  /* two classic .req files end so, and their .sreq too */
  if(q->body)
    strbuf_add(&b, q->body, q->body_len);
  return strbuf_take(&b);
}

/* ======================================================================
** Step by step from the suite's own artifacts
** ====================================================================== */

/* sts from the suite's canonical request, signature from the suite's string to sign. */
static void check_chain(const char *vector, const struct sigv4_request *r, const char *creq,
                        const char *sts, const char *signature)
{
  struct diag d = {0};
  if(creq) {
    char *got = NULL;
    ok_status(vector, "string to sign from the suite's canonical request",
              sigv4_string_to_sign(r, creq, &got, &d), &d);
    same(vector, "string to sign from the suite's canonical request", got, sts);
    free(got);
  }
  if(sts) {
    char sig[SIGV4_HEX];
    ok_status(vector, "signature from the suite's string to sign",
              sigv4_signature(r, sts, sig, &d), &d);
    same(vector, "signature from the suite's string to sign", sig, signature);
  }
}

/* The signature inside an Authorization value (the classic .authz). */
static const char *signature_of(const char *authz)
{
  const char *s = authz ? strstr(authz, "Signature=") : NULL;
  return s ? s + strlen("Signature=") : NULL;
}

/* The line of a signed request that starts with prefix, as a new string. */
static char *line_of(const char *text, const char *prefix)
{
  for(const char *p = text; p && *p;) {
    const char *end = strchr(p, '\n');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if(!strncmp(p, prefix, strlen(prefix)))
      return strndup(p, n);
    p = end ? end + 1 : NULL;
  }
  return NULL;
}

/* ======================================================================
** The classic suite: NAME.req .creq .sts .authz .sreq
** ====================================================================== */

/* post-sts-token/readme.txt ends with the token both post-sts-* vectors use. */
static char *classic_token(void)
{
  char *text = slurp(CLASSIC_DIR "/post-sts-token", "readme.txt", "", NULL);
  if(!text)
    return NULL;
  char *end = text + strlen(text);
  while(end > text && strchr("\r\n ", end[-1]))
    *--end = '\0';
  char *start = end;
  while(start > text && !strchr("\r\n ", start[-1]))
    start--;
  char *token = strdup(start);
  free(text);
  return token;
}

static unsigned classic_defect(const char *name)
{
  for(size_t i = 0; i < sizeof classic_bad / sizeof classic_bad[0]; i++)
    if(!strcmp(classic_bad[i].vector, name)) {
      printf("  %s: checked in part; %s\n", name, classic_bad[i].reason);
      return classic_bad[i].what;
    }
  return 0;
}

/* Signs the request of a classic vector and compares what the suite has for it. */
static void classic_sign(const char *name, const struct req *q, const struct sigv4_request *r,
                         const struct artifacts *a, unsigned bad)
{
  struct sigv4_result res = {0};
  struct diag d = {0};
  enum sfl_status st = sigv4_sign(r, &res, &d);
  ok_status(name, "sigv4_sign", st, &d);
  if(!(bad & SKIP_CREQ))
    same(name, "canonical request", res.canonical_request, a->creq);
  same(name, "string to sign", res.string_to_sign, a->sts);
  same(name, "Authorization", res.authorization, a->auth);
  char *got = st ? NULL : signed_request(q, &res, 1);
  if(bad & SREQ_AUTH_ONLY) {
    char *g = line_of(got, "Authorization:");
    char *w = line_of(a->sreq, "Authorization:");
    same(name, "signed request's Authorization line", g, w);
    free(g);
    free(w);
  }
  else {
    same(name, "signed request", got, a->sreq);
  }
  free(got);
  sigv4_result_free(&res);
}

static void classic_vector(const char *dir, const char *token)
{
  static const char *const ext[4] = {".creq", ".sts", ".authz", ".sreq"};
  const char *name = strrchr(dir, '/') + 1;
  size_t len = 0;
  char *text = slurp(dir, name, ".req", &len);
  unsigned bad = classic_defect(name);
  struct artifacts a;
  struct req q;
  struct sigv4_request r;
  read_artifacts(&a, dir, name, ext);
  check_count++;
  if(!text || parse_request(&q, text, len, FOLD_AS_VALUES)) {
    check_failures++;
    fprintf(stderr, "FAIL %s: cannot read or parse %s/%s.req\n", name, dir, name);
  }
  else {
    to_sigv4(&q, &r);
    if(strstr(dir, "/post-sts-token/")) {
      r.session_token = token;  /* -before carries it already; -after adds it unsigned */
      if(!strcmp(name, "post-sts-header-after"))
        r.flags |= SIGV4_TOKEN_UNSIGNED;
    }
    check_chain(name, &r, (bad & SKIP_CREQ) ? NULL : a.creq, a.sts, signature_of(a.auth));
    if(!(bad & SKIP_REQUEST))
      classic_sign(name, &q, &r, &a, bad);
  }
  if(text)
    free_request(&q);
  free_artifacts(&a);
}

/* Vector folders are NAME/NAME.req, or one level down (normalize-path/, post-sts-token/). */
static int classic_suite(void)
{
  char **top, *vectors[MAX_VECTORS];
  int ntop = subdirs(CLASSIC_DIR, &top), n = 0;
  if(ntop < 0)
    return -1;
  char *token = classic_token();
  for(int i = 0; i < ntop; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s.req", top[i], strrchr(top[i], '/') + 1);
    struct stat st;
    if(!stat(path, &st)) {
      if(n < MAX_VECTORS)
        vectors[n++] = strdup(top[i]);
      continue;
    }
    char **sub;
    int nsub = subdirs(top[i], &sub);
    for(int j = 0; j < nsub; j++)
      if(n < MAX_VECTORS)
        vectors[n++] = strdup(sub[j]);
    if(nsub > 0)
      free_list(sub, nsub);
  }
  free_list(top, ntop);
  CHECK(token != NULL);
  for(int i = 0; i < n; i++) {
    classic_vector(vectors[i], token);
    free(vectors[i]);
  }
  free(token);
  return n;
}

/* ======================================================================
** The CRT suite: context.json, request.txt, {header,query}-*.txt
** ====================================================================== */

static const char *json_str(const cJSON *obj, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int json_true(const cJSON *obj, const char *key)
{
  return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* context.json into r; its strings stay in ctx. "2015-08-30T12:36:00Z" -> X-Amz-Date form. */
static int crt_context(const cJSON *ctx, struct sigv4_request *r, char stamp[17])
{
  const cJSON *cred = cJSON_GetObjectItemCaseSensitive(ctx, "credentials");
  const cJSON *exp = cJSON_GetObjectItemCaseSensitive(ctx, "expiration_in_seconds");
  const char *t = json_str(ctx, "timestamp");
  size_t n = 0;
  for(; t && *t && n < 16; t++)
    if(*t != '-' && *t != ':')
      stamp[n++] = *t;
  stamp[n] = '\0';
  r->access_key_id = json_str(cred, "access_key_id");
  r->secret_key = json_str(cred, "secret_access_key");
  r->session_token = json_str(cred, "token");
  r->region = json_str(ctx, "region");
  r->service = json_str(ctx, "service");
  r->timestamp = stamp;
  r->flags = (json_true(ctx, "normalize") ? 0 : SIGV4_NO_NORMALIZE_PATH) |
             (json_true(ctx, "sign_body") ? SIGV4_CONTENT_SHA256 : 0) |
             (json_true(ctx, "omit_session_token") ? SIGV4_TOKEN_UNSIGNED : 0);
  r->expires = cJSON_IsNumber(exp) ? (unsigned)exp->valueint : 0;
  return r->access_key_id && r->secret_key && r->region && r->service && n == 16 ? 0 : -1;
}

/* One form (header-* or query-*) of one vector. */
static void crt_form(const char *dir, const char *name, const struct req *q,
                     struct sigv4_request r, int presign)
{
  static const char *const ext[4] = {
    "canonical-request.txt", "string-to-sign.txt", "signature.txt", "signed-request.txt"};
  char vec[256];
  snprintf(vec, sizeof vec, "%s (%s)", name, presign ? "presigned URL" : "header");
  struct artifacts a;
  read_artifacts(&a, dir, presign ? "query-" : "header-", ext);
  struct sigv4_result res = {0};
  struct diag d = {0};
  char *alone = NULL;
  if(presign)
    r.flags |= SIGV4_PRESIGN;
  check_chain(vec, &r, a.creq, a.sts, a.auth);
  enum sfl_status st = sigv4_sign(&r, &res, &d);
  ok_status(vec, "sigv4_sign", st, &d);
  same(vec, "canonical request", res.canonical_request, a.creq);
  same(vec, "string to sign", res.string_to_sign, a.sts);
  same(vec, "signature", st ? NULL : res.signature, a.auth);
  char *got = st ? NULL : signed_request(q, &res, 0);
  same(vec, "signed request", got, a.sreq);
  ok_status(vec, "sigv4_canonical_request", sigv4_canonical_request(&r, &alone, &d), &d);
  same(vec, "sigv4_canonical_request alone", alone, a.creq);
  free(alone);
  free(got);
  sigv4_result_free(&res);
  free_artifacts(&a);
}

static void crt_vector(const char *dir)
{
  const char *name = strrchr(dir, '/') + 1;
  size_t len = 0;
  char *text = slurp(dir, "request", ".txt", &len);
  char *ctx_text = slurp(dir, "context", ".json", NULL);
  cJSON *ctx = ctx_text ? cJSON_Parse(ctx_text) : NULL;
  struct req q;
  struct sigv4_request r;
  char stamp[17];
  int parsed = text && !parse_request(&q, text, len, FOLD_AS_SPACE);
  check_count++;
  if(parsed) {
    to_sigv4(&q, &r);
  }
  if(!parsed || !ctx || crt_context(ctx, &r, stamp)) {
    check_failures++;
    fprintf(stderr, "FAIL %s: cannot read or parse request.txt or context.json in %s\n",
            name, dir);
  }
  else {
    crt_form(dir, name, &q, r, 0);
    crt_form(dir, name, &q, r, 1);
  }
  if(text)
    free_request(&q);
  cJSON_Delete(ctx);
  free(ctx_text);
}

static int crt_suite(void)
{
  char **dirs;
  int n = subdirs(CRT_DIR, &dirs);
  if(n < 0)
    return -1;
  for(int i = 0; i < n; i++)
    crt_vector(dirs[i]);
  free_list(dirs, n);
  return n;
}

int main(void)
{
  struct stat st;
  if(stat(SUITE_DIR, &st) || !S_ISDIR(st.st_mode)) {
    fprintf(stderr, "test_sigv4: the SigV4 test suite is missing: no folder %s (it is read "
            "relative to the repository root, as ctest runs the C tests)\n", SUITE_DIR);
    check_count++;
    check_failures++;
    return check_done("test_sigv4");
  }
  int before = check_failures;
  int n = classic_suite();
  printf("aws-sig-v4-test-suite: %d vectors (README: %d), %d failed checks\n", n,
         CLASSIC_COUNT, check_failures - before);
  CHECK(n == CLASSIC_COUNT);
  before = check_failures;
  n = crt_suite();
  printf("aws-signing-test-suite/v4: %d vectors (README: %d) in header and presigned forms, "
         "%d failed checks\n", n, CRT_COUNT, check_failures - before);
  CHECK(n == CRT_COUNT);
  return check_done("test_sigv4");
}
