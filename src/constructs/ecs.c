/*
** ecs.c: ECS clusters, task definitions and containers (aws-ecs/lib/cluster.js,
** base/task-definition.js, fargate/, ec2/, container-definition.js, log-drivers/).
*/
#include "constructs/ecs.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* {============ clusters */

struct ecs_cluster *ecs_cluster_new(struct cfn_node *scope, const char *id,
                                    const struct ecs_cluster_props *p, struct sfl_loc loc,
                                    struct diag *d)
{
  if(p->container_insights && p->container_insights_v2)
    return diag_set(d, SFL_ERR_INVALID, loc, "You cannot set both container_insights and "
                    "container_insights_v2"), NULL;
  struct arena *a = scope->app->arena;
  struct ecs_cluster *c = arena_alloc(a, sizeof *c);
  if(!c)
    return diag_nomem(d), NULL;
  c->vpc = p->vpc;
  c->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_ecs.Cluster", loc, d);
  if(!c->node)
    return NULL;
  c->node->model = c;
  c->resource = cfn_resource_new(c->node, "Resource", "AWS::ECS::Cluster",
                                 "aws-cdk-lib.aws_ecs.CfnCluster", loc, d);
  if(!c->resource)
    return NULL;
  cJSON *props = c->resource->props;
  json_put(props, "ClusterName", json_dup(p->cluster_name));
  if(p->container_insights || p->container_insights_v2) {
    cJSON *setting = cJSON_CreateObject();
    json_put_str(setting, "Name", "containerInsights");
    json_put(setting, "Value", p->container_insights_v2 ? json_dup(p->container_insights_v2)
             : cJSON_CreateString(cJSON_IsTrue(p->container_insights) ? "enabled"
                                                                      : "disabled"));
    cJSON *settings = json_put(props, "ClusterSettings", cJSON_CreateArray());
    if(!json_push(settings, setting))
      return diag_nomem(d), NULL;
  }
  if(!c->vpc) {
    struct ec2_new_vpc_props vp = {.restrict_default_sg = p->restrict_default_sg};
    vp.max_azs = arena_own_json(a, cJSON_CreateNumber(2));
    if(!vp.max_azs)
      return diag_nomem(d), NULL;
    c->vpc = ec2_vpc_new(c->node, "Vpc", &vp, loc, d);
  }
  return c->vpc ? c : NULL;
}

struct ecs_cluster *ecs_cluster_import(struct cfn_node *scope, const char *id,
                                       const struct ecs_cluster_attrs *a, struct sfl_loc loc,
                                       struct diag *d)
{
  struct arena *ar = scope->app->arena;
  struct ecs_cluster *c = arena_alloc(ar, sizeof *c);
  if(!c)
    return diag_nomem(d), NULL;
  c->vpc = a->vpc;
  c->has_ec2_capacity = a->has_ec2_capacity;
  c->imported_name = a->cluster_name;
  /* clusterArn ?? formatArn({service: "ecs", resource: "cluster", resourceName}) */
  c->imported_arn = arena_own_json(ar, a->cluster_arn ? json_dup(a->cluster_arn)
                                   : cfn_concat(2, cfn_arn("ecs", 1, 1, "cluster/"),
                                                json_dup(a->cluster_name)));
  if(!c->imported_arn)
    return diag_nomem(d), NULL;
  c->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_ecs.ImportedCluster", loc, d);
  if(!c->node)
    return NULL;
  c->node->model = c;
  return c;
}

cJSON *ecs_cluster_arn(const struct ecs_cluster *c)
{
  return c->resource ? cfn_getatt(c->resource->logical_id, "Arn") : json_dup(c->imported_arn);
}

cJSON *ecs_cluster_name(const struct ecs_cluster *c)
{
  return c->resource ? cfn_ref(c->resource->logical_id) : json_dup(c->imported_name);
}

/* }============ */

/* {============ task definitions */

