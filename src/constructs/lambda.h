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

struct lambda_function_props {
  const struct lambda_runtime *runtime;
  const char *handler;
  struct lambda_code *code;
  cJSON *description, *function_name, *memory_size, *timeout, *environment;
};

struct lambda_function {
  struct cfn_node *node;
  struct role *role;
  struct cfn_resource *resource;
};

struct lambda_function *lambda_function_new(struct cfn_node *scope, const char *id,
                                            const struct lambda_function_props *props,
                                            struct sfl_loc loc, struct diag *d);
cJSON *lambda_function_arn(const struct lambda_function *fn);
cJSON *lambda_function_name(const struct lambda_function *fn);
/* What lambda:InvokeFunction is granted on: the function and its versions ("arn:*"). */
cJSON *lambda_invoke_resources(const struct lambda_function *fn);

#endif
