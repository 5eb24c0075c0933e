/*
** sigv4_canon.c: the canonical URI, query string and header block of a SigV4 canonical
** request, as AWS's "Create a canonical request" page describes them and as both published
** test suites check them. Paths are normalized like RFC 3986 remove_dot_segments plus the
** merging of empty segments, then encoded segment by segment; query parameters are decoded
** and encoded again so that "%e1" and a raw byte sign the same; header values are trimmed
** and their blank runs collapsed (inside quotes too: the suites' get-header-value-trim
** wants "a   b   c" signed as "a b c"), and repeated names are joined with commas in the
** order given. Nothing here sees a credential.
*/
#include "deploy/sigv4_canon.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct sfl_loc noloc;

/* ======================================================================
** Encoding
** ====================================================================== */

static int is_unreserved(unsigned char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '_' || c == '.' || c == '~';
}

static int hexval(unsigned char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static void put_byte(struct strbuf *b, unsigned char c)
{
  static const char hex[] = "0123456789ABCDEF";
  if(is_unreserved(c)) {
    strbuf_putc(b, (char)c);
  }
  else {
    char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
    strbuf_add(b, esc, 3);
  }
}

void sigv4_uri_encode(struct strbuf *b, const char *s, size_t n, int keep_slash)
{
  for(size_t i = 0; i < n; i++) {
    if(keep_slash && s[i] == '/')
      strbuf_putc(b, '/');
    else
      put_byte(b, (unsigned char)s[i]);
  }
}

/*
** Decodes %XX sequences of text that was sent (a '%' without two hex digits stays a
** '%') and encodes the bytes again, so that every way of writing a byte signs the same.
** A literal '/' is kept when keep_slash; a decoded "%2F" is data and stays encoded.
*/
static void reencode(struct strbuf *b, const char *s, size_t n, int keep_slash)
{
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(c == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
       hexval((unsigned char)s[i + 2]) >= 0) {
      put_byte(b, (unsigned char)(hexval((unsigned char)s[i + 1]) * 16 +
                                  hexval((unsigned char)s[i + 2])));
      i += 2;
    }
    else if(keep_slash && c == '/') {
      strbuf_putc(b, '/');
    }
    else {
      put_byte(b, c);
    }
  }
}

/* ======================================================================
** URI path
** ====================================================================== */

struct seg {
  const char *s;
  size_t n;
};

/*
** Removes "." and ".." segments and merges runs of '/', keeping a final '/' when the path
** ends in one (or in a dot segment, as RFC 3986 does: "/a/b/.." is "/a/"). Fills segs and
** returns how many there are; *trailing says whether a '/' follows the last one.
*/
static size_t normalize(const char *path, struct seg *segs, int *trailing)
{
  size_t nseg = 0;
  const char *p = path;
  *trailing = 0;
  while(*p) {
    while(*p == '/')
      p++;
    const char *start = p;
    while(*p && *p != '/')
      p++;
    size_t n = (size_t)(p - start);
    int dot = n == 1 && start[0] == '.';
    int dotdot = n == 2 && start[0] == '.' && start[1] == '.';
    if(dotdot && nseg)
      nseg--;
    if(n && !dot && !dotdot) {
      segs[nseg].s = start;
      segs[nseg].n = n;
      nseg++;
    }
    *trailing = n == 0 || dot || dotdot;
  }
  return nseg;
}

enum sfl_status sigv4_canon_path(const char *path, unsigned flags, struct strbuf *out,
                                 struct diag *d)
{
  int once = (flags & SIGV4_NO_DOUBLE_ENCODE) != 0;
  if(!path || !*path)
    path = "/";
  if(path[0] != '/')
    return diag_set(d, SFL_ERR_INVALID, noloc, "SigV4: the request path must start with '/'");
  if(flags & SIGV4_NO_NORMALIZE_PATH) {
    if(once)
      reencode(out, path, strlen(path), 1);
    else
      sigv4_uri_encode(out, path, strlen(path), 1);
    return out->failed ? diag_nomem(d) : SFL_OK;
  }
  size_t most = 1;
  for(const char *p = path; *p; p++)
    most += *p == '/';
  struct seg *segs = malloc(most * sizeof *segs);
  if(!segs)
    return diag_nomem(d);
  int trailing;
  size_t nseg = normalize(path, segs, &trailing);
  for(size_t i = 0; i < nseg; i++) {
    strbuf_putc(out, '/');
    if(once)
      reencode(out, segs[i].s, segs[i].n, 0);
    else
      sigv4_uri_encode(out, segs[i].s, segs[i].n, 0);
  }
  if(!nseg || trailing)
    strbuf_putc(out, '/');
  free(segs);
  return out->failed ? diag_nomem(d) : SFL_OK;
}

