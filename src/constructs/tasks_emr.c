/*
** tasks_emr.c: EMR integrations (aws-stepfunctions-tasks/lib/emr). Creating a
** cluster makes its service, instance and auto-scaling roles and an instance profile,
** with the default feature flags (AmazonElasticMapReduceRole, not the v2 policy).
*/
#include "constructs/tasks_private.h"
#include "constructs/tasks_analytics.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* {============ EmrCreateCluster */

struct emr_roles {
  struct role *service, *instance, *autoscaling;
};

static enum sfl_status make_roles(struct cfn_node *task, struct emr_roles *r,
                                  struct sfl_loc loc, struct diag *d)
{
  r->service = role_new(task, "ServiceRole", "elasticmapreduce.amazonaws.com", NULL, loc, d);
  if(!r->service
     || role_add_managed_policy(r->service, "service-role/AmazonElasticMapReduceRole", d))
    return d->status;
  r->instance = role_new(task, "InstanceRole", "ec2.amazonaws.com", NULL, loc, d);
  if(!r->instance)
    return d->status;
  struct cfn_resource *profile = cfn_resource_new(task, "InstanceProfile",
                                                  "AWS::IAM::InstanceProfile",
                                                  "aws-cdk-lib.aws_iam.CfnInstanceProfile",
                                                  loc, d);
  if(!profile)
    return d->status;
  json_put(profile->props, "InstanceProfileName", role_name(r->instance));
  json_put(profile->props, "Roles", task_one(role_name(r->instance)));
  /* clusterRole.grantPassRole(serviceRole) */
  static const char *const pass[] = {"iam:PassRole"};
  enum sfl_status st = role_add_statement(r->service,
                                          iam_statement(pass, 1, task_one(role_arn(r->instance)),
                                                        NULL, NULL), d);
  if(st)
    return st;
  r->autoscaling = role_new(task, "AutoScalingRole", "elasticmapreduce.amazonaws.com", NULL,
                            loc, d);
  if(!r->autoscaling
     || role_add_managed_policy(r->autoscaling,
                                "service-role/AmazonElasticMapReduceforAutoScalingRole", d)
     || role_add_trust(r->autoscaling, "application-autoscaling.amazonaws.com", d))
    return d->status;
  return SFL_OK;
}

static enum sfl_status create_cluster_policies(struct asl_state *s, const struct emr_roles *r,
                                               enum task_pattern pattern, int tagged,
                                               struct diag *d)
{
  static const char *const run[] = {"elasticmapreduce:RunJobFlow",
                                    "elasticmapreduce:DescribeCluster",
                                    "elasticmapreduce:TerminateJobFlows",
                                    "elasticmapreduce:AddTags"};
  static const char *const pass[] = {"iam:PassRole"};
  static const char *const linked[] = {"iam:CreateServiceLinkedRole"};
  static const char *const tags[] = {"elasticmapreduce:AddTags"};
  static const char *const emr_services[] = {"elasticmapreduce.amazonaws.com",
                                             "elasticmapreduce.amazonaws.com.cn"};
  cJSON *passed = cJSON_CreateArray();
  json_push(passed, role_arn(r->service));
  json_push(passed, role_arn(r->instance));
  cJSON *cond = cJSON_CreateObject();
  cJSON *eq = json_put(cond, "StringEquals", cJSON_CreateObject());
  json_put(eq, "iam:AWSServiceName", json_strings(emr_services, 2));
  cJSON *cleanup = cfn_concat(5, cJSON_CreateString("arn:"), cfn_partition(),
                              cJSON_CreateString(":iam::"), cfn_account(),
                              cJSON_CreateString(":role/aws-service-role/elasticmapreduce."
                                                 "amazonaws.com*/AWSServiceRoleForEMRCleanup*"));
  enum sfl_status st = task_add_policy(s, run, 4, task_one(cJSON_CreateString("*")), NULL,
                                       NULL, d);
  if(!st)
    st = task_add_policy(s, pass, 1, passed, NULL, NULL, d);
  else
    cJSON_Delete(passed);
  if(!st)
    st = task_add_policy(s, linked, 1, task_one(cleanup), cond,
                         "ElasticMapReduceServiceLinkedRole", d);
  else {
    cJSON_Delete(cond);
    cJSON_Delete(cleanup);
  }
  if(!st)
    st = task_add_policy(s, pass, 1, task_one(role_arn(r->autoscaling)), NULL, NULL, d);
  if(!st && tagged)
    st = task_add_policy(s, tags, 1, task_one(cfn_arn("elasticmapreduce", 1, 1, "cluster/*")),
                         NULL, NULL, d);
  if(!st && pattern == PATTERN_RUN_JOB)
    st = task_add_events_rule(s, "StepFunctionsGetEventForEMRRunJobFlowRule", d);
  return st;
}

