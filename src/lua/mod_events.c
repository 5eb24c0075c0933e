/*
** mod_events.c: `sfl.aws_events`: imported connections (Connection.from_event_bus_arn,
** Connection.from_connection_attributes), what HttpInvoke's `connection` takes.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/events.h"

static int push_connection(lua_State *L, struct cfn_node *scope, const char *id, cJSON *arn,
                           cJSON *name, cJSON *secret_arn)
{
  struct diag d = {0};
  struct events_connection *c = events_connection_import(scope, id, arn, name, secret_arn,
                                                         lsfl_loc(L), &d);
  if(!c)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_EVENTS_CONNECTION, c, c->node);
  return 1;
}

/* Connection.from_event_bus_arn(scope, id, connection_arn, connection_secret_arn) */
static int connection_from_arn(lua_State *L)
{
  lua_settop(L, 4);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *arn = lsfl_check_str_value(L, 3, "connection_arn");
  cJSON *secret = lsfl_check_str_value(L, 4, "connection_secret_arn");
  return push_connection(L, scope, id, arn, NULL, secret);
}

struct connection_attrs {
  cJSON *name, *arn, *secret_arn;
};

static const struct lsfl_prop connection_attrs_schema[] = {
  {"connection_arn", P_STR, offsetof(struct connection_attrs, arn), PROP_REQUIRED, NULL, NULL,
   NULL, 0, NULL},
  {"connection_name", P_STR, offsetof(struct connection_attrs, name), PROP_REQUIRED, NULL,
   NULL, NULL, 0, NULL},
  {"connection_secret_arn", P_STR, offsetof(struct connection_attrs, secret_arn),
   PROP_REQUIRED, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

/* Connection.from_connection_attributes(scope, id, {connection_name, connection_arn,
** connection_secret_arn}) */
static int connection_from_attributes(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct connection_attrs a = {0};
  lsfl_read_props(L, 3, connection_attrs_schema, &a, "Connection.from_connection_attributes");
  return push_connection(L, scope, id, a.arn, a.name, a.secret_arn);
}

#define CONNECTION_GETTER(fn, field) \
  static int fn(lua_State *L, struct lsfl_box *self) \
  { \
    return lsfl_push_attribute(L, json_dup(((struct events_connection *)self->obj)->field)); \
  }
CONNECTION_GETTER(get_arn, arn)
CONNECTION_GETTER(get_name, name)
CONNECTION_GETTER(get_secret_arn, secret_arn)
#undef CONNECTION_GETTER

static const struct lsfl_getter connection_getters[] = {
  {"connection_arn", get_arn}, {"connection_name", get_name},
  {"connection_secret_arn", get_secret_arn}, {NULL, NULL}
};

void lsfl_register_events_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_EVENTS_CONNECTION, NULL, connection_getters);
}

int lsfl_open_events(lua_State *L)
{
  lua_newtable(L);
  static const luaL_Reg connection[] = {
    {"from_event_bus_arn", connection_from_arn},
    {"from_connection_attributes", connection_from_attributes}, {NULL, NULL}};
  lsfl_new_class(L, "sfl.aws_events.Connection", NULL, connection);
  lua_setfield(L, -2, "Connection");
  lsfl_add_event_bus(L);
  lsfl_make_strict(L, "sfl.aws_events");
  return 1;
}
