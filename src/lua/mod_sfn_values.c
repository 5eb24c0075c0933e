/*
** mod_sfn_values.c: the value helpers of `sfl.aws_stepfunctions`: Condition, TaskInput,
** JsonPath, Result, Errors. (States and state machines are in mod_stepfunctions.c.)
*/
#include "lua/lsfl.h"
#include "asl/condition.h"
#include "core/strbuf.h"

#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

static cJSON *own(lua_State *L, cJSON *j)
{
  if(!j || !arena_own_json(A(L), j))
    luaL_error(L, "not enough memory");
  return j;
}

/* {============ JsonPath */

/* fields.js validateJsonPath: a path starts with '$', or is an intrinsic function call. */
static const char *const intrinsics[] = {
  "Array", "ArrayPartition", "ArrayContains", "ArrayRange", "ArrayGetItem", "ArrayLength",
  "ArrayUnique", "Base64Encode", "Base64Decode", "Hash", "JsonMerge", "StringToJson",
  "JsonToString", "MathRandom", "MathAdd", "StringSplit", "UUID", "Format", NULL};

static int valid_json_path(const char *p)
{
  if(p[0] == '$')
    return 1;
  for(size_t i = 0; intrinsics[i]; i++)
    if(!strncmp(p, "States.", 7) && !strncmp(p + 7, intrinsics[i], strlen(intrinsics[i])))
      return 1;
  return 0;
}

int lsfl_push_json_path(lua_State *L, const char *path)
{
  if(!valid_json_path(path))
    return lsfl_error(L, "JSON path values must be exactly '$', '$$', start with '$', start "
                         "with '$$.', start with '$[', or start with an intrinsic function: "
                         "States.Array, States.ArrayPartition, States.ArrayContains, "
                         "States.ArrayRange, States.ArrayGetItem, States.ArrayLength, "
                         "States.ArrayUnique, States.Base64Encode, States.Base64Decode, "
                         "States.Hash, States.JsonMerge, States.StringToJson, "
                         "States.JsonToString, States.MathRandom, States.MathAdd, "
                         "States.StringSplit, States.UUID, or States.Format. Received: %s",
                      path);
  lsfl_push(L, LSFL_JSON_PATH, own(L, json_path_new(path)), NULL);
  return 1;
}

static int jsonpath_at(lua_State *L)
{
  return lsfl_push_json_path(L, luaL_checkstring(L, 1));
}

static int token_concat(lua_State *L)
{
  int tok = lsfl_token_path(L, 1) ? 1 : 2;
  return lsfl_error(L, "cannot join the JsonPath token '%s' with other text: a field takes a "
                       "path as a whole (use one path for the whole value)",
                    lsfl_token_path(L, tok));
}

static int token_tostring(lua_State *L)
{
  lua_pushfstring(L, "${Token[%s]}", lsfl_token_path(L, 1));
  return 1;
}

/* {============ intrinsic functions (JsonPath.format, ...) */

/* fields.js singleQuotestring: ' and \ escaped, except a backslash before { or }. */
static void add_quoted(luaL_Buffer *b, const char *s)
{
  luaL_addchar(b, '\'');
  for(const char *p = s; *p; p++) {
    if(*p == '\'')
      luaL_addstring(b, "\\'");
    else if(*p == '\\' && p[1] != '{' && p[1] != '}')
      luaL_addstring(b, "\\\\");
    else
      luaL_addchar(b, *p);
  }
  luaL_addchar(b, '\'');
}

/* renderInExpression: a path as it is, a number in base 10, a string single-quoted. */
static void add_argument(lua_State *L, luaL_Buffer *b, int idx, const char *fn)
{
  const char *path = lsfl_token_path(L, idx);
  if(path) {
    luaL_addstring(b, path);
    return;
  }
  if(lua_type(L, idx) == LUA_TNUMBER) {
    struct strbuf num = {0};
    json_write_number(&num, lua_tonumber(L, idx));
    if(num.failed)
      luaL_error(L, "not enough memory");
    luaL_addlstring(b, num.buf, num.len);
    strbuf_free(&num);
    return;
  }
  if(lua_type(L, idx) == LUA_TSTRING) {
    add_quoted(b, lua_tostring(L, idx));
    return;
  }
  lsfl_error(L, "JsonPath.%s: argument %d must be a string, a number or a JsonPath token, "
                "got %s", fn, idx, lsfl_typename(L, idx));
}

struct intrinsic {
  const char *lua;      /* JsonPath.<lua> */
  const char *name;     /* States.<name> */
  int min, max;         /* argument count; max -1: any number */
  const char *tail;     /* fixed text after the arguments */
};

