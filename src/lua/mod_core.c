/*
** mod_core.c: the `sfl` module (aws_cdk core): App, Stack, Duration, RemovalPolicy,
** null; and `sfl.constructs` (Construct).
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "cfn/template.h"
#include "cfn/token.h"

#include <stdlib.h>
#include <string.h>

/* {============ App */

struct app_props {
  cJSON *context;
  const char *outdir;
};

static const struct lsfl_prop app_schema[] = {
  {"context", P_OBJECT, offsetof(struct app_props, context), 0, NULL, NULL, NULL, 0, NULL},
  {"outdir", P_STRING, offsetof(struct app_props, outdir), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

static int app_new(lua_State *L)
{
  lua_settop(L, 1);
  struct lsfl_ctx *ctx = lsfl_ctx(L);
  struct app_props props = {0};
  lsfl_read_props(L, 1, app_schema, &props, "App");
  struct lsfl_app *app = arena_alloc(ctx->arena, sizeof *app);
  if(!app || !(app->cfn = cfn_app_new(ctx->arena, lsfl_loc(L)))
     || vec_push(ctx->arena, &ctx->apps, app))
    return luaL_error(L, "not enough memory");
  app->context = props.context;
  app->cfn->merge_policies = cJSON_IsTrue(json_get(props.context, "sfl:dedupe-iam"));
  app->outdir = props.outdir;
  app->cfn->root->model = app;
  lsfl_push(L, LSFL_APP, app, app->cfn->root);
  return 1;
}

/* app:synth(): renders every stack now, so problems surface at this line. */
static int app_synth(lua_State *L)
{
  struct lsfl_app *app = lsfl_check(L, 1, LSFL_BIT(APP), 0, "sfl.App")->obj;
  for(size_t i = 0; i < app->cfn->stacks.n; i++) {
    struct diag d = {0};
    cJSON *t = cfn_stack_template(app->cfn->stacks.items[i], &d);
    if(!t)
      return lsfl_raise(L, &d);
    cJSON_Delete(t);
  }
  return 0;
}

static const luaL_Reg app_methods[] = {{"synth", app_synth}, {NULL, NULL}};

/* }============ */

/* {============ Stack */

struct stack_props {
  const char *description, *stack_name;
};

static const struct lsfl_prop stack_schema[] = {
  {"description", P_STRING, offsetof(struct stack_props, description), 0, NULL, NULL, NULL, 0,
   NULL},
  {"stack_name", P_STRING, offsetof(struct stack_props, stack_name), 0, NULL, NULL, NULL, 0,
   NULL},
  PROP_END
};

static int stack_new(lua_State *L)
{
  lua_settop(L, 3);
  struct lsfl_app *app = lsfl_check(L, 1, LSFL_BIT(APP), 0, "sfl.App")->obj;
  const char *id = lsfl_check_id(L, 2);
  struct stack_props props = {0};
  lsfl_read_props(L, 3, stack_schema, &props, lua_pushfstring(L, "Stack '%s'", id));
  struct diag d = {0};
  struct cfn_stack *st = cfn_stack_new(app->cfn, id, props.stack_name, lsfl_loc(L), &d);
  if(!st)
    return lsfl_raise(L, &d);
  st->description = props.description;
  lsfl_push(L, LSFL_STACK, st, st->node);
  return 1;
}

static int stack_template(lua_State *L)
{
  struct cfn_stack *st = lsfl_check(L, 1, LSFL_BIT(STACK), 0, "sfl.Stack")->obj;
  struct diag d = {0};
  cJSON *t = cfn_stack_template(st, &d);
  if(!t)
    return lsfl_raise(L, &d);
  /* Convert under protection of the arena: pushing cannot fail halfway with t leaked. */
  arena_own_json(lsfl_ctx(L)->arena, t);
  lsfl_push_json(L, t);
  return 1;
}

static int stack_get_name(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct cfn_stack *)self->obj)->name);
  return 1;
}

static const luaL_Reg stack_methods[] = {{"template", stack_template}, {NULL, NULL}};
static const struct lsfl_getter stack_getters[] = {{"stack_name", stack_get_name}, {NULL, NULL}};

/* }============ */

/* {============ Duration: kept as milliseconds */

static int duration_make(lua_State *L, double factor)
{
  lua_Number n = luaL_checknumber(L, 1);
  if(n < 0)
    return lsfl_error(L, "Duration amounts cannot be negative. Received: %s",
                      lua_tostring(L, 1));
  double *ms = arena_alloc(lsfl_ctx(L)->arena, sizeof *ms);
  if(!ms)
    return luaL_error(L, "not enough memory");
  *ms = n * factor;
  lsfl_push(L, LSFL_DURATION, ms, NULL);
  return 1;
}

static int duration_millis(lua_State *L) { return duration_make(L, 1); }
static int duration_seconds(lua_State *L) { return duration_make(L, 1000); }
static int duration_minutes(lua_State *L) { return duration_make(L, 60e3); }
static int duration_hours(lua_State *L) { return duration_make(L, 3600e3); }
static int duration_days(lua_State *L) { return duration_make(L, 86400e3); }

static int duration_to(lua_State *L, double factor, const char *unit)
{
  double ms = *(double *)lsfl_check(L, 1, LSFL_BIT(DURATION), 0, "sfl.Duration")->obj;
  double v = ms / factor;
  if(v != (double)(lua_Integer)v)
    return lsfl_error(L, "'%g millis' cannot be converted into a whole number of %s", ms, unit);
  lua_pushinteger(L, (lua_Integer)v);
  return 1;
}

