/*
** mod_lambda.c: `sfl.aws_lambda`: Function, Runtime, Code.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/lambda.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

struct lua_function_props {
  struct lambda_function_props p;
  const struct lsfl_size *ephemeral_storage_size;
  cJSON *log_retention;
};

#define OFF(f) offsetof(struct lua_function_props, f)

static const char *const architecture_members[] = {"ARM_64", "X86_64", NULL};
static const char *const architecture_values[] = {"arm64", "x86_64", NULL};
static const char *const tracing_members[] = {"ACTIVE", "PASS_THROUGH", "DISABLED", NULL};
static const char *const tracing_values[] = {"Active", "PassThrough", "Disabled", NULL};

static const struct lsfl_prop function_schema[] = {
  {"runtime", P_USERDATA, OFF(p.runtime), PROP_REQUIRED, NULL, NULL, NULL, LSFL_BIT(RUNTIME),
   "an aws_lambda.Runtime (e.g. Runtime.PYTHON_3_12)"},
  {"handler", P_STRING, OFF(p.handler), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  {"code", P_USERDATA, OFF(p.code), PROP_REQUIRED, NULL, NULL, NULL, LSFL_BIT(CODE),
   "an aws_lambda.Code (e.g. Code.from_inline(source))"},
  {"description", P_STR, OFF(p.description), 0, NULL, NULL, NULL, 0, NULL},
  {"environment", P_STR_MAP, OFF(p.environment), 0, NULL, NULL, NULL, 0, NULL},
  {"function_name", P_STR, OFF(p.function_name), 0, NULL, NULL, NULL, 0, NULL},
  {"memory_size", P_INT, OFF(p.memory_size), 0, NULL, NULL, NULL, 0, NULL},
  {"timeout", P_DURATION, OFF(p.timeout), 0, NULL, NULL, NULL, 0, NULL},
  {"architecture", P_ENUM, OFF(p.architecture), 0, NULL, NULL, architecture_values, 0, NULL},
  {"layers", P_USERDATA_LIST, OFF(p.layers), 0, NULL, NULL, NULL, LSFL_BIT(LAYER_VERSION),
   "an aws_lambda.LayerVersion (LayerVersion.from_layer_version_arn(...))"},
  {"reserved_concurrent_executions", P_INT, OFF(p.reserved_concurrent_executions), 0, NULL,
   NULL, NULL, 0, NULL},
  {"tracing", P_ENUM, OFF(p.tracing), 0, NULL, NULL, tracing_values, 0, NULL},
  {"retry_attempts", P_INT, OFF(p.retry_attempts), 0, NULL, NULL, NULL, 0, NULL},
  {"max_event_age", P_DURATION, OFF(p.max_event_age), 0, NULL, NULL, NULL, 0, NULL},
  {"ephemeral_storage_size", P_USERDATA, OFF(ephemeral_storage_size), 0, NULL, NULL, NULL,
   LSFL_BIT(SIZE), "a cdk.Size (e.g. cdk.Size.mebibytes(1024))"},
  {"log_group", P_USERDATA, OFF(p.log_group), 0, NULL, NULL, NULL, LSFL_BIT(LOG_GROUP),
   "an aws_logs.LogGroup"},
  {"log_retention", P_JSON, OFF(log_retention), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

/* ephemeral_storage_size in MiB, in the range function.js allows. */
static cJSON *ephemeral_mib(lua_State *L, const struct lsfl_size *size)
{
  lua_Integer mib = lsfl_size_in(L, size, SIZE_MEBIBYTES);
  if(mib < 512 || mib > 10240) {
    lsfl_push(L, LSFL_SIZE, (void *)size, NULL);
    lsfl_error(L, "Ephemeral storage size must be between 512 and 10240 MB, received %s.",
               luaL_tolstring(L, -1, NULL));
  }
  cJSON *v = arena_own_json(lsfl_ctx(L)->arena, cJSON_CreateNumber((double)mib));
  if(!v)
    luaL_error(L, "not enough memory");
  return v;
}

static int function_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_function_props props = {.log_retention = NULL};
  lsfl_read_props(L, 3, function_schema, &props, lua_pushfstring(L, "Function '%s'", id));
  if(props.log_retention)
    return lsfl_error(L, "Function '%s': log_retention needs CDK's LogRetention custom "
                      "resource (a Node.js Lambda function), which sfl does not make; create "
                      "an aws_logs.LogGroup with that retention and pass it as log_group", id);
  if(props.ephemeral_storage_size)
    props.p.ephemeral_storage_mib = ephemeral_mib(L, props.ephemeral_storage_size);
  struct diag d = {0};
  struct lambda_function *fn = lambda_function_new(scope, id, &props.p, lsfl_loc(L), &d);
  if(!fn)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_FUNCTION, fn, fn->node);
  return 1;
}

/* LayerVersion.from_layer_version_arn(scope, id, arn) */
static int layer_from_arn(lua_State *L)
{
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *arn = lsfl_check_str_value(L, 3, "layer_version_arn");
  struct diag d = {0};
  struct lambda_layer *layer = lambda_layer_import(scope, id, arn, lsfl_loc(L), &d);
  if(!layer)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_LAYER_VERSION, layer, layer->node);
  return 1;
}

static int layer_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, json_dup(((struct lambda_layer *)self->obj)->arn));
}

static const struct lsfl_getter layer_getters[] = {
  {"layer_version_arn", layer_get_arn}, {NULL, NULL}
};

static const luaL_Reg layer_statics[] = {
  {"from_layer_version_arn", layer_from_arn}, {NULL, NULL}
};

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

/* Code.from_asset(path, { asset_hash =, display_name = }): a folder or a .zip file. */
static int code_from_asset(lua_State *L)
{
  const char *given = luaL_checkstring(L, 1);
  struct asset_options opt = {0};
  lsfl_read_props(L, 2, asset_options_schema, &opt, "Code.from_asset");
  const char *path = lsfl_asset_path(L, given, "Code.from_asset");
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
  lsfl_new_type(L, LSFL_LAYER_VERSION, NULL, layer_getters);
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
  lsfl_new_class(L, "sfl.aws_lambda.LayerVersion", NULL, layer_statics);
  lua_setfield(L, -2, "LayerVersion");
  lsfl_new_enum(L, "sfl.aws_lambda.Architecture", architecture_members, architecture_values);
  lua_setfield(L, -2, "Architecture");
  lsfl_new_enum(L, "sfl.aws_lambda.Tracing", tracing_members, tracing_values);
  lua_setfield(L, -2, "Tracing");
  lsfl_make_strict(L, "sfl.aws_lambda");
  return 1;
}
