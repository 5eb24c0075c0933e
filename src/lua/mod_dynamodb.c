/*
** mod_dynamodb.c: `sfl.aws_dynamodb`: Table and TableV2 (their indexes and grants, Billing,
** Capacity, TableEncryptionV2), tables imported by name or ARN, and the module's enums.
** Rendering lives in src/constructs/dynamodb.c and dynamodb_v2.c.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/dynamodb.h"
#include "constructs/lambda.h"
#include "constructs/sfn.h"

#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

/* {============ enums (member -> CloudFormation value) */

static const char *const attribute_members[] = {"BINARY", "NUMBER", "STRING", NULL};
static const char *const attribute_types[] = {"B", "N", "S", NULL};
static const char *const billing_modes[] = {"PAY_PER_REQUEST", "PROVISIONED", NULL};
static const char *const stream_view_types[] = {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES",
                                                "KEYS_ONLY", NULL};
static const char *const table_classes[] = {"STANDARD", "STANDARD_INFREQUENT_ACCESS", NULL};
static const char *const encryption_members[] = {"DEFAULT", "CUSTOMER_MANAGED", "AWS_MANAGED",
                                                 NULL};
static const char *const encryption_values[] = {"AWS_OWNED", "CUSTOMER_MANAGED", "AWS_MANAGED",
                                                NULL};
static const char *const projection_types[] = {"KEYS_ONLY", "INCLUDE", "ALL", NULL};
static const char *const insights_modes[] = {"ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS",
                                             NULL};

static const struct {
  const char *name;
  const char *const *members, *const *values;
} enums[] = {
  {"AttributeType", attribute_members, attribute_types},
  {"BillingMode", billing_modes, billing_modes},
  {"StreamViewType", stream_view_types, stream_view_types},
  {"TableClass", table_classes, table_classes},
  {"TableEncryption", encryption_members, encryption_values},
  {"ProjectionType", projection_types, projection_types},
  {"ContributorInsightsMode", insights_modes, insights_modes},
};

/* }============ */

/* {============ schemas */

#define F(name, type, T, field) {name, type, offsetof(T, field), 0, NULL, NULL, NULL, 0, NULL}
#define E(name, T, field, values) \
  {name, P_ENUM, offsetof(T, field), 0, NULL, NULL, values, 0, NULL}
#define SUB(name, T, field, flags, sub) \
  {name, P_STRUCT, offsetof(T, field), flags, NULL, sub, NULL, 0, NULL}

/* Attribute {name=, type=}, already in CloudFormation's form. */
static const struct lsfl_prop attribute_schema[] = {
  {"name", P_STR, 0, PROP_REQUIRED, "AttributeName", NULL, NULL, 0, NULL},
  {"type", P_ENUM, 0, PROP_REQUIRED, "AttributeType", NULL, attribute_types, 0, NULL},
  PROP_END
};

static const struct lsfl_prop pitr_schema[] = {
  {"point_in_time_recovery_enabled", P_BOOLEAN, 0, PROP_REQUIRED, "PointInTimeRecoveryEnabled",
   NULL, NULL, 0, NULL},
  {"recovery_period_in_days", P_INT, 0, 0, "RecoveryPeriodInDays", NULL, NULL, 0, NULL},
  PROP_END
};

static const struct lsfl_prop warm_schema[] = {
  {"read_units_per_second", P_INT, 0, 0, "ReadUnitsPerSecond", NULL, NULL, 0, NULL},
  {"write_units_per_second", P_INT, 0, 0, "WriteUnitsPerSecond", NULL, NULL, 0, NULL},
  PROP_END
};

static const struct lsfl_prop insights_schema[] = {
  {"enabled", P_BOOLEAN, 0, PROP_REQUIRED, "Enabled", NULL, NULL, 0, NULL},
  {"mode", P_ENUM, 0, 0, "Mode", NULL, insights_modes, 0, NULL},
  PROP_END
};

