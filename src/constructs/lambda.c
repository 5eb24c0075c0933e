/*
** lambda.c: Lambda functions (aws-lambda/lib/function.js): a service role trusted by
** lambda.amazonaws.com with AWSLambdaBasicExecutionRole, then the function itself.
*/
#include "constructs/lambda.h"
#include "cfn/iam.h"
#include "cfn/token.h"
#include "constructs/logs.h"
#include "core/hash.h"

#include <stdlib.h>

#include <string.h>

#define RT(c, n, i) {#c, n, i}
const struct lambda_runtime lambda_runtimes[] = {
  RT(NODEJS, "nodejs", 1), RT(NODEJS_4_3, "nodejs4.3", 1), RT(NODEJS_6_10, "nodejs6.10", 1),
  RT(NODEJS_8_10, "nodejs8.10", 1), RT(NODEJS_10_X, "nodejs10.x", 1),
  RT(NODEJS_12_X, "nodejs12.x", 1), RT(NODEJS_14_X, "nodejs14.x", 1),
  RT(NODEJS_16_X, "nodejs16.x", 1), RT(NODEJS_18_X, "nodejs18.x", 1),
  RT(NODEJS_20_X, "nodejs20.x", 1), RT(NODEJS_22_X, "nodejs22.x", 1),
  RT(NODEJS_24_X, "nodejs24.x", 1), RT(NODEJS_LATEST, "nodejs24.x", 1),
  RT(PYTHON_2_7, "python2.7", 1), RT(PYTHON_3_6, "python3.6", 1),
  RT(PYTHON_3_7, "python3.7", 1), RT(PYTHON_3_8, "python3.8", 1),
  RT(PYTHON_3_9, "python3.9", 1), RT(PYTHON_3_10, "python3.10", 1),
  RT(PYTHON_3_11, "python3.11", 1), RT(PYTHON_3_12, "python3.12", 1),
  RT(PYTHON_3_13, "python3.13", 1), RT(PYTHON_3_14, "python3.14", 1),
  RT(PYTHON_3_15, "python3.15", 1),
  RT(JAVA_8, "java8", 0), RT(JAVA_8_CORRETTO, "java8.al2", 0), RT(JAVA_11, "java11", 0),
  RT(JAVA_17, "java17", 0), RT(JAVA_21, "java21", 0), RT(JAVA_25, "java25", 0),
  RT(JAVA_8_AL2023, "java8.al2023", 0), RT(JAVA_11_AL2023, "java11.al2023", 0),
  RT(JAVA_17_AL2023, "java17.al2023", 0),
  RT(DOTNET_6, "dotnet6", 0), RT(DOTNET_8, "dotnet8", 0), RT(DOTNET_9, "dotnet9", 0),
  RT(DOTNET_10, "dotnet10", 0), RT(DOTNET_CORE_1, "dotnetcore1.0", 0),
  RT(DOTNET_CORE_2, "dotnetcore2.0", 0), RT(DOTNET_CORE_2_1, "dotnetcore2.1", 0),
  RT(DOTNET_CORE_3_1, "dotnetcore3.1", 0), RT(GO_1_X, "go1.x", 0),
  RT(RUBY_2_5, "ruby2.5", 0), RT(RUBY_2_7, "ruby2.7", 0), RT(RUBY_3_2, "ruby3.2", 0),
  RT(RUBY_3_3, "ruby3.3", 0), RT(RUBY_3_4, "ruby3.4", 0), RT(RUBY_4_0, "ruby4.0", 0),
  RT(PROVIDED, "provided", 0), RT(PROVIDED_AL2, "provided.al2", 0),
  RT(PROVIDED_AL2023, "provided.al2023", 0), RT(FROM_IMAGE, "FROM_IMAGE", 0),
  {NULL, NULL, 0}
};

static int tracing_on(const struct lambda_function_props *p)
{
  return p->tracing && !(cJSON_IsString(p->tracing) && !strcmp(p->tracing->valuestring,
                                                               "Disabled"));
}

