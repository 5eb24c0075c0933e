/*
** client.c: signed, retried calls to AWS (see client.h), and the credential fetchers the
** settings ask for: the container endpoint, EC2 instance metadata (IMDSv2), and STS
** AssumeRole for each role of a chain.
**
** One function, transmit(), makes every request: it signs each attempt afresh (a new
** X-Amz-Date), sends it with http.c, and decides with the answer whether to try again,
** as the SDKs' "standard" retry mode does: throttling codes, 5xx and broken connections
** are retried while attempts and the retry quota last, with full-jitter backoff.
*/
#include "deploy/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/hash.h"
#include "core/strbuf.h"
#include "deploy/credjson.h"
#include "deploy/http.h"
#include "deploy/sigv4.h"
#include "deploy/sigv4_canon.h"
#include "deploy/sts.h"

#define DEFAULT_ATTEMPTS 3
#define DEFAULT_TIMEOUT 60     /* seconds an attempt may wait without progress */
#define MAX_BACKOFF 20.0       /* seconds */
/* The standard mode's retry quota: a retry costs 5 (10 after a timeout or a broken
** connection), a success gives 1 back (or what its retry cost). */
#define RETRY_QUOTA 500
#define RETRY_COST 5
#define TIMEOUT_RETRY_COST 10
#define IMDS_ENDPOINT "http://169.254.169.254"

struct aws_client {
  struct aws_options opt;
  char *opt_store[3];          /* copies of opt's strings */
  const struct aws_world *w;
  struct aws_settings s;
  struct http *http;
  char *account;
  char *error_code;            /* the last call's AWS error code, or NULL */
  int http_status;
  int max_attempts;
  long timeout;
  int quota;
  unsigned seed;               /* for the backoff's jitter */
  int assuming;                /* the role being assumed while opening, else -1 */
  volatile sig_atomic_t *stop; /* aws_client_set_stop's flag, or NULL */
  FILE *trace;                 /* aws_client_set_trace's file, or NULL */
};

static struct sfl_loc nowhere(void)
{
  struct sfl_loc loc = {NULL, 0};
  return loc;
}

static const char *env(const struct aws_client *c, const char *name)
{
  const char *v = c->w->getenv(c->w->ud, name);
  return v && *v ? v : NULL;
}

static void free_secret(char *p)
{
  if(p) {
    hash_wipe(p, strlen(p));
    free(p);
  }
}

static void credentials_free(struct aws_credentials *cr)
{
  free_secret(cr->access_key_id);
  free_secret(cr->secret_access_key);
  free_secret(cr->session_token);
  free(cr->expiration);
  memset(cr, 0, sizeof *cr);
}

/* {============ one request, signed and retried */

/* A request as transmit() takes it: the URL whole; headers without the signature's. */
struct call {
  const char *service;               /* the signing name; NULL: not signed */
  const char *what;                  /* the action or target, for the trace; may be NULL */
  const char *method;
  const char *url;
  struct sigv4_header h[6];
  size_t nh;
  const void *body;
  size_t len;
  unsigned flags;                    /* SIGV4_* */
  long timeout;                      /* 0: the client's */
  int max_attempts;                  /* 0: the client's */
};

/* What the last transmit() did, for messages. */
struct outcome {
  int attempts;
  enum http_failure failure;
};

/* The parts of an absolute URL that signing needs: host[:port], path, query. */
struct url_parts {
  char host[256];
  const char *path;                  /* points into the URL; "" when none */
  const char *query;                 /* NULL when none */
  size_t pathlen;
};

static int split_url(const char *url, struct url_parts *u)
{
  const char *p = strstr(url, "://");
  if(!p)
    return 0;
  p += 3;
  size_t n = strcspn(p, "/?#");
  if(!n || n >= sizeof u->host)
    return 0;
  memcpy(u->host, p, n);
  u->host[n] = '\0';
  u->path = p + n;
  u->pathlen = strcspn(u->path, "?#");
  u->query = u->path[u->pathlen] == '?' ? u->path + u->pathlen + 1 : NULL;
  return 1;
}

static void timestamp(char out[17])
{
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* Signs k with the client's credentials into res (its headers go after k's). */
static enum sfl_status sign(const struct aws_client *c, const struct call *k,
                            const struct url_parts *u, struct sigv4_header *all,
                            struct sigv4_result *res, struct diag *d)
{
  char stamp[17], path[2048];
  if(u->pathlen >= sizeof path)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "the request path is too long to sign");
  memcpy(path, u->path, u->pathlen);
  path[u->pathlen] = '\0';
  timestamp(stamp);
  const struct aws_credentials *cr = &c->s.credentials;
  struct sigv4_request r = {
    .method = k->method, .path = path, .query = u->query, .headers = all,
    .nheaders = k->nh, .payload = k->body, .payload_len = k->len,
    .access_key_id = cr->access_key_id, .secret_key = cr->secret_access_key,
    .session_token = cr->session_token, .region = c->s.region, .service = k->service,
    .timestamp = stamp, .flags = k->flags,
  };
  return sigv4_sign(&r, res, d);
}

