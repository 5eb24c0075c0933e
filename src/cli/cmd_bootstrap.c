/*
** cmd_bootstrap.c: `sfl bootstrap [aws://ACCOUNT/REGION...]`: creates or updates the
** bootstrap stack (src/deploy/bootstrap.h) in each environment, with the caller's own
** credentials, and never touches one that CDK bootstrapped with a version as high or
** higher.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/json.h"
#include "deploy/bootstrap.h"
#include "deploy/cfn.h"
#include "deploy/client.h"

struct bootstrap_args {
  struct aws_options aws;
  const char *stack, *qualifier;
  char **envs;
  size_t nenvs;
  int help;
};

static int parse(int argc, char **argv, struct bootstrap_args *a)
{
  for(int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    int aws = cli_aws_option("bootstrap", argc, argv, &i, &a->aws);
    if(aws < 0)
      return CLI_USAGE;
    if(aws)
      continue;
    if(!strcmp(arg, "-h") || !strcmp(arg, "--help"))
      a->help = 1;
    else if(!strcmp(arg, "--toolkit-stack-name") || !strcmp(arg, "--qualifier")) {
      if(++i == argc)
        return cli_usage_error("bootstrap", "%s needs a value", arg);
      *(arg[2] == 't' ? &a->stack : &a->qualifier) = argv[i];
    }
    else if(!strncmp(arg, "--toolkit-stack-name=", 21))
      a->stack = arg + 21;
    else if(!strncmp(arg, "--qualifier=", 12))
      a->qualifier = arg + 12;
    else if(arg[0] == '-' && arg[1])
      return cli_usage_error("bootstrap", "unknown option '%s'", arg);
    else
      a->envs[a->nenvs++] = argv[i];
  }
  return CLI_OK;
}

/* "aws://123456789012/us-east-1" -> account and region (pointers into a copy in env). */
static int split_env(char *env, const char **account, const char **region)
{
  if(strncmp(env, "aws://", 6))
    return 0;
  char *acc = env + 6, *slash = strchr(acc, '/');
  if(!slash || strlen(acc) != 12 + strlen(slash) || !slash[1] || strchr(slash + 1, '/'))
    return 0;
  for(const char *p = acc; p < slash; p++)
    if(*p < '0' || *p > '9')
      return 0;
  *slash = '\0';
  *account = acc;
  *region = slash + 1;
  return 1;
}

static int check_args(const struct bootstrap_args *a)
{
  if(a->qualifier && !bootstrap_qualifier_ok(a->qualifier))
    return cli_usage_error("bootstrap", "qualifier '%s' is not valid: 1 to 10 letters, digits, "
                           "'_' or '-' (CDK's default is %s)", a->qualifier,
                           BOOTSTRAP_QUALIFIER);
  if(a->stack && !*a->stack)
    return cli_usage_error("bootstrap", "--toolkit-stack-name needs a value");
  for(size_t i = 0; i < a->nenvs; i++) {
    const char *acc, *reg;
    char copy[256];
    snprintf(copy, sizeof copy, "%s", a->envs[i]);
    if(strlen(a->envs[i]) >= sizeof copy || !split_env(copy, &acc, &reg))
      return cli_usage_error("bootstrap", "'%s' is not an environment: write "
                             "aws://ACCOUNT/REGION, e.g. aws://123456789012/us-east-1",
                             a->envs[i]);
  }
  return CLI_OK;
}

/* What to do with the bootstrap stack that is there: 0 deploy ours, 1 leave it, -1 error.
** sfl updates only a stack it made; CDK's, at version 6 or more, already serves. */
static int judge_existing(const struct cfn_stack_info *s, const char *qualifier,
                          const char *env, const char *stack)
{
  if(!s->exists || cfn_stack_is_new(s))
    return 0;
  const char *q = cfn_stack_param(s, "Qualifier");
  if(q && strcmp(q, qualifier)) {
    cli_fail("stack %s in %s was bootstrapped with qualifier '%s', not '%s': give "
             "--qualifier %s, or --toolkit-stack-name NAME for a second bootstrap stack",
             stack, env, q, qualifier, q);
    return -1;
  }
  const char *v = cfn_stack_output(s, "BootstrapVersion");
  long version = v ? strtol(v, NULL, 10) : 0;
  int ours = s->description && !strcmp(s->description, BOOTSTRAP_DESCRIPTION);
  if(version > BOOTSTRAP_VERSION || (version == BOOTSTRAP_VERSION && !ours)) {
    printf(" \u2705  Environment %s already bootstrapped: stack %s is at bootstrap version %ld "
           "(sfl needs %d); nothing changed.\n", env, stack, version, BOOTSTRAP_VERSION);
    return 1;
  }
  if(!ours) {
    /* Our template in its place would delete what CDK made there (roles, keys...). */
    cli_fail("stack %s in %s is at bootstrap version %ld, older than the %d sfl needs, and "
             "sfl did not make it: update it with 'cdk bootstrap' (sfl does not replace "
             "CDK's resources)", stack, env, version, BOOTSTRAP_VERSION);
    return -1;
  }
  return 0;
}