/* ======================================================================
** Query string
** ====================================================================== */

struct param {
  size_t key, value;      /* offsets into the work buffer while it grows */
  const char *k, *v;      /* the same, once it is complete */
};

static int param_cmp(const void *a, const void *b)
{
  const struct param *x = a, *y = b;
  int c = strcmp(x->k, y->k);
  return c ? c : strcmp(x->v, y->v);
}

/* Appends one encoded "key\0value\0" to work and records where they are. */
static void add_param(struct strbuf *work, struct param *p, const char *k, size_t kn,
                      const char *v, size_t vn, int raw)
{
  p->key = work->len;
  if(raw)
    reencode(work, k, kn, 0);
  else
    sigv4_uri_encode(work, k, kn, 0);
  strbuf_add(work, "", 1);
  p->value = work->len;
  if(raw)
    reencode(work, v, vn, 0);
  else
    sigv4_uri_encode(work, v, vn, 0);
  strbuf_add(work, "", 1);
}

enum sfl_status sigv4_canon_query(const char *query, const struct sigv4_header *extra,
                                  size_t nextra, struct strbuf *out, struct diag *d)
{
  if(!query)
    query = "";
  size_t most = nextra + 1;
  for(const char *p = query; *p; p++)
    most += *p == '&';
  struct param *params = malloc(most * sizeof *params);
  if(!params)
    return diag_nomem(d);
  struct strbuf work = {0};
  size_t np = 0;
  for(const char *p = query; *p;) {
    const char *end = strchr(p, '&');
    if(!end)
      end = p + strlen(p);
    if(end > p) {  /* "a=1&&b=2" has no third parameter */
      const char *eq = memchr(p, '=', (size_t)(end - p));
      const char *vs = eq ? eq + 1 : end;
      add_param(&work, &params[np++], p, (size_t)((eq ? eq : end) - p), vs,
                (size_t)(end - vs), 1);
    }
    p = *end ? end + 1 : end;
  }
  for(size_t i = 0; i < nextra; i++)
    add_param(&work, &params[np++], extra[i].name, strlen(extra[i].name), extra[i].value,
              strlen(extra[i].value), 0);
  if(!work.failed) {
    for(size_t i = 0; i < np; i++) {
      params[i].k = work.buf + params[i].key;
      params[i].v = work.buf + params[i].value;
    }
    qsort(params, np, sizeof *params, param_cmp);
    for(size_t i = 0; i < np; i++) {
      if(i)
        strbuf_putc(out, '&');
      strbuf_puts(out, params[i].k);
      strbuf_putc(out, '=');
      strbuf_puts(out, params[i].v);
    }
  }
  int failed = work.failed || out->failed;
  strbuf_free(&work);
  free(params);
  return failed ? diag_nomem(d) : SFL_OK;
}

/* ======================================================================
** Headers
** ====================================================================== */

struct hdr {
  const char *name;   /* lowercased copy in the names buffer */
  const char *value;  /* the caller's */
  size_t order;       /* position in the request: repeated names keep it */
};

