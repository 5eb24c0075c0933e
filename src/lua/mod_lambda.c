/*
** mod_lambda.c: `sfl.aws_lambda`: Function, Runtime, Code.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/lambda.h"
#include "cfn/token.h"

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
  {"role", P_USERDATA, OFF(p.role), 0, NULL, NULL, NULL, LSFL_BIT(ROLE),
   "an aws_iam.IRole (iam.Role(...) or iam.Role.from_role_arn(...))"},
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

/* {============ any IFunction: Function, Version, Alias, imported */

#define ANY_FUNCTION (LSFL_BIT(FUNCTION) | LSFL_BIT(LAMBDA_VERSION) | LSFL_BIT(LAMBDA_ALIAS) \
                      | LSFL_BIT(IMPORTED_FUNCTION))

static enum lsfl_type box_type(const struct lambda_function *fn)
{
  static const enum lsfl_type types[] = {
    [LAMBDA_FUNCTION] = LSFL_FUNCTION, [LAMBDA_VERSION] = LSFL_LAMBDA_VERSION,
    [LAMBDA_ALIAS] = LSFL_LAMBDA_ALIAS, [LAMBDA_IMPORTED] = LSFL_IMPORTED_FUNCTION};
  return types[fn->kind];
}

static int push_function(lua_State *L, struct lambda_function *fn, const struct diag *d)
{
  if(!fn)
    return lsfl_raise(L, d);
  lsfl_push(L, box_type(fn), fn, fn->node);
  return 1;
}

static struct lambda_function *check_function(lua_State *L, int idx)
{
  return lsfl_check(L, idx, ANY_FUNCTION, 0, "sfl.aws_lambda.IFunction")->obj;
}

/* fn:grant_invoke(grantee) */
static int function_grant_invoke(lua_State *L)
{
  struct lambda_function *fn = check_function(L, 1);
  struct role *to = lsfl_check_grantee(L, 2);
  struct diag d = {0};
  if(lambda_grant_invoke(fn, to, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int function_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, lambda_function_arn(self->obj));
}

static int function_get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, lambda_function_name(self->obj));
}

static int function_get_current_version(lua_State *L, struct lsfl_box *self)
{
  struct diag d = {0};
  return push_function(L, lambda_current_version(self->obj, lsfl_loc(L), &d), &d);
}

struct alias_options {
  cJSON *description;
};

static const struct lsfl_prop alias_options_schema[] = {
  {"description", P_STR, offsetof(struct alias_options, description), 0, NULL, NULL, NULL, 0,
   NULL},
  PROP_END
};

/* fn:add_alias(name, { description = }): Alias "Alias<name>" over fn.current_version. */
static int function_add_alias(lua_State *L)
{
  struct lambda_function *fn = lsfl_check(L, 1, LSFL_BIT(FUNCTION), 0,
                                          "sfl.aws_lambda.Function")->obj;
  const char *name = luaL_checkstring(L, 2);
  struct alias_options opt = {0};
  lsfl_read_props(L, 3, alias_options_schema, &opt, "add_alias");
  struct diag d = {0};
  struct lambda_alias_props p = {arena_strdup(lsfl_ctx(L)->arena, name), NULL, opt.description};
  p.version = lambda_current_version(fn, lsfl_loc(L), &d);
  const char *id = lua_pushfstring(L, "Alias%s", name);
  return push_function(L, p.version ? lambda_alias_new(fn->node, id, &p, lsfl_loc(L), &d)
                                    : NULL, &d);
}

static const luaL_Reg function_methods[] = {
  {"grant_invoke", function_grant_invoke}, {"add_alias", function_add_alias}, {NULL, NULL}
};
static const luaL_Reg qualified_methods[] = {{"grant_invoke", function_grant_invoke}, {NULL, NULL}};

static const struct lsfl_getter function_getters[] = {
  {"function_arn", function_get_arn}, {"function_name", function_get_name},
  {"current_version", function_get_current_version}, {NULL, NULL}
};
static const struct lsfl_getter imported_getters[] = {
  {"function_arn", function_get_arn}, {"function_name", function_get_name}, {NULL, NULL}
};