struct lua_table {
  struct ddb_table_props p;
  cJSON *removal_policy;
};

#define T struct lua_table
static const struct lsfl_prop table_schema[] = {
  SUB("partition_key", T, p.partition_key, PROP_REQUIRED, attribute_schema),
  SUB("sort_key", T, p.sort_key, 0, attribute_schema),
  F("table_name", P_STR, T, p.table_name),
  E("billing_mode", T, p.billing_mode, billing_modes),
  F("read_capacity", P_INT, T, p.read_capacity),
  F("write_capacity", P_INT, T, p.write_capacity),
  E("removal_policy", T, removal_policy, lsfl_removal_policies),
  E("stream", T, p.stream, stream_view_types),
  F("time_to_live_attribute", P_STR, T, p.time_to_live_attribute),
  F("point_in_time_recovery", P_BOOLEAN, T, p.point_in_time_recovery),
  SUB("point_in_time_recovery_specification", T, p.pitr_specification, 0, pitr_schema),
  E("table_class", T, p.table_class, table_classes),
  F("deletion_protection", P_BOOLEAN, T, p.deletion_protection),
  F("contributor_insights_enabled", P_BOOLEAN, T, p.contributor_insights_enabled),
  SUB("contributor_insights_specification", T, p.contributor_insights_specification, 0,
      insights_schema),
  E("encryption", T, p.encryption, encryption_values),
  F("server_side_encryption", P_BOOLEAN, T, p.server_side_encryption),
  F("max_read_request_units", P_INT, T, p.max_read_request_units),
  F("max_write_request_units", P_INT, T, p.max_write_request_units),
  SUB("warm_throughput", T, p.warm_throughput, 0, warm_schema),
  PROP_END
};
#undef T

