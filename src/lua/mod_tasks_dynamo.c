/*
** mod_tasks_dynamo.c: the Lua side of the DynamoDB tasks: DynamoAttributeValue (each
** factory makes the attribute value's JSON, e.g. {"S": "x"}), DynamoProjectionExpression,
** the enums, and the props of DynamoPutItem/GetItem/UpdateItem/DeleteItem (rendering:
** src/constructs/tasks_dynamo.c).
*/
#include "lua/mod_tasks.h"
#include "core/strbuf.h"

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

/* {============ DynamoAttributeValue */

enum value_kind {
  V_STRING,        /* a string or a string token */
  V_NUMBER,        /* a number (written as text) or a number token */
  V_STRINGS,       /* a list of strings, or a list token */
  V_NUMBERS,       /* a list of numbers, written as text */
  V_MAP,           /* a table of name = DynamoAttributeValue */
  V_LIST,          /* a list of DynamoAttributeValue */
  V_BOOL,          /* a boolean */
  V_PATH,          /* a JSON path string, "$..." */
  V_JSONATA        /* a JSONata expression string, "{% ... %}" */
};

static const struct value_factory {
  const char *name, *key;
  enum value_kind kind;
} factories[] = {
  {"from_string", "S", V_STRING}, {"from_number", "N", V_NUMBER},
  {"number_from_string", "N", V_STRING}, {"from_binary", "B", V_STRING},
  {"from_string_set", "SS", V_STRINGS}, {"from_number_set", "NS", V_NUMBERS},
  {"number_set_from_strings", "NS", V_STRINGS}, {"from_binary_set", "BS", V_STRINGS},
  {"from_map", "M", V_MAP}, {"map_from_json_path", "M.$", V_PATH},
  {"map_from_jsonata", "M", V_JSONATA}, {"from_list", "L", V_LIST},
  /* CDK writes these two paths under plain keys ("L", "BOOL"), not "L.$": kept as is. */
  {"list_from_json_path", "L", V_PATH}, {"list_from_jsonata", "L", V_JSONATA},
  {"from_null", "NULL", V_BOOL}, {"from_boolean", "BOOL", V_BOOL},
  {"boolean_from_json_path", "BOOL", V_PATH}, {"boolean_from_jsonata", "BOOL", V_JSONATA},
};

static const char attribute_expected[] =
  "a tasks.DynamoAttributeValue (DynamoAttributeValue.from_string(...), ...)";

static cJSON *own(lua_State *L, cJSON *j)
{
  if(!j || !arena_own_json(A(L), j))
    luaL_error(L, "not enough memory");
  return j;
}

/* A string, or a JsonPath / CloudFormation token standing for one. */
static cJSON *string_value(lua_State *L, int idx, const char *fn)
{
  if(lua_type(L, idx) != LUA_TSTRING
     && !lsfl_test(L, idx, LSFL_BIT(JSON_PATH) | LSFL_BIT(CFN_TOKEN), 0))
    lsfl_error(L, "DynamoAttributeValue.%s: expected a string or a JsonPath token, got %s", fn,
               lsfl_typename(L, idx));
  return lsfl_to_json(L, idx, fn);
}

/* JavaScript's Number#toString, as CDK's value.toString(). `item` 0: the argument. */
static cJSON *number_text(lua_State *L, int idx, const char *fn, lua_Integer item)
{
  if(lua_type(L, idx) != LUA_TNUMBER && item)
    lsfl_error(L, "DynamoAttributeValue.%s: item %d must be a number, got %s", fn, (int)item,
               lsfl_typename(L, idx));
  if(lua_type(L, idx) != LUA_TNUMBER)
    lsfl_error(L, "DynamoAttributeValue.%s: expected a number or a JsonPath token, got %s",
               fn, lsfl_typename(L, idx));
  struct strbuf b = {0};
  json_write_number(&b, lua_tonumber(L, idx));
  cJSON *s = b.failed || !b.buf ? NULL : cJSON_CreateString(b.buf);
  strbuf_free(&b);
  return own(L, s);
}

/* Each item of the list at idx through `item` (which leaves one value or raises). */
static cJSON *list_of(lua_State *L, int idx, const char *fn,
                      cJSON *(*item)(lua_State *L, int idx, const char *fn, lua_Integer i))
{
  if(!lua_istable(L, idx) || lsfl_test(L, idx, 0, LT_JSON))
    lsfl_error(L, "DynamoAttributeValue.%s: expected a list, got %s", fn,
               lsfl_typename(L, idx));
  cJSON *arr = own(L, cJSON_CreateArray());
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  for(lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    if(!json_push(arr, json_dup(item(L, lua_gettop(L), fn, i))))
      luaL_error(L, "not enough memory");
    lua_pop(L, 1);
  }
  return arr;
}

static cJSON *string_item(lua_State *L, int idx, const char *fn, lua_Integer i)
{
  if(lua_type(L, idx) != LUA_TSTRING)
    lsfl_error(L, "DynamoAttributeValue.%s: item %d must be a string, got %s", fn, (int)i,
               lsfl_typename(L, idx));
  return own(L, cJSON_CreateString(lua_tostring(L, idx)));
}

static cJSON *attribute_item(lua_State *L, int idx, const char *fn, lua_Integer i)
{
  struct lsfl_box *b = lsfl_test(L, idx, LSFL_BIT(DYNAMO_ATTRIBUTE_VALUE), 0);
  if(!b)
    lsfl_error(L, "DynamoAttributeValue.%s: item %d must be %s, got %s", fn, (int)i,
               attribute_expected, lsfl_typename(L, idx));
  return b->obj;
}

/* Every value of the table at idx must be an attribute value; `what` names the table. */
static void check_attribute_map(lua_State *L, int idx, const char *what)
{
  lua_pushnil(L);
  while(lua_next(L, idx)) {
    if(!lsfl_test(L, -1, LSFL_BIT(DYNAMO_ATTRIBUTE_VALUE), 0))
      lsfl_error(L, "%s: the value of '%s' must be %s, got %s", what,
                 lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?",
                 attribute_expected, lsfl_typename(L, -1));
    lua_pop(L, 1);
  }
}

static cJSON *expression(lua_State *L, int idx, enum value_kind kind)
{
  const char *s = luaL_checkstring(L, idx);
  size_t n = strlen(s);
  if(kind == V_PATH && s[0] != '$')
    lsfl_error(L, "Data JSON path values must either be exactly equal to '$' or start "
                  "with '$.'");
  if(kind == V_JSONATA && (n < 4 || strncmp(s, "{%", 2) || strcmp(s + n - 2, "%}")))
    lsfl_error(L, "Data JSONata expression values must either be exactly start with '{%%' "
                  "and end with '%%}'");
  return own(L, cJSON_CreateString(s));
}

static cJSON *factory_value(lua_State *L, const struct value_factory *f)
{
  const char *fn = f->name;
  switch(f->kind) {
  case V_STRING: return string_value(L, 1, fn);
  case V_NUMBER:
    return lsfl_token_path(L, 1) ? lsfl_to_json(L, 1, fn) : number_text(L, 1, fn, 0);
  case V_STRINGS:
    return lsfl_token_path(L, 1) ? lsfl_to_json(L, 1, fn) : list_of(L, 1, fn, string_item);
  case V_NUMBERS: return list_of(L, 1, fn, number_text);
  case V_MAP:
    if(!lua_istable(L, 1) || lua_rawlen(L, 1) > 0)
      lsfl_error(L, "DynamoAttributeValue.from_map: expected a table of name = "
                    "DynamoAttributeValue, got %s", lsfl_typename(L, 1));
    check_attribute_map(L, 1, "DynamoAttributeValue.from_map");
    return lsfl_to_json(L, 1, fn);
  case V_LIST: return list_of(L, 1, fn, attribute_item);
  case V_BOOL:
    luaL_checktype(L, 1, LUA_TBOOLEAN);
    return own(L, cJSON_CreateBool(lua_toboolean(L, 1)));
  case V_PATH:
  case V_JSONATA: return expression(L, 1, f->kind);
  }
  return NULL;
}

static int attribute_factory(lua_State *L)
{
  const struct value_factory *f = &factories[lua_tointeger(L, lua_upvalueindex(1))];
  lua_settop(L, 1);
  cJSON *v = factory_value(L, f);
  cJSON *o = own(L, cJSON_CreateObject());
  if(!json_put(o, f->key, json_dup(v)))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_DYNAMO_ATTRIBUTE_VALUE, o, NULL);
  return 1;
}

static int attribute_to_object(lua_State *L)
{
  struct lsfl_box *b = lsfl_check(L, 1, LSFL_BIT(DYNAMO_ATTRIBUTE_VALUE), 0,
                                  "sfl.aws_stepfunctions_tasks.DynamoAttributeValue");
  lsfl_push_json(L, b->obj);
  return 1;
}

static const luaL_Reg attribute_methods[] = {{"to_object", attribute_to_object}, {NULL, NULL}};

/* }============ */

/* {============ DynamoProjectionExpression: a JSON string that grows in place */

static int projection_new(lua_State *L)
{
  lsfl_push(L, LSFL_DYNAMO_PROJECTION, own(L, cJSON_CreateString("")), NULL);
  return 1;
}

static cJSON *check_projection(lua_State *L)
{
  return lsfl_check(L, 1, LSFL_BIT(DYNAMO_PROJECTION), 0,
                    "sfl.aws_stepfunctions_tasks.DynamoProjectionExpression")->obj;
}

static int projection_append(lua_State *L, cJSON *e, const char *text)
{
  const char *now = lua_pushfstring(L, "%s%s", e->valuestring, text);
  if(!cJSON_SetValuestring(e, now))
    return luaL_error(L, "not enough memory");
  lua_settop(L, 1);
  return 1;
}

static int projection_with_attribute(lua_State *L)
{
  cJSON *e = check_projection(L);
  const char *attr = luaL_checkstring(L, 2);
  return projection_append(L, e, lua_pushfstring(L, "%s%s", *e->valuestring ? "." : "", attr));
}

static int projection_at_index(lua_State *L)
{
  cJSON *e = check_projection(L);
  lua_Integer i = luaL_checkinteger(L, 2);
  if(!*e->valuestring)
    return lsfl_error(L, "Expression must start with an attribute");
  return projection_append(L, e, lua_pushfstring(L, "[%I]", i));
}

static int projection_to_string(lua_State *L)
{
  lua_pushstring(L, check_projection(L)->valuestring);
  return 1;
}

static const luaL_Reg projection_methods[] = {
  {"with_attribute", projection_with_attribute}, {"at_index", projection_at_index},
  {"to_string", projection_to_string}, {NULL, NULL}
};

/* }============ */

/* {============ the tasks */

static const char *const consumed_capacity[] = {"INDEXES", "TOTAL", "NONE", NULL};
static const char *const item_metrics[] = {"SIZE", "NONE", NULL};
static const char *const return_values[] = {"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW",
                                            "UPDATED_NEW", NULL};

/* item, key and expression_attribute_values as (name, value) pairs, made JSON after. */
enum { MAP_ITEM, MAP_KEY, MAP_VALUES };

struct lua_dynamo {
  TASK_FIELDS(struct dynamo_task_props);
  struct vec maps[3];
  struct vec *projections;   /* cJSON strings (DynamoProjectionExpression) */
};

#define DT struct lua_dynamo
#define DYNAMO_TABLE \
  {"table", P_USERDATA, offsetof(DT, p.table), PROP_REQUIRED, NULL, NULL, NULL, \
   LSFL_BIT(TABLE) | LSFL_BIT(TABLE_V2) | LSFL_BIT(IMPORTED_TABLE), \
   "a dynamodb.Table or TableV2 (or Table.from_table_name(...))"}
#define DYNAMO_ENUM(name, field, values) E(name, DT, p.field, values)
#define DYNAMO_MAP(name, which, flags) \
  {name, P_USERDATA_MAP, offsetof(DT, maps[which]), flags, NULL, NULL, NULL, \
   LSFL_BIT(DYNAMO_ATTRIBUTE_VALUE), attribute_expected}
#define DYNAMO_NAMES F("expression_attribute_names", P_STR_MAP, DT, p.expression_attribute_names)
#define DYNAMO_CAPACITY DYNAMO_ENUM("return_consumed_capacity", return_consumed_capacity, \
                                    consumed_capacity)
#define DYNAMO_WRITE_PROPS \
  F("condition_expression", P_STR, DT, p.condition_expression), DYNAMO_NAMES, \
  DYNAMO_MAP("expression_attribute_values", MAP_VALUES, 0), \
  DYNAMO_CAPACITY, \
  DYNAMO_ENUM("return_item_collection_metrics", return_item_collection_metrics, item_metrics), \
  DYNAMO_ENUM("return_values", return_values, return_values)

static const struct lsfl_prop get_schema[] = {
  TASK_BASE_PROPS(DT), DYNAMO_TABLE, DYNAMO_MAP("key", MAP_KEY, PROP_REQUIRED),
  F("consistent_read", P_BOOLEAN, DT, p.consistent_read), DYNAMO_NAMES,
  {"projection_expression", P_USERDATA_LIST, offsetof(DT, projections), 0, NULL, NULL, NULL,
   LSFL_BIT(DYNAMO_PROJECTION), "a tasks.DynamoProjectionExpression"},
  DYNAMO_CAPACITY, PROP_END
};
static const struct lsfl_prop put_schema[] = {
  TASK_BASE_PROPS(DT), DYNAMO_TABLE, DYNAMO_MAP("item", MAP_ITEM, PROP_REQUIRED),
  DYNAMO_WRITE_PROPS,
  PROP_END
};
static const struct lsfl_prop delete_schema[] = {
  TASK_BASE_PROPS(DT), DYNAMO_TABLE, DYNAMO_MAP("key", MAP_KEY, PROP_REQUIRED),
  DYNAMO_WRITE_PROPS,
  PROP_END
};
static const struct lsfl_prop update_schema[] = {
  TASK_BASE_PROPS(DT), DYNAMO_TABLE, DYNAMO_MAP("key", MAP_KEY, PROP_REQUIRED),
  DYNAMO_WRITE_PROPS,
  F("update_expression", P_STR, DT, p.update_expression), PROP_END
};
#undef DT

static const struct {
  const char *cls;
  enum lsfl_type type;
  const struct lsfl_prop *schema;
} tasks[] = {
  [DYNAMO_GET] = {"DynamoGetItem", LSFL_DYNAMO_GET_ITEM, get_schema},
  [DYNAMO_PUT] = {"DynamoPutItem", LSFL_DYNAMO_PUT_ITEM, put_schema},
  [DYNAMO_DELETE] = {"DynamoDeleteItem", LSFL_DYNAMO_DELETE_ITEM, delete_schema},
  [DYNAMO_UPDATE] = {"DynamoUpdateItem", LSFL_DYNAMO_UPDATE_ITEM, update_schema},
};

/* (name, value) pairs as a JSON object (NULL when the prop was not given). */
static cJSON *map_json(lua_State *L, const struct vec *pairs, int given)
{
  if(!given)
    return NULL;
  cJSON *o = own(L, cJSON_CreateObject());
  for(size_t i = 0; i + 1 < pairs->n; i += 2)
    if(!json_put(o, pairs->items[i], json_dup(pairs->items[i + 1])))
      luaL_error(L, "not enough memory");
  return o;
}

/* The expressions joined with "," (configureProjectionExpression). */
static cJSON *join_projection(lua_State *L, const struct vec *list)
{
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for(size_t i = 0; i < list->n; i++) {
    if(i)
      luaL_addchar(&b, ',');
    luaL_addstring(&b, ((const cJSON *)list->items[i])->valuestring);
  }
  luaL_pushresult(&b);
  cJSON *s = own(L, cJSON_CreateString(lua_tostring(L, -1)));
  lua_pop(L, 1);
  return s;
}

static int dynamo_new(lua_State *L, enum dynamo_method m)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *what = lua_pushfstring(L, "%s '%s'", tasks[m].cls, id);
  struct lua_dynamo props;
  memset(&props, 0, sizeof props);
  lsfl_read_props(L, 3, tasks[m].schema, &props, what);
  lsfl_task_base_finish(&props.p.base, props.pattern, props.query_language);
  static const char *const map_props[] = {"item", "key", "expression_attribute_values"};
  cJSON **maps[] = {&props.p.item, &props.p.key, &props.p.expression_attribute_values};
  for(int i = 0; i < 3; i++)
    *maps[i] = map_json(L, &props.maps[i],
                        lua_istable(L, 3) && lua_getfield(L, 3, map_props[i]) != LUA_TNIL);
  lua_settop(L, 4);
  if(props.projections)
    props.p.projection_expression = join_projection(L, props.projections);
  struct diag d = {0};
  struct asl_state *s = task_dynamo(m, scope, id, &props.p, lsfl_loc(L), &d);
  if(!s)
    return lsfl_raise(L, &d);
  s->tag = tasks[m].type;
  lsfl_push_state(L, s);
  return 1;
}

static int get_new(lua_State *L) { return dynamo_new(L, DYNAMO_GET); }
static int put_new(lua_State *L) { return dynamo_new(L, DYNAMO_PUT); }
static int delete_new(lua_State *L) { return dynamo_new(L, DYNAMO_DELETE); }
static int update_new(lua_State *L) { return dynamo_new(L, DYNAMO_UPDATE); }

/* }============ */

void lsfl_register_dynamo_task_types(lua_State *L)
{
  for(size_t i = 0; i < sizeof tasks / sizeof *tasks; i++)
    lsfl_new_state_type(L, tasks[i].type, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_type(L, LSFL_DYNAMO_ATTRIBUTE_VALUE, attribute_methods, NULL);
  lsfl_new_type(L, LSFL_DYNAMO_PROJECTION, projection_methods, NULL);
}

void lsfl_add_dynamo_tasks(lua_State *L)
{
  static const lua_CFunction ctors[] = {
    [DYNAMO_GET] = get_new, [DYNAMO_PUT] = put_new, [DYNAMO_DELETE] = delete_new,
    [DYNAMO_UPDATE] = update_new};
  for(size_t i = 0; i < sizeof tasks / sizeof *tasks; i++) {
    lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_stepfunctions_tasks.%s", tasks[i].cls),
                   ctors[i], NULL);
    lua_remove(L, -2);
    lsfl_add_language_factories(L, ctors[i]);
    lua_setfield(L, -2, tasks[i].cls);
  }
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.DynamoAttributeValue", NULL, NULL);
  for(size_t i = 0; i < sizeof factories / sizeof *factories; i++) {
    lua_pushinteger(L, (lua_Integer)i);
    lua_pushcclosure(L, attribute_factory, 1);
    lua_setfield(L, -2, factories[i].name);
  }
  lua_setfield(L, -2, "DynamoAttributeValue");
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.DynamoProjectionExpression", projection_new,
                 NULL);
  lua_setfield(L, -2, "DynamoProjectionExpression");
  static const struct { const char *name; const char *const *values; } enums[] = {
    {"DynamoConsumedCapacity", consumed_capacity},
    {"DynamoItemCollectionMetrics", item_metrics},
    {"DynamoReturnValues", return_values},
  };
  for(size_t i = 0; i < sizeof enums / sizeof *enums; i++) {
    lsfl_new_enum(L, lua_pushfstring(L, "sfl.aws_stepfunctions_tasks.%s", enums[i].name),
                  enums[i].values, enums[i].values);
    lua_remove(L, -2);
    lua_setfield(L, -2, enums[i].name);
  }
}
