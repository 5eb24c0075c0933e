/*
** mod_lambda.c: `sfl.aws_lambda`: Function, Runtime, Code.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/lambda.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define OFF(f) offsetof(struct lambda_function_props, f)

static const struct lsfl_prop function_schema[] = {
  {"runtime", P_USERDATA, OFF(runtime), PROP_REQUIRED, NULL, NULL, NULL, LSFL_BIT(RUNTIME),
   "an aws_lambda.Runtime (e.g. Runtime.PYTHON_3_12)"},
  {"handler", P_STRING, OFF(handler), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  {"code", P_USERDATA, OFF(code), PROP_REQUIRED, NULL, NULL, NULL, LSFL_BIT(CODE),
   "an aws_lambda.Code (e.g. Code.from_inline(source))"},
  {"description", P_STR, OFF(description), 0, NULL, NULL, NULL, 0, NULL},
  {"environment", P_STR_MAP, OFF(environment), 0, NULL, NULL, NULL, 0, NULL},
  {"function_name", P_STR, OFF(function_name), 0, NULL, NULL, NULL, 0, NULL},
  {"memory_size", P_INT, OFF(memory_size), 0, NULL, NULL, NULL, 0, NULL},
  {"timeout", P_DURATION, OFF(timeout), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

static int function_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lambda_function_props props = {0};
  lsfl_read_props(L, 3, function_schema, &props, lua_pushfstring(L, "Function '%s'", id));
  struct diag d = {0};
  struct lambda_function *fn = lambda_function_new(scope, id, &props, lsfl_loc(L), &d);
  if(!fn)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_FUNCTION, fn, fn->node);
  return 1;
}

static int function_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, lambda_function_arn(self->obj));
}

static int function_get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, lambda_function_name(self->obj));
}

static const struct lsfl_getter function_getters[] = {
  {"function_arn", function_get_arn}, {"function_name", function_get_name}, {NULL, NULL}
};

static int runtime_get_name(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((const struct lambda_runtime *)self->obj)->name);
  return 1;
}

static const struct lsfl_getter runtime_getters[] = {{"name", runtime_get_name}, {NULL, NULL}};

/* Code.from_inline(source) */
static int code_from_inline(lua_State *L)
{
  const char *src = luaL_checkstring(L, 1);
  if(!*src)
    return lsfl_error(L, "Lambda inline code cannot be empty");
  struct arena *a = lsfl_ctx(L)->arena;
  struct lambda_code *code = arena_alloc(a, sizeof *code);
  if(!code || !(code->inline_source = arena_strdup(a, src)))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_CODE, code, NULL);
  return 1;
}

struct asset_options {
  const char *asset_hash, *display_name;
};

static const struct lsfl_prop asset_options_schema[] = {
  {"asset_hash", P_STRING, offsetof(struct asset_options, asset_hash), 0, NULL, NULL, NULL, 0,
   NULL},
  {"display_name", P_STRING, offsetof(struct asset_options, display_name), 0, NULL, NULL, NULL,
   0, NULL},
  PROP_END
};

/* The asset's absolute path: a relative one is taken from the app file's folder. */
static const char *asset_path(lua_State *L, const char *path)
{
  if(path[0] == '/')
    return path;
  const char *dir = lsfl_ctx(L)->app_dir;
  if(dir)
    return lua_pushfstring(L, "%s/%s", dir, path);
  char cwd[4096];
  if(!getcwd(cwd, sizeof cwd))
    lsfl_error(L, "Code.from_asset: cannot tell the current folder: %s", strerror(errno));
  return lua_pushfstring(L, "%s/%s", cwd, path);
}

/* Code.from_asset(path, { asset_hash =, display_name = }): a folder or a .zip file. */
static int code_from_asset(lua_State *L)
{
  const char *given = luaL_checkstring(L, 1);
  struct asset_options opt = {0};
  lsfl_read_props(L, 2, asset_options_schema, &opt, "Code.from_asset");
  const char *path = asset_path(L, given);
  if(!lsfl_sandbox_allows(L, path))
    return lsfl_error(L, "Code.from_asset: '%s' is outside the folder this sandbox allows",
                      given);
  struct arena *a = lsfl_ctx(L)->arena;
  struct diag d = {0};
  struct cfn_asset *asset = cfn_asset_new(a, path, opt.asset_hash, lsfl_loc(L), &d);
  if(!asset)
    return lsfl_raise(L, &d);
  if(!asset->is_archive)
    return lsfl_error(L, "Asset must be a .zip file or a directory (%s)", given);
  struct lambda_code *code = arena_alloc(a, sizeof *code);
  if(!code)
    return luaL_error(L, "not enough memory");
  code->asset = asset;
  code->display_name = opt.display_name;
  lsfl_push(L, LSFL_CODE, code, NULL);
  return 1;
}

static const luaL_Reg code_statics[] = {
  {"from_inline", code_from_inline}, {"from_asset", code_from_asset}, {"asset", code_from_asset}, {"inline", code_from_inline}, {NULL, NULL}
};

void lsfl_register_lambda_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_FUNCTION, NULL, function_getters);
  lsfl_new_type(L, LSFL_RUNTIME, NULL, runtime_getters);
  lsfl_new_type(L, LSFL_CODE, NULL, NULL);
}

int lsfl_open_lambda(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_lambda.Function", function_new, NULL);
  lua_setfield(L, -2, "Function");
  lua_newtable(L);
  for(const struct lambda_runtime *r = lambda_runtimes; r->constant; r++) {
    lsfl_push(L, LSFL_RUNTIME, (void *)r, NULL);
    lua_setfield(L, -2, r->constant);
  }
  lsfl_make_strict(L, "sfl.aws_lambda.Runtime");
  lua_setfield(L, -2, "Runtime");
  lsfl_new_class(L, "sfl.aws_lambda.Code", NULL, code_statics);
  lua_setfield(L, -2, "Code");
  lsfl_make_strict(L, "sfl.aws_lambda");
  return 1;
}
