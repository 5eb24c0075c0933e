/*
** mod_sns.c: `sfl.aws_sns`: Topic (made or imported), FifoThroughputScope, TracingConfig.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "lua/mod_tasks.h"
#include "constructs/messaging.h"

static const char *const throughput_members[] = {"TOPIC", "MESSAGE_GROUP", NULL};
static const char *const throughput_values[] = {"Topic", "MessageGroup", NULL};
static const char *const tracing_members[] = {"PASS_THROUGH", "ACTIVE", NULL};
static const char *const tracing_values[] = {"PassThrough", "Active", NULL};

struct lua_topic {
  struct sns_topic_props p;
};

#define TP struct lua_topic
static const struct lsfl_prop topic_schema[] = {
  F("topic_name", P_STR, TP, p.topic_name),
  F("display_name", P_STR, TP, p.display_name),
  F("fifo", P_BOOL, TP, p.fifo),
  F("content_based_deduplication", P_BOOL, TP, p.content_based_deduplication),
  {"fifo_throughput_scope", P_ENUM, offsetof(TP, p.fifo_throughput_scope), 0, NULL, NULL,
   throughput_values, 0, NULL},
  F("signature_version", P_STR, TP, p.signature_version),
  F("enforce_ssl", P_BOOL, TP, p.enforce_ssl),
  F("message_retention_period_in_days", P_INT, TP, p.message_retention_period_in_days),
  {"tracing_config", P_ENUM, offsetof(TP, p.tracing_config), 0, NULL, NULL, tracing_values, 0,
   NULL},
  {"master_key", P_USERDATA, offsetof(TP, p.master_key), 0, NULL, NULL, NULL,
   LSFL_BIT(KMS_KEY) | LSFL_BIT(IMPORTED_KMS_KEY),
   "an aws_kms.IKey (a Key, or Key.from_key_arn(...))"},
  PROP_END
};
#undef TP

static int topic_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_topic props = {0};
  lsfl_read_props(L, 3, topic_schema, &props, lua_pushfstring(L, "Topic '%s'", id));
  struct diag d = {0};
  struct sns_topic *t = sns_topic_new(scope, id, &props.p, lsfl_loc(L), &d);
  if(!t)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_TOPIC, t, t->node);
  return 1;
}

/* Topic.from_topic_arn(scope, id, arn) */
static int topic_from_arn(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *arn = lsfl_check_str_value(L, 3, "topic_arn");
  struct diag d = {0};
  struct sns_topic *t = sns_topic_import(scope, id, arn, lsfl_loc(L), &d);
  if(!t)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_IMPORTED_TOPIC, t, t->node);
  return 1;
}

static struct sns_topic *check_topic(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(TOPIC) | LSFL_BIT(IMPORTED_TOPIC), 0,
                    "sfl.aws_sns.ITopic")->obj;
}

static int topic_grant_publish(lua_State *L)
{
  struct sns_topic *t = check_topic(L, 1);
  struct role *to = lsfl_check_grantee(L, 2);
  struct diag d = {0};
  if(sns_topic_grant_publish(t, to, &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, sns_topic_arn(self->obj));
}

static int get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, sns_topic_name(self->obj));
}

static int get_fifo(lua_State *L, struct lsfl_box *self)
{
  lua_pushboolean(L, ((struct sns_topic *)self->obj)->fifo);
  return 1;
}

static int get_content_dedup(lua_State *L, struct lsfl_box *self)
{
  lua_pushboolean(L, ((struct sns_topic *)self->obj)->content_based_deduplication);
  return 1;
}

static const struct lsfl_getter topic_getters[] = {
  {"topic_arn", get_arn}, {"topic_name", get_name}, {"fifo", get_fifo},
  {"content_based_deduplication", get_content_dedup}, {NULL, NULL}
};

static const luaL_Reg topic_methods[] = {{"grant_publish", topic_grant_publish}, {NULL, NULL}};

static const luaL_Reg topic_statics[] = {{"from_topic_arn", topic_from_arn}, {NULL, NULL}};

void lsfl_register_messaging_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_TOPIC, topic_methods, topic_getters);
  lsfl_new_type(L, LSFL_IMPORTED_TOPIC, topic_methods, topic_getters);
  lsfl_register_sqs_types(L);
  lsfl_register_event_bus_types(L);
}

int lsfl_open_sns(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_sns.Topic", topic_new, topic_statics);
  lua_setfield(L, -2, "Topic");
  lsfl_new_enum(L, "sfl.aws_sns.FifoThroughputScope", throughput_members, throughput_values);
  lua_setfield(L, -2, "FifoThroughputScope");
  lsfl_new_enum(L, "sfl.aws_sns.TracingConfig", tracing_members, tracing_values);
  lua_setfield(L, -2, "TracingConfig");
  lsfl_make_strict(L, "sfl.aws_sns");
  return 1;
}
