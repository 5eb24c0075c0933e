/*
** tasks.h: aws_stepfunctions_tasks integrations. Each task is a Task state whose
** Resource, Parameters and IAM statements are rendered here from its props, the way
** the matching class in aws-stepfunctions-tasks renders them.
**
** Props hold values as JSON (cJSON owned by the arena): a JSON_PATH string wherever the
** user passed a JsonPath token, so any field can come from the state input.
*/
#ifndef SFL_CONSTRUCTS_TASKS_H
#define SFL_CONSTRUCTS_TASKS_H

#include "constructs/dynamodb.h"
#include "constructs/ecs.h"
#include "constructs/lambda.h"
#include "constructs/sfn.h"

enum task_pattern {
  PATTERN_DEFAULT = 0,         /* not given: the task's own default */
  PATTERN_REQUEST_RESPONSE,
  PATTERN_RUN_JOB,
  PATTERN_WAIT_FOR_TASK_TOKEN
};
extern const char *const task_pattern_names[];   /* indexed by enum task_pattern */

/* What every task takes (TaskStateBaseProps). */
struct task_base {
  const char *state_name;
  enum asl_ql ql;
  cJSON *comment, *input_path, *output_path, *result_path, *result_selector;
  cJSON *assign, *outputs;
  cJSON *timeout, *heartbeat;   /* seconds */
  cJSON *task_timeout, *heartbeat_timeout;   /* sfn.Timeout: {"seconds"|"path"|"jsonata": v} */
  enum task_pattern pattern;
};

struct lambda_invoke_props {
  struct task_base base;
  struct lambda_function *function;
  cJSON *payload;               /* TaskInput value: path, object or text; NULL = "$" */
  int payload_response_only;
  int retry_on_service_exceptions;   /* default true: the binding sets it */
  cJSON *invocation_type, *client_context, *qualifier;
};

struct emr_create_cluster_props {
  struct task_base base;
  cJSON *name, *instances, *release_label, *applications, *additional_info, *custom_ami_id;
  cJSON *log_uri, *security_configuration, *step_concurrency_level, *visible_to_all_users;
  cJSON *tags, *configurations, *bootstrap_actions, *scale_down_behavior;
};

struct emr_add_step_props {
  struct task_base base;
  cJSON *cluster_id, *name, *jar, *main_class, *args, *properties, *action_on_failure;
  cJSON *execution_role_arn;
};

/* StepFunctionsStartExecution (stepfunctions/start-execution.js). */
struct sfn_start_execution_props {
  struct task_base base;
  const struct sfn_machine *machine;   /* made here or imported */
  cJSON *input;                 /* TaskInput value; NULL = "$" */
  cJSON *name;
  int associate_with_parent;
};

/* StepFunctionsInvokeActivity (stepfunctions/invoke-activity.js). */
struct sfn_invoke_activity_props {
  struct task_base base;
  const struct sfn_activity *activity;
  cJSON *parameters, *arguments;
};

/* CallAwsService (aws-sdk/call-aws-service.js): any SDK API. */
struct call_aws_service_props {
  struct task_base base;
  const char *service, *action, *iam_action;
  cJSON *parameters, *iam_resources;
  cJSON *additional_iam_statements;   /* array of policy statements, or NULL */
};

/* DynamoPutItem/GetItem/UpdateItem/DeleteItem (dynamodb/): one props struct, each
** task reads the fields it has. Attribute values are JSON already ({"S": ...}). */
enum dynamo_method { DYNAMO_GET, DYNAMO_PUT, DYNAMO_DELETE, DYNAMO_UPDATE };
struct dynamo_task_props {
  struct task_base base;
  const struct ddb_table *table;
  cJSON *item, *key, *consistent_read, *condition_expression;
  cJSON *expression_attribute_names, *expression_attribute_values;
  cJSON *projection_expression;   /* the expressions joined with "," */
  cJSON *return_consumed_capacity, *return_item_collection_metrics, *return_values;
  cJSON *update_expression;
};

/* EcsFargateLaunchTarget / EcsEc2LaunchTarget (ecs/run-task.js). */
struct ecs_launch_target {
  int ec2;
  const cJSON *capacity_providers;   /* [{CapacityProvider, Weight, Base}], or NULL: LaunchType */
  cJSON *platform_version;
  cJSON *placement_constraints, *placement_strategies;   /* arrays of {Type, ...}, or NULL */
};

