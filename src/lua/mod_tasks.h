/*
** mod_tasks.h: what the Lua bindings of sfl.aws_stepfunctions_tasks share: the prop
** schema macros, TaskStateBaseProps, and TASK_CTOR, which makes a task's constructor
** from its schema and its C maker (src/constructs/tasks*.c).
*/
#ifndef SFL_LUA_MOD_TASKS_H
#define SFL_LUA_MOD_TASKS_H

#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/tasks.h"

#include <string.h>

#define F(name, type, T, field) {name, type, offsetof(T, field), 0, NULL, NULL, NULL, 0, NULL}
#define REQ(name, type, T, field) \
  {name, type, offsetof(T, field), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL}
/* A member of a struct rendered as JSON: Lua name -> output key. */
#define M(name, type, key) {name, type, 0, 0, key, NULL, NULL, 0, NULL}
#define MREQ(name, type, key) {name, type, 0, PROP_REQUIRED, key, NULL, NULL, 0, NULL}
#define MSUB(name, type, key, sub) {name, type, 0, 0, key, sub, NULL, 0, NULL}
/* A field read as one of `values` (P_ENUM), or as a struct with schema `sub` (P_STRUCT). */
#define E(name, T, field, values) \
  {name, P_ENUM, offsetof(T, field), 0, NULL, NULL, values, 0, NULL}
#define SUB(name, T, field, flags, sub) \
  {name, P_STRUCT, offsetof(T, field), flags, NULL, sub, NULL, 0, NULL}

/* The members every task's Lua props struct starts with: the C task props `p`, and the two
** enums TASK_BASE_PROPS reads for lsfl_task_base_finish. */
#define TASK_FIELDS(props_type) \
  props_type p; \
  cJSON *pattern; \
  cJSON *query_language

/* The values of integration_pattern and query_language. */
extern const char *const lsfl_task_patterns[];
extern const char *const lsfl_task_query_languages[];

/* Sets b->pattern and b->ql from what the props reader read for those two props. */
void lsfl_task_base_finish(struct task_base *b, const cJSON *pattern,
                           const cJSON *query_language);

/* The props every task takes (TaskStateBaseProps), for a Lua props struct T whose
** task props are in member `p` and whose integration pattern is read into `pattern`. */
#define TASK_BASE_PROPS(T) \
  F("assign", P_OBJECT, T, p.base.assign), \
  F("comment", P_STR, T, p.base.comment), \
  F("outputs", P_JSON, T, p.base.outputs), \
  E("query_language", T, query_language, lsfl_task_query_languages), \
  F("heartbeat", P_DURATION, T, p.base.heartbeat), \
  {"heartbeat_timeout", P_USERDATA, offsetof(T, p.base.heartbeat_timeout), 0, NULL, NULL, \
   NULL, LSFL_BIT(TIMEOUT), "a sfn.Timeout (Timeout.duration(...), Timeout.at(path))"}, \
  F("input_path", P_PATH, T, p.base.input_path), \
  E("integration_pattern", T, pattern, lsfl_task_patterns), \
  F("output_path", P_PATH, T, p.base.output_path), \
  F("result_path", P_PATH, T, p.base.result_path), \
  F("result_selector", P_OBJECT, T, p.base.result_selector), \
  F("state_name", P_STRING, T, p.base.state_name), \
  F("timeout", P_DURATION, T, p.base.timeout), \
  {"task_timeout", P_USERDATA, offsetof(T, p.base.task_timeout), 0, NULL, NULL, NULL, \
   LSFL_BIT(TIMEOUT), "a sfn.Timeout (Timeout.duration(...), Timeout.at(path))"}


