/*
** tasks_analytics.h: the analytics integrations of aws_stepfunctions_tasks: EMR
** (EmrTerminateCluster), EMR on EKS (EmrContainersStartJobRun), Glue (GlueStartJobRun),
** Athena (AthenaStartQueryExecution) and Batch (BatchSubmitJob).
**
** As in tasks.h, props hold arena-owned cJSON values (JSON_PATH strings where the user
** passed a JsonPath token); the makers copy what they render.
*/
#ifndef SFL_CONSTRUCTS_TASKS_ANALYTICS_H
#define SFL_CONSTRUCTS_TASKS_ANALYTICS_H

#include "constructs/tasks.h"
#include "constructs/logs.h"
#include "constructs/role.h"
#include "constructs/s3.h"

/* EmrTerminateCluster (emr/emr-terminate-cluster.js). */
struct emr_terminate_cluster_props {
  struct task_base base;
  cJSON *cluster_id;
};

/* GlueStartJobRun (glue/start-job-run.js). */
struct glue_start_job_run_props {
  struct task_base base;
  cJSON *job_name, *arguments, *security_configuration, *execution_class;
  cJSON *notify_delay_after;     /* seconds */
  /* {"WorkerType": s, "WorkerTypeV2": {"Name": s}, "NumberOfWorkers": n} */
  cJSON *worker_configuration;
};

/* AthenaStartQueryExecution (athena/start-query-execution.js). */
struct athena_start_query_props {
  struct task_base base;
  cJSON *query_string, *client_request_token, *work_group, *execution_parameters;
  cJSON *query_execution_context;   /* {"Catalog", "Database"} */
  /* {"EncryptionConfiguration": {"EncryptionOption"},
  **  "OutputLocation": {"BucketName", "ObjectKey", "ObjectVersion"}} */
  cJSON *result_configuration;
  cJSON *result_reuse_max_age;      /* seconds */
};

/* BatchSubmitJob (batch/submit-job.js). */
struct batch_container_overrides {
  cJSON *command, *environment, *gpu_count, *vcpus, *instance_type;
  cJSON *memory_mib;   /* the binding converts the cdk.Size (whole MiB, as CDK) */
  int given;           /* overrides were given, even empty ({} renders "ContainerOverrides": {}) */
};

struct batch_submit_job_props {
  struct task_base base;
  cJSON *job_definition_arn, *job_name, *job_queue_arn, *array_size, *attempts;
  struct batch_container_overrides overrides;
  cJSON *depends_on;   /* [{"JobId", "Type"}] */
  cJSON *payload, *tags;
};

/* EmrContainersStartJobRun (emrcontainers/start-job-run.js). */
struct emr_containers_props {
  struct task_base base;
  cJSON *virtual_cluster_id;     /* a string, a JSON path or a JSONata expression */
  cJSON *release_label, *job_name, *tags;
  struct role *execution_role;   /* CDK makes one with custom resources when absent */
  cJSON *entry_point, *entry_point_arguments, *spark_submit_parameters;
  /* [{"Classification": s, "Properties": {...}, "Configurations": [...]}] */
  cJSON *application_config;
  int logging, persistent_app_ui;
  struct log_group *log_group;   /* monitoring.log_group */
  const struct s3_bucket *log_bucket;   /* monitoring.log_bucket */
  cJSON *log_stream_name_prefix;
};

struct asl_state *task_emr_containers_start_job_run(struct cfn_node *scope, const char *id,
                                                    const struct emr_containers_props *p,
                                                    struct sfl_loc loc, struct diag *d);
struct asl_state *task_glue_start_job_run(struct cfn_node *scope, const char *id,
                                          const struct glue_start_job_run_props *p,
                                          struct sfl_loc loc, struct diag *d);
struct asl_state *task_athena_start_query(struct cfn_node *scope, const char *id,
                                          const struct athena_start_query_props *p,
                                          struct sfl_loc loc, struct diag *d);
struct asl_state *task_batch_submit_job(struct cfn_node *scope, const char *id,
                                        const struct batch_submit_job_props *p,
                                        struct sfl_loc loc, struct diag *d);
struct asl_state *task_emr_terminate_cluster(struct cfn_node *scope, const char *id,
                                             const struct emr_terminate_cluster_props *p,
                                             struct sfl_loc loc, struct diag *d);

#endif