/* ContainerOverride: environment is [{"Name", "Value"}], command a list or a path. */
struct ecs_container_override {
  const struct ecs_container *container;
  cJSON *command, *environment, *cpu, *memory_limit, *memory_reservation;
};

/* EcsRunTask (ecs/run-task.js). */
struct ecs_run_task_props {
  struct task_base base;
  const struct ecs_cluster *cluster;
  const struct ecs_task_definition *task_definition;
  const struct ecs_launch_target *launch_target;
  struct vec *container_overrides;           /* struct ecs_container_override*, or NULL */
  struct vec *security_groups;               /* struct ec2_security_group*, or NULL */
  const struct ec2_subnet_selection *subnets;   /* NULL: not given */
  int assign_public_ip;
  cJSON *cpu, *memory_mib, *propagated_tag_source, *enable_execute_command, *revision_number;
  int fix_run_policy;   /* feature flag @aws-cdk/aws-stepfunctions-tasks:fixRunEcsTaskPolicy */
};
/* aws_bedrock models: FoundationModel.from_foundation_model_id, ProvisionedModel. */
struct bedrock_model {
  cJSON *model_id;              /* foundation models only */
  cJSON *model_arn;
};
/* A foundation model's ARN: "arn:<P>:bedrock:<R>::foundation-model/<id>" (id taken over). */
cJSON *bedrock_foundation_model_arn(cJSON *model_id);

/* tasks.Guardrail.enable / enable_draft (bedrock/guardrail.js). */
struct bedrock_guardrail {
  cJSON *identifier;            /* an id or an ARN (string or token) */
  cJSON *version;               /* "1".."99999999" or "DRAFT" */
};
/* Checks a literal identifier as the Guardrail constructor does. */
enum sfl_status bedrock_guardrail_check(struct arena *a, const char *identifier,
                                        struct sfl_loc loc, struct diag *d);

/* BedrockInvokeModel (bedrock/invoke-model.js), under the feature flag
** useNewS3UriParametersForBedrockInvokeModelTask (on unless the app's context sets it false). */
struct bedrock_invoke_model_props {
  struct task_base base;
  const struct bedrock_model *model;
  cJSON *body;                  /* TaskInput value, or NULL */
  cJSON *input, *output;        /* {"s3Location": {bucketName, objectKey, objectVersion},
                                   "s3InputUri"/"s3OutputUri": ...} */
  cJSON *accept, *content_type, *trace_enabled;
  const struct bedrock_guardrail *guardrail;
  int legacy_s3_uri;            /* the flag set false: input_path/output_path are the URIs */
};

struct asl_state *task_bedrock_invoke_model(struct cfn_node *scope, const char *id,
                                            const struct bedrock_invoke_model_props *p,
                                            struct sfl_loc loc, struct diag *d);

/* HttpInvoke (http/invoke.js). Under the feature flag httpInvokeDynamicJsonPathEndpoint (on
** unless the app's context sets it false) the JSONPath endpoint is
** States.Format('{}/{}', root, path). */
struct events_connection;
struct http_invoke_props {
  struct task_base base;
  const struct events_connection *connection;
  cJSON *api_root;              /* a string or a JsonPath token */
  cJSON *api_endpoint, *method; /* TaskInput values */
  cJSON *headers, *query_string_parameters, *body;   /* TaskInput values, or NULL */
  cJSON *url_encoding_format;   /* "BRACKETS", "COMMAS", "DEFAULT", "INDICES", "NONE",
                                   "REPEAT", or NULL */
  int plain_endpoint;           /* the flag set false: "<root>/<path>" in JSONPath too */
};

struct asl_state *task_http_invoke(struct cfn_node *scope, const char *id,
                                   const struct http_invoke_props *p, struct sfl_loc loc,
                                   struct diag *d);

