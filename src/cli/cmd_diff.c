/*
** cmd_diff.c: `sfl diff APP.lua [STACK...]`, as `cdk diff`: synthesizes the app into its
** cloud assembly, then compares each stack's template with the one deployed (CloudFormation
** GetTemplate; a stack not deployed yet is compared with an empty template) or, with
** --template FILE, with a local template and no network at all. The comparison itself is
** src/deploy/tdiff.c; state machine definitions are compared state by state.
*/
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/file.h"
#include "core/json.h"
#include "deploy/cfn.h"
#include "deploy/client.h"
#include "deploy/tdiff.h"

#define DEFAULT_OUTDIR "sfl.out"

struct diff_args {
  const char *app, *outdir, *template_file;
  const char **stacks;
  size_t nstacks;
  int fail, strict, verbose, help, context;
  struct aws_options aws;
};

/* {============ the command line */

/* Options that take a value: where it goes. */
static const char **value_slot(struct diff_args *a, const char *opt)
{
  static const struct {
    const char *name;
    size_t off;
  } opts[] = {
    {"--template", offsetof(struct diff_args, template_file)},
    {"--output", offsetof(struct diff_args, outdir)},
    {"-o", offsetof(struct diff_args, outdir)},
  };
  for(size_t i = 0; i < sizeof opts / sizeof *opts; i++)
    if(!strcmp(opts[i].name, opt))
      return (const char **)((char *)a + opts[i].off);
  return NULL;
}

static int parse_context(struct diff_args *a, const char *v)
{
  char *end;
  long n = strtol(v, &end, 10);
  if(!*v || *end || n < 0 || n > 100000)
    return cli_usage_error("diff", "--context-lines needs a number of lines (0 or more), not "
                                   "'%s'", v);
  a->context = (int)n;
  return CLI_OK;
}

static int parse_option(struct diff_args *a, int argc, char **argv, int *i)
{
  int aws = cli_aws_option("diff", argc, argv, i, &a->aws);
  if(aws)
    return aws < 0 ? CLI_USAGE : CLI_OK;
  const char *arg = argv[*i];
  char name[64];
  const char *eq = strchr(arg, '=');
  size_t len = eq && arg[1] == '-' ? (size_t)(eq - arg) : strlen(arg);
  snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), arg);
  const char **slot = value_slot(a, name);
  int context = !strcmp(name, "--context-lines");
  if(slot || context) {
    const char *v = eq && arg[1] == '-' ? eq + 1 : ++*i < argc ? argv[*i] : NULL;
    if(!v)
      return cli_usage_error("diff", "%s needs a value", name);
    if(context)
      return parse_context(a, v);
    *slot = v;
    return CLI_OK;
  }
  if(!strcmp(arg, "-h") || !strcmp(arg, "--help"))
    a->help = 1;
  else if(!strcmp(arg, "--fail"))
    a->fail = 1;
  else if(!strcmp(arg, "--strict"))
    a->strict = 1;
  else if(!strcmp(arg, "--verbose") || !strcmp(arg, "-v"))
    a->verbose = 1;
  else
    return cli_usage_error("diff", "unknown option '%s'", arg);
  return CLI_OK;
}

static int parse(int argc, char **argv, struct diff_args *a)
{
  a->context = 3;
  for(int i = 1; i < argc; i++) {
    if(argv[i][0] == '-' && argv[i][1]) {
      int rc = parse_option(a, argc, argv, &i);
      if(rc)
        return rc;
    }
    else if(!a->app)
      a->app = argv[i];
    else
      a->stacks[a->nstacks++] = argv[i];
  }
  if(!a->help && !a->app)
    return cli_usage_error("diff", "which app? give the path of a Lua app (sfl diff app.lua)");
  return CLI_OK;
}
/* }============ */

/* {============ the cloud assembly */

static cJSON *read_json(const char *dir, const char *name, int *missing)
{
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  size_t len;
  char *text = file_read(path, &len);
  if(missing)
    *missing = !text;
  cJSON *j = text ? cJSON_ParseWithLength(text, len) : NULL;
  free(text);
  return j;
}

