/*
** mod_tasks_messaging.c: the Lua props of SnsPublish, SqsSendMessage and
** EventBridgePutEvents (rendering: src/constructs/tasks_messaging.c).
*/
#include "lua/mod_tasks.h"
#include "constructs/tasks_messaging.h"

#include <stdlib.h>

/* {============ SnsPublish */

struct lua_sns_publish {
  TASK_FIELDS(struct sns_publish_props);
  cJSON *message_attributes;   /* described for tools; read by read_attributes */
};

#define SP struct lua_sns_publish
static const struct lsfl_prop sns_publish_schema[] = {
  TASK_BASE_PROPS(SP),
  {"topic", P_USERDATA, offsetof(SP, p.topic), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(TOPIC) | LSFL_BIT(IMPORTED_TOPIC), "an aws_sns.ITopic (a Topic, or "
   "Topic.from_topic_arn(...))"},
  {"message", P_TASK_INPUT, offsetof(SP, p.message), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  F("subject", P_STR, SP, p.subject),
  F("message_group_id", P_STR, SP, p.message_group_id),
  F("message_deduplication_id", P_STR, SP, p.message_deduplication_id),
  F("message_per_subscription_type", P_BOOL, SP, p.message_per_subscription_type),
  F("message_attributes", P_JSON, SP, message_attributes),
  PROP_END
};
#undef SP

static int by_name(const void *a, const void *b)
{
  return strcmp(((const struct sns_attribute *)a)->name, ((const struct sns_attribute *)b)->name);
}

/* One MessageAttribute table at the top of the stack: {value = ..., data_type = ...}. */
static void read_attribute(lua_State *L, struct sns_attribute *at, const char *what)
{
  if(!lua_istable(L, -1))
    lsfl_error(L, "%s: message_attributes['%s'] must be a MessageAttribute table "
               "({ value = ..., data_type = ... }), got %s", what, at->name, lsfl_typename(L, -1));
  lua_pushnil(L);
  while(lua_next(L, -2)) {
    lua_pop(L, 1);
    const char *key = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
    if(strcmp(key, "value") && strcmp(key, "data_type"))
      lsfl_error(L, "%s: message_attributes['%s'] has unknown key '%s' (a MessageAttribute "
                 "takes value and data_type)", what, at->name, key);
  }
  if(lua_getfield(L, -1, "data_type") != LUA_TNIL) {
    const char *dt = lua_tostring(L, -1);
    for(size_t i = 0; dt && sns_attribute_types[i]; i++)
      if(lua_type(L, -1) == LUA_TSTRING && !strcmp(dt, sns_attribute_types[i]))
        at->data_type = sns_attribute_types[i];
    if(!at->data_type)
      lsfl_error(L, "%s: message_attributes['%s'].data_type must be a "
                 "MessageAttributeDataType (STRING, STRING_ARRAY, NUMBER or BINARY)", what,
                 at->name);
  }
  lua_pop(L, 1);
  if(lua_getfield(L, -1, "value") == LUA_TNIL)
    lsfl_error(L, "%s: message_attributes['%s'] needs a value", what, at->name);
  struct lsfl_box *input = lsfl_test(L, -1, LSFL_BIT(TASK_INPUT), 0);
  at->is_input = input != NULL;
  at->value = input ? input->obj : lsfl_to_json(L, -1, what);
  lua_pop(L, 1);
}

/* Takes message_attributes out of the props table at idx (replaced by a copy without it)
** and reads it, sorted by name as sfl writes the keys of user tables. */
static void read_attributes(lua_State *L, int idx, struct sns_publish_props *p,
                            const char *what)
{
  if(!lua_istable(L, idx) || lua_getfield(L, idx, "message_attributes") == LUA_TNIL) {
    if(lua_istable(L, idx))
      lua_pop(L, 1);
    return;
  }
  if(!lua_istable(L, -1))
    lsfl_error(L, "%s: prop 'message_attributes' must be a table of name = "
               "MessageAttribute, got %s", what, lsfl_typename(L, -1));
  int attrs = lua_gettop(L);
  size_t n = 0;
  for(lua_pushnil(L); lua_next(L, attrs); lua_pop(L, 1))
    n++;
  struct sns_attribute *list = n ? arena_alloc(lsfl_ctx(L)->arena, n * sizeof *list) : NULL;
  if(n && !list)
    luaL_error(L, "not enough memory");
  size_t i = 0;
  for(lua_pushnil(L); lua_next(L, attrs); lua_pop(L, 1)) {
    if(lua_type(L, -2) != LUA_TSTRING)
      lsfl_error(L, "%s: message_attributes names must be strings", what);
    list[i].name = arena_strdup(lsfl_ctx(L)->arena, lua_tostring(L, -2));
    read_attribute(L, &list[i++], what);
  }
  if(n)
    qsort(list, n, sizeof *list, by_name);
  p->attributes = list;
  p->nattributes = n;
  if(!n)
    p->attributes = arena_alloc(lsfl_ctx(L)->arena, 1);
  lua_pop(L, 1);
  /* A shallow copy of the props without message_attributes, in place of the original. */
  lua_newtable(L);
  int copy = lua_gettop(L);
  for(lua_pushnil(L); lua_next(L, idx);) {
    if(lua_type(L, -2) == LUA_TSTRING && !strcmp(lua_tostring(L, -2), "message_attributes")) {
      lua_pop(L, 1);
      continue;
    }
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, copy);
  }
  lua_replace(L, idx);
}