static const struct intrinsic intrinsic_fns[] = {
  {"array", "Array", 0, -1, NULL},
  {"array_partition", "ArrayPartition", 2, 2, NULL},
  {"array_contains", "ArrayContains", 2, 2, NULL},
  {"array_range", "ArrayRange", 3, 3, NULL},
  {"array_get_item", "ArrayGetItem", 2, 2, NULL},
  {"array_length", "ArrayLength", 1, 1, NULL},
  {"array_unique", "ArrayUnique", 1, 1, NULL},
  {"base64_encode", "Base64Encode", 1, 1, NULL},
  {"base64_decode", "Base64Decode", 1, 1, NULL},
  {"hash", "Hash", 2, 2, NULL},
  {"json_merge", "JsonMerge", 2, 2, ", false"},
  {"math_random", "MathRandom", 2, 2, NULL},
  {"math_add", "MathAdd", 2, 2, NULL},
  {"string_split", "StringSplit", 2, 2, NULL},
  {"uuid", "UUID", 0, 0, NULL},
  {"format", "Format", 1, -1, NULL},
  {"string_to_json", "StringToJson", 1, 1, NULL},
  {NULL, NULL, 0, 0, NULL}
};

static int intrinsic_call(lua_State *L)
{
  const struct intrinsic *f = lua_touserdata(L, lua_upvalueindex(1));
  int n = lua_gettop(L);
  if(n < f->min || (f->max >= 0 && n > f->max)) {
    if(f->min == f->max)
      return lsfl_error(L, "JsonPath.%s takes %d argument%s, got %d", f->lua, f->min,
                        f->min == 1 ? "" : "s", n);
    return lsfl_error(L, "JsonPath.%s takes at least %d argument%s, got %d", f->lua, f->min,
                      f->min == 1 ? "" : "s", n);
  }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, "States.");
  luaL_addstring(&b, f->name);
  luaL_addchar(&b, '(');
  for(int i = 1; i <= n; i++) {
    if(i > 1)
      luaL_addstring(&b, ", ");
    add_argument(L, &b, i, f->lua);
  }
  if(f->tail)
    luaL_addstring(&b, f->tail);
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  lsfl_push(L, LSFL_JSON_PATH, own(L, json_path_new(lua_tostring(L, -1))), NULL);
  return 1;
}

/* JsonPath.json_to_string(token): only a path may be turned into a string. */
static int jsonpath_json_to_string(lua_State *L)
{
  const char *path = lsfl_token_path(L, 1);
  if(!path)
    return lsfl_error(L, "Argument to JsonPath.json_to_string() must be a JsonPath object");
  lua_pushfstring(L, "States.JsonToString(%s)", path);
  lsfl_push(L, LSFL_JSON_PATH, own(L, json_path_new(lua_tostring(L, -1))), NULL);
  return 1;
}

/* }============ */

static const luaL_Reg jsonpath_statics[] = {
  {"string_at", jsonpath_at}, {"list_at", jsonpath_at}, {"number_at", jsonpath_at},
  {"object_at", jsonpath_at}, {"json_to_string", jsonpath_json_to_string}, {NULL, NULL}
};

/* JsonPath's context fields (fields.js). */
static const struct { const char *name, *path; } context_paths[] = {
  {"entire_payload", "$"}, {"entire_context", "$$"}, {"task_token", "$$.Task.Token"},
  {"execution_id", "$$.Execution.Id"}, {"execution_input", "$$.Execution.Input"},
  {"execution_name", "$$.Execution.Name"}, {"execution_role_arn", "$$.Execution.RoleArn"},
  {"execution_start_time", "$$.Execution.StartTime"},
  {"state_entered_time", "$$.State.EnteredTime"}, {"state_name", "$$.State.Name"},
  {"state_retry_count", "$$.State.RetryCount"}, {"state_machine_id", "$$.StateMachine.Id"},
  {"state_machine_name", "$$.StateMachine.Name"},
};

static void push_jsonpath_class(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions.JsonPath", NULL, jsonpath_statics);
  for(size_t i = 0; i < sizeof context_paths / sizeof *context_paths; i++) {
    lsfl_push_json_path(L, context_paths[i].path);
    lua_setfield(L, -2, context_paths[i].name);
  }
  lsfl_push_null(L);
  lua_setfield(L, -2, "DISCARD");
  for(const struct intrinsic *f = intrinsic_fns; f->lua; f++) {
    lua_pushlightuserdata(L, (void *)f);
    lua_pushcclosure(L, intrinsic_call, 1);
    lua_setfield(L, -2, f->lua);
  }
}