static cJSON *requires_compatibilities(int compat)
{
  static const struct { int bit; const char *name; } names[] = {
    {ECS_EC2, "EC2"}, {ECS_FARGATE, "FARGATE"}, {ECS_EXTERNAL, "EXTERNAL"}};
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; list && i < sizeof names / sizeof *names; i++)
    if((compat & names[i].bit) && !json_push(list, cJSON_CreateString(names[i].name)))
      return cJSON_Delete(list), NULL;
  return list;
}

/* validateTaskDefinition: what CDK checks when the app is synthesized. */
static enum sfl_status check_containers(const struct ecs_task_definition *td, struct diag *d)
{
  if(!(td->compatibility & ECS_EC2) || td->memory)
    return SFL_OK;
  for(size_t i = 0; i < td->containers.n; i++) {
    const struct ecs_container *c = td->containers.items[i];
    if(!c->memory_specified)
      return diag_set(d, SFL_ERR_INVALID, c->node->loc, "ECS Container %s must have at least "
                      "one of 'memory_limit_mib' or 'memory_reservation_mib' specified",
                      c->name);
  }
  return SFL_OK;
}

static enum sfl_status prepare_task_definition(struct cfn_resource *res, struct diag *d)
{
  const struct ecs_task_definition *td = res->prepare_ctx;
  if(check_containers(td, d))
    return d->status;
  cJSON *props = cJSON_CreateObject();
  if(td->containers.n) {
    cJSON *defs = json_put(props, "ContainerDefinitions", cJSON_CreateArray());
    for(size_t i = 0; i < td->containers.n; i++)
      json_push(defs, json_dup(((struct ecs_container *)td->containers.items[i])->definition));
  }
  json_put(props, "Cpu", json_dup(td->cpu));
  if(td->execution_role)
    json_put(props, "ExecutionRoleArn", role_arn(td->execution_role));
  json_put(props, "Family", json_dup(td->family));
  json_put(props, "Memory", json_dup(td->memory));
  if(strcmp(td->network_mode, "nat"))
    json_put_str(props, "NetworkMode", td->network_mode);
  if(cJSON_GetArraySize(td->placement_constraints) && !(td->compatibility & ECS_FARGATE))
    json_put(props, "PlacementConstraints", json_dup(td->placement_constraints));
  json_put(props, "RequiresCompatibilities", requires_compatibilities(td->compatibility));
  json_put(props, "RuntimePlatform", json_dup(td->runtime_platform));
  json_put(props, "TaskRoleArn", role_arn(td->task_role));
  res->props = arena_own_json(td->node->app->arena, props);
  return res->props && json_get(props, "TaskRoleArn") ? SFL_OK : diag_nomem(d);
}

/* checkFargateWindowsBasedTasksSize: the CPU and memory pairs Windows tasks may have. */
static enum sfl_status check_windows_size(const struct ecs_task_definition_props *p,
                                          const char *family, struct sfl_loc loc,
                                          struct diag *d)
{
  static const struct { double cpu, min, max; const char *fmt; } sizes[] = {
    {1024, 1024, 8192, "If provided cpu is %s, then memoryMiB must have a min of 1024 and a "
                       "max of 8192, in 1024 increments. Provided memoryMiB was %g."},
    {2048, 4096, 16384, "If provided cpu is %s, then memoryMiB must have a min of 4096 and max "
                        "of 16384, in 1024 increments. Provided memoryMiB %g."},
    {4096, 8192, 30720, "If provided cpu is %s, then memoryMiB must have a min of 8192 and a "
                        "max of 30720, in 1024 increments.Provided memoryMiB was %g."},
  };
  const char *cpu = cJSON_IsString(p->cpu) ? p->cpu->valuestring : "undefined";
  double mem = cJSON_IsString(p->memory) ? strtod(p->memory->valuestring, NULL) : NAN;
  for(size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
    if(strtod(cpu, NULL) != sizes[i].cpu)
      continue;
    if(!(mem >= sizes[i].min && mem <= sizes[i].max && fmod(mem, 1024) == 0))
      return diag_set(d, SFL_ERR_INVALID, loc, sizes[i].fmt, cpu, mem);
    return SFL_OK;
  }
  return diag_set(d, SFL_ERR_INVALID, loc, "If operatingSystemFamily is %s, then cpu must be in "
                  "1024 (1 vCPU), 2048 (2 vCPU), or 4096 (4 vCPU). Provided value was: %s",
                  family, cpu);
}