#define I struct ddb_index_props
static const struct lsfl_prop gsi_schema[] = {
  {"index_name", P_STR, offsetof(I, index_name), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  SUB("partition_key", I, partition_key, PROP_REQUIRED, attribute_schema),
  SUB("sort_key", I, sort_key, 0, attribute_schema),
  E("projection_type", I, projection_type, projection_types),
  F("non_key_attributes", P_STR_LIST, I, non_key_attributes),
  F("read_capacity", P_INT, I, read_capacity),
  F("write_capacity", P_INT, I, write_capacity),
  F("contributor_insights_enabled", P_BOOLEAN, I, contributor_insights_enabled),
  SUB("contributor_insights_specification", I, contributor_insights_specification, 0,
      insights_schema),
  F("max_read_request_units", P_INT, I, max_read_request_units),
  F("max_write_request_units", P_INT, I, max_write_request_units),
  SUB("warm_throughput", I, warm_throughput, 0, warm_schema),
  PROP_END
};

static const struct lsfl_prop gsi_v2_schema[] = {
  {"index_name", P_STR, offsetof(I, index_name), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  SUB("partition_key", I, partition_key, PROP_REQUIRED, attribute_schema),
  SUB("sort_key", I, sort_key, 0, attribute_schema),
  E("projection_type", I, projection_type, projection_types),
  F("non_key_attributes", P_STR_LIST, I, non_key_attributes),
  {"read_capacity", P_USERDATA, offsetof(I, read_capacity_v2), 0, NULL, NULL, NULL,
   LSFL_BIT(CAPACITY), "a dynamodb.Capacity (Capacity.fixed(...), Capacity.autoscaled(...))"},
  {"write_capacity", P_USERDATA, offsetof(I, write_capacity_v2), 0, NULL, NULL, NULL,
   LSFL_BIT(CAPACITY), "a dynamodb.Capacity (Capacity.autoscaled(...))"},
  F("max_read_request_units", P_INT, I, max_read_request_units),
  F("max_write_request_units", P_INT, I, max_write_request_units),
  SUB("warm_throughput", I, warm_throughput, 0, warm_schema),
  PROP_END
};

static const struct lsfl_prop lsi_schema[] = {
  {"index_name", P_STR, offsetof(I, index_name), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  SUB("sort_key", I, sort_key, PROP_REQUIRED, attribute_schema),
  E("projection_type", I, projection_type, projection_types),
  F("non_key_attributes", P_STR_LIST, I, non_key_attributes),
  PROP_END
};
#undef I

struct lua_table_v2 {
  struct ddb_table_v2_props p;
  cJSON *removal_policy;
  cJSON *indexes[2];   /* never read here: table_v2_new adds the indexes one by one */
};

#define T struct lua_table_v2
static const struct lsfl_prop table_v2_schema[] = {
  SUB("partition_key", T, p.partition_key, PROP_REQUIRED, attribute_schema),
  SUB("sort_key", T, p.sort_key, 0, attribute_schema),
  F("table_name", P_STR, T, p.table_name),
  {"billing", P_USERDATA, offsetof(T, p.billing), 0, NULL, NULL, NULL, LSFL_BIT(BILLING),
   "a dynamodb.Billing (Billing.on_demand(), Billing.provisioned(...))"},
  E("removal_policy", T, removal_policy, lsfl_removal_policies),
  E("dynamo_stream", T, p.dynamo_stream, stream_view_types),
  F("time_to_live_attribute", P_STR, T, p.time_to_live_attribute),
  E("table_class", T, p.table_class, table_classes),
  F("deletion_protection", P_BOOLEAN, T, p.deletion_protection),
  F("point_in_time_recovery", P_BOOLEAN, T, p.point_in_time_recovery),
  SUB("point_in_time_recovery_specification", T, p.pitr_specification, 0, pitr_schema),
  F("contributor_insights", P_BOOLEAN, T, p.contributor_insights),
  SUB("contributor_insights_specification", T, p.contributor_insights_specification, 0,
      insights_schema),
  {"encryption", P_USERDATA, offsetof(T, p.encryption), 0, NULL, NULL, NULL,
   LSFL_BIT(TABLE_ENCRYPTION_V2),
   "a dynamodb.TableEncryptionV2 (dynamo_owned_key(), aws_managed_key())"},
  SUB("warm_throughput", T, p.warm_throughput, 0, warm_schema),
  {"global_secondary_indexes", P_STRUCT_LIST, offsetof(T, indexes[0]), 0, NULL, gsi_v2_schema,
   NULL, 0, NULL},
  {"local_secondary_indexes", P_STRUCT_LIST, offsetof(T, indexes[1]), 0, NULL, lsi_schema,
   NULL, 0, NULL},
  PROP_END
};
#undef T

/* }============ */

/* {============ Table */

static int table_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_table *props = arena_alloc(A(L), sizeof *props);
  if(!props)
    return luaL_error(L, "not enough memory");
  lsfl_read_props(L, 3, table_schema, props, lua_pushfstring(L, "Table '%s'", id));
  if(props->removal_policy)
    props->p.removal_policy = props->removal_policy->valuestring;
  struct diag d = {0};
  struct ddb_table *t = ddb_table_new(scope, id, &props->p, lsfl_loc(L), &d);
  if(!t)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_TABLE, t, t->node);
  return 1;
}

static struct ddb_table *check_table(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(TABLE) | LSFL_BIT(TABLE_V2) | LSFL_BIT(IMPORTED_TABLE), 0,
                    "sfl.aws_dynamodb.ITable")->obj;
}

/* Reads the index props at idx and adds the index. */
static void read_index(lua_State *L, struct ddb_table *t, int global, int idx, const char *what)
{
  struct ddb_index_props p;
  memset(&p, 0, sizeof p);
  const struct lsfl_prop *schema = !global ? lsi_schema : t->v2 ? gsi_v2_schema : gsi_schema;
  lsfl_read_props(L, idx, schema, &p, what);
  struct diag d = {0};
  if(ddb_table_add_index(t, global, &p, lsfl_loc(L), &d))
    lsfl_raise(L, &d);
}

