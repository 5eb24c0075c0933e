/*
** mod_ecs.c: `sfl.aws_ecs`: Cluster, the task definitions, containers, images, the awslogs
** driver, placement strategies and constraints, and their enums (rendering:
** src/constructs/ecs.c).
*/
#include "lua/mod_tasks.h"
#include "constructs/ecs.h"
#include "core/strbuf.h"

#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

#define VPC_PROP(T, field, flags) \
  {"vpc", P_USERDATA, offsetof(T, field), flags, NULL, NULL, NULL, LSFL_BIT(VPC), \
   "an ec2.IVpc (Vpc.from_vpc_attributes(...))"}

/* {============ Cluster */

static const char *const insights[] = {"enabled", "disabled", "enhanced", NULL};
static const char *const insight_members[] = {"ENABLED", "DISABLED", "ENHANCED", NULL};

static const struct lsfl_prop cluster_schema[] = {
  VPC_PROP(struct ecs_cluster_props, vpc, 0),
  F("cluster_name", P_STR, struct ecs_cluster_props, cluster_name),
  F("container_insights", P_BOOLEAN, struct ecs_cluster_props, container_insights),
  {"container_insights_v2", P_ENUM, offsetof(struct ecs_cluster_props, container_insights_v2),
   0, NULL, NULL, insights, 0, NULL},
  PROP_END
};

static int cluster_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct ecs_cluster_props p = {0};
  lsfl_read_props(L, 3, cluster_schema, &p, lua_pushfstring(L, "Cluster '%s'", id));
  p.restrict_default_sg = !p.vpc && lsfl_restrict_default_sg(scope, NULL);
  struct diag d = {0};
  struct ecs_cluster *c = ecs_cluster_new(scope, id, &p, lsfl_loc(L), &d);
  if(!c)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_ECS_CLUSTER, c, c->node);
  return 1;
}

struct lua_cluster_attrs {
  struct ecs_cluster_attrs a;
  struct vec *security_groups;
};

#define CA struct lua_cluster_attrs
static const struct lsfl_prop cluster_attrs_schema[] = {
  REQ("cluster_name", P_STR, CA, a.cluster_name),
  VPC_PROP(CA, a.vpc, PROP_REQUIRED),
  F("cluster_arn", P_STR, CA, a.cluster_arn),
  F("has_ec2_capacity", P_BOOL, CA, a.has_ec2_capacity),
  {"security_groups", P_USERDATA_LIST, offsetof(CA, security_groups), 0, NULL, NULL, NULL,
   LSFL_BIT(SECURITY_GROUP), "an ec2.SecurityGroup"},
  PROP_END
};
#undef CA

/* Cluster.from_cluster_attributes(scope, id, attrs) */
static int cluster_from_attributes(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_cluster_attrs p = {.a.has_ec2_capacity = 1};
  lsfl_read_props(L, 3, cluster_attrs_schema, &p, lua_pushfstring(L, "Cluster '%s'", id));
  struct diag d = {0};
  struct ecs_cluster *c = ecs_cluster_import(scope, id, &p.a, lsfl_loc(L), &d);
  if(!c)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_ECS_CLUSTER, c, c->node);
  return 1;
}

static int cluster_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, ecs_cluster_arn(self->obj));
}

static int cluster_get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, ecs_cluster_name(self->obj));
}

static const struct lsfl_getter cluster_getters[] = {
  {"cluster_arn", cluster_get_arn}, {"cluster_name", cluster_get_name}, {NULL, NULL}};
static const luaL_Reg cluster_statics[] = {
  {"from_cluster_attributes", cluster_from_attributes}, {NULL, NULL}};

/* }============ */

/* {============ task definitions */

static const char *const network_members[] = {"NONE", "BRIDGE", "AWS_VPC", "HOST", "NAT",
                                              NULL};
