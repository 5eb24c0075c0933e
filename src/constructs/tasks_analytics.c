/*
** tasks_analytics.c: Glue (glue/start-job-run.js), Athena
** (athena/start-query-execution.js) and Batch (batch/submit-job.js) integrations.
** Glue and Batch put the task's timeout into their own parameters and drop the state's
** TimeoutSeconds, as CDK does.
*/
#include "constructs/tasks_private.h"
#include "constructs/tasks_analytics.h"
#include "cfn/iam.h"
#include "cfn/token.h"
#include "core/strbuf.h"

#include <math.h>
#include <string.h>

/* {============ shared */

/* Duration.toMinutes() of a whole number of seconds (NULL and d set when not whole). */
static cJSON *minutes(const cJSON *seconds, const char *prop, struct sfl_loc loc,
                      struct diag *d)
{
  if(fmod(seconds->valuedouble, 60) != 0)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s: '%g seconds' cannot be converted into a "
                    "whole number of minutes.", prop, seconds->valuedouble), NULL;
  cJSON *n = cJSON_CreateNumber(seconds->valuedouble / 60);
  return n ? n : (diag_nomem(d), NULL);
}

/* The job timeout Glue and Batch render: timeout ?? task_timeout.seconds (0 counts as not
** given) in `unit`, else task_timeout.path as a JSON path. *t is NULL when none is set. */
static enum sfl_status job_timeout(const struct task_base *b, int in_minutes, cJSON **t,
                                   struct sfl_loc loc, struct diag *d)
{
  const cJSON *secs = b->timeout ? b->timeout : json_get(b->task_timeout, "seconds");
  const cJSON *path = json_get(b->task_timeout, "path");
  *t = NULL;
  if(secs && (b->timeout || secs->valuedouble != 0)) {
    *t = in_minutes ? minutes(secs, b->timeout ? "timeout" : "task_timeout", loc, d)
                    : cJSON_CreateNumber(secs->valuedouble);
    return *t ? SFL_OK : d->status ? d->status : diag_nomem(d);
  }
  if(path && !b->timeout)
    *t = json_path_new(path->valuestring);
  return path && !b->timeout && !*t ? diag_nomem(d) : SFL_OK;
}

/* The Task state without TimeoutSeconds(Path): the job carries the timeout itself. */
static struct asl_state *job_state_new(struct cfn_node *scope, const char *id, const char *cls,
                                       const struct task_base *b, struct sfl_loc loc,
                                       struct diag *d)
{
  struct asl_state *s = task_state_new(scope, id, cls, b, loc, d);
  if(s)
    s->timeout = s->timeout_path = NULL;
  return s;
}

/* "arn:<Partition>:<service>:<Region>:<Account>:<prefix><name>" (name taken over). */
static cJSON *named_arn(const char *service, const char *prefix, cJSON *name)
{
  return cfn_concat(2, cfn_arn(service, 1, 1, prefix), name);
}

/* }============ */

/* {============ GlueStartJobRun */

static enum sfl_status check_workers(const cJSON *wc, struct sfl_loc loc, struct diag *d)
{
  int v1 = json_get(wc, "WorkerType") != NULL, v2 = json_get(wc, "WorkerTypeV2") != NULL;
  if(!wc || v1 != v2)
    return SFL_OK;
  return diag_set(d, SFL_ERR_INVALID, loc, v1
                  ? "You cannot set both 'worker_type' and 'worker_type_v2' properties in "
                    "'worker_configuration'."
                  : "You must set either 'worker_type' or 'worker_type_v2' property in "
                    "'worker_configuration'.");
}

/* JobName ... ExecutionClass; JSONata keeps CDK's "NotificationProperty": null. */
static cJSON *glue_params(const struct glue_start_job_run_props *p, const cJSON *timeout,
                          const cJSON *notify, int jsonata)
{
  const cJSON *wc = p->worker_configuration;
  const cJSON *type = json_get(wc, "WorkerType");
  cJSON *o = cJSON_CreateObject();
  json_put(o, "JobName", json_dup(p->job_name));
  json_put(o, "Arguments", json_dup(p->arguments));
  json_put(o, "Timeout", json_dup(timeout));
  json_put(o, "SecurityConfiguration", json_dup(p->security_configuration));
  if(notify)
    json_put(json_put(o, "NotificationProperty", cJSON_CreateObject()), "NotifyDelayAfter",
             json_dup(notify));
  else if(jsonata)
    json_put(o, "NotificationProperty", cJSON_CreateNull());
  json_put(o, "WorkerType", json_dup(type ? type : json_get(json_get(wc, "WorkerTypeV2"),
                                                            "Name")));
  json_put(o, "NumberOfWorkers", json_dup(json_get(wc, "NumberOfWorkers")));
  json_put(o, "ExecutionClass", json_dup(p->execution_class));
  return o;
}