static int add_index(lua_State *L, int global)
{
  struct ddb_table *t = lsfl_check(L, 1, LSFL_BIT(TABLE) | LSFL_BIT(TABLE_V2), 0,
                                   "sfl.aws_dynamodb.Table")->obj;
  lua_settop(L, 2);
  read_index(L, t, global, 2,
             global ? "add_global_secondary_index" : "add_local_secondary_index");
  return 0;
}

static int add_gsi(lua_State *L) { return add_index(L, 1); }
static int add_lsi(lua_State *L) { return add_index(L, 0); }

static int grant_kind(lua_State *L, enum ddb_grant kind)
{
  struct ddb_table *t = check_table(L, 1);
  struct role *to = lsfl_check_grantee(L, 2);
  int with_actions = kind == DDB_GRANT_ACTIONS || kind == DDB_GRANT_STREAM;
  int n = with_actions ? lua_gettop(L) - 2 : 0;
  if(with_actions && n < 1)
    return lsfl_error(L, "%s: name at least one action to grant (e.g. \"%s\")",
                      kind == DDB_GRANT_STREAM ? "grant_stream" : "grant",
                      kind == DDB_GRANT_STREAM ? "dynamodb:GetRecords" : "dynamodb:GetItem");
  const char **actions = n > 0 ? arena_alloc(A(L), (size_t)n * sizeof *actions) : NULL;
  for(int i = 0; i < n; i++)
    if(!actions || !(actions[i] = arena_strdup(A(L), luaL_checkstring(L, 3 + i))))
      return luaL_error(L, "not enough memory");
  struct diag d = {0};
  if(ddb_table_grant(t, to, kind, actions, (size_t)n, &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int grant_read(lua_State *L) { return grant_kind(L, DDB_GRANT_READ); }
static int grant_write(lua_State *L) { return grant_kind(L, DDB_GRANT_WRITE); }
static int grant_read_write(lua_State *L) { return grant_kind(L, DDB_GRANT_READ_WRITE); }
static int grant_full(lua_State *L) { return grant_kind(L, DDB_GRANT_FULL); }
static int grant_actions(lua_State *L) { return grant_kind(L, DDB_GRANT_ACTIONS); }
static int grant_stream_read(lua_State *L) { return grant_kind(L, DDB_GRANT_STREAM_READ); }
static int grant_stream(lua_State *L) { return grant_kind(L, DDB_GRANT_STREAM); }
static int grant_list_streams(lua_State *L) { return grant_kind(L, DDB_GRANT_LIST_STREAMS); }

#define GRANT_METHODS \
  {"grant_read_data", grant_read}, {"grant_write_data", grant_write}, \
  {"grant_read_write_data", grant_read_write}, {"grant_full_access", grant_full}, \
  {"grant", grant_actions}, {"grant_stream_read", grant_stream_read}, \
  {"grant_stream", grant_stream}, {"grant_table_list_streams", grant_list_streams}

static const luaL_Reg table_methods[] = {
  {"add_global_secondary_index", add_gsi}, {"add_local_secondary_index", add_lsi},
  GRANT_METHODS, {NULL, NULL}
};
static const luaL_Reg imported_methods[] = {GRANT_METHODS, {NULL, NULL}};

/* A value that is a plain string in CDK too is handed back as one. */
static int push_value(lua_State *L, cJSON *v)
{
  if(v && cJSON_IsString(v) && !json_has(v, JSON_PATH)) {
    lua_pushstring(L, v->valuestring);
    cJSON_Delete(v);
    return 1;
  }
  return lsfl_push_token(L, v);
}

static int get_name(lua_State *L, struct lsfl_box *self)
{
  return push_value(L, ddb_table_name(self->obj));
}

static int get_arn(lua_State *L, struct lsfl_box *self)
{
  return push_value(L, ddb_table_arn(self->obj));
}

static int get_stream_arn(lua_State *L, struct lsfl_box *self)
{
  cJSON *arn = ddb_table_stream_arn(self->obj);
  if(!arn) {
    lua_pushnil(L);
    return 1;
  }
  return push_value(L, arn);
}

static const struct lsfl_getter table_getters[] = {
  {"table_name", get_name}, {"table_arn", get_arn}, {"table_stream_arn", get_stream_arn},
  {NULL, NULL}
};

/* {============ TableV2 */

/* The index lists of TableV2's props, added once the table is made. */
static void add_index_list(lua_State *L, struct ddb_table *t, int global, const char *id)
{
  const char *key = global ? "global_secondary_indexes" : "local_secondary_indexes";
  int list = lua_gettop(L) + 1;
  if(lua_getfield(L, 3, key) == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  if(!lua_istable(L, list))
    lsfl_error(L, "TableV2 '%s': prop '%s' must be a list of tables, got %s", id, key,
               lsfl_typename(L, list));
  for(lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, list); i++) {
    lua_rawgeti(L, list, i);
    int item = lua_gettop(L);
    read_index(L, t, global, item,
               lua_pushfstring(L, "TableV2 '%s' prop '%s' item %d", id, key, (int)i));
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

/* The props at 3 without the index lists, at the top. */
static void props_without_indexes(lua_State *L)
{
  lua_newtable(L);
  if(!lua_istable(L, 3))
    return;
  lua_pushnil(L);
  while(lua_next(L, 3)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    if(strcmp(k, "global_secondary_indexes") && strcmp(k, "local_secondary_indexes")) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, -4);
    }
    else
      lua_pop(L, 1);
  }
}

static int table_v2_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_table_v2 *props = arena_alloc(A(L), sizeof *props);
  if(!props)
    return luaL_error(L, "not enough memory");
  if(!lua_isnoneornil(L, 3) && !lua_istable(L, 3))
    return lsfl_error(L, "TableV2 '%s': props must be a table, got %s", id,
                      lsfl_typename(L, 3));
  props_without_indexes(L);
  lsfl_read_props(L, 4, table_v2_schema, props, lua_pushfstring(L, "TableV2 '%s'", id));
  if(props->removal_policy)
    props->p.removal_policy = props->removal_policy->valuestring;
  struct diag d = {0};
  struct ddb_table *t = ddb_table_v2_new(scope, id, &props->p, lsfl_loc(L), &d);
  if(!t)
    return lsfl_raise(L, &d);
  lua_settop(L, 3);
  if(lua_istable(L, 3)) {
    add_index_list(L, t, 1, id);
    add_index_list(L, t, 0, id);
  }
  lsfl_push(L, LSFL_TABLE_V2, t, t->node);
  return 1;
}

/* Capacity.fixed(units) / Capacity.autoscaled({...}) */
static int capacity_fixed(lua_State *L)
{
  lua_Number n = luaL_checknumber(L, 1);
  struct ddb_capacity *c = arena_alloc(A(L), sizeof *c);
  if(!c || !(c->units = arena_own_json(A(L), cJSON_CreateNumber(n))))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_CAPACITY, c, NULL);
  return 1;
}

struct autoscaled { cJSON *min, *max, *seed, *target; };
static const struct lsfl_prop autoscaled_schema[] = {
  {"max_capacity", P_INT, offsetof(struct autoscaled, max), PROP_REQUIRED, NULL, NULL, NULL,
   0, NULL},
  F("min_capacity", P_INT, struct autoscaled, min),
  F("seed_capacity", P_INT, struct autoscaled, seed),
  F("target_utilization_percent", P_NUM, struct autoscaled, target),
  PROP_END
};

static int capacity_autoscaled(lua_State *L)
{
  lua_settop(L, 1);
  struct autoscaled o = {0};
  lsfl_read_props(L, 1, autoscaled_schema, &o, "Capacity.autoscaled");
  struct ddb_capacity *c = arena_alloc(A(L), sizeof *c);
  if(!c)
    return luaL_error(L, "not enough memory");
  struct diag d = {0};
  c->autoscaling = arena_own_json(A(L), ddb_autoscaling(o.min, o.max, o.seed, o.target,
                                                        lsfl_loc(L), &d));
  if(!c->autoscaling)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_CAPACITY, c, NULL);
  return 1;
}