static const char *const network_values[] = {"none", "bridge", "awsvpc", "host", "nat", NULL};
static const char *const compat_members[] = {"EC2", "FARGATE", "EC2_AND_FARGATE", "EXTERNAL",
                                             NULL};
static const int compat_bits[] = {ECS_EC2, ECS_FARGATE, ECS_EC2 | ECS_FARGATE, ECS_EXTERNAL};
static const char *const cpu_archs[] = {"ARM64", "X86_64", NULL};
static const char *const os_families[] = {
  "LINUX", "WINDOWS_SERVER_2004_CORE", "WINDOWS_SERVER_2016_FULL", "WINDOWS_SERVER_2019_CORE",
  "WINDOWS_SERVER_2019_FULL", "WINDOWS_SERVER_2022_CORE", "WINDOWS_SERVER_2022_FULL",
  "WINDOWS_SERVER_20H2_CORE", "WINDOWS_SERVER_2025_FULL", "WINDOWS_SERVER_2025_CORE", NULL};

static const struct lsfl_prop runtime_platform_schema[] = {
  {"cpu_architecture", P_ENUM, 0, 0, "CpuArchitecture", NULL, cpu_archs, 0, NULL},
  {"operating_system_family", P_ENUM, 0, 0, "OperatingSystemFamily", NULL, os_families, 0,
   NULL},
  PROP_END
};

/* What the three task definition classes read; each schema uses its own part. */
struct lua_task_def {
  struct ecs_task_definition_props p;
  cJSON *compatibility, *network_mode, *cpu_num, *memory_num;
  struct vec *constraints;
};

#define TD struct lua_task_def
#define TD_ROLE(name, field) \
  {name, P_USERDATA, offsetof(TD, p.field), 0, NULL, NULL, NULL, LSFL_BIT(ROLE), \
   "an aws_iam.IRole (iam.Role(...) or iam.Role.from_role_arn(...))"}
#define TD_COMMON \
  F("family", P_STR, TD, p.family), TD_ROLE("task_role", task_role), \
  TD_ROLE("execution_role", execution_role)
#define TD_NETWORK \
  {"network_mode", P_ENUM, offsetof(TD, network_mode), 0, NULL, NULL, network_values, 0, NULL}
#define TD_CONSTRAINTS \
  {"placement_constraints", P_USERDATA_LIST, offsetof(TD, constraints), 0, NULL, NULL, NULL, \
   LSFL_BIT(PLACEMENT_CONSTRAINT), "an ecs.PlacementConstraint"}
#define TD_PLATFORM \
  {"runtime_platform", P_STRUCT, offsetof(TD, p.runtime_platform), 0, NULL, \
   runtime_platform_schema, NULL, 0, NULL}

static const struct lsfl_prop fargate_td_schema[] = {
  TD_COMMON, TD_PLATFORM,
  {"cpu", P_INT, offsetof(TD, cpu_num), PROP_NO_TOKEN, NULL, NULL, NULL, 0, NULL},
  {"memory_limit_mib", P_INT, offsetof(TD, memory_num), PROP_NO_TOKEN, NULL, NULL, NULL, 0,
   NULL},
  PROP_END
};

static const struct lsfl_prop ec2_td_schema[] = {TD_COMMON, TD_NETWORK, TD_CONSTRAINTS,
                                                 PROP_END};

static const struct lsfl_prop td_schema[] = {
  {"compatibility", P_ENUM, offsetof(TD, compatibility), PROP_REQUIRED, NULL, NULL,
   compat_members, 0, NULL},
  TD_COMMON, TD_NETWORK, TD_PLATFORM, TD_CONSTRAINTS,
  F("cpu", P_STR, TD, p.cpu),
  F("memory_mib", P_STR, TD, p.memory),
  PROP_END
};
#undef TD

/* A number as the string CDK's Tokenization.stringifyNumber makes of it. */
static cJSON *number_text(lua_State *L, const cJSON *n, double fallback)
{
  char buf[32];
  snprintf(buf, sizeof buf, "%.17g", n ? n->valuedouble : fallback);
  cJSON *s = arena_own_json(A(L), cJSON_CreateString(buf));
  if(!s)
    luaL_error(L, "not enough memory");
  return s;
}