/* "emr-x.y.z" with three numbers (emr-create-cluster.js validateReleaseLabel). */
static int valid_release_label(const char *s)
{
  if(strncmp(s, "emr-", 4))
    return 0;
  int parts = 0;
  for(const char *p = s + 4; ; p++) {
    const char *start = p;
    while(isdigit((unsigned char)*p))
      p++;
    if(p == start)
      return 0;
    parts++;
    if(*p == '\0')
      return parts == 3;
    if(*p != '.')
      return 0;
  }
}

static enum sfl_status check_cluster_props(const struct emr_create_cluster_props *p,
                                           struct sfl_loc loc, struct diag *d)
{
  const cJSON *rl = p->release_label;
  if(rl && cJSON_IsString(rl) && !json_has(rl, JSON_PATH) && !valid_release_label(rl->valuestring))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "The release label must be in the format 'emr-x.x.x' but got %s",
                    rl->valuestring);
  const cJSON *scl = p->step_concurrency_level;
  if(scl && cJSON_IsNumber(scl) && (scl->valuedouble < 1 || scl->valuedouble > 256))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Step concurrency level must be in range [1, 256], but got %g.",
                    scl->valuedouble);
  return SFL_OK;
}

/* Tags: {k = v} -> [{"Key": k, "Value": v}] in key order. */
static cJSON *render_tags(const cJSON *tags)
{
  if(!tags)
    return NULL;
  cJSON *list = cJSON_CreateArray();
  for(const cJSON *t = tags->child; t; t = t->next) {
    cJSON *o = json_push(list, cJSON_CreateObject());
    json_put_str(o, "Key", t->string);
    json_put(o, "Value", json_dup(t));
  }
  return list;
}

