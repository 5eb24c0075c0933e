/*
** cmd_synth.c: `sfl synth APP.lua [STACK...] [-o DIR]`.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define DEFAULT_OUTDIR "sfl.out"

struct synth_args {
  const char *app, *outdir;
  const char **stacks;
  size_t nstacks;
  int quiet, verbose, help;
};

static int parse(int argc, char **argv, struct synth_args *a)
{
  for(int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if(!strcmp(arg, "-h") || !strcmp(arg, "--help"))
      a->help = 1;
    else if(!strcmp(arg, "-q") || !strcmp(arg, "--quiet"))
      a->quiet = 1;
    else if(!strcmp(arg, "--verbose") || !strcmp(arg, "-v"))
      a->verbose = 1;
    else if(!strcmp(arg, "-o") || !strcmp(arg, "--output")) {
      if(++i == argc)
        return cli_usage_error("synth", "%s needs a directory", arg);
      a->outdir = argv[i];
    }
    else if(!strncmp(arg, "--output=", 9))
      a->outdir = arg + 9;
    else if(arg[0] == '-' && arg[1])
      return cli_usage_error("synth", "unknown option '%s'", arg);
    else if(!a->app)
      a->app = arg;
    else
      a->stacks[a->nstacks++] = arg;
  }
  if(!a->help && !a->app)
    return cli_usage_error("synth", "which app? give the path of a Lua app (sfl synth app.lua)");
  return CLI_OK;
}

static void print_template(sfl_host *h, const char *stack)
{
  const char *text = sfl_host_template(h, stack);
  if(text)
    printf("%s\n", text);
}

/* With one stack chosen, print its template; with several, say how to pick one. */
static void report(sfl_host *h, const struct synth_args *a, const char *outdir)
{
  size_t total = sfl_host_stack_count(h);
  if(a->nstacks == 1 && !strpbrk(a->stacks[0], "*?[")) {
    print_template(h, a->stacks[0]);
    return;
  }
  if(total == 1 && !a->nstacks) {
    print_template(h, sfl_host_stack_name(h, 0));
    return;
  }
  if(total == 0) {
    fprintf(stderr, "The app defines no stacks: nothing was synthesized into %s.\n", outdir);
    return;
  }
  fprintf(stderr, "Successfully synthesized to %s\nSupply a stack id (", outdir);
  for(size_t i = 0; i < total; i++)
    fprintf(stderr, "%s%s", i ? ", " : "", sfl_host_stack_name(h, i));
  fprintf(stderr, ") to display its template.\n");
}

int cmd_synth(int argc, char **argv)
{
  struct synth_args a = {0};
  a.stacks = calloc((size_t)argc, sizeof *a.stacks);
  if(!a.stacks)
    return CLI_APP_ERROR;
  int rc = parse(argc, argv, &a);
  if(rc || a.help) {
    if(a.help)
      cli_print_help(cli_find("synth"), stdout);
    free(a.stacks);
    return rc;
  }
  sfl_host *h = cli_load_app(a.app, a.verbose, &rc);
  if(!h) {
    free(a.stacks);
    return rc;
  }
  const char *outdir = a.outdir ? a.outdir
                                : sfl_host_app_outdir(h) ? sfl_host_app_outdir(h) : DEFAULT_OUTDIR;
  int res = sfl_host_synth(h, outdir, a.stacks, a.nstacks);
  if(res == SFL_ENOTFOUND)
    rc = cli_usage_error("synth", "%s", sfl_host_last_error(h));
  else if(res) {
    fprintf(stderr, "%s\n", sfl_host_last_error(h));
    rc = CLI_APP_ERROR;
  }
  else if(!a.quiet)
    report(h, &a, outdir);
  sfl_host_free(h);
  free(a.stacks);
  return rc;
}
