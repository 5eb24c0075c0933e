/*
** lsfl.c: the binding's shared machinery: the per-state context, userdata boxes and
** their metatables, strict classes and modules, errors located at the user's line,
** and conversion between Lua values and JSON.
*/
#include "lua/lsfl.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const struct lsfl_type_info lsfl_types[LSFL_TYPE_COUNT] = {
#define SFL_TYPE(e, name, flags) {name, flags},
#include "lua/types.h"
#undef SFL_TYPE
};

#define TYPE_FIELD "__sfltype"
#define MAX_JSON_DEPTH 200

/* The registry key of the context: the address of a constant is unique per process. */
static const char ctx_key = 'c';

/* {============ context */

static int ctx_gc(lua_State *L)
{
  struct lsfl_ctx *ctx = lua_touserdata(L, 1);
  arena_free(ctx->arena);
  ctx->arena = NULL;
  return 0;
}

struct lsfl_ctx *lsfl_ctx(lua_State *L)
{
  lua_rawgetp(L, LUA_REGISTRYINDEX, &ctx_key);
  struct lsfl_ctx *ctx = lua_touserdata(L, -1);
  lua_pop(L, 1);
  if(!ctx)
    luaL_error(L, "sfl is not initialised in this Lua state");
  return ctx;
}

static void new_ctx(lua_State *L)
{
  struct lsfl_ctx *ctx = lua_newuserdatauv(L, sizeof *ctx, 0);
  memset(ctx, 0, sizeof *ctx);
  lua_createtable(L, 0, 1);
  lua_pushcfunction(L, ctx_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  ctx->arena = arena_new();
  if(!ctx->arena)
    luaL_error(L, "not enough memory");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &ctx_key);
}

/* }============ */

/* {============ locations and errors */

/* Frames of sfl's own Lua files are not the user's. */
static int is_sfl_source(const char *source)
{
  return !strncmp(source, "=[sfl]", 6) || strstr(source, "/lua/sfl/") != NULL;
}

static int user_frame(lua_State *L, lua_Debug *ar)
{
  for(int level = 1; lua_getstack(L, level, ar); level++) {
    lua_getinfo(L, "Sl", ar);
    if(ar->currentline > 0 && !is_sfl_source(ar->source))
      return 1;
  }
  return 0;
}

static const char *frame_file(const lua_Debug *ar)
{
  return ar->source[0] == '@' || ar->source[0] == '=' ? ar->source + 1 : ar->short_src;
}

void lsfl_where(lua_State *L)
{
  lua_Debug ar;
  if(user_frame(L, &ar))
    lua_pushfstring(L, "%s:%d: ", frame_file(&ar), ar.currentline);
  else
    lua_pushliteral(L, "");
}

struct sfl_loc lsfl_loc(lua_State *L)
{
  struct sfl_loc loc = {0};
  lua_Debug ar;
  if(!user_frame(L, &ar))
    return loc;
  struct lsfl_ctx *ctx = lsfl_ctx(L);
  const char *file = frame_file(&ar);
  const char *interned = strmap_get(&ctx->files, file);
  if(!interned) {
    interned = arena_strdup(ctx->arena, file);
    if(!interned || strmap_set(ctx->arena, &ctx->files, interned, (void *)interned))
      luaL_error(L, "not enough memory");
  }
  loc.file = interned;
  loc.line = ar.currentline;
  return loc;
}

int lsfl_error(lua_State *L, const char *fmt, ...)
{
  /* printf's formatting (lua_pushfstring has no %g, %x, widths...), as the
  ** format(printf) attribute tells the compiler. */
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  lsfl_where(L);
  lua_pushstring(L, msg);
  lua_concat(L, 2);
  return lua_error(L);
}

int lsfl_raise(lua_State *L, const struct diag *d)
{
  if(d->status == SFL_ERR_NOMEM)
    return luaL_error(L, "not enough memory");
  lua_Debug ar;
  if(!user_frame(L, &ar) && d->loc.file)
    return luaL_error(L, "%s:%d: %s", d->loc.file, d->loc.line, d->msg);
  return lsfl_error(L, "%s", d->msg);
}