/* A stack of the assembly: its CloudFormation name, template and construct paths. */
struct stack {
  const char *name;
  cJSON *template;
  cJSON *paths;   /* logical id -> "/Stack/Path/Resource", from its metadata file */
};

/* The construct paths of a stack's metadata file (which sfl synth always writes). */
static cJSON *read_paths(const char *outdir, const cJSON *artifact)
{
  const cJSON *file = json_get(artifact, "additionalMetadataFile");
  char path[4096];
  size_t len;
  snprintf(path, sizeof path, "%s/%s", outdir, cJSON_IsString(file) ? file->valuestring : "");
  char *text = cJSON_IsString(file) ? file_read(path, &len) : NULL;
  cJSON *paths = cfn_paths_from_metadata(text);
  free(text);
  return paths;
}

/* The stacks the assembly in `outdir` holds (those just synthesized), in its order. */
static struct stack *read_assembly(const char *outdir, cJSON **manifest, size_t *n)
{
  *manifest = read_json(outdir, "manifest.json", NULL);
  const cJSON *arts = json_get(*manifest, "artifacts"), *a;
  struct stack *st = calloc((size_t)cJSON_GetArraySize(arts) + 1, sizeof *st);
  *n = 0;
  if(!st)
    return NULL;
  cJSON_ArrayForEach(a, arts) {
    const cJSON *type = json_get(a, "type"), *props = json_get(a, "properties");
    const cJSON *name = json_get(props, "stackName"), *file = json_get(props, "templateFile");
    if(!cJSON_IsString(type) || strcmp(type->valuestring, "aws:cloudformation:stack") ||
       !cJSON_IsString(file))
      continue;
    struct stack *s = &st[(*n)++];
    s->name = cJSON_IsString(name) ? name->valuestring : a->string;
    s->template = read_json(outdir, file->valuestring, NULL);
    s->paths = read_paths(outdir, a);
  }
  return st;
}

static void free_assembly(struct stack *st, size_t n, cJSON *manifest)
{
  for(size_t i = 0; st && i < n; i++) {
    cJSON_Delete(st[i].template);
    cJSON_Delete(st[i].paths);
  }
  free(st);
  cJSON_Delete(manifest);
}
/* }============ */

/* {============ the templates compared */

struct diff_run {
  const struct diff_args *a;
  struct aws_client *client;   /* opened for the first deployed template */
  int color;
};

/* A local template (--template): JSON, as CDK writes them. */
static int local_template(const char *file, cJSON **out)
{
  size_t len;
  char *text = file_read(file, &len);
  if(!text) {
    fprintf(stderr, "sfl: cannot read the template %s\n", file);
    return CLI_USAGE;
  }
  *out = cJSON_ParseWithLength(text, len);
  free(text);
  if(!cJSON_IsObject(*out)) {
    cJSON_Delete(*out);
    *out = NULL;
    fprintf(stderr, "sfl: %s is not a JSON template (sfl diff reads JSON templates)\n", file);
    return CLI_USAGE;
  }
  return CLI_OK;
}

/* "ValidationError: Stack with id NAME does not exist": not deployed yet. */
static int stack_missing(struct aws_client *c, const struct diag *d)
{
  const char *code = aws_client_error_code(c);
  return code && !strcmp(code, "ValidationError") && strstr(d->msg, "does not exist");
}

/* The deployed template of a stack (NULL *out: the stack does not exist). */
static int deployed_template(struct diff_run *r, const char *stack, cJSON **out)
{
  struct diag d = {0};
  *out = NULL;
  if(!r->client && cli_aws_open(&r->a->aws, &r->client))
    return CLI_APP_ERROR;
  char *body = NULL;
  if(cfn_get_template(r->client, stack, &body, &d)) {
    if(stack_missing(r->client, &d))
      return CLI_OK;
    fprintf(stderr, "sfl: %s: %s\n", stack, d.msg);
    return CLI_APP_ERROR;
  }
  *out = cJSON_Parse(body);
  free(body);
  if(!cJSON_IsObject(*out)) {
    cJSON_Delete(*out);
    *out = NULL;
    fprintf(stderr, "sfl: the deployed template of %s is not JSON (sfl diff reads JSON "
                    "templates only)\n", stack);
    return CLI_APP_ERROR;
  }
  return CLI_OK;
}

