/*
** mod_tasks_sfn.c: the Lua props of StepFunctionsStartExecution,
** StepFunctionsInvokeActivity and CallAwsService (rendering: src/constructs/tasks_sfn.c).
*/
#include "lua/mod_tasks.h"

/* {============ StepFunctionsStartExecution */

struct lua_start_execution {
  TASK_FIELDS(struct sfn_start_execution_props);
};

#define SE struct lua_start_execution
static const struct lsfl_prop start_execution_schema[] = {
  TASK_BASE_PROPS(SE),
  {"state_machine", P_USERDATA, offsetof(SE, p.machine), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(STATE_MACHINE) | LSFL_BIT(IMPORTED_MACHINE),
   "a sfn.StateMachine (or StateMachine.from_state_machine_arn(...))"},
  F("input", P_TASK_INPUT, SE, p.input),
  F("name", P_STR, SE, p.name),
  F("associate_with_parent", P_BOOL, SE, p.associate_with_parent),
  PROP_END
};
#undef SE

TASK_CTOR(start_execution_new, struct lua_start_execution, start_execution_schema,
          "StepFunctionsStartExecution", LSFL_SFN_START_EXECUTION, task_sfn_start_execution)

/* }============ */

/* {============ StepFunctionsInvokeActivity */

struct lua_invoke_activity {
  TASK_FIELDS(struct sfn_invoke_activity_props);
};

#define IA struct lua_invoke_activity
static const struct lsfl_prop invoke_activity_schema[] = {
  TASK_BASE_PROPS(IA),
  {"activity", P_USERDATA, offsetof(IA, p.activity), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(ACTIVITY), "a sfn.Activity"},
  F("parameters", P_OBJECT, IA, p.parameters),
  F("arguments", P_JSON, IA, p.arguments),
  PROP_END
};
#undef IA

TASK_CTOR(invoke_activity_new, struct lua_invoke_activity, invoke_activity_schema,
          "StepFunctionsInvokeActivity", LSFL_SFN_INVOKE_ACTIVITY, task_sfn_invoke_activity)

/* }============ */

/* {============ CallAwsService */

struct lua_call_aws_service {
  TASK_FIELDS(struct call_aws_service_props);
};

#define CA struct lua_call_aws_service
static const struct lsfl_prop call_aws_service_schema[] = {
  TASK_BASE_PROPS(CA),
  REQ("service", P_STRING, CA, p.service),
  REQ("action", P_STRING, CA, p.action),
  REQ("iam_resources", P_STR_LIST, CA, p.iam_resources),
  F("iam_action", P_STRING, CA, p.iam_action),
  F("parameters", P_OBJECT, CA, p.parameters),
  PROP_END
};
#undef CA

TASK_CTOR(call_aws_service_new, struct lua_call_aws_service, call_aws_service_schema,
          "CallAwsService", LSFL_CALL_AWS_SERVICE, task_call_aws_service)

/* }============ */

void lsfl_register_sfn_task_types(lua_State *L)
{
  lsfl_new_state_type(L, LSFL_SFN_START_EXECUTION, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_state_type(L, LSFL_SFN_INVOKE_ACTIVITY, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_state_type(L, LSFL_CALL_AWS_SERVICE, asl_types[ASL_TASK].flags, NULL);
}

void lsfl_add_task_classes(lua_State *L, const struct lsfl_task_class *classes, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_stepfunctions_tasks.%s", classes[i].name),
                   classes[i].ctor, NULL);
    lua_remove(L, -2);
    lsfl_add_language_factories(L, classes[i].ctor);
    lua_setfield(L, -2, classes[i].name);
  }
}

void lsfl_add_sfn_tasks(lua_State *L)
{
  static const struct lsfl_task_class classes[] = {
    {"StepFunctionsStartExecution", start_execution_new},
    {"StepFunctionsInvokeActivity", invoke_activity_new},
    {"CallAwsService", call_aws_service_new},
  };
  lsfl_add_task_classes(L, classes, sizeof classes / sizeof *classes);
}
