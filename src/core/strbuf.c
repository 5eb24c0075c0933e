/*
** strbuf.c: growable byte buffer.
*/
#include "core/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `extra` more bytes and the NUL (the slow path of the adds). */
static int grow(struct strbuf *b, size_t extra)
{
  if(b->failed)
    return -1;
  if(b->len + extra + 1 <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 256;
  while(cap < b->len + extra + 1)
    cap *= 2;
  char *p = realloc(b->buf, cap);
  if(!p) {
    b->failed = 1;
    return -1;
  }
  b->buf = p;
  b->cap = cap;
  return 0;
}

void strbuf_add(struct strbuf *b, const char *s, size_t n)
{
  /* The buffer never has room while `failed` is set (cap is what was allocated). */
  if(b->len + n + 1 > b->cap && grow(b, n))
    return;
  memcpy(b->buf + b->len, s, n);
  b->len += n;
  b->buf[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
  strbuf_add(b, s, strlen(s));
}

void strbuf_putc(struct strbuf *b, char c)
{
  if(b->len + 2 > b->cap && grow(b, 1))
    return;
  b->buf[b->len++] = c;
  b->buf[b->len] = '\0';
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0 || grow(b, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *strbuf_take(struct strbuf *b)
{
  if(b->failed) {
    strbuf_free(b);
    return NULL;
  }
  char *p = b->buf ? b->buf : calloc(1, 1);
  b->buf = NULL;
  b->len = b->cap = 0;
  return p;
}

void strbuf_free(struct strbuf *b)
{
  free(b->buf);
  b->buf = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}
