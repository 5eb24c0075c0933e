/*
** lambda.c: Lambda functions (aws-lambda/lib/function.js): a service role trusted by
** lambda.amazonaws.com with AWSLambdaBasicExecutionRole, then the function itself.
*/
#include "constructs/lambda.h"
#include "cfn/token.h"

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

/* CfnFunction properties, in the generated (alphabetical) order. */
static cJSON *function_props(const struct lambda_function *fn,
                             const struct lambda_function_props *p)
{
  cJSON *props = cJSON_CreateObject();
  cJSON *code = json_put(props, "Code", cJSON_CreateObject());
  if(p->code->asset) {
    cJSON *bucket = json_put(code, "S3Bucket", cJSON_CreateObject());
    json_put_str(bucket, "Fn::Sub", "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}");
    json_put_str(code, "S3Key", p->code->asset->object_key);
  } else {
    json_put_str(code, "ZipFile", p->code->inline_source);
  }
  json_put(props, "Description", json_dup(p->description));
  if(p->environment) {
    cJSON *env = json_put(props, "Environment", cJSON_CreateObject());
    json_put(env, "Variables", json_dup(p->environment));
  }
  json_put(props, "FunctionName", json_dup(p->function_name));
  json_put_str(props, "Handler", p->handler);
  json_put(props, "MemorySize", json_dup(p->memory_size));
  json_put(props, "Role", role_arn(fn->role));
  json_put_str(props, "Runtime", p->runtime->name);
  json_put(props, "Timeout", json_dup(p->timeout));
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

struct lambda_function *lambda_function_new(struct cfn_node *scope, const char *id,
                                            const struct lambda_function_props *props,
                                            struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
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
  fn->role = role_new(fn->node, "ServiceRole", "lambda.amazonaws.com", NULL, loc, d);
  if(!fn->role || role_add_managed_policy(fn->role, "service-role/AWSLambdaBasicExecutionRole", d))
    return NULL;
  if(props->code->asset && bind_asset(fn, props->code, loc, d))
    return NULL;
  fn->resource = cfn_resource_new(fn->node, "Resource", "AWS::Lambda::Function",
                                  "aws-cdk-lib.aws_lambda.CfnFunction", loc, d);
  if(!fn->resource)
    return NULL;
  fn->resource->props = arena_own_json(a, function_props(fn, props));
  if(!fn->resource->props || cfn_depends_on(fn->resource, fn->role->node))
    return diag_nomem(d), NULL;
  return fn;
}

cJSON *lambda_function_arn(const struct lambda_function *fn)
{
  return cfn_getatt(fn->resource->logical_id, "Arn");
}

cJSON *lambda_function_name(const struct lambda_function *fn)
{
  return cfn_ref(fn->resource->logical_id);
}

cJSON *lambda_invoke_resources(const struct lambda_function *fn)
{
  cJSON *list = cJSON_CreateArray();
  json_push(list, lambda_function_arn(fn));
  if(!json_push(list, cfn_concat(2, lambda_function_arn(fn), cJSON_CreateString(":*")))) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}