/* luaL_argerror's rules (methods do not count self), located at the user's line. */
static int arg_error(lua_State *L, int arg, const char *msg)
{
  lua_Debug ar;
  const char *name = NULL;
  if(lua_getstack(L, 0, &ar)) {
    lua_getinfo(L, "n", &ar);
    if(ar.namewhat && !strcmp(ar.namewhat, "method")) {
      arg--;
      if(arg == 0)
        return lsfl_error(L, "calling '%s' on bad self (%s)", ar.name, msg);
    }
    name = ar.name;
  }
  if(!name || !strcmp(name, "__call") || !strcmp(name, "?"))
    return lsfl_error(L, "bad argument #%d (%s)", arg, msg);
  return lsfl_error(L, "bad argument #%d to '%s' (%s)", arg, name, msg);
}

/* }============ */

/* {============ boxes */

struct lsfl_box *lsfl_push(lua_State *L, enum lsfl_type type, void *obj, struct cfn_node *node)
{
  struct lsfl_box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->type = type;
  b->obj = obj;
  b->node = node;
  lsfl_push_metatable(L, type);
  lua_setmetatable(L, -2);
  return b;
}

static struct lsfl_box *to_box(lua_State *L, int idx)
{
  if(lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
    return NULL;
  int t = lua_getfield(L, -1, TYPE_FIELD);
  lua_pop(L, 2);
  return t == LUA_TNUMBER ? lua_touserdata(L, idx) : NULL;
}

struct lsfl_box *lsfl_test(lua_State *L, int idx, lsfl_typeset types, int flags)
{
  struct lsfl_box *b = to_box(L, idx);
  if(!b)
    return NULL;
  if((types & ((lsfl_typeset)1 << b->type)) || (flags && (lsfl_types[b->type].flags & flags) == flags))
    return b;
  return NULL;
}

const char *lsfl_typename(lua_State *L, int idx)
{
  struct lsfl_box *b = to_box(L, idx);
  if(b)
    return lsfl_types[b->type].name;
  return luaL_typename(L, idx);
}

struct lsfl_box *lsfl_check(lua_State *L, int idx, lsfl_typeset types, int flags,
                            const char *expected)
{
  struct lsfl_box *b = lsfl_test(L, idx, types, flags);
  if(!b) {
    const char *msg = lua_pushfstring(L, "%s expected, got %s", expected,
                                      lsfl_typename(L, idx));
    arg_error(L, idx, msg);
  }
  return b;
}

int lsfl_push_token(lua_State *L, cJSON *intrinsic)
{
  if(!intrinsic || !arena_own_json(lsfl_ctx(L)->arena, intrinsic))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_CFN_TOKEN, intrinsic, NULL);
  return 1;
}

int lsfl_push_attribute(lua_State *L, cJSON *value)
{
  if(!cJSON_IsString(value) || (value->type & ~0xFF))
    return lsfl_push_token(L, value);
  lua_pushstring(L, value->valuestring);
  cJSON_Delete(value);
  return 1;
}

struct cfn_node *lsfl_check_scope(lua_State *L, int idx)
{
  return lsfl_check(L, idx, 0, LT_CONSTRUCT, "sfl.constructs.Construct (a scope)")->node;
}

const char *lsfl_check_text(lua_State *L, int idx, const char *what)
{
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  size_t nul = strlen(s), bad = json_utf8_check(s, nul);
  char why[96];   /* lsfl_error formats as lua_pushfstring: no %zu or %02X there */
  if(bad < nul)
    snprintf(why, sizeof why, "is not valid UTF-8 (byte 0x%02X at offset %zu); templates "
             "are UTF-8 JSON", (unsigned char)s[bad], bad);
  else if(nul < len)
    snprintf(why, sizeof why, "holds a NUL byte (at offset %zu), which a template cannot "
             "carry", nul);
  else
    return s;
  lsfl_error(L, "%s: a string %s", what, why);
  return s;
}