static int sns_publish_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_sns_publish props;
  memset(&props, 0, sizeof props);
  const char *what = lua_pushfstring(L, "SnsPublish '%s'", id);
  read_attributes(L, 3, &props.p, what);
  lsfl_read_props(L, 3, sns_publish_schema, &props, what);
  lsfl_task_base_finish(&props.p.base, props.pattern, props.query_language);
  struct diag d = {0};
  struct asl_state *s = task_sns_publish(scope, id, &props.p, lsfl_loc(L), &d);
  if(!s)
    return lsfl_raise(L, &d);
  s->tag = LSFL_SNS_PUBLISH;
  lsfl_push_state(L, s);
  return 1;
}

/* }============ */

/* {============ SqsSendMessage */

struct lua_sqs_send_message {
  TASK_FIELDS(struct sqs_send_message_props);
};

#define SQ struct lua_sqs_send_message
static const struct lsfl_prop sqs_send_message_schema[] = {
  TASK_BASE_PROPS(SQ),
  {"queue", P_USERDATA, offsetof(SQ, p.queue), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(QUEUE) | LSFL_BIT(IMPORTED_QUEUE), "an aws_sqs.IQueue (a Queue, or "
   "Queue.from_queue_arn(...))"},
  {"message_body", P_TASK_INPUT, offsetof(SQ, p.message_body), PROP_REQUIRED, NULL, NULL, NULL,
   0, NULL},
  F("delay", P_DURATION, SQ, p.delay),
  F("message_group_id", P_STR, SQ, p.message_group_id),
  F("message_deduplication_id", P_STR, SQ, p.message_deduplication_id),
  PROP_END
};
#undef SQ

TASK_CTOR(sqs_send_message_new, struct lua_sqs_send_message, sqs_send_message_schema,
          "SqsSendMessage", LSFL_SQS_SEND_MESSAGE, task_sqs_send_message)

/* }============ */

/* {============ EventBridgePutEvents */

struct lua_put_events {
  TASK_FIELDS(struct put_events_props);
};

#define EE struct put_events_entry
static const struct lsfl_prop entry_schema[] = {
  {"detail", P_TASK_INPUT, offsetof(EE, detail), PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  REQ("detail_type", P_STR, EE, detail_type),
  REQ("source", P_STR, EE, source),
  {"event_bus", P_USERDATA, offsetof(EE, event_bus), 0, NULL, NULL, NULL,
   LSFL_BIT(EVENT_BUS) | LSFL_BIT(IMPORTED_EVENT_BUS), "an aws_events.IEventBus (an EventBus, "
   "or EventBus.from_event_bus_arn/_name(...))"},
  PROP_END_SIZED(EE)
};
#undef EE

#define PE struct lua_put_events
static const struct lsfl_prop put_events_schema[] = {
  TASK_BASE_PROPS(PE),
  {"entries", P_NESTED_LIST, offsetof(PE, p.entries), PROP_REQUIRED, NULL, entry_schema, NULL,
   0, NULL},
  PROP_END
};
#undef PE

TASK_CTOR(put_events_new, struct lua_put_events, put_events_schema, "EventBridgePutEvents",
          LSFL_PUT_EVENTS, task_put_events)

/* }============ */

void lsfl_register_messaging_task_types(lua_State *L)
{
  lsfl_new_state_type(L, LSFL_SNS_PUBLISH, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_state_type(L, LSFL_SQS_SEND_MESSAGE, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_state_type(L, LSFL_PUT_EVENTS, asl_types[ASL_TASK].flags, NULL);
}

void lsfl_add_messaging_tasks(lua_State *L)
{
  static const struct lsfl_task_class classes[] = {
    {"SnsPublish", sns_publish_new},
    {"SqsSendMessage", sqs_send_message_new},
    {"EventBridgePutEvents", put_events_new},
  };
  lsfl_add_task_classes(L, classes, sizeof classes / sizeof *classes);
  static const char *const dt_members[] = {"STRING", "STRING_ARRAY", "NUMBER", "BINARY", NULL};
  lsfl_new_enum(L, "sfl.aws_stepfunctions_tasks.MessageAttributeDataType", dt_members,
                sns_attribute_types);
  lua_setfield(L, -2, "MessageAttributeDataType");
  lua_pushcfunction(L, lsfl_struct_identity);
  lua_setfield(L, -2, "MessageAttribute");
  lua_pushcfunction(L, lsfl_struct_identity);
  lua_setfield(L, -2, "EventBridgePutEventsEntry");
}
