/*
** http.h: one HTTP(S) request at a time over libcurl, which is opened with dlopen() the
** first time a connection is made, so a process that never talks to AWS (every
** `sfl synth`) does not pay for loading libcurl and the TLS stack under it.
**
** The caller builds the whole request (signing is not done here) and gets the whole answer
** back; deciding what is an error and retrying are the caller's. A connection is kept open
** between requests to the same host.
**
** Secrets: header values are sent, never written into a message.
*/
#ifndef SFL_DEPLOY_HTTP_H
#define SFL_DEPLOY_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "core/diag.h"
#include "deploy/sigv4.h"

struct http;   /* opaque: a connection cache */

struct http_request {
  const char *method;                  /* "GET", "PUT", "POST", "HEAD" */
  const char *url;                     /* absolute, already encoded */
  const struct sigv4_header *headers;  /* sent as given (Host included) */
  size_t nheaders;
  const void *body;                    /* NULL: none */
  size_t len;
  long timeout;                        /* seconds without progress before giving up; 0: 60 */
  volatile sig_atomic_t *stop;         /* when set (by a signal handler), give up now */
};

/* What went wrong when no answer came. */
enum http_failure {
  HTTP_ANSWERED = 0,   /* an HTTP answer arrived (any status) */
  HTTP_CONNECT,        /* could not connect (refused, unreachable, no such host) */
  HTTP_TIMEOUT,        /* no progress within the timeout */
  HTTP_BROKEN,         /* the connection broke: reset, closed without an answer */
  HTTP_STOPPED,        /* *stop was set */
  HTTP_OTHER           /* anything else (bad URL, TLS failure): not worth retrying */
};

struct http_response {
  int status;              /* 0 when no answer came */
  char *body;              /* malloc'd, NUL-terminated (also when empty) */
  size_t len;
  enum http_failure failure;
};

/* Opens libcurl once for the process; a machine without it gets a message naming the
** Debian package libcurl4. */
enum sfl_status http_load(struct diag *d);
/* A connection cache (http_load first). NULL when out of memory. */
struct http *http_open(void);
void http_close(struct http *h);   /* NULL is fine */

/* Sends r and waits for the whole answer. SFL_OK whenever an HTTP answer came, whatever its
** status; SFL_ERR_IO with out->failure and a message naming the URL (without its query) when
** none did. out->body is always set (free with http_response_free). */
enum sfl_status http_send(struct http *h, const struct http_request *r,
                          struct http_response *out, struct diag *d);
void http_response_free(struct http_response *r);

#endif