static int hdr_cmp(const void *a, const void *b)
{
  const struct hdr *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  if(c)
    return c;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int is_tchar(unsigned char c)
{
  return is_unreserved(c) || (c && strchr("!#$%&'*+^`|", c));
}

static enum sfl_status check_header(const struct sigv4_header *h, struct diag *d)
{
  if(!h->name || !*h->name)
    return diag_set(d, SFL_ERR_INVALID, noloc, "SigV4: a request header has no name");
  for(const char *p = h->name; *p; p++)
    if(!is_tchar((unsigned char)*p))
      return diag_set(d, SFL_ERR_INVALID, noloc, "SigV4: header name '%s' is not an HTTP token",
                      h->name);
  if(!h->value)
    return diag_set(d, SFL_ERR_INVALID, noloc, "SigV4: header '%s' has no value", h->name);
  if(strpbrk(h->value, "\r\n"))
    return diag_set(d, SFL_ERR_INVALID, noloc,
                    "SigV4: header '%s' has a line break in its value", h->name);
  return SFL_OK;
}

/* Appends value without leading and trailing blanks, each inner run of blanks as one
   space. */
static void put_trimmed(struct strbuf *b, const char *value)
{
  const char *p = value;
  int blank = 0;
  while(*p == ' ' || *p == '\t')
    p++;
  for(; *p; p++) {
    if(*p == ' ' || *p == '\t') {
      blank = 1;
      continue;
    }
    if(blank)
      strbuf_putc(b, ' ');
    blank = 0;
    strbuf_putc(b, *p);
  }
}

/* Fills hs[] from h and extra with lowercased names stored in *lower (caller frees). */
static enum sfl_status collect(const struct sigv4_header *h, size_t n,
                               const struct sigv4_header *extra, size_t nextra,
                               struct hdr *hs, char **lower, struct diag *d)
{
  size_t total = 0;
  for(size_t i = 0; i < n + nextra; i++) {
    const struct sigv4_header *x = i < n ? &h[i] : &extra[i - n];
    enum sfl_status st = check_header(x, d);
    if(st)
      return st;
    total += strlen(x->name) + 1;
  }
  char *buf = malloc(total ? total : 1);
  if(!buf)
    return diag_nomem(d);
  char *w = buf;
  for(size_t i = 0; i < n + nextra; i++) {
    const struct sigv4_header *x = i < n ? &h[i] : &extra[i - n];
    hs[i].name = w;
    for(const char *p = x->name; *p; p++)
      *w++ = (char)((*p >= 'A' && *p <= 'Z') ? *p - 'A' + 'a' : *p);
    *w++ = '\0';
    hs[i].value = x->value;
    hs[i].order = i;
  }
  *lower = buf;
  return SFL_OK;
}

enum sfl_status sigv4_canon_headers(const struct sigv4_header *h, size_t n,
                                    const struct sigv4_header *extra, size_t nextra,
                                    struct strbuf *canon, struct strbuf *names,
                                    struct diag *d)
{
  struct hdr *hs = malloc((n + nextra ? n + nextra : 1) * sizeof *hs);
  char *lower = NULL;
  if(!hs)
    return diag_nomem(d);
  enum sfl_status st = collect(h, n, extra, nextra, hs, &lower, d);
  if(st) {
    free(hs);
    return st;
  }
  qsort(hs, n + nextra, sizeof *hs, hdr_cmp);
  for(size_t i = 0; i < n + nextra; i++) {
    int same = i && !strcmp(hs[i].name, hs[i - 1].name);
    if(same) {
      strbuf_putc(canon, ',');
    }
    else {
      if(i) {
        strbuf_putc(canon, '\n');
        strbuf_putc(names, ';');
      }
      strbuf_puts(canon, hs[i].name);
      strbuf_putc(canon, ':');
      strbuf_puts(names, hs[i].name);
    }
    put_trimmed(canon, hs[i].value);
  }
  if(n + nextra)
    strbuf_putc(canon, '\n');
  free(lower);
  free(hs);
  return canon->failed || names->failed ? diag_nomem(d) : SFL_OK;
}

const struct sigv4_header *sigv4_find_header(const struct sigv4_header *h, size_t n,
                                             const char *name)
{
  for(size_t i = 0; i < n; i++)
    if(h[i].name && !strcasecmp(h[i].name, name))
      return &h[i];
  return NULL;
}

int sigv4_value_is(const char *value, const char *want)
{
  size_t n = strlen(want);
  while(*value == ' ' || *value == '\t')
    value++;
  if(strncmp(value, want, n))
    return 0;
  for(value += n; *value; value++)
    if(*value != ' ' && *value != '\t')
      return 0;
  return 1;
}
