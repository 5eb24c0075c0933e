/*
** tasks_emr_containers.c: EmrContainersStartJobRun (emrcontainers/start-job-run.js), a
** Spark job on EMR on EKS. Monitoring with `logging` makes a log group and a bucket under
** the task (unless given); the execution role is granted what the job writes, as CDK
** grants it.
*/
#include "constructs/tasks_private.h"
#include "constructs/tasks_analytics.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <string.h>

/* {============ checks (CDK's, in CDK's order) */

static enum sfl_status check_app_config(const cJSON *list, struct sfl_loc loc, struct diag *d)
{
  if(!cJSON_IsArray(list))
    return SFL_OK;
  int n = cJSON_GetArraySize(list);
  if(n > 100)
    return diag_set(d, SFL_ERR_INVALID, loc, "Application configuration array must have 100 "
                    "or fewer entries. Received %d", n);
  for(const cJSON *c = list->child; c; c = c->next)
    if(check_app_config(json_get(c, "Configurations"), loc, d))
      return d->status;
  for(const cJSON *c = list->child; c; c = c->next) {
    int props = cJSON_GetArraySize(json_get(c, "Properties"));
    if(props > 100)
      return diag_set(d, SFL_ERR_INVALID, loc, "Application configuration properties must "
                      "have 100 or fewer entries. Received %d", props);
  }
  for(const cJSON *c = list->child; c; c = c->next)
    if(!json_get(c, "Properties") && !json_get(c, "Configurations"))
      return diag_set(d, SFL_ERR_INVALID, loc, "Application configuration must have either "
                      "properties or nested app configurations defined.");
  return SFL_OK;
}

static int strings_only(const cJSON *list)
{
  for(const cJSON *c = list->child; c; c = c->next)
    if(!cJSON_IsString(c) || json_has(c, JSON_PATH))
      return 0;
  return 1;
}

static enum sfl_status check_arguments(const cJSON *args, struct sfl_loc loc, struct diag *d)
{
  if(cJSON_IsString(args) && !json_has(args, JSON_INTRINSIC | JSON_CONCAT)) {
    if(!task_is_path_or_jsonata(args))
      return diag_set(d, SFL_ERR_INVALID, loc, "Entry point arguments must be a string array "
                      "or an encoded JSON path or JSONata expression, but received a non JSON "
                      "path or JSONata expression string");
    return SFL_OK;
  }
  if(!cJSON_IsArray(args) || !strings_only(args))
    return diag_set(d, SFL_ERR_INVALID, loc, "Entry point arguments must be a string array or "
                    "an encoded JSON path or JSONata expression but received %s.",
                    cJSON_IsNumber(args) ? "number" : cJSON_IsBool(args) ? "boolean"
                    : "object");
  int n = cJSON_GetArraySize(args);
  if(n < 1 || n > 10280)
    return diag_set(d, SFL_ERR_INVALID, loc, "Entry point arguments must be a string array "
                    "between 1 and 10280 in length. Received %d.", n);
  return SFL_OK;
}

static enum sfl_status check_driver(const struct emr_containers_props *p, struct sfl_loc loc,
                                    struct diag *d)
{
  const cJSON *entry = p->entry_point;
  size_t n = cJSON_IsString(entry) ? strlen(entry->valuestring) : 1;
  if(!task_is_path_or_jsonata(entry) && (n < 1 || n > 256))
    return diag_set(d, SFL_ERR_INVALID, loc, "Entry point must be between 1 and 256 characters "
                    "in length. Received %zu.", n);
  if(p->entry_point_arguments && check_arguments(p->entry_point_arguments, loc, d))
    return d->status;
  const cJSON *ssp = p->spark_submit_parameters;
  n = cJSON_IsString(ssp) && !json_has(ssp, JSON_PATH) ? strlen(ssp->valuestring) : 1;
  if(ssp && (n < 1 || n > 102400))
    return diag_set(d, SFL_ERR_INVALID, loc, "Spark submit parameters must be between 1 and "
                    "102400 characters in length. Received %zu.", n);
  return SFL_OK;
}

