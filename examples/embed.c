/*
** embed.c: a small tool that embeds sfl: it loads a Lua app and prints the ASL of each of
** its state machines. Build it against an installed sfl:
**
**   cc embed.c $(pkg-config --cflags --libs sfl) -o embed
**   ./embed app.lua
*/
#include <stdio.h>

#include <sfl.h>

int main(int argc, char **argv)
{
  if(argc != 2) {
    fprintf(stderr, "usage: %s APP.lua\n", argv[0]);
    return 2;
  }
  sfl_host *host = sfl_host_new();
  if(!host) {
    fputs("out of memory\n", stderr);
    return 1;
  }
  int status = 0;
  if(sfl_host_load_file(host, argv[1])) {
    fprintf(stderr, "%s\n", sfl_host_last_error(host));
    status = 1;
  }
  for(size_t s = 0; !status && s < sfl_host_stack_count(host); s++)
    for(size_t m = 0; m < sfl_host_machine_count(host, s); m++) {
      /* Copy what we keep: host strings last until the next call on the host. */
      char path[512];
      snprintf(path, sizeof path, "%s", sfl_host_machine_path(host, s, m));
      const char *asl = sfl_host_definition(host, path);
      if(!asl) {
        fprintf(stderr, "%s\n", sfl_host_last_error(host));
        status = 1;
        break;
      }
      printf("== %s\n%s\n", path, asl);
    }
  sfl_host_free(host);
  return status;
}
