/*
** props.c: reading props tables against their schema (see props.h).
*/
#include "lua/props.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

static cJSON *own(lua_State *L, cJSON *j)
{
  if(!j || !arena_own_json(A(L), j))
    luaL_error(L, "not enough memory");
  return j;
}

/* {============ "did you mean" */

static size_t edit_distance(const char *a, const char *b)
{
  size_t la = strlen(a), lb = strlen(b);
  if(la > 64 || lb > 64)
    return 99;
  size_t row[65];
  for(size_t j = 0; j <= lb; j++)
    row[j] = j;
  for(size_t i = 1; i <= la; i++) {
    size_t diag = row[0];
    row[0] = i;
    for(size_t j = 1; j <= lb; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if(row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      if(up + 1 < best)
        best = up + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[lb];
}

/* Lowercase without underscores: "resultPath" and "result_path" meet as "resultpath". */
static void fold(const char *s, char *out, size_t size)
{
  size_t n = 0;
  for(; *s && n + 1 < size; s++)
    if(*s != '_')
      out[n++] = (char)tolower((unsigned char)*s);
  out[n] = '\0';
}

static const char *suggest(const char *key, const struct lsfl_prop *schema)
{
  char fk[128], fn[128];
  fold(key, fk, sizeof fk);
  const char *best = NULL;
  size_t best_d = (size_t)-1, limit = strlen(key) < 6 ? 1 : 2 + strlen(key) / 8;
  for(const struct lsfl_prop *p = schema; p->name; p++) {
    fold(p->name, fn, sizeof fn);
    size_t dist = strcmp(fk, fn) ? edit_distance(key, p->name) : 0;
    if(dist < best_d) {
      best_d = dist;
      best = p->name;
    }
  }
  return best_d <= limit ? best : NULL;
}

static int unknown_prop(lua_State *L, const char *what, const char *key,
                        const struct lsfl_prop *schema)
{
  const char *hint = suggest(key, schema);
  if(hint)
    return lsfl_error(L, "%s: unknown prop '%s'; did you mean '%s'?", what, key, hint);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for(const struct lsfl_prop *p = schema; p->name; p++) {
    if(p != schema)
      luaL_addstring(&b, ", ");
    luaL_addstring(&b, p->name);
  }
  luaL_pushresult(&b);
  return lsfl_error(L, "%s: unknown prop '%s' (known props: %s)", what, key,
                    lua_tostring(L, -1));
}

/* }============ */

static int type_error(lua_State *L, const char *what, const struct lsfl_prop *p,
                      const char *expected, int idx)
{
  return lsfl_error(L, "%s: prop '%s' must be %s, got %s", what, p->name, expected,
                    lsfl_typename(L, idx));
}

/* A JsonPath or CloudFormation token standing for a value, or NULL. */
static cJSON *token_value(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(JSON_PATH) | LSFL_BIT(CFN_TOKEN), 0);
  return b ? own(L, json_dup(b->obj)) : NULL;
}

static cJSON *read_struct(lua_State *L, int idx, const struct lsfl_prop *p, const char *what);
static void read_into(lua_State *L, int idx, const struct lsfl_prop *schema, void *dest,
                      cJSON *obj, const char *what);

static cJSON *read_str_list(lua_State *L, int idx, const struct lsfl_prop *p, const char *what)
{
  cJSON *tok = token_value(L, idx);
  if(tok)
    return tok;
  if(!lua_istable(L, idx))
    type_error(L, what, p, "a list of strings or a JsonPath.list_at(...) token", idx);
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  cJSON *arr = own(L, cJSON_CreateArray());
  for(lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    if(lsfl_token_path(L, -1))
      lsfl_error(L, "%s: prop '%s': item %d is a JsonPath token; a list can be taken from "
                    "the state input whole (JsonPath.list_at('$.args')) or built with "
                    "JsonPath.array(...), not mixed", what, p->name, (int)i);
    cJSON *v = token_value(L, -1);
    if(!v && lua_type(L, -1) != LUA_TSTRING)
      lsfl_error(L, "%s: prop '%s': item %d must be a string, got %s", what, p->name, (int)i,
                 lsfl_typename(L, -1));
    if(!json_push(arr, v ? json_dup(v) : cJSON_CreateString(lsfl_check_text(L, -1, what))))
      luaL_error(L, "not enough memory");
    lua_pop(L, 1);
  }
  return arr;
}

static cJSON *read_enum(lua_State *L, int idx, const struct lsfl_prop *p, const char *what)
{
  const char *s = lua_type(L, idx) == LUA_TSTRING ? lua_tostring(L, idx) : NULL;
  for(size_t i = 0; s && p->values[i]; i++)
    if(!strcmp(s, p->values[i]))
      return own(L, cJSON_CreateString(s));
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for(size_t i = 0; p->values[i]; i++) {
    if(i)
      luaL_addstring(&b, ", ");
    luaL_addstring(&b, p->values[i]);
  }
  luaL_pushresult(&b);
  if(s)
    return lsfl_error(L, "%s: prop '%s' must be one of %s, got '%s'", what, p->name,
                      lua_tostring(L, -1), s), NULL;
  return lsfl_error(L, "%s: prop '%s' must be one of %s, got %s", what, p->name,
                    lua_tostring(L, -1), lsfl_typename(L, idx)), NULL;
}

static cJSON *read_path(lua_State *L, int idx, const struct lsfl_prop *p, const char *what)
{
  cJSON *tok = token_value(L, idx);
  if(tok)
    return tok;
  if(lsfl_test(L, idx, LSFL_BIT(NULL_VALUE), 0))
    return own(L, cJSON_CreateNull());
  if(lua_type(L, idx) != LUA_TSTRING)
    type_error(L, what, p, "a JSON path string ('$.field') or sfn.JsonPath.DISCARD", idx);
  const char *s = lsfl_check_text(L, idx, what);
  if(s[0] != '$')
    lsfl_error(L, "%s: prop '%s': Expected JSON path to start with '$', got: %s", what,
               p->name, s);
  return own(L, cJSON_CreateString(s));
}

static cJSON *read_number(lua_State *L, int idx, const struct lsfl_prop *p, const char *what,
                          int whole)
{
  cJSON *tok = token_value(L, idx);
  if(tok && (p->flags & PROP_NO_TOKEN))
    lsfl_error(L, "%s: prop '%s' cannot come from the state input (a JsonPath token): the "
                  "ASL field has no path form", what, p->name);
  if(tok)
    return tok;
  if(lua_type(L, idx) != LUA_TNUMBER)
    type_error(L, what, p, whole ? "a whole number" : "a number", idx);
  lua_Number n = lua_tonumber(L, idx);
  if(whole && n != floor(n))
    lsfl_error(L, "%s: prop '%s' must be a whole number, got %s", what, p->name,
               lua_tostring(L, idx));
  if(isnan(n) || isinf(n))
    lsfl_error(L, "%s: prop '%s' must be a finite number", what, p->name);
  return own(L, cJSON_CreateNumber(n));
}

/* The duration box holds whole milliseconds; CDK's toSeconds() rejects fractions. */
static cJSON *read_duration(lua_State *L, int idx, const struct lsfl_prop *p, const char *what)
{
  struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(DURATION), 0);
  if(!b)
    type_error(L, what, p, "a cdk.Duration (e.g. cdk.Duration.seconds(30))", idx);
  double ms = *(double *)b->obj;
  if(fmod(ms, 1000) != 0)
    lsfl_error(L, "%s: prop '%s': '%g millis' cannot be converted into a whole number of "
                  "seconds", what, p->name, ms);
  return own(L, cJSON_CreateNumber(ms / 1000));
}

/* A list of boxes (P_USERDATA_LIST) or of tables read into structs (P_NESTED_LIST). */
static struct vec *read_list(lua_State *L, int idx, const struct lsfl_prop *p, const char *what)
{
  int boxes = p->type == P_USERDATA_LIST;
  if(!lua_istable(L, idx))
    type_error(L, what, p, boxes ? p->expected : "a list of tables", idx);
  struct vec *v = arena_alloc(A(L), sizeof *v);
  if(!v)
    luaL_error(L, "not enough memory");
  const struct lsfl_prop *end = p->sub;
  while(!boxes && end->name)
    end++;
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  for(lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    void *item = NULL;
    if(boxes) {
      struct lsfl_box *b = lsfl_test(L, -1, p->types, 0);
      if(!b)
        lsfl_error(L, "%s: prop '%s': item %d must be %s, got %s", what, p->name, (int)i,
                   p->expected, lsfl_typename(L, -1));
      item = b->obj;
    }
    else {
      if(!lua_istable(L, -1))
        lsfl_error(L, "%s: prop '%s': item %d must be a table, got %s", what, p->name, (int)i,
                   lsfl_typename(L, -1));
      item = arena_alloc(A(L), end->offset);
      if(!item)
        luaL_error(L, "not enough memory");
      memset(item, 0, end->offset);
      const char *inner = lua_pushfstring(L, "%s prop '%s'", what, p->name);
      read_into(L, lua_gettop(L) - 1, p->sub, item, NULL, inner);
      lua_pop(L, 1);
    }
    if(vec_push(A(L), v, item))
      luaL_error(L, "not enough memory");
    lua_pop(L, 1);
  }
  return v;
}

static void *check_box(lua_State *L, int idx, const struct lsfl_prop *p, const char *what,
                       const char *item)
{
  struct lsfl_box *b = lsfl_test(L, idx, p->types, 0);
  if(!b)
    lsfl_error(L, "%s: prop '%s': %s must be %s, got %s", what, p->name, item, p->expected,
               lsfl_typename(L, idx));
  return b->obj;
}

static int compare_names(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* name = box pairs, sorted by name (Lua tables have no order). */
static void read_box_map(lua_State *L, int idx, const struct lsfl_prop *p, struct vec *out,
                         const char *what)
{
  if(!lua_istable(L, idx) || lua_rawlen(L, idx) > 0)
    type_error(L, what, p, "a table of name = value", idx);
  struct vec names = {0};
  lua_pushnil(L);
  while(lua_next(L, idx)) {
    if(lua_type(L, -2) != LUA_TSTRING)
      lsfl_error(L, "%s: prop '%s': names must be strings, got %s", what, p->name,
                 luaL_typename(L, -2));
    if(vec_push(A(L), &names, (void *)arena_strdup(A(L), lua_tostring(L, -2))))
      luaL_error(L, "not enough memory");
    lua_pop(L, 1);
  }
  if(names.n)
    qsort(names.items, names.n, sizeof *names.items, compare_names);
  for(size_t i = 0; i < names.n; i++) {
    lua_getfield(L, idx, names.items[i]);
    const char *item = lua_pushfstring(L, "'%s'", (const char *)names.items[i]);
    void *obj = check_box(L, -2, p, what, item);
    if(vec_push(A(L), out, names.items[i]) || vec_push(A(L), out, obj))
      luaL_error(L, "not enough memory");
    lua_pop(L, 2);
  }
}

/* Reads one value of type p->type at idx; returns where it should be stored. */
static void read_value(lua_State *L, int idx, const struct lsfl_prop *p, void *slot,
                       const char *what)
{
  cJSON **out = slot;
  switch(p->type) {
  case P_STRING:
    if(lua_type(L, idx) != LUA_TSTRING)
      type_error(L, what, p, "a string", idx);
    *(const char **)slot = arena_strdup(A(L), lsfl_check_text(L, idx, what));
    return;
  case P_BOOL:
    if(!lua_isboolean(L, idx))
      type_error(L, what, p, "a boolean", idx);
    *(int *)slot = lua_toboolean(L, idx);
    return;
  case P_JSON:
    *out = lsfl_to_json(L, idx, what);
    return;
  case P_STR:
    if(!(*out = token_value(L, idx))) {
      if(lua_type(L, idx) != LUA_TSTRING)
        type_error(L, what, p, "a string", idx);
      *out = own(L, cJSON_CreateString(lsfl_check_text(L, idx, what)));
    }
    return;
  case P_NUM:
  case P_INT:
    *out = read_number(L, idx, p, what, p->type == P_INT);
    return;
  case P_BOOLEAN:
    if(!(*out = token_value(L, idx))) {
      if(!lua_isboolean(L, idx))
        type_error(L, what, p, "a boolean", idx);
      *out = own(L, cJSON_CreateBool(lua_toboolean(L, idx)));
    }
    return;
  case P_IGNORED_TRUE:
    if(!lua_isboolean(L, idx))
      type_error(L, what, p, "a boolean", idx);
    *out = own(L, cJSON_CreateTrue());
    return;
  case P_PATH:
    *out = read_path(L, idx, p, what);
    return;
  case P_DURATION:
    *out = read_duration(L, idx, p, what);
    return;
  case P_OBJECT:
  case P_STR_MAP:
    if(!(*out = token_value(L, idx))) {
      if(!lua_istable(L, idx) || lua_rawlen(L, idx) > 0)
        type_error(L, what, p, "a table of key = value", idx);
      *out = lsfl_to_json(L, idx, what);
      for(const cJSON *c = (*out)->child; p->type == P_STR_MAP && c; c = c->next)
        if(!cJSON_IsString(c) && !json_has(c, JSON_INTRINSIC | JSON_CONCAT))
          lsfl_error(L, "%s: prop '%s': the value of '%s' must be a string", what, p->name,
                     c->string);
    }
    return;
  case P_STR_LIST:
    *out = read_str_list(L, idx, p, what);
    return;
  case P_STRUCT:
    if(!(*out = token_value(L, idx)))
      *out = read_struct(L, idx, p, what);
    return;
  case P_STRUCT_LIST:
    if(!(*out = token_value(L, idx))) {
      if(!lua_istable(L, idx))
        type_error(L, what, p, "a list of tables", idx);
      cJSON *arr = own(L, cJSON_CreateArray());
      lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
      for(lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, idx, i);
        if(!json_push(arr, json_dup(read_struct(L, lua_gettop(L), p, what))))
          luaL_error(L, "not enough memory");
        lua_pop(L, 1);
      }
      *out = arr;
    }
    return;
  case P_ENUM:
    *out = read_enum(L, idx, p, what);
    return;
  case P_NESTED: {
    if(!lua_istable(L, idx))
      type_error(L, what, p, "a table", idx);
    const char *inner = lua_pushfstring(L, "%s prop '%s'", what, p->name);
    read_into(L, idx, p->sub, slot, NULL, inner);
    lua_pop(L, 1);
    const struct lsfl_prop *end = p->sub;
    while(end->name)
      end++;
    if(end->flags & PROP_GIVEN)
      *(int *)((char *)slot + end->offset) = 1;
    return;
  }
  case P_USERDATA_LIST:
  case P_NESTED_LIST:
    *(struct vec **)slot = read_list(L, idx, p, what);
    return;
  case P_USERDATA: {
    struct lsfl_box *b = lsfl_test(L, idx, p->types, 0);
    if(!b)
      type_error(L, what, p, p->expected, idx);
    *(void **)slot = b->obj;
    return;
  }
  case P_USERDATA_MAP:
    read_box_map(L, idx, p, slot, what);
    return;
  case P_CHAINABLE:
    if(!lsfl_test(L, idx, 0, LT_CHAINABLE))
      type_error(L, what, p, "a state or a chain (sfl.aws_stepfunctions.IChainable)", idx);
    *(struct asl_chain **)slot = lsfl_check_chainable(L, idx);
    return;
  case P_TASK_INPUT: {
    struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(TASK_INPUT), 0);
    if(!b)
      type_error(L, what, p, "a sfn.TaskInput (TaskInput.from_object(...), "
                             "from_json_path_at(...), from_text(...))", idx);
    *out = b->obj;
    return;
  }
  }
}

static void check_keys(lua_State *L, int idx, const struct lsfl_prop *schema, const char *what)
{
  const char *first = NULL;
  lua_pushnil(L);
  while(lua_next(L, idx)) {
    lua_pop(L, 1);
    if(lua_type(L, -1) != LUA_TSTRING)
      lsfl_error(L, "%s: prop names must be strings, got %s", what, luaL_typename(L, -1));
    const char *key = lua_tostring(L, -1);
    const struct lsfl_prop *p = schema;
    while(p->name && strcmp(p->name, key))
      p++;
    /* Report the first unknown key in byte order, so the message is stable. */
    if(!p->name && (!first || strcmp(key, first) < 0))
      first = key;
  }
  if(first)
    unknown_prop(L, what, first, schema);
}

static void read_into(lua_State *L, int idx, const struct lsfl_prop *schema, void *dest,
                      cJSON *obj, const char *what)
{
  if(lua_isnoneornil(L, idx)) {
    for(const struct lsfl_prop *p = schema; p->name; p++)
      if(p->flags & PROP_REQUIRED)
        lsfl_error(L, "%s: missing required prop '%s'", what, p->name);
    return;
  }
  if(!lua_istable(L, idx))
    lsfl_error(L, "%s: props must be a table, got %s", what, lsfl_typename(L, idx));
  check_keys(L, idx, schema, what);
  luaL_checkstack(L, 4, "props nested too deeply");
  for(const struct lsfl_prop *p = schema; p->name; p++) {
    lua_getfield(L, idx, p->name);
    if(lua_isnil(L, -1)) {
      if(p->flags & PROP_REQUIRED)
        lsfl_error(L, "%s: missing required prop '%s'", what, p->name);
      /* CDK renders these true whatever the user says, given or not. */
      if(obj && p->type == P_IGNORED_TRUE && !json_put(obj, p->key, cJSON_CreateTrue()))
        luaL_error(L, "not enough memory");
    }
    else if(p->flags & PROP_UNSYNTH)
      lsfl_error(L, "%s: prop '%s' is in CDK's API, but CDK cannot synthesize a template with "
                    "it set (it renders the %s object itself, whose resolution never ends); "
                    "remove it", what, p->name, p->expected);
    else if(obj) {
      cJSON *v = NULL;
      read_value(L, lua_gettop(L), p, &v, what);
      if(v && !json_put(obj, p->key, json_dup(v)))
        luaL_error(L, "not enough memory");
    }
    else
      read_value(L, lua_gettop(L), p, (char *)dest + p->offset, what);
    lua_pop(L, 1);
  }
}

static cJSON *read_struct(lua_State *L, int idx, const struct lsfl_prop *p, const char *what)
{
  if(!lua_istable(L, idx))
    type_error(L, what, p, "a table", idx);
  const char *inner = lua_pushfstring(L, "%s prop '%s'", what, p->name);
  cJSON *obj = own(L, cJSON_CreateObject());
  read_into(L, lua_absindex(L, idx), p->sub, NULL, obj, inner);
  lua_pop(L, 1);
  return obj;
}

void lsfl_read_props(lua_State *L, int idx, const struct lsfl_prop *schema, void *dest,
                     const char *what)
{
  if(lsfl_ctx(L)->describe) {
    lsfl_push_schema(L, schema, what);
    lua_error(L);
  }
  read_into(L, lua_absindex(L, idx), schema, dest, NULL, what);
}