static const luaL_Reg capacity_statics[] = {
  {"fixed", capacity_fixed}, {"autoscaled", capacity_autoscaled}, {NULL, NULL}
};

#define BILL struct ddb_billing
static const struct lsfl_prop on_demand_schema[] = {
  F("max_read_request_units", P_INT, BILL, max_read),
  F("max_write_request_units", P_INT, BILL, max_write),
  PROP_END
};
static const struct lsfl_prop provisioned_schema[] = {
  {"read_capacity", P_USERDATA, offsetof(BILL, read), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(CAPACITY), "a dynamodb.Capacity (Capacity.fixed(...), Capacity.autoscaled(...))"},
  {"write_capacity", P_USERDATA, offsetof(BILL, write), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(CAPACITY), "a dynamodb.Capacity (Capacity.autoscaled(...))"},
  PROP_END
};
#undef BILL

static int billing_new(lua_State *L, int provisioned)
{
  lua_settop(L, 1);
  struct ddb_billing *b = arena_alloc(A(L), sizeof *b);
  if(!b)
    return luaL_error(L, "not enough memory");
  b->provisioned = provisioned;
  lsfl_read_props(L, 1, provisioned ? provisioned_schema : on_demand_schema, b,
                  provisioned ? "Billing.provisioned" : "Billing.on_demand");
  lsfl_push(L, LSFL_BILLING, b, NULL);
  return 1;
}

static int billing_on_demand(lua_State *L) { return billing_new(L, 0); }
static int billing_provisioned(lua_State *L) { return billing_new(L, 1); }

static const luaL_Reg billing_statics[] = {
  {"on_demand", billing_on_demand}, {"provisioned", billing_provisioned}, {NULL, NULL}
};

/* TableEncryptionV2: the SSESpecification each kind renders. */
static int encryption_v2(lua_State *L, int aws_managed)
{
  cJSON *sse = cJSON_CreateObject();
  json_put_bool(sse, "SSEEnabled", aws_managed);
  if(aws_managed)
    json_put_str(sse, "SSEType", "KMS");
  if(!arena_own_json(A(L), sse) || !json_get(sse, "SSEEnabled"))
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_TABLE_ENCRYPTION_V2, sse, NULL);
  return 1;
}

static int dynamo_owned_key(lua_State *L) { return encryption_v2(L, 0); }
static int aws_managed_key(lua_State *L) { return encryption_v2(L, 1); }
static int customer_managed_key(lua_State *L)
{
  return lsfl_error(L, "sfl's dynamodb.TableV2 does not take customer-managed KMS keys "
                       "(TableEncryptionV2.customer_managed_key): use "
                       "TableEncryptionV2.aws_managed_key() or dynamo_owned_key()");
}

static const luaL_Reg encryption_v2_statics[] = {
  {"dynamo_owned_key", dynamo_owned_key}, {"aws_managed_key", aws_managed_key},
  {"customer_managed_key", customer_managed_key}, {NULL, NULL}
};

/* }============ */

static int push_import(lua_State *L, struct cfn_node *scope, const char *id,
                       const struct ddb_import *im)
{
  struct diag d = {0};
  struct ddb_table *t = ddb_table_import(scope, id, im, lsfl_loc(L), &d);
  if(!t)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_IMPORTED_TABLE, t, t->node);
  return 1;
}

