/*
** cli.h: what the command files share. Commands use only the public API (sfl.h),
** like any other program that embeds sfl.
*/
#ifndef SFL_CLI_H
#define SFL_CLI_H

#include "sfl.h"
#include "core/file.h"   /* file_read: whole files (definitions, inputs, mocks) */

enum cli_exit {
  CLI_OK = 0,
  CLI_APP_ERROR = 1,   /* the app is wrong: message names file and line */
  CLI_USAGE = 2        /* the command line is wrong */
};

struct cli_cmd {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *usage;     /* "synth APP.lua [STACK...] [-o DIR]" */
  const char *summary;   /* one line for `sfl help` */
  const char *help;      /* the rest of `sfl help CMD` */
};

extern const struct cli_cmd cli_cmds[];

int cmd_synth(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Prints `sfl help CMD` for the named command to `out`. */
void cli_print_help(const struct cli_cmd *cmd, FILE *out);
const struct cli_cmd *cli_find(const char *name);
/* "sfl: <msg>" and a pointer to --help, on stderr; returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
** Common handling of an app argument: makes a host and runs the app. On failure it
** prints the app's message (and the traceback with --verbose) and returns NULL with
** *exit set.
*/
sfl_host *cli_load_app(const char *path, int verbose, int *exit_code);
int cli_ends_with(const char *s, const char *suffix);

/* Serves cJSON's allocations from free lists (src/cli/pool.c). Call first in main. */
void cli_use_pool(void);

#endif