static int task_definition_make(lua_State *L, const struct lsfl_prop *schema, const char *cls,
                                int compat)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_task_def p = {0};
  lsfl_read_props(L, 3, schema, &p, lua_pushfstring(L, "%s '%s'", cls, id));
  p.p.compatibility = compat;
  for(int i = 0; p.compatibility && compat_members[i]; i++)
    if(!strcmp(p.compatibility->valuestring, compat_members[i]))
      p.p.compatibility = compat_bits[i];
  if(p.network_mode)
    p.p.network_mode = p.network_mode->valuestring;
  p.p.placement_constraints = lsfl_flatten_boxes(L, p.constraints);
  /* Ec2TaskDefinition.validatePlacementConstraints */
  struct strbuf bad = {0};
  for(const cJSON *c = compat == ECS_EC2 && p.p.placement_constraints
      ? p.p.placement_constraints->child : NULL; c; c = c->next)
    if(strcmp(json_get(c, "Type")->valuestring, "memberOf")) {
      strbuf_puts(&bad, bad.len ? ", " : "");
      strbuf_puts(&bad, json_get(c, "Type")->valuestring);
    }
  if(bad.len) {
    lua_pushstring(L, bad.buf);
    strbuf_free(&bad);
    return lsfl_error(L, "Invalid placement constraint(s): %s. Only 'memberOf' is currently "
                         "supported in the Ec2TaskDefinition class.", lua_tostring(L, -1));
  }
  strbuf_free(&bad);
  if(compat == ECS_FARGATE) {   /* FargateTaskDefinition: 256 CPU units, 512 MiB */
    p.p.cpu = number_text(L, p.cpu_num, 256);
    p.p.memory = number_text(L, p.memory_num, 512);
  }
  struct diag d = {0};
  /* The node keeps its class name: an arena copy, not the Lua string. */
  const char *fqn = arena_printf(A(L), "aws-cdk-lib.aws_ecs.%s", cls);
  if(!fqn)
    return luaL_error(L, "not enough memory");
  struct ecs_task_definition *td = ecs_task_definition_new(scope, id, fqn, &p.p, lsfl_loc(L),
                                                           &d);
  if(!td)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_TASK_DEFINITION, td, td->node);
  return 1;
}

static int fargate_td_new(lua_State *L)
{
  return task_definition_make(L, fargate_td_schema, "FargateTaskDefinition", ECS_FARGATE);
}

static int ec2_td_new(lua_State *L)
{
  return task_definition_make(L, ec2_td_schema, "Ec2TaskDefinition", ECS_EC2);
}

static int td_new(lua_State *L)
{
  return task_definition_make(L, td_schema, "TaskDefinition", 0);
}

static int td_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, ecs_task_definition_arn(self->obj));
}

static int td_get_family(lua_State *L, struct lsfl_box *self)
{
  lsfl_push_json(L, ((struct ecs_task_definition *)self->obj)->family);
  return 1;
}

static int td_get_network_mode(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct ecs_task_definition *)self->obj)->network_mode);
  return 1;
}

static const struct lsfl_getter td_getters[] = {
  {"task_definition_arn", td_get_arn}, {"family", td_get_family},
  {"network_mode", td_get_network_mode}, {NULL, NULL}};

/* }============ */

/* {============ containers */

static const char *const protocols[] = {"tcp", "udp", NULL};

static const struct lsfl_prop port_mapping_schema[] = {
  MREQ("container_port", P_INT, "ContainerPort"),
  M("host_port", P_INT, "HostPort"),
  M("name", P_STR, "Name"),
  {"protocol", P_ENUM, 0, 0, "Protocol", NULL, protocols, 0, NULL},
  PROP_END
};