/* SageMakerCreateTrainingJob (sagemaker/create-training-job.js, base-types.js). */
struct role;
struct ec2_vpc;
struct ec2_subnet_selection;
struct kms_key;
/* tasks.S3Location: from_json_expression (the URI is a JsonPath or JSONata string) or
** from_bucket (the bucket's https URL for the prefix; reading or writing it is granted). */
struct s3_bucket;
struct sm_s3_location {
  cJSON *uri;
  const struct s3_bucket *bucket;   /* from_bucket, else NULL */
  const char *key_glob;             /* "<key prefix>*" */
};
/* tasks.DockerImage.from_registry / from_json_expression. */
struct sm_docker_image {
  cJSON *uri;
  int allow_any_ecr_pull;       /* grant ecr:BatchGetImage... on "*" to the job's role */
};
struct sm_s3_data_source {
  const struct sm_s3_location *s3_location;
  cJSON *s3_data_type, *s3_data_distribution_type, *attribute_names;
};
/* A Channel of input_data_config. */
struct sm_channel {
  cJSON *channel_name, *compression_type, *content_type, *input_mode, *record_wrapper_type;
  cJSON *shuffle_config;        /* accepted and not rendered, as CDK does */
  struct { struct sm_s3_data_source s3_data_source; } data_source;
};
struct sm_algorithm {
  cJSON *algorithm_name, *training_input_mode;
  cJSON *metric_definitions;    /* [{"Name", "Regex"}] */
  const struct sm_docker_image *training_image;
};
struct sm_output {
  const struct sm_s3_location *s3_output_location;
  const struct kms_key *encryption_key;
};
struct sagemaker_training_props {
  struct task_base base;
  cJSON *training_job_name;
  struct role *role;            /* NULL: the task makes one, as CDK does */
  struct sm_algorithm algorithm;
  struct vec *input_data_config;   /* struct sm_channel*, or NULL */
  struct sm_output output;
  /* resource_config; instance_type NULL: CDK's default (1 ml.m4.xlarge, 10 GiB) */
  cJSON *instance_count, *volume_size_gib;
  const char *instance_type;
  const struct kms_key *volume_encryption_key;
  cJSON *stopping_condition;    /* {"MaxRuntimeInSeconds": n} or {}; NULL: one hour */
  cJSON *hyperparameters, *environment, *tags, *enable_network_isolation;
  const struct ec2_vpc *vpc;    /* vpc_config */
  const struct ec2_subnet_selection *subnets;
};

struct asl_state *task_sagemaker_training(struct cfn_node *scope, const char *id,
                                          const struct sagemaker_training_props *p,
                                          struct sfl_loc loc, struct diag *d);
/* task.addSecurityGroup(sg): one more ID in VpcConfig.SecurityGroupIds (none without a
** vpc_config, as CDK renders none). */
struct ec2_security_group;
enum sfl_status task_sagemaker_add_security_group(struct asl_state *s,
                                                  const struct ec2_security_group *sg,
                                                  struct diag *d);

struct asl_state *task_lambda_invoke(struct cfn_node *scope, const char *id,
                                     const struct lambda_invoke_props *p,
                                     struct sfl_loc loc, struct diag *d);
struct asl_state *task_emr_create_cluster(struct cfn_node *scope, const char *id,
                                          const struct emr_create_cluster_props *p,
                                          struct sfl_loc loc, struct diag *d);
struct asl_state *task_emr_add_step(struct cfn_node *scope, const char *id,
                                    const struct emr_add_step_props *p,
                                    struct sfl_loc loc, struct diag *d);

struct asl_state *task_sfn_start_execution(struct cfn_node *scope, const char *id,
                                           const struct sfn_start_execution_props *p,
                                           struct sfl_loc loc, struct diag *d);
struct asl_state *task_sfn_invoke_activity(struct cfn_node *scope, const char *id,
                                           const struct sfn_invoke_activity_props *p,
                                           struct sfl_loc loc, struct diag *d);
struct asl_state *task_call_aws_service(struct cfn_node *scope, const char *id,
                                        const struct call_aws_service_props *p,
                                        struct sfl_loc loc, struct diag *d);
struct asl_state *task_ecs_run_task(struct cfn_node *scope, const char *id,
                                    const struct ecs_run_task_props *p, struct sfl_loc loc,
                                    struct diag *d);

struct asl_state *task_dynamo(enum dynamo_method m, struct cfn_node *scope, const char *id,
                              const struct dynamo_task_props *p, struct sfl_loc loc,
                              struct diag *d);

#endif
