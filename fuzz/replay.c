/*
** replay.c: main() for the fuzz targets when they are not built with libFuzzer (gcc, CI):
** runs the target once on each file named on the command line, or on each file of each
** folder named. A crash or sanitizer report ends the run like libFuzzer's would.
*/
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>

static int replay_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if(!f) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return 1;
  }
  size_t cap = 4096, n = 0, got;
  uint8_t *buf = malloc(cap);
  while(buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if(n == cap) {
      uint8_t *more = realloc(buf, cap *= 2);
      if(!more)
        free(buf);
      buf = more;
    }
  }
  fclose(f);
  if(!buf) {
    fprintf(stderr, "replay: out of memory reading %s\n", path);
    return 1;
  }
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 0;
}

static int replay(const char *path, size_t *count)
{
  struct stat st;
  if(stat(path, &st)) {
    fprintf(stderr, "replay: no such file or folder %s\n", path);
    return 1;
  }
  if(!S_ISDIR(st.st_mode)) {
    ++*count;
    return replay_file(path);
  }
  struct dirent **names;
  int n = scandir(path, &names, NULL, alphasort), bad = 0;
  if(n < 0) {
    fprintf(stderr, "replay: cannot read folder %s\n", path);
    return 1;
  }
  for(int i = 0; i < n; i++) {
    if(names[i]->d_name[0] != '.') {
      size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
      char *child = malloc(len);
      if(child) {
        snprintf(child, len, "%s/%s", path, names[i]->d_name);
        bad |= replay(child, count);
        free(child);
      }
    }
    free(names[i]);
  }
  free(names);
  return bad;
}

int main(int argc, char **argv)
{
  size_t count = 0;
  int bad = 0;
  for(int i = 1; i < argc; i++)
    bad |= replay(argv[i], &count);
  printf("replayed %zu inputs\n", count);
  return bad || !count;
}
