/*
** mod_testing.c: `sfl.testing`, for unit tests of workflows in busted:
**
**   local r = testing.run(sm, { name = "x" }, { mocks = {
**     ["[Lambda] hello"] = function(payload, input) return { Payload = "hi" } end,
**     ["[Lambda] world"] = { Throw = { Error = "Lambda.ServiceException", Cause = "busy" } },
**   } })
**   -- r.succeeded, r.output (or r.error, r.cause), r.events (history events, in order)
**
** A mock is a function (called with the task's Payload, or its whole input when it has
** none, then the whole input; it returns the task's result, or raises
** error({ Error = ..., Cause = ... }) to make the task fail), a {Return = v} or
** {Throw = {...}} table, or a list of those, one per call, the last one repeating.
*/
#include "lua/lsfl.h"
#include "constructs/sfn.h"
#include "cfn/token.h"
#include "run/run.h"

#include <stdlib.h>
#include <string.h>

struct testing_run {
  lua_State *L;
  int mocks;        /* stack index of the mocks table */
  int events;       /* stack index of the events list */
  cJSON *counts;    /* calls per state, for lists of answers */
  int raised;       /* a mock function raised a plain Lua error: re-raised after the run */
};

/* One call of a mock, worked out under lua_pcall so no Lua error crosses the interpreter. */
struct mock_call {
  struct testing_run *t;
  const char *state;
  const cJSON *input;
  const cJSON *result;     /* arena-owned: the run gets a copy */
  int missing;             /* no mock for the state */
};

/* A {Return = v} / {Throw = {Error, Cause}} table at idx: the result, or pushes
** error and cause strings (raw reads: no metamethods run). Returns values pushed. */
static int answer_table(lua_State *L, struct mock_call *c, int idx)
{
  lua_pushliteral(L, "Throw");
  if(lua_rawget(L, idx) == LUA_TTABLE) {
    int thr = lua_gettop(L);
    lua_pushliteral(L, "Error");
    lua_rawget(L, thr);
    if(!lua_isstring(L, -1)) {
      lua_pop(L, 1);
      lua_pushliteral(L, "States.TaskFailed");
    }
    lua_pushliteral(L, "Cause");
    lua_rawget(L, thr);
    return 2;
  }
  lua_pop(L, 1);
  lua_pushliteral(L, "Return");
  lua_rawget(L, idx);
  c->result = lsfl_to_json(L, -1, c->state);
  return 0;
}

/* mock_body(call, mocks): runs in its own frame, so the mocks table comes as argument 2. */
static int mock_body(lua_State *L)
{
  struct mock_call *c = lua_touserdata(L, 1);
  struct testing_run *t = c->t;
  lua_pushstring(L, c->state);
  lua_rawget(L, 2);
  int idx = lua_gettop(L);
  if(lua_isnil(L, idx)) {
    c->missing = 1;
    return 0;
  }
  if(lua_isfunction(L, idx)) {
    const cJSON *payload = json_get(c->input, "Payload");
    lsfl_push_json(L, payload ? payload : c->input);
    lsfl_push_json(L, c->input);
    lua_call(L, 2, 1);
    c->result = lsfl_to_json(L, -1, c->state);
    return 0;
  }
  if(!lua_istable(L, idx))
    return lsfl_error(L, "mocks[\"%s\"] must be a function, a {Return = ...} or "
                         "{Throw = {...}} table, or a list of those", c->state);
  if(lua_rawlen(L, idx) > 0) {   /* a list: one answer per call, the last one repeating */
    cJSON *n = json_get(t->counts, c->state);
    int call = n ? n->valueint : 0;
    if(!n)
      n = json_put(t->counts, c->state, cJSON_CreateNumber(0));
    if(n)
      cJSON_SetNumberValue(n, call + 1);
    int len = (int)lua_rawlen(L, idx);
    lua_rawgeti(L, idx, call < len ? call + 1 : len);
    idx = lua_gettop(L);
  }
  return answer_table(L, c, idx);
}

static char *dup_string(lua_State *L, int idx)
{
  return lua_isstring(L, idx) ? strdup(lua_tostring(L, idx)) : NULL;
}

