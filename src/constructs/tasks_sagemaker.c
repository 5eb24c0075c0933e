/*
** tasks_sagemaker.c: the SageMaker integration's training jobs
** (sagemaker/create-training-job.js, sagemaker/base-types.js): the job's role (made when
** not given), what its S3 locations and image grant that role, and the machine's IAM.
*/
#include "constructs/tasks_private.h"
#include "constructs/ec2.h"
#include "constructs/kms.h"
#include "constructs/role.h"
#include "constructs/s3.h"
#include "asl/render.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <stdio.h>
#include <string.h>

static const char sagemaker_principal[] = "sagemaker.amazonaws.com";

/* {============ checks */

static int is_path(const cJSON *v) { return json_has(v, JSON_PATH); }

/* isValidJsonataExpression */
static int is_jsonata(const cJSON *v)
{
  size_t n = cJSON_IsString(v) && !is_path(v) ? strlen(v->valuestring) : 0;
  return n >= 4 && !strncmp(v->valuestring, "{%", 2) && !strcmp(v->valuestring + n - 2, "%}");
}

static int is_lower_digit_dash(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}
static int is_alnum(char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The optional ARN prefix of an algorithm name:
** arn:aws[a-z-]*:sagemaker:[a-z0-9-]*:[0-9]{12}:[a-z-]*\/ ; its length, or 0. */
static size_t arn_prefix(const char *s)
{
  const char *p = s;
  if(strncmp(p, "arn:aws", 7))
    return 0;
  for(p += 7; (*p >= 'a' && *p <= 'z') || *p == '-'; p++) {}
  if(strncmp(p, ":sagemaker:", 11))
    return 0;
  for(p += 11; is_lower_digit_dash(*p); p++) {}
  if(*p++ != ':')
    return 0;
  for(int i = 0; i < 12; i++, p++)
    if(!(*p >= '0' && *p <= '9'))
      return 0;
  if(*p++ != ':')
    return 0;
  for(; (*p >= 'a' && *p <= 'z') || *p == '-'; p++) {}
  return *p == '/' ? (size_t)(p + 1 - s) : 0;
}

/* ([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)$ after the prefix. */
static int name_part_ok(const char *s)
{
  size_t n = strlen(s);
  if(n < 1 || n > 63 || !is_alnum(s[0]) || s[n - 1] == '-')
    return 0;
  for(size_t i = 1; i < n; i++)
    if(!is_alnum(s[i]) && s[i] != '-')
      return 0;
  return 1;
}

static enum sfl_status check_algorithm_name(const cJSON *name, struct sfl_loc loc,
                                            struct diag *d)
{
  if(!cJSON_IsString(name) || is_path(name))
    return SFL_OK;
  const char *s = name->valuestring;
  size_t n = strlen(s);
  if(n < 1 || n > 170)
    return diag_set(d, SFL_ERR_INVALID, loc, "Algorithm name length must be between 1 and "
                    "170, but got %zu", n);
  /* The regex backtracks: a name that looks like an ARN may still match as a plain name. */
  size_t pre = arn_prefix(s);
  if(!name_part_ok(s + pre) && !(pre && name_part_ok(s)))
    return diag_set(d, SFL_ERR_INVALID, loc, "Expected algorithm name to match pattern "
                    "^(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:[0-9]{12}:[a-z\\-]*\\/)?"
                    "([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)$, but got %s", s);
  return SFL_OK;
}

static enum sfl_status check_training(const struct sagemaker_training_props *p,
                                      enum task_pattern pattern, struct sfl_loc loc,
                                      struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  if(task_check_pattern(pattern, supported, 2, loc, d))
    return d->status;
  const struct sm_algorithm *alg = &p->algorithm;
  int named = alg->algorithm_name && (!cJSON_IsString(alg->algorithm_name)
                                      || *alg->algorithm_name->valuestring);
  if(!named && !alg->training_image)
    return diag_set(d, SFL_ERR_INVALID, loc, "Must define either an algorithm name or "
                    "training image URI in the algorithm specification");
  if(named && alg->training_image)
    return diag_set(d, SFL_ERR_INVALID, loc, "Cannot define both an algorithm name and "
                    "training image URI in the algorithm specification");
  if(check_algorithm_name(alg->algorithm_name, loc, d))
    return d->status;
  static const char *const names[] = {"hyperparameters", "environment"};
  const cJSON *objects[] = {p->hyperparameters, p->environment};
  for(int i = 0; i < 2; i++) {
    const char *bad = asl_check_object(objects[i]);
    if(bad)
      return diag_set(d, SFL_ERR_INVALID, loc, "%s: %s", names[i], bad);
  }
  return SFL_OK;
}

/* }============ */

/* {============ the job's role and what it is granted */

static cJSON *document(cJSON *statement)
{
  cJSON *doc = cJSON_CreateObject();
  if(!json_put(doc, "Statement", task_one(statement))
     || !json_put_str(doc, "Version", "2012-10-17"))
    return cJSON_Delete(doc), NULL;
  return doc;
}

/* new iam.Role(task, "SagemakerRole") with its CreateTrainingJob inline policy. */
static struct role *make_role(struct cfn_node *task, int with_vpc, struct sfl_loc loc,
                              struct diag *d)
{
  static const char *const actions[] = {
    "cloudwatch:PutMetricData", "logs:CreateLogStream", "logs:PutLogEvents",
    "logs:CreateLogGroup", "logs:DescribeLogStreams", "ecr:GetAuthorizationToken",
    "ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeVpcs", "ec2:DescribeDhcpOptions",
    "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups"};
  struct role *r = role_new(task, "SagemakerRole", sagemaker_principal, NULL, loc, d);
  if(!r)
    return NULL;
  cJSON *doc = document(iam_statement(actions, with_vpc ? 15 : 6,
                                      task_one(cJSON_CreateString("*")), NULL, NULL));
  if(!doc)
    return diag_nomem(d), NULL;
  return role_add_inline_policy(r, "CreateTrainingJob", doc, d) ? NULL : r;
}

static enum sfl_status grant_on(struct role *r, const char *const *actions, size_t n,
                                cJSON *resource, struct diag *d)
{
  cJSON *st = iam_statement(actions, n, task_one(resource), NULL, NULL);
  return st ? role_add_statement(r, st, d) : diag_nomem(d);
}

static enum sfl_status grant(struct role *r, const char *const *actions, size_t n,
                             struct diag *d)
{
  return grant_on(r, actions, n, cJSON_CreateString("*"), d);
}

/* The keys' grants (key.grantEncrypt, key.grant(role, "kms:CreateGrant")), made when the
** task is: a key in the role's account is granted through the role's policy. */
static enum sfl_status grant_keys(struct role *r, const struct sagemaker_training_props *p,
                                  struct diag *d)
{
  static const char *const encrypt[] = {"kms:Encrypt", "kms:ReEncrypt*",
                                        "kms:GenerateDataKey*"};
  static const char *const create_grant[] = {"kms:CreateGrant"};
  if(p->output.encryption_key
     && grant_on(r, encrypt, 3, kms_key_arn(p->output.encryption_key), d))
    return d->status;
  if(p->volume_encryption_key
     && grant_on(r, create_grant, 1, kms_key_arn(p->volume_encryption_key), d))
    return d->status;
  return SFL_OK;
}

/* What binding the image and the S3 locations grants the role, in CDK's render order. */
static enum sfl_status grant_role(struct role *r, const struct sagemaker_training_props *p,
                                  struct diag *d)
{
  static const char *const pull[] = {"ecr:BatchCheckLayerAvailability",
                                     "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"};
  static const char *const read[] = {"s3:GetObject", "s3:ListBucket"};
  static const char *const write[] = {"s3:PutObject"};
  const struct sm_docker_image *image = p->algorithm.training_image;
  if(image && image->allow_any_ecr_pull && grant(r, pull, 3, d))
    return d->status;
  for(size_t i = 0; p->input_data_config && i < p->input_data_config->n; i++) {
    const struct sm_channel *c = p->input_data_config->items[i];
    const struct sm_s3_location *loc = c->data_source.s3_data_source.s3_location;
    if(loc->bucket ? s3_bucket_grant(loc->bucket, r, S3_GRANT_READ, loc->key_glob, d)
                   : grant(r, read, 2, d))
      return d->status;
  }
  const struct sm_s3_location *out = p->output.s3_output_location;
  return out->bucket ? s3_bucket_grant(out->bucket, r, S3_GRANT_WRITE, out->key_glob, d)
                     : grant(r, write, 1, d);
}

/* }============ */

/* {============ the machine's statements */

/* "arn:<P>:sagemaker:<R>:<A>:training-job/<name>*", "*" for names not known here. */
static cJSON *job_arn(const cJSON *name, int wildcard)
{
  if(wildcard)
    return cfn_arn("sagemaker", 1, 1, "training-job/*");
  return cfn_concat(3, cfn_arn("sagemaker", 1, 1, "training-job/"), json_dup(name),
                    cJSON_CreateString("*"));
}

static enum sfl_status machine_policies(struct asl_state *s, const cJSON *name,
                                        const struct role *r, enum task_pattern pattern,
                                        struct diag *d)
{
  static const char *const job[] = {"sagemaker:CreateTrainingJob",
                                    "sagemaker:DescribeTrainingJob",
                                    "sagemaker:StopTrainingJob"};
  static const char *const list[] = {"sagemaker:ListTags"};
  static const char *const tag[] = {"sagemaker:AddTags"};
  static const char *const pass[] = {"iam:PassRole"};
  static const char *const events[] = {"events:PutTargets", "events:PutRule",
                                       "events:DescribeRule"};
  cJSON *cond = cJSON_CreateObject();
  cJSON *eq = json_put(cond, "StringEquals", cJSON_CreateObject());
  if(!json_put_str(eq, "iam:PassedToService", sagemaker_principal))
    return cJSON_Delete(cond), diag_nomem(d);
  /* CreateTrainingJob: "*" for a JSON path or JSONata name; AddTags only for a path. */
  if(task_add_policy(s, job, 3, task_one(job_arn(name, is_path(name) || is_jsonata(name))),
                     NULL, NULL, d)
     || task_add_policy(s, list, 1, task_one(cJSON_CreateString("*")), NULL, NULL, d)
     || task_add_policy(s, tag, 1, task_one(job_arn(name, is_path(name))), NULL, NULL, d)
     || task_add_policy(s, pass, 1, task_one(role_arn(r)), cond, NULL, d))
    return d->status;
  if(pattern != PATTERN_RUN_JOB)
    return SFL_OK;
  return task_add_policy(s, events, 3,
                         task_one(cfn_arn("events", 1, 1, "rule/StepFunctionsGetEventsFor"
                                          "SageMakerTrainingJobsRule")), NULL, NULL, d);
}

/* }============ */

/* {============ Parameters */

static cJSON *algorithm(const struct sm_algorithm *a)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "TrainingInputMode", a->training_input_mode ? json_dup(a->training_input_mode)
                                                          : cJSON_CreateString("File"));
  if(a->training_image)
    json_put(o, "TrainingImage", json_dup(a->training_image->uri));
  if(a->algorithm_name && (!cJSON_IsString(a->algorithm_name)
                           || *a->algorithm_name->valuestring))
    json_put(o, "AlgorithmName", json_dup(a->algorithm_name));
  json_put(o, "MetricDefinitions", json_dup(a->metric_definitions));
  return o;
}