static int report_deploy(const struct cfn_deploy_result *r, const char *env, const char *stack)
{
  if(r->wait.interrupted)
    return cli_interrupt_report(stack, "bootstrapping", r->wait.started);
  if(r->no_changes) {
    printf(" \u2705  Environment %s bootstrapped (no changes).\n", env);
    return CLI_OK;
  }
  if(!r->wait.ok)
    return cli_fail("bootstrapping %s failed: stack %s is %s%s%s", env, stack,
                    r->wait.status ? r->wait.status : "?",
                    r->wait.first_failure ? " after " : "",
                    r->wait.first_failure ? r->wait.first_failure : "");
  printf(" \u2705  Environment %s bootstrapped.\n", env);
  return CLI_OK;
}

static int deploy_template(struct aws_client *c, const char *stack, const char *env,
                           const cJSON *template)
{
  char *body = json_to_text(template, 1);
  if(!body)
    return cli_fail("out of memory");
  struct cfn_deploy_input in = {0};
  in.change_set.stack = stack;
  in.change_set.template_body = body;
  in.change_set.description = "sfl bootstrap";
  cli_watch_init(&in.watch);
  in.watch.template = template;
  struct cfn_deploy_result r;
  struct diag d = {0};
  int rc = cfn_deploy(c, &in, &r, &d) ? cli_fail("bootstrapping %s failed: %s", env, d.msg)
                                      : report_deploy(&r, env, stack);
  cfn_deploy_result_free(&r);
  free(body);
  return rc;
}

/* Bootstraps one environment: the client's own when account and region are NULL. */
static int bootstrap_env(const struct bootstrap_args *a, const char *account, const char *region)
{
  struct aws_options o = a->aws;
  if(region)
    o.region = region;
  struct aws_client *c = NULL;
  const char *caller = NULL;
  struct diag d = {0};
  int rc = cli_aws_open(&o, &c);
  if(!rc && aws_client_account(c, &caller, &d))
    rc = cli_fail("%s", d.msg);
  if(!rc && account && strcmp(account, caller))
    rc = cli_fail("cannot bootstrap aws://%s/%s: the credentials are for account %s (sfl "
                  "bootstraps with the caller's own credentials: use a profile of account %s)",
                  account, region, caller, account);
  if(rc) {
    aws_client_close(c);
    return rc;
  }
  char env[96];
  snprintf(env, sizeof env, "aws://%s/%s", caller, aws_client_region(c));
  const char *stack = a->stack ? a->stack : BOOTSTRAP_STACK;
  const char *qualifier = a->qualifier ? a->qualifier : BOOTSTRAP_QUALIFIER;
  printf(" \u23f3  Bootstrapping environment %s...\n", env);
  fflush(stdout);
  struct cfn_stack_info s;
  int verdict = -1;
  if(cfn_stack_lookup(c, stack, &s, &d))
    rc = cli_fail("bootstrapping %s failed: %s", env, d.msg);
  else
    verdict = judge_existing(&s, qualifier, env, stack);
  cfn_stack_info_free(&s);
  if(!rc && verdict < 0)
    rc = CLI_APP_ERROR;
  if(!rc && verdict == 0) {
    cJSON *t = bootstrap_template(qualifier, caller, aws_client_region(c));
    rc = t ? deploy_template(c, stack, env, t) : cli_fail("out of memory");
    cJSON_Delete(t);
  }
  aws_client_close(c);
  return rc;
}

int cmd_bootstrap(int argc, char **argv)
{
  struct bootstrap_args a = {0};
  a.envs = calloc((size_t)argc, sizeof *a.envs);
  if(!a.envs)
    return cli_fail("out of memory");
  int rc = parse(argc, argv, &a);
  if(!rc && !a.help)
    rc = check_args(&a);
  if(!rc && a.help)
    cli_print_help(cli_find("bootstrap"), stdout);
  if(rc || a.help) {
    free(a.envs);
    return rc;
  }
  cli_catch_interrupt();
  if(!a.nenvs)
    rc = bootstrap_env(&a, NULL, NULL);
  for(size_t i = 0; i < a.nenvs && !rc; i++) {
    char copy[256];
    const char *account = NULL, *region = NULL;
    snprintf(copy, sizeof copy, "%s", a.envs[i]);
    split_env(copy, &account, &region);   /* check_args has seen that it splits */
    rc = bootstrap_env(&a, account, region);
  }
  free(a.envs);
  /* A call Ctrl-C cut short failed saying so: the exit status says it too. */
  return rc == CLI_APP_ERROR && cli_interrupted ? CLI_INTERRUPTED : rc;
}