struct asl_state *task_glue_start_job_run(struct cfn_node *scope, const char *id,
                                          const struct glue_start_job_run_props *p,
                                          struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  static const char *const run[] = {"glue:StartJobRun", "glue:GetJobRun", "glue:GetJobRuns",
                                    "glue:BatchStopJobRun"};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  if(task_check_pattern(pattern, supported, 2, loc, d)
     || check_workers(p->worker_configuration, loc, d))
    return NULL;
  struct asl_state *s = job_state_new(scope, id, "GlueStartJobRun", &p->base, loc, d);
  if(!s)
    return NULL;
  struct arena *a = s->arena;
  cJSON *timeout = NULL, *notify = NULL;
  if(job_timeout(&p->base, 1, &timeout, loc, d)
     || (p->notify_delay_after
         && !(notify = minutes(p->notify_delay_after, "notify_delay_after", loc, d)))) {
    cJSON_Delete(timeout);
    return NULL;
  }
  arena_own_json(a, timeout);
  arena_own_json(a, notify);
  if(task_add_policy(s, run, pattern == PATTERN_RUN_JOB ? 4 : 1,
                     task_one(named_arn("glue", "job/", json_dup(p->job_name))), NULL, NULL,
                     d))
    return NULL;
  s->resource = arena_own_json(a, task_resource_arn("glue", "startJobRun", pattern));
  s->task_params = arena_own_json(a, glue_params(p, timeout, notify, 0));
  s->task_args = arena_own_json(a, glue_params(p, timeout, notify, 1));
  if(!s->resource || !json_get(s->task_params, "JobName") || !json_get(s->task_args, "JobName"))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */

/* {============ AthenaStartQueryExecution */

static enum sfl_status check_athena(const struct athena_start_query_props *p,
                                    struct sfl_loc loc, struct diag *d)
{
  const cJSON *params = p->execution_parameters;
  if(params && cJSON_IsArray(params) && !json_has(params, JSON_PATH)) {
    if(!params->child)
      return diag_set(d, SFL_ERR_INVALID, loc, "'execution_parameters' must be a non-empty list");
    for(const cJSON *c = params->child; c; c = c->next)
      if(cJSON_IsString(c) && (!*c->valuestring || strlen(c->valuestring) > 1024))
        return diag_set(d, SFL_ERR_INVALID, loc, "'execution_parameters' items's length must "
                        "be between 1 and 1024 characters");
  }
  const cJSON *age = p->result_reuse_max_age;
  if(age && age->valuedouble > 0 && age->valuedouble < 60)
    return diag_set(d, SFL_ERR_INVALID, loc, "result_reuse_configuration_max_age must be "
                    "greater than or equal to 1 minute or be equal to 0, got %g ms",
                    age->valuedouble * 1000);
  if(age && age->valuedouble > 10080 * 60 && fmod(age->valuedouble, 60) == 0)
    return diag_set(d, SFL_ERR_INVALID, loc, "result_reuse_configuration_max_age must either "
                    "be 0 or between 1 and 10080 minutes, got %g", age->valuedouble / 60);
  const cJSON *out = json_get(p->result_configuration, "OutputLocation");
  for(const cJSON *c = out ? out->child : NULL; c; c = c->next)
    if(json_has(c, JSON_PATH))
      return diag_set(d, SFL_ERR_INVALID, loc, "result_configuration: output_location: a "
                      "JsonPath token cannot be part of the s3:// URL CDK builds from it; give "
                      "'%s' as a string", !strcmp(c->string, "BucketName") ? "bucket_name"
                      : !strcmp(c->string, "ObjectKey") ? "object_key" : "object_version");
  return SFL_OK;
}

/* A name CDK writes with `??` defaults: the user's value, or `def`. */
static cJSON *or_default(const cJSON *v, const char *def)
{
  return v ? json_dup(v) : cJSON_CreateString(def);
}

/* The four statements (athena, s3 read, s3 write, lakeformation, glue catalog). */
static enum sfl_status athena_policies(struct asl_state *s,
                                       const struct athena_start_query_props *p,
                                       struct diag *d)
{
  static const char *const athena[] = {"athena:getDataCatalog", "athena:startQueryExecution",
                                       "athena:getQueryExecution"};
  static const char *const s3_read[] = {"s3:CreateBucket", "s3:ListBucket",
                                        "s3:GetBucketLocation", "s3:GetObject"};
  static const char *const s3_write[] = {"s3:AbortMultipartUpload",
                                         "s3:ListBucketMultipartUploads",
                                         "s3:ListMultipartUploadParts", "s3:PutObject"};
  static const char *const lake[] = {"lakeformation:GetDataAccess"};
  static const char *const glue[] = {
    "glue:BatchCreatePartition", "glue:BatchDeletePartition", "glue:BatchDeleteTable",
    "glue:BatchGetPartition", "glue:CreateDatabase", "glue:CreatePartition", "glue:CreateTable",
    "glue:DeleteDatabase", "glue:DeletePartition", "glue:DeleteTable", "glue:GetDatabase",
    "glue:GetDatabases", "glue:GetPartition", "glue:GetPartitions", "glue:GetTable",
    "glue:GetTables", "glue:UpdateDatabase", "glue:UpdatePartition", "glue:UpdateTable"};
  const cJSON *ctx = p->query_execution_context;
  const cJSON *out = json_get(p->result_configuration, "OutputLocation");
  const cJSON *bucket = json_get(out, "BucketName");
  cJSON *r = cJSON_CreateArray();
  json_push(r, named_arn("athena", "datacatalog/",
                         or_default(json_get(ctx, "Catalog"), "AwsDataCatalog")));
  json_push(r, named_arn("athena", "workgroup/", or_default(p->work_group, "primary")));
  enum sfl_status st = task_add_policy(s, athena, 3, r, NULL, NULL, d);
  if(!st)
    st = task_add_policy(s, s3_read, 4, task_one(cJSON_CreateString("*")), NULL, NULL, d);
  cJSON *written = bucket
    ? cfn_concat(5, cJSON_CreateString("arn:"), cfn_partition(), cJSON_CreateString(":s3:::"),
                 json_dup(bucket), cfn_concat(3, cJSON_CreateString("/"),
                                              json_dup(json_get(out, "ObjectKey")),
                                              cJSON_CreateString("/*")))
    : cJSON_CreateString("*");
  if(!st)
    st = task_add_policy(s, s3_write, 4, task_one(written), NULL, NULL, d);
  else
    cJSON_Delete(written);
  if(!st)
    st = task_add_policy(s, lake, 1, task_one(cJSON_CreateString("*")), NULL, NULL, d);
  if(st)
    return st;
  const cJSON *db = json_get(ctx, "Database");
  r = cJSON_CreateArray();
  json_push(r, cfn_arn("glue", 1, 1, "catalog"));
  json_push(r, named_arn("glue", "database/", or_default(db, "default")));
  json_push(r, named_arn("glue", "table/", cfn_concat(2, or_default(db, "default"),
                                                      cJSON_CreateString("/*"))));
  json_push(r, named_arn("glue", "userDefinedFunction/",
                         cfn_concat(2, or_default(db, "default"), cJSON_CreateString("/*"))));
  return task_add_policy(s, glue, 19, r, NULL, NULL, d);
}

static int truthy(const cJSON *v)
{
  return v && !(cJSON_IsString(v) && !json_has(v, JSON_PATH) && !*v->valuestring);
}

/* ResultConfiguration is always written, {} when nothing is configured. */
static cJSON *athena_result_configuration(const cJSON *rc)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "EncryptionConfiguration", json_dup(json_get(rc, "EncryptionConfiguration")));
  const cJSON *out = json_get(rc, "OutputLocation");
  if(out)
    json_put(o, "OutputLocation",
             cfn_concat(5, cJSON_CreateString("s3://"), json_dup(json_get(out, "BucketName")),
                        cJSON_CreateString("/"), json_dup(json_get(out, "ObjectKey")),
                        cJSON_CreateString("/")));
  return o;
}

static cJSON *athena_params(const struct athena_start_query_props *p)
{
  const cJSON *ctx = p->query_execution_context;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "QueryString", json_dup(p->query_string));
  json_put(o, "ClientRequestToken", json_dup(p->client_request_token));
  if(truthy(json_get(ctx, "Catalog")) || truthy(json_get(ctx, "Database")))
    json_put(o, "QueryExecutionContext", json_dup(ctx));
  json_put(o, "ResultConfiguration", athena_result_configuration(p->result_configuration));
  json_put(o, "WorkGroup", json_dup(p->work_group));
  json_put(o, "ExecutionParameters", json_dup(p->execution_parameters));
  if(p->result_reuse_max_age) {
    cJSON *by_age = json_put(json_put(o, "ResultReuseConfiguration", cJSON_CreateObject()),
                             "ResultReuseByAgeConfiguration", cJSON_CreateObject());
    json_put_bool(by_age, "Enabled", 1);
    json_put_num(by_age, "MaxAgeInMinutes", p->result_reuse_max_age->valuedouble / 60);
  }
  return o;
}

struct asl_state *task_athena_start_query(struct cfn_node *scope, const char *id,
                                          const struct athena_start_query_props *p,
                                          struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  if(task_check_pattern(pattern, supported, 2, loc, d) || check_athena(p, loc, d))
    return NULL;
  const cJSON *age = p->result_reuse_max_age;
  if(age) {
    cJSON *m = minutes(age, "result_reuse_configuration_max_age", loc, d);
    if(!m)
      return NULL;
    cJSON_Delete(m);
  }
  struct asl_state *s = task_state_new(scope, id, "AthenaStartQueryExecution", &p->base, loc,
                                       d);
  if(!s || athena_policies(s, p, d))
    return NULL;
  struct arena *a = s->arena;
  s->resource = arena_own_json(a, task_resource_arn("athena", "startQueryExecution", pattern));
  s->task_params = arena_own_json(a, athena_params(p));
  if(!s->resource || !json_get(s->task_params, "ResultConfiguration"))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */

/* {============ BatchSubmitJob */

static enum sfl_status check_tags(const cJSON *tags, struct sfl_loc loc, struct diag *d)
{
  int n = cJSON_GetArraySize(tags);
  if(n > 50)
    return diag_set(d, SFL_ERR_INVALID, loc, "Maximum tag number of entries is 50. "
                    "Received %d.", n);
  for(const cJSON *t = tags ? tags->child : NULL; t; t = t->next) {
    size_t k = strlen(t->string);
    if(k < 1 || k > 128)
      return diag_set(d, SFL_ERR_INVALID, loc, "Tag key size must be between 1 and 128, but "
                      "got %zu.", k);
    if(cJSON_IsString(t) && strlen(t->valuestring) > 256)
      return diag_set(d, SFL_ERR_INVALID, loc, "Tag value maximum size is 256, but got %zu.",
                      strlen(t->valuestring));
  }
  return SFL_OK;
}

static enum sfl_status check_batch(const struct batch_submit_job_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  const cJSON *size = p->array_size, *attempts = p->attempts;
  if(cJSON_IsNumber(size) && (size->valuedouble < 2 || size->valuedouble > 10000))
    return diag_set(d, SFL_ERR_INVALID, loc, "array_size must be between 2 and 10,000. "
                    "Received %g.", size->valuedouble);
  int deps = cJSON_IsArray(p->depends_on) ? cJSON_GetArraySize(p->depends_on) : 0;
  if(deps > 20)
    return diag_set(d, SFL_ERR_INVALID, loc, "dependencies must be 20 or less. Received %d.",
                    deps);
  if(cJSON_IsNumber(attempts) && (attempts->valuedouble < 1 || attempts->valuedouble > 10))
    return diag_set(d, SFL_ERR_INVALID, loc, "attempts must be between 1 and 10. Received %g.",
                    attempts->valuedouble);
  const cJSON *t = p->base.timeout ? p->base.timeout : json_get(p->base.task_timeout, "seconds");
  if(t && t->valuedouble > 0 && t->valuedouble < 60)
    return diag_set(d, SFL_ERR_INVALID, loc, "attempt duration must be greater than 60 "
                    "seconds. Received %g seconds.", t->valuedouble);
  for(const cJSON *e = p->overrides.environment ? p->overrides.environment->child : NULL; e;
      e = e->next)
    if(!strncmp(e->string, "AWS_BATCH", 9))
      return diag_set(d, SFL_ERR_INVALID, loc, "Invalid environment variable name: %s. "
                      "Environment variable names starting with 'AWS_BATCH' are reserved.",
                      e->string);
  return check_tags(p->tags, loc, d);
}

/* {"Type": type, "Value": String(n)} */
static cJSON *requirement(const char *type, double n)
{
  struct strbuf b = {0};
  json_write_number(&b, n);
  cJSON *r = cJSON_CreateObject();
  json_put_str(r, "Type", type);
  if(!b.failed && b.buf)
    json_put_str(r, "Value", b.buf);
  strbuf_free(&b);
  return r;
}

/* ContainerOverrides (configureContainerOverrides). */
static cJSON *container_overrides(const struct batch_container_overrides *c)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "Command", json_dup(c->command));
  if(c->environment) {
    cJSON *env = json_put(o, "Environment", cJSON_CreateArray());
    for(const cJSON *e = c->environment->child; e; e = e->next) {
      cJSON *pair = json_push(env, cJSON_CreateObject());
      json_put_str(pair, "Name", e->string);
      json_put(pair, "Value", json_dup(e));
    }
  }
  json_put(o, "InstanceType", json_dup(c->instance_type));
  cJSON *req = cJSON_CreateArray();
  if(c->gpu_count && c->gpu_count->valuedouble != 0)
    json_push(req, requirement("GPU", c->gpu_count->valuedouble));
  if(c->memory_mib)
    json_push(req, requirement("MEMORY", c->memory_mib->valuedouble));
  if(c->vcpus && c->vcpus->valuedouble != 0)
    json_push(req, requirement("VCPU", c->vcpus->valuedouble));
  if(req->child)
    json_put(o, "ResourceRequirements", req);
  else
    cJSON_Delete(req);
  return o;
}

