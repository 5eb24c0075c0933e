/*
** sigv4.h: AWS Signature Version 4 (AWS4-HMAC-SHA256) for one HTTP request, in the
** Authorization-header form or as a presigned URL, its SHA-256 and HMAC-SHA256 from
** OpenSSL's libcrypto (deploy/crypto.c). Each step of the algorithm has its own function
** (canonical request, string to sign, signature) so that every artifact the AWS test suites publish can be checked on its own;
** sigv4_sign() runs them all and says which headers the caller must add to the request.
**
** Ownership: struct sigv4_request only borrows its strings and arrays; nothing is kept after
** a call returns. Every char * a sigv4_* function hands out is malloc'd and the caller frees
** it (free(), or sigv4_result_free() for a struct sigv4_result). The secret key is used only
** to derive the signing key; it never appears in any output or diag message, and derived key
** material is wiped before the call returns. The session token is sent as a header (or URL
** parameter), so it appears in the outputs like any other header value.
*/
#ifndef SFL_DEPLOY_SIGV4_H
#define SFL_DEPLOY_SIGV4_H

#include <stddef.h>

#include "core/diag.h"

#define SIGV4_HEX 65                        /* a SHA-256 or signature as hex, with the NUL */
#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"  /* for payload_hash (S3 presigned URLs) */
#define SIGV4_MAX_EXPIRES 604800            /* seven days: the longest a presigned URL lives */

/* Options for sigv4_request.flags; 0 is right for every service except S3. */
enum {
  /* Sign the path as given: no dot-segment removal, no merging of "//" (S3 needs this). */
  SIGV4_NO_NORMALIZE_PATH = 1 << 0,
  /* The path is already URI-encoded as sent and is signed as it is, instead of being
     encoded once more ("double encoding", which every service but S3 expects). */
  SIGV4_NO_DOUBLE_ENCODE = 1 << 1,
  /* Add and sign x-amz-content-sha256 with the payload hash (S3 requires it); header
     form only. */
  SIGV4_CONTENT_SHA256 = 1 << 2,
  /* Add the session token after signing instead of signing it (services that want
     X-Amz-Security-Token left out of the canonical request). */
  SIGV4_TOKEN_UNSIGNED = 1 << 3,
  /* Produce presigned-URL query parameters (X-Amz-Signature=...) instead of headers. */
  SIGV4_PRESIGN = 1 << 4
};

struct sigv4_header {
  const char *name;   /* any case; compared case-insensitively */
  const char *value;  /* a single line: CR and LF are refused */
};

struct sigv4_request {
  /* The HTTP request, as it will be sent. */
  const char *method;      /* "GET", "POST", ... */
  const char *path;        /* "/a/b", as sent; NULL or "" means "/" */
  const char *query;       /* after the '?', as sent (%XX decoded, '+' is a plus); may be NULL */
  const struct sigv4_header *headers;  /* in order, duplicates allowed; must include Host */
  size_t nheaders;
  const void *payload;     /* the body, hashed unless payload_hash is set */
  size_t payload_len;
  const char *payload_hash;  /* NULL, or used as is: 64 hex digits or "UNSIGNED-PAYLOAD" */

  /* Who signs, for what, and when. */
  const char *access_key_id;
  const char *secret_key;
  const char *session_token;  /* NULL without temporary credentials */
  const char *region;         /* "us-east-1" */
  const char *service;        /* "cloudformation", "s3", ... */
  const char *timestamp;      /* X-Amz-Date form, UTC: "20150830T123600Z" */
  unsigned flags;             /* SIGV4_* */
  unsigned expires;           /* SIGV4_PRESIGN only: seconds, 1..SIGV4_MAX_EXPIRES */
};

/* What sigv4_sign() produces (it overwrites the struct); release with sigv4_result_free(). */
struct sigv4_result {
  char *canonical_request;
  char *string_to_sign;
  char signature[SIGV4_HEX];
  /* Header form: the Authorization value, and every header to add to the request, in this
     order: X-Amz-Security-Token, X-Amz-Date, x-amz-content-sha256 (each only when the
     request does not have it already), then Authorization. */
  char *authorization;
  struct sigv4_header headers[4];
  size_t nheaders;
  /* SIGV4_PRESIGN: "X-Amz-Algorithm=...&...&X-Amz-Signature=...", already encoded, to append
     to the query (after a '&' when the query is not empty). nheaders is 0. */
  char *query;
  char *store;  /* private: holds the header values */
};

/* The canonical request. Headers the signer will add and sign (X-Amz-Date, the token,
   x-amz-content-sha256), or the X-Amz-* query parameters when presigning, are part of it. */
enum sfl_status sigv4_canonical_request(const struct sigv4_request *r, char **out,
                                        struct diag *d);

/* The string to sign for a canonical request (only r's timestamp, region and service are
   read). */
enum sfl_status sigv4_string_to_sign(const struct sigv4_request *r, const char *canonical,
                                     char **out, struct diag *d);

/* The hex signature of a string to sign, with the key derived from r's secret key, date,
   region and service. */
enum sfl_status sigv4_signature(const struct sigv4_request *r, const char *string_to_sign,
                                char out[SIGV4_HEX], struct diag *d);

/* All of the above, plus the Authorization header or the presigned query. On failure res
   holds nothing to free. */
enum sfl_status sigv4_sign(const struct sigv4_request *r, struct sigv4_result *res,
                           struct diag *d);
void sigv4_result_free(struct sigv4_result *res);

#endif
