/*
** cli.h: what the command files share. Commands use only the public API (sfl.h),
** like any other program that embeds sfl.
*/
#ifndef SFL_CLI_H
#define SFL_CLI_H

#include <signal.h>
#include <stdio.h>

#include "sfl.h"
#include "core/file.h"   /* file_read: whole files (definitions, inputs, mocks) */

enum cli_exit {
  CLI_OK = 0,
  CLI_APP_ERROR = 1,   /* the app is wrong: message names file and line */
  CLI_USAGE = 2,       /* the command line is wrong */
  CLI_INTERRUPTED = 130 /* Ctrl-C while waiting for AWS (128 + SIGINT, as shells say) */
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
int cmd_deploy(int argc, char **argv);
int cmd_bootstrap(int argc, char **argv);
int cmd_destroy(int argc, char **argv);
int cmd_diff(int argc, char **argv);
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

/*
** Commands that call AWS (src/cli/cli_aws.c).
*/
struct aws_options;
struct aws_client;
struct cfn_watch;
/* Consumes --profile, --region or --endpoint-url (with its value) at argv[*i]: 1 when it
** did, 0 when argv[*i] is something else, -1 after printing a usage error. */
int cli_aws_option(const char *cmd, int argc, char **argv, int *i, struct aws_options *o);
/* Opens a client (credentials, region); on failure prints "sfl: MESSAGE", returns 1. */
int cli_aws_open(const struct aws_options *o, struct aws_client **c);
/* "sfl: MESSAGE" on stderr; returns CLI_APP_ERROR. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Ctrl-C sets cli_interrupted (a CloudFormation wait then stops) instead of killing sfl. */
extern volatile sig_atomic_t cli_interrupted;
void cli_catch_interrupt(void);
/* Says the wait stopped but CloudFormation goes on `doing` ("deploying") the stack, or,
** when the operation had not been `started`, that the stack is as it was; returns
** CLI_INTERRUPTED. */
int cli_interrupt_report(const char *stack, const char *doing, int started);
/* A watcher setup for this terminal: events on stdout, a progress line when stdout is a
** terminal, stops on Ctrl-C, polls every SFL_POLL_INTERVAL seconds when that is set. */
void cli_watch_init(struct cfn_watch *w);

/* Serves cJSON's allocations from free lists (src/cli/pool.c). Call first in main. */
void cli_use_pool(void);

#endif