static enum sfl_status check_props(const struct emr_containers_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  if(check_app_config(p->application_config, loc, d) || check_driver(p, loc, d))
    return d->status;
  if(p->execution_role)
    return SFL_OK;
  if(task_is_path_or_jsonata(p->virtual_cluster_id))
    return diag_set(d, SFL_ERR_INVALID, loc, "Execution role cannot be undefined when the "
                    "virtual cluster ID is not a concrete value. Provide an execution role "
                    "with the correct trust policy");
  return diag_set(d, SFL_ERR_INVALID, loc, "execution_role is required: without it CDK makes "
                  "a role whose trust policy it updates through Node.js custom resources, "
                  "which sfl does not build. Pass execution_role = iam.Role(...) trusted by "
                  "emr-containers.amazonaws.com");
}

/* }============ */

/* {============ monitoring: the log group and bucket, and the role's grants */

struct monitoring {
  struct log_group *group;
  const struct s3_bucket *bucket;
};

static enum sfl_status grant(struct role *r, const char *const *actions, size_t n,
                             cJSON *resources, struct diag *d)
{
  cJSON *st = iam_statement(actions, n, resources, NULL, NULL);
  return st ? role_add_statement(r, st, d) : diag_nomem(d);
}

/* bucket.grantReadWrite, logGroup.grantWrite, logGroup.grant(DescribeLogStreams), and
** logs:DescribeLogGroups (grantMonitoringPolicies). */
static enum sfl_status grant_monitoring(struct role *r, const struct monitoring *m,
                                        struct diag *d)
{
  static const char *const write[] = {"logs:CreateLogStream", "logs:PutLogEvents"};
  static const char *const streams[] = {"logs:DescribeLogStreams"};
  static const char *const groups[] = {"logs:DescribeLogGroups"};
  if(m->bucket && s3_bucket_grant(m->bucket, r, S3_GRANT_READ_WRITE, "*", d))
    return d->status;
  if(m->group) {
    cJSON *res = cJSON_CreateArray();
    json_push(res, cfn_concat(2, cfn_arn("logs", 1, 1, "log-group:"),
                              log_group_name(m->group)));
    json_push(res, log_group_arn(m->group));
    if(grant(r, write, 2, task_one(log_group_arn(m->group)), d)
       || grant(r, streams, 1, res, d))
      return d->status;
  }
  return grant(r, groups, 1, task_one(cfn_arn("logs", 1, 1, "*")), d);
}

/* The given log group and bucket, or with `logging` new ones under the task. */
static enum sfl_status make_monitoring(struct cfn_node *task, const struct emr_containers_props *p,
                                       struct monitoring *m, struct sfl_loc loc, struct diag *d)
{
  static const struct log_group_props group_defaults = {0};
  static const struct s3_bucket_props bucket_defaults = {0};
  m->group = p->log_group;
  if(!m->group && p->logging
     && !(m->group = log_group_new(task, "Monitoring Log Group", &group_defaults, loc, d)))
    return d->status;
  m->bucket = p->log_bucket;
  if(!m->bucket && p->logging
     && !(m->bucket = s3_bucket_new(task, "Monitoring Bucket", &bucket_defaults, loc, d)))
    return d->status;
  return grant_monitoring(p->execution_role, m, d);
}

/* }============ */

/* {============ the task */

static enum sfl_status start_policies(struct asl_state *s, const struct emr_containers_props *p,
                                      enum task_pattern pattern, struct diag *d)
{
  static const char *const start[] = {"emr-containers:StartJobRun"};
  static const char *const watch[] = {"emr-containers:DescribeJobRun",
                                      "emr-containers:CancelJobRun"};
  int any = task_is_path_or_jsonata(p->virtual_cluster_id);
  cJSON *cond = cJSON_CreateObject();
  json_put(json_put(cond, "StringEquals", cJSON_CreateObject()),
           "emr-containers:ExecutionRoleArn", role_arn(p->execution_role));
  cJSON *cluster = any ? cJSON_CreateString("*") : json_dup(p->virtual_cluster_id);
  enum sfl_status st = task_add_policy(s, start, 1,
                                       task_one(cfn_concat(2, cfn_arn("emr-containers", 1, 1,
                                                                      "/virtualclusters/"),
                                                           cluster)), cond, NULL, d);
  if(st || pattern != PATTERN_RUN_JOB)
    return st;
  cJSON *runs = any ? cJSON_CreateString("*")
    : cfn_concat(2, json_dup(p->virtual_cluster_id), cJSON_CreateString("/jobruns/*"));
  return task_add_policy(s, watch, 2,
                         task_one(cfn_concat(2, cfn_arn("emr-containers", 1, 1,
                                                        "/virtualclusters/"), runs)),
                         NULL, NULL, d);
}