static enum sfl_status check_task_definition(const struct ecs_task_definition_props *p,
                                             const char *mode, struct sfl_loc loc,
                                             struct diag *d)
{
  int fargate = p->compatibility & ECS_FARGATE;
  if(fargate && strcmp(mode, "awsvpc"))
    return diag_set(d, SFL_ERR_INVALID, loc, "Fargate tasks can only have AwsVpc network mode, "
                    "got: %s", mode);
  if(fargate && (!p->cpu || !p->memory))
    return diag_set(d, SFL_ERR_INVALID, loc, "Fargate-compatible tasks require both CPU (%s) "
                    "and memory (%s) specifications",
                    cJSON_IsString(p->cpu) ? p->cpu->valuestring : "undefined",
                    cJSON_IsString(p->memory) ? p->memory->valuestring : "undefined");
  if((p->compatibility & ECS_EXTERNAL) && strcmp(mode, "bridge") && strcmp(mode, "host")
     && strcmp(mode, "none"))
    return diag_set(d, SFL_ERR_INVALID, loc, "External tasks can only have Bridge, Host or "
                    "None network mode, got: %s", mode);
  if(!fargate && p->runtime_platform)
    return diag_set(d, SFL_ERR_INVALID, loc, "Cannot specify runtime_platform in non-Fargate "
                    "and non-Managed Instances compatible tasks");
  const cJSON *os = json_get(p->runtime_platform, "OperatingSystemFamily");
  if(cJSON_IsString(os) && !strncmp(os->valuestring, "WINDOWS", 7))
    return check_windows_size(p, os->valuestring, loc, d);
  return SFL_OK;
}

struct ecs_task_definition *ecs_task_definition_new(struct cfn_node *scope, const char *id,
                                                    const char *fqn,
                                                    const struct ecs_task_definition_props *p,
                                                    struct sfl_loc loc, struct diag *d)
{
  const char *mode = p->network_mode ? p->network_mode
                     : (p->compatibility & ECS_FARGATE) ? "awsvpc" : "bridge";
  if(check_task_definition(p, mode, loc, d))
    return NULL;
  struct arena *a = scope->app->arena;
  struct ecs_task_definition *td = arena_alloc(a, sizeof *td);
  if(!td)
    return diag_nomem(d), NULL;
  *td = (struct ecs_task_definition){.compatibility = p->compatibility, .network_mode = mode,
                                     .cpu = p->cpu, .memory = p->memory,
                                     .runtime_platform = p->runtime_platform};
  td->node = cfn_node_new(scope, id, fqn, loc, d);
  if(!td->node)
    return NULL;
  td->node->model = td;
  /* family ?? Names.uniqueId(this) */
  td->family = p->family ? p->family
                         : arena_own_json(a, cJSON_CreateString(cfn_unique_id(a, td->node)));
  if(!td->family)
    return diag_nomem(d), NULL;
  td->execution_role = p->execution_role;
  td->task_role = p->task_role ? p->task_role
                : role_new(td->node, "TaskRole", "ecs-tasks.amazonaws.com", NULL, loc, d);
  if(!td->task_role)
    return NULL;
  td->resource = cfn_resource_new(td->node, "Resource", "AWS::ECS::TaskDefinition",
                                  "aws-cdk-lib.aws_ecs.CfnTaskDefinition", loc, d);
  if(!td->resource)
    return NULL;
  td->resource->prepare = prepare_task_definition;
  td->resource->prepare_ctx = td;
  td->placement_constraints = arena_own_json(a, cJSON_CreateArray());
  if(!td->placement_constraints
     || ecs_add_placement_constraints(td, p->placement_constraints, loc, d))
    return td->placement_constraints ? NULL : (diag_nomem(d), NULL);
  return td;
}