/* CfnFunction properties, in the generated (alphabetical) order. */
static cJSON *function_props(const struct lambda_function *fn,
                             const struct lambda_function_props *p)
{
  cJSON *props = cJSON_CreateObject();
  if(p->architecture) {
    cJSON *arch = json_put(props, "Architectures", cJSON_CreateArray());
    json_push(arch, json_dup(p->architecture));
  }
  cJSON *code = json_put(props, "Code", cJSON_CreateObject());
  if(p->code->asset) {
    cJSON *bucket = json_put(code, "S3Bucket", cJSON_CreateObject());
    json_put_str(bucket, "Fn::Sub", CFN_ASSETS_BUCKET);
    json_put_str(code, "S3Key", p->code->asset->object_key);
  } else {
    json_put_str(code, "ZipFile", p->code->inline_source);
  }
  json_put(props, "Description", json_dup(p->description));
  if(p->environment) {
    cJSON *env = json_put(props, "Environment", cJSON_CreateObject());
    json_put(env, "Variables", json_dup(p->environment));
  }
  if(p->ephemeral_storage_mib) {
    cJSON *eph = json_put(props, "EphemeralStorage", cJSON_CreateObject());
    json_put(eph, "Size", json_dup(p->ephemeral_storage_mib));
  }
  json_put(props, "FunctionName", json_dup(p->function_name));
  json_put_str(props, "Handler", p->handler);
  if(p->layers && p->layers->n) {
    cJSON *layers = json_put(props, "Layers", cJSON_CreateArray());
    for(size_t i = 0; i < p->layers->n; i++)
      json_push(layers, json_dup(((struct lambda_layer *)p->layers->items[i])->arn));
  }
  if(p->log_group) {
    cJSON *logging = json_put(props, "LoggingConfig", cJSON_CreateObject());
    json_put(logging, "LogGroup", log_group_name(p->log_group));
  }
  json_put(props, "MemorySize", json_dup(p->memory_size));
  json_put(props, "ReservedConcurrentExecutions", json_dup(p->reserved_concurrent_executions));
  json_put(props, "Role", role_arn(fn->role));
  json_put_str(props, "Runtime", p->runtime->name);
  json_put(props, "Timeout", json_dup(p->timeout));
  if(tracing_on(p)) {
    cJSON *tracing = json_put(props, "TracingConfig", cJSON_CreateObject());
    json_put(tracing, "Mode", json_dup(p->tracing));
  }
  return props;
}

/*
** AssetCode.bind: the first Function to use the code makes the Asset construct ("Code",
** with its "Stage" and "AssetBucket") and adds the file to its stack's manifest; others
** in the same stack share it.
*/
static enum sfl_status bind_asset(struct lambda_function *fn, struct lambda_code *code,
                                  struct sfl_loc loc, struct diag *d)
{
  struct cfn_stack *st = fn->node->stack;
  if(code->asset_node)
    return code->asset_node->stack == st ? SFL_OK
      : diag_set(d, SFL_ERR_INVALID, loc, "Asset is already associated with another stack "
                 "'%s'. Create a new Code instance for every stack.",
                 code->asset_node->stack->name);
  struct cfn_node *n = cfn_node_new(fn->node, "Code", "aws-cdk-lib.aws_s3_assets.Asset", loc, d);
  if(!n || !cfn_node_new(n, "Stage", "aws-cdk-lib.AssetStaging", loc, d)
     || !cfn_node_new(n, "AssetBucket", "aws-cdk-lib.aws_s3.BucketBase", loc, d))
    return d->status;
  code->asset_node = n;
  const char *name = code->display_name;
  if(!name) {
    const char *path = cfn_node_path(fn->node->app->arena, n);
    name = path ? path + strlen(st->node->id) + 1 : NULL;
  }
  return name ? cfn_stack_add_asset(st, code->asset, name, d) : diag_nomem(d);
}

static size_t count_char(const char *s, char c)
{
  size_t n = 0;
  for(; *s; s++)
    n += *s == c;
  return n;
}