/* The code and message of an AWS error answer: XML (query protocol, S3) or JSON (JSON 1.x:
** "__type" may be "namespace#Code" or "Code:uri"). NULLs when the body has none. */
static void error_of(const struct http_response *r, char **code, char **message)
{
  *code = *message = NULL;
  const char *p = r->body + strspn(r->body, " \t\r\n");
  if(*p == '<') {
    struct xml_doc doc;
    struct diag ignored = {0};
    if(xml_parse(r->body, r->len, &doc, &ignored))
      return;
    const char *cd = xml_find(&doc, "Error/Code"), *msg = xml_find(&doc, "Error/Message");
    *code = cd && *cd ? strdup(cd) : NULL;
    *message = msg && *msg ? strdup(msg) : NULL;
    xml_free(&doc);
  }
  else if(*p == '{') {
    cJSON *j = cJSON_ParseWithLength(r->body, r->len);
    const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "__type"));
    const char *msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "message"));
    if(!msg)
      msg = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "Message"));
    if(type && *type) {
      const char *hash = strchr(type, '#');
      const char *start = hash ? hash + 1 : type;
      *code = strndup(start, strcspn(start, ":"));
    }
    *message = msg && *msg ? strdup(msg) : NULL;
    cJSON_Delete(j);
  }
}

/* A code for answers without an error document (S3's HEAD), as S3 names them. */
static const char *status_code(int status)
{
  static const struct { int status; const char *code; } names[] = {
    {301, "PermanentRedirect"}, {304, "NotModified"}, {400, "BadRequest"},
    {403, "Forbidden"}, {404, "NotFound"}, {412, "PreconditionFailed"},
    {429, "TooManyRequests"}, {500, "InternalError"}, {503, "ServiceUnavailable"},
  };
  for(size_t i = 0; i < sizeof names / sizeof *names; i++)
    if(names[i].status == status)
      return names[i].code;
  return "HTTPError";
}

/* Error codes the SDKs retry (botocore's standard mode: throttling and transient ones). */
static int retryable_code(const char *code)
{
  static const char *const codes[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException", "RequestTimeout", "RequestTimeoutException",
    "IDPCommunicationError",
  };
  for(size_t i = 0; code && i < sizeof codes / sizeof *codes; i++)
    if(!strcmp(code, codes[i]))
      return 1;
  return 0;
}

/* What a retry of this outcome costs from the quota; 0 when it is not to be retried. */
static int retry_cost(const struct http_response *r, enum sfl_status st)
{
  if(st)
    return r->failure == HTTP_CONNECT ? RETRY_COST
           : r->failure == HTTP_TIMEOUT || r->failure == HTTP_BROKEN ? TIMEOUT_RETRY_COST : 0;
  if(r->status < 400)
    return 0;
  if(r->status == 429 || r->status == 500 || r->status == 502 || r->status == 503
     || r->status == 504)
    return RETRY_COST;
  char *code, *message;
  error_of(r, &code, &message);
  int cost = retryable_code(code) ? RETRY_COST : 0;
  free(code);
  free(message);
  return cost;
}

static int stopped(const struct aws_client *c)
{
  return c->stop && *c->stop;
}

/* Full jitter: random(0,1) * 2^(attempt-1) seconds, at most MAX_BACKOFF; slept in tenths so
** that a stop is heard. */
static void back_off(struct aws_client *c, int attempt)
{
  double cap = attempt > 6 ? MAX_BACKOFF : (double)(1 << (attempt - 1));
  double s = (double)rand_r(&c->seed) / RAND_MAX * (cap < MAX_BACKOFF ? cap : MAX_BACKOFF);
  for(; s > 0 && !stopped(c); s -= 0.1) {
    struct timespec ts = {0, (long)((s < 0.1 ? s : 0.1) * 1e9)};
    nanosleep(&ts, NULL);
  }
}

/* One attempt, as aws_client_set_trace says: no query, header or body. */
static void trace(const struct aws_client *c, const struct call *k, int attempt,
                  const struct http_response *r, const struct timespec *start)
{
  if(!c->trace)
    return;
  char *code = NULL, *message = NULL;
  if(r->status >= 300)
    error_of(r, &code, &message);
  fprintf(c->trace, "%s%s%s: %s %.*s -> ", k->service ? k->service : "credentials",
          k->what ? " " : "", k->what ? k->what : "", k->method,
          (int)strcspn(k->url, "?"), k->url);
  if(r->status)
    fprintf(c->trace, "%d%s%s", r->status, code ? " " : "", code ? code : "");
  else
    fprintf(c->trace, "no answer");
  fprintf(c->trace, " (attempt %d, %.2f s)\n", attempt, clock_seconds_since(start));
  free(code);
  free(message);
}