static cJSON *channel(const struct sm_channel *c)
{
  const struct sm_s3_data_source *src = &c->data_source.s3_data_source;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "ChannelName", json_dup(c->channel_name));
  cJSON *s3 = cJSON_CreateObject();
  json_put(s3, "S3Uri", json_dup(src->s3_location->uri));
  json_put(s3, "S3DataType", src->s3_data_type ? json_dup(src->s3_data_type)
                                               : cJSON_CreateString("S3Prefix"));
  json_put(s3, "S3DataDistributionType", json_dup(src->s3_data_distribution_type));
  json_put(s3, "AttributeNames", json_dup(src->attribute_names));
  cJSON *ds = json_put(o, "DataSource", cJSON_CreateObject());
  json_put(ds, "S3DataSource", s3);
  json_put(o, "CompressionType", json_dup(c->compression_type));
  json_put(o, "ContentType", json_dup(c->content_type));
  json_put(o, "InputMode", json_dup(c->input_mode));
  json_put(o, "RecordWrapperType", json_dup(c->record_wrapper_type));
  return o;
}

static cJSON *channels(const struct vec *list)
{
  cJSON *arr = cJSON_CreateArray();
  for(size_t i = 0; arr && i < list->n; i++)
    if(!json_push(arr, channel(list->items[i])))
      return cJSON_Delete(arr), NULL;
  return arr;
}

