/*
** cmd_deploy.c: `sfl deploy APP.lua [STACK...]`, the steps of `cdk deploy`: synthesize
** into the output folder (replaced as a whole, as sfl synth does), then for each stack of
** the cloud assembly: the account and region of the credentials, the bootstrap version
** from SSM, the file assets published, the template sent as TemplateBody (or through the
** bootstrap bucket as TemplateURL when over 51,200 bytes), and the change-set deployment
** of cfn.h with its events streamed; security changes confirmed as --require-approval
** says. Ctrl-C stops waiting (the stack keeps deploying in CloudFormation) and exits 130;
** sfl writes nothing locally after the synthesis, which is atomic.
**
** Unlike the other commands this one uses sfl's deploy layer (src/deploy) besides the
** public API: the deployment reads the assembly the public API wrote.
*/
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"
#include "core/clock.h"
#include "core/file.h"
#include "core/json.h"
#include "deploy/approval.h"
#include "deploy/assets.h"
#include "deploy/cfn.h"
#include "deploy/client.h"

#define DEFAULT_OUTDIR "sfl.out"
#define DEFAULT_SSM_PARAM "/cdk-bootstrap/hnb659fds/version"
/* CloudFormation's limit for TemplateBody. */
#define TEMPLATE_BODY_MAX 51200

struct deploy_args {
  struct aws_options aws;
  const char *app, *outdir;
  const char **stacks;
  size_t nstacks;
  int approval, no_rollback, verbose, help;
};

/* {============ the command line */

static int parse_approval(struct deploy_args *a, const char *value)
{
  a->approval = approval_level_parse(value);
  if(a->approval < 0)
    return cli_usage_error("deploy", "--require-approval must be never, any-change or "
                           "broadening, not '%s'", value);
  return CLI_OK;
}

static int parse(int argc, char **argv, struct deploy_args *a)
{
  int rc = CLI_OK;
  a->approval = APPROVAL_BROADENING;
  for(int i = 1; i < argc && !rc; i++) {
    const char *arg = argv[i];
    int aws = cli_aws_option("deploy", argc, argv, &i, &a->aws);
    if(aws)
      rc = aws < 0 ? CLI_USAGE : CLI_OK;
    else if(!strcmp(arg, "-h") || !strcmp(arg, "--help"))
      a->help = 1;
    else if(!strcmp(arg, "--verbose") || !strcmp(arg, "-v"))
      a->verbose = 1;
    else if(!strcmp(arg, "--no-rollback"))
      a->no_rollback = 1;
    else if(!strcmp(arg, "--require-approval"))
      rc = i + 1 < argc ? parse_approval(a, argv[++i])
                        : cli_usage_error("deploy", "--require-approval needs a value");
    else if(!strncmp(arg, "--require-approval=", 19))
      rc = parse_approval(a, arg + 19);
    else if(!strcmp(arg, "-o") || !strcmp(arg, "--output"))
      rc = i + 1 < argc ? (a->outdir = argv[++i], CLI_OK)
                        : cli_usage_error("deploy", "%s needs a directory", arg);
    else if(!strncmp(arg, "--output=", 9))
      a->outdir = arg + 9;
    else if(arg[0] == '-' && arg[1])
      rc = cli_usage_error("deploy", "unknown option '%s'", arg);
    else if(!a->app)
      a->app = arg;
    else
      a->stacks[a->nstacks++] = arg;
  }
  if(!rc && !a->help && !a->app)
    return cli_usage_error("deploy", "which app? give the path of a Lua app (sfl deploy app.lua)");
  return rc;
}

/* }============ */

/* {============ the cloud assembly */

struct stack_art {
  const char *name;            /* the CloudFormation stack name */
  const char *template_file, *assets_file;
  const char *ssm_param;       /* the bootstrap version parameter */
  int bootstrap_version;       /* required, 0: none */
  char account[64], region[64];   /* the stack's environment; "" when not given */
};

struct assembly {
  cJSON *manifest;
  struct stack_art *stacks;
  size_t n;
};