static int version_get_version(lua_State *L, struct lsfl_box *self)
{
  const struct lambda_function *v = self->obj;
  return lsfl_push_token(L, cfn_getatt(v->resource->logical_id, "Version"));
}

static int qualified_get_lambda(lua_State *L, struct lsfl_box *self)
{
  const struct lambda_function *q = self->obj;
  lsfl_push(L, box_type(q->lambda), q->lambda, q->lambda->node);
  return 1;
}

static const struct lsfl_getter version_getters[] = {
  {"function_arn", function_get_arn}, {"version", version_get_version},
  {"lambda", qualified_get_lambda}, {NULL, NULL}
};

static int alias_get_name(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((const struct lambda_function *)self->obj)->alias_name);
  return 1;
}

static int alias_get_version(lua_State *L, struct lsfl_box *self)
{
  const struct lambda_function *al = self->obj;
  lsfl_push(L, LSFL_LAMBDA_VERSION, al->version, al->version->node);
  return 1;
}

static const struct lsfl_getter alias_getters[] = {
  {"function_arn", function_get_arn}, {"alias_name", alias_get_name},
  {"version", alias_get_version}, {"lambda", qualified_get_lambda}, {NULL, NULL}
};

static const struct lsfl_prop version_schema[] = {
  {"lambda", P_USERDATA, offsetof(struct lambda_version_props, lambda), PROP_REQUIRED, NULL,
   NULL, NULL, LSFL_BIT(FUNCTION) | LSFL_BIT(IMPORTED_FUNCTION), "an aws_lambda.Function"},
  {"description", P_STR, offsetof(struct lambda_version_props, description), 0, NULL, NULL,
   NULL, 0, NULL},
  {"code_sha256", P_STR, offsetof(struct lambda_version_props, code_sha256), 0, NULL, NULL,
   NULL, 0, NULL},
  PROP_END
};

/* Version(scope, id, { lambda =, description =, code_sha256 = }) */
static int version_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lambda_version_props p = {0};
  lsfl_read_props(L, 3, version_schema, &p, lua_pushfstring(L, "Version '%s'", id));
  struct diag d = {0};
  return push_function(L, lambda_version_new(scope, id, &p, lsfl_loc(L), &d), &d);
}

static const struct lsfl_prop alias_schema[] = {
  {"alias_name", P_STRING, offsetof(struct lambda_alias_props, alias_name), PROP_REQUIRED,
   NULL, NULL, NULL, 0, NULL},
  {"version", P_USERDATA, offsetof(struct lambda_alias_props, version), PROP_REQUIRED, NULL,
   NULL, NULL, LSFL_BIT(LAMBDA_VERSION),
   "an aws_lambda.Version (lambda.Version(...) or fn.current_version)"},
  {"description", P_STR, offsetof(struct lambda_alias_props, description), 0, NULL, NULL, NULL,
   0, NULL},
  PROP_END
};

/* Alias(scope, id, { alias_name =, version =, description = }) */
static int alias_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lambda_alias_props p = {0};
  lsfl_read_props(L, 3, alias_schema, &p, lua_pushfstring(L, "Alias '%s'", id));
  struct diag d = {0};
  return push_function(L, lambda_alias_new(scope, id, &p, lsfl_loc(L), &d), &d);
}

static int import_function(lua_State *L, cJSON *arn, const char *name)
{
  struct diag d = {0};
  return push_function(L, lambda_function_import(lsfl_check_scope(L, 1), lsfl_check_id(L, 2),
                                                 arn, name, lsfl_loc(L), &d), &d);
}

/* Function.from_function_arn(scope, id, arn) */
static int function_from_arn(lua_State *L)
{
  lua_settop(L, 3);
  return import_function(L, lsfl_check_str_value(L, 3, "function_arn"), NULL);
}