static enum sfl_status call_mock(void *ud, const char *state, const cJSON *resource,
                                 const cJSON *input, cJSON **result, char **error,
                                 char **cause)
{
  struct testing_run *t = ud;
  lua_State *L = t->L;
  int top = lua_gettop(L);
  struct mock_call c = {t, state, input, NULL, 0};
  lua_pushcfunction(L, mock_body);
  lua_pushlightuserdata(L, &c);
  lua_pushvalue(L, t->mocks);
  int status = lua_pcall(L, 2, 2, 0);
  if(status == LUA_OK && c.missing) {
    char msg[300];
    snprintf(msg, sizeof msg, "task state '%s' has no mock: add mocks[\"%s\"]", state, state);
    *cause = strdup(msg);
    lua_settop(L, top);
    return SFL_ERR_INVALID;
  }
  if(status == LUA_OK) {
    if(lua_isstring(L, top + 1)) {        /* {Throw = ...} */
      *error = dup_string(L, top + 1);
      *cause = dup_string(L, top + 2);
    }
    else
      *result = json_dup(c.result);
    lua_settop(L, top);
    return SFL_OK;
  }
  if(lua_istable(L, -1)) {                /* error({ Error = ..., Cause = ... }) */
    int e = lua_gettop(L);
    lua_pushliteral(L, "Error");
    lua_rawget(L, e);
    lua_pushliteral(L, "Cause");
    lua_rawget(L, e);
    if(lua_type(L, -2) == LUA_TSTRING) {
      *error = dup_string(L, -2);
      *cause = dup_string(L, -1);
      lua_settop(L, top);
      return SFL_OK;
    }
    lua_settop(L, e);   /* any other table is a bug in the test, raised as it is */
  }
  /* A bug in the test: keep the error and stop the run; it is raised afterwards. */
  lua_rawsetp(L, LUA_REGISTRYINDEX, &t->raised);
  lua_settop(L, top);
  t->raised = 1;
  *cause = strdup("a mock raised an error");
  return SFL_ERR_INVALID;
}

static void keep_event(void *ud, const cJSON *event)
{
  struct testing_run *t = ud;
  lsfl_push_json(t->L, event);
  lua_rawseti(t->L, t->events, (lua_Integer)lua_rawlen(t->L, t->events) + 1);
}

/* testing.run(sm, input, { mocks = {...}, context = {...}, max_transitions = n }) */
static int testing_run(lua_State *L)
{
  lua_settop(L, 3);
  struct sfn_machine *m = lsfl_check(L, 1, LSFL_BIT(STATE_MACHINE), 0,
                                     "sfl.aws_stepfunctions.StateMachine")->obj;
  cJSON *input = lua_isnil(L, 2) ? NULL : lsfl_to_json(L, 2, "testing.run input");
  if(!lua_isnil(L, 3))
    luaL_checktype(L, 3, LUA_TTABLE);
  lua_getfield(L, 3, "mocks");               /* 4 */
  if(lua_isnil(L, 4)) {
    lua_pop(L, 1);
    lua_newtable(L);
  }
  lua_getfield(L, 3, "context");             /* 5 */
  cJSON *context = lua_isnil(L, 5) ? NULL : lsfl_to_json(L, 5, "testing.run context");
  lua_getfield(L, 3, "max_transitions");     /* 6 */
  long max = (long)luaL_optinteger(L, 6, 0);
  lua_newtable(L);                           /* 7: events */
  struct diag d = {0};
  if(sfn_machine_validate(m, &d))
    return lsfl_raise(L, &d);
  cJSON *doc = sfn_machine_document(m);
  cJSON *plain = doc ? cfn_placeholders(doc) : NULL;
  cJSON_Delete(doc);
  if(!plain || !arena_own_json(lsfl_ctx(L)->arena, plain))
    return lsfl_error(L, "the state machine's definition is not valid JSON");
  struct testing_run t = {L, 4, 7, cJSON_CreateObject(), 0};
  struct run_options opt = {max, 0, context, 0, 0};
  struct run_result out = {0};
  enum sfl_status st = run_execute(plain, input, &opt, call_mock, &t, keep_event, &t, &out, &d);
  cJSON_Delete(t.counts);
  if(t.raised) {
    run_result_free(&out);
    if(lua_rawgetp(L, LUA_REGISTRYINDEX, &t.raised) == LUA_TNIL)
      return lsfl_error(L, "testing.run: a mock raised nil (error() with no message)");
    return lua_error(L);
  }
  if(st) {
    run_result_free(&out);
    return lsfl_error(L, "%s", d.msg);
  }
  lua_newtable(L);
  lua_pushboolean(L, out.succeeded);
  lua_setfield(L, -2, "succeeded");
  if(out.succeeded) {
    lsfl_push_json(L, out.output);
    lua_setfield(L, -2, "output");
  }
  else {
    lua_pushstring(L, out.error ? out.error : "");
    lua_setfield(L, -2, "error");
    if(out.cause) {
      lua_pushstring(L, out.cause);
      lua_setfield(L, -2, "cause");
    }
  }
  lua_pushvalue(L, 7);
  lua_setfield(L, -2, "events");
  lua_pushinteger(L, out.transitions);
  lua_setfield(L, -2, "transitions");
  run_result_free(&out);
  return 1;
}

int lsfl_open_testing(lua_State *L)
{
  static const luaL_Reg fns[] = {{"run", testing_run}, {NULL, NULL}};
  luaL_newlib(L, fns);
  lsfl_make_strict(L, "sfl.testing");
  return 1;
}