/* "ml.<type>", or the type itself when it is a JSONata expression. */
static cJSON *instance_type(const char *type)
{
  cJSON probe = {0};
  probe.type = cJSON_String;
  probe.valuestring = (char *)type;
  char buf[256];
  if(is_jsonata(&probe) || strlen(type) > sizeof buf - 4)
    return cJSON_CreateString(type);
  snprintf(buf, sizeof buf, "ml.%s", type);
  return cJSON_CreateString(buf);
}

static cJSON *resources(const struct sagemaker_training_props *p)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "InstanceCount", p->instance_type ? json_dup(p->instance_count)
                                                : cJSON_CreateNumber(1));
  json_put(o, "InstanceType", instance_type(p->instance_type ? p->instance_type
                                                             : "m4.xlarge"));
  json_put(o, "VolumeSizeInGB", p->instance_type ? json_dup(p->volume_size_gib)
                                                 : cJSON_CreateNumber(10));
  if(p->volume_encryption_key)
    json_put(o, "VolumeKmsKeyId", kms_key_arn(p->volume_encryption_key));
  return o;
}

static cJSON *tags(const cJSON *map)
{
  cJSON *arr = cJSON_CreateArray();
  for(const cJSON *t = map->child; arr && t; t = t->next) {
    cJSON *o = json_push(arr, cJSON_CreateObject());
    if(!json_put_str(o, "Key", t->string) || !json_put(o, "Value", json_dup(t)))
      return cJSON_Delete(arr), NULL;
  }
  return arr;
}

