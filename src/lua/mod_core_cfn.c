/*
** mod_core_cfn.c: the CloudFormation side of the `sfl` module: CfnOutput, CfnParameter,
** the Fn intrinsic functions and the Aws pseudo parameters (aws-cdk-lib/core: cfn-output.js,
** cfn-parameter.js, cfn-fn.js, cfn-pseudo.js). Each returns or takes sfl.Token values,
** which any prop accepts.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "cfn/tags.h"
#include "cfn/token.h"

#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

static cJSON *own(lua_State *L, cJSON *j)
{
  if(!j || !arena_own_json(A(L), j))
    luaL_error(L, "not enough memory");
  return j;
}

/* A template element that is not a resource (an output, a parameter) named `id`. */
static struct cfn_resource *element_new(lua_State *L, struct cfn_node *scope, const char *id,
                                        const char *section, const char *fqn)
{
  struct diag d = {0};
  struct cfn_resource *r = cfn_resource_new(scope, id, section, fqn, lsfl_loc(L), &d);
  if(!r)
    lsfl_raise(L, &d);
  r->section = section;
  return r;
}

static void put(lua_State *L, cJSON *obj, const char *key, const cJSON *value)
{
  if(value && !json_put(obj, key, json_dup(value)))
    luaL_error(L, "not enough memory");
}

/* {============ CfnOutput */

struct output_props {
  cJSON *value, *description, *export_name;
};

static const struct lsfl_prop output_schema[] = {
  {"description", P_STR, offsetof(struct output_props, description), 0, NULL, NULL, NULL, 0,
   NULL},
  {"export_name", P_STR, offsetof(struct output_props, export_name), 0, NULL, NULL, NULL, 0,
   NULL},
  {"value", P_STR, offsetof(struct output_props, value), PROP_REQUIRED, NULL, NULL, NULL, 0,
   NULL},
  PROP_END
};

static int output_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct output_props p = {0};
  if(lua_type(L, 3) == LUA_TTABLE) {
    /* A number is a fine output value: CloudFormation writes it as text. */
    lua_getfield(L, 3, "value");
    if(lua_type(L, -1) == LUA_TNUMBER) {
      lua_pushstring(L, lua_tostring(L, -1));
      lua_setfield(L, 3, "value");
    }
    lua_pop(L, 1);
  }
  lsfl_read_props(L, 3, output_schema, &p, lua_pushfstring(L, "CfnOutput '%s'", id));
  struct cfn_resource *r = element_new(L, scope, id, "Outputs", "aws-cdk-lib.CfnOutput");
  put(L, r->props, "Description", p.description);
  put(L, r->props, "Value", p.value);
  if(p.export_name) {
    cJSON *exp = json_put(r->props, "Export", cJSON_CreateObject());
    if(!exp)
      return luaL_error(L, "not enough memory");
    put(L, exp, "Name", p.export_name);
  }
  lsfl_push(L, LSFL_CFN_OUTPUT, r, r->node);
  return 1;
}

/* }============ */

/* {============ CfnParameter */

struct param_props {
  cJSON *type, *default_, *allowed_pattern, *allowed_values, *constraint_description;
  cJSON *description, *max_length, *max_value, *min_length, *min_value, *no_echo;
};

#define PP(name, type, field) \
  {name, type, offsetof(struct param_props, field), 0, NULL, NULL, NULL, 0, NULL}

static const struct lsfl_prop param_schema[] = {
  PP("allowed_pattern", P_STR, allowed_pattern),
  PP("allowed_values", P_STR_LIST, allowed_values),
  PP("constraint_description", P_STR, constraint_description),
  PP("default", P_JSON, default_),
  PP("description", P_STR, description),
  PP("max_length", P_INT, max_length),
  PP("max_value", P_NUM, max_value),
  PP("min_length", P_INT, min_length),
  PP("min_value", P_NUM, min_value),
  PP("no_echo", P_BOOLEAN, no_echo),
  PP("type", P_STR, type),
  PROP_END
};

