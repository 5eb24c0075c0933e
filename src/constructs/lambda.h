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
  struct role *role;                   /* NULL: a ServiceRole with basic execution */
};

/* Every IFunction LambdaInvoke and grants take, as one struct. */
enum lambda_kind {
  LAMBDA_FUNCTION,   /* aws_lambda.Function */
  LAMBDA_VERSION,    /* aws_lambda.Version (also fn.current_version) */
  LAMBDA_ALIAS,      /* aws_lambda.Alias */
  LAMBDA_IMPORTED    /* Function.from_function_arn/_name/_attributes */
};

struct lambda_function {
  struct cfn_node *node;
  enum lambda_kind kind;
  struct role *role;                  /* FUNCTION: its service role; else NULL */
  struct cfn_resource *resource;      /* FUNCTION, VERSION, ALIAS */
  struct lambda_function *lambda;     /* VERSION, ALIAS: the function qualified */
  struct lambda_function *version;    /* ALIAS: its version */
  struct lambda_function *current;    /* FUNCTION: current_version, once asked for */
  const char *alias_name;             /* ALIAS */
  cJSON *arn;                         /* IMPORTED: the function's ARN */
};

struct lambda_version_props {
  struct lambda_function *lambda;
  cJSON *description, *code_sha256;
};

struct lambda_alias_props {
  const char *alias_name;
  struct lambda_function *version;
  cJSON *description;
};

struct lambda_function *lambda_function_new(struct cfn_node *scope, const char *id,
                                            const struct lambda_function_props *props,
                                            struct sfl_loc loc, struct diag *d);
struct lambda_layer *lambda_layer_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                         struct sfl_loc loc, struct diag *d);
struct lambda_function *lambda_version_new(struct cfn_node *scope, const char *id,
                                           const struct lambda_version_props *props,
                                           struct sfl_loc loc, struct diag *d);
/* fn.current_version: "CurrentVersion" under the function, its logical ID ending in the
** MD5 of the function's version-locked properties (function-hash.js); made once. */
struct lambda_function *lambda_current_version(struct lambda_function *fn, struct sfl_loc loc,
                                               struct diag *d);
struct lambda_function *lambda_alias_new(struct cfn_node *scope, const char *id,
                                         const struct lambda_alias_props *props,
                                         struct sfl_loc loc, struct diag *d);
/* Function.from_function_arn / from_function_attributes (arn given) or from_function_name
** (name given: the ARN in this stack's account and region). */
struct lambda_function *lambda_function_import(struct cfn_node *scope, const char *id,
                                               cJSON *arn, const char *name,
                                               struct sfl_loc loc, struct diag *d);
/* fn.grant_invoke(grantee): lambda:InvokeFunction on lambda_invoke_resources(fn). An
** imported role is refused: CDK adds a resource policy (AWS::Lambda::Permission) for it. */
enum sfl_status lambda_grant_invoke(const struct lambda_function *fn, struct role *to,
                                    struct sfl_loc loc, struct diag *d);

cJSON *lambda_function_arn(const struct lambda_function *fn);
/* FUNCTION: Ref; IMPORTED: the name in its ARN. */
cJSON *lambda_function_name(const struct lambda_function *fn);
/* What lambda:InvokeFunction is granted on (resourceArnsForGrantInvoke): a function and
** its versions ("arn", "arn:*"), or a version's or an alias's ARN alone. */
cJSON *lambda_invoke_resources(const struct lambda_function *fn);

#endif