/*
** Sends k until an answer is final: SFL_OK with out holding the answer (any status: the
** caller reads errors), or SFL_ERR_IO when no answer came on the last attempt.
*/
static enum sfl_status transmit(struct aws_client *c, const struct call *k,
                            struct http_response *out, struct outcome *how, struct diag *d)
{
  struct url_parts u;
  memset(out, 0, sizeof *out);
  if(!split_url(k->url, &u))
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "'%s' is not a URL an endpoint can have",
                    k->url);
  int max = k->max_attempts ? k->max_attempts : c->max_attempts;
  int spent = 0;
  enum sfl_status st;
  for(how->attempts = 1;; how->attempts++) {
    struct sigv4_header all[10];
    struct sigv4_result sig = {0};
    size_t n = k->nh;
    memcpy(all, k->h, k->nh * sizeof *all);
    if(k->service) {
      if((st = sign(c, k, &u, all, &sig, d)))
        return st;
      for(size_t i = 0; i < sig.nheaders; i++)
        all[n++] = sig.headers[i];
    }
    struct http_request req = {k->method, k->url, all, n, k->body, k->len,
                               k->timeout ? k->timeout : c->timeout, c->stop};
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    st = http_send(c->http, &req, out, d);
    sigv4_result_free(&sig);
    trace(c, k, how->attempts, out, &start);
    how->failure = out->failure;
    int cost = retry_cost(out, st);
    if(st == SFL_ERR_NOMEM || !cost || how->attempts >= max || c->quota < cost)
      break;
    c->quota -= cost;
    spent = cost;
    http_response_free(out);
    back_off(c, how->attempts);
    if(stopped(c)) {
      how->failure = HTTP_STOPPED;
      return diag_set(d, SFL_ERR_IO, nowhere(), "stopped waiting for %.*s",
                      (int)strcspn(k->url, "?"), k->url);
    }
  }
  if(!st && out->status < 300) {
    c->quota += spent ? spent : 1;
    if(c->quota > RETRY_QUOTA)
      c->quota = RETRY_QUOTA;
  }
  return st;
}

/* }============ */

/* {============ messages */