/* }============ */

/* {============ TaskInput */

static int push_input(lua_State *L, cJSON *value)
{
  lsfl_push(L, LSFL_TASK_INPUT, value, NULL);
  return 1;
}

static int input_from_object(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  return push_input(L, lsfl_to_json(L, 1, "TaskInput.from_object"));
}

static int input_from_json_path_at(lua_State *L)
{
  lsfl_push_json_path(L, luaL_checkstring(L, 1));
  return push_input(L, lsfl_test(L, -1, LSFL_BIT(JSON_PATH), 0)->obj);
}

static int input_from_text(lua_State *L)
{
  return push_input(L, own(L, cJSON_CreateString(luaL_checkstring(L, 1))));
}

/* .value: the path as a token, the object as a table, the text as a string. */
static int input_get_value(lua_State *L, struct lsfl_box *self)
{
  const cJSON *v = self->obj;
  if(json_has(v, JSON_PATH))
    lsfl_push(L, LSFL_JSON_PATH, (void *)v, NULL);
  else
    lsfl_push_json(L, v);
  return 1;
}

static const luaL_Reg input_statics[] = {
  {"from_object", input_from_object}, {"from_json_path_at", input_from_json_path_at},
  {"from_text", input_from_text},
  /* CDK v1 spellings the seed article uses, with the meaning they had there. */
  {"from_data_at", input_from_json_path_at}, {"from_context_at", input_from_json_path_at},
  {NULL, NULL}
};
static const struct lsfl_getter input_getters[] = {{"value", input_get_value}, {NULL, NULL}};

/* }============ */

/* {============ Result (Pass) */

static int push_result(lua_State *L, cJSON *value)
{
  lsfl_push(L, LSFL_RESULT, value, NULL);
  return 1;
}

static int result_from_value(lua_State *L)
{
  luaL_checkany(L, 1);
  return push_result(L, lsfl_to_json(L, 1, "Result"));
}

static int result_from_string(lua_State *L)
{
  luaL_checkstring(L, 1);
  return push_result(L, own(L, cJSON_CreateString(lua_tostring(L, 1))));
}

static int result_from_number(lua_State *L)
{
  return push_result(L, own(L, cJSON_CreateNumber(luaL_checknumber(L, 1))));
}

static int result_from_boolean(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TBOOLEAN);
  return push_result(L, own(L, cJSON_CreateBool(lua_toboolean(L, 1))));
}

static int result_get_value(lua_State *L, struct lsfl_box *self)
{
  lsfl_push_json(L, self->obj);
  return 1;
}

static const luaL_Reg result_statics[] = {
  {"from_object", result_from_value}, {"from_array", result_from_value},
  {"from_string", result_from_string}, {"from_number", result_from_number},
  {"from_boolean", result_from_boolean}, {NULL, NULL}
};
static const struct lsfl_getter result_getters[] = {{"value", result_get_value}, {NULL, NULL}};

/* }============ */

/* {============ WaitTime */

static int push_wait(lua_State *L, const char *key, cJSON *value)
{
  cJSON *o = own(L, cJSON_CreateObject());
  if(!json_put(o, key, value))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_WAIT_TIME, o, NULL);
  return 1;
}

static int wait_duration(lua_State *L)
{
  struct lsfl_box *b = lsfl_check(L, 1, LSFL_BIT(DURATION), 0, "sfl.Duration");
  double ms = *(double *)b->obj;
  if(ms != 1000 * (double)(long long)(ms / 1000))
    return lsfl_error(L, "'%g millis' cannot be converted into a whole number of seconds", ms);
  return push_wait(L, "Seconds", cJSON_CreateNumber(ms / 1000));
}

static cJSON *number_or_token(lua_State *L, int idx)
{
  const char *path = lsfl_token_path(L, idx);
  return path ? json_path_new(path) : cJSON_CreateNumber(luaL_checknumber(L, idx));
}

static cJSON *string_or_token(lua_State *L, int idx)
{
  const char *path = lsfl_token_path(L, idx);
  return path ? json_path_new(path) : cJSON_CreateString(luaL_checkstring(L, idx));
}

static int wait_seconds(lua_State *L) { return push_wait(L, "Seconds", number_or_token(L, 1)); }
static int wait_timestamp(lua_State *L)
{
  return push_wait(L, "Timestamp", string_or_token(L, 1));
}
static int wait_seconds_path(lua_State *L)
{
  return push_wait(L, "SecondsPath", cJSON_CreateString(luaL_checkstring(L, 1)));
}
static int wait_timestamp_path(lua_State *L)
{
  return push_wait(L, "TimestampPath", cJSON_CreateString(luaL_checkstring(L, 1)));
}

