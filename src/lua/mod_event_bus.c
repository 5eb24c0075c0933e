/*
** mod_event_bus.c: aws_events.EventBus in `sfl.aws_events` (made, or imported by ARN or
** by name) and grant_put_events_to. The module table itself is opened in mod_events.c.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "lua/mod_tasks.h"
#include "constructs/messaging.h"

struct lua_event_bus {
  struct event_bus_props p;
  void *kms_key;   /* never set: the reader refuses every value */
};

#define EB struct lua_event_bus
static const struct lsfl_prop event_bus_schema[] = {
  F("event_bus_name", P_STR, EB, p.event_bus_name),
  F("event_source_name", P_STR, EB, p.event_source_name),
  F("description", P_STR, EB, p.description),
  {"dead_letter_queue", P_USERDATA, offsetof(EB, p.dead_letter_queue), 0, NULL, NULL, NULL,
   LSFL_BIT(QUEUE) | LSFL_BIT(IMPORTED_QUEUE), "an aws_sqs.IQueue"},
  {"kms_key", P_USERDATA, offsetof(EB, kms_key), 0, NULL, NULL, NULL, 0,
   "an aws_kms.IKey, and sfl does not encrypt event buses with a customer managed key yet: "
   "leave kms_key out"},
  PROP_END
};
#undef EB

static int event_bus_new_lua(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_event_bus props = {0};
  lsfl_read_props(L, 3, event_bus_schema, &props, lua_pushfstring(L, "EventBus '%s'", id));
  struct diag d = {0};
  struct event_bus *b = event_bus_new(scope, id, &props.p, lsfl_loc(L), &d);
  if(!b)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_EVENT_BUS, b, b->node);
  return 1;
}

static int import(lua_State *L, int by_name)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *value = lsfl_check_str_value(L, 3, by_name ? "event_bus_name" : "event_bus_arn");
  struct diag d = {0};
  struct event_bus *b = event_bus_import(scope, id, by_name ? NULL : value,
                                         by_name ? value : NULL, lsfl_loc(L), &d);
  if(!b)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_IMPORTED_EVENT_BUS, b, b->node);
  return 1;
}

static int from_arn(lua_State *L) { return import(L, 0); }
static int from_name(lua_State *L) { return import(L, 1); }

/* bus:grant_put_events_to(grantee[, sid]): the sid only matters for resource policies,
** which a role grantee never needs. */
static int grant_put_events_to(lua_State *L)
{
  struct event_bus *b = lsfl_check(L, 1, LSFL_BIT(EVENT_BUS) | LSFL_BIT(IMPORTED_EVENT_BUS), 0,
                                   "sfl.aws_events.IEventBus")->obj;
  struct role *to = lsfl_check_grantee(L, 2);
  luaL_optstring(L, 3, NULL);
  struct diag d = {0};
  if(event_bus_grant_put_events(b, to, &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, event_bus_arn(self->obj));
}

static int get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, event_bus_name(self->obj));
}

static const struct lsfl_getter bus_getters[] = {
  {"event_bus_arn", get_arn}, {"event_bus_name", get_name}, {NULL, NULL}
};

static const luaL_Reg bus_methods[] = {{"grant_put_events_to", grant_put_events_to},
                                       {NULL, NULL}};

static const luaL_Reg bus_statics[] = {
  {"from_event_bus_arn", from_arn}, {"from_event_bus_name", from_name}, {NULL, NULL}
};

void lsfl_register_event_bus_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_EVENT_BUS, bus_methods, bus_getters);
  lsfl_new_type(L, LSFL_IMPORTED_EVENT_BUS, bus_methods, bus_getters);
}

void lsfl_add_event_bus(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_events.EventBus", event_bus_new_lua, bus_statics);
  lua_setfield(L, -2, "EventBus");
}