/* Where the credentials came from, for messages; never a value. */
static void describe_source(const struct aws_client *c, struct strbuf *b)
{
  const char *src = c->s.source ? c->s.source : "";
  const char *profile = c->s.profile;
  if(c->assuming > 0)
    strbuf_printf(b, "role %s, assumed for profile '%s'", c->s.roles[c->assuming - 1].arn,
                  profile);
  else if(c->assuming == 0)
    strbuf_printf(b, "the source_profile or credential_source of profile '%s'", profile);
  else if(!strcmp(src, "environment"))
    strbuf_puts(b, "the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
  else if(!strcmp(src, "shared-credentials-file"))
    strbuf_printf(b, "profile '%s' in the shared credentials file (%s)", profile,
                  env(c, "AWS_SHARED_CREDENTIALS_FILE") ? env(c, "AWS_SHARED_CREDENTIALS_FILE")
                                                         : "~/.aws/credentials");
  else if(!strcmp(src, "config-file"))
    strbuf_printf(b, "profile '%s' in the config file (%s)", profile,
                  env(c, "AWS_CONFIG_FILE") ? env(c, "AWS_CONFIG_FILE") : "~/.aws/config");
  else if(!strcmp(src, "custom-process"))
    strbuf_printf(b, "the credential_process of profile '%s'", profile);
  else if(!strcmp(src, "assume-role"))
    strbuf_printf(b, "role %s, assumed for profile '%s'", c->s.roles[c->s.nroles - 1].arn,
                  profile);
  else if(!strcmp(src, "container-role"))
    strbuf_printf(b, "the container credentials endpoint %s", c->s.fetch_url);
  else
    strbuf_puts(b, "the EC2 instance metadata service");
}

/* Error codes that say the credentials are wrong or stale: the message says whose. */
static int credentials_code(const char *code)
{
  static const char *const codes[] = {
    "ExpiredToken", "ExpiredTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch",
    "UnrecognizedClientException", "InvalidAccessKeyId", "InvalidToken", "AccessDenied",
    "AccessDeniedException", "AuthFailure", "RequestExpired", "IncompleteSignature",
    "MissingAuthenticationToken",
  };
  for(size_t i = 0; code && i < sizeof codes / sizeof *codes; i++)
    if(!strcmp(code, codes[i]))
      return 1;
  return 0;
}

static void set_error_code(struct aws_client *c, const char *code)
{
  free(c->error_code);
  c->error_code = code ? strdup(code) : NULL;
}

/* A final non-2xx answer: "Code: Message" verbatim, the attempts when they were retried,
** and whose credentials when the code is about them. */
static enum sfl_status answer_error(struct aws_client *c, const struct http_response *r,
                                    const struct outcome *how, struct diag *d)
{
  char *code, *message;
  error_of(r, &code, &message);
  set_error_code(c, code ? code : status_code(r->status));
  struct strbuf b = {0};
  strbuf_puts(&b, code ? code : status_code(r->status));
  if(message)
    strbuf_printf(&b, ": %s", message);
  else if(!code)
    strbuf_printf(&b, " (HTTP %d without an AWS error document)", r->status);
  if(how->attempts > 1)
    strbuf_printf(&b, " (after %d attempts)", how->attempts);
  if(credentials_code(code)) {
    strbuf_puts(&b, " (credentials: ");
    describe_source(c, &b);
    strbuf_puts(&b, ")");
  }
  enum sfl_status st = b.failed ? diag_nomem(d)
                                : diag_set(d, SFL_ERR_IO, nowhere(), "%s", b.buf);
  strbuf_free(&b);
  free(code);
  free(message);
  return st;
}

/* No answer on the last attempt: http.c's message, the attempts, and for timeouts how to
** wait longer. */
static enum sfl_status transport_error(const struct aws_client *c, long timeout,
                                       const struct outcome *how, struct diag *d)
{
  if(d->status == SFL_ERR_NOMEM)
    return d->status;
  char msg[sizeof d->msg];
  snprintf(msg, sizeof msg, "%s", d->msg);
  char attempts[48] = "";
  if(how->attempts > 1)
    snprintf(attempts, sizeof attempts, " after %d attempts", how->attempts);
  /* Only instance metadata has a timeout of its own (AWS_METADATA_SERVICE_TIMEOUT). */
  if(how->failure == HTTP_TIMEOUT)
    return diag_set(d, SFL_ERR_IO, nowhere(), "%s%s; each attempt waited %ld s "
                    "(%s sets how long)", msg, attempts, timeout ? timeout : c->timeout,
                    timeout ? "AWS_METADATA_SERVICE_TIMEOUT" : "SFL_HTTP_TIMEOUT");
  return diag_set(d, SFL_ERR_IO, nowhere(), "%s%s", msg, attempts);
}

/* transmit(), then any failure made into the diag; SFL_OK only for a 2xx/3xx answer. */
static enum sfl_status request(struct aws_client *c, const struct call *k,
                            struct http_response *out, struct diag *d)
{
  struct outcome how = {0};
  set_error_code(c, NULL);
  enum sfl_status st = transmit(c, k, out, &how, d);
  c->http_status = out->status;
  if(st) {
    http_response_free(out);
    return transport_error(c, k->timeout, &how, d);
  }
  if(out->status >= 300) {
    st = answer_error(c, out, &how, d);
    http_response_free(out);
  }
  return st;
}

/* }============ */

/* {============ the protocols */

/* endpoint + suffix, without a doubled '/'. */
static char *join(const char *endpoint, const char *suffix)
{
  struct strbuf b = {0};
  size_t n = strlen(endpoint);
  while(n && endpoint[n - 1] == '/')
    n--;
  strbuf_add(&b, endpoint, n);
  strbuf_puts(&b, suffix);
  return strbuf_take(&b);
}

static char *endpoint_of(const struct aws_client *c, const char *service, const char *suffix)
{
  char *base = aws_endpoint(&c->opt, c->w, &c->s, service);
  char *url = base ? join(base, suffix) : NULL;
  free(base);
  return url;
}

/* Signs and makes k to url (malloc'd, freed here; NULL: out of memory), adding its Host. */
static enum sfl_status request_to(struct aws_client *c, struct call *k, char *url,
                                  struct http_response *out, struct diag *d)
{
  struct url_parts u;
  enum sfl_status st;
  if(!url)
    st = diag_nomem(d);
  else if(!split_url(url, &u))
    st = diag_set(d, SFL_ERR_INVALID, nowhere(), "the endpoint URL '%s' for %s is not a URL",
                  url, k->service);
  else {
    k->url = url;
    k->h[k->nh++] = (struct sigv4_header){"Host", u.host};
    st = request(c, k, out, d);
  }
  free(url);
  return st;
}

/* A POST to the service's endpoint "/", signed; the answer's body in out. */
static enum sfl_status post(struct aws_client *c, const char *service, const char *what,
                            const char *type, const char *target, const char *body,
                            struct http_response *out, struct diag *d)
{
  struct call k = {.service = service, .what = what, .method = "POST", .body = body,
                   .len = strlen(body)};
  k.h[k.nh++] = (struct sigv4_header){"Content-Type", type};
  if(target)
    k.h[k.nh++] = (struct sigv4_header){"X-Amz-Target", target};
  return request_to(c, &k, endpoint_of(c, service, "/"), out, d);
}

enum sfl_status aws_query(struct aws_client *c, const char *service, const char *version,
                          const char *action, const struct aws_param *p, size_t n,
                          struct xml_doc *out, struct diag *d)
{
  struct strbuf body = {0};
  memset(out, 0, sizeof *out);
  strbuf_puts(&body, "Action=");
  sigv4_uri_encode(&body, action, strlen(action), 0);
  strbuf_puts(&body, "&Version=");
  sigv4_uri_encode(&body, version, strlen(version), 0);
  for(size_t i = 0; i < n; i++) {
    strbuf_putc(&body, '&');
    sigv4_uri_encode(&body, p[i].name, strlen(p[i].name), 0);
    strbuf_putc(&body, '=');
    sigv4_uri_encode(&body, p[i].value, strlen(p[i].value), 0);
  }
  if(body.failed) {
    strbuf_free(&body);
    return diag_nomem(d);
  }
  struct http_response r;
  enum sfl_status st = post(c, service, action,
                            "application/x-www-form-urlencoded; charset=utf-8", NULL, body.buf,
                            &r, d);
  strbuf_free(&body);
  if(!st) {
    struct diag xd = {0};
    if(xml_parse(r.body, r.len, out, &xd))
      st = xd.status == SFL_ERR_NOMEM ? diag_nomem(d)
           : diag_set(d, SFL_ERR_IO, nowhere(), "%s %s answered: %s", service, action, xd.msg);
    http_response_free(&r);
  }
  return st;
}

enum sfl_status aws_json(struct aws_client *c, const char *service, const char *target,
                         const char *body, cJSON **out, struct diag *d)
{
  struct http_response r;
  *out = NULL;
  enum sfl_status st = post(c, service, target, "application/x-amz-json-1.1", target, body,
                            &r, d);
  if(st)
    return st;
  *out = r.len ? cJSON_ParseWithLength(r.body, r.len) : cJSON_CreateObject();
  if(!*out)
    st = diag_set(d, SFL_ERR_IO, nowhere(), "%s %s answered something that is not JSON",
                  service, target);
  http_response_free(&r);
  return st;
}

/* {============ S3 */

/* Path-style ("<endpoint>/bucket/key") unless the endpoint is AWS's own, where the bucket
** goes in the host name (virtual-hosted style, what S3 wants today). */
static char *s3_object_url(const struct aws_client *c, const char *bucket, const char *key)
{
  char *endpoint = aws_endpoint(&c->opt, c->w, &c->s, "s3");
  char aws[512];
  snprintf(aws, sizeof aws, "https://s3.%s.amazonaws.com", c->s.region);
  struct strbuf b = {0};
  if(endpoint && !strcmp(endpoint, aws) && !strchr(bucket, '.'))
    strbuf_printf(&b, "https://%s.s3.%s.amazonaws.com/", bucket, c->s.region);
  else if(endpoint) {
    char *base = join(endpoint, "/");
    strbuf_puts(&b, base ? base : "");
    free(base);
    sigv4_uri_encode(&b, bucket, strlen(bucket), 0);
    strbuf_putc(&b, '/');
  }
  sigv4_uri_encode(&b, key, strlen(key), 1);
  free(endpoint);
  return endpoint ? strbuf_take(&b) : (strbuf_free(&b), NULL);
}

static enum sfl_status s3_call(struct aws_client *c, const char *method, const char *bucket,
                               const char *key, const void *body, size_t len,
                               const char *type, struct http_response *out, struct diag *d)
{
  struct call k = {.service = "s3", .method = method, .body = body, .len = len,
                   .flags = SIGV4_NO_NORMALIZE_PATH | SIGV4_NO_DOUBLE_ENCODE
                            | SIGV4_CONTENT_SHA256};
  if(type)
    k.h[k.nh++] = (struct sigv4_header){"Content-Type", type};
  return request_to(c, &k, s3_object_url(c, bucket, key), out, d);
}

enum sfl_status aws_s3_exists(struct aws_client *c, const char *bucket, const char *key,
                              int *exists, struct diag *d)
{
  struct http_response r;
  *exists = 0;
  enum sfl_status st = s3_call(c, "HEAD", bucket, key, NULL, 0, NULL, &r, d);
  if(!st) {
    *exists = 1;
    http_response_free(&r);
  }
  else if(c->http_status == 404) {   /* not an error: the object is not there */
    set_error_code(c, NULL);
    memset(d, 0, sizeof *d);
    st = SFL_OK;
  }
  return st;
}

enum sfl_status aws_s3_put(struct aws_client *c, const char *bucket, const char *key,
                           const void *body, size_t len, const char *content_type,
                           struct diag *d)
{
  struct http_response r;
  enum sfl_status st = s3_call(c, "PUT", bucket, key, body, len,
                               content_type ? content_type : "application/octet-stream", &r,
                               d);
  if(!st)
    http_response_free(&r);
  return st;
}

/* CDK's TemplateURL form: https://s3.<region>.<suffix>/<bucket>/<key>. */
char *aws_s3_url(const struct aws_client *c, const char *bucket, const char *key)
{
  char *endpoint = aws_endpoint(&c->opt, c->w, &c->s, "s3");
  if(!endpoint)
    return NULL;
  char *base = join(endpoint, "/");
  free(endpoint);
  if(!base)
    return NULL;
  struct strbuf b = {0};
  strbuf_puts(&b, base);
  free(base);
  sigv4_uri_encode(&b, bucket, strlen(bucket), 0);
  strbuf_putc(&b, '/');
  sigv4_uri_encode(&b, key, strlen(key), 1);
  return strbuf_take(&b);
}

/* }============ */

enum sfl_status aws_client_account(struct aws_client *c, const char **account,
                                   struct diag *d)
{
  *account = c->account;
  if(c->account)
    return SFL_OK;
  struct xml_doc doc;
  enum sfl_status st = aws_query(c, "sts", "2011-06-15", "GetCallerIdentity", NULL, 0, &doc,
                                 d);
  if(st)
    return st;
  const char *a = xml_find(&doc, "GetCallerIdentityResult/Account");
  if(!a || !*a)
    st = diag_set(d, SFL_ERR_IO, nowhere(), "STS GetCallerIdentity answered without an "
                  "Account");
  else if(!(c->account = strdup(a)))
    st = diag_nomem(d);
  xml_free(&doc);
  *account = c->account;
  return st;
}

/* }============ */

/* {============ credentials that need a request */

/* Unsigned GETs and PUTs of the credential endpoints. */
static enum sfl_status fetch(struct aws_client *c, const char *method, const char *url,
                             const struct sigv4_header *h, size_t nh, long timeout,
                             int attempts, struct http_response *out, struct diag *d)
{
  struct call k = {.method = method, .url = url, .timeout = timeout,
                   .max_attempts = attempts};
  memcpy(k.h, h, nh * sizeof *h);
  k.nh = nh;
  return request(c, &k, out, d);
}

/* Replaces the client's credentials by fresh ones. */
static void take_credentials(struct aws_client *c, struct aws_credentials *fresh)
{
  credentials_free(&c->s.credentials);
  c->s.credentials = *fresh;
}

/* The container endpoint: GET fetch_url [Authorization: fetch_token]. */
static enum sfl_status from_container(struct aws_client *c, struct diag *d)
{
  struct sigv4_header auth = {"Authorization", c->s.fetch_token};
  struct http_response r;
  enum sfl_status st = fetch(c, "GET", c->s.fetch_url, &auth, c->s.fetch_token ? 1 : 0, 0, 0,
                             &r, d);
  char from[1024];
  snprintf(from, sizeof from, "the container credentials endpoint %s", c->s.fetch_url);
  if(st) {
    char msg[sizeof d->msg];
    snprintf(msg, sizeof msg, "%s", d->msg);
    return diag_set(d, st, nowhere(), "%s: %s", from, msg);
  }
  struct aws_credentials fresh = {0};
  st = credjson_read(from, r.body, r.len, &fresh, d);
  hash_wipe(r.body, r.len);
  http_response_free(&r);
  if(!st)
    take_credentials(c, &fresh);
  return st;
}

/* How long and how often IMDS is asked (botocore: 1 second, 1 attempt). */
static long metadata_setting(const struct aws_client *c, const char *name, long dflt)
{
  const char *v = env(c, name);
  char *end;
  long n = v ? strtol(v, &end, 10) : 0;
  return v && !*end && n > 0 ? n : dflt;
}

/* IMDSv2: a session token (PUT), the role's name, then its credentials. Why it failed goes
** into d, without the token. */
static enum sfl_status from_instance(struct aws_client *c, struct diag *d)
{
  const char *base = env(c, "AWS_EC2_METADATA_SERVICE_ENDPOINT");
  long timeout = metadata_setting(c, "AWS_METADATA_SERVICE_TIMEOUT", 1);
  int attempts = (int)metadata_setting(c, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", 1);
  char *token_url = join(base ? base : IMDS_ENDPOINT, "/latest/api/token");
  char *roles_url = join(base ? base : IMDS_ENDPOINT, "/latest/meta-data/iam/"
                         "security-credentials/");
  struct http_response tok = {0}, role = {0}, cred = {0};
  struct sigv4_header ttl = {"X-aws-ec2-metadata-token-ttl-seconds", "21600"};
  enum sfl_status st = token_url && roles_url ? SFL_OK : diag_nomem(d);
  if(!st)
    st = fetch(c, "PUT", token_url, &ttl, 1, timeout, attempts, &tok, d);
  struct sigv4_header with = {"X-aws-ec2-metadata-token", tok.body};
  if(!st)
    st = fetch(c, "GET", roles_url, &with, 1, timeout, attempts, &role, d);
  if(!st) {
    role.body[strcspn(role.body, "\r\n")] = '\0';
    if(!*role.body)
      st = diag_set(d, SFL_ERR_IO, nowhere(), "the instance has no IAM role");
  }
  char *cred_url = NULL;
  if(!st) {
    struct strbuf b = {0};
    strbuf_printf(&b, "%s%s", roles_url, role.body);
    cred_url = strbuf_take(&b);
  }
  if(!st && !cred_url)
    st = diag_nomem(d);
  if(!st)
    st = fetch(c, "GET", cred_url, &with, 1, timeout, attempts, &cred, d);
  if(!st) {
    char from[512];
    snprintf(from, sizeof from, "instance metadata (role %s)", role.body);
    struct aws_credentials fresh = {0};
    if(!(st = credjson_read(from, cred.body, cred.len, &fresh, d)))
      take_credentials(c, &fresh);
    hash_wipe(cred.body, cred.len);
  }
  if(tok.body)
    hash_wipe(tok.body, tok.len);
  http_response_free(&tok);
  http_response_free(&role);
  http_response_free(&cred);
  free(token_url);
  free(roles_url);
  free(cred_url);
  return st;
}

/* STS AssumeRole of each role in order, each signed with what the one before gave. */
static enum sfl_status assume_roles(struct aws_client *c, struct diag *d)
{
  for(size_t i = 0; i < c->s.nroles; i++) {
    const struct aws_role *role = &c->s.roles[i];
    c->assuming = (int)i;
    char *body = sts_assume_role_body(role, (long long)time(NULL));
    struct http_response r;
    enum sfl_status st = body ? post(c, "sts", "AssumeRole", "application/"
                                     "x-www-form-urlencoded; charset=utf-8", NULL, body, &r, d)
                              : diag_nomem(d);
    free(body);
    if(st && d->status != SFL_ERR_NOMEM) {
      char msg[sizeof d->msg], status[32] = "";
      snprintf(msg, sizeof msg, "%s", d->msg);
      if(c->http_status)
        snprintf(status, sizeof status, " (HTTP %d)", c->http_status);
      c->assuming = -1;
      return diag_set(d, st, nowhere(), "STS AssumeRole for %s failed%s: %s", role->arn,
                      status, msg);
    }
    if(st)
      return st;
    struct aws_credentials fresh = {0};
    st = sts_read_answer(role, r.status, r.body, r.len, &fresh, d);
    hash_wipe(r.body, r.len);
    http_response_free(&r);
    if(st)
      return st;
    take_credentials(c, &fresh);
  }
  c->assuming = -1;
  return SFL_OK;
}

/* }============ */

/* {============ opening */

/* The settings are resolved with AWS_EC2_METADATA_DISABLED hidden, so that "nothing found"
** always ends at instance metadata, which this file then skips or tries: either way the
** message below says everything that was tried. */
struct hiding {
  const struct aws_world *real;
};

static const char *hiding_getenv(void *ud, const char *name)
{
  const struct hiding *h = ud;
  return strcmp(name, "AWS_EC2_METADATA_DISABLED") ? h->real->getenv(h->real->ud, name)
                                                   : NULL;
}

static char *hiding_read_file(void *ud, const char *path, size_t *len)
{
  const struct hiding *h = ud;
  return h->real->read_file(h->real->ud, path, len);
}

static int hiding_run(void *ud, const char *command, char **out)
{
  const struct hiding *h = ud;
  return h->real->run(h->real->ud, command, out);
}

static enum sfl_status no_credentials(const struct aws_client *c, const char *why,
                                      struct diag *d)
{
  const char *creds = env(c, "AWS_SHARED_CREDENTIALS_FILE");
  const char *config = env(c, "AWS_CONFIG_FILE");
  return diag_set(d, SFL_ERR_INVALID, nowhere(), "no credentials: tried %sprofile '%s' in "
                  "%s and %s, container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
                  "and _FULL_URI are not set) and instance metadata (%s); set "
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give profile '%s' "
                  "credentials (aws configure), or set AWS_PROFILE to a profile that has "
                  "them", c->opt.profile ? "" : "environment variables (AWS_ACCESS_KEY_ID), ",
                  c->s.profile, creds ? creds : "~/.aws/credentials",
                  config ? config : "~/.aws/config", why, c->s.profile);
}

static int truthy(const char *v)
{
  return v && !strcasecmp(v, "true");
}

/* Fetches the first credentials when they need a request, then assumes the roles. */
static enum sfl_status fetch_credentials(struct aws_client *c, struct diag *d)
{
  enum sfl_status st = SFL_OK;
  int fallback = !strcmp(c->s.source ? c->s.source : "", "iam-role");
  if(c->s.fetch == AWS_FETCH_CONTAINER)
    st = from_container(c, d);
  else if(c->s.fetch == AWS_FETCH_INSTANCE) {
    if(truthy(env(c, "AWS_EC2_METADATA_DISABLED")))
      return fallback ? no_credentials(c, "disabled by AWS_EC2_METADATA_DISABLED", d)
                      : diag_set(d, SFL_ERR_INVALID, nowhere(), "profile '%s' takes its "
                                 "credentials from instance metadata "
                                 "(Ec2InstanceMetadata), but AWS_EC2_METADATA_DISABLED is "
                                 "set", c->s.profile);
    if((st = from_instance(c, d)) && d->status != SFL_ERR_NOMEM) {
      char why[sizeof d->msg];
      snprintf(why, sizeof why, "%s", d->msg);
      return fallback ? no_credentials(c, why, d)
                      : diag_set(d, st, nowhere(), "profile '%s': instance metadata: %s",
                                 c->s.profile, why);
    }
  }
  return st ? st : assume_roles(c, d);
}

/* A whole number from 1 to `max` in variable `name` (or the profile's setting). */
static enum sfl_status whole(const char *name, const char *v, long max, long *out,
                             struct diag *d)
{
  char *end;
  long n = strtol(v, &end, 10);
  if(*end || n < 1 || n > max)
    return diag_set(d, SFL_ERR_INVALID, nowhere(), "%s is '%s': it must be a whole number "
                    "from 1 to %ld", name, v, max);
  *out = n;
  return SFL_OK;
}

static enum sfl_status read_limits(struct aws_client *c, struct diag *d)
{
  long n = DEFAULT_ATTEMPTS, t = DEFAULT_TIMEOUT;
  const char *attempts = env(c, "AWS_MAX_ATTEMPTS");
  const char *timeout = env(c, "SFL_HTTP_TIMEOUT");
  enum sfl_status st = SFL_OK;
  if(attempts)
    st = whole("AWS_MAX_ATTEMPTS", attempts, 100, &n, d);
  else if(c->s.max_attempts)
    st = whole("max_attempts (in the profile)", c->s.max_attempts, 100, &n, d);
  if(!st && timeout)
    st = whole("SFL_HTTP_TIMEOUT", timeout, 86400, &t, d);
  c->max_attempts = (int)n;
  c->timeout = t;
  return st;
}

static char *copy(char **store, const char *s)
{
  return *store = s ? strdup(s) : NULL;
}

enum sfl_status aws_client_open(const struct aws_options *o, const struct aws_world *w,
                                struct aws_client **out, struct diag *d)
{
  *out = NULL;
  struct aws_client *c = calloc(1, sizeof *c);
  if(!c)
    return diag_nomem(d);
  c->w = w;
  c->quota = RETRY_QUOTA;
  c->assuming = -1;
  c->seed = (unsigned)time(NULL) ^ (unsigned)getpid();
  c->opt.profile = copy(&c->opt_store[0], o->profile);
  c->opt.region = copy(&c->opt_store[1], o->region);
  c->opt.endpoint_url = copy(&c->opt_store[2], o->endpoint_url);
  struct hiding hide = {w};
  struct aws_world hidden = {hiding_getenv, hiding_read_file, hiding_run, &hide};
  enum sfl_status st = aws_resolve(&c->opt, &hidden, &c->s, d);
  if(!st && !c->s.region)
    st = diag_set(d, SFL_ERR_INVALID, nowhere(), "no region: pass --region, set AWS_REGION "
                  "(or AWS_DEFAULT_REGION), or set region in profile '%s' of %s",
                  c->s.profile, env(c, "AWS_CONFIG_FILE") ? env(c, "AWS_CONFIG_FILE")
                                                          : "~/.aws/config");
  if(!st)
    st = read_limits(c, d);
  if(!st)
    st = http_load(d);
  if(!st && !(c->http = http_open()))
    st = diag_nomem(d);
  if(!st)
    st = fetch_credentials(c, d);
  if(st) {
    aws_client_close(c);
    return st;
  }
  *out = c;
  return SFL_OK;
}

void aws_client_close(struct aws_client *c)
{
  if(!c)
    return;
  http_close(c->http);
  aws_settings_free(&c->s);
  for(size_t i = 0; i < sizeof c->opt_store / sizeof *c->opt_store; i++)
    free(c->opt_store[i]);
  free(c->account);
  free(c->error_code);
  free(c);
}

const char *aws_client_region(const struct aws_client *c)
{
  return c->s.region;
}

const char *aws_client_profile(const struct aws_client *c)
{
  return c->s.profile;
}

const char *aws_client_source(const struct aws_client *c)
{
  return c->s.source;
}

void aws_client_set_trace(struct aws_client *c, FILE *trace)
{
  c->trace = trace;
}

void aws_client_set_stop(struct aws_client *c, volatile sig_atomic_t *stop)
{
  c->stop = stop;
}

const char *aws_client_error_code(const struct aws_client *c)
{
  return c->error_code;
}

int aws_client_http_status(const struct aws_client *c)
{
  return c->http_status;
}

/* }============ */
