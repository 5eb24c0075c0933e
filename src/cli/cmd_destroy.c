/*
** cmd_destroy.c: `sfl destroy APP.lua [STACK...] [--force]`: runs the app to learn its
** stacks, asks before deleting them (on a terminal; without one --force is required),
** then deletes each, last made first (CDK's order, so stacks that depend on others go
** first), showing its events until DELETE_COMPLETE.
*/
#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"
#include "deploy/cfn.h"
#include "deploy/client.h"

struct destroy_args {
  struct aws_options aws;
  const char *app;
  const char **patterns;
  size_t npatterns;
  int force, verbose, help;
};

static int parse(int argc, char **argv, struct destroy_args *a)
{
  for(int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int aws = cli_aws_option("destroy", argc, argv, &i, &a->aws);
    if(aws < 0)
      return CLI_USAGE;
    if(aws)
      continue;
    if(!strcmp(arg, "-h") || !strcmp(arg, "--help"))
      a->help = 1;
    else if(!strcmp(arg, "-f") || !strcmp(arg, "--force"))
      a->force = 1;
    else if(!strcmp(arg, "--verbose") || !strcmp(arg, "-v"))
      a->verbose = 1;
    else if(arg[0] == '-' && arg[1])
      return cli_usage_error("destroy", "unknown option '%s'", arg);
    else if(!a->app)
      a->app = arg;
    else
      a->patterns[a->npatterns++] = arg;
  }
  if(!a->help && !a->app)
    return cli_usage_error("destroy",
                           "which app? give the path of a Lua app (sfl destroy app.lua)");
  return CLI_OK;
}

/* The chosen stacks' names (malloc'd copies, in the app's order; *n of them). */
static char **choose(sfl_host *h, const struct destroy_args *a, size_t *n, int *rc)
{
  size_t total = sfl_host_stack_count(h);
  char **names = calloc(total + 1, sizeof *names);
  *n = 0;
  for(size_t i = 0; names && i < total; i++) {
    const char *name = sfl_host_stack_name(h, i);
    int wanted = !a->npatterns;
    for(size_t p = 0; p < a->npatterns && !wanted; p++)
      wanted = !fnmatch(a->patterns[p], name, 0);
    if(wanted && !(names[(*n)++] = strdup(name)))
      *rc = cli_fail("out of memory");
  }
  if(!names)
    *rc = cli_fail("out of memory");
  for(size_t p = 0; !*rc && p < a->npatterns; p++) {
    int found = 0;
    for(size_t i = 0; i < *n && !found; i++)
      found = !fnmatch(a->patterns[p], names[i], 0);
    if(found)
      continue;
    fprintf(stderr, "sfl: no stack matches '%s'; the app's stacks: ", a->patterns[p]);
    for(size_t i = 0; i < total; i++)
      fprintf(stderr, "%s%s", i ? ", " : "", sfl_host_stack_name(h, i));
    fprintf(stderr, "%s\nTry 'sfl destroy --help'.\n", total ? "" : "(none)");
    *rc = CLI_USAGE;
  }
  return names;
}

static void free_names(char **names, size_t n)
{
  for(size_t i = 0; names && i < n; i++)
    free(names[i]);
  free(names);
}

static void list(FILE *out, char **names, size_t n)
{
  for(size_t i = 0; i < n; i++)
    fprintf(out, "%s%s", i ? ", " : "", names[i]);
}

/* 0: go ahead; otherwise the exit status (a refusal without a terminal is an error, a "no"
** on one is not). */
static int confirm(const struct destroy_args *a, char **names, size_t n, int *declined)
{
  *declined = 0;
  if(a->force)
    return CLI_OK;
  if(!isatty(STDIN_FILENO)) {
    fputs("sfl: not deleting ", stderr);
    list(stderr, names, n);
    fputs(" without confirmation: standard input is not a terminal (add --force to delete "
          "without asking)\n", stderr);
    return CLI_APP_ERROR;
  }
  printf("Are you sure you want to delete: ");
  list(stdout, names, n);
  printf(" (y/n)? ");
  fflush(stdout);
  char answer[64] = "";
  if(!fgets(answer, sizeof answer, stdin))
    answer[0] = '\0';
  size_t len = strlen(answer);
  while(len && isspace((unsigned char)answer[len - 1]))
    answer[--len] = '\0';
  *declined = strcasecmp(answer, "y") && strcasecmp(answer, "yes");
  if(*declined)
    puts("Nothing deleted.");
  return CLI_OK;
}

static int destroy_one(struct aws_client *c, sfl_host *h, const char *stack)
{
  struct cfn_watch w;
  cli_watch_init(&w);
  const char *text = sfl_host_template(h, stack);
  cJSON *template = text ? cJSON_Parse(text) : NULL;
  w.template = template;
  int missing = 0, rc = CLI_OK;
  struct cfn_wait_result res;
  struct diag d = {0};
  if(cfn_destroy(c, stack, &w, &missing, &res, &d))
    rc = cli_fail("destroying %s failed: %s", stack, d.msg);
  else if(missing)
    printf("%s: the stack does not exist in region %s: nothing to delete\n", stack,
           aws_client_region(c));
  else if(res.interrupted)
    rc = cli_interrupt_report(stack, "deleting", res.started);
  else if(!res.ok)
    rc = cli_fail("destroying %s failed: the stack is %s%s%s", stack, res.status,
                  res.first_failure ? " after " : "",
                  res.first_failure ? res.first_failure : "");
  else
    printf("\n \u2705  %s: destroyed\n", stack);
  cfn_wait_result_free(&res);
  cJSON_Delete(template);
  return rc;
}

static int destroy_all(const struct destroy_args *a, sfl_host *h, char **names, size_t n)
{
  struct aws_client *c = NULL;
  int rc = cli_aws_open(&a->aws, &c);
  for(size_t i = n; !rc && i > 0; i--)
    rc = destroy_one(c, h, names[i - 1]);
  aws_client_close(c);
  return rc;
}

int cmd_destroy(int argc, char **argv)
{
  struct destroy_args a = {0};
  a.patterns = calloc((size_t)argc, sizeof *a.patterns);
  if(!a.patterns)
    return cli_fail("out of memory");
  int rc = parse(argc, argv, &a);
  if(!rc && a.help)
    cli_print_help(cli_find("destroy"), stdout);
  sfl_host *h = rc || a.help ? NULL : cli_load_app(a.app, a.verbose, &rc);
  size_t n = 0;
  char **names = h ? choose(h, &a, &n, &rc) : NULL;
  int declined = 0;
  if(h && !rc && n)
    rc = confirm(&a, names, n, &declined);
  else if(h && !rc)
    puts("The app defines no stacks: nothing to delete.");
  if(h && !rc && n && !declined) {
    cli_catch_interrupt();
    rc = destroy_all(&a, h, names, n);
  }
  free_names(names, n);
  sfl_host_free(h);
  free(a.patterns);
  /* A call Ctrl-C cut short failed saying so: the exit status says it too. */
  return rc == CLI_APP_ERROR && cli_interrupted ? CLI_INTERRUPTED : rc;
}