struct asl_state *task_emr_create_cluster(struct cfn_node *scope, const char *id,
                                          const struct emr_create_cluster_props *p,
                                          struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_RUN_JOB;
  if(task_check_pattern(pattern, supported, 2, loc, d) || check_cluster_props(p, loc, d))
    return NULL;
  struct asl_state *s = task_state_new(scope, id, "EmrCreateCluster", &p->base, loc, d);
  struct emr_roles roles = {0};
  if(!s || make_roles(sfn_state_node(s), &roles, loc, d)
     || create_cluster_policies(s, &roles, pattern, p->tags != NULL, d))
    return NULL;
  struct arena *a = s->arena;
  s->resource = arena_own_json(a, task_resource_arn("elasticmapreduce", "createCluster",
                                                    pattern));
  cJSON *o = arena_own_json(a, cJSON_CreateObject());
  json_put(o, "Instances", json_dup(p->instances));
  json_put(o, "JobFlowRole", role_name(roles.instance));
  json_put(o, "Name", json_dup(p->name));
  json_put(o, "ServiceRole", role_name(roles.service));
  json_put(o, "AdditionalInfo", json_dup(p->additional_info));
  json_put(o, "Applications", json_dup(p->applications));
  json_put(o, "AutoScalingRole", role_name(roles.autoscaling));
  json_put(o, "BootstrapActions", json_dup(p->bootstrap_actions));
  json_put(o, "Configurations", json_dup(p->configurations));
  json_put(o, "CustomAmiId", json_dup(p->custom_ami_id));
  json_put(o, "LogUri", json_dup(p->log_uri));
  json_put(o, "ReleaseLabel", json_dup(p->release_label));
  json_put(o, "ScaleDownBehavior", json_dup(p->scale_down_behavior));
  json_put(o, "SecurityConfiguration", json_dup(p->security_configuration));
  json_put(o, "StepConcurrencyLevel", json_dup(p->step_concurrency_level));
  json_put(o, "Tags", render_tags(p->tags));
  json_put(o, "VisibleToAllUsers", p->visible_to_all_users ? json_dup(p->visible_to_all_users)
                                                           : cJSON_CreateTrue());
  s->task_params = o;
  if(!s->resource || !json_get(o, "VisibleToAllUsers"))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */

/* {============ EmrAddStep */

struct asl_state *task_emr_add_step(struct cfn_node *scope, const char *id,
                                    const struct emr_add_step_props *p,
                                    struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  static const char *const steps[] = {"elasticmapreduce:AddJobFlowSteps",
                                      "elasticmapreduce:DescribeStep",
                                      "elasticmapreduce:CancelSteps"};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_RUN_JOB;
  if(task_check_pattern(pattern, supported, 2, loc, d))
    return NULL;
  struct asl_state *s = task_state_new(scope, id, "EmrAddStep", &p->base, loc, d);
  if(!s || task_add_policy(s, steps, 3, task_one(cfn_arn("elasticmapreduce", 1, 1,
                                                         "cluster/*")), NULL, NULL, d))
    return NULL;
  if(pattern == PATTERN_RUN_JOB
     && task_add_events_rule(s, "StepFunctionsGetEventForEMRAddJobFlowStepsRule", d))
    return NULL;
  struct arena *a = s->arena;
  s->resource = arena_own_json(a, task_resource_arn("elasticmapreduce", "addStep", pattern));
  cJSON *o = arena_own_json(a, cJSON_CreateObject());
  json_put(o, "ClusterId", json_dup(p->cluster_id));
  json_put(o, "ExecutionRoleArn", json_dup(p->execution_role_arn));
  cJSON *step = json_put(o, "Step", cJSON_CreateObject());
  json_put(step, "Name", json_dup(p->name));
  json_put(step, "ActionOnFailure", p->action_on_failure ? json_dup(p->action_on_failure)
                                                         : cJSON_CreateString("CONTINUE"));
  cJSON *jar = json_put(step, "HadoopJarStep", cJSON_CreateObject());
  json_put(jar, "Jar", json_dup(p->jar));
  json_put(jar, "MainClass", json_dup(p->main_class));
  json_put(jar, "Args", json_dup(p->args));
  json_put(jar, "Properties", render_tags(p->properties));
  s->task_params = o;
  if(!s->resource || !json_get(jar, "Jar"))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */

/* {============ EmrTerminateCluster */

struct asl_state *task_emr_terminate_cluster(struct cfn_node *scope, const char *id,
                                             const struct emr_terminate_cluster_props *p,
                                             struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB};
  static const char *const terminate[] = {"elasticmapreduce:DescribeCluster",
                                          "elasticmapreduce:TerminateJobFlows"};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_RUN_JOB;
  if(task_check_pattern(pattern, supported, 2, loc, d))
    return NULL;
  struct asl_state *s = task_state_new(scope, id, "EmrTerminateCluster", &p->base, loc, d);
  if(!s || task_add_policy(s, terminate, 2, task_one(cfn_arn("elasticmapreduce", 1, 1,
                                                             "cluster/*")), NULL, NULL, d))
    return NULL;
  if(pattern == PATTERN_RUN_JOB
     && task_add_events_rule(s, "StepFunctionsGetEventForEMRTerminateJobFlowsRule", d))
    return NULL;
  struct arena *a = s->arena;
  s->resource = arena_own_json(a, task_resource_arn("elasticmapreduce", "terminateCluster",
                                                    pattern));
  cJSON *o = arena_own_json(a, cJSON_CreateObject());
  s->task_params = o;
  if(!s->resource || !json_put(o, "ClusterId", json_dup(p->cluster_id)))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */
