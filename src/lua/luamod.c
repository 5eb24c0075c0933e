/*
** luamod.c: sfl.so, so a stock lua5.4 (and busted) can `require "sfl"`. Each module has
** its own luaopen_ entry, since Lua's C searcher looks for luaopen_sfl_aws_lambda in
** sfl.so when `require "sfl.aws_lambda"` comes first.
*/
#include "lua/lsfl.h"

#define SFL_MODULE_API __attribute__((visibility("default")))

/* Sets sfl up in this Lua state once (the context lives in its registry). */
static void ensure_open(lua_State *L)
{
  int ready = 0;
  if(lua_getfield(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE) == LUA_TTABLE) {
    ready = lua_getfield(L, -1, "sfl.aws_stepfunctions") != LUA_TNIL;
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  if(!ready)
    lsfl_open(L);
}

#define OPENER(name, fn) \
  SFL_MODULE_API int luaopen_##name(lua_State *L) \
  { \
    ensure_open(L); \
    return fn(L); \
  }

OPENER(sfl, lsfl_open_core)
OPENER(sfl_core, lsfl_open_core)
OPENER(sfl_constructs, lsfl_open_constructs)
OPENER(sfl_aws_lambda, lsfl_open_lambda)
OPENER(sfl_aws_stepfunctions, lsfl_open_stepfunctions)
OPENER(sfl_aws_stepfunctions_tasks, lsfl_open_tasks)
OPENER(sfl_aws_logs, lsfl_open_logs)
OPENER(sfl_aws_dynamodb, lsfl_open_dynamodb)
OPENER(sfl_aws_ec2, lsfl_open_ec2)
OPENER(sfl_aws_ecs, lsfl_open_ecs)
OPENER(sfl_aws_bedrock, lsfl_open_bedrock)
OPENER(sfl_aws_kms, lsfl_open_kms)
OPENER(sfl_aws_iam, lsfl_open_iam)
OPENER(sfl_aws_s3, lsfl_open_s3)
OPENER(sfl_aws_sns, lsfl_open_sns)
OPENER(sfl_aws_events, lsfl_open_events)
OPENER(sfl_aws_sqs, lsfl_open_sqs)
OPENER(sfl_testing, lsfl_open_testing)
OPENER(sfl_introspect, lsfl_open_introspect)
