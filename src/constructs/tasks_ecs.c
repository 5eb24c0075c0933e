/*
** tasks_ecs.c: EcsRunTask, on Fargate or EC2 (stepfunctions-tasks ecs/run-task.js).
*/
#include "constructs/tasks_private.h"
#include "asl/render.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <stdio.h>
#include <string.h>

/* {============ checks */

static enum sfl_status check_launch(const struct ecs_run_task_props *p, struct sfl_loc loc,
                                    struct diag *d)
{
  const struct ecs_task_definition *td = p->task_definition;
  if(!p->launch_target->ec2 && !(td->compatibility & ECS_FARGATE))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Supplied TaskDefinition is not compatible with Fargate");
  if(p->launch_target->ec2 && !(td->compatibility & ECS_EC2))
    return diag_set(d, SFL_ERR_INVALID, loc, "Supplied TaskDefinition is not compatible with EC2");
  if(p->launch_target->ec2 && !p->cluster->has_ec2_capacity)
    return diag_set(d, SFL_ERR_INVALID, loc, "Cluster for this service needs Ec2 capacity: sfl "
                    "cannot add capacity to a new Cluster, so import one that has it with "
                    "ecs.Cluster.from_cluster_attributes(...)");
  return SFL_OK;
}

static enum sfl_status check_run_task(const struct ecs_run_task_props *p,
                                      enum task_pattern pattern, struct sfl_loc loc,
                                      struct diag *d)
{
  static const enum task_pattern supported[] = {
    PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB, PATTERN_WAIT_FOR_TASK_TOKEN};
  if(task_check_pattern(pattern, supported, 3, loc, d))
    return d->status;
  const struct vec *ov = p->container_overrides;
  int token = 0;
  for(size_t i = 0; ov && i < ov->n; i++)
    token |= task_contains_token(((struct ecs_container_override *)ov->items[i])->environment);
  if(pattern == PATTERN_WAIT_FOR_TASK_TOKEN && !token)
    return diag_set(d, SFL_ERR_INVALID, loc, "Task Token is required in at least one "
                    "`container_overrides.environment` for callback. Use JsonPath.task_token "
                    "to set the token.");
  const struct ecs_task_definition *td = p->task_definition;
  if(!td->default_container)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "A TaskDefinition must have at least one essential container");
  if(strcmp(td->network_mode, "awsvpc") && (p->subnets || p->security_groups))
    return diag_set(d, SFL_ERR_INVALID, loc, "Supplied TaskDefinition must have 'network_mode' "
                    "of 'AWS_VPC' to use 'subnets' and 'security_groups'. Received: %s",
                    td->network_mode);
  for(size_t i = 0; ov && i < ov->n; i++) {
    const struct ecs_container *c = ((struct ecs_container_override *)ov->items[i])->container;
    if(c->td != td && !ecs_find_container(td, c->name))
      return diag_set(d, SFL_ERR_INVALID, loc, "Overrides mention container with name '%s', "
                      "but no such container in task definition", c->name);
  }
  return check_launch(p, loc, d);
}

/* }============ */

/* {============ parameters */

/* NetworkConfiguration for awsvpc tasks; makes the task's SecurityGroup when none given. */
static cJSON *network_configuration(struct asl_state *s, const struct ecs_run_task_props *p,
                                    struct sfl_loc loc, struct diag *d)
{
  const struct ec2_vpc *vpc = p->cluster->vpc;
  struct ec2_subnet_selection dflt = {p->assign_public_ip ? "Public" : "Private", NULL};
  cJSON *subnets = ec2_vpc_select(vpc, p->subnets ? p->subnets : &dflt, loc, d);
  if(!subnets)
    return NULL;
  cJSON *groups = cJSON_CreateArray();
  if(p->security_groups)
    for(size_t i = 0; i < p->security_groups->n; i++)
      json_push(groups, ec2_security_group_id(p->security_groups->items[i]));
  else {
    struct ec2_security_group_props sp = {.vpc = vpc, .allow_all_outbound = 1};
    struct ec2_security_group *sg = ec2_security_group_new(s->owner, "SecurityGroup", &sp,
                                                           loc, d);
    if(!sg)
      return cJSON_Delete(subnets), cJSON_Delete(groups), NULL;
    json_push(groups, ec2_security_group_id(sg));
  }
  cJSON *conf = cJSON_CreateObject();
  cJSON *vpc_conf = json_put(conf, "AwsvpcConfiguration", cJSON_CreateObject());
  if(p->assign_public_ip)
    json_put_str(vpc_conf, "AssignPublicIp", "ENABLED");
  json_put(vpc_conf, "Subnets", subnets);
  json_put(vpc_conf, "SecurityGroups", groups);
  if(!json_get(vpc_conf, "SecurityGroups"))
    return cJSON_Delete(conf), diag_nomem(d), NULL;
  return conf;
}

static cJSON *container_override(const struct ecs_container_override *o)
{
  cJSON *r = cJSON_CreateObject();
  json_put_str(r, "Name", o->container->name);
  json_put(r, "Command", json_dup(o->command));
  json_put(r, "Cpu", json_dup(o->cpu));
  json_put(r, "Memory", json_dup(o->memory_limit));
  json_put(r, "MemoryReservation", json_dup(o->memory_reservation));
  json_put(r, "Environment", json_dup(o->environment));
  return r;
}