enum sfl_status ecs_add_placement_constraints(struct ecs_task_definition *td,
                                              const cJSON *constraints, struct sfl_loc loc,
                                              struct diag *d)
{
  if(cJSON_GetArraySize(constraints) && (td->compatibility & ECS_FARGATE))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Cannot set placement constraints on tasks that run on Fargate");
  for(const cJSON *c = constraints ? constraints->child : NULL; c; c = c->next) {
    cJSON *item = cJSON_CreateObject();   /* CloudFormation's key order */
    json_put(item, "Expression", json_dup(json_get(c, "Expression")));
    json_put(item, "Type", json_dup(json_get(c, "Type")));
    if(!json_push(td->placement_constraints, item))
      return diag_nomem(d);
  }
  return SFL_OK;
}

cJSON *ecs_task_definition_arn(const struct ecs_task_definition *td)
{
  return cfn_ref(td->resource->logical_id);
}

struct ecs_container *ecs_find_container(const struct ecs_task_definition *td,
                                         const char *name)
{
  for(size_t i = 0; i < td->containers.n; i++) {
    struct ecs_container *c = td->containers.items[i];
    if(!strcmp(c->name, name))
      return c;
  }
  return NULL;
}

/* }============ */

/* {============ containers */

/* obtainExecutionRole: made once, as TaskDef/ExecutionRole. */
static struct role *execution_role(struct ecs_task_definition *td, struct sfl_loc loc,
                                   struct diag *d)
{
  if(!td->execution_role)
    td->execution_role = role_new(td->node, "ExecutionRole", "ecs-tasks.amazonaws.com", NULL,
                                  loc, d);
  return td->execution_role;
}

/* AwsLogDriver.bind: a log group (kept forever unless told) the execution role may write. */
static cJSON *bind_aws_logs(struct ecs_container *c, const struct ecs_aws_logs *l,
                            struct sfl_loc loc, struct diag *d)
{
  const struct log_group *lg = l->log_group;
  if(!lg) {
    struct log_group_props lp = {0};
    lp.retention = l->log_retention ? l->log_retention
      : arena_own_json(c->node->app->arena, cJSON_CreateNumber(LOGS_RETENTION_INFINITE));
    if(!lp.retention || !(lg = log_group_new(c->node, "LogGroup", &lp, loc, d)))
      return lp.retention ? NULL : (diag_nomem(d), NULL);
  }
  struct role *r = execution_role(c->td, loc, d);
  static const char *const write[] = {"logs:CreateLogStream", "logs:PutLogEvents"};
  cJSON *arns = cJSON_CreateArray();
  json_push(arns, log_group_arn(lg));
  if(!r || role_add_statement(r, iam_statement(write, 2, arns, NULL, NULL), d))
    return NULL;
  cJSON *cfg = cJSON_CreateObject();
  json_put_str(cfg, "LogDriver", "awslogs");
  cJSON *opts = json_put(cfg, "Options", cJSON_CreateObject());
  json_put(opts, "awslogs-group", log_group_name(lg));
  json_put(opts, "awslogs-stream-prefix", json_dup(l->stream_prefix));
  json_put(opts, "awslogs-region", cfn_region());
  json_put(opts, "awslogs-datetime-format", json_dup(l->datetime_format));
  json_put(opts, "awslogs-multiline-pattern", json_dup(l->multiline_pattern));
  json_put(opts, "mode", json_dup(l->mode));
  return opts && json_get(opts, "awslogs-region") ? cfg : (cJSON_Delete(cfg), diag_nomem(d),
                                                           NULL);
}

/* The Environment list: the variables in key order, and AWS_REGION for EC2 tasks in
** awsvpc mode (Ec2TaskDefinition.addContainer). */
static cJSON *render_environment(const struct ecs_task_definition *td, const cJSON *env)
{
  cJSON *vars = env ? json_dup(env) : cJSON_CreateObject();
  if(vars && td->compatibility == ECS_EC2 && !strcmp(td->network_mode, "awsvpc")) {
    /* {...environment, AWS_REGION}: a user's AWS_REGION keeps its place. */
    if(json_get(vars, "AWS_REGION"))
      cJSON_ReplaceItemInObjectCaseSensitive(vars, "AWS_REGION", cfn_region());
    else
      json_put(vars, "AWS_REGION", cfn_region());
  }
  cJSON *list = cJSON_CreateArray();
  for(cJSON *v = vars ? vars->child : NULL; list && v; v = v->next) {
    cJSON *kv = cJSON_CreateObject();
    json_put_str(kv, "Name", v->string);
    json_put(kv, "Value", json_dup(v));
    if(!json_push(list, kv))
      list = (cJSON_Delete(list), NULL);
  }
  cJSON_Delete(vars);
  if(list && !cJSON_GetArraySize(list))
    return cJSON_Delete(list), NULL;
  return list;
}

