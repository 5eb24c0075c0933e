/*
** http.c: HTTP(S) requests through libcurl's easy interface, libcurl opened with dlopen().
**
** Why dlopen: linked, libcurl and the libraries it pulls in (OpenSSL, nghttp2, libssh2,
** GSSAPI, LDAP...) cost every process about 13 million instructions of loading and
** relocation before main(), and `sfl synth` never makes a request. Only the first
** http_load() pays, once.
*/
#include "deploy/http.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "core/clock.h"
#include "core/dynlib.h"
#include "core/strbuf.h"

/* {============ libcurl, opened once */

static struct {
  CURLcode (*global_init)(long flags);
  void (*global_cleanup)(void);
  CURL *(*init)(void);
  CURLcode (*setopt)(CURL *c, CURLoption o, ...);
  CURLcode (*perform)(CURL *c);
  CURLcode (*getinfo)(CURL *c, CURLINFO i, ...);
  void (*reset)(CURL *c);
  void (*cleanup)(CURL *c);
  struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
  void (*slist_free_all)(struct curl_slist *l);
  const char *(*strerror)(CURLcode code);
} api;

#define SYM(name, field) DYNLIB_SYMBOL(api, name, field)
static const struct dynlib_symbol symbols[] = {
  SYM("curl_global_init", global_init), SYM("curl_global_cleanup", global_cleanup),
  SYM("curl_easy_init", init), SYM("curl_easy_setopt", setopt),
  SYM("curl_easy_perform", perform), SYM("curl_easy_getinfo", getinfo),
  SYM("curl_easy_reset", reset), SYM("curl_easy_cleanup", cleanup),
  SYM("curl_slist_append", slist_append), SYM("curl_slist_free_all", slist_free_all),
  SYM("curl_easy_strerror", strerror),
};
#undef SYM

/* libcurl's global state (OpenSSL's included) is given back at exit, so a leak checker
** sees only what is really left. */
static void unload(void)
{
  api.global_cleanup();
}

enum sfl_status http_load(struct diag *d)
{
  static int loaded;
  struct sfl_loc none = {0};
  if(loaded)
    return SFL_OK;
  enum sfl_status st = dynlib_load(SFL_CURL_SONAME, "talking to AWS needs libcurl", "libcurl4",
                                   symbols, sizeof symbols / sizeof *symbols, &api, d);
  if(st)
    return st;
  CURLcode rc = api.global_init(CURL_GLOBAL_DEFAULT);
  if(rc != CURLE_OK)
    return diag_set(d, SFL_ERR_IO, none, "libcurl could not start: %s", api.strerror(rc));
  atexit(unload);
  loaded = 1;
  return SFL_OK;
}

/* }============ */

struct http {
  CURL *curl;
};

struct http *http_open(void)
{
  struct http *h = calloc(1, sizeof *h);
  if(h && !(h->curl = api.init())) {
    free(h);
    h = NULL;
  }
  return h;
}

void http_close(struct http *h)
{
  if(h) {
    api.cleanup(h->curl);
    free(h);
  }
}

/* A read timeout: a transfer stops when no byte has moved either way for `timeout`
** seconds. (libcurl's LOW_SPEED_TIME averages speed over a few seconds, so the bytes of the
** request itself keep a silent server alive too long for short timeouts.) libcurl calls
** on_progress at least once a second, so a timeout fires within a second of being due. */
struct watch {
  curl_off_t moved;
  struct timespec last;
  long timeout;
  int expired;
  volatile sig_atomic_t *stop;
};

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
  struct watch *w = ud;
  (void)dltotal, (void)ultotal;
  if(w->stop && *w->stop)
    return 1;
  if(dlnow + ulnow != w->moved) {
    w->moved = dlnow + ulnow;
    clock_gettime(CLOCK_MONOTONIC, &w->last);
    return 0;
  }
  w->expired = clock_seconds_since(&w->last) >= (double)w->timeout;
  return w->expired;
}

/* The answer's body, as it arrives; a failed allocation stops the transfer. */
static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
  struct strbuf *b = ud;
  strbuf_add(b, data, size * n);
  return b->failed ? 0 : size * n;
}

static enum http_failure failure_of(CURLcode rc)
{
  switch(rc) {
  case CURLE_COULDNT_CONNECT:
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
    return HTTP_CONNECT;
  case CURLE_OPERATION_TIMEDOUT:
    return HTTP_TIMEOUT;
  case CURLE_GOT_NOTHING:
  case CURLE_SEND_ERROR:
  case CURLE_RECV_ERROR:
  case CURLE_PARTIAL_FILE:
    return HTTP_BROKEN;
  default:
    return HTTP_OTHER;
  }
}

