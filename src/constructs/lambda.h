/*
** lambda.h: aws_lambda.Function with its service role, as CDK makes it.
*/
#ifndef SFL_CONSTRUCTS_LAMBDA_H
#define SFL_CONSTRUCTS_LAMBDA_H

#include "cfn/asset.h"
#include "constructs/role.h"

struct lambda_runtime {
  const char *constant;   /* "PYTHON_3_12" */
  const char *name;       /* "python3.12" */
  int inline_code;        /* can take Code.from_inline */
};
/* Every aws_lambda.Runtime constant, NULL-terminated. */
extern const struct lambda_runtime lambda_runtimes[];

struct lambda_code {
  const char *inline_source;        /* Code.from_inline */
  const struct cfn_asset *asset;    /* Code.from_asset */
  const char *display_name;         /* from_asset's display_name (NULL: the Asset's path) */
  struct cfn_node *asset_node;      /* the Asset construct, made by the first Function */
};

/* LayerVersion.from_layer_version_arn: an imported layer. */
struct lambda_layer {
  struct cfn_node *node;
  cJSON *arn;
};

struct log_group;

struct lambda_function_props {
  const struct lambda_runtime *runtime;
  const char *handler;
  struct lambda_code *code;
  cJSON *description, *function_name, *memory_size, *timeout, *environment;
  cJSON *architecture;                 /* "arm64" / "x86_64" (Architecture.name) */
  struct vec *layers;                  /* struct lambda_layer *, in order; may be NULL */
  cJSON *reserved_concurrent_executions;
  cJSON *tracing;                      /* "Active" / "PassThrough" / "Disabled" */
  cJSON *retry_attempts, *max_event_age;   /* EventInvokeConfig (max_event_age: seconds) */
  cJSON *ephemeral_storage_mib;        /* ephemeral_storage_size in MiB */
  struct log_group *log_group;
};

struct lambda_function {
  struct cfn_node *node;
  struct role *role;
  struct cfn_resource *resource;
};

struct lambda_function *lambda_function_new(struct cfn_node *scope, const char *id,
                                            const struct lambda_function_props *props,
                                            struct sfl_loc loc, struct diag *d);
struct lambda_layer *lambda_layer_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                         struct sfl_loc loc, struct diag *d);

cJSON *lambda_function_arn(const struct lambda_function *fn);
cJSON *lambda_function_name(const struct lambda_function *fn);
/* What lambda:InvokeFunction is granted on: the function and its versions ("arn:*"). */
cJSON *lambda_invoke_resources(const struct lambda_function *fn);

#endif
