/*
** mod_tasks_analytics.c: the Lua props of the analytics tasks: EmrTerminateCluster,
** GlueStartJobRun, AthenaStartQueryExecution, BatchSubmitJob and
** EmrContainersStartJobRun (rendering: src/constructs/tasks_emr.c, tasks_analytics.c).
*/
#include "lua/mod_tasks.h"
#include "constructs/tasks_analytics.h"

/* {============ EmrTerminateCluster */

struct lua_emr_terminate_cluster {
  struct emr_terminate_cluster_props p;
  cJSON *pattern;
  cJSON *query_language;
};

#define ET struct lua_emr_terminate_cluster
static const struct lsfl_prop emr_terminate_cluster_schema[] = {
  TASK_BASE_PROPS(ET),
  REQ("cluster_id", P_STR, ET, p.cluster_id),
  PROP_END
};
#undef ET

static void init_emr_terminate_cluster_new(struct lua_emr_terminate_cluster *p) { (void)p; }

TASK_CTOR(emr_terminate_cluster_new, struct lua_emr_terminate_cluster,
          emr_terminate_cluster_schema, "EmrTerminateCluster", LSFL_EMR_TERMINATE_CLUSTER,
          task_emr_terminate_cluster)

/* }============ */

static const struct {
  const char *name;
  lua_CFunction ctor;
  enum lsfl_type type;
} classes[] = {
  {"EmrTerminateCluster", emr_terminate_cluster_new, LSFL_EMR_TERMINATE_CLUSTER},
};

void lsfl_register_analytics_task_types(lua_State *L)
{
  for(size_t i = 0; i < sizeof classes / sizeof *classes; i++)
    lsfl_new_state_type(L, classes[i].type, asl_types[ASL_TASK].flags, NULL);
}

void lsfl_add_analytics_tasks(lua_State *L)
{
  for(size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
    lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_stepfunctions_tasks.%s", classes[i].name),
                   classes[i].ctor, NULL);
    lua_remove(L, -2);
    lsfl_add_language_factories(L, classes[i].ctor);
    lua_setfield(L, -2, classes[i].name);
  }
}
