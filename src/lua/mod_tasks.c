/*
** mod_tasks.c: `sfl.aws_stepfunctions_tasks`: LambdaInvoke, EmrCreateCluster, EmrAddStep.
** The props schemas here are the whole of each task's Lua surface; rendering lives in
** src/constructs/tasks*.c.
*/
#include "lua/mod_tasks.h"
#include "constructs/ec2.h"

#include <string.h>

const char *const lsfl_task_patterns[] = {"REQUEST_RESPONSE", "RUN_JOB",
                                          "WAIT_FOR_TASK_TOKEN", NULL};
const char *const lsfl_task_query_languages[] = {"JSONPath", "JSONata", NULL};

void lsfl_task_base_finish(struct task_base *b, const cJSON *pattern,
                           const cJSON *query_language)
{
  b->pattern = PATTERN_DEFAULT;
  for(int i = PATTERN_REQUEST_RESPONSE; pattern && i <= PATTERN_WAIT_FOR_TASK_TOKEN; i++)
    if(!strcmp(pattern->valuestring, task_pattern_names[i]))
      b->pattern = (enum task_pattern)i;
  b->ql = !query_language ? ASL_QL_UNSET
    : !strcmp(query_language->valuestring, "JSONata") ? ASL_QL_JSONATA : ASL_QL_JSONPATH;
}

/* {============ LambdaInvoke */

struct lua_lambda_invoke {
  TASK_FIELDS(struct lambda_invoke_props);
};

static const char *const invocation_types[] = {"RequestResponse", "Event", "DryRun", NULL};

static const struct lsfl_prop lambda_invoke_schema[] = {
  TASK_BASE_PROPS(struct lua_lambda_invoke),
  {"lambda_function", P_USERDATA, offsetof(struct lua_lambda_invoke, p.function),
   PROP_REQUIRED, NULL, NULL, NULL, LSFL_BIT(FUNCTION) | LSFL_BIT(LAMBDA_VERSION)
   | LSFL_BIT(LAMBDA_ALIAS) | LSFL_BIT(IMPORTED_FUNCTION),
   "an aws_lambda.IFunction (a Function, Version, Alias or Function.from_function_arn(...))"},
  F("payload", P_TASK_INPUT, struct lua_lambda_invoke, p.payload),
  F("payload_response_only", P_BOOL, struct lua_lambda_invoke, p.payload_response_only),
  F("retry_on_service_exceptions", P_BOOL, struct lua_lambda_invoke,
    p.retry_on_service_exceptions),
  E("invocation_type", struct lua_lambda_invoke, p.invocation_type, invocation_types),
  F("client_context", P_STR, struct lua_lambda_invoke, p.client_context),
  F("qualifier", P_STR, struct lua_lambda_invoke, p.qualifier),
  PROP_END
};

static void init_lambda_invoke_new(struct lua_lambda_invoke *p)
{
  p->p.retry_on_service_exceptions = 1;
}

TASK_CTOR_EX(lambda_invoke_new, struct lua_lambda_invoke, lambda_invoke_schema, "LambdaInvoke",
             LSFL_LAMBDA_INVOKE, task_lambda_invoke, init_lambda_invoke_new, TASK_NO_FINISH)

/* }============ */

/* {============ EmrCreateCluster */

struct lua_emr_create_cluster {
  TASK_FIELDS(struct emr_create_cluster_props);
};

/* Member order = the key order of cluster-utils.js's *PropertyToJson functions. */
static const struct lsfl_prop emr_instances_schema[] = {
  M("additional_master_security_groups", P_STR_LIST, "AdditionalMasterSecurityGroups"),
  M("additional_slave_security_groups", P_STR_LIST, "AdditionalSlaveSecurityGroups"),
  M("ec2_key_name", P_STR, "Ec2KeyName"),
  M("ec2_subnet_id", P_STR, "Ec2SubnetId"),
  M("ec2_subnet_ids", P_STR_LIST, "Ec2SubnetIds"),
  M("emr_managed_master_security_group", P_STR, "EmrManagedMasterSecurityGroup"),
  M("emr_managed_slave_security_group", P_STR, "EmrManagedSlaveSecurityGroup"),
  M("hadoop_version", P_STR, "HadoopVersion"),
  M("instance_count", P_INT, "InstanceCount"),
  M("keep_job_flow_alive_when_no_steps", P_IGNORED_TRUE, "KeepJobFlowAliveWhenNoSteps"),
  M("master_instance_type", P_STR, "MasterInstanceType"),
  M("service_access_security_group", P_STR, "ServiceAccessSecurityGroup"),
  M("slave_instance_type", P_STR, "SlaveInstanceType"),
  M("termination_protected", P_BOOLEAN, "TerminationProtected"),
  PROP_END
};

