/*
** cmd_validate.c: `sfl validate APP.lua | FILE.asl.json`: every synth-time check, and no
** output files. Problems go to stderr, one a line, then a count; a valid input prints
** nothing.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void print_problem(void *ud, int severity, const char *where, const char *code,
                          const char *message)
{
  (void)ud;
  fprintf(stderr, "%s: %s%s: %s\n", where, severity ? "warning " : "", code, message);
}

static int summary(size_t errors, size_t warnings)
{
  if(errors || warnings)
    fprintf(stderr, "sfl: %zu error%s, %zu warning%s\n", errors, errors == 1 ? "" : "s",
            warnings, warnings == 1 ? "" : "s");
  return errors ? CLI_APP_ERROR : CLI_OK;
}

static int validate_file(const char *path)
{
  size_t len = 0;
  char *text = file_read(path, &len);
  if(!text)
    return cli_usage_error("validate", "cannot read %s", path);
  size_t errors = 0, warnings = 0;
  sfl_validate_definition(text, len, path, print_problem, NULL, &errors, &warnings);
  free(text);
  return summary(errors, warnings);
}

int cmd_validate(int argc, char **argv)
{
  const char *input = NULL;
  int verbose = 0;
  for(int i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      cli_print_help(cli_find("validate"), stdout);
      return CLI_OK;
    }
    if(!strcmp(argv[i], "--verbose") || !strcmp(argv[i], "-v"))
      verbose = 1;
    else if(argv[i][0] == '-' && argv[i][1])
      return cli_usage_error("validate", "unknown option '%s'", argv[i]);
    else if(input)
      return cli_usage_error("validate", "unexpected argument '%s'", argv[i]);
    else
      input = argv[i];
  }
  if(!input)
    return cli_usage_error("validate", "what? give a Lua app or an ASL file "
                                       "(sfl validate app.lua)");
  if(cli_ends_with(input, ".json"))
    return validate_file(input);
  int rc = CLI_OK;
  sfl_host *h = cli_load_app(input, verbose, &rc);
  if(!h)
    return rc;
  size_t errors = 0, warnings = 0;
  sfl_host_validate(h, print_problem, NULL, &errors, &warnings);
  sfl_host_free(h);
  return summary(errors, warnings);
}
