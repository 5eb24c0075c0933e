/*
** mod_sfn_constructs.c: the constructs of `sfl.aws_stepfunctions` that are not states:
** StateMachineFragment (a reusable piece of workflow, set up by assigning its
** start_state and end_states, as a Python subclass would) and Activity.
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/sfn.h"
#include "cfn/token.h"

#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

/* {============ StateMachineFragment */

static struct lsfl_fragment *check_fragment(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(FRAGMENT), 0,
                    "sfl.aws_stepfunctions.StateMachineFragment")->obj;
}

struct asl_chain *lsfl_fragment_chain(lua_State *L, struct lsfl_fragment *f)
{
  if(!f->start)
    lsfl_error(L, "StateMachineFragment '%s' has no start_state yet: set "
                  "fragment.start_state = <state> (and fragment.end_states = { ... })",
               f->node->id);
  struct asl_chain *c = asl_chain_make(A(L), f->start, (struct asl_state **)f->ends.items,
                                       f->ends.n, f->node->id);
  if(!c)
    luaL_error(L, "not enough memory");
  return c;
}

static int fragment_new(lua_State *L)
{
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  if(!lua_isnoneornil(L, 3))
    return lsfl_error(L, "StateMachineFragment '%s' takes no props: set start_state and "
                         "end_states on it", id);
  struct diag d = {0};
  struct cfn_node *n = cfn_node_new(scope, id,
                                    "aws-cdk-lib.aws_stepfunctions.StateMachineFragment",
                                    lsfl_loc(L), &d);
  if(!n)
    return lsfl_raise(L, &d);
  struct lsfl_fragment *f = arena_alloc(A(L), sizeof *f);
  if(!f)
    return luaL_error(L, "not enough memory");
  f->node = n;
  n->model = f;
  lsfl_push(L, LSFL_FRAGMENT, f, n);
  return 1;
}

/* fragment.start_state = state; fragment.end_states = { state, ... } */
static int fragment_newindex(lua_State *L)
{
  struct lsfl_fragment *f = check_fragment(L, 1);
  const char *key = luaL_checkstring(L, 2);
  if(!strcmp(key, "start_state")) {
    f->start = lsfl_check_chainable(L, 3)->start;
    return 0;
  }
  if(!strcmp(key, "end_states")) {
    luaL_checktype(L, 3, LUA_TTABLE);
    struct vec ends = {0};
    for(lua_Integer i = 1, n = (lua_Integer)lua_rawlen(L, 3); i <= n; i++) {
      lua_rawgeti(L, 3, i);
      struct lsfl_box *b = lsfl_test(L, -1, 0, LT_ISSTATE);
      if(!b)
        return lsfl_error(L, "end_states: item %d must be a state, got %s", (int)i,
                          lsfl_typename(L, -1));
      if(vec_push(A(L), &ends, b->obj))
        return luaL_error(L, "not enough memory");
      lua_pop(L, 1);
    }
    f->ends = ends;
    return 0;
  }
  return lsfl_error(L, "cannot set '%s' on sfl.aws_stepfunctions.StateMachineFragment: only "
                       "start_state and end_states can be set", key);
}

static int fragment_next(lua_State *L)
{
  struct asl_chain *c = lsfl_fragment_chain(L, check_fragment(L, 1));
  struct asl_chain *next = lsfl_check_chainable(L, 2);
  struct diag d = {0};
  struct asl_chain *r = asl_chain_next(c, next, lsfl_loc(L), &d);
  if(!r)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_CHAIN, r, NULL);
  return 1;
}

static void prefix(lua_State *L, struct lsfl_fragment *f, const char *p)
{
  struct diag d = {0};
  if(sfn_prefix_states(lsfl_fragment_chain(L, f)->start, p, &d))
    lsfl_raise(L, &d);
}

/* prefix_states(prefix): default "<fragment id>: ". */
static int fragment_prefix_states(lua_State *L)
{
  struct lsfl_fragment *f = check_fragment(L, 1);
  const char *p = luaL_optstring(L, 2, NULL);
  prefix(L, f, p ? p : lua_pushfstring(L, "%s: ", f->node->id));
  lua_settop(L, 1);
  return 1;
}

