/*
** cmd_run.c: `sfl run APP.lua|FILE.asl.json [MACHINE] [--input JSON|@FILE]
** [--mocks FILE --test-case NAME] [--context JSON|@FILE] [--trace]`: executes a state
** machine locally, its tasks answered by Step Functions Local mocks.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum { RUN_FAILED = 3 };   /* the execution ended in an error: exit status 3 */

struct run_args {
  const char *input, *machine, *mocks_file, *test_case, *input_arg, *context_arg;
  long max_transitions;
  int trace, real_time, verbose;
};

static int parse(int argc, char **argv, struct run_args *a)
{
  for(int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *const with_value[] = {"--input", "--mocks", "--test-case", "--context",
                                      "--max-transitions", NULL};
    size_t k = 0;
    while(with_value[k] && strcmp(arg, with_value[k]))
      k++;
    if(!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
      cli_print_help(cli_find("run"), stdout);
      return -1;
    }
    if(with_value[k]) {
      if(++i == argc)
        return cli_usage_error("run", "%s needs a value", arg);
      const char *v = argv[i];
      if(k == 0)
        a->input_arg = v;
      else if(k == 1)
        a->mocks_file = v;
      else if(k == 2)
        a->test_case = v;
      else if(k == 3)
        a->context_arg = v;
      else {
        char *end;
        a->max_transitions = strtol(v, &end, 10);
        if(*end || a->max_transitions < 1)
          return cli_usage_error("run", "--max-transitions takes a positive number, got '%s'",
                                 v);
      }
    }
    else if(!strcmp(arg, "--trace"))
      a->trace = 1;
    else if(!strcmp(arg, "--real-time"))
      a->real_time = 1;
    else if(!strcmp(arg, "--verbose") || !strcmp(arg, "-v"))
      a->verbose = 1;
    else if(arg[0] == '-' && arg[1])
      return cli_usage_error("run", "unknown option '%s'", arg);
    else if(!a->input)
      a->input = arg;
    else if(!a->machine)
      a->machine = arg;
    else
      return cli_usage_error("run", "unexpected argument '%s'", arg);
  }
  if(!a->input)
    return cli_usage_error("run", "what? give a Lua app or an ASL file (sfl run app.lua)");
  if(!a->mocks_file != !a->test_case)
    return cli_usage_error("run", "--mocks and --test-case go together");
  return CLI_OK;
}

/* JSON given inline, or @FILE for a file's content. NULL with *failed set on a bad file. */
static char *json_arg(const char *arg, const char *what, int *failed)
{
  if(!arg)
    return NULL;
  if(arg[0] != '@')
    return strdup(arg);
  size_t len;
  char *text = file_read(arg + 1, &len);
  if(!text) {
    cli_usage_error("run", "cannot read the %s file %s", what, arg + 1);
    *failed = 1;
  }
  return text;
}

static void print_event(void *ud, const char *event)
{
  (void)ud;
  fprintf(stderr, "%s\n", event);
}

/* The machine to run when none is named: the app's only one. */
static const char *only_machine(sfl_host *h)
{
  const char *found = NULL;
  size_t n = 0;
  for(size_t s = 0, ns = sfl_host_stack_count(h); s < ns; s++)
    for(size_t m = 0, nm = sfl_host_machine_count(h, s); m < nm; m++, n++)
      found = sfl_host_machine_path(h, s, m);
  if(n == 1)
    return found;
  fprintf(stderr, "sfl: the app has %zu state machines; name the one to run (", n);
  for(size_t s = 0, ns = sfl_host_stack_count(h), k = 0; s < ns; s++)
    for(size_t m = 0, nm = sfl_host_machine_count(h, s); m < nm; m++, k++)
      fprintf(stderr, "%s%s", k ? ", " : "", sfl_host_machine_path(h, s, m));
  fprintf(stderr, ")\n");
  return NULL;
}

static int finish(sfl_host *h, int rc, const char *result, int failed)
{
  if(rc) {
    fprintf(stderr, "%s\n", sfl_host_last_error(h));
    return rc == SFL_EUSAGE || rc == SFL_ENOTFOUND ? CLI_USAGE : CLI_APP_ERROR;
  }
  printf("%s\n", result);
  return failed ? RUN_FAILED : CLI_OK;
}

int cmd_run(int argc, char **argv)
{
  struct run_args a = {0};
  int rc = parse(argc, argv, &a);
  if(rc)
    return rc < 0 ? CLI_OK : rc;
  int bad = 0;
  char *input = json_arg(a.input_arg, "input", &bad);
  char *context = bad ? NULL : json_arg(a.context_arg, "context", &bad);
  char *mocks = NULL;
  if(!bad && a.mocks_file) {
    size_t len;
    mocks = file_read(a.mocks_file, &len);
    if(!mocks) {
      cli_usage_error("run", "cannot read the mock file %s", a.mocks_file);
      bad = 1;
    }
  }
  if(bad) {
    free(input);
    free(context);
    return CLI_USAGE;
  }
  struct sfl_run_options opt = {input, mocks, a.test_case, context, a.max_transitions,
                                a.real_time, a.trace ? print_event : NULL, NULL};
  const char *result = NULL;
  int failed = 0;
  sfl_host *h = NULL;
  if(cli_ends_with(a.input, ".json")) {
    size_t len;
    char *text = file_read(a.input, &len);
    if(!text)
      rc = cli_usage_error("run", "cannot read %s", a.input);
    else if((h = sfl_host_new())) {
      int res = sfl_host_run_definition(h, text, len, a.machine, &opt, &result, &failed);
      rc = finish(h, res, result, failed);
    }
    free(text);
  }
  else if((h = cli_load_app(a.input, a.verbose, &rc))) {
    const char *machine = a.machine ? a.machine : only_machine(h);
    rc = CLI_USAGE;
    if(machine) {
      int res = sfl_host_run(h, machine, &opt, &result, &failed);
      rc = finish(h, res, result, failed);
    }
  }
  sfl_host_free(h);
  free(input);
  free(context);
  free(mocks);
  return rc;
}