/* ApplicationConfiguration: Classification objects are written as their statement. */
static cJSON *render_app_config(const cJSON *list)
{
  if(!list)
    return NULL;
  cJSON *out = cJSON_CreateArray();
  for(const cJSON *c = list->child; c; c = c->next) {
    cJSON *o = json_push(out, cJSON_CreateObject());
    json_put(o, "Classification", json_dup(json_get(json_get(c, "Classification"),
                                                     "Statement")));
    json_put(o, "Properties", json_dup(json_get(c, "Properties")));
    json_put(o, "Configurations", render_app_config(json_get(c, "Configurations")));
  }
  return out;
}

static cJSON *render_monitoring(const struct emr_containers_props *p, const struct monitoring *m)
{
  cJSON *o = cJSON_CreateObject();
  if(m->group) {
    cJSON *cw = json_put(o, "CloudWatchMonitoringConfiguration", cJSON_CreateObject());
    json_put(cw, "LogGroupName", log_group_name(m->group));
    json_put(cw, "LogStreamNamePrefix", json_dup(p->log_stream_name_prefix));
  }
  json_put_str(o, "PersistentAppUI", p->persistent_app_ui ? "ENABLED" : "DISABLED");
  if(m->bucket)
    json_put(json_put(o, "S3MonitoringConfiguration", cJSON_CreateObject()), "LogUri",
             cfn_concat(2, cJSON_CreateString("s3://"), s3_bucket_name(m->bucket)));
  return o;
}

static cJSON *render_params(const struct emr_containers_props *p, const struct monitoring *m)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "VirtualClusterId", json_dup(p->virtual_cluster_id));
  json_put(o, "Name", json_dup(p->job_name));
  json_put(o, "ExecutionRoleArn", role_arn(p->execution_role));
  json_put(o, "ReleaseLabel", json_dup(p->release_label));
  cJSON *spark = json_put(json_put(o, "JobDriver", cJSON_CreateObject()), "SparkSubmitJobDriver",
                          cJSON_CreateObject());
  json_put(spark, "EntryPoint", json_dup(p->entry_point));
  json_put(spark, "EntryPointArguments", json_dup(p->entry_point_arguments));
  json_put(spark, "SparkSubmitParameters", json_dup(p->spark_submit_parameters));
  cJSON *over = json_put(o, "ConfigurationOverrides", cJSON_CreateObject());
  json_put(over, "ApplicationConfiguration", render_app_config(p->application_config));
  json_put(over, "MonitoringConfiguration", render_monitoring(p, m));
  json_put(o, "Tags", json_dup(p->tags));
  return o;
}

struct asl_state *task_emr_containers_start_job_run(struct cfn_node *scope, const char *id,
                                                    const struct emr_containers_props *p,
                                                    struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_RUN_JOB;
  if(task_check_pattern(pattern, supported, 2, loc, d) || check_props(p, loc, d))
    return NULL;
  struct asl_state *s = task_state_new(scope, id, "EmrContainersStartJobRun", &p->base, loc,
                                       d);
  struct monitoring m = {0};
  if(!s || make_monitoring(sfn_state_node(s), p, &m, loc, d)
     || start_policies(s, p, pattern, d))
    return NULL;
  struct arena *a = s->arena;
  s->resource = arena_own_json(a, task_resource_arn("emr-containers", "startJobRun", pattern));
  s->task_params = arena_own_json(a, render_params(p, &m));
  if(!s->resource || !json_get(s->task_params, "ConfigurationOverrides"))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */
