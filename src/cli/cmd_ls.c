/*
** cmd_ls.c: `sfl ls APP.lua`: the stacks, and the state machines in each.
*/
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cmd_ls(int argc, char **argv)
{
  const char *app = NULL;
  int verbose = 0;
  for(int i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      cli_print_help(cli_find("ls"), stdout);
      return CLI_OK;
    }
    if(!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
      verbose = 1;
    else if(argv[i][0] == '-' && argv[i][1])
      return cli_usage_error("ls", "unknown option '%s'", argv[i]);
    else if(app)
      return cli_usage_error("ls", "unexpected argument '%s'", argv[i]);
    else
      app = argv[i];
  }
  if(!app)
    return cli_usage_error("ls", "which app? give the path of a Lua app (sfl ls app.lua)");
  int rc = CLI_OK;
  sfl_host *h = cli_load_app(app, verbose, &rc);
  if(!h)
    return rc;
  for(size_t s = 0, ns = sfl_host_stack_count(h); s < ns; s++) {
    printf("%s\n", sfl_host_stack_name(h, s));
    for(size_t m = 0, nm = sfl_host_machine_count(h, s); m < nm; m++)
      printf("  %s\n", sfl_host_machine_path(h, s, m));
  }
  sfl_host_free(h);
  return rc;
}
