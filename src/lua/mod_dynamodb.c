/*
** mod_dynamodb.c: `sfl.aws_dynamodb`: Table (its indexes and grants), tables imported by
** name or ARN, and the module's enums. Rendering lives in src/constructs/dynamodb.c.
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
static const char *const removal_policies[] = {"destroy", "retain", "snapshot",
                                               "retain_on_update_or_delete", NULL};

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
  E("removal_policy", T, removal_policy, removal_policies),
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
  return lsfl_check(L, idx, LSFL_BIT(TABLE) | LSFL_BIT(IMPORTED_TABLE), 0,
                    "sfl.aws_dynamodb.ITable")->obj;
}

static int add_index(lua_State *L, int global)
{
  struct ddb_table *t = lsfl_check(L, 1, LSFL_BIT(TABLE), 0, "sfl.aws_dynamodb.Table")->obj;
  lua_settop(L, 2);
  struct ddb_index_props p;
  memset(&p, 0, sizeof p);
  lsfl_read_props(L, 2, global ? gsi_schema : lsi_schema, &p,
                  global ? "add_global_secondary_index" : "add_local_secondary_index");
  struct diag d = {0};
  if(ddb_table_add_index(t, global, &p, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int add_gsi(lua_State *L) { return add_index(L, 1); }
static int add_lsi(lua_State *L) { return add_index(L, 0); }

/* The role an IGrantable stands for: a Function's service role, a machine's role. */
static struct role *check_grantee(lua_State *L, int idx)
{
  struct lsfl_box *b = lsfl_check(L, idx, LSFL_BIT(FUNCTION) | LSFL_BIT(STATE_MACHINE), 0,
                                  "sfl.aws_iam.IGrantable (a Function or a StateMachine)");
  return b->type == LSFL_FUNCTION ? ((struct lambda_function *)b->obj)->role
                                  : ((struct sfn_machine *)b->obj)->role;
}

static int grant_kind(lua_State *L, enum ddb_grant kind)
{
  struct ddb_table *t = check_table(L, 1);
  struct role *to = check_grantee(L, 2);
  int n = kind == DDB_GRANT_ACTIONS ? lua_gettop(L) - 2 : 0;
  if(kind == DDB_GRANT_ACTIONS && n < 1)
    return lsfl_error(L, "grant: name at least one action to grant (e.g. "
                         "\"dynamodb:GetItem\")");
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

#define GRANT_METHODS \
  {"grant_read_data", grant_read}, {"grant_write_data", grant_write}, \
  {"grant_read_write_data", grant_read_write}, {"grant_full_access", grant_full}, \
  {"grant", grant_actions}

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
  return lsfl_push_token(L, arn);
}

static const struct lsfl_getter table_getters[] = {
  {"table_name", get_name}, {"table_arn", get_arn}, {"table_stream_arn", get_stream_arn},
  {NULL, NULL}
};

/* Table.from_table_name(scope, id, name) / Table.from_table_arn(scope, id, arn). */
static int table_import(lua_State *L, int by_name)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *what = by_name ? "table_name" : "table_arn";
  if(lua_type(L, 3) != LUA_TSTRING && !lsfl_test(L, 3, LSFL_BIT(CFN_TOKEN), 0))
    return lsfl_error(L, "%s must be a string, got %s", what, lsfl_typename(L, 3));
  cJSON *value = json_dup(lsfl_to_json(L, 3, what));
  struct diag d = {0};
  struct ddb_table *t = ddb_table_import(scope, id, by_name ? value : NULL,
                                         by_name ? NULL : value, lsfl_loc(L), &d);
  if(!t)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_IMPORTED_TABLE, t, t->node);
  return 1;
}

static int from_table_name(lua_State *L) { return table_import(L, 1); }
static int from_table_arn(lua_State *L) { return table_import(L, 0); }

static const luaL_Reg table_statics[] = {
  {"from_table_name", from_table_name}, {"from_table_arn", from_table_arn}, {NULL, NULL}
};

/* }============ */

void lsfl_register_dynamodb_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_TABLE, table_methods, table_getters);
  lsfl_new_type(L, LSFL_IMPORTED_TABLE, imported_methods, table_getters);
}

int lsfl_open_dynamodb(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_dynamodb.Table", table_new, table_statics);
  lua_setfield(L, -2, "Table");
  for(size_t i = 0; i < sizeof enums / sizeof *enums; i++) {
    lsfl_new_enum(L, lua_pushfstring(L, "sfl.aws_dynamodb.%s", enums[i].name),
                  enums[i].members, enums[i].values);
    lua_remove(L, -2);
    lua_setfield(L, -2, enums[i].name);
  }
  lsfl_make_strict(L, "sfl.aws_dynamodb");
  return 1;
}