/* The element's keys in the order cfn-parameter.js writes them. */
static void render_parameter(lua_State *L, cJSON *out, const struct param_props *p)
{
  const struct { const char *key; const cJSON *value; } keys[] = {
    {"Type", p->type}, {"Default", p->default_}, {"AllowedPattern", p->allowed_pattern},
    {"AllowedValues", p->allowed_values}, {"ConstraintDescription", p->constraint_description},
    {"Description", p->description}, {"MaxLength", p->max_length},
    {"MaxValue", p->max_value}, {"MinLength", p->min_length}, {"MinValue", p->min_value},
    {"NoEcho", p->no_echo},
  };
  for(size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    put(L, out, keys[i].key, keys[i].value);
}

static int param_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *what = lua_pushfstring(L, "CfnParameter '%s'", id);
  struct param_props p = {0};
  lsfl_read_props(L, 3, param_schema, &p, what);
  if(p.default_ && !cJSON_IsString(p.default_) && !cJSON_IsNumber(p.default_)
     && !cJSON_IsArray(p.default_))
    return lsfl_error(L, "%s: prop 'default' must be a string, a number or a list of strings",
                      what);
  if(!p.type)
    p.type = own(L, cJSON_CreateString("String"));
  struct cfn_resource *r = element_new(L, scope, id, "Parameters", "aws-cdk-lib.CfnParameter");
  render_parameter(L, r->props, &p);
  lsfl_push(L, LSFL_CFN_PARAMETER, r, r->node);
  return 1;
}

static int param_get_ref(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, cfn_ref(((struct cfn_resource *)self->obj)->logical_id));
}

static int param_get_logical_id(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct cfn_resource *)self->obj)->logical_id);
  return 1;
}

static const struct lsfl_getter param_getters[] = {
  {"value_as_string", param_get_ref}, {"value_as_number", param_get_ref},
  {"value_as_list", param_get_ref}, {"value", param_get_ref},
  {"logical_id", param_get_logical_id}, {NULL, NULL}
};

/* }============ */

/* {============ Fn */

/* A string, number or token argument as JSON (arena-owned: raising later leaks nothing). */
static cJSON *arg_value(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(CFN_TOKEN), 0);
  if(b)
    return own(L, json_dup(b->obj));
  if(lua_type(L, idx) == LUA_TNUMBER && lua_isinteger(L, idx))
    return own(L, cJSON_CreateNumber((double)lua_tointeger(L, idx)));
  if(lua_type(L, idx) != LUA_TSTRING && lua_type(L, idx) != LUA_TNUMBER)
    luaL_typeerror(L, idx, "string or sfl.Token");
  return own(L, cJSON_CreateString(lua_tostring(L, idx)));
}

/* A list argument: a Lua list (arena-owned array) or a list token. */
static cJSON *arg_list(lua_State *L, int idx)
{
  if(lsfl_test(L, idx, LSFL_BIT(CFN_TOKEN), 0))
    return arg_value(L, idx);
  luaL_checktype(L, idx, LUA_TTABLE);
  cJSON *list = own(L, cJSON_CreateArray());
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  for(lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    if(!json_push(list, json_dup(arg_value(L, lua_gettop(L)))))
      luaL_error(L, "not enough memory");
    lua_pop(L, 1);
  }
  return list;
}

static int push_intrinsic(lua_State *L, const char *fn, cJSON *arg)
{
  return lsfl_push_token(L, cfn_intrinsic(fn, arg));
}

/* [a, b, ...] from the arguments at first..last, as JSON (checked before it is built). */
static cJSON *args_array(lua_State *L, int first, int last)
{
  for(int i = first; i <= last; i++)
    arg_value(L, i);
  cJSON *arr = cJSON_CreateArray();
  for(int i = first; i <= last; i++)
    json_push(arr, json_dup(arg_value(L, i)));
  return arr;
}

static int is_literal(const cJSON *v)
{
  return cJSON_IsString(v) && !json_has(v, JSON_INTRINSIC | JSON_CONCAT);
}