const char *lsfl_check_id(lua_State *L, int idx)
{
  if(lua_type(L, idx) != LUA_TSTRING)
    arg_error(L, idx, lua_pushfstring(L, "construct id (a string) expected, got %s",
                                      lsfl_typename(L, idx)));
  const char *id = lsfl_check_text(L, idx, "construct id");
  if(!*id)
    arg_error(L, idx, "construct id must not be empty");
  return id;
}

struct asl_chain *lsfl_check_chainable(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_check(L, idx, 0, LT_CHAINABLE,
                                  "sfl.aws_stepfunctions.IChainable");
  if(b->type == LSFL_CHAIN)
    return b->obj;
  if(b->type == LSFL_FRAGMENT)
    return lsfl_fragment_chain(L, b->obj);
  struct asl_chain *c = asl_chain_of_state(lsfl_ctx(L)->arena, b->obj);
  if(!c)
    luaL_error(L, "not enough memory");
  return c;
}

struct asl_state *lsfl_check_state(lua_State *L, int idx)
{
  return lsfl_check(L, idx, 0, LT_ISSTATE, "sfl.aws_stepfunctions.State")->obj;
}

/* }============ */

/* {============ metatables, classes, modules */

int lsfl_no_member(lua_State *L, const char *name)
{
  if(lua_type(L, 2) == LUA_TSTRING)
    return lsfl_error(L, "%s has no member '%s'", name, lua_tostring(L, 2));
  return lsfl_error(L, "%s has no member %s", name, luaL_tolstring(L, 2, NULL));
}

/* A strict table's name is its metatable's __name (one light function serves them all). */
static int strict_index(lua_State *L)
{
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "__name");
  return lsfl_no_member(L, lua_tostring(L, -1));
}

void lsfl_make_strict(lua_State *L, const char *name)
{
  if(!lua_getmetatable(L, -1))
    lua_createtable(L, 0, 4);
  lua_pushcfunction(L, strict_index);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, name);
  lua_setfield(L, -2, "__name");
  lua_setmetatable(L, -2);
}

/* Adds the next group of the lazy module at idx; 0 when every group is there. */
static int add_next_group(lua_State *L, int idx)
{
  lua_getmetatable(L, idx);
  lua_getfield(L, -1, "__sflgroups");
  const lsfl_adder *groups = lua_touserdata(L, -1);
  lua_getfield(L, -2, "__sfladded");
  lua_Integer added = lua_tointeger(L, -1);
  lua_pop(L, 2);
  if(!groups || !groups[added]) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pushinteger(L, added + 1);   /* counted first: a group that raises is not retried */
  lua_setfield(L, -2, "__sfladded");
  lua_pushvalue(L, idx);
  groups[added](L);
  lua_pop(L, 2);
  return 1;
}

static int lazy_index(lua_State *L)
{
  lua_settop(L, 2);
  while(add_next_group(L, 1)) {
    lua_pushvalue(L, 2);
    if(lua_rawget(L, 1) != LUA_TNIL)
      return 1;
    lua_pop(L, 1);
  }
  return strict_index(L);
}

static int raw_next(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if(lua_next(L, 1))
    return 2;
  lua_pushnil(L);
  return 1;
}

int lsfl_raw_pairs(lua_State *L)
{
  lua_settop(L, 1);
  lua_pushcfunction(L, raw_next);
  lua_insert(L, 1);
  lua_pushnil(L);
  return 3;
}

static int lazy_pairs(lua_State *L)
{
  lua_settop(L, 1);
  while(add_next_group(L, 1))
    ;
  return lsfl_raw_pairs(L);
}

void lsfl_make_lazy(lua_State *L, const char *name, const lsfl_adder *groups)
{
  lsfl_make_strict(L, name);
  lua_getmetatable(L, -1);
  lua_pushcfunction(L, lazy_index);
  lua_setfield(L, -2, "__index");
  lua_pushcfunction(L, lazy_pairs);
  lua_setfield(L, -2, "__pairs");
  lua_pushlightuserdata(L, (void *)groups);
  lua_setfield(L, -2, "__sflgroups");
  lua_pop(L, 1);
}

static int type_index(lua_State *L)
{
  lua_pushvalue(L, 2);
  if(lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
    return 1;
  lua_pop(L, 1);
  const struct lsfl_getter *g = lua_touserdata(L, lua_upvalueindex(2));
  const char *key = lua_tostring(L, 2);
  struct lsfl_box *self = lua_touserdata(L, 1);
  for(; key && g && g->name; g++)
    if(!strcmp(g->name, key))
      return g->get(L, self);
  return lsfl_error(L, "%s has no method or property '%s'", lsfl_types[self->type].name,
                    key ? key : luaL_tolstring(L, 2, NULL));
}

static int type_newindex(lua_State *L)
{
  struct lsfl_box *self = lua_touserdata(L, 1);
  return lsfl_error(L, "cannot set '%s' on %s: its properties are read-only",
                    luaL_tolstring(L, 2, NULL), lsfl_types[self->type].name);
}

static int type_tostring(lua_State *L)
{
  struct lsfl_box *self = lua_touserdata(L, 1);
  const char *name = lsfl_types[self->type].name;
  const char *dot = strrchr(name, '.');
  if(self->node)
    lua_pushfstring(L, "%s(%s)", dot ? dot + 1 : name,
                    cfn_node_path(lsfl_ctx(L)->arena, self->node));
  else
    lua_pushstring(L, dot ? dot + 1 : name);
  return 1;
}

/* Sets metamethod `name` of the metatable at the top unless a method list set it. */
static void default_metamethod(lua_State *L, const char *name, lua_CFunction f)
{
  if(lua_getfield(L, -1, name) == LUA_TNIL) {
    lua_pushcfunction(L, f);
    lua_setfield(L, -3, name);
  }
  lua_pop(L, 1);
}

/* Into the methods table at the top (metamethods into the metatable below it). */
static void add_methods(lua_State *L, const luaL_Reg *methods)
{
  for(const luaL_Reg *m = methods; m && m->name; m++) {
    lua_pushcfunction(L, m->func);
    lua_setfield(L, strncmp(m->name, "__", 2) ? -2 : -3, m->name);
  }
}

/* Makes the metatable of `type` from its spec and leaves it on the stack. */
static void build_type(lua_State *L, enum lsfl_type type, const struct lsfl_type_spec *t)
{
  /* luaL_newmetatable's table, made the size it ends up. */
  lua_createtable(L, 0, 8);
  lua_pushstring(L, lsfl_types[type].name);
  lua_setfield(L, -2, "__name");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, lsfl_types[type].name);
  lua_pushinteger(L, type);
  lua_setfield(L, -2, TYPE_FIELD);
  int nmethods = 0, ngetters = 0;
  for(const luaL_Reg *m = t->methods; m && m->name; m++)
    nmethods++;
  for(const luaL_Reg *m = t->more; m && m->name; m++)
    nmethods++;
  while(t->getters && t->getters[ngetters].name)
    ngetters++;
  lua_createtable(L, 0, nmethods);
  add_methods(L, t->methods);
  add_methods(L, t->more);
  /* sfl.introspect lists what instances offer: the methods, and the getters' names. */
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "__sflmethods");
  lua_createtable(L, ngetters, 0);
  for(lua_Integer i = 0; i < ngetters; i++) {
    lua_pushstring(L, t->getters[i].name);
    lua_rawseti(L, -2, i + 1);
  }
  lua_setfield(L, -3, "__sflgetters");
  lua_pushlightuserdata(L, (void *)t->getters);
  lua_pushcclosure(L, type_index, 2);
  lua_setfield(L, -2, "__index");
  default_metamethod(L, "__newindex", type_newindex);
  default_metamethod(L, "__tostring", type_tostring);
}

int lsfl_push_metatable(lua_State *L, enum lsfl_type type)
{
  if(luaL_getmetatable(L, lsfl_types[type].name) != LUA_TNIL)
    return 1;
  lua_pop(L, 1);
  const struct lsfl_type_spec *t = &lsfl_ctx(L)->types[type];
  if(!t->registered) {
    lua_pushnil(L);
    return 0;
  }
  build_type(L, type, t);
  return 1;
}

void lsfl_new_type_with(lua_State *L, enum lsfl_type type, const luaL_Reg *methods,
                        const luaL_Reg *more, const struct lsfl_getter *getters)
{
  lsfl_ctx(L)->types[type] = (struct lsfl_type_spec){methods, more, getters, 1};
}

void lsfl_new_type(lua_State *L, enum lsfl_type type, const luaL_Reg *methods,
                   const struct lsfl_getter *getters)
{
  lsfl_new_type_with(L, type, methods, NULL, getters);
}

/* Calling a class: its constructor, kept in the class's metatable, without the class. */
static int class_call(lua_State *L)
{
  lua_getmetatable(L, 1);
  lua_getfield(L, -1, "__sflctor");
  lua_CFunction ctor = lua_tocfunction(L, -1);
  lua_pop(L, 2);
  lua_remove(L, 1);
  return ctor(L);
}

void lsfl_new_class(lua_State *L, const char *name, lua_CFunction ctor, const luaL_Reg *statics)
{
  int n = 0;
  while(statics && statics[n].name)
    n++;
  lua_createtable(L, 0, n);
  if(statics)
    luaL_setfuncs(L, statics, 0);
  lsfl_make_strict(L, name);
  if(ctor) {
    lua_getmetatable(L, -1);
    lua_pushcfunction(L, ctor);
    lua_setfield(L, -2, "__sflctor");
    lua_pushcfunction(L, class_call);
    lua_setfield(L, -2, "__call");
    lua_pop(L, 1);
  }
}

void lsfl_new_enum(lua_State *L, const char *name, const char *const *members,
                   const char *const *values)
{
  int n = 0;
  while(members[n])
    n++;
  lua_createtable(L, 0, n);
  for(int i = 0; i < n; i++) {
    lua_pushstring(L, values[i]);
    lua_setfield(L, -2, members[i]);
  }
  lsfl_make_strict(L, name);
}

/* }============ */

/* {============ JSON from and to Lua */

const char *lsfl_token_path(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(JSON_PATH), 0);
  return b ? ((cJSON *)b->obj)->valuestring : NULL;
}

static cJSON *json_scalar(lua_State *L, int idx, const char *what, int *is_table);

