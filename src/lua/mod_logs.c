/*
** mod_logs.c: `sfl.aws_logs`: LogGroup and RetentionDays.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/logs.h"

const char *const lsfl_removal_policies[] = {"destroy", "retain", "snapshot",
                                             "retain_on_update_or_delete", NULL};

struct lua_log_group {
  struct log_group_props p;
  cJSON *removal_policy;
};

static const struct lsfl_prop log_group_schema[] = {
  {"log_group_name", P_STR, offsetof(struct lua_log_group, p.log_group_name), 0, NULL, NULL,
   NULL, 0, NULL},
  {"removal_policy", P_ENUM, offsetof(struct lua_log_group, removal_policy), 0, NULL, NULL,
   lsfl_removal_policies, 0, NULL},
  {"retention", P_INT, offsetof(struct lua_log_group, p.retention), 0, NULL, NULL, NULL, 0,
   NULL},
  PROP_END
};

static int log_group_new_lua(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_log_group props = {0};
  lsfl_read_props(L, 3, log_group_schema, &props, lua_pushfstring(L, "LogGroup '%s'", id));
  if(props.removal_policy)
    props.p.removal_policy = props.removal_policy->valuestring;
  struct diag d = {0};
  struct log_group *lg = log_group_new(scope, id, &props.p, lsfl_loc(L), &d);
  if(!lg)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_LOG_GROUP, lg, lg->node);
  return 1;
}

static int get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, log_group_arn(self->obj));
}

static int get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, log_group_name(self->obj));
}

static const struct lsfl_getter log_group_getters[] = {
  {"log_group_arn", get_arn}, {"log_group_name", get_name}, {NULL, NULL}
};

/* aws_logs.RetentionDays: the number of days each member stands for. */
static const struct { const char *name; int days; } retention_days[] = {
  {"ONE_DAY", 1}, {"THREE_DAYS", 3}, {"FIVE_DAYS", 5}, {"ONE_WEEK", 7}, {"TWO_WEEKS", 14},
  {"ONE_MONTH", 30}, {"TWO_MONTHS", 60}, {"THREE_MONTHS", 90}, {"FOUR_MONTHS", 120},
  {"FIVE_MONTHS", 150}, {"SIX_MONTHS", 180}, {"ONE_YEAR", 365}, {"THIRTEEN_MONTHS", 400},
  {"EIGHTEEN_MONTHS", 545}, {"TWO_YEARS", 731}, {"THREE_YEARS", 1096}, {"FIVE_YEARS", 1827},
  {"SIX_YEARS", 2192}, {"SEVEN_YEARS", 2557}, {"EIGHT_YEARS", 2922}, {"NINE_YEARS", 3288},
  {"TEN_YEARS", 3653}, {"INFINITE", LOGS_RETENTION_INFINITE},
};

void lsfl_register_logs_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_LOG_GROUP, NULL, log_group_getters);
}

int lsfl_open_logs(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_logs.LogGroup", log_group_new_lua, NULL);
  lua_setfield(L, -2, "LogGroup");
  lua_newtable(L);
  for(size_t i = 0; i < sizeof retention_days / sizeof *retention_days; i++) {
    lua_pushinteger(L, retention_days[i].days);
    lua_setfield(L, -2, retention_days[i].name);
  }
  lsfl_make_strict(L, "sfl.aws_logs.RetentionDays");
  lua_setfield(L, -2, "RetentionDays");
  lsfl_make_strict(L, "sfl.aws_logs");
  return 1;
}