static int duration_to_millis(lua_State *L) { return duration_to(L, 1, "milliseconds"); }
static int duration_to_seconds(lua_State *L) { return duration_to(L, 1000, "seconds"); }
static int duration_to_minutes(lua_State *L) { return duration_to(L, 60e3, "minutes"); }
static int duration_to_hours(lua_State *L) { return duration_to(L, 3600e3, "hours"); }
static int duration_to_days(lua_State *L) { return duration_to(L, 86400e3, "days"); }

static int duration_tostring(lua_State *L)
{
  double ms = *(double *)lsfl_check(L, 1, LSFL_BIT(DURATION), 0, "sfl.Duration")->obj;
  lua_pushfstring(L, "Duration(%f seconds)", ms / 1000);
  return 1;
}

static const luaL_Reg duration_statics[] = {
  {"millis", duration_millis}, {"seconds", duration_seconds}, {"minutes", duration_minutes},
  {"hours", duration_hours}, {"days", duration_days}, {NULL, NULL}
};
static const luaL_Reg duration_methods[] = {
  {"to_milliseconds", duration_to_millis}, {"to_seconds", duration_to_seconds},
  {"to_minutes", duration_to_minutes}, {"to_hours", duration_to_hours},
  {"to_days", duration_to_days}, {"__tostring", duration_tostring}, {NULL, NULL}
};

/* }============ */

/* {============ constructs.Construct */

static int construct_new(lua_State *L)
{
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct diag d = {0};
  struct cfn_node *n = cfn_node_new(scope, id, "constructs.Construct", lsfl_loc(L), &d);
  if(!n)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_CONSTRUCT, n, n);
  return 1;
}

/* }============ */

/* {============ CloudFormation tokens (fn.function_arn, ...) */

/* "arn:" .. fn.function_arn: one string made of text and the token. */
static cJSON *concat_part(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(CFN_TOKEN), 0);
  if(b)
    return json_dup(b->obj);
  if(lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER)
    return cJSON_CreateString(lua_tostring(L, idx));
  lsfl_error(L, "cannot join a CloudFormation token with %s", lsfl_typename(L, idx));
  return NULL;
}

static int token_concat(lua_State *L)
{
  cJSON *a = concat_part(L, 1);
  cJSON *b = concat_part(L, 2);
  return lsfl_push_token(L, cfn_concat(2, a, b));
}

static int token_tostring(lua_State *L)
{
  struct lsfl_box *b = lsfl_check(L, 1, LSFL_BIT(CFN_TOKEN), 0, "sfl.Token");
  cJSON *plain = cfn_resolve(b->obj);
  char *text = plain ? json_to_text(plain, 0) : NULL;
  cJSON_Delete(plain);
  lua_pushfstring(L, "${Token[%s]}", text ? text : "?");
  free(text);
  return 1;
}

/* fn.get_att(...).to_string(): the token stands for its string already. */
static int token_self(lua_State *L)
{
  lsfl_check(L, 1, LSFL_BIT(CFN_TOKEN), 0, "sfl.Token");
  lua_settop(L, 1);
  return 1;
}

static const luaL_Reg token_methods[] = {
  {"__concat", token_concat}, {"__tostring", token_tostring}, {"to_string", token_self},
  {NULL, NULL}};

/* }============ */

static int node_get_path(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, cfn_node_path(lsfl_ctx(L)->arena, self->node));
  return 1;
}

static const struct lsfl_getter construct_getters[] = {{"path", node_get_path}, {NULL, NULL}};

void lsfl_register_core_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_APP, app_methods, NULL);
  lsfl_new_type(L, LSFL_STACK, stack_methods, stack_getters);
  lsfl_new_type(L, LSFL_CONSTRUCT, NULL, construct_getters);
  lsfl_new_type(L, LSFL_DURATION, duration_methods, NULL);
  lsfl_new_type(L, LSFL_NULL_VALUE, NULL, NULL);
  lsfl_new_type(L, LSFL_CFN_TOKEN, token_methods, NULL);
  lsfl_register_core_cfn_types(L);
}

int lsfl_open_core(lua_State *L)
{
  /* `sfl` and `sfl.core` are one module. */
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if(lua_getfield(L, -1, "sfl") == LUA_TTABLE)
    return 1;
  lua_pop(L, 1);
  lua_newtable(L);
  lsfl_new_class(L, "sfl.App", app_new, NULL);
  lua_setfield(L, -2, "App");
  lsfl_new_class(L, "sfl.Stack", stack_new, NULL);
  lua_setfield(L, -2, "Stack");
  lsfl_new_class(L, "sfl.Duration", NULL, duration_statics);
  lua_setfield(L, -2, "Duration");
  static const char *const removal_members[] = {"DESTROY", "RETAIN", "SNAPSHOT",
                                                "RETAIN_ON_UPDATE_OR_DELETE", NULL};
  static const char *const removal_values[] = {"destroy", "retain", "snapshot",
                                               "retain_on_update_or_delete", NULL};
  lsfl_new_enum(L, "sfl.RemovalPolicy", removal_members, removal_values);
  lua_setfield(L, -2, "RemovalPolicy");
  lsfl_push_null(L);
  lua_setfield(L, -2, "null");
  lua_pushliteral(L, SFL_VERSION);
  lua_setfield(L, -2, "VERSION");
  /* CfnOutput, CfnParameter, Fn, Tags, Token, Aws and Size when first named. */
  static const lsfl_adder groups[] = {lsfl_add_core_cfn, lsfl_add_size, NULL};
  lsfl_make_lazy(L, "sfl", groups);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "sfl");
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "sfl.core");
  return 1;
}

int lsfl_open_constructs(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.constructs.Construct", construct_new, NULL);
  lua_setfield(L, -2, "Construct");
  lsfl_make_strict(L, "sfl.constructs");
  return 1;
}