/* Fn.join: literal neighbours are joined now (minimalCloudFormationJoin); all literal: a
** plain string; one part: that part. */
static int fn_join(lua_State *L)
{
  const char *delim = luaL_checkstring(L, 1);
  cJSON *list = arg_list(L, 2);
  if(!cJSON_IsArray(list)) {
    /* A list token (Fn.split, Fn.get_azs, a list parameter) is joined by CloudFormation. */
    cJSON *args = cJSON_CreateArray();
    json_push(args, cJSON_CreateString(delim));
    json_push(args, json_dup(list));
    return push_intrinsic(L, "Fn::Join", args);
  }
  luaL_Buffer b;
  cJSON *parts = own(L, cJSON_CreateArray());
  for(const cJSON *c = list->child; c;) {
    if(!is_literal(c)) {
      json_push(parts, json_dup(c));
      c = c->next;
      continue;
    }
    luaL_buffinit(L, &b);
    luaL_addstring(&b, c->valuestring);
    for(c = c->next; c && is_literal(c); c = c->next) {
      luaL_addstring(&b, delim);
      luaL_addstring(&b, c->valuestring);
    }
    luaL_pushresult(&b);
    json_push(parts, cJSON_CreateString(lua_tostring(L, -1)));
    lua_pop(L, 1);
  }
  if(cJSON_GetArraySize(parts) == 1) {
    const cJSON *only = parts->child;
    if(is_literal(only)) {
      lua_pushstring(L, only->valuestring);
      return 1;
    }
    return lsfl_push_token(L, json_dup(only));
  }
  cJSON *args = cJSON_CreateArray();
  json_push(args, cJSON_CreateString(delim));
  json_push(args, json_dup(parts));
  return push_intrinsic(L, "Fn::Join", args);
}

/* Fn.split(delimiter, source[, assumed_length]): a literal source is split now (a Lua list),
** a token one by CloudFormation (a list token). */
static int fn_split(lua_State *L)
{
  const char *delim = luaL_checkstring(L, 1);
  if(!*delim)
    return lsfl_error(L, "Fn.split: the delimiter cannot be empty");
  if(lua_type(L, 2) == LUA_TSTRING) {
    const char *s = lua_tostring(L, 2);
    size_t dl = strlen(delim);
    lua_newtable(L);
    lua_Integer n = 0;
    for(const char *hit; (hit = strstr(s, delim)) != NULL; s = hit + dl) {
      lua_pushlstring(L, s, (size_t)(hit - s));
      lua_rawseti(L, -2, ++n);
    }
    lua_pushstring(L, s);
    lua_rawseti(L, -2, ++n);
    return 1;
  }
  cJSON *source = arg_value(L, 2);
  cJSON *args = cJSON_CreateArray();
  json_push(args, cJSON_CreateString(delim));
  json_push(args, json_dup(source));
  return push_intrinsic(L, "Fn::Split", args);
}

/* Fn.select(index, list): a Lua list gives its element now. */
static int fn_select(lua_State *L)
{
  lua_Integer i = luaL_checkinteger(L, 1);
  if(i < 0)
    return lsfl_error(L, "Fn.select: index must be a non-negative number, got %d", (int)i);
  if(lua_istable(L, 2)) {
    if(i >= (lua_Integer)lua_rawlen(L, 2))
      return lsfl_error(L, "Fn.select: index %d is past the end of a list of %d", (int)i,
                        (int)lua_rawlen(L, 2));
    lua_rawgeti(L, 2, i + 1);
    return 1;
  }
  cJSON *list = arg_value(L, 2);
  cJSON *args = cJSON_CreateArray();
  json_push(args, cJSON_CreateNumber((double)i));
  json_push(args, json_dup(list));
  return push_intrinsic(L, "Fn::Select", args);
}

static int fn_sub(lua_State *L)
{
  cJSON *body = arg_value(L, 1);
  if(lua_isnoneornil(L, 2))
    return push_intrinsic(L, "Fn::Sub", json_dup(body));
  luaL_checktype(L, 2, LUA_TTABLE);
  cJSON *vars = lsfl_to_json(L, 2, "Fn.sub variables");
  cJSON *args = cJSON_CreateArray();
  json_push(args, json_dup(body));
  json_push(args, json_dup(vars));
  return push_intrinsic(L, "Fn::Sub", args);
}

static int fn_get_att(lua_State *L)
{
  return lsfl_push_token(L, cfn_getatt(luaL_checkstring(L, 1), luaL_checkstring(L, 2)));
}

static int fn_ref(lua_State *L)
{
  return lsfl_push_token(L, cfn_ref(luaL_checkstring(L, 1)));
}