struct lua_container {
  struct ecs_container_props p;
  const struct ecs_task_definition *td;
};

#define CP struct lua_container
#define CONTAINER_PROPS \
  {"image", P_USERDATA, offsetof(CP, p.image), PROP_REQUIRED, NULL, NULL, NULL, \
   LSFL_BIT(CONTAINER_IMAGE), "an ecs.ContainerImage (ContainerImage.from_registry(name))"}, \
  F("container_name", P_STR, CP, p.container_name), \
  F("command", P_STR_LIST, CP, p.command), \
  F("cpu", P_INT, CP, p.cpu), \
  F("memory_limit_mib", P_INT, CP, p.memory_limit), \
  F("memory_reservation_mib", P_INT, CP, p.memory_reservation), \
  F("environment", P_STR_MAP, CP, p.environment), \
  F("essential", P_BOOLEAN, CP, p.essential), \
  {"port_mappings", P_STRUCT_LIST, offsetof(CP, p.port_mappings), 0, NULL, \
   port_mapping_schema, NULL, 0, NULL}, \
  {"logging", P_USERDATA, offsetof(CP, p.logging), 0, NULL, NULL, NULL, LSFL_BIT(LOG_DRIVER), \
   "an ecs.LogDriver (LogDrivers.aws_logs({ stream_prefix = ... }))"}, \
  F("disable_networking", P_BOOLEAN, CP, p.disable_networking), \
  F("dns_search_domains", P_STR_LIST, CP, p.dns_search_domains), \
  F("dns_servers", P_STR_LIST, CP, p.dns_servers), \
  F("docker_labels", P_STR_MAP, CP, p.docker_labels), \
  F("docker_security_options", P_STR_LIST, CP, p.docker_security_options), \
  F("entry_point", P_STR_LIST, CP, p.entry_point), \
  F("hostname", P_STR, CP, p.hostname), \
  F("interactive", P_BOOLEAN, CP, p.interactive), \
  F("privileged", P_BOOLEAN, CP, p.privileged), \
  F("pseudo_terminal", P_BOOLEAN, CP, p.pseudo_terminal), \
  F("readonly_root_filesystem", P_BOOLEAN, CP, p.readonly_root_filesystem), \
  F("start_timeout", P_DURATION, CP, p.start_timeout), \
  F("stop_timeout", P_DURATION, CP, p.stop_timeout), \
  F("user", P_STR, CP, p.user), \
  F("working_directory", P_STR, CP, p.working_directory)

static const struct lsfl_prop container_options_schema[] = {CONTAINER_PROPS, PROP_END};
static const struct lsfl_prop container_schema[] = {
  CONTAINER_PROPS,
  {"task_definition", P_USERDATA, offsetof(CP, td), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(TASK_DEFINITION), "an ecs.TaskDefinition"},
  PROP_END
};
#undef CP

static int container_make(lua_State *L, struct cfn_node *owner, int props_idx,
                          const struct lsfl_prop *schema, struct ecs_task_definition *td)
{
  const char *id = lsfl_check_id(L, props_idx - 1);
  struct lua_container p = {0};
  lsfl_read_props(L, props_idx, schema, &p, lua_pushfstring(L, "ContainerDefinition '%s'",
                                                            id));
  if(!td)
    td = (struct ecs_task_definition *)p.td;
  if(owner && owner != td->node)
    return lsfl_error(L, "ContainerDefinition '%s': sfl makes a container in the scope of its "
                         "task_definition; pass the task definition as scope", id);
  struct diag d = {0};
  struct ecs_container *c = ecs_add_container(td, id, &p.p, lsfl_loc(L), &d);
  if(!c)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_CONTAINER_DEFINITION, c, c->node);
  return 1;
}

/* task_definition:add_container(id, props) */
static int td_add_container(lua_State *L)
{
  struct lsfl_box *b = lsfl_check(L, 1, LSFL_BIT(TASK_DEFINITION), 0, "an ecs.TaskDefinition");
  lua_settop(L, 3);
  return container_make(L, NULL, 3, container_options_schema, b->obj);
}