/* Function.from_function_name(scope, id, name) */
static int function_from_name(lua_State *L)
{
  lua_settop(L, 3);
  return import_function(L, NULL, luaL_checkstring(L, 3));
}

struct function_attributes {
  cJSON *function_arn, *same_environment, *skip_permissions, *architecture;
};

static const struct lsfl_prop attributes_schema[] = {
  {"function_arn", P_STR, offsetof(struct function_attributes, function_arn), PROP_REQUIRED,
   NULL, NULL, NULL, 0, NULL},
  {"same_environment", P_BOOLEAN, offsetof(struct function_attributes, same_environment), 0,
   NULL, NULL, NULL, 0, NULL},
  {"skip_permissions", P_BOOLEAN, offsetof(struct function_attributes, skip_permissions), 0,
   NULL, NULL, NULL, 0, NULL},
  {"architecture", P_ENUM, offsetof(struct function_attributes, architecture), 0, NULL, NULL,
   architecture_values, 0, NULL},
  PROP_END
};

/* Function.from_function_attributes(scope, id, { function_arn =, ... }) */
static int function_from_attributes(lua_State *L)
{
  lua_settop(L, 3);
  struct function_attributes attrs = {0};
  lsfl_read_props(L, 3, attributes_schema, &attrs, "from_function_attributes");
  return import_function(L, attrs.function_arn, NULL);
}

static const luaL_Reg function_statics[] = {
  {"from_function_arn", function_from_arn}, {"from_function_name", function_from_name},
  {"from_function_attributes", function_from_attributes}, {NULL, NULL}
};

/* }============ */

static int runtime_get_name(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((const struct lambda_runtime *)self->obj)->name);
  return 1;
}

static const struct lsfl_getter runtime_getters[] = {{"name", runtime_get_name}, {NULL, NULL}};

/* Runtime.X: a runtime's box is made the first time it is read, then kept in the table
** (so Runtime.X == Runtime.X); pairs() makes them all first. */
static int runtime_index(lua_State *L)
{
  const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
  for(const struct lambda_runtime *r = lambda_runtimes; key && r->constant; r++)
    if(!strcmp(r->constant, key)) {
      lua_pushvalue(L, 2);
      lsfl_push(L, LSFL_RUNTIME, (void *)r, NULL);
      lua_rawset(L, 1);
      lua_rawget(L, 1);
      return 1;
    }
  return lsfl_no_member(L, "sfl.aws_lambda.Runtime");
}

static int runtime_pairs(lua_State *L)
{
  for(const struct lambda_runtime *r = lambda_runtimes; r->constant; r++) {
    lua_getfield(L, 1, r->constant);
    lua_pop(L, 1);
  }
  return lsfl_raw_pairs(L);
}

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
  lsfl_new_type(L, LSFL_FUNCTION, function_methods, function_getters);
  lsfl_new_type(L, LSFL_LAMBDA_VERSION, qualified_methods, version_getters);
  lsfl_new_type(L, LSFL_LAMBDA_ALIAS, qualified_methods, alias_getters);
  lsfl_new_type(L, LSFL_IMPORTED_FUNCTION, qualified_methods, imported_getters);
  lsfl_new_type(L, LSFL_RUNTIME, NULL, runtime_getters);
  lsfl_new_type(L, LSFL_CODE, NULL, NULL);
  lsfl_new_type(L, LSFL_LAYER_VERSION, NULL, layer_getters);
}

int lsfl_open_lambda(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_lambda.Function", function_new, function_statics);
  lua_setfield(L, -2, "Function");
  lsfl_new_class(L, "sfl.aws_lambda.Version", version_new, NULL);
  lua_setfield(L, -2, "Version");
  lsfl_new_class(L, "sfl.aws_lambda.Alias", alias_new, NULL);
  lua_setfield(L, -2, "Alias");
  lua_newtable(L);
  lsfl_make_strict(L, "sfl.aws_lambda.Runtime");
  lua_getmetatable(L, -1);
  lua_pushcfunction(L, runtime_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, runtime_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_pop(L, 1);
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