static const struct lsfl_prop emr_application_schema[] = {
  MREQ("name", P_STR, "Name"),
  M("args", P_STR_LIST, "Args"),
  M("version", P_STR, "Version"),
  M("additional_info", P_STR_MAP, "AdditionalInfo"),
  PROP_END
};

static const struct lsfl_prop emr_configuration_schema[];
static const struct lsfl_prop emr_configuration_schema[] = {
  M("classification", P_STR, "Classification"),
  M("properties", P_STR_MAP, "Properties"),
  MSUB("configurations", P_STRUCT_LIST, "Configurations", emr_configuration_schema),
  PROP_END
};

static const struct lsfl_prop emr_script_action_schema[] = {
  MREQ("path", P_STR, "Path"),
  M("args", P_STR_LIST, "Args"),
  PROP_END
};

static const struct lsfl_prop emr_bootstrap_schema[] = {
  MREQ("name", P_STR, "Name"),
  {"script_bootstrap_action", P_STRUCT, 0, PROP_REQUIRED, "ScriptBootstrapAction",
   emr_script_action_schema, NULL, 0, NULL},
  PROP_END
};

static const char *const scale_down[] = {"TERMINATE_AT_INSTANCE_HOUR",
                                         "TERMINATE_AT_TASK_COMPLETION", NULL};

#define EC struct lua_emr_create_cluster
static const struct lsfl_prop emr_create_cluster_schema[] = {
  TASK_BASE_PROPS(EC),
  SUB("instances", EC, p.instances, PROP_REQUIRED, emr_instances_schema),
  REQ("name", P_STR, EC, p.name),
  F("additional_info", P_STR, EC, p.additional_info),
  {"applications", P_STRUCT_LIST, offsetof(EC, p.applications), 0, NULL,
   emr_application_schema, NULL, 0, NULL},
  {"bootstrap_actions", P_STRUCT_LIST, offsetof(EC, p.bootstrap_actions), 0, NULL,
   emr_bootstrap_schema, NULL, 0, NULL},
  {"configurations", P_STRUCT_LIST, offsetof(EC, p.configurations), 0, NULL,
   emr_configuration_schema, NULL, 0, NULL},
  F("custom_ami_id", P_STR, EC, p.custom_ami_id),
  F("log_uri", P_STR, EC, p.log_uri),
  F("release_label", P_STR, EC, p.release_label),
  E("scale_down_behavior", EC, p.scale_down_behavior, scale_down),
  F("security_configuration", P_STR, EC, p.security_configuration),
  F("step_concurrency_level", P_INT, EC, p.step_concurrency_level),
  F("tags", P_STR_MAP, EC, p.tags),
  F("visible_to_all_users", P_BOOLEAN, EC, p.visible_to_all_users),
  PROP_END
};
#undef EC

TASK_CTOR(emr_create_cluster_new, struct lua_emr_create_cluster, emr_create_cluster_schema,
          "EmrCreateCluster", LSFL_EMR_CREATE_CLUSTER, task_emr_create_cluster)

/* }============ */

/* {============ EmrAddStep */

struct lua_emr_add_step {
  TASK_FIELDS(struct emr_add_step_props);
};

static const char *const action_on_failure[] = {"TERMINATE_JOB_FLOW", "TERMINATE_CLUSTER",
                                                "CANCEL_AND_WAIT", "CONTINUE", NULL};

#define EA struct lua_emr_add_step
static const struct lsfl_prop emr_add_step_schema[] = {
  TASK_BASE_PROPS(EA),
  REQ("cluster_id", P_STR, EA, p.cluster_id),
  REQ("name", P_STR, EA, p.name),
  REQ("jar", P_STR, EA, p.jar),
  F("main_class", P_STR, EA, p.main_class),
  F("args", P_STR_LIST, EA, p.args),
  F("properties", P_STR_MAP, EA, p.properties),
  E("action_on_failure", EA, p.action_on_failure, action_on_failure),
  F("execution_role_arn", P_STR, EA, p.execution_role_arn),
  PROP_END
};
#undef EA