/* renderOverrides: nothing when there is nothing to override. */
static cJSON *overrides(const struct ecs_run_task_props *p)
{
  const struct vec *ov = p->container_overrides;
  int none = !ov || !ov->n;
  if(none && !p->cpu && !p->memory_mib)
    return NULL;
  cJSON *r = cJSON_CreateObject();
  json_put(r, "Cpu", json_dup(p->cpu));
  json_put(r, "Memory", json_dup(p->memory_mib));
  cJSON *list = none ? NULL : json_put(r, "ContainerOverrides", cJSON_CreateArray());
  for(size_t i = 0; list && i < ov->n; i++)
    json_push(list, container_override(ov->items[i]));
  return r;
}

static cJSON *task_definition_param(const struct ecs_run_task_props *p)
{
  const cJSON *family = p->task_definition->family;
  if(!p->revision_number)
    return json_dup(family);
  char rev[32];
  snprintf(rev, sizeof rev, ":%.17g", p->revision_number->valuedouble);
  return cfn_concat(2, json_dup(family), cJSON_CreateString(rev));
}

static void launch_params(cJSON *params, const struct ecs_launch_target *lt)
{
  /* Capacity provider options replace the launch type. */
  if(!lt->capacity_providers)
    json_put_str(params, "LaunchType", lt->ec2 ? "EC2" : "FARGATE");
  if(cJSON_GetArraySize(lt->capacity_providers))
    json_put(params, "CapacityProviderStrategy", json_dup(lt->capacity_providers));
  json_put(params, "PlatformVersion", json_dup(lt->platform_version));
  json_put(params, "PlacementConstraints", json_dup(lt->placement_constraints));
  json_put(params, "PlacementStrategy", json_dup(lt->placement_strategies));
}

static cJSON *run_task_params(const struct ecs_run_task_props *p, cJSON *network)
{
  cJSON *params = cJSON_CreateObject();
  json_put(params, "Cluster", ecs_cluster_arn(p->cluster));
  json_put(params, "TaskDefinition", task_definition_param(p));
  json_put(params, "NetworkConfiguration", network);
  json_put(params, "Overrides", overrides(p));
  json_put(params, "PropagateTags", json_dup(p->propagated_tag_source));
  launch_params(params, p->launch_target);
  json_put(params, "EnableExecuteCommand", json_dup(p->enable_execute_command));
  return params;
}

/* }============ */

/* {============ IAM */

/* getTaskDefinitionFamilyArn: the task definition's ARN split (it is a token) and put
** together again without its revision, then ":*". */
static cJSON *family_arn(const struct ecs_task_definition *td)
{
  cJSON *(*ref)(const struct ecs_task_definition *) = ecs_task_definition_arn;
  cJSON *resource = cfn_select_split(5, ":", ref(td));
  cJSON *parts[6];
  for(int i = 0; i < 4; i++)
    parts[i] = cfn_select_split(i + 1, ":", ref(td));
  parts[4] = cfn_select_split(0, "/", json_dup(resource));
  parts[5] = cfn_select_split(1, "/", resource);
  return cfn_concat(12, cJSON_CreateString("arn:"), parts[0], cJSON_CreateString(":"),
                    parts[1], cJSON_CreateString(":"), parts[2], cJSON_CreateString(":"),
                    parts[3], cJSON_CreateString(":"), parts[4], cJSON_CreateString("/"),
                    cfn_concat(2, parts[5], cJSON_CreateString(":*")));
}

static enum sfl_status run_task_policies(struct asl_state *s, const struct ecs_run_task_props *p,
                                         enum task_pattern pattern, struct diag *d)
{
  static const char *const run[] = {"ecs:RunTask"};
  static const char *const stop[] = {"ecs:StopTask", "ecs:DescribeTasks"};
  static const char *const pass[] = {"iam:PassRole"};
  static const char *const events[] = {"events:PutTargets", "events:PutRule",
                                       "events:DescribeRule"};
  const struct ecs_task_definition *td = p->task_definition;
  cJSON *roles = task_one(role_arn(td->task_role));
  if(roles && td->execution_role)
    json_push(roles, role_arn(td->execution_role));
  /* The task definition itself with the feature flag, else its family at any revision. */
  cJSON *run_on = p->fix_run_policy ? ecs_task_definition_arn(td) : family_arn(td);
  enum sfl_status st = task_add_policy(s, run, 1, task_one(run_on), NULL, NULL, d);
  if(!st)
    st = task_add_policy(s, stop, 2, task_one(cJSON_CreateString("*")), NULL, NULL, d);
  if(!st)
    st = task_add_policy(s, pass, 1, roles, NULL, NULL, d);
  else
    cJSON_Delete(roles);
  if(!st && pattern == PATTERN_RUN_JOB)
    st = task_add_policy(s, events, 3,
                         task_one(cfn_arn("events", 1, 1,
                                          "rule/StepFunctionsGetEventsForECSTaskRule")),
                         NULL, NULL, d);
  return st;
}

/* }============ */

struct asl_state *task_ecs_run_task(struct cfn_node *scope, const char *id,
                                    const struct ecs_run_task_props *p, struct sfl_loc loc,
                                    struct diag *d)
{
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  if(check_run_task(p, pattern, loc, d))
    return NULL;
  struct asl_state *s = task_state_new(scope, id, "EcsRunTask", &p->base, loc, d);
  if(!s)
    return NULL;
  cJSON *network = NULL;
  if(!strcmp(p->task_definition->network_mode, "awsvpc")
     && !(network = network_configuration(s, p, loc, d)))
    return NULL;
  if(run_task_policies(s, p, pattern, d))
    return cJSON_Delete(network), NULL;
  struct arena *a = s->arena;
  s->resource = arena_own_json(a, task_resource_arn("ecs", "runTask", pattern));
  s->task_params = arena_own_json(a, run_task_params(p, network));
  if(!s->resource || !s->task_params)
    return diag_nomem(d), NULL;
  return s;
}