static cJSON *batch_params(const struct batch_submit_job_props *p, cJSON *overrides,
                           cJSON *timeout)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "JobDefinition", json_dup(p->job_definition_arn));
  json_put(o, "JobName", json_dup(p->job_name));
  json_put(o, "JobQueue", json_dup(p->job_queue_arn));
  json_put(o, "Parameters", json_dup(p->payload));
  if(p->array_size)
    json_put(json_put(o, "ArrayProperties", cJSON_CreateObject()), "Size",
             json_dup(p->array_size));
  json_put(o, "ContainerOverrides", overrides);
  json_put(o, "DependsOn", json_dup(p->depends_on));
  if(p->attempts)
    json_put(json_put(o, "RetryStrategy", cJSON_CreateObject()), "Attempts",
             json_dup(p->attempts));
  json_put(o, "Tags", json_dup(p->tags));
  if(timeout)
    json_put(json_put(o, "Timeout", cJSON_CreateObject()), "AttemptDurationSeconds", timeout);
  return o;
}

static enum sfl_status batch_policies(struct asl_state *s, const cJSON *queue, struct diag *d)
{
  static const char *const submit[] = {"batch:SubmitJob"};
  cJSON *r = cJSON_CreateArray();
  if(task_is_path_or_jsonata(queue))
    json_push(r, cJSON_CreateString("*"));
  else {
    json_push(r, cfn_arn("batch", 1, 1, "job-definition/*"));
    json_push(r, json_dup(queue));
  }
  enum sfl_status st = task_add_policy(s, submit, 1, r, NULL, NULL, d);
  return st ? st : task_add_events_rule(s, "StepFunctionsGetEventsForBatchJobsRule", d);
}

struct asl_state *task_batch_submit_job(struct cfn_node *scope, const char *id,
                                        const struct batch_submit_job_props *p,
                                        struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_RUN_JOB;
  if(task_check_pattern(pattern, supported, 2, loc, d) || check_batch(p, loc, d))
    return NULL;
  struct asl_state *s = job_state_new(scope, id, "BatchSubmitJob", &p->base, loc, d);
  if(!s || batch_policies(s, p->job_queue_arn, d))
    return NULL;
  struct arena *a = s->arena;
  cJSON *timeout = NULL;
  if(job_timeout(&p->base, 0, &timeout, loc, d))
    return NULL;
  cJSON *overrides = p->overrides.given ? container_overrides(&p->overrides) : NULL;
  s->resource = arena_own_json(a, task_resource_arn("batch", "submitJob", pattern));
  s->task_params = arena_own_json(a, batch_params(p, overrides, timeout));
  if(!s->resource || !json_get(s->task_params, "JobQueue"))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */
