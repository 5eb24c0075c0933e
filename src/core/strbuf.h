/*
** strbuf.h: a growable byte buffer (malloc'd; the owner calls strbuf_free).
** A failed allocation sets `failed` and later appends do nothing, so callers
** check once at the end.
*/
#ifndef SFL_CORE_STRBUF_H
#define SFL_CORE_STRBUF_H

#include <stddef.h>

struct strbuf {
  char *buf;    /* always NUL-terminated once anything was added */
  size_t len, cap;
  int failed;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer over (caller frees); "" when empty, NULL when an allocation failed. */
char *strbuf_take(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