/* PortMap.validate and addHostPortIfNeeded. */
static cJSON *render_port_mappings(const struct ecs_task_definition *td, const cJSON *pms,
                                   struct sfl_loc loc, struct diag *d)
{
  cJSON *list = cJSON_CreateArray();
  int vpc_or_host = !strcmp(td->network_mode, "awsvpc") || !strcmp(td->network_mode, "host");
  for(const cJSON *pm = pms ? pms->child : NULL; list && pm; pm = pm->next) {
    const cJSON *cport = json_get(pm, "ContainerPort"), *hport = json_get(pm, "HostPort");
    const cJSON *name = json_get(pm, "Name");
    if(cJSON_IsString(name) && !*name->valuestring)
      return cJSON_Delete(list), diag_set(d, SFL_ERR_INVALID, loc, "Port mapping name cannot "
                                          "be an empty string."), NULL;
    if(vpc_or_host && cJSON_IsNumber(hport) && cJSON_IsNumber(cport)
       && hport->valuedouble != cport->valuedouble)
      return cJSON_Delete(list), diag_set(d, SFL_ERR_INVALID, loc, "The host port must be left "
                                          "out or must be the same as the container port for "
                                          "AwsVpc or Host network mode."), NULL;
    cJSON *out = cJSON_CreateObject();
    json_put(out, "ContainerPort", json_dup(cport));
    if(hport)
      json_put(out, "HostPort", json_dup(hport));
    else if(!strcmp(td->network_mode, "bridge"))
      json_put_num(out, "HostPort", 0);
    json_put(out, "Name", json_dup(name));
    const cJSON *proto = json_get(pm, "Protocol");
    json_put(out, "Protocol", proto ? json_dup(proto) : cJSON_CreateString("tcp"));
    if(!json_push(list, out))
      list = (cJSON_Delete(list), NULL);
  }
  if(!list)
    diag_nomem(d);
  return list;
}

/* Container props CDK passes through as they are. */
static const struct { const char *key; size_t offset; } passthrough[] = {
#define PT(key, field) {key, offsetof(struct ecs_container_props, field)}
  PT("DisableNetworking", disable_networking), PT("DnsSearchDomains", dns_search_domains),
  PT("DnsServers", dns_servers), PT("DockerLabels", docker_labels),
  PT("DockerSecurityOptions", docker_security_options), PT("EntryPoint", entry_point),
  PT("Hostname", hostname), PT("Interactive", interactive), PT("Privileged", privileged),
  PT("PseudoTerminal", pseudo_terminal),
  PT("ReadonlyRootFilesystem", readonly_root_filesystem), PT("StartTimeout", start_timeout),
  PT("StopTimeout", stop_timeout), PT("User", user), PT("WorkingDirectory", working_directory),
#undef PT
};

/* Puts the object's members in key order (CloudFormation's generated converters write
** them alphabetically). */
static void sort_keys(cJSON *obj)
{
  cJSON *sorted = NULL;
  while(obj->child) {
    cJSON *item = obj->child;
    obj->child = item->next;
    cJSON **at = &sorted;
    while(*at && strcmp((*at)->string, item->string) < 0)
      at = &(*at)->next;
    item->next = *at;
    *at = item;
  }
  /* cJSON keeps prev links (the head's prev is the tail). */
  cJSON *prev = NULL;
  for(cJSON *c = sorted; c; c = c->next) {
    c->prev = prev;
    prev = c;
  }
  if(sorted)
    sorted->prev = prev;
  obj->child = sorted;
}