/* One-argument intrinsics: Fn.import_value, Fn.base64, Fn.condition_not... */
static int unary(lua_State *L, const char *fn)
{
  return push_intrinsic(L, fn, json_dup(arg_value(L, 1)));
}

static int fn_import_value(lua_State *L) { return unary(L, "Fn::ImportValue"); }
static int fn_base64(lua_State *L) { return unary(L, "Fn::Base64"); }

static int fn_get_azs(lua_State *L)
{
  if(lua_isnoneornil(L, 1)) {
    lua_settop(L, 0);
    lua_pushliteral(L, "");
  }
  return unary(L, "Fn::GetAZs");
}

/* Fn.condition_*: the arguments as the intrinsic's list. */
static int variadic(lua_State *L, const char *fn, const char *name, int min, int max)
{
  int n = lua_gettop(L);
  if(n < min || n > max)
    return min == max ? lsfl_error(L, "Fn.%s takes %d arguments, got %d", name, min, n)
                      : lsfl_error(L, "Fn.%s takes %d to %d conditions, got %d", name, min,
                                   max, n);
  return push_intrinsic(L, fn, args_array(L, 1, n));
}

static int fn_equals(lua_State *L) { return variadic(L, "Fn::Equals", "condition_equals", 2, 2); }
static int fn_and(lua_State *L) { return variadic(L, "Fn::And", "condition_and", 2, 10); }
static int fn_or(lua_State *L) { return variadic(L, "Fn::Or", "condition_or", 2, 10); }
static int fn_not(lua_State *L) { return variadic(L, "Fn::Not", "condition_not", 1, 1); }
static int fn_if(lua_State *L) { return variadic(L, "Fn::If", "condition_if", 3, 3); }

static const luaL_Reg fn_statics[] = {
  {"join", fn_join}, {"split", fn_split}, {"select", fn_select}, {"sub", fn_sub},
  {"get_att", fn_get_att}, {"ref", fn_ref}, {"import_value", fn_import_value},
  {"base64", fn_base64}, {"get_azs", fn_get_azs}, {"condition_equals", fn_equals},
  {"condition_and", fn_and}, {"condition_or", fn_or}, {"condition_not", fn_not},
  {"condition_if", fn_if}, {NULL, NULL}
};

/* }============ */

/* {============ Aws pseudo parameters */

static const struct { const char *member, *ref; } pseudo[] = {
  {"ACCOUNT_ID", "AWS::AccountId"}, {"REGION", "AWS::Region"},
  {"PARTITION", "AWS::Partition"}, {"STACK_NAME", "AWS::StackName"},
  {"STACK_ID", "AWS::StackId"}, {"URL_SUFFIX", "AWS::URLSuffix"},
  {"NOTIFICATION_ARNS", "AWS::NotificationARNs"}, {"NO_VALUE", "AWS::NoValue"},
};

/* {============ Tags */

struct tag_props {
  cJSON *priority;
  cJSON *include_resource_types, *exclude_resource_types;
  int apply_to_launched_instances;
};

