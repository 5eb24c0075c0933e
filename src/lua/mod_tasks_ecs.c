/*
** mod_tasks_ecs.c: the Lua props of EcsRunTask and its launch targets
** (rendering: src/constructs/tasks_ecs.c).
*/
#include "lua/mod_tasks.h"
#include "constructs/ec2.h"

/* {============ launch targets */

static const char *const fargate_versions[] = {"LATEST", "1.4.0", "1.3.0", "1.2.0", "1.1.0",
                                               "1.0.0", NULL};

struct lua_launch_target {
  struct ecs_launch_target t;
  struct vec *constraints, *strategies;
};

#define LT struct lua_launch_target
#define CAPACITY \
  {"capacity_provider_options", P_USERDATA, offsetof(LT, t.capacity_providers), 0, NULL, NULL, \
   NULL, LSFL_BIT(CAPACITY_PROVIDER_OPTIONS), \
   "a CapacityProviderOptions (CapacityProviderOptions.custom({...}) or .default())"}
static const struct lsfl_prop fargate_target_schema[] = {
  CAPACITY,
  E("platform_version", LT, t.platform_version, fargate_versions),
  PROP_END
};

static const struct lsfl_prop ec2_target_schema[] = {
  CAPACITY,
  {"placement_constraints", P_USERDATA_LIST, offsetof(LT, constraints), 0, NULL, NULL, NULL,
   LSFL_BIT(PLACEMENT_CONSTRAINT), "an ecs.PlacementConstraint"},
  {"placement_strategies", P_USERDATA_LIST, offsetof(LT, strategies), 0, NULL, NULL, NULL,
   LSFL_BIT(PLACEMENT_STRATEGY), "an ecs.PlacementStrategy"},
  PROP_END
};
#undef LT
#undef CAPACITY

static int launch_target_new(lua_State *L, int ec2)
{
  struct lua_launch_target props = {0};
  lsfl_read_props(L, 1, ec2 ? ec2_target_schema : fargate_target_schema, &props,
                  ec2 ? "EcsEc2LaunchTarget" : "EcsFargateLaunchTarget");
  struct ecs_launch_target *t = arena_alloc(lsfl_ctx(L)->arena, sizeof *t);
  if(!t)
    return luaL_error(L, "not enough memory");
  *t = props.t;
  t->ec2 = ec2;
  t->placement_constraints = lsfl_flatten_boxes(L, props.constraints);
  t->placement_strategies = lsfl_flatten_boxes(L, props.strategies);
  lsfl_push(L, LSFL_ECS_LAUNCH_TARGET, t, NULL);
  return 1;
}

static int fargate_target_new(lua_State *L)
{
  lua_settop(L, 1);
  return launch_target_new(L, 0);
}

static int ec2_target_new(lua_State *L)
{
  lua_settop(L, 1);
  return launch_target_new(L, 1);
}

/* {============ CapacityProviderOptions */

struct lua_strategy {
  cJSON *capacity_provider, *weight, *base;
};

static const struct lsfl_prop strategy_schema[] = {
  REQ("capacity_provider", P_STR, struct lua_strategy, capacity_provider),
  F("weight", P_NUM, struct lua_strategy, weight),
  F("base", P_NUM, struct lua_strategy, base),
  PROP_END
};

static int push_capacity(lua_State *L, cJSON *list)
{
  if(!arena_own_json(lsfl_ctx(L)->arena, list))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_CAPACITY_PROVIDER_OPTIONS, list, NULL);
  return 1;
}

/* CapacityProviderOptions.custom({ {capacity_provider = ..., weight = ..., base = ...}, ...}) */
static int capacity_custom(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
  if(n < 1 || n > 20)
    return lsfl_error(L, "Capacity provider strategy must contain between 1 and 20 capacity "
                         "providers, got %d", (int)n);
  cJSON *list = cJSON_CreateArray();
  if(!push_capacity(L, list))
    return 0;
  for(lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    int item_idx = lua_gettop(L);
    struct lua_strategy st = {0};
    const char *what = lua_pushfstring(L, "CapacityProviderOptions.custom item %d", (int)i);
    lsfl_read_props(L, item_idx, strategy_schema, &st, what);
    cJSON *item = cJSON_CreateObject();
    json_put(item, "CapacityProvider", json_dup(st.capacity_provider));
    json_put(item, "Weight", json_dup(st.weight));
    json_put(item, "Base", json_dup(st.base));
    if(!json_push(list, item))
      return luaL_error(L, "not enough memory");
    lua_pop(L, 2);
  }
  return 1;
}

static int capacity_default(lua_State *L)
{
  return push_capacity(L, cJSON_CreateArray());
}

static const luaL_Reg capacity_statics[] = {
  {"custom", capacity_custom}, {"default", capacity_default}, {NULL, NULL}};

/* }============ */

/* {============ EcsRunTask */

static const struct lsfl_prop environment_schema[] = {
  MREQ("name", P_STR, "Name"),
  MREQ("value", P_STR, "Value"),
  PROP_END
};

