/*
** file.c: a whole file or stream read into memory (file.h).
*/
#include "core/file.h"

#include <stdlib.h>

char *file_read_stream(FILE *f, size_t *len)
{
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap + 1);
  /* fread stops short only at the end or on an error: a full buffer means read on. */
  while(buf && (n += fread(buf + n, 1, cap - n, f)) == cap) {
    char *bigger = realloc(buf, 2 * cap + 1);
    if(!bigger)
      free(buf);
    buf = bigger;
    cap *= 2;
  }
  if(buf && ferror(f)) {
    free(buf);
    buf = NULL;
  }
  if(buf) {
    buf[n] = '\0';
    *len = n;
  }
  return buf;
}

char *file_read(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if(!f)
    return NULL;
  char *text = file_read_stream(f, len);
  fclose(f);
  return text;
}