TASK_CTOR(emr_add_step_new, struct lua_emr_add_step, emr_add_step_schema, "EmrAddStep",
          LSFL_EMR_ADD_STEP, task_emr_add_step)

/* }============ */

const struct lsfl_prop lsfl_subnets_schema[] = {
  {"subnet_type", P_ENUM, offsetof(struct lsfl_subnets, subnet_type), 0, NULL, NULL,
   ec2_subnet_type_values, 0, NULL},
  F("subnet_group_name", P_STRING, struct lsfl_subnets, subnet_group_name),
  PROP_END_GIVEN(struct lsfl_subnets, given)
};

const struct ec2_subnet_selection *lsfl_subnet_selection(const struct lsfl_subnets *in,
                                                         struct ec2_subnet_selection *out)
{
  if(!in->given)
    return NULL;
  out->subnet_type = in->subnet_type ? in->subnet_type->valuestring : NULL;
  out->subnet_group_name = in->subnet_group_name;
  return out;
}

void lsfl_add_task_enums(lua_State *L, const struct lsfl_task_enum *enums, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    lsfl_new_enum(L, lua_pushfstring(L, "sfl.aws_stepfunctions_tasks.%s", enums[i].name),
                  enums[i].members, enums[i].values);
    lua_remove(L, -2);
    lua_setfield(L, -2, enums[i].name);
  }
}

int lsfl_struct_identity(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  return 1;
}

static const char *const emr_structs[] = {
  "InstancesConfigProperty", "ApplicationConfigProperty", "ConfigurationProperty",
  "BootstrapActionConfigProperty", "ScriptBootstrapActionConfigProperty", NULL};

void lsfl_register_task_types(lua_State *L)
{
  lsfl_new_state_type(L, LSFL_LAMBDA_INVOKE, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_state_type(L, LSFL_EMR_CREATE_CLUSTER, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_state_type(L, LSFL_EMR_ADD_STEP, asl_types[ASL_TASK].flags, NULL);
  lsfl_register_sfn_task_types(L);
  lsfl_register_dynamo_task_types(L);
  lsfl_register_ecs_task_types(L);
  lsfl_register_ml_task_types(L);
  lsfl_register_analytics_task_types(L);
  lsfl_register_messaging_task_types(L);
}

/* EmrCreateCluster (and its structs and enum), EmrAddStep, ActionOnFailure. */
static void add_emr_tasks(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.EmrCreateCluster", emr_create_cluster_new,
                 NULL);
  lsfl_add_language_factories(L, emr_create_cluster_new);
  for(size_t i = 0; emr_structs[i]; i++) {
    lua_pushcfunction(L, lsfl_struct_identity);
    lua_setfield(L, -2, emr_structs[i]);
  }
  lsfl_new_enum(L, "sfl.aws_stepfunctions_tasks.EmrCreateCluster.EmrClusterScaleDownBehavior",
                scale_down, scale_down);
  lua_setfield(L, -2, "EmrClusterScaleDownBehavior");
  lua_setfield(L, -2, "EmrCreateCluster");
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.EmrAddStep", emr_add_step_new, NULL);
  lsfl_add_language_factories(L, emr_add_step_new);
  lua_setfield(L, -2, "EmrAddStep");
  lsfl_new_enum(L, "sfl.aws_stepfunctions_tasks.ActionOnFailure", action_on_failure,
                action_on_failure);
  lua_setfield(L, -2, "ActionOnFailure");
}

/* LambdaInvoke now; the other services' tasks when the app first names one. */
int lsfl_open_tasks(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.LambdaInvoke", lambda_invoke_new, NULL);
  lsfl_add_language_factories(L, lambda_invoke_new);
  lua_setfield(L, -2, "LambdaInvoke");
  static const char *const inv_members[] = {"REQUEST_RESPONSE", "EVENT", "DRY_RUN", NULL};
  lsfl_new_enum(L, "sfl.aws_stepfunctions_tasks.LambdaInvocationType", inv_members,
                invocation_types);
  lua_setfield(L, -2, "LambdaInvocationType");
  static const lsfl_adder groups[] = {
    add_emr_tasks, lsfl_add_sfn_tasks, lsfl_add_dynamo_tasks, lsfl_add_ecs_tasks,
    lsfl_add_ml_tasks, lsfl_add_analytics_tasks, lsfl_add_messaging_tasks, NULL
  };
  lsfl_make_lazy(L, "sfl.aws_stepfunctions_tasks", groups);
  return 1;
}