/* sfn.Timeout: {"seconds": n} | {"path": p} | {"jsonata": expr} (task-base.js). */
static int push_timeout(lua_State *L, const char *key, cJSON *value)
{
  cJSON *o = own(L, cJSON_CreateObject());
  if(!json_put(o, key, value))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_TIMEOUT, o, NULL);
  return 1;
}

static int timeout_duration(lua_State *L)
{
  double ms = *(double *)lsfl_check(L, 1, LSFL_BIT(DURATION), 0, "sfl.Duration")->obj;
  if(ms != 1000 * (double)(long long)(ms / 1000))
    return lsfl_error(L, "'%g millis' cannot be converted into a whole number of seconds", ms);
  return push_timeout(L, "seconds", cJSON_CreateNumber(ms / 1000));
}

static int timeout_at(lua_State *L)
{
  const char *path = luaL_checkstring(L, 1);
  if(path[0] != '$')
    return lsfl_error(L, "Timeout.at: Expected JSON path to start with '$', got: %s", path);
  return push_timeout(L, "path", cJSON_CreateString(path));
}

static int timeout_jsonata(lua_State *L)
{
  return push_timeout(L, "jsonata", cJSON_CreateString(luaL_checkstring(L, 1)));
}

static const luaL_Reg timeout_statics[] = {
  {"duration", timeout_duration}, {"at", timeout_at}, {"jsonata", timeout_jsonata}, {NULL, NULL}
};

static const luaL_Reg wait_statics[] = {
  {"duration", wait_duration}, {"seconds", wait_seconds}, {"timestamp", wait_timestamp},
  {"seconds_path", wait_seconds_path}, {"timestamp_path", wait_timestamp_path}, {NULL, NULL}
};

/* }============ */

/* {============ Condition */

static int push_condition(lua_State *L, cJSON *c, const struct diag *d)
{
  if(!c)
    return lsfl_raise(L, d);
  lsfl_push(L, LSFL_CONDITION, own(L, c), NULL);
  return 1;
}

static int condition_compare(lua_State *L)
{
  const struct asl_cond_op *op = lua_touserdata(L, lua_upvalueindex(1));
  const char *variable = luaL_checkstring(L, 1);
  cJSON *value = NULL;
  switch(op->arg) {
  case COND_STRING:
  case COND_PATH:
    value = cJSON_CreateString(luaL_checkstring(L, 2));
    break;
  case COND_NUMBER:
    value = cJSON_CreateNumber(luaL_checknumber(L, 2));
    break;
  case COND_BOOL:
    luaL_checktype(L, 2, LUA_TBOOLEAN);
    value = cJSON_CreateBool(lua_toboolean(L, 2));
    break;
  case COND_TRUE:
  case COND_FALSE:
    break;
  }
  struct diag d = {0};
  cJSON *c = asl_condition(op, variable, value, lsfl_loc(L), &d);
  return push_condition(L, c, &d);
}

static cJSON *check_condition(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(CONDITION), 0, "sfl.aws_stepfunctions.Condition")->obj;
}

static int condition_compound(lua_State *L)
{
  const char *op = lua_tostring(L, lua_upvalueindex(1));
  int n = lua_gettop(L);
  for(int i = 1; i <= n; i++)
    check_condition(L, i);
  cJSON *list = cJSON_CreateArray();
  for(int i = 1; list && i <= n; i++)
    if(!json_push(list, json_dup(check_condition(L, i)))) {
      cJSON_Delete(list);
      list = NULL;
    }
  if(!list)
    return luaL_error(L, "not enough memory");
  struct diag d = {0};
  return push_condition(L, asl_condition_compound(op, list, lsfl_loc(L), &d), &d);
}

static int condition_not(lua_State *L)
{
  struct diag d = {0};
  cJSON *c = asl_condition_not(json_dup(check_condition(L, 1)));
  if(!c)
    diag_nomem(&d);
  return push_condition(L, c, &d);
}

/* Condition.jsonata("{% ... %}") */
static int condition_jsonata(lua_State *L)
{
  const char *expr = luaL_checkstring(L, 1);
  cJSON *c = cJSON_CreateObject();
  json_put_str(c, "Condition", expr);
  struct diag d = {0};
  if(!json_get(c, "Condition")) {
    cJSON_Delete(c);
    c = NULL;
    diag_nomem(&d);
  }
  return push_condition(L, c, &d);
}