/* ContainerDefinition(scope, id, props): scope is the task definition, as CDK's addContainer. */
static int container_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  return container_make(L, scope, 3, container_schema, NULL);
}

static int container_get_name(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct ecs_container *)self->obj)->name);
  return 1;
}

static const struct lsfl_getter container_getters[] = {
  {"container_name", container_get_name}, {NULL, NULL}};
/* task_definition:add_placement_constraint(constraint) */
static int td_add_placement_constraint(lua_State *L)
{
  struct lsfl_box *b = lsfl_check(L, 1, LSFL_BIT(TASK_DEFINITION), 0, "an ecs.TaskDefinition");
  struct lsfl_box *c = lsfl_check(L, 2, LSFL_BIT(PLACEMENT_CONSTRAINT), 0,
                                  "an ecs.PlacementConstraint");
  struct diag d = {0};
  if(ecs_add_placement_constraints(b->obj, c->obj, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  return 0;
}

static const luaL_Reg td_methods[] = {
  {"add_container", td_add_container},
  {"add_placement_constraint", td_add_placement_constraint}, {NULL, NULL}};

/* ContainerImage.from_registry(name) */
static int image_from_registry(lua_State *L)
{
  cJSON *name = lsfl_to_json(L, 1, "ContainerImage.from_registry");
  if(!cJSON_IsString(name) && !json_has(name, JSON_INTRINSIC | JSON_CONCAT))
    return lsfl_error(L, "ContainerImage.from_registry: the image name must be a string, "
                         "got %s", lsfl_typename(L, 1));
  lsfl_push(L, LSFL_CONTAINER_IMAGE, name, NULL);
  return 1;
}

static const luaL_Reg image_statics[] = {{"from_registry", image_from_registry}, {NULL, NULL}};

/* }============ */

/* {============ the awslogs driver */

static const char *const log_modes[] = {"blocking", "non-blocking", NULL};
static const char *const log_mode_members[] = {"BLOCKING", "NON_BLOCKING", NULL};

#define LD struct ecs_aws_logs
static const struct lsfl_prop aws_logs_schema[] = {
  REQ("stream_prefix", P_STR, LD, stream_prefix),
  {"log_group", P_USERDATA, offsetof(LD, log_group), 0, NULL, NULL, NULL, LSFL_BIT(LOG_GROUP),
   "an aws_logs.LogGroup"},
  F("log_retention", P_INT, LD, log_retention),
  F("datetime_format", P_STR, LD, datetime_format),
  F("multiline_pattern", P_STR, LD, multiline_pattern),
  {"mode", P_ENUM, offsetof(LD, mode), 0, NULL, NULL, log_modes, 0, NULL},
  PROP_END
};
#undef LD

/* LogDrivers.aws_logs(props), LogDriver.aws_logs(props), AwsLogDriver(props) */
static int aws_logs_new(lua_State *L)
{
  struct ecs_aws_logs *l = arena_alloc(A(L), sizeof *l);
  if(!l)
    return luaL_error(L, "not enough memory");
  memset(l, 0, sizeof *l);
  lua_settop(L, 1);
  lsfl_read_props(L, 1, aws_logs_schema, l, "LogDrivers.aws_logs");
  if(l->log_group && l->log_retention)
    return lsfl_error(L, "LogDrivers.aws_logs: cannot specify both `log_group` and "
                         "`log_retention`.");
  lsfl_push(L, LSFL_LOG_DRIVER, l, NULL);
  return 1;
}

static const luaL_Reg log_driver_statics[] = {{"aws_logs", aws_logs_new}, {NULL, NULL}};

/* }============ */

/* {============ placement */

cJSON *lsfl_flatten_boxes(lua_State *L, const struct vec *v)
{
  cJSON *list = NULL;
  for(size_t i = 0; v && i < v->n; i++)
    for(const cJSON *c = ((cJSON *)v->items[i])->child; c; c = c->next) {
      if(!list && !(list = arena_own_json(A(L), cJSON_CreateArray())))
        luaL_error(L, "not enough memory");
      if(!json_push(list, json_dup(c)))
        luaL_error(L, "not enough memory");
    }
  return list;
}

/* Pushes a placement box holding [{"Type": type, <key>: value}, ...]. */
static int push_placement(lua_State *L, enum lsfl_type t, const char *type, const char *key,
                          int first, int last)
{
  cJSON *list = arena_own_json(A(L), cJSON_CreateArray());
  if(!list)
    return luaL_error(L, "not enough memory");
  for(int i = first; i <= last || (first > last && i == first); i++) {
    cJSON *item = cJSON_CreateObject();
    json_put_str(item, "Type", type);
    if(key)
      json_put_str(item, key, luaL_checkstring(L, i));
    if(!json_push(list, item))
      return luaL_error(L, "not enough memory");
  }
  lsfl_push(L, t, list, NULL);
  return 1;
}

static int strategy_spread_instances(lua_State *L)
{
  lua_settop(L, 0);
  lua_pushliteral(L, "instanceId");
  return push_placement(L, LSFL_PLACEMENT_STRATEGY, "spread", "Field", 1, 1);
}

static int strategy_spread_across(lua_State *L)
{
  if(lua_gettop(L) == 0)
    return lsfl_error(L, "spread_across: give at least one field to spread by");
  return push_placement(L, LSFL_PLACEMENT_STRATEGY, "spread", "Field", 1, lua_gettop(L));
}

static int strategy_packed_by(lua_State *L)
{
  const char *r = luaL_checkstring(L, 1);
  if(strcmp(r, "CPU") && strcmp(r, "MEMORY"))
    return lsfl_error(L, "packed_by: expected an ecs.BinPackResource (CPU or MEMORY), got '%s'",
                      r);
  return push_placement(L, LSFL_PLACEMENT_STRATEGY, "binpack", "Field", 1, 1);
}

static int strategy_packed_fixed(lua_State *L, const char *resource)
{
  lua_settop(L, 0);
  lua_pushstring(L, resource);
  return push_placement(L, LSFL_PLACEMENT_STRATEGY, "binpack", "Field", 1, 1);
}

static int strategy_packed_cpu(lua_State *L) { return strategy_packed_fixed(L, "CPU"); }
static int strategy_packed_memory(lua_State *L) { return strategy_packed_fixed(L, "MEMORY"); }

static int strategy_randomly(lua_State *L)
{
  return push_placement(L, LSFL_PLACEMENT_STRATEGY, "random", NULL, 1, 0);
}

static int constraint_distinct(lua_State *L)
{
  return push_placement(L, LSFL_PLACEMENT_CONSTRAINT, "distinctInstance", NULL, 1, 0);
}

static int constraint_member_of(lua_State *L)
{
  int n = lua_gettop(L);
  if(n == 0) {
    lsfl_push(L, LSFL_PLACEMENT_CONSTRAINT, arena_own_json(A(L), cJSON_CreateArray()), NULL);
    return 1;
  }
  return push_placement(L, LSFL_PLACEMENT_CONSTRAINT, "memberOf", "Expression", 1, n);
}

static const luaL_Reg strategy_statics[] = {
  {"spread_across_instances", strategy_spread_instances},
  {"spread_across", strategy_spread_across}, {"packed_by_cpu", strategy_packed_cpu},
  {"packed_by_memory", strategy_packed_memory}, {"packed_by", strategy_packed_by},
  {"randomly", strategy_randomly}, {NULL, NULL}};
static const luaL_Reg constraint_statics[] = {
  {"distinct_instances", constraint_distinct}, {"member_of", constraint_member_of},
  {NULL, NULL}};

/* }============ */

void lsfl_register_ecs_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_ECS_CLUSTER, NULL, cluster_getters);
  lsfl_new_type(L, LSFL_TASK_DEFINITION, td_methods, td_getters);
  lsfl_new_type(L, LSFL_CONTAINER_DEFINITION, NULL, container_getters);
  lsfl_new_type(L, LSFL_CONTAINER_IMAGE, NULL, NULL);
  lsfl_new_type(L, LSFL_LOG_DRIVER, NULL, NULL);
  lsfl_new_type(L, LSFL_PLACEMENT_STRATEGY, NULL, NULL);
  lsfl_new_type(L, LSFL_PLACEMENT_CONSTRAINT, NULL, NULL);
}

