/*
** test_file.c: core/file.c, the whole-file reader the CLI and deploy share: empty files,
** NUL bytes, sizes at and across the buffer's doublings, pipes, and what cannot be read.
*/
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/file.h"

static char path[] = "/tmp/sfl-test-file-XXXXXX";

/* Writes n bytes (byte i is i % 251, so NULs included) and reads them back. */
static void round_trip(size_t n)
{
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if(!f)
    return;
  for(size_t i = 0; i < n; i++)
    fputc((int)(i % 251), f);
  fclose(f);
  size_t len = 12345;
  char *text = file_read(path, &len);
  CHECK(text != NULL);
  CHECK(len == n);
  int same = text != NULL;
  for(size_t i = 0; same && i < n; i++)
    same = (unsigned char)text[i] == i % 251;
  CHECK(same);
  CHECK(text && text[n] == '\0');   /* terminated after the last byte */
  free(text);
}

int main(void)
{
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  if(fd >= 0)
    close(fd);
  static const size_t sizes[] = {0, 1, 65535, 65536, 65537, 131072, 300000};
  for(size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
    round_trip(sizes[i]);
  remove(path);

  size_t len = 7;
  CHECK(file_read(path, &len) == NULL);          /* gone */
  CHECK(len == 7);
  CHECK(file_read("/tmp", &len) == NULL);        /* a folder: opens, but reading fails */

  FILE *p = popen("printf 'a\\000b'", "r");      /* a stream that is not a file */
  CHECK(p != NULL);
  char *out = p ? file_read_stream(p, &len) : NULL;
  CHECK(out && len == 3 && !memcmp(out, "a\0b", 4));
  free(out);
  if(p)
    pclose(p);
  return check_done("test_file");
}