/* A value the app wrote out (not a token): only those can be checked at synth. */
static const char *literal_string(const cJSON *v)
{
  return cJSON_IsString(v) && !json_has(v, JSON_PATH) ? v->valuestring : NULL;
}

static int literal_number(const cJSON *v, double *out)
{
  if(!cJSON_IsNumber(v))
    return 0;
  *out = v->valuedouble;
  return 1;
}

/* The checks function.js and event-invoke-config.js make, with their messages. */
static enum sfl_status check_props(const struct lambda_function_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  const char *name = literal_string(p->function_name), *desc = literal_string(p->description);
  double n;
  if(name && strlen(name) > 64)
    return diag_set(d, SFL_ERR_INVALID, loc, "Function name can not be longer than 64 "
                    "characters but has %zu characters.", strlen(name));
  if(name && (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                     "0123456789-_") != strlen(name)))
    return diag_set(d, SFL_ERR_INVALID, loc, "Function name %s can contain only letters, "
                    "numbers, hyphens, or underscores with no spaces.", name);
  if(desc && strlen(desc) > 256)
    return diag_set(d, SFL_ERR_INVALID, loc, "Function description can not be longer than "
                    "256 characters but has %zu characters.", strlen(desc));
  if(p->layers && p->layers->n > 5)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Unable to add layer: this lambda function already uses 5 layers.");
  if(literal_number(p->max_event_age, &n) && (n < 60 || n > 21600))
    return diag_set(d, SFL_ERR_INVALID, loc, "`maximumEventAge` must represent a `Duration` "
                    "that is between 60 and 21600 seconds.");
  if(literal_number(p->retry_attempts, &n) && (n < 0 || n > 2))
    return diag_set(d, SFL_ERR_INVALID, loc, "`retryAttempts` must be between 0 and 2.");
  return SFL_OK;
}

/* Function.configureAsyncInvoke: EventInvokeConfig/Resource for the unqualified function. */
static enum sfl_status add_event_invoke_config(struct lambda_function *fn,
                                               const struct lambda_function_props *p,
                                               struct sfl_loc loc, struct diag *d)
{
  struct cfn_node *n = cfn_node_new(fn->node, "EventInvokeConfig",
                                    "aws-cdk-lib.aws_lambda.EventInvokeConfig", loc, d);
  struct cfn_resource *r = n ? cfn_resource_new(n, "Resource", "AWS::Lambda::EventInvokeConfig",
                                                "aws-cdk-lib.aws_lambda.CfnEventInvokeConfig",
                                                loc, d) : NULL;
  if(!r)
    return d->status;
  cJSON *props = cJSON_CreateObject();
  json_put(props, "FunctionName", lambda_function_name(fn));
  json_put(props, "MaximumEventAgeInSeconds", json_dup(p->max_event_age));
  json_put(props, "MaximumRetryAttempts", json_dup(p->retry_attempts));
  json_put_str(props, "Qualifier", "$LATEST");
  r->props = arena_own_json(fn->node->app->arena, props);
  return r->props ? SFL_OK : diag_nomem(d);
}

struct lambda_layer *lambda_layer_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                         struct sfl_loc loc, struct diag *d)
{
  struct lambda_layer *l = arena_alloc(scope->app->arena, sizeof *l);
  if(!l)
    return diag_nomem(d), NULL;
  l->node = cfn_node_new(scope, id, "aws-cdk-lib.Resource", loc, d);
  l->arn = arn;
  return l->node ? l : NULL;
}