/* renderContainerDefinition, keys in CloudFormation's (alphabetical) order. */
static enum sfl_status render_container(struct ecs_container *c,
                                        const struct ecs_container_props *p,
                                        struct sfl_loc loc, struct diag *d)
{
  cJSON *log = p->logging ? bind_aws_logs(c, p->logging, loc, d) : NULL;
  cJSON *ports = render_port_mappings(c->td, p->port_mappings, loc, d);
  if((p->logging && !log) || !ports)
    return cJSON_Delete(log), cJSON_Delete(ports), d->status;
  cJSON *def = cJSON_CreateObject();
  json_put(def, "Command", json_dup(p->command));
  json_put(def, "Cpu", json_dup(p->cpu));
  json_put(def, "Environment", render_environment(c->td, p->environment));
  json_put_bool(def, "Essential", c->essential);
  json_put(def, "Image", json_dup(p->image));
  json_put(def, "LogConfiguration", log);
  json_put(def, "Memory", json_dup(p->memory_limit));
  json_put(def, "MemoryReservation", json_dup(p->memory_reservation));
  json_put_str(def, "Name", c->name);
  if(cJSON_GetArraySize(ports))
    json_put(def, "PortMappings", ports);
  else
    cJSON_Delete(ports);
  for(size_t i = 0; i < sizeof passthrough / sizeof *passthrough; i++) {
    const cJSON *v = *(cJSON *const *)((const char *)p + passthrough[i].offset);
    if(v && !(cJSON_IsObject(v) && !v->child))   /* dockerLabels: none when empty */
      json_put(def, passthrough[i].key, json_dup(v));
  }
  sort_keys(def);
  c->definition = arena_own_json(c->node->app->arena, def);
  return c->definition && json_get(def, "Name") ? SFL_OK : diag_nomem(d);
}

static enum sfl_status check_container(const struct ecs_task_definition *td,
                                       const struct ecs_container_props *p,
                                       struct sfl_loc loc, struct diag *d)
{
  const cJSON *lim = p->memory_limit, *res = p->memory_reservation;
  if(cJSON_IsNumber(lim) && cJSON_IsNumber(res) && lim->valuedouble < res->valuedouble)
    return diag_set(d, SFL_ERR_INVALID, loc, "memory_limit_mib should not be less than "
                    "memory_reservation_mib.");
  if(!td->cpu || !cJSON_IsString(td->cpu))
    return SFL_OK;
  double sum = cJSON_IsNumber(p->cpu) ? p->cpu->valuedouble : 0;
  for(size_t i = 0; i < td->containers.n; i++)
    sum += ((struct ecs_container *)td->containers.items[i])->cpu;
  if(strtod(td->cpu->valuestring, NULL) < sum)
    return diag_set(d, SFL_ERR_INVALID, loc, "The sum of all container cpu values cannot be "
                    "greater than the value of the task cpu");
  return SFL_OK;
}

struct ecs_container *ecs_add_container(struct ecs_task_definition *td, const char *id,
                                        const struct ecs_container_props *p,
                                        struct sfl_loc loc, struct diag *d)
{
  struct arena *a = td->node->app->arena;
  struct ecs_container *c = arena_alloc(a, sizeof *c);
  if(!c)
    return diag_nomem(d), NULL;
  c->node = cfn_node_new(td->node, id, "aws-cdk-lib.aws_ecs.ContainerDefinition", loc, d);
  if(!c->node)
    return NULL;
  c->node->model = c;
  c->td = td;
  c->name = cJSON_IsString(p->container_name) ? p->container_name->valuestring : c->node->id;
  c->essential = !p->essential || cJSON_IsTrue(p->essential);
  c->memory_specified = p->memory_limit || p->memory_reservation;
  c->cpu = cJSON_IsNumber(p->cpu) ? p->cpu->valuedouble : 0;
  if(check_container(td, p, loc, d) || render_container(c, p, loc, d))
    return NULL;
  if(vec_push(a, &td->containers, c))
    return diag_nomem(d), NULL;
  if(!td->default_container && c->essential)
    td->default_container = c;
  return c;
}

/* }============ */
