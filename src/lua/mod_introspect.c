/*
** mod_introspect.c: `sfl.introspect`, what tools learn about the Lua API from the tables
** the bindings themselves read: each constructor's props schema, each type's methods and
** properties. tools/luals_stubs.lua writes the editor stubs from it.
*/
#include "lua/props.h"

#include <string.h>

static const char *const kind_names[] = {
  [P_STRING] = "string", [P_BOOL] = "bool", [P_JSON] = "json", [P_STR] = "str",
  [P_NUM] = "num", [P_INT] = "int", [P_BOOLEAN] = "boolean", [P_PATH] = "path",
  [P_DURATION] = "duration", [P_OBJECT] = "object", [P_STR_LIST] = "str_list",
  [P_STR_MAP] = "str_map", [P_STRUCT] = "struct", [P_STRUCT_LIST] = "struct_list",
  [P_ENUM] = "enum", [P_USERDATA] = "userdata", [P_CHAINABLE] = "chainable",
  [P_TASK_INPUT] = "task_input", [P_IGNORED_TRUE] = "ignored_true", [P_NESTED] = "nested",
  [P_USERDATA_LIST] = "userdata_list", [P_NESTED_LIST] = "nested_list",
  [P_USERDATA_MAP] = "userdata_map",
};

static void push_strings(lua_State *L, const char *const *list)
{
  lua_newtable(L);
  for(lua_Integer i = 0; list && list[i]; i++) {
    lua_pushstring(L, list[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

static void push_type_names(lua_State *L, lsfl_typeset types)
{
  lua_newtable(L);
  lua_Integer n = 0;
  for(int t = 0; t < LSFL_TYPE_COUNT; t++)
    if(types & ((lsfl_typeset)1 << t)) {
      lua_pushstring(L, lsfl_types[t].name);
      lua_rawseti(L, -2, ++n);
    }
}

/* `up` lists the schemas being described around this one: a schema that holds itself
** (EMR's Configurations) is described once, then named as {recursive = what}. */
struct schema_path {
  const struct lsfl_prop *schema;
  const struct schema_path *up;
};

static void push_schema(lua_State *L, const struct lsfl_prop *schema, const char *what,
                        const struct schema_path *up)
{
  luaL_checkstack(L, 8, "schema too deep");
  for(const struct schema_path *a = up; a; a = a->up)
    if(a->schema == schema) {
      lua_newtable(L);
      lua_pushstring(L, what);
      lua_setfield(L, -2, "recursive");
      return;
    }
  struct schema_path here = {schema, up};
  lua_newtable(L);
  lua_pushstring(L, what);
  lua_setfield(L, -2, "what");
  lua_newtable(L);
  lua_Integer n = 0;
  for(const struct lsfl_prop *p = schema; p->name; p++) {
    lua_newtable(L);
    lua_pushstring(L, p->name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, kind_names[p->type]);
    lua_setfield(L, -2, "kind");
    lua_pushboolean(L, (p->flags & PROP_REQUIRED) != 0);
    lua_setfield(L, -2, "required");
    if(p->values) {
      push_strings(L, p->values);
      lua_setfield(L, -2, "values");
    }
    if(p->type == P_USERDATA || p->type == P_USERDATA_LIST || p->type == P_USERDATA_MAP) {
      push_type_names(L, p->types);
      lua_setfield(L, -2, "types");
    }
    if(p->sub) {
      push_schema(L, p->sub, p->name, &here);
      lua_setfield(L, -2, "sub");
    }
    lua_rawseti(L, -2, ++n);
  }
  lua_setfield(L, -2, "props");
}

void lsfl_push_schema(lua_State *L, const struct lsfl_prop *schema, const char *what)
{
  push_schema(L, schema, what, NULL);
}

/* introspect.props_of(f, ...): calls f(...) in describe mode; the first props table it
** reads comes back as a description (nil when f reads none). */
static int props_of(lua_State *L)
{
  luaL_checkany(L, 1);
  struct lsfl_ctx *ctx = lsfl_ctx(L);
  ctx->describe = 1;
  int status = lua_pcall(L, lua_gettop(L) - 1, 0, 0);
  ctx->describe = 0;
  if(status == LUA_OK || !lua_istable(L, -1))
    lua_pushnil(L);
  return 1;
}

/* introspect.members_of(type_name): {methods = {...}, properties = {...}} or nil. */
static int members_of(lua_State *L)
{
  const char *name = luaL_checkstring(L, 1);
  int type = 0;
  while(type < LSFL_TYPE_COUNT && strcmp(lsfl_types[type].name, name))
    type++;
  if(type == LSFL_TYPE_COUNT || !lsfl_push_metatable(L, type))
    return 0;
  lua_newtable(L);
  lua_newtable(L);
  lua_Integer n = 0;
  lua_getfield(L, -3, "__sflmethods");
  if(lua_istable(L, -1)) {
    lua_pushnil(L);
    while(lua_next(L, -2)) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      lua_rawseti(L, -4, ++n);
    }
  }
  lua_pop(L, 1);
  lua_setfield(L, -2, "methods");
  lua_getfield(L, -2, "__sflgetters");
  lua_setfield(L, -2, "properties");
  return 1;
}

/* introspect.types([chainable]): every box type's name (or only those of the states,
** chains and fragments that go where an IChainable is taken). */
static int types(lua_State *L)
{
  int chainable = lua_toboolean(L, 1);
  lua_createtable(L, LSFL_TYPE_COUNT, 0);
  lua_Integer n = 0;
  for(int t = 0; t < LSFL_TYPE_COUNT; t++)
    if(!chainable || (lsfl_types[t].flags & LT_CHAINABLE)) {
      lua_pushstring(L, lsfl_types[t].name);
      lua_rawseti(L, -2, ++n);
    }
  return 1;
}

/* introspect.type_of(value): the sfl type name of a box, or nil. */
static int type_of(lua_State *L)
{
  struct lsfl_box *b = lsfl_test(L, 1, ~(lsfl_typeset)0, 0);
  if(!b)
    return 0;
  lua_pushstring(L, lsfl_types[b->type].name);
  return 1;
}

int lsfl_open_introspect(lua_State *L)
{
  static const luaL_Reg fns[] = {
    {"props_of", props_of}, {"members_of", members_of}, {"types", types},
    {"type_of", type_of}, {NULL, NULL}
  };
  luaL_newlib(L, fns);
  return 1;
}