static int compare_keys(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Fills container `out` from the table at idx (absolute index). */
static void fill_table(lua_State *L, int idx, cJSON *out, const char *what, int depth);

static cJSON *value_to_json(lua_State *L, int idx, const char *what, int depth, cJSON *parent,
                            const char *key)
{
  int is_table = 0;
  cJSON *v = json_scalar(L, idx, what, &is_table);
  if(is_table) {
    if(depth > MAX_JSON_DEPTH)
      lsfl_error(L, "%s: tables nested more than %d deep (is a table inside itself?)", what,
                 MAX_JSON_DEPTH);
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    v = n > 0 ? cJSON_CreateArray() : cJSON_CreateObject();
  }
  if(!v)
    luaL_error(L, "not enough memory");
  /* Attach before filling so a later error cannot leak it. */
  if(parent) {
    if(!(key ? json_put(parent, key, v) : json_push(parent, v)))
      luaL_error(L, "not enough memory");
  }
  else
    arena_own_json(lsfl_ctx(L)->arena, v);
  if(is_table)
    fill_table(L, lua_absindex(L, idx), v, what, depth + 1);
  return v;
}

static void fill_table(lua_State *L, int idx, cJSON *out, const char *what, int depth)
{
  luaL_checkstack(L, 4, "JSON value nested too deeply");
  if(cJSON_IsArray(out)) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
    lua_pushnil(L);
    while(lua_next(L, idx)) {
      count++;
      lua_pop(L, 1);
    }
    if(count != n)
      lsfl_error(L, "%s: a table mixes list items and named keys; use either a list "
                    "{a, b} or a map {k = v}", what);
    for(lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, idx, i);
      value_to_json(L, -1, what, depth, out, NULL);
      lua_pop(L, 1);
    }
    return;
  }
  size_t n = 0;
  lua_pushnil(L);
  while(lua_next(L, idx)) {
    if(lua_type(L, -2) != LUA_TSTRING)
      lsfl_error(L, "%s: a map key must be a string, got %s", what, luaL_typename(L, -2));
    n++;
    lua_pop(L, 1);
  }
  const char **keys = arena_alloc(lsfl_ctx(L)->arena, (n + 1) * sizeof *keys);
  if(!keys)
    luaL_error(L, "not enough memory");
  size_t k = 0;
  lua_pushnil(L);
  while(lua_next(L, idx)) {
    keys[k++] = lsfl_check_text(L, -2, what);  /* anchored by the table */
    lua_pop(L, 1);
  }
  qsort(keys, n, sizeof *keys, compare_keys);
  for(size_t i = 0; i < n; i++) {
    lua_getfield(L, idx, keys[i]);
    value_to_json(L, -1, what, depth, out, keys[i]);
    lua_pop(L, 1);
  }
}

static cJSON *json_scalar(lua_State *L, int idx, const char *what, int *is_table)
{
  switch(lua_type(L, idx)) {
  case LUA_TBOOLEAN: return cJSON_CreateBool(lua_toboolean(L, idx));
  case LUA_TSTRING: return cJSON_CreateString(lsfl_check_text(L, idx, what));
  case LUA_TNUMBER: {
    lua_Number n = lua_tonumber(L, idx);
    if(isnan(n) || isinf(n))
      lsfl_error(L, "%s: %s is not a JSON number", what, lua_tostring(L, idx));
    return cJSON_CreateNumber(n);
  }
  case LUA_TTABLE:
    *is_table = 1;
    return NULL;
  case LUA_TUSERDATA: {
    struct lsfl_box *b = lsfl_test(L, idx, 0, LT_JSON);
    if(b && b->type == LSFL_NULL_VALUE)
      return cJSON_CreateNull();
    if(b)
      return json_dup(b->obj);
    break;
  }
  default:
    break;
  }
  lsfl_error(L, "%s: %s cannot be used as a JSON value", what, lsfl_typename(L, idx));
  return NULL;
}

cJSON *lsfl_to_json(lua_State *L, int idx, const char *what)
{
  return value_to_json(L, lua_absindex(L, idx), what, 0, NULL, NULL);
}

void lsfl_push_json(lua_State *L, const cJSON *j)
{
  luaL_checkstack(L, 3, "JSON value nested too deeply");
  if(!j) {
    lua_pushnil(L);
    return;
  }
  switch(j->type & 0xFF) {
  case cJSON_False: lua_pushboolean(L, 0); return;
  case cJSON_True: lua_pushboolean(L, 1); return;
  case cJSON_NULL: lsfl_push_null(L); return;
  case cJSON_Number: {
    double d = j->valuedouble;
    if(d == floor(d) && fabs(d) < 9007199254740992.0)
      lua_pushinteger(L, (lua_Integer)d);
    else
      lua_pushnumber(L, d);
    return;
  }
  case cJSON_String: lua_pushstring(L, j->valuestring); return;
  case cJSON_Array: {
    lua_createtable(L, cJSON_GetArraySize(j), 0);
    lua_Integer i = 1;
    for(const cJSON *c = j->child; c; c = c->next) {
      lsfl_push_json(L, c);
      lua_rawseti(L, -2, i++);
    }
    return;
  }
  case cJSON_Object:
    lua_newtable(L);
    for(const cJSON *c = j->child; c; c = c->next) {
      lsfl_push_json(L, c);
      lua_setfield(L, -2, c->string);
    }
    return;
  default:
    lua_pushnil(L);
  }
}