#define TOFF(f) offsetof(struct tag_props, f)
static const struct lsfl_prop tag_schema[] = {
  {"apply_to_launched_instances", P_BOOL, TOFF(apply_to_launched_instances), 0, NULL, NULL,
   NULL, 0, NULL},
  {"exclude_resource_types", P_STR_LIST, TOFF(exclude_resource_types), 0, NULL, NULL, NULL, 0,
   NULL},
  {"include_resource_types", P_STR_LIST, TOFF(include_resource_types), 0, NULL, NULL, NULL, 0,
   NULL},
  {"priority", P_INT, TOFF(priority), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

/* A list of resource types (read as JSON strings) into a vec of arena strings. */
static void type_list(lua_State *L, const void *list, struct vec *out)
{
  const cJSON *l = list;
  for(const cJSON *c = l ? l->child : NULL; c; c = c->next)
    if(!cJSON_IsString(c) || vec_push(A(L), out, (void *)arena_strdup(A(L), c->valuestring)))
      lsfl_error(L, "Tags: resource types must be strings such as \"AWS::IAM::Role\"");
}

/* tags:add(key, value, {priority, include_resource_types, ...}) and tags:remove(key, {...}) */
static int tags_op(lua_State *L, int remove)
{
  struct cfn_node *node = lsfl_check(L, 1, LSFL_BIT(TAGS), 0, "sfl.Tags")->node;
  const char *key = luaL_checkstring(L, 2);
  const char *value = remove ? NULL : luaL_checkstring(L, 3);
  int opts = remove ? 3 : 4;
  lua_settop(L, opts);
  struct tag_props p = {0};
  lsfl_read_props(L, opts, tag_schema, &p, remove ? "Tags.remove" : "Tags.add");
  if(!*key)
    return lsfl_error(L, "Tags.%s: the key must not be empty", remove ? "remove" : "add");
  struct cfn_tag_op *op = arena_alloc(A(L), sizeof *op);
  if(!op)
    return luaL_error(L, "not enough memory");
  op->key = arena_strdup(A(L), key);
  op->value = value ? arena_strdup(A(L), value) : NULL;
  op->priority = p.priority ? (int)p.priority->valuedouble : remove ? 200 : 100;
  type_list(L, p.include_resource_types, &op->include);
  type_list(L, p.exclude_resource_types, &op->exclude);
  struct diag d = {0};
  if(!op->key || (value && !op->value) || cfn_tag(node, op, &d))
    return d.status ? lsfl_raise(L, &d) : luaL_error(L, "not enough memory");
  return 0;
}

static int tags_add(lua_State *L) { return tags_op(L, 0); }
static int tags_remove(lua_State *L) { return tags_op(L, 1); }

static const luaL_Reg tags_methods[] = {{"add", tags_add}, {"remove", tags_remove}, {NULL, NULL}};

/* Tags.of(scope) */
static int tags_of(lua_State *L)
{
  struct cfn_node *node = lsfl_check_scope(L, 1);
  lsfl_push(L, LSFL_TAGS, node, node);
  return 1;
}

static const luaL_Reg tags_statics[] = {{"of", tags_of}, {NULL, NULL}};

/* }============ */

/* {============ Token */

/* Token.as_string(x) / as_number / as_list: a token already stands for any type here. */
static int token_as(lua_State *L)
{
  if(!lsfl_test(L, 1, LSFL_BIT(CFN_TOKEN) | LSFL_BIT(JSON_PATH), 0)
     && lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER && !lua_istable(L, 1))
    return luaL_typeerror(L, 1, "sfl.Token, string, number or list");
  lua_settop(L, 1);
  return 1;
}

static int token_is_unresolved(lua_State *L)
{
  lua_pushboolean(L, lsfl_test(L, 1, LSFL_BIT(CFN_TOKEN) | LSFL_BIT(JSON_PATH), 0) != NULL);
  return 1;
}

static const luaL_Reg token_statics[] = {
  {"as_string", token_as}, {"as_number", token_as}, {"as_list", token_as},
  {"is_unresolved", token_is_unresolved}, {NULL, NULL}
};

/* }============ */

void lsfl_register_core_cfn_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_CFN_OUTPUT, NULL, NULL);
  lsfl_new_type(L, LSFL_CFN_PARAMETER, NULL, param_getters);
  lsfl_new_type(L, LSFL_TAGS, tags_methods, NULL);
}

void lsfl_add_core_cfn(lua_State *L)
{
  lsfl_new_class(L, "sfl.CfnOutput", output_new, NULL);
  lua_setfield(L, -2, "CfnOutput");
  lsfl_new_class(L, "sfl.CfnParameter", param_new, NULL);
  lua_setfield(L, -2, "CfnParameter");
  lsfl_new_class(L, "sfl.Fn", NULL, fn_statics);
  lua_setfield(L, -2, "Fn");
  lsfl_new_class(L, "sfl.Tags", NULL, tags_statics);
  lua_setfield(L, -2, "Tags");
  lsfl_new_class(L, "sfl.Token", NULL, token_statics);
  lua_setfield(L, -2, "Token");
  lua_newtable(L);
  for(size_t i = 0; i < sizeof pseudo / sizeof *pseudo; i++) {
    lsfl_push_token(L, cfn_ref(pseudo[i].ref));
    lua_setfield(L, -2, pseudo[i].member);
  }
  lsfl_make_strict(L, "sfl.Aws");
  lua_setfield(L, -2, "Aws");
}
