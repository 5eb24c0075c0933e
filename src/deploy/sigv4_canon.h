/*
** sigv4_canon.h: the three canonical forms inside a SigV4 canonical request (URI path,
** query string, headers), for sigv4.c only. Each function appends to strbufs the caller
** owns; on failure it fills the diag and the buffers hold partial text to be discarded.
*/
#ifndef SFL_DEPLOY_SIGV4_CANON_H
#define SFL_DEPLOY_SIGV4_CANON_H

#include <stddef.h>

#include "core/diag.h"
#include "core/strbuf.h"
#include "deploy/sigv4.h"

/* Percent-encodes every byte but A-Za-z0-9-_.~ (and '/' when keep_slash), as %XX in
   uppercase hex. */
void sigv4_uri_encode(struct strbuf *b, const char *s, size_t n, int keep_slash);

/* The canonical URI for a path as sent, under SIGV4_NO_NORMALIZE_PATH and
   SIGV4_NO_DOUBLE_ENCODE from flags. */
enum sfl_status sigv4_canon_path(const char *path, unsigned flags, struct strbuf *out,
                                 struct diag *d);

/* The canonical query string: the parameters of `query` (as sent: %XX decoded, then
   encoded again) and the `extra` ones (names and values not encoded yet), sorted by name,
   then value. */
enum sfl_status sigv4_canon_query(const char *query, const struct sigv4_header *extra,
                                  size_t nextra, struct strbuf *out, struct diag *d);

/* The canonical headers ("name:value\n" each, sorted, duplicates joined with ',') of h
   followed by extra, into canon; the signed-headers list ("a;b;c") into names. */
enum sfl_status sigv4_canon_headers(const struct sigv4_header *h, size_t n,
                                    const struct sigv4_header *extra, size_t nextra,
                                    struct strbuf *canon, struct strbuf *names,
                                    struct diag *d);

/* The first header of h named `name` (case-insensitively), or NULL. */
const struct sigv4_header *sigv4_find_header(const struct sigv4_header *h, size_t n,
                                             const char *name);

/* Whether value, without leading and trailing blanks, is exactly want. */
int sigv4_value_is(const char *value, const char *want);

#endif
