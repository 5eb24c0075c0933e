/*
** fuzz.h: what the fuzz targets share. Each target defines LLVMFuzzerTestOneInput; built
** with SFL_FUZZ=ON it links libFuzzer, otherwise replay.c's main() feeds it every file of
** the corpus folders named on the command line (the ctest fuzz_<target>).
*/
#ifndef SFL_FUZZ_H
#define SFL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A NUL-terminated copy of data[0..size) (the caller frees it). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
  char *s = malloc(size + 1);
  if(s) {
    memcpy(s, data, size);
    s[size] = '\0';
  }
  return s;
}

/*
** Splits an input at its first NUL byte: *first is the text before it (NUL-terminated,
** in a copy the caller frees, which also holds *second), *second what follows (NULL when
** there is no NUL byte).
*/
static inline char *fuzz_split(const uint8_t *data, size_t size, char **second)
{
  char *s = fuzz_strndup(data, size);
  *second = NULL;
  if(s) {
    size_t n = strlen(s);
    if(n < size)
      *second = s + n + 1;
  }
  return s;
}

#endif