static cJSON *vpc_config(const struct ec2_security_group *sg, cJSON *subnets)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "SecurityGroupIds", task_one(ec2_security_group_id(sg)));
  if(!json_put(o, "Subnets", subnets) || !json_get(o, "SecurityGroupIds"))
    return cJSON_Delete(o), NULL;
  return o;
}

static cJSON *stopping(const cJSON *given)
{
  if(given)
    return json_dup(given);
  cJSON *o = cJSON_CreateObject();
  if(!json_put_num(o, "MaxRuntimeInSeconds", 3600))
    return cJSON_Delete(o), NULL;
  return o;
}

static cJSON *training_params(const struct sagemaker_training_props *p, const struct role *r,
                              const struct ec2_security_group *sg, cJSON *subnets)
{
  cJSON *o = cJSON_CreateObject();
  int ok = json_put(o, "TrainingJobName", json_dup(p->training_job_name)) != NULL;
  json_put(o, "EnableNetworkIsolation", json_dup(p->enable_network_isolation));
  ok = ok && json_put(o, "RoleArn", role_arn(r))
    && json_put(o, "AlgorithmSpecification", algorithm(&p->algorithm))
    && (!p->input_data_config
        || json_put(o, "InputDataConfig", channels(p->input_data_config)));
  cJSON *out = json_put(o, "OutputDataConfig", cJSON_CreateObject());
  ok = ok && json_put(out, "S3OutputPath", json_dup(p->output.s3_output_location->uri))
    && (!p->output.encryption_key
        || json_put(out, "KmsKeyId", kms_key_arn(p->output.encryption_key)))
    && json_put(o, "ResourceConfig", resources(p))
    && json_put(o, "StoppingCondition", stopping(p->stopping_condition));
  ok = ok && (!p->hyperparameters
              || json_put(o, "HyperParameters", json_dup(p->hyperparameters)));
  ok = ok && (!p->tags || json_put(o, "Tags", tags(p->tags)));
  ok = ok && (!sg || json_put(o, "VpcConfig", vpc_config(sg, subnets)));
  ok = ok && (!p->environment || json_put(o, "Environment", json_dup(p->environment)));
  if(!ok)
    return cJSON_Delete(o), NULL;
  return o;
}

/* }============ */

struct asl_state *task_sagemaker_training(struct cfn_node *scope, const char *id,
                                          const struct sagemaker_training_props *p,
                                          struct sfl_loc loc, struct diag *d)
{
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  if(check_training(p, pattern, loc, d))
    return NULL;
  cJSON *subnets = NULL;
  if(p->vpc && !(subnets = ec2_vpc_select(p->vpc, p->subnets, loc, d)))
    return NULL;
  struct arena *a = scope->app->arena;
  subnets = arena_own_json(a, subnets);
  if(p->vpc && !subnets)
    return diag_nomem(d), NULL;
  struct asl_state *s = task_state_new(scope, id, "SageMakerCreateTrainingJob", &p->base, loc,
                                       d);
  if(!s)
    return NULL;
  struct role *r = p->role ? p->role : make_role(s->owner, p->vpc != NULL, loc, d);
  if(!r || grant_keys(r, p, d))
    return NULL;
  struct ec2_security_group *sg = NULL;
  if(p->vpc) {
    struct ec2_security_group_props sgp = {0};
    sgp.vpc = p->vpc;
    sgp.allow_all_outbound = 1;
    if(!(sg = ec2_security_group_new(s->owner, "TrainJobSecurityGroup", &sgp, loc, d)))
      return NULL;
  }
  if(machine_policies(s, p->training_job_name, r, pattern, d) || grant_role(r, p, d))
    return NULL;
  s->resource = arena_own_json(a, task_resource_arn("sagemaker", "createTrainingJob",
                                                    pattern));
  s->task_params = arena_own_json(a, training_params(p, r, sg, json_dup(subnets)));
  return s->resource && s->task_params ? s : (diag_nomem(d), NULL);
}

enum sfl_status task_sagemaker_add_security_group(struct asl_state *s,
                                                  const struct ec2_security_group *sg,
                                                  struct diag *d)
{
  cJSON *ids = json_get(json_get(s->task_params, "VpcConfig"), "SecurityGroupIds");
  if(!ids)
    return SFL_OK;
  return json_push(ids, ec2_security_group_id(sg)) ? SFL_OK : diag_nomem(d);
}