static const char *str_at(const cJSON *o, const char *key)
{
  const cJSON *v = json_get(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "aws://ACCOUNT/REGION", with unknown-account / unknown-region left empty. */
static void read_env(struct stack_art *s, const char *env)
{
  char account[64] = "", region[64] = "";
  if(env && sscanf(env, "aws://%63[^/]/%63s", account, region) == 2) {
    if(strcmp(account, "unknown-account"))
      strcpy(s->account, account);
    if(strcmp(region, "unknown-region"))
      strcpy(s->region, region);
  }
}

/* The asset manifest a stack depends on. */
static const char *assets_file_of(const cJSON *artifacts, const cJSON *stack)
{
  const cJSON *dep;
  cJSON_ArrayForEach(dep, json_get(stack, "dependencies")) {
    const cJSON *a = cJSON_IsString(dep) ? json_get(artifacts, dep->valuestring) : NULL;
    const char *type = str_at(a, "type");
    if(type && !strcmp(type, "cdk:asset-manifest"))
      return str_at(json_get(a, "properties"), "file");
  }
  return NULL;
}

static void read_stack(struct stack_art *s, const cJSON *artifacts, const cJSON *art)
{
  const cJSON *props = json_get(art, "properties");
  const char *name = str_at(props, "stackName");
  const cJSON *version = json_get(props, "requiresBootstrapStackVersion");
  const char *param = str_at(props, "bootstrapStackVersionSsmParameter");
  *s = (struct stack_art){
    .name = name ? name : art->string, .template_file = str_at(props, "templateFile"),
    .assets_file = assets_file_of(artifacts, art),
    .ssm_param = param ? param : DEFAULT_SSM_PARAM,
    .bootstrap_version = cJSON_IsNumber(version) ? version->valueint : 0};
  read_env(s, str_at(art, "environment"));
}

static int read_assembly(const char *outdir, struct assembly *as)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.json", outdir);
  size_t len;
  char *text = file_read(path, &len);
  as->manifest = text ? cJSON_ParseWithLength(text, len) : NULL;
  free(text);
  const cJSON *artifacts = json_get(as->manifest, "artifacts"), *art;
  as->stacks = calloc((size_t)cJSON_GetArraySize(artifacts) + 1, sizeof *as->stacks);
  if(!as->manifest || !as->stacks) {
    fprintf(stderr, "sfl: cannot read the cloud assembly's %s\n", path);
    return CLI_APP_ERROR;
  }
  cJSON_ArrayForEach(art, artifacts) {
    const char *type = str_at(art, "type");
    if(type && !strcmp(type, "aws:cloudformation:stack") &&
       str_at(json_get(art, "properties"), "templateFile"))
      read_stack(&as->stacks[as->n++], artifacts, art);
  }
  return CLI_OK;
}

static void assembly_free(struct assembly *as)
{
  cJSON_Delete(as->manifest);
  free(as->stacks);
}

/* }============ */

/* {============ one stack */

struct deployment {
  const struct deploy_args *args;
  const char *outdir;
  const struct stack_art *stack;
  struct aws_client *c;
  const char *account, *region;
  char *template_text;
  size_t template_len;
  cJSON *template;
  struct diag d;
  /* review() */
  int no_tty, said_no;
  int approved;   /* the change set goes on to be executed */
};

static int fail(struct deployment *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct deployment *x, const char *fmt, ...)
{
  if(cli_interrupted)
    return cli_interrupt_report(x->stack->name, "deploying", x->approved);
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "\n ❌  %s failed: ", x->stack->name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  return CLI_APP_ERROR;
}

static int fail_diag(struct deployment *x)
{
  return fail(x, "%s", x->d.msg);
}

/* The bootstrap version parameter, as CDK checks it before anything is published. */
static int check_bootstrap(struct deployment *x)
{
  const struct stack_art *s = x->stack;
  if(!s->bootstrap_version)
    return CLI_OK;
  cJSON *req = cJSON_CreateObject(), *answer = NULL;
  json_put_str(req, "Name", s->ssm_param);
  char *body = req ? cJSON_PrintUnformatted(req) : NULL;
  cJSON_Delete(req);
  enum sfl_status st = body ? aws_json(x->c, "ssm", "AmazonSSM.GetParameter", body, &answer,
                                       &x->d) : diag_nomem(&x->d);
  cJSON_free(body);
  const char *code = st ? aws_client_error_code(x->c) : NULL;
  if(code && !strcmp(code, "ParameterNotFound"))
    return fail(x, "SSM parameter %s not found. Has the environment been bootstrapped? "
                "Please run 'sfl bootstrap' (see "
                "https://docs.aws.amazon.com/cdk/latest/guide/bootstrapping.html)", s->ssm_param);
  if(st)
    return fail(x, "This CDK deployment requires bootstrap stack version '%d', but during "
                "the confirmation via SSM parameter %s the following error occurred: %s",
                s->bootstrap_version, s->ssm_param, x->d.msg);
  const char *value = str_at(json_get(answer, "Parameter"), "Value");
  int found = value ? atoi(value) : 0;
  int rc = CLI_OK;
  if(found < s->bootstrap_version)
    rc = fail(x, "This CDK deployment requires bootstrap stack version '%d', found '%s'. "
              "Please run 'sfl bootstrap'.", s->bootstrap_version, value ? value : "none");
  cJSON_Delete(answer);
  return rc;
}

static int is_template(const struct deployment *x, const struct asset_file *f)
{
  size_t n = strlen(f->source), t = strlen(x->stack->template_file);
  return n > t && f->source[n - t - 1] == '/' && !strcmp(f->source + n - t,
                                                          x->stack->template_file);
}

static int publish_one(struct deployment *x, const struct asset_file *f)
{
  enum asset_outcome outcome;
  printf("%s: start: Publishing %s (%s)\n", x->stack->name, f->display, f->dest);
  fflush(stdout);
  if(assets_publish(x->c, f, x->account, x->region, &outcome, &x->d))
    return fail(x, "Failed to publish asset %s (%s): %s", f->display, f->dest, x->d.msg);
  printf("%s: success: %s %s (%s)\n", x->stack->name,
         outcome == ASSET_UPLOADED ? "Published" : "Already published", f->display, f->dest);
  return CLI_OK;
}

/* Every file asset, and the template itself when it has to go through S3: *url is then
** its TemplateURL (malloc'd). */
static int publish(struct deployment *x, char **url)
{
  struct asset_manifest m = {0};
  if(!x->stack->assets_file)
    return CLI_OK;
  if(assets_read(x->outdir, x->stack->assets_file, &m, &x->d))
    return fail_diag(x);
  int large = x->template_len > TEMPLATE_BODY_MAX, rc = CLI_OK;
  for(size_t i = 0; i < m.n && !rc; i++) {
    const struct asset_file *f = &m.files[i];
    if(cli_interrupted)
      rc = fail(x, "interrupted");
    else if(is_template(x, f) && !large)
      continue;
    else
      rc = publish_one(x, f);
    if(!rc && is_template(x, f) && !*url) {
      char *bucket = assets_subst(f->bucket, x->account, x->region);
      char *key = assets_subst(f->key, x->account, x->region);
      *url = bucket && key ? aws_s3_url(x->c, bucket, key) : NULL;
      free(bucket);
      free(key);
      if(!*url)
        rc = fail(x, "out of memory");
    }
  }
  assets_free(&m);
  if(!rc && large && !*url)
    rc = fail(x, "the template is %zu bytes, over CloudFormation's %d for a template body, "
              "and its asset manifest %s does not say where to upload it", x->template_len,
              TEMPLATE_BODY_MAX, x->stack->assets_file);
  return rc;
}

/* The deployed template, or NULL for a stack that does not exist yet. */
static cJSON *deployed_template(struct deployment *x, int *failed)
{
  struct cfn_stack_info info = {0};
  char *body = NULL;
  cJSON *t = NULL;
  *failed = cfn_stack_lookup(x->c, x->stack->name, &info, &x->d) != SFL_OK;
  if(!*failed && info.exists && !cfn_stack_is_new(&info)) {
    *failed = cfn_get_template(x->c, x->stack->name, &body, &x->d) != SFL_OK;
    t = body ? cJSON_Parse(body) : NULL;
  }
  free(body);
  cfn_stack_info_free(&info);
  return t;
}

static const char *change_sign(const char *action)
{
  return !strcmp(action, "Add") ? "+" : !strcmp(action, "Remove") ? "-" : "~";
}

static void print_changes(const struct cfn_change_set *cs)
{
  printf("Changes:\n");
  for(size_t i = 0; i < cs->nchanges; i++) {
    const struct cfn_change *ch = &cs->changes[i];
    printf("  %s %-7s %s %s", change_sign(ch->action), ch->action, ch->type, ch->logical_id);
    if(ch->replacement && strcmp(ch->replacement, "False"))
      printf(" (replacement: %s)", ch->replacement);
    putchar('\n');
  }
}

static int ask_yes(void)
{
  printf("Do you wish to deploy these changes (y/n)? ");
  fflush(stdout);
  char line[64];
  if(!fgets(line, sizeof line, stdin))
    return 0;
  return line[0] == 'y' || line[0] == 'Y';
}

/* cfn_deploy's review: the change set's changes, then the security changes the approval
** level wants confirmed. Nonzero declines (the change set is then deleted). */
static int review(void *ud, const struct cfn_change_set *cs)
{
  struct deployment *x = ud;
  print_changes(cs);
  x->approved = x->args->approval == APPROVAL_NEVER;
  if(x->approved)
    return 0;
  int failed;
  cJSON *old = deployed_template(x, &failed);
  struct approval_report r;
  if(failed || approval_compare(old, x->template, &r, &x->d)) {
    cJSON_Delete(old);
    return 1;
  }
  cJSON_Delete(old);
  int decline = 0;
  if(approval_needed(x->args->approval, &r)) {
    static const char *const levels[] = {"never", "any-change", "broadening"};
    printf("This deployment will make potentially sensitive changes according to your "
           "current security approval level (--require-approval %s).\nPlease confirm you "
           "intend to make the following modifications:\n\n", levels[x->args->approval]);
    approval_print(stdout, &r);
    putchar('\n');
    x->no_tty = !isatty(STDIN_FILENO);
    x->said_no = !x->no_tty && !ask_yes();
    decline = x->no_tty || x->said_no;
  }
  approval_free(&r);
  x->approved = !decline;
  return decline;
}

static int outcome(struct deployment *x, const struct cfn_deploy_result *res,
                   const struct timespec *t0)
{
  const char *name = x->stack->name;
  if(res->declined && x->no_tty)
    return fail(x, "\"--require-approval\" is enabled and stack includes security-sensitive "
                "updates, but terminal (TTY) is not attached so we are unable to get a "
                "confirmation from the user");
  if(res->declined && x->said_no)
    return fail(x, "Aborted by user");
  if(res->declined)
    return fail_diag(x);
  if(res->wait.interrupted || cli_interrupted)
    return cli_interrupt_report(name, "deploying", res->wait.started || x->approved);
  if(!res->no_changes && !res->wait.ok)
    return fail(x, "The stack named %s failed to deploy: %s%s%s%s", name,
                res->wait.status ? res->wait.status : "unknown status",
                res->wait.first_failure ? " (" : "",
                res->wait.first_failure ? res->wait.first_failure : "",
                res->wait.first_failure ? ")" : "");
  printf("\n ✅  %s%s\n\n✨  Deployment time: %.2fs\n\n", name,
         res->no_changes ? " (no changes)" : "", clock_seconds_since(t0));
  if(res->stack.exists)
    cfn_print_outputs(stdout, &res->stack);
  return CLI_OK;
}

static int run_change_set(struct deployment *x, const char *url)
{
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct cfn_deploy_input in = {
    .change_set = {.stack = x->stack->name, .template_body = url ? NULL : x->template_text,
                   .template_url = url},
    .disable_rollback = x->args->no_rollback, .review = review, .review_ud = x,
  };
  cli_watch_init(&in.watch);
  in.watch.template = x->template;
  struct cfn_deploy_result res = {0};
  int rc = cfn_deploy(x->c, &in, &res, &x->d) ? fail_diag(x) : outcome(x, &res, &t0);
  cfn_deploy_result_free(&res);
  return rc;
}

static int deploy_stack(struct deployment *x)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", x->outdir, x->stack->template_file);
  x->template_text = file_read(path, &x->template_len);
  x->template = x->template_text ? cJSON_Parse(x->template_text) : NULL;
  if(!x->template)
    return fail(x, "cannot read the template %s", path);
  if(x->stack->account[0] && strcmp(x->stack->account, x->account))
    return fail(x, "the stack is for account %s, but the credentials are for account %s "
                "(profile %s)", x->stack->account, x->account, aws_client_profile(x->c));
  char *url = NULL;
  int rc = check_bootstrap(x);
  if(!rc)
    rc = publish(x, &url);
  if(!rc && cli_interrupted)
    rc = fail(x, "interrupted");
  if(!rc)
    rc = run_change_set(x, url);
  free(url);
  return rc;
}

/* A client for the stack's region (its environment's, else the command line's). */
static int open_client(const struct deploy_args *a, const struct stack_art *s,
                       struct deployment *x)
{
  struct aws_options o = a->aws;
  if(s->region[0])
    o.region = s->region;
  if(cli_aws_open(&o, &x->c))
    return CLI_APP_ERROR;
  if(a->verbose)
    aws_client_set_trace(x->c, stderr);
  if(aws_client_account(x->c, &x->account, &x->d))
    return fail_diag(x);
  x->region = aws_client_region(x->c);
  return CLI_OK;
}

static int deploy_one(const struct deploy_args *a, const char *outdir,
                      const struct stack_art *s, size_t i, size_t n)
{
  struct deployment x = {.args = a, .outdir = outdir, .stack = s};
  printf("%s: deploying... [%zu/%zu]\n", s->name, i + 1, n);
  fflush(stdout);
  int rc = open_client(a, s, &x);
  if(!rc)
    rc = deploy_stack(&x);
  cJSON_Delete(x.template);
  free(x.template_text);
  aws_client_close(x.c);
  return rc;
}

/* }============ */

static int synth(const struct deploy_args *a, char **outdir)
{
  int rc = CLI_OK;
  sfl_host *h = cli_load_app(a->app, a->verbose, &rc);
  if(!h)
    return rc;
  const char *dir = a->outdir ? a->outdir
                              : sfl_host_app_outdir(h) ? sfl_host_app_outdir(h) : DEFAULT_OUTDIR;
  int res = sfl_host_synth(h, dir, a->stacks, a->nstacks);
  if(res == SFL_ENOTFOUND)
    rc = cli_usage_error("deploy", "%s", sfl_host_last_error(h));
  else if(res) {
    fprintf(stderr, "%s\n", sfl_host_last_error(h));
    rc = CLI_APP_ERROR;
  }
  else if(!(*outdir = strdup(dir)))
    rc = CLI_APP_ERROR;
  sfl_host_free(h);
  return rc;
}

static int deploy(const struct deploy_args *a)
{
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  char *outdir = NULL;
  int rc = synth(a, &outdir);
  if(rc) {
    free(outdir);
    return rc;
  }
  printf("\n✨  Synthesis time: %.2fs\n\n", clock_seconds_since(&t0));
  struct assembly as = {0};
  rc = read_assembly(outdir, &as);
  if(!rc && !as.n)
    fprintf(stderr, "The app defines no stacks: nothing to deploy.\n");
  for(size_t i = 0; i < as.n && !rc; i++) {
    if(cli_interrupted)
      fprintf(stderr, "\nsfl: interrupted: %s was not deployed\n", as.stacks[i].name);
    rc = cli_interrupted ? CLI_INTERRUPTED : deploy_one(a, outdir, &as.stacks[i], i, as.n);
  }
  if(!rc)
    printf("\n✨  Total time: %.2fs\n\n", clock_seconds_since(&t0));
  assembly_free(&as);
  free(outdir);
  return rc;
}

int cmd_deploy(int argc, char **argv)
{
  struct deploy_args a = {0};
  a.stacks = calloc((size_t)argc, sizeof *a.stacks);
  if(!a.stacks)
    return CLI_APP_ERROR;
  int rc = parse(argc, argv, &a);
  if(!rc && a.help)
    cli_print_help(cli_find("deploy"), stdout);
  else if(!rc) {
    cli_catch_interrupt();
    rc = deploy(&a);
  }
  free(a.stacks);
  return rc;
}