/* to_single_state({ state_id, prefix_states, <Parallel props> }): the fragment, prefixed,
** as the one branch of a Parallel made inside it. */
static int fragment_to_single_state(lua_State *L)
{
  lua_settop(L, 2);
  struct lsfl_fragment *f = check_fragment(L, 1);
  const char *state_id = f->node->id, *pfx = NULL;
  lua_newtable(L);  /* 3: the Parallel's own props */
  if(lua_istable(L, 2)) {
    lua_pushnil(L);
    while(lua_next(L, 2)) {
      const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
      if(!strcmp(k, "state_id") || !strcmp(k, "prefix_states")) {
        if(lua_type(L, -1) != LUA_TSTRING)
          return lsfl_error(L, "to_single_state: prop '%s' must be a string, got %s", k,
                            lsfl_typename(L, -1));
        if(*k == 's')
          state_id = lua_tostring(L, -1);
        else
          pfx = lua_tostring(L, -1);
        lua_pop(L, 1);
      }
      else {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, 3);
      }
    }
  }
  else if(!lua_isnil(L, 2))
    return lsfl_error(L, "to_single_state: props must be a table, got %s",
                      lsfl_typename(L, 2));
  prefix(L, f, pfx ? pfx : lua_pushfstring(L, "%s: ", state_id));
  lua_settop(L, 3);
  lsfl_parallel_around(L, f->node, state_id, 3, lsfl_fragment_chain(L, f));
  return 1;
}

static int fragment_get_start(lua_State *L, struct lsfl_box *self)
{
  struct lsfl_fragment *f = self->obj;
  if(f->start)
    lsfl_push_state(L, f->start);
  else
    lua_pushnil(L);
  return 1;
}

static int fragment_get_ends(lua_State *L, struct lsfl_box *self)
{
  struct lsfl_fragment *f = self->obj;
  lua_createtable(L, (int)f->ends.n, 0);
  for(size_t i = 0; i < f->ends.n; i++) {
    lsfl_push_state(L, f->ends.items[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int fragment_get_id(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct lsfl_fragment *)self->obj)->node->id);
  return 1;
}

static const luaL_Reg fragment_methods[] = {
  {"next", fragment_next}, {"prefix_states", fragment_prefix_states},
  {"to_single_state", fragment_to_single_state}, {"__newindex", fragment_newindex},
  {NULL, NULL}
};
static const struct lsfl_getter fragment_getters[] = {
  {"start_state", fragment_get_start}, {"end_states", fragment_get_ends},
  {"id", fragment_get_id}, {NULL, NULL}
};

/* }============ */

/* {============ Activity */

struct activity_props {
  cJSON *activity_name;
  struct sfn_encryption *encryption_configuration;
};

static const struct lsfl_prop activity_schema[] = {
  {"activity_name", P_STR, offsetof(struct activity_props, activity_name), 0, NULL, NULL, NULL,
   0, NULL},
  {"encryption_configuration", P_USERDATA,
   offsetof(struct activity_props, encryption_configuration), 0, NULL, NULL, NULL,
   LSFL_BIT(ENCRYPTION), LSFL_ENCRYPTION_EXPECTED},
  PROP_END
};

static int activity_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct activity_props p = {0};
  lsfl_read_props(L, 3, activity_schema, &p, lua_pushfstring(L, "Activity '%s'", id));
  struct diag d = {0};
  struct sfn_activity *act = sfn_activity_new(scope, id, p.activity_name,
                                              p.encryption_configuration, lsfl_loc(L), &d);
  if(!act)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_ACTIVITY, act, act->node);
  return 1;
}

static int activity_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, cfn_ref(((struct sfn_activity *)self->obj)->resource->logical_id));
}

static int activity_get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, cfn_getatt(((struct sfn_activity *)self->obj)->resource->logical_id,
                                       "Name"));
}

static const struct lsfl_getter activity_getters[] = {
  {"activity_arn", activity_get_arn}, {"activity_name", activity_get_name}, {NULL, NULL}
};

/* }============ */

/* LogOptions and other struct classes hand back the table they are called with. */
static int struct_identity(lua_State *L)
{
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  return 1;
}

void lsfl_register_sfn_construct_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_FRAGMENT, fragment_methods, fragment_getters);
  lsfl_new_type(L, LSFL_ACTIVITY, NULL, activity_getters);
}

void lsfl_add_sfn_constructs(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions.StateMachineFragment", fragment_new, NULL);
  lua_setfield(L, -2, "StateMachineFragment");
  lsfl_new_class(L, "sfl.aws_stepfunctions.Activity", activity_new, NULL);
  lua_setfield(L, -2, "Activity");
  static const char *const structs[] = {"LogOptions", "RetryProps", "CatchProps",
                                        "SingleStateOptions", "AfterwardsOptions", NULL};
  for(size_t i = 0; structs[i]; i++) {
    lua_pushcfunction(L, struct_identity);
    lua_setfield(L, -2, structs[i]);
  }
}