static void add_enum(lua_State *L, const char *name, const char *const *members,
                     const char *const *values)
{
  lsfl_new_enum(L, lua_pushfstring(L, "sfl.aws_ecs.%s", name), members, values);
  lua_remove(L, -2);
  lua_setfield(L, -2, name);
}

static void add_class(lua_State *L, const char *name, lua_CFunction ctor,
                      const luaL_Reg *statics)
{
  lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_ecs.%s", name), ctor, statics);
  lua_remove(L, -2);
  lua_setfield(L, -2, name);
}

int lsfl_open_ecs(lua_State *L)
{
  static const char *const fargate_members[] = {"LATEST", "VERSION1_4", "VERSION1_3",
                                                "VERSION1_2", "VERSION1_1", "VERSION1_0", NULL};
  static const char *const fargate_values[] = {"LATEST", "1.4.0", "1.3.0", "1.2.0", "1.1.0",
                                               "1.0.0", NULL};
  static const char *const tag_sources[] = {"SERVICE", "TASK_DEFINITION", "NONE", NULL};
  static const char *const protocol_members[] = {"TCP", "UDP", NULL};
  static const char *const bin_pack[] = {"CPU", "MEMORY", NULL};
  lua_newtable(L);
  add_class(L, "Cluster", cluster_new, cluster_statics);
  add_class(L, "FargateTaskDefinition", fargate_td_new, NULL);
  add_class(L, "Ec2TaskDefinition", ec2_td_new, NULL);
  add_class(L, "TaskDefinition", td_new, NULL);
  add_class(L, "ContainerDefinition", container_new, NULL);
  add_class(L, "ContainerImage", NULL, image_statics);
  add_class(L, "LogDrivers", NULL, log_driver_statics);
  add_class(L, "LogDriver", NULL, log_driver_statics);
  add_class(L, "AwsLogDriver", aws_logs_new, NULL);
  add_class(L, "PlacementStrategy", NULL, strategy_statics);
  add_class(L, "PlacementConstraint", NULL, constraint_statics);
  add_enum(L, "NetworkMode", network_members, network_values);
  add_enum(L, "ContainerInsights", insight_members, insights);
  add_enum(L, "Compatibility", compat_members, compat_members);
  add_enum(L, "FargatePlatformVersion", fargate_members, fargate_values);
  add_enum(L, "PropagatedTagSource", tag_sources, tag_sources);
  add_enum(L, "Protocol", protocol_members, protocols);
  add_enum(L, "CpuArchitecture", cpu_archs, cpu_archs);
  add_enum(L, "OperatingSystemFamily", os_families, os_families);
  add_enum(L, "BinPackResource", bin_pack, bin_pack);
  add_enum(L, "AwsLogDriverMode", log_mode_members, log_modes);
  /* Struct classes hand back their table. */
  static const char *const structs[] = {"PortMapping", "RuntimePlatform", "AwsLogDriverProps",
                                        "CapacityProviderStrategy", NULL};
  for(int i = 0; structs[i]; i++) {
    lua_pushcfunction(L, lsfl_struct_identity);
    lua_setfield(L, -2, structs[i]);
  }
  lsfl_make_strict(L, "sfl.aws_ecs");
  return 1;
}