/* ProvideItems.json_array({...}) / ProvideItems.jsonata("{% ... %}"): a Map's "Items". */
static int items_json_array(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lsfl_push(L, LSFL_PROVIDE_ITEMS, lsfl_to_json(L, 1, "ProvideItems.json_array"), NULL);
  return 1;
}

static int items_jsonata(lua_State *L)
{
  lsfl_push(L, LSFL_PROVIDE_ITEMS, own(L, cJSON_CreateString(luaL_checkstring(L, 1))), NULL);
  return 1;
}

static const luaL_Reg items_statics[] = {
  {"json_array", items_json_array}, {"jsonata", items_jsonata}, {NULL, NULL}
};

static void push_condition_class(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions.Condition", NULL, NULL);
  for(const struct asl_cond_op *op = asl_cond_ops; op->name; op++) {
    lua_pushlightuserdata(L, (void *)op);
    lua_pushcclosure(L, condition_compare, 1);
    lua_setfield(L, -2, op->name);
  }
  static const char *const compound[][2] = {{"and_", "And"}, {"and", "And"},
                                            {"or_", "Or"}, {"or", "Or"}};
  for(size_t i = 0; i < 4; i++) {
    lua_pushstring(L, compound[i][1]);
    lua_pushcclosure(L, condition_compound, 1);
    lua_setfield(L, -2, compound[i][0]);
  }
  lua_pushcfunction(L, condition_not);
  lua_setfield(L, -2, "not_");
  lua_pushcfunction(L, condition_not);
  lua_setfield(L, -2, "not");
  lua_pushcfunction(L, condition_jsonata);
  lua_setfield(L, -2, "jsonata");
}

/* }============ */

static const char *const error_members[] = {
  "ALL", "HEARTBEAT_TIMEOUT", "TIMEOUT", "TASKS_FAILED", "PERMISSIONS",
  "RESULT_PATH_MATCH_FAILURE", "PARAMETER_PATH_FAILURE", "BRANCH_FAILED", "NO_CHOICE_MATCHED",
  "INTRINSIC_FAILURE", "EXCEEDED_TOLERATED_FAILURE_THRESHOLD", "ITEM_READER_FAILED",
  "RESULT_WRITER_FAILED", NULL};
static const char *const error_values[] = {
  "States.ALL", "States.HeartbeatTimeout", "States.Timeout", "States.TaskFailed",
  "States.Permissions", "States.ResultPathMatchFailure", "States.ParameterPathFailure",
  "States.BranchFailed", "States.NoChoiceMatched", "States.IntrinsicFailure",
  "States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed",
  "States.ResultWriterFailed", NULL};

void lsfl_register_sfn_value_types(lua_State *L)
{
  static const luaL_Reg token_methods[] = {
    {"__concat", token_concat}, {"__tostring", token_tostring}, {NULL, NULL}};
  lsfl_new_type(L, LSFL_JSON_PATH, token_methods, NULL);
  lsfl_new_type(L, LSFL_TASK_INPUT, NULL, input_getters);
  lsfl_new_type(L, LSFL_RESULT, NULL, result_getters);
  lsfl_new_type(L, LSFL_CONDITION, NULL, NULL);
  lsfl_new_type(L, LSFL_WAIT_TIME, NULL, NULL);
  lsfl_new_type(L, LSFL_PROVIDE_ITEMS, NULL, NULL);
  lsfl_new_type(L, LSFL_TIMEOUT, NULL, NULL);
}

/* Adds Condition, TaskInput, JsonPath, Result, Errors to the module table at the top. */
void lsfl_add_sfn_values(lua_State *L)
{
  push_condition_class(L);
  lua_setfield(L, -2, "Condition");
  lsfl_new_class(L, "sfl.aws_stepfunctions.TaskInput", NULL, input_statics);
  lua_setfield(L, -2, "TaskInput");
  push_jsonpath_class(L);
  lua_setfield(L, -2, "JsonPath");
  lsfl_new_class(L, "sfl.aws_stepfunctions.Result", NULL, result_statics);
  lua_setfield(L, -2, "Result");
  lsfl_new_class(L, "sfl.aws_stepfunctions.ProvideItems", NULL, items_statics);
  lua_setfield(L, -2, "ProvideItems");
  lsfl_new_class(L, "sfl.aws_stepfunctions.Timeout", NULL, timeout_statics);
  lua_setfield(L, -2, "Timeout");
  lsfl_new_class(L, "sfl.aws_stepfunctions.WaitTime", NULL, wait_statics);
  lua_setfield(L, -2, "WaitTime");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.Errors", error_members, error_values);
  lua_setfield(L, -2, "Errors");
}