struct lambda_function *lambda_function_new(struct cfn_node *scope, const char *id,
                                            const struct lambda_function_props *props,
                                            struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  if(check_props(props, loc, d))
    return NULL;
  if(props->code->inline_source && !props->runtime->inline_code)
    return diag_set(d, SFL_ERR_INVALID, loc, "Inline source not allowed for %s",
                    props->runtime->name), NULL;
  struct lambda_function *fn = arena_alloc(a, sizeof *fn);
  if(!fn)
    return diag_nomem(d), NULL;
  fn->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_lambda.Function", loc, d);
  if(!fn->node)
    return NULL;
  fn->node->model = fn;
  fn->kind = LAMBDA_FUNCTION;
  if(props->role) {
    fn->role = props->role;
  } else {
    fn->role = role_new(fn->node, "ServiceRole", "lambda.amazonaws.com", NULL, loc, d);
    if(!fn->role
       || role_add_managed_policy(fn->role, "service-role/AWSLambdaBasicExecutionRole", d))
      return NULL;
  }
  if(props->code->asset && bind_asset(fn, props->code, loc, d))
    return NULL;
  if(tracing_on(props)) {
    static const char *const xray[] = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"};
    cJSON *all = cJSON_CreateArray();
    json_push(all, cJSON_CreateString("*"));
    if(role_add_statement(fn->role, iam_statement(xray, 2, all, NULL, NULL), d))
      return NULL;
  }
  fn->resource = cfn_resource_new(fn->node, "Resource", "AWS::Lambda::Function",
                                  "aws-cdk-lib.aws_lambda.CfnFunction", loc, d);
  if(!fn->resource)
    return NULL;
  fn->resource->props = arena_own_json(a, function_props(fn, props));
  if(!fn->resource->props || cfn_depends_on(fn->resource, fn->role->node))
    return diag_nomem(d), NULL;
  if((props->max_event_age || props->retry_attempts)
     && add_event_invoke_config(fn, props, loc, d))
    return NULL;
  return fn;
}

cJSON *lambda_function_arn(const struct lambda_function *fn)
{
  switch(fn->kind) {
  case LAMBDA_FUNCTION:
    return cfn_getatt(fn->resource->logical_id, "Arn");
  case LAMBDA_IMPORTED:
    return json_dup(fn->arn);
  default:
    return cfn_ref(fn->resource->logical_id);
  }
}

cJSON *lambda_function_name(const struct lambda_function *fn)
{
  if(fn->kind == LAMBDA_FUNCTION)
    return cfn_ref(fn->resource->logical_id);
  /* extractNameFromArn: Fn.select(6, Fn.split(":", arn)), worked out for a literal ARN. */
  const char *arn = literal_string(fn->arn);
  if(!arn)
    return cfn_select_split(6, ":", json_dup(fn->arn));
  const char *p = arn;
  for(int i = 0; i < 6 && p; i++) {
    p = strchr(p, ':');
    p = p ? p + 1 : NULL;
  }
  const char *end = p ? strchr(p, ':') : NULL;
  return p ? cJSON_CreateString(end ? arena_strndup(fn->node->app->arena, p, (size_t)(end - p))
                                    : p)
           : cJSON_CreateString("");
}