#define CO struct ecs_container_override
static const struct lsfl_prop override_schema[] = {
  {"container_definition", P_USERDATA, offsetof(CO, container), PROP_REQUIRED, NULL, NULL,
   NULL, LSFL_BIT(CONTAINER_DEFINITION), "an ecs.ContainerDefinition"},
  F("command", P_STR_LIST, CO, command),
  {"environment", P_STRUCT_LIST, offsetof(CO, environment), 0, NULL, environment_schema, NULL,
   0, NULL},
  F("cpu", P_NUM, CO, cpu),
  F("memory_limit", P_NUM, CO, memory_limit),
  F("memory_reservation", P_NUM, CO, memory_reservation),
  PROP_END_SIZED(CO)
};
#undef CO

static const char *const tag_sources[] = {"SERVICE", "TASK_DEFINITION", "NONE", NULL};

struct lua_run_task {
  TASK_FIELDS(struct ecs_run_task_props);
  struct lsfl_subnets subnets;
  struct ec2_subnet_selection selection;
};

#define RT struct lua_run_task
static const struct lsfl_prop run_task_schema[] = {
  TASK_BASE_PROPS(RT),
  {"cluster", P_USERDATA, offsetof(RT, p.cluster), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(ECS_CLUSTER), "an ecs.Cluster (or Cluster.from_cluster_attributes(...))"},
  {"task_definition", P_USERDATA, offsetof(RT, p.task_definition), PROP_REQUIRED, NULL, NULL,
   NULL, LSFL_BIT(TASK_DEFINITION), "an ecs.TaskDefinition"},
  {"launch_target", P_USERDATA, offsetof(RT, p.launch_target), PROP_REQUIRED, NULL, NULL,
   NULL, LSFL_BIT(ECS_LAUNCH_TARGET), "EcsFargateLaunchTarget(...) or EcsEc2LaunchTarget(...)"},
  {"container_overrides", P_NESTED_LIST, offsetof(RT, p.container_overrides), 0, NULL,
   override_schema, NULL, 0, NULL},
  F("assign_public_ip", P_BOOL, RT, p.assign_public_ip),
  {"subnets", P_NESTED, offsetof(RT, subnets), 0, NULL, lsfl_subnets_schema, NULL, 0,
   NULL},
  {"security_groups", P_USERDATA_LIST, offsetof(RT, p.security_groups), 0, NULL, NULL, NULL,
   LSFL_BIT(SECURITY_GROUP), "an ec2.SecurityGroup"},
  F("cpu", P_STR, RT, p.cpu),
  F("memory_mib", P_STR, RT, p.memory_mib),
  E("propagated_tag_source", RT, p.propagated_tag_source, tag_sources),
  F("enable_execute_command", P_BOOLEAN, RT, p.enable_execute_command),
  {"revision_number", P_INT, offsetof(RT, p.revision_number), PROP_NO_TOKEN, NULL, NULL, NULL,
   0, NULL},
  PROP_END
};
#undef RT

/* TASK_CTOR runs this before reading; the reader fills `subnets` as a nested struct. */
static struct asl_state *make_run_task(struct cfn_node *scope, const char *id,
                                       struct ecs_run_task_props *p, struct sfl_loc loc,
                                       struct diag *d)
{
  struct lua_run_task *lp = (struct lua_run_task *)p;
  p->subnets = lsfl_subnet_selection(&lp->subnets, &lp->selection);
  const struct lsfl_app *app = scope->app->root->model;
  p->fix_run_policy = cJSON_IsTrue(json_get(app->context, "@aws-cdk/aws-stepfunctions-tasks:"
                                                          "fixRunEcsTaskPolicy"));
  return task_ecs_run_task(scope, id, p, loc, d);
}

TASK_CTOR(run_task_new, struct lua_run_task, run_task_schema, "EcsRunTask",
          LSFL_ECS_RUN_TASK, make_run_task)

/* }============ */

void lsfl_register_ecs_task_types(lua_State *L)
{
  lsfl_new_state_type(L, LSFL_ECS_RUN_TASK, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_type(L, LSFL_ECS_LAUNCH_TARGET, NULL, NULL);
  lsfl_new_type(L, LSFL_CAPACITY_PROVIDER_OPTIONS, NULL, NULL);
}

void lsfl_add_ecs_tasks(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.EcsRunTask", run_task_new, NULL);
  lsfl_add_language_factories(L, run_task_new);
  lua_setfield(L, -2, "EcsRunTask");
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.EcsFargateLaunchTarget", fargate_target_new,
                 NULL);
  lua_setfield(L, -2, "EcsFargateLaunchTarget");
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.EcsEc2LaunchTarget", ec2_target_new, NULL);
  lua_setfield(L, -2, "EcsEc2LaunchTarget");
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.CapacityProviderOptions", NULL,
                 capacity_statics);
  lua_setfield(L, -2, "CapacityProviderOptions");
}