/* Table.from_table_name(scope, id, name) / Table.from_table_arn(scope, id, arn). */
static int table_import(lua_State *L, int by_name)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *what = by_name ? "table_name" : "table_arn";
  if(lua_type(L, 3) != LUA_TSTRING && !lsfl_test(L, 3, LSFL_BIT(CFN_TOKEN), 0))
    return lsfl_error(L, "%s must be a string, got %s", what, lsfl_typename(L, 3));
  struct ddb_import im = {NULL, NULL, NULL, 0};
  *(by_name ? &im.table_name : &im.table_arn) = lsfl_to_json(L, 3, what);
  return push_import(L, scope, id, &im);
}

static int from_table_name(lua_State *L) { return table_import(L, 1); }
static int from_table_arn(lua_State *L) { return table_import(L, 0); }

struct lua_import {
  struct ddb_import im;
  cJSON *global_indexes, *local_indexes;
  int grant_index_permissions;
};

#define IM struct lua_import
static const struct lsfl_prop import_schema[] = {
  F("table_name", P_STR, IM, im.table_name),
  F("table_arn", P_STR, IM, im.table_arn),
  F("table_stream_arn", P_STR, IM, im.table_stream_arn),
  F("global_indexes", P_STR_LIST, IM, global_indexes),
  F("local_indexes", P_STR_LIST, IM, local_indexes),
  F("grant_index_permissions", P_BOOL, IM, grant_index_permissions),
  PROP_END
};
#undef IM

/* Table.from_table_attributes(scope, id, {table_name= | table_arn=, ...}) */
static int from_table_attributes(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_import p;
  memset(&p, 0, sizeof p);
  lsfl_read_props(L, 3, import_schema, &p, lua_pushfstring(L, "Table.from_table_attributes "
                                                               "'%s'", id));
  p.im.has_index = p.grant_index_permissions || cJSON_GetArraySize(p.global_indexes) > 0
                   || cJSON_GetArraySize(p.local_indexes) > 0;
  return push_import(L, scope, id, &p.im);
}

static const luaL_Reg table_statics[] = {
  {"from_table_name", from_table_name}, {"from_table_arn", from_table_arn},
  {"from_table_attributes", from_table_attributes}, {NULL, NULL}
};

/* }============ */

void lsfl_register_dynamodb_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_TABLE, table_methods, table_getters);
  lsfl_new_type(L, LSFL_IMPORTED_TABLE, imported_methods, table_getters);
  lsfl_new_type(L, LSFL_TABLE_V2, table_methods, table_getters);
  lsfl_new_type(L, LSFL_BILLING, NULL, NULL);
  lsfl_new_type(L, LSFL_CAPACITY, NULL, NULL);
  lsfl_new_type(L, LSFL_TABLE_ENCRYPTION_V2, NULL, NULL);
}

int lsfl_open_dynamodb(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_dynamodb.Table", table_new, table_statics);
  lua_setfield(L, -2, "Table");
  lsfl_new_class(L, "sfl.aws_dynamodb.TableV2", table_v2_new, table_statics);
  lua_setfield(L, -2, "TableV2");
  lsfl_new_class(L, "sfl.aws_dynamodb.Billing", NULL, billing_statics);
  lua_setfield(L, -2, "Billing");
  lsfl_new_class(L, "sfl.aws_dynamodb.Capacity", NULL, capacity_statics);
  lua_setfield(L, -2, "Capacity");
  lsfl_new_class(L, "sfl.aws_dynamodb.TableEncryptionV2", NULL, encryption_v2_statics);
  lua_setfield(L, -2, "TableEncryptionV2");
  for(size_t i = 0; i < sizeof enums / sizeof *enums; i++) {
    lsfl_new_enum(L, lua_pushfstring(L, "sfl.aws_dynamodb.%s", enums[i].name),
                  enums[i].members, enums[i].values);
    lua_remove(L, -2);
    lua_setfield(L, -2, enums[i].name);
  }
  lsfl_make_strict(L, "sfl.aws_dynamodb");
  return 1;
}
