/*
** cli_aws.c: what the commands that call AWS share (bootstrap, destroy, deploy, diff): the --profile/--region/--endpoint-url options, opening a client, Ctrl-C
** while waiting, and how the CloudFormation watcher is set up for the terminal.
*/
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "deploy/cfn.h"
#include "deploy/client.h"

volatile sig_atomic_t cli_interrupted;

static void on_sigint(int sig)
{
  (void)sig;
  cli_interrupted = 1;
}

void cli_catch_interrupt(void)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigint;   /* no SA_RESTART: a sleeping wait wakes up at once */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
}

int cli_interrupt_report(const char *stack, const char *doing, int started)
{
  if(started)
    fprintf(stderr,
            "\nsfl: interrupted: stopped waiting for stack %s, but CloudFormation goes on %s "
            "it; follow it in the AWS console (CloudFormation, stack %s, Events)\n",
            stack, doing, stack);
  else
    fprintf(stderr, "\nsfl: interrupted before %s stack %s was started: it is as it was\n",
            doing, stack);
  return CLI_INTERRUPTED;
}

/* The value of `--name VALUE` or `--name=VALUE`; NULL (and *bad set) when it is missing. */
static const char *option_value(const char *name, int argc, char **argv, int *i, int *bad)
{
  size_t n = strlen(name);
  if(argv[*i][n] == '=')
    return argv[*i] + n + 1;
  if(*i + 1 >= argc) {
    *bad = 1;
    return NULL;
  }
  return argv[++*i];
}

int cli_aws_option(const char *cmd, int argc, char **argv, int *i, struct aws_options *o)
{
  static const char *const names[] = {"--profile", "--region", "--endpoint-url"};
  const char **fields[] = {&o->profile, &o->region, &o->endpoint_url};
  for(size_t k = 0; k < sizeof names / sizeof *names; k++) {
    size_t n = strlen(names[k]);
    if(strncmp(argv[*i], names[k], n) || (argv[*i][n] && argv[*i][n] != '='))
      continue;
    int bad = 0;
    const char *value = option_value(names[k], argc, argv, i, &bad);
    if(bad || !*value) {
      cli_usage_error(cmd, "%s needs a value", names[k]);
      return -1;
    }
    *fields[k] = value;
    return 1;
  }
  return 0;
}

int cli_fail(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("sfl: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return CLI_APP_ERROR;
}

int cli_aws_open(const struct aws_options *o, struct aws_client **c)
{
  struct diag d = {0};
  if(aws_client_open(o, &aws_real_world, c, &d))
    return cli_fail("%s", d.msg);
  aws_client_set_stop(*c, &cli_interrupted);   /* Ctrl-C ends a call at once */
  return CLI_OK;
}

/* SFL_POLL_INTERVAL (seconds, fractions allowed) overrides how often CloudFormation is
** asked how things are going; 0 keeps CDK's intervals. */
static unsigned poll_ms(void)
{
  const char *s = getenv("SFL_POLL_INTERVAL");
  if(!s || !*s)
    return 0;
  char *end;
  double secs = strtod(s, &end);
  if(*end || !(secs > 0) || secs > 3600)
    return 0;
  unsigned ms = (unsigned)(secs * 1000);
  return ms ? ms : 1;
}

void cli_watch_init(struct cfn_watch *w)
{
  memset(w, 0, sizeof *w);
  w->out = stdout;
  w->tty = isatty(STDOUT_FILENO);
  w->stop = &cli_interrupted;
  w->poll_ms = poll_ms();
}