/* "Name: value" lines; NULL when out of memory. */
static struct curl_slist *header_list(const struct http_request *r)
{
  struct curl_slist *list = NULL;
  struct strbuf line = {0};
  for(size_t i = 0; i < r->nheaders; i++) {
    line.len = 0;
    strbuf_printf(&line, "%s: %s", r->headers[i].name, r->headers[i].value);
    struct curl_slist *more = line.failed ? NULL : api.slist_append(list, line.buf);
    if(!more) {
      api.slist_free_all(list);
      list = NULL;
      break;
    }
    list = more;
  }
  /* curl would send Expect: 100-continue before large bodies and wait for it; the
  ** request is sent at once instead (it is signed, the server reads it either way). */
  struct curl_slist *more = list ? api.slist_append(list, "Expect:") : NULL;
  if(!more)
    api.slist_free_all(list);
  strbuf_free(&line);
  return more;
}

static void set_method(CURL *c, const struct http_request *r)
{
  if(!strcmp(r->method, "HEAD"))
    api.setopt(c, CURLOPT_NOBODY, 1L);
  else if(!strcmp(r->method, "GET") && !r->body)
    api.setopt(c, CURLOPT_HTTPGET, 1L);
  else {
    api.setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->len);
    api.setopt(c, CURLOPT_POSTFIELDS, r->body ? r->body : "");
    if(strcmp(r->method, "POST"))
      api.setopt(c, CURLOPT_CUSTOMREQUEST, r->method);
  }
}

static const char *failure_words[] = {
  [HTTP_CONNECT] = "could not connect to",
  [HTTP_TIMEOUT] = "no answer in time from",
  [HTTP_BROKEN] = "the connection broke with",
  [HTTP_STOPPED] = "stopped waiting for",
  [HTTP_OTHER] = "the request failed to",
};

enum sfl_status http_send(struct http *h, const struct http_request *r,
                          struct http_response *out, struct diag *d)
{
  struct sfl_loc none = {0};
  struct strbuf body = {0};
  char error[CURL_ERROR_SIZE] = "";
  long timeout = r->timeout > 0 ? r->timeout : 60;
  memset(out, 0, sizeof *out);
  struct curl_slist *headers = header_list(r);
  if(!headers)
    return diag_nomem(d);
  CURL *c = h->curl;
  api.reset(c);
  api.setopt(c, CURLOPT_URL, r->url);
  api.setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  api.setopt(c, CURLOPT_NOSIGNAL, 1L);
  api.setopt(c, CURLOPT_HTTPHEADER, headers);
  api.setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  api.setopt(c, CURLOPT_WRITEDATA, &body);
  api.setopt(c, CURLOPT_ERRORBUFFER, error);
  api.setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
  struct watch watch = {.timeout = timeout, .stop = r->stop};
  clock_gettime(CLOCK_MONOTONIC, &watch.last);
  api.setopt(c, CURLOPT_NOPROGRESS, 0L);
  api.setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  api.setopt(c, CURLOPT_XFERINFODATA, &watch);
  set_method(c, r);
  CURLcode rc = api.perform(c);
  api.slist_free_all(headers);
  api.setopt(c, CURLOPT_ERRORBUFFER, NULL);
  long status = 0;
  if(rc == CURLE_OK)
    api.getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  out->len = body.len;
  if(!(out->body = strbuf_take(&body)))
    return diag_nomem(d);
  out->status = (int)status;
  if(rc == CURLE_OK)
    return SFL_OK;
  out->failure = watch.stop && *watch.stop ? HTTP_STOPPED
                 : watch.expired ? HTTP_TIMEOUT : failure_of(rc);
  int urllen = (int)strcspn(r->url, "?");
  if(out->failure == HTTP_STOPPED)
    snprintf(error, sizeof error, "interrupted");
  else if(watch.expired)
    snprintf(error, sizeof error, "nothing heard for %ld s", timeout);
  return diag_set(d, SFL_ERR_IO, none, "%s %.*s (%s)", failure_words[out->failure], urllen,
                  r->url, *error ? error : api.strerror(rc));
}

void http_response_free(struct http_response *r)
{
  free(r->body);
  memset(r, 0, sizeof *r);
}