/* Reads props, makes the task with `make`, pushes its box. `init(&props)` runs before the
** props are read, for defaults that are not zero; `finish(L, &props)` runs between reading
** and making, for values the binding converts itself (a cdk.Size into MiB). */
#define TASK_CTOR_EX(fn, T, schema, cls, lt, make, init, finish) \
  static int fn(lua_State *L) \
  { \
    lua_settop(L, 3); \
    struct cfn_node *scope = lsfl_check_scope(L, 1); \
    const char *id = lsfl_check_id(L, 2); \
    T props; \
    memset(&props, 0, sizeof props); \
    init(&props); \
    lsfl_read_props(L, 3, schema, &props, lua_pushfstring(L, cls " '%s'", id)); \
    lsfl_task_base_finish(&props.p.base, props.pattern, props.query_language); \
    finish(L, &props); \
    struct diag d = {0}; \
    struct asl_state *s = make(scope, id, &props.p, lsfl_loc(L), &d); \
    if(!s) \
      return lsfl_raise(L, &d); \
    s->tag = lt; \
    lsfl_push_state(L, s); \
    return 1; \
  }

#define TASK_NO_INIT(props) ((void)(props))
#define TASK_NO_FINISH(L, props) ((void)(L), (void)(props))
#define TASK_CTOR(fn, T, schema, cls, lt, make) \
  TASK_CTOR_EX(fn, T, schema, cls, lt, make, TASK_NO_INIT, TASK_NO_FINISH)

/* ec2.SubnetSelection as tasks read it (a P_NESTED prop with lsfl_subnets_schema). */
struct ec2_subnet_selection;
struct lsfl_subnets {
  cJSON *subnet_type;
  const char *subnet_group_name;
  int given;   /* the table was given, even empty: {} selects CDK's default subnets */
};
extern const struct lsfl_prop lsfl_subnets_schema[];
/* The selection read, filled into `out`; NULL when no table was given. */
const struct ec2_subnet_selection *lsfl_subnet_selection(const struct lsfl_subnets *in,
                                                         struct ec2_subnet_selection *out);

/* Enums of the tasks module: adds sfl.aws_stepfunctions_tasks.<name> for each to the
** module table at the top. */
struct lsfl_task_enum {
  const char *name;
  const char *const *members, *const *values;
};
void lsfl_add_task_enums(lua_State *L, const struct lsfl_task_enum *enums, size_t n);

/* Struct classes (EmrCreateCluster.InstancesConfigProperty(...)) hand back their table. */
int lsfl_struct_identity(lua_State *L);

/* Task classes added to the module table at the top (with their jsonata/json_path). */
struct lsfl_task_class {
  const char *name;
  lua_CFunction ctor;
};
void lsfl_add_task_classes(lua_State *L, const struct lsfl_task_class *classes, size_t n);

/* Adds the Step Functions and SDK tasks to the module table at the top of the stack. */
void lsfl_add_sfn_tasks(lua_State *L);
void lsfl_register_sfn_task_types(lua_State *L);
/* The same for the DynamoDB tasks and their values (mod_tasks_dynamo.c). */
void lsfl_add_dynamo_tasks(lua_State *L);
void lsfl_register_dynamo_task_types(lua_State *L);
/* The same for EcsRunTask and its launch targets (mod_tasks_ecs.c). */
void lsfl_add_ecs_tasks(lua_State *L);
void lsfl_register_ecs_task_types(lua_State *L);
/* The items of every JSON-array box in `v` (placement strategies, constraints) in one
** list, as CDK's flatten; NULL when there are none (mod_ecs.c). */
cJSON *lsfl_flatten_boxes(lua_State *L, const struct vec *v);
/* The same for the Bedrock, HTTP and SageMaker tasks (mod_tasks_ml.c). */
void lsfl_add_ml_tasks(lua_State *L);
void lsfl_register_ml_task_types(lua_State *L);
/* SageMakerCreateTrainingJob and its values (mod_tasks_sagemaker.c). */
void lsfl_add_sagemaker_tasks(lua_State *L);
void lsfl_register_sagemaker_task_types(lua_State *L);
/* The same for the analytics tasks (EMR, EMR on EKS, Glue, Athena, Batch). */
void lsfl_add_analytics_tasks(lua_State *L);
void lsfl_register_analytics_task_types(lua_State *L);
/* The same for SnsPublish, SqsSendMessage, EventBridgePutEvents (mod_tasks_messaging.c). */
void lsfl_add_messaging_tasks(lua_State *L);
void lsfl_register_messaging_task_types(lua_State *L);

#endif