/* One stack: its header, then its differences. *changed is set when there are any. */
static int diff_stack(struct diff_run *r, const struct stack *s, int *changed)
{
  cJSON *old = NULL;
  int rc = r->a->template_file ? local_template(r->a->template_file, &old)
                               : deployed_template(r, s->name, &old);
  if(rc)
    return rc;
  struct tdiff_options o = {.color = r->color, .context_lines = r->a->context,
                            .strict = r->a->strict, .paths = s->paths};
  struct strbuf out = {0};
  if(r->color)
    strbuf_printf(&out, "\x1b[1mStack %s\x1b[22m\n", s->name);
  else
    strbuf_printf(&out, "Stack %s\n", s->name);
  *changed = tdiff_write(&out, old, s->template, &o) > 0;
  if(out.len < 2 || memcmp(out.buf + out.len - 2, "\n\n", 2))
    strbuf_putc(&out, '\n');   /* a blank line after each stack */
  cJSON_Delete(old);
  if(out.failed) {
    strbuf_free(&out);
    fputs("sfl: out of memory\n", stderr);
    return CLI_APP_ERROR;
  }
  fputs(out.buf, stdout);
  strbuf_free(&out);
  return CLI_OK;
}

static int diff_all(struct diff_run *r, const char *outdir)
{
  cJSON *manifest;
  size_t n;
  struct stack *st = read_assembly(outdir, &manifest, &n);
  int rc = st ? CLI_OK : CLI_APP_ERROR, differ = 0;
  if(st && r->a->template_file && n != 1)
    rc = cli_usage_error("diff", "--template compares one stack, and %zu are selected: name "
                                 "the one to compare", n);
  for(size_t i = 0; !rc && i < n; i++) {
    int changed = 0;
    if(!st[i].template) {
      fprintf(stderr, "sfl: the template of %s could not be read from %s\n", st[i].name,
              outdir);
      rc = CLI_APP_ERROR;
    }
    else
      rc = diff_stack(r, &st[i], &changed);
    differ += changed;
  }
  free_assembly(st, n, manifest);
  if(!rc)
    printf("✨  Number of stacks with differences: %d\n", differ);
  return rc ? rc : r->a->fail && differ ? CLI_APP_ERROR : CLI_OK;
}
/* }============ */

int cmd_diff(int argc, char **argv)
{
  struct diff_args a = {0};
  a.stacks = calloc((size_t)argc, sizeof *a.stacks);
  if(!a.stacks)
    return CLI_APP_ERROR;
  int rc = parse(argc, argv, &a);
  if(rc || a.help) {
    if(a.help)
      cli_print_help(cli_find("diff"), stdout);
    free(a.stacks);
    return rc;
  }
  sfl_host *h = cli_load_app(a.app, a.verbose, &rc);
  if(!h) {
    free(a.stacks);
    return rc;
  }
  /* A copy: what the host returns lasts only until its next call. */
  char *outdir = strdup(a.outdir ? a.outdir
                        : sfl_host_app_outdir(h) ? sfl_host_app_outdir(h) : DEFAULT_OUTDIR);
  int res = outdir ? sfl_host_synth(h, outdir, a.stacks, a.nstacks) : SFL_ENOMEM;
  if(res == SFL_ENOTFOUND)
    rc = cli_usage_error("diff", "%s", sfl_host_last_error(h));
  else if(res) {
    fprintf(stderr, "%s\n", sfl_host_last_error(h));
    rc = CLI_APP_ERROR;
  }
  else {
    const char *no_color = getenv("NO_COLOR");
    struct diff_run r = {&a, NULL, isatty(STDOUT_FILENO) && !(no_color && *no_color)};
    rc = diff_all(&r, outdir);
    aws_client_close(r.client);
  }
  sfl_host_free(h);
  free(outdir);
  free(a.stacks);
  return rc;
}