/* }============ */

const char *lsfl_asset_path(lua_State *L, const char *path, const char *what)
{
  const char *full = path;
  if(path[0] != '/') {
    const char *dir = lsfl_ctx(L)->app_dir;
    char cwd[4096];
    if(!dir && !(dir = getcwd(cwd, sizeof cwd)))
      lsfl_error(L, "%s: cannot tell the current folder: %s", what, strerror(errno));
    full = lua_pushfstring(L, "%s/%s", dir, path);
  }
  if(!lsfl_sandbox_allows(L, full))
    lsfl_error(L, "%s: '%s' is outside the folder this sandbox allows", what, path);
  return full;
}

/* The one sfl.null value lives in the registry. */
static const char null_key = 'n';

void lsfl_push_null(lua_State *L)
{
  lua_rawgetp(L, LUA_REGISTRYINDEX, &null_key);
}

void lsfl_open(lua_State *L)
{
  new_ctx(L);
  lsfl_register_core_types(L);
  lsfl_register_size_type(L);
  lsfl_register_lambda_types(L);
  lsfl_register_sfn_types(L);
  lsfl_register_task_types(L);
  lsfl_register_logs_types(L);
  lsfl_register_dynamodb_types(L);
  lsfl_register_ec2_types(L);
  lsfl_register_ecs_types(L);
  lsfl_register_bedrock_types(L);
  lsfl_register_kms_types(L);
  lsfl_register_iam_types(L);
  lsfl_register_s3_types(L);
  lsfl_register_messaging_types(L);
  lsfl_register_events_types(L);
  lsfl_push(L, LSFL_NULL_VALUE, lsfl_ctx(L)->arena ? arena_own_json(lsfl_ctx(L)->arena,
                                                                    cJSON_CreateNull()) : NULL,
            NULL);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &null_key);
  static const luaL_Reg modules[] = {
    {"sfl", lsfl_open_core},
    {"sfl.core", lsfl_open_core},
    {"sfl.constructs", lsfl_open_constructs},
    {"sfl.aws_lambda", lsfl_open_lambda},
    {"sfl.aws_stepfunctions", lsfl_open_stepfunctions},
    {"sfl.aws_stepfunctions_tasks", lsfl_open_tasks},
    {"sfl.aws_logs", lsfl_open_logs},
    {"sfl.aws_dynamodb", lsfl_open_dynamodb},
    {"sfl.aws_ec2", lsfl_open_ec2},
    {"sfl.aws_ecs", lsfl_open_ecs},
    {"sfl.aws_bedrock", lsfl_open_bedrock},
    {"sfl.aws_kms", lsfl_open_kms},
    {"sfl.aws_iam", lsfl_open_iam},
    {"sfl.aws_s3", lsfl_open_s3},
    {"sfl.aws_sns", lsfl_open_sns},
    {"sfl.aws_events", lsfl_open_events},
    {"sfl.aws_sqs", lsfl_open_sqs},
    {"sfl.testing", lsfl_open_testing},
    {"sfl.introspect", lsfl_open_introspect},
    {NULL, NULL}
  };
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_PRELOAD_TABLE);
  for(const luaL_Reg *m = modules; m->name; m++) {
    lua_pushcfunction(L, m->func);
    lua_setfield(L, -2, m->name);
  }
  lua_pop(L, 1);
}

cJSON *lsfl_check_str_value(lua_State *L, int idx, const char *what)
{
  if(lua_type(L, idx) != LUA_TSTRING && !lsfl_test(L, idx, LSFL_BIT(CFN_TOKEN), 0))
    return lsfl_error(L, "%s must be a string, got %s", what, lsfl_typename(L, idx)), NULL;
  return lsfl_to_json(L, idx, what);
}