cJSON *lambda_invoke_resources(const struct lambda_function *fn)
{
  cJSON *list = cJSON_CreateArray();
  json_push(list, lambda_function_arn(fn));
  if(fn->kind != LAMBDA_FUNCTION && fn->kind != LAMBDA_IMPORTED)
    return list;
  if(!json_push(list, cfn_concat(2, lambda_function_arn(fn), cJSON_CreateString(":*")))) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

enum sfl_status lambda_grant_invoke(const struct lambda_function *fn, struct role *to,
                                    struct sfl_loc loc, struct diag *d)
{
  static const char *const invoke[] = {"lambda:InvokeFunction"};
  if(!to->resource)
    return diag_set(d, SFL_ERR_INVALID, loc, "grant_invoke: the role '%s' is imported, and for "
                    "an imported role CDK also writes a resource policy "
                    "(AWS::Lambda::Permission) that sfl does not make; add the statement to "
                    "the role instead: role:add_to_principal_policy(iam.PolicyStatement({ "
                    "actions = { \"lambda:InvokeFunction\" }, resources = { fn.function_arn } "
                    "}))", to->node->id);
  cJSON *resources = lambda_invoke_resources(fn);
  if(!resources)
    return diag_nomem(d);
  return role_add_statement(to, iam_statement(invoke, 1, resources, NULL, NULL), d);
}

/* {============ versions and aliases */

static struct lambda_function *qualified_new(struct cfn_node *scope, const char *id,
                                             enum lambda_kind kind, struct sfl_loc loc,
                                             struct diag *d)
{
  int version = kind == LAMBDA_VERSION;
  struct lambda_function *q = arena_alloc(scope->app->arena, sizeof *q);
  if(!q)
    return diag_nomem(d), NULL;
  q->kind = kind;
  q->node = cfn_node_new(scope, id, version ? "aws-cdk-lib.aws_lambda.Version"
                                            : "aws-cdk-lib.aws_lambda.Alias", loc, d);
  if(!q->node)
    return NULL;
  q->node->model = q;
  q->resource = cfn_resource_new(q->node, "Resource",
                                 version ? "AWS::Lambda::Version" : "AWS::Lambda::Alias",
                                 version ? "aws-cdk-lib.aws_lambda.CfnVersion"
                                         : "aws-cdk-lib.aws_lambda.CfnAlias", loc, d);
  return q->resource ? q : NULL;
}

struct lambda_function *lambda_version_new(struct cfn_node *scope, const char *id,
                                           const struct lambda_version_props *p,
                                           struct sfl_loc loc, struct diag *d)
{
  if(p->lambda->kind != LAMBDA_FUNCTION && p->lambda->kind != LAMBDA_IMPORTED)
    return diag_set(d, SFL_ERR_INVALID, loc, "Version '%s': lambda must be a Function (not a "
                    "version or an alias)", id), NULL;
  struct lambda_function *v = qualified_new(scope, id, LAMBDA_VERSION, loc, d);
  if(!v)
    return NULL;
  v->lambda = p->lambda;
  cJSON *props = cJSON_CreateObject();
  json_put(props, "CodeSha256", json_dup(p->code_sha256));
  json_put(props, "Description", json_dup(p->description));
  json_put(props, "FunctionName", lambda_function_name(p->lambda));
  struct arena *a = scope->app->arena;
  v->resource->props = arena_own_json(a, props);
  cJSON *meta = cJSON_CreateObject();
  json_put_bool(meta, "aws:cdk:do-not-refactor", 1);
  v->resource->metadata = arena_own_json(a, meta);
  return v->resource->props && v->resource->metadata ? v : (diag_nomem(d), NULL);
}

/*
** function-hash.js with @aws-cdk/aws-lambda:recognizeVersionProps (on in CDK v2): the
** function's properties that lock a version, known ones first in CDK's order, then the
** rest by name, as JSON; its MD5 in hex.
*/
static const char *const hash_order[] = {
  "Code", "Handler", "Role", "Runtime", "Architectures", "CodeSigningConfigArn",
  "DeadLetterConfig", "Description", "Environment", "EphemeralStorage", "FileSystemConfigs",
  "FunctionName", "ImageConfig", "KmsKeyArn", "Layers", "MemorySize", "PackageType",
  "ReservedConcurrentExecutions", "RuntimeManagementConfig", "SnapStart", "Tags", "Timeout",
  "TracingConfig", "VpcConfig", NULL};
/* VERSION_LOCKED entries that are false: they never change a version. */
static const char *const not_locked[] = {"CodeSigningConfigArn", "ReservedConcurrentExecutions",
                                         "Tags", "TenancyConfig", NULL};

static int in_list(const char *const *list, const char *s)
{
  for(; *list; list++)
    if(!strcmp(*list, s))
      return 1;
  return 0;
}

static int by_key(const void *a, const void *b)
{
  return strcmp((*(cJSON *const *)a)->string, (*(cJSON *const *)b)->string);
}

static enum sfl_status function_hash(const struct lambda_function *fn, char out[HASH_MD5_HEX],
                                     struct diag *d)
{
  cJSON *props = cfn_resolve(fn->resource->props), *sorted = cJSON_CreateObject();
  cJSON *rest[64];
  size_t nrest = 0;
  for(const char *const *k = hash_order; props && *k; k++) {
    cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(props, *k);
    if(v && !in_list(not_locked, *k))
      cJSON_AddItemToObject(sorted, *k, v);
    else
      cJSON_Delete(v);
  }
  for(cJSON *c = props ? props->child : NULL; c && nrest < 64; c = c->next)
    if(!in_list(not_locked, c->string))
      rest[nrest++] = c;
  qsort(rest, nrest, sizeof *rest, by_key);
  for(size_t i = 0; i < nrest; i++)
    cJSON_AddItemReferenceToObject(sorted, rest[i]->string, rest[i]);
  char *text = props ? json_to_text(sorted, 0) : NULL;
  cJSON_Delete(sorted);
  cJSON_Delete(props);
  if(!text)
    return diag_nomem(d);
  hash_md5_hex(text, strlen(text), out);
  free(text);
  return SFL_OK;
}

struct lambda_function *lambda_current_version(struct lambda_function *fn, struct sfl_loc loc,
                                               struct diag *d)
{
  if(fn->current)
    return fn->current;
  struct lambda_version_props p = {.lambda = fn};
  struct lambda_function *v = lambda_version_new(fn->node, "CurrentVersion", &p, loc, d);
  char hash[HASH_MD5_HEX];
  if(!v || function_hash(fn, hash, d))
    return NULL;
  /* trimFromStart(logicalId, 223) + hash */
  const char *id = v->resource->logical_id;
  size_t n = strlen(id);
  v->resource->logical_id = arena_printf(fn->node->app->arena, "%s%s",
                                         n > 223 ? id + n - 223 : id, hash);
  if(!v->resource->logical_id)
    return diag_nomem(d), NULL;
  fn->current = v;
  return v;
}

struct lambda_function *lambda_alias_new(struct cfn_node *scope, const char *id,
                                         const struct lambda_alias_props *p,
                                         struct sfl_loc loc, struct diag *d)
{
  if(p->version->kind != LAMBDA_VERSION)
    return diag_set(d, SFL_ERR_INVALID, loc, "Alias '%s': version must be a Version "
                    "(lambda.Version(...) or fn.current_version)", id), NULL;
  struct lambda_function *al = qualified_new(scope, id, LAMBDA_ALIAS, loc, d);
  if(!al)
    return NULL;
  al->lambda = p->version->lambda;
  al->version = p->version;
  al->alias_name = p->alias_name;
  cJSON *props = cJSON_CreateObject();
  json_put(props, "Description", json_dup(p->description));
  json_put(props, "FunctionName", lambda_function_name(al->lambda));
  json_put(props, "FunctionVersion", cfn_getatt(p->version->resource->logical_id, "Version"));
  json_put_str(props, "Name", p->alias_name);
  al->resource->props = arena_own_json(scope->app->arena, props);
  return al->resource->props ? al : (diag_nomem(d), NULL);
}

/* }============ */

struct lambda_function *lambda_function_import(struct cfn_node *scope, const char *id,
                                               cJSON *arn, const char *name,
                                               struct sfl_loc loc, struct diag *d)
{
  const char *literal = literal_string(arn);
  if(literal && (strncmp(literal, "arn:", 4) || count_char(literal, ':') < 5))
    return diag_set(d, SFL_ERR_INVALID, loc, "ARNs must start with \"arn:\" and have at "
                    "least 6 components: %s", literal), NULL;
  struct arena *a = scope->app->arena;
  struct lambda_function *fn = arena_alloc(a, sizeof *fn);
  if(!fn)
    return diag_nomem(d), NULL;
  fn->kind = LAMBDA_IMPORTED;
  fn->arn = arn ? arn : arena_own_json(a, cfn_arn("lambda", 1, 1,
                                                  arena_printf(a, "function:%s", name)));
  fn->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_lambda.FunctionBase", loc, d);
  if(!fn->node)
    return NULL;
  fn->node->model = fn;
  return fn->arn ? fn : (diag_nomem(d), NULL);
}
