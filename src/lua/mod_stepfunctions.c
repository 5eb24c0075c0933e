/*
** mod_stepfunctions.c: `sfl.aws_stepfunctions`: the states (Pass, Succeed, Fail,
** Choice, Parallel), Chain, DefinitionBody and StateMachine, plus the methods every
** state shares (next, add_catch, add_retry, to_state_json). Value helpers
** (Condition, TaskInput, JsonPath...) are in mod_sfn_values.c.
*/
#include "lua/lsfl.h"
#include "constructs/dmap.h"
#include "lua/props.h"
#include "asl/render.h"
#include "constructs/lambda.h"
#include "constructs/sfn.h"
#include "cfn/token.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

static void *nomem(lua_State *L)
{
  luaL_error(L, "not enough memory");
  return NULL;
}

/* {============ pushing states and chains */

/* A state's tag is the Lua type of its box, so it can be pushed again later. */
void lsfl_push_state(lua_State *L, struct asl_state *s)
{
  lsfl_push(L, (enum lsfl_type)s->tag, s, sfn_state_node(s));
}

static void push_chain(lua_State *L, struct asl_chain *c)
{
  if(!c)
    nomem(L);
  lsfl_push(L, LSFL_CHAIN, c, NULL);
}

/* }============ */

/* {============ state props and constructors */

struct state_props {
  const char *state_name;
  cJSON *query_language, *outputs, *arguments, *items, *jsonata_item_selector;
  cJSON *jsonata_max_concurrency;
  cJSON *comment, *input_path, *output_path, *result_path, *parameters, *result_selector;
  cJSON *assign, *result, *error, *cause, *error_path, *cause_path, *time;
  cJSON *items_path, *item_selector, *max_concurrency, *max_concurrency_path, *state_json;
  /* DistributedMap */
  cJSON *map_execution_type, *item_batcher, *label;
  cJSON *tolerated_percentage, *tolerated_percentage_path;
  cJSON *tolerated_count, *tolerated_count_path;
  struct dmap_reader *item_reader;
  struct dmap_writer *result_writer, *result_writer_v2;
};

#define SP(name, type, field) \
  {name, type, offsetof(struct state_props, field), 0, NULL, NULL, NULL, 0, NULL}
static const char *const query_languages[] = {"JSONPath", "JSONata", NULL};
#define COMMON_PROPS \
  SP("comment", P_STR, comment), SP("state_name", P_STRING, state_name), \
  {"query_language", P_ENUM, offsetof(struct state_props, query_language), 0, NULL, NULL, \
   query_languages, 0, NULL}
#define OUTPUTS_PROP SP("outputs", P_JSON, outputs)
#define IO_PROPS \
  SP("input_path", P_PATH, input_path), SP("output_path", P_PATH, output_path)
#define ASSIGN_PROP SP("assign", P_OBJECT, assign)

/* Each schema is the Python class's props (aws_stepfunctions.<Class>Props, JSONPath). */
static const struct lsfl_prop pass_schema[] = {
  COMMON_PROPS, ASSIGN_PROP, IO_PROPS, OUTPUTS_PROP, SP("parameters", P_OBJECT, parameters),
  {"result", P_USERDATA, offsetof(struct state_props, result), 0, NULL, NULL, NULL,
   LSFL_BIT(RESULT), "a sfn.Result (Result.from_object(...), ...)"},
  SP("result_path", P_PATH, result_path), PROP_END
};
static const struct lsfl_prop wait_schema[] = {
  COMMON_PROPS, ASSIGN_PROP,
  {"time", P_USERDATA, offsetof(struct state_props, time), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(WAIT_TIME), "a sfn.WaitTime (WaitTime.duration(...), ...)"},
  PROP_END
};
static const struct lsfl_prop succeed_schema[] = {COMMON_PROPS, IO_PROPS, OUTPUTS_PROP,
                                                   PROP_END};
static const struct lsfl_prop fail_schema[] = {
  COMMON_PROPS, SP("cause", P_STR, cause), SP("cause_path", P_STR, cause_path),
  SP("error", P_STR, error), SP("error_path", P_STR, error_path), PROP_END
};
static const struct lsfl_prop choice_schema[] = {COMMON_PROPS, ASSIGN_PROP, IO_PROPS,
                                                  OUTPUTS_PROP, PROP_END};
static const struct lsfl_prop parallel_schema[] = {
  COMMON_PROPS, ASSIGN_PROP, IO_PROPS, OUTPUTS_PROP, SP("arguments", P_JSON, arguments),
  SP("parameters", P_OBJECT, parameters),
  SP("result_path", P_PATH, result_path), SP("result_selector", P_OBJECT, result_selector),
  PROP_END
};
static const struct lsfl_prop map_schema[] = {
  COMMON_PROPS, ASSIGN_PROP, IO_PROPS, OUTPUTS_PROP,
  {"items", P_USERDATA, offsetof(struct state_props, items), 0, NULL, NULL, NULL,
   LSFL_BIT(PROVIDE_ITEMS), "a sfn.ProvideItems (ProvideItems.jsonata(...), json_array(...))"},
  SP("jsonata_item_selector", P_STR, jsonata_item_selector),
  SP("jsonata_max_concurrency", P_STR, jsonata_max_concurrency),
  SP("item_selector", P_OBJECT, item_selector),
  SP("items_path", P_PATH, items_path), SP("max_concurrency", P_INT, max_concurrency),
  SP("max_concurrency_path", P_PATH, max_concurrency_path),
  SP("parameters", P_OBJECT, parameters), SP("result_path", P_PATH, result_path),
  SP("result_selector", P_OBJECT, result_selector), PROP_END
};
static const char *const map_execution_types[] = {"STANDARD", "EXPRESS", NULL};
static const struct lsfl_prop distributed_map_schema[] = {
  COMMON_PROPS, ASSIGN_PROP, IO_PROPS, OUTPUTS_PROP,
  {"items", P_USERDATA, offsetof(struct state_props, items), 0, NULL, NULL, NULL,
   LSFL_BIT(PROVIDE_ITEMS), "a sfn.ProvideItems (ProvideItems.jsonata(...), json_array(...))"},
  SP("jsonata_item_selector", P_STR, jsonata_item_selector),
  SP("jsonata_max_concurrency", P_STR, jsonata_max_concurrency),
  SP("item_selector", P_OBJECT, item_selector),
  SP("items_path", P_PATH, items_path), SP("max_concurrency", P_INT, max_concurrency),
  SP("max_concurrency_path", P_PATH, max_concurrency_path),
  SP("result_path", P_PATH, result_path), SP("result_selector", P_OBJECT, result_selector),
  {"map_execution_type", P_ENUM, offsetof(struct state_props, map_execution_type), 0, NULL,
   NULL, map_execution_types, 0, NULL},
  {"item_reader", P_USERDATA, offsetof(struct state_props, item_reader), 0, NULL, NULL, NULL,
   LSFL_BIT(ITEM_READER), "an item reader (sfn.S3ObjectsItemReader(...), ...)"},
  {"item_batcher", P_USERDATA, offsetof(struct state_props, item_batcher), 0, NULL, NULL,
   NULL, LSFL_BIT(ITEM_BATCHER), "a sfn.ItemBatcher"},
  {"result_writer", P_USERDATA, offsetof(struct state_props, result_writer), 0, NULL, NULL,
   NULL, LSFL_BIT(RESULT_WRITER), "a sfn.ResultWriter"},
  {"result_writer_v2", P_USERDATA, offsetof(struct state_props, result_writer_v2), 0, NULL,
   NULL, NULL, LSFL_BIT(RESULT_WRITER), "a sfn.ResultWriterV2"},
  SP("tolerated_failure_percentage", P_NUM, tolerated_percentage),
  SP("tolerated_failure_percentage_path", P_STR, tolerated_percentage_path),
  SP("tolerated_failure_count", P_INT, tolerated_count),
  SP("tolerated_failure_count_path", P_STR, tolerated_count_path),
  SP("label", P_STR, label),
  PROP_END
};
static const struct lsfl_prop custom_schema[] = {
  {"state_json", P_OBJECT, offsetof(struct state_props, state_json), PROP_REQUIRED, NULL,
   NULL, NULL, 0, NULL},
  PROP_END
};

static void check_object(lua_State *L, const cJSON *o, const char *what, const char *prop)
{
  const char *bad = asl_check_object(o);
  if(bad)
    lsfl_error(L, "%s: prop '%s': %s", what, prop, bad);
}

/*
** The result writer in effect, as DistributedMap.getResultWriter picks it: the v2 one with
** the feature flag @aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2, else v1.
** CDK drops the other one quietly; sfl says so.
*/
static const struct dmap_writer *pick_writer(lua_State *L, struct asl_state *s,
                                             const struct state_props *p, const char *what)
{
  static const char flag[] = "@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2";
  struct cfn_node *node = sfn_state_node(s);
  struct lsfl_app *app = node->app->root->model;
  int v2 = cJSON_IsTrue(json_get(app->context, flag));
  if(v2 && p->result_writer && !p->result_writer_v2)
    lsfl_error(L, "%s: result_writer is ignored when the feature flag %s is on (as `cdk "
               "init` sets it); use result_writer_v2", what, flag);
  if(!v2 && p->result_writer_v2)
    lsfl_error(L, "%s: result_writer_v2 is used only with the feature flag %s; set it in "
               "cdk.App({ context = { [\"%s\"] = true } }) as `cdk init` does, or use "
               "result_writer", what, flag, flag);
  return v2 ? p->result_writer_v2 : p->result_writer;
}

static void make_distributed(lua_State *L, struct asl_state *s, const struct state_props *p,
                             const char *what)
{
  struct dmap_props dp = {
    .execution_type = p->map_execution_type, .reader = p->item_reader,
    .writer = pick_writer(L, s, p, what), .batcher = p->item_batcher,
    .tolerated_percentage = p->tolerated_percentage,
    .tolerated_percentage_path = p->tolerated_percentage_path,
    .tolerated_count = p->tolerated_count, .tolerated_count_path = p->tolerated_count_path,
    .label = p->label,
  };
  struct diag d = {0};
  if(dmap_apply(s, &dp, lsfl_loc(L), &d))
    lsfl_raise(L, &d);
}

/* Makes the state construct `id` under `scope`, applies props, pushes its box. */
static struct asl_state *make_state(lua_State *L, struct cfn_node *scope, const char *id,
                                    int props_idx, enum lsfl_type lt, enum asl_type at,
                                    const struct lsfl_prop *schema)
{
  const char *cls = lt == LSFL_DISTRIBUTED_MAP ? "DistributedMap" : asl_types[at].cls;
  const char *what = lua_pushfstring(L, "%s '%s'", cls, id);
  struct state_props p = {0};
  lsfl_read_props(L, props_idx, schema, &p, what);
  check_object(L, p.parameters, what, "parameters");
  check_object(L, p.result_selector, what, "result_selector");
  check_object(L, p.item_selector, what, "item_selector");
  check_object(L, p.assign, what, "assign");
  struct diag d = {0};
  const char *fqn = lua_pushfstring(L, "aws-cdk-lib.aws_stepfunctions.%s", cls);
  struct asl_state *s = sfn_state_new(scope, at, id, arena_strdup(A(L), fqn), lsfl_loc(L), &d);
  if(!s)
    return lsfl_raise(L, &d), NULL;
  s->tag = (int)lt;
  s->state_name = p.state_name;
  s->comment = p.comment;
  s->input_path = p.input_path;
  s->output_path = p.output_path;
  s->result_path = p.result_path;
  s->parameters = p.parameters;
  s->result_selector = p.result_selector;
  s->result = p.result;
  s->error = p.error;
  s->cause = p.cause;
  s->error_path = p.error_path;
  s->cause_path = p.cause_path;
  s->assign = p.assign;
  s->wait_time = p.time;
  s->items_path = p.items_path;
  s->item_selector = p.item_selector;
  s->max_concurrency = p.max_concurrency;
  s->max_concurrency_path = p.max_concurrency_path;
  s->state_json = p.state_json;
  s->ql = !p.query_language ? ASL_QL_UNSET
        : !strcmp(p.query_language->valuestring, "JSONata") ? ASL_QL_JSONATA : ASL_QL_JSONPATH;
  s->outputs = p.outputs;
  s->arguments = p.arguments;
  s->items = p.items;
  if(p.jsonata_item_selector)
    s->item_selector = p.jsonata_item_selector;
  if(p.jsonata_max_concurrency)
    s->max_concurrency = p.jsonata_max_concurrency;
  if(lt == LSFL_DISTRIBUTED_MAP)
    make_distributed(L, s, &p, what);
  lua_pop(L, 2);
  lsfl_push_state(L, s);
  return s;
}

static int new_state(lua_State *L, enum lsfl_type lt, enum asl_type at,
                     const struct lsfl_prop *schema)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  make_state(L, scope, lsfl_check_id(L, 2), 3, lt, at, schema);
  return 1;
}

static int pass_new(lua_State *L) { return new_state(L, LSFL_PASS, ASL_PASS, pass_schema); }
static int succeed_new(lua_State *L)
{
  return new_state(L, LSFL_SUCCEED, ASL_SUCCEED, succeed_schema);
}
static int fail_new(lua_State *L) { return new_state(L, LSFL_FAIL, ASL_FAIL, fail_schema); }
static int choice_new(lua_State *L)
{
  return new_state(L, LSFL_CHOICE, ASL_CHOICE, choice_schema);
}
static int parallel_new(lua_State *L)
{
  return new_state(L, LSFL_PARALLEL, ASL_PARALLEL, parallel_schema);
}
static int wait_new(lua_State *L) { return new_state(L, LSFL_WAIT, ASL_WAIT, wait_schema); }
static int map_new(lua_State *L) { return new_state(L, LSFL_MAP, ASL_MAP, map_schema); }
static int distributed_map_new(lua_State *L)
{
  return new_state(L, LSFL_DISTRIBUTED_MAP, ASL_MAP, distributed_map_schema);
}
static int custom_new(lua_State *L)
{
  return new_state(L, LSFL_CUSTOM_STATE, ASL_CUSTOM, custom_schema);
}

/* }============ */

/* {============ methods every state shares */

static struct asl_state *self_state(lua_State *L)
{
  return lsfl_check_state(L, 1);
}

/* state:next(x) -> Chain from this state to x's ends. */
static int state_next(lua_State *L)
{
  struct asl_state *s = self_state(L);
  struct asl_chain *next = lsfl_check_chainable(L, 2);
  struct diag d = {0};
  if(asl_state_next(s, next->start, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  struct asl_chain *c = asl_chain_make(A(L), s, next->ends, next->nends, next->last_id);
  if(c)
    c->otherwise_of = next->otherwise_of;
  push_chain(L, c);
  return 1;
}

struct catch_props {
  cJSON *errors, *result_path, *assign, *outputs;
};

static const struct lsfl_prop catch_schema[] = {
  {"assign", P_OBJECT, offsetof(struct catch_props, assign), 0, NULL, NULL, NULL, 0, NULL},
  {"outputs", P_JSON, offsetof(struct catch_props, outputs), 0, NULL, NULL, NULL, 0, NULL},
  {"errors", P_STR_LIST, offsetof(struct catch_props, errors), 0, NULL, NULL, NULL, 0, NULL},
  {"result_path", P_PATH, offsetof(struct catch_props, result_path), 0, NULL, NULL, NULL, 0,
   NULL},
  PROP_END
};

static cJSON *default_errors(lua_State *L)
{
  static const char *const all[] = {"States.ALL"};
  cJSON *e = json_strings(all, 1);
  return e && arena_own_json(A(L), e) ? e : nomem(L);
}

static int state_add_catch(lua_State *L)
{
  lua_settop(L, 3);
  struct asl_state *s = self_state(L);
  struct asl_chain *handler = lsfl_check_chainable(L, 2);
  struct catch_props p = {0};
  lsfl_read_props(L, 3, catch_schema, &p, lua_pushfstring(L, "add_catch on '%s'", s->id));
  struct diag d = {0};
  if(asl_add_catch(s, handler->start, p.errors ? p.errors : default_errors(L), p.result_path,
                   p.assign, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  ((struct asl_catch *)s->catches.items[s->catches.n - 1])->outputs = p.outputs;
  lua_settop(L, 1);
  return 1;
}

#define RP(name, type, field) \
  {name, type, offsetof(struct asl_retry, field), 0, NULL, NULL, NULL, 0, NULL}
static const char *const jitter_values[] = {"FULL", "NONE", NULL};
static const struct lsfl_prop retry_schema[] = {
  RP("errors", P_STR_LIST, errors), RP("interval", P_DURATION, interval),
  {"max_attempts", P_INT, offsetof(struct asl_retry, max_attempts), PROP_NO_TOKEN, NULL, NULL,
   NULL, 0, NULL},
  {"backoff_rate", P_NUM, offsetof(struct asl_retry, backoff_rate), PROP_NO_TOKEN, NULL, NULL,
   NULL, 0, NULL},
  RP("max_delay", P_DURATION, max_delay),
  {"jitter_strategy", P_ENUM, offsetof(struct asl_retry, jitter), 0, NULL, NULL,
   jitter_values, 0, NULL},
  PROP_END
};

static int state_add_retry(lua_State *L)
{
  lua_settop(L, 2);
  struct asl_state *s = self_state(L);
  struct asl_retry *r = arena_alloc(A(L), sizeof *r);
  if(!r)
    return luaL_error(L, "not enough memory");
  lsfl_read_props(L, 2, retry_schema, r, lua_pushfstring(L, "add_retry on '%s'", s->id));
  if(!r->errors)
    r->errors = default_errors(L);
  struct diag d = {0};
  if(asl_add_retry(s, r, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  lua_settop(L, 1);
  return 1;
}

/* to_state_json() (CDK v1 spelling): the state's ASL as a Lua table. */
static int state_to_state_json(lua_State *L)
{
  struct asl_state *s = self_state(L);
  struct diag d = {0};
  if(s->type == ASL_PARALLEL && asl_parallel_bind_branches(s, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  cJSON *j = asl_render_state(s, ASL_QL_UNSET);
  if(!j || !arena_own_json(A(L), j))
    return luaL_error(L, "not enough memory");
  lsfl_push_json(L, j);
  return 1;
}

static int state_get_id(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct asl_state *)self->obj)->id);
  return 1;
}

static int state_get_state_id(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, asl_state_name(self->obj));
  return 1;
}

static int state_get_start(lua_State *L, struct lsfl_box *self)
{
  lua_settop(L, 1);
  return 1;
}

static int push_state_list(lua_State *L, struct asl_state **s, size_t n)
{
  lua_createtable(L, (int)n, 0);
  for(size_t i = 0; i < n; i++) {
    lsfl_push_state(L, s[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int state_get_ends(lua_State *L, struct lsfl_box *self)
{
  struct asl_chain *c = asl_chain_of_state(A(L), self->obj);
  return c ? push_state_list(L, c->ends, c->nends) : luaL_error(L, "not enough memory");
}

static const struct lsfl_getter state_getters[] = {
  {"id", state_get_id}, {"state_id", state_get_state_id}, {"start_state", state_get_start},
  {"end_states", state_get_ends}, {NULL, NULL}
};

void lsfl_new_state_type(lua_State *L, enum lsfl_type type, int flags, const luaL_Reg *extra)
{
  /* The shared methods, by whether the type is nextable and retryable. */
  static const luaL_Reg shared[4][5] = {
    {{"to_state_json", state_to_state_json}, {NULL, NULL}},
    {{"to_state_json", state_to_state_json}, {"next", state_next}, {NULL, NULL}},
    {{"to_state_json", state_to_state_json}, {"add_catch", state_add_catch},
     {"add_retry", state_add_retry}, {NULL, NULL}},
    {{"to_state_json", state_to_state_json}, {"next", state_next},
     {"add_catch", state_add_catch}, {"add_retry", state_add_retry}, {NULL, NULL}},
  };
  int which = ((flags & ASL_NEXTABLE) ? 1 : 0) | ((flags & ASL_RETRYABLE) ? 2 : 0);
  lsfl_new_type_with(L, type, shared[which], extra, state_getters);
}

/* }============ */

/* {============ Choice and Parallel */

struct when_props {
  const char *comment;
  cJSON *assign, *outputs;
};

static const struct lsfl_prop when_schema[] = {
  {"assign", P_OBJECT, offsetof(struct when_props, assign), 0, NULL, NULL, NULL, 0, NULL},
  {"outputs", P_JSON, offsetof(struct when_props, outputs), 0, NULL, NULL, NULL, 0, NULL},
  {"comment", P_STRING, offsetof(struct when_props, comment), 0, NULL, NULL, NULL, 0, NULL},
  PROP_END
};

static int choice_when(lua_State *L)
{
  lua_settop(L, 4);
  struct asl_state *s = lsfl_check(L, 1, LSFL_BIT(CHOICE), 0,
                                   "sfl.aws_stepfunctions.Choice")->obj;
  cJSON *cond = lsfl_check(L, 2, LSFL_BIT(CONDITION), 0,
                           "sfl.aws_stepfunctions.Condition")->obj;
  struct asl_chain *next = lsfl_check_chainable(L, 3);
  struct when_props p = {0};
  lsfl_read_props(L, 4, when_schema, &p, "Choice.when");
  struct diag d = {0};
  if(asl_choice_when(s, cond, next->start, p.comment, p.assign, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  ((struct asl_choice *)s->choices.items[s->choices.n - 1])->outputs = p.outputs;
  lua_settop(L, 1);
  return 1;
}

static int choice_otherwise(lua_State *L)
{
  struct asl_state *s = lsfl_check(L, 1, LSFL_BIT(CHOICE), 0,
                                   "sfl.aws_stepfunctions.Choice")->obj;
  struct asl_chain *def = lsfl_check_chainable(L, 2);
  struct diag d = {0};
  if(asl_choice_otherwise(s, def->start, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  lua_settop(L, 1);
  return 1;
}

struct afterwards_props {
  int include_error_handlers, include_otherwise;
};

static const struct lsfl_prop afterwards_schema[] = {
  {"include_error_handlers", P_BOOL, offsetof(struct afterwards_props, include_error_handlers),
   0, NULL, NULL, NULL, 0, NULL},
  {"include_otherwise", P_BOOL, offsetof(struct afterwards_props, include_otherwise), 0, NULL,
   NULL, NULL, 0, NULL},
  PROP_END
};

static int choice_afterwards(lua_State *L)
{
  lua_settop(L, 2);
  struct asl_state *s = lsfl_check(L, 1, LSFL_BIT(CHOICE), 0,
                                   "sfl.aws_stepfunctions.Choice")->obj;
  struct afterwards_props p = {0};
  lsfl_read_props(L, 2, afterwards_schema, &p, "Choice.afterwards");
  struct diag d = {0};
  struct asl_chain *c = asl_choice_afterwards(s, p.include_error_handlers, p.include_otherwise,
                                              lsfl_loc(L), &d);
  if(!c)
    return lsfl_raise(L, &d);
  push_chain(L, c);
  return 1;
}

static int parallel_branch(lua_State *L)
{
  struct asl_state *s = lsfl_check(L, 1, LSFL_BIT(PARALLEL), 0,
                                   "sfl.aws_stepfunctions.Parallel")->obj;
  int n = lua_gettop(L);
  for(int i = 2; i <= n; i++) {
    struct diag d = {0};
    if(asl_parallel_branch(s, lsfl_check_chainable(L, i), lsfl_loc(L), &d))
      return lsfl_raise(L, &d);
  }
  lua_settop(L, 1);
  return 1;
}

static const char *const processor_modes[] = {"INLINE", "DISTRIBUTED", NULL};
static const char *const processor_types[] = {"STANDARD", "EXPRESS", NULL};

struct processor_props {
  cJSON *mode, *execution_type;
};

static const struct lsfl_prop processor_schema[] = {
  {"execution_type", P_ENUM, offsetof(struct processor_props, execution_type), 0, NULL, NULL,
   processor_types, 0, NULL},
  {"mode", P_ENUM, offsetof(struct processor_props, mode), 0, NULL, NULL, processor_modes, 0,
   NULL},
  PROP_END
};

/* {"Mode": ..., "ExecutionType": ...} as map-base.js renders ProcessorConfig. */
static cJSON *processor_config(lua_State *L, const struct processor_props *p)
{
  const char *mode = p->mode ? p->mode->valuestring : "INLINE";
  if(!strcmp(mode, "DISTRIBUTED") && !p->execution_type)
    lsfl_error(L, "You must specify an execution type for the distributed Map workflow "
                  "(execution_type = sfn.ProcessorType.STANDARD or EXPRESS)");
  cJSON *c = cJSON_CreateObject();
  json_put_str(c, "Mode", mode);
  if(strcmp(mode, "INLINE") && p->execution_type)
    json_put(c, "ExecutionType", json_dup(p->execution_type));
  if(!c || !arena_own_json(A(L), c))
    luaL_error(L, "not enough memory");
  return c;
}

static int map_processor(lua_State *L, int legacy)
{
  lua_settop(L, 3);
  struct asl_state *s = lsfl_check(L, 1, LSFL_BIT(MAP) | LSFL_BIT(DISTRIBUTED_MAP), 0,
                                   "sfl.aws_stepfunctions.Map")->obj;
  struct asl_chain *chain = lsfl_check_chainable(L, 2);
  struct processor_props p = {0};
  cJSON *config = NULL;
  if(!legacy) {
    lsfl_read_props(L, 3, processor_schema, &p, "Map.item_processor");
    /* A DistributedMap renders its own ProcessorConfig (its map_execution_type). */
    if(s->distributed && p.mode && !strcmp(p.mode->valuestring, "INLINE"))
      return lsfl_error(L, "Processing mode cannot be `INLINE` for a Distributed Map");
    config = s->distributed ? NULL : processor_config(L, &p);
  }
  struct diag d = {0};
  if(asl_map_processor(s, chain, config, legacy, lsfl_loc(L), &d))
    return lsfl_raise(L, &d);
  lua_settop(L, 1);
  return 1;
}

static int map_item_processor(lua_State *L) { return map_processor(L, 0); }
static int map_iterator(lua_State *L) { return map_processor(L, 1); }

static const luaL_Reg map_methods[] = {
  {"item_processor", map_item_processor}, {"iterator", map_iterator}, {NULL, NULL}
};
static const luaL_Reg distributed_map_methods[] = {
  {"item_processor", map_item_processor}, {NULL, NULL}
};

static const luaL_Reg choice_methods[] = {
  {"when", choice_when}, {"otherwise", choice_otherwise}, {"afterwards", choice_afterwards},
  {NULL, NULL}
};
static const luaL_Reg parallel_methods[] = {{"branch", parallel_branch}, {NULL, NULL}};

/* }============ */

/* {============ Chain */

static struct asl_chain *check_chain(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(CHAIN), 0, "sfl.aws_stepfunctions.Chain")->obj;
}

static int chain_start(lua_State *L)
{
  struct asl_chain *x = lsfl_check_chainable(L, 1);
  struct asl_chain *c = asl_chain_make(A(L), x->start, x->ends, x->nends, x->last_id);
  if(c)
    c->otherwise_of = x->otherwise_of;
  push_chain(L, c);
  return 1;
}

/* Chain.sequence(a, b): a's start with b's ends (nothing is joined). */
static int chain_sequence(lua_State *L)
{
  struct asl_chain *a = lsfl_check_chainable(L, 1), *b = lsfl_check_chainable(L, 2);
  push_chain(L, asl_chain_make(A(L), a->start, b->ends, b->nends, b->last_id));
  return 1;
}

static int chain_next(lua_State *L)
{
  struct asl_chain *c = check_chain(L, 1);
  struct asl_chain *next = lsfl_check_chainable(L, 2);
  struct diag d = {0};
  struct asl_chain *r = asl_chain_next(c, next, lsfl_loc(L), &d);
  if(!r)
    return lsfl_raise(L, &d);
  push_chain(L, r);
  return 1;
}

/* chain:to_single_state(id, props): a Parallel (made under the start state) around it. */
struct asl_state *lsfl_parallel_around(lua_State *L, struct cfn_node *scope, const char *id,
                                       int props_idx, struct asl_chain *chain)
{
  struct asl_state *p = make_state(L, scope, id, props_idx, LSFL_PARALLEL, ASL_PARALLEL,
                                   parallel_schema);
  struct diag d = {0};
  if(asl_parallel_branch(p, chain, lsfl_loc(L), &d))
    lsfl_raise(L, &d);
  return p;
}

static int chain_to_single_state(lua_State *L)
{
  lua_settop(L, 3);
  struct asl_chain *c = check_chain(L, 1);
  const char *id = lsfl_check_id(L, 2);
  lsfl_parallel_around(L, sfn_state_node(c->start), id, 3, c);
  return 1;
}

static int chain_get_start(lua_State *L, struct lsfl_box *self)
{
  lsfl_push_state(L, ((struct asl_chain *)self->obj)->start);
  return 1;
}

static int chain_get_ends(lua_State *L, struct lsfl_box *self)
{
  struct asl_chain *c = self->obj;
  return push_state_list(L, c->ends, c->nends);
}

static int chain_get_id(lua_State *L, struct lsfl_box *self)
{
  lua_pushstring(L, ((struct asl_chain *)self->obj)->last_id);
  return 1;
}

static const luaL_Reg chain_statics[] = {
  {"start", chain_start}, {"sequence", chain_sequence}, {NULL, NULL}
};
static const luaL_Reg chain_methods[] = {
  {"next", chain_next}, {"to_single_state", chain_to_single_state}, {NULL, NULL}
};
static const struct lsfl_getter chain_getters[] = {
  {"start_state", chain_get_start}, {"end_states", chain_get_ends}, {"id", chain_get_id},
  {NULL, NULL}
};

/* }============ */

/* {============ DefinitionBody and StateMachine */

/* A DefinitionBody: a chain (from_chainable), ASL text (from_string) or a file asset
** (from_file, with the file's text). */
struct definition_body {
  struct asl_chain *chain;
  cJSON *text;
  struct cfn_asset *asset;
  cJSON *file_text;
  const char *display_name;
};

static int push_body(lua_State *L, struct asl_chain *chain, cJSON *text)
{
  struct definition_body *b = arena_alloc(A(L), sizeof *b);
  if(!b)
    return luaL_error(L, "not enough memory");
  b->chain = chain;
  b->text = text;
  lsfl_push(L, LSFL_DEFINITION_BODY, b, NULL);
  return 1;
}

static int body_from_chainable(lua_State *L)
{
  return push_body(L, lsfl_check_chainable(L, 1), NULL);
}

static int body_from_string(lua_State *L)
{
  cJSON *text = cJSON_CreateString(luaL_checkstring(L, 1));
  if(!text || !arena_own_json(A(L), text))
    return luaL_error(L, "not enough memory");
  return push_body(L, NULL, text);
}

struct file_body_options {
  const char *asset_hash, *display_name;
};

static const struct lsfl_prop file_body_schema[] = {
  {"asset_hash", P_STRING, offsetof(struct file_body_options, asset_hash), 0, NULL, NULL, NULL,
   0, NULL},
  {"display_name", P_STRING, offsetof(struct file_body_options, display_name), 0, NULL, NULL,
   NULL, 0, NULL},
  PROP_END
};

/* The whole file as a string in the arena, or an error naming it. */
static cJSON *read_definition_file(lua_State *L, const char *path, const char *given)
{
  FILE *f = fopen(path, "rb");
  if(!f)
    lsfl_error(L, "DefinitionBody.from_file: cannot read '%s': %s", given, strerror(errno));
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  size_t n;
  do {
    char *p = luaL_prepbuffer(&b);
    n = fread(p, 1, LUAL_BUFFERSIZE, f);
    luaL_addsize(&b, n);
  } while(n == LUAL_BUFFERSIZE);
  fclose(f);
  luaL_pushresult(&b);
  cJSON *text = cJSON_CreateString(lua_tostring(L, -1));
  lua_pop(L, 1);
  if(!text || !arena_own_json(A(L), text))
    luaL_error(L, "not enough memory");
  return text;
}

/* DefinitionBody.from_file(path, { asset_hash =, display_name = }): an ASL file, deployed
** as a file asset. CDK would zip a folder; sfl says what it wants instead. */
static int body_from_file(lua_State *L)
{
  const char *given = luaL_checkstring(L, 1);
  struct file_body_options opt = {0};
  lsfl_read_props(L, 2, file_body_schema, &opt, "DefinitionBody.from_file");
  const char *path = lsfl_asset_path(L, given, "DefinitionBody.from_file");
  struct diag d = {0};
  struct cfn_asset *asset = cfn_asset_new(A(L), path, opt.asset_hash, lsfl_loc(L), &d);
  if(!asset)
    return lsfl_raise(L, &d);
  if(asset->is_dir)
    return lsfl_error(L, "DefinitionBody.from_file: '%s' is a folder; give the path of the "
                      "ASL file (for example definition.asl.json)", given);
  struct definition_body *b = arena_alloc(A(L), sizeof *b);
  if(!b)
    return luaL_error(L, "not enough memory");
  b->asset = asset;
  b->file_text = read_definition_file(L, path, given);
  b->display_name = opt.display_name;
  lsfl_push(L, LSFL_DEFINITION_BODY, b, NULL);
  return 1;
}

static const luaL_Reg body_statics[] = {
  {"from_chainable", body_from_chainable}, {"from_string", body_from_string},
  {"from_file", body_from_file}, {NULL, NULL}
};

struct machine_lua_props {
  struct definition_body *definition_body;
  struct asl_chain *definition;
  cJSON *state_machine_name, *state_machine_type, *comment, *timeout, *tracing_enabled;
  cJSON *removal_policy, *definition_substitutions, *query_language;
  struct sfn_log_options logs;
  int has_logs;
  struct sfn_encryption *encryption_configuration;
  struct role *role;
};

#define MP(name, type, field) \
  {name, type, offsetof(struct machine_lua_props, field), 0, NULL, NULL, NULL, 0, NULL}
static const char *const machine_types[] = {"STANDARD", "EXPRESS", NULL};
static const char *const log_levels[] = {"OFF", "ALL", "ERROR", "FATAL", NULL};
#define LP(name, type, field) \
  {name, type, offsetof(struct sfn_log_options, field), 0, NULL, NULL, NULL, 0, NULL}
static const struct lsfl_prop log_options_schema[] = {
  {"destination", P_USERDATA, offsetof(struct sfn_log_options, destination), 0, NULL, NULL,
   NULL, LSFL_BIT(LOG_GROUP), "an aws_logs.LogGroup"},
  LP("include_execution_data", P_BOOLEAN, include_execution_data),
  {"level", P_ENUM, offsetof(struct sfn_log_options, level), 0, NULL, NULL, log_levels, 0,
   NULL},
  PROP_END
};
static const struct lsfl_prop machine_schema[] = {
  MP("comment", P_STR, comment),
  MP("definition", P_CHAINABLE, definition),
  {"definition_body", P_USERDATA, offsetof(struct machine_lua_props, definition_body), 0, NULL,
   NULL, NULL, LSFL_BIT(DEFINITION_BODY),
   "a sfn.DefinitionBody (DefinitionBody.from_chainable(...))"},
  MP("definition_substitutions", P_STR_MAP, definition_substitutions),
  {"encryption_configuration", P_USERDATA,
   offsetof(struct machine_lua_props, encryption_configuration), 0, NULL, NULL, NULL,
   LSFL_BIT(ENCRYPTION), LSFL_ENCRYPTION_EXPECTED},
  {"logs", P_NESTED, offsetof(struct machine_lua_props, logs), 0, NULL, log_options_schema,
   NULL, 0, NULL},
  {"query_language", P_ENUM, offsetof(struct machine_lua_props, query_language), 0, NULL, NULL,
   query_languages, 0, NULL},
  {"removal_policy", P_ENUM, offsetof(struct machine_lua_props, removal_policy), 0, NULL, NULL,
   lsfl_removal_policies, 0, NULL},
  {"role", P_USERDATA, offsetof(struct machine_lua_props, role), 0, NULL, NULL, NULL,
   LSFL_BIT(ROLE), "an aws_iam.IRole (iam.Role(...) or iam.Role.from_role_arn(...))"},
  MP("state_machine_name", P_STR, state_machine_name),
  {"state_machine_type", P_ENUM, offsetof(struct machine_lua_props, state_machine_type), 0,
   NULL, NULL, machine_types, 0, NULL},
  MP("timeout", P_DURATION, timeout),
  MP("tracing_enabled", P_BOOLEAN, tracing_enabled),
  PROP_END
};

static int machine_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *what = lua_pushfstring(L, "StateMachine '%s'", id);
  struct machine_lua_props p = {0};
  lsfl_read_props(L, 3, machine_schema, &p, what);
  if(!p.definition_body == !p.definition)
    return lsfl_error(L, "%s: %s", what, p.definition
                      ? "give either 'definition_body' or the deprecated 'definition', not both"
                      : "missing required prop 'definition_body' "
                        "(sfn.DefinitionBody.from_chainable(chain))");
  if(lua_istable(L, 3)) {
    lua_getfield(L, 3, "logs");
    p.has_logs = !lua_isnil(L, -1);
    lua_pop(L, 1);
  }
  struct sfn_machine_props mp = {
    .definition = p.definition ? p.definition : p.definition_body->chain,
    .definition_string = p.definition_body ? p.definition_body->text : NULL,
    .definition_asset = p.definition_body ? p.definition_body->asset : NULL,
    .definition_file_text = p.definition_body ? p.definition_body->file_text : NULL,
    .definition_asset_name = p.definition_body ? p.definition_body->display_name : NULL,
    .state_machine_name = p.state_machine_name, .state_machine_type = p.state_machine_type,
    .comment = p.comment, .timeout = p.timeout, .tracing_enabled = p.tracing_enabled,
    .definition_substitutions = p.definition_substitutions,
    .logs = p.has_logs ? &p.logs : NULL,
    .jsonata = p.query_language && !strcmp(p.query_language->valuestring, "JSONata"),
    .removal_policy = p.removal_policy ? p.removal_policy->valuestring : NULL,
    .encryption = p.encryption_configuration,
    .role = p.role,
  };
  struct diag d = {0};
  struct sfn_machine *m = sfn_machine_new(scope, id, &mp, lsfl_loc(L), &d);
  if(!m)
    return lsfl_raise(L, &d);
  /* The props struct lives on this C stack: keep the log options in the arena. */
  if(mp.logs) {
    struct sfn_log_options *logs = arena_alloc(A(L), sizeof *logs);
    if(!logs)
      return luaL_error(L, "not enough memory");
    *logs = p.logs;
    m->props.logs = logs;
  }
  lsfl_push(L, LSFL_STATE_MACHINE, m, m->node);
  return 1;
}

static int machine_definition(lua_State *L)
{
  struct sfn_machine *m = lsfl_check(L, 1, LSFL_BIT(STATE_MACHINE), 0,
                                     "sfl.aws_stepfunctions.StateMachine")->obj;
  cJSON *doc = sfn_machine_definition(m);
  if(!doc || !arena_own_json(A(L), doc))
    return luaL_error(L, "not enough memory");
  lsfl_push_json(L, doc);
  return 1;
}

static int machine_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, sfn_machine_arn(self->obj));
}

static int machine_get_name(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, cfn_getatt(((struct sfn_machine *)self->obj)->resource->logical_id,
                                  "Name"));
}

static int machine_grant_kind(lua_State *L, enum sfn_grant kind, int with_actions)
{
  struct sfn_machine *m = lsfl_check(L, 1, LSFL_BIT(STATE_MACHINE) | LSFL_BIT(IMPORTED_MACHINE),
                                     0, "sfl.aws_stepfunctions.IStateMachine")->obj;
  struct role *to = lsfl_check_grantee(L, 2);
  int n = with_actions ? lua_gettop(L) - 2 : 0;
  const char **actions = n > 0 ? arena_alloc(A(L), (size_t)n * sizeof *actions) : NULL;
  for(int i = 0; i < n; i++)
    actions[i] = arena_strdup(A(L), luaL_checkstring(L, 3 + i));
  if(with_actions && n < 1)
    return lsfl_error(L, "name at least one action to grant (e.g. \"states:StopExecution\")");
  struct diag d = {0};
  if(sfn_machine_grant(m, to, kind, actions, (size_t)n, &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int grant_start(lua_State *L) { return machine_grant_kind(L, SFN_GRANT_START_EXECUTION, 0); }
static int grant_start_sync(lua_State *L)
{
  return machine_grant_kind(L, SFN_GRANT_START_SYNC_EXECUTION, 0);
}
static int grant_task(lua_State *L) { return machine_grant_kind(L, SFN_GRANT_TASK_RESPONSE, 0); }
static int grant_redrive(lua_State *L)
{
  return machine_grant_kind(L, SFN_GRANT_REDRIVE_EXECUTION, 0);
}
static int grant_read(lua_State *L) { return machine_grant_kind(L, SFN_GRANT_READ, 0); }
static int grant_execution(lua_State *L) { return machine_grant_kind(L, SFN_GRANT_EXECUTION, 1); }
static int grant_actions(lua_State *L) { return machine_grant_kind(L, SFN_GRANT_ACTIONS, 1); }

static const luaL_Reg machine_methods[] = {
  {"definition", machine_definition}, {"grant_start_execution", grant_start},
  {"grant_start_sync_execution", grant_start_sync}, {"grant_task_response", grant_task},
  {"grant_redrive_execution", grant_redrive}, {"grant_read", grant_read},
  {"grant_execution", grant_execution}, {"grant", grant_actions}, {NULL, NULL}
};
static const struct lsfl_getter machine_getters[] = {
  {"state_machine_arn", machine_get_arn}, {"state_machine_name", machine_get_name},
  {NULL, NULL}
};
/* An imported machine (CDK's IStateMachine) has an ARN but no name attribute. */
static const struct lsfl_getter imported_machine_getters[] = {
  {"state_machine_arn", machine_get_arn}, {NULL, NULL}
};

/* StateMachine.from_state_machine_arn(scope, id, arn) / from_state_machine_name(...). */
static int machine_import(lua_State *L, int by_name)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *value = lsfl_check_str_value(L, 3, by_name ? "state_machine_name"
                                                       : "state_machine_arn");
  struct diag d = {0};
  struct sfn_machine *m = sfn_machine_import(scope, id, by_name ? NULL : value,
                                             by_name ? value : NULL, lsfl_loc(L), &d);
  if(!m)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_IMPORTED_MACHINE, m, m->node);
  return 1;
}

static int machine_from_arn(lua_State *L) { return machine_import(L, 0); }
static int machine_from_name(lua_State *L) { return machine_import(L, 1); }

/* }============ */

/*
** Pass.jsonata(scope, id, props) / Pass.json_path(...): the constructor with
** query_language set, as CDK's static factories do.
*/
static int with_language(lua_State *L)
{
  lua_settop(L, 3);
  lua_newtable(L);
  if(lua_istable(L, 3)) {
    lua_pushnil(L);
    while(lua_next(L, 3)) {
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, 4);
    }
  }
  else if(!lua_isnil(L, 3))
    return lsfl_error(L, "props must be a table, got %s", lsfl_typename(L, 3));
  lua_pushvalue(L, lua_upvalueindex(2));
  lua_setfield(L, 4, "query_language");
  lua_replace(L, 3);
  return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

void lsfl_add_language_factories(lua_State *L, lua_CFunction ctor)
{
  static const char *const names[][2] = {{"jsonata", "JSONata"}, {"json_path", "JSONPath"}};
  for(int i = 0; i < 2; i++) {
    lua_pushcfunction(L, ctor);
    lua_pushstring(L, names[i][1]);
    lua_pushcclosure(L, with_language, 2);
    lua_setfield(L, -2, names[i][0]);
  }
}

static const luaL_Reg pass_statics[] = {{NULL, NULL}};

void lsfl_register_sfn_types(lua_State *L)
{
  lsfl_new_state_type(L, LSFL_PASS, asl_types[ASL_PASS].flags, NULL);
  lsfl_new_state_type(L, LSFL_SUCCEED, asl_types[ASL_SUCCEED].flags, NULL);
  lsfl_new_state_type(L, LSFL_FAIL, asl_types[ASL_FAIL].flags, NULL);
  lsfl_new_state_type(L, LSFL_CHOICE, asl_types[ASL_CHOICE].flags, choice_methods);
  lsfl_new_state_type(L, LSFL_PARALLEL, asl_types[ASL_PARALLEL].flags, parallel_methods);
  lsfl_new_state_type(L, LSFL_WAIT, asl_types[ASL_WAIT].flags, NULL);
  lsfl_new_state_type(L, LSFL_MAP, asl_types[ASL_MAP].flags, map_methods);
  lsfl_new_state_type(L, LSFL_DISTRIBUTED_MAP, asl_types[ASL_MAP].flags,
                      distributed_map_methods);
  lsfl_register_dmap_types(L);
  lsfl_new_state_type(L, LSFL_CUSTOM_STATE, asl_types[ASL_CUSTOM].flags, NULL);
  lsfl_new_type(L, LSFL_CHAIN, chain_methods, chain_getters);
  lsfl_new_type(L, LSFL_DEFINITION_BODY, NULL, NULL);
  lsfl_new_type(L, LSFL_STATE_MACHINE, machine_methods, machine_getters);
  lsfl_new_type(L, LSFL_IMPORTED_MACHINE, machine_methods, imported_machine_getters);
  lsfl_register_sfn_value_types(L);
  lsfl_register_sfn_construct_types(L);
}

int lsfl_open_stepfunctions(lua_State *L)
{
  static const struct { const char *name; lua_CFunction ctor; } classes[] = {
    {"Pass", pass_new}, {"Succeed", succeed_new}, {"Fail", fail_new},
    {"Choice", choice_new}, {"Parallel", parallel_new}, {"Wait", wait_new}, {"Map", map_new},
    {"DistributedMap", distributed_map_new},
    {"CustomState", custom_new}, {"StateMachine", machine_new},
  };
  lua_newtable(L);
  for(size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
    lsfl_new_class(L, lua_pushfstring(L, "sfl.aws_stepfunctions.%s", classes[i].name),
                   classes[i].ctor, pass_statics);
    lua_remove(L, -2);
    if(classes[i].ctor != machine_new && classes[i].ctor != custom_new)
      lsfl_add_language_factories(L, classes[i].ctor);
    lua_setfield(L, -2, classes[i].name);
  }
  lua_getfield(L, -1, "StateMachine");
  lua_pushcfunction(L, machine_from_arn);
  lua_setfield(L, -2, "from_state_machine_arn");
  lua_pushcfunction(L, machine_from_name);
  lua_setfield(L, -2, "from_state_machine_name");
  lua_pop(L, 1);
  lsfl_new_class(L, "sfl.aws_stepfunctions.Chain", NULL, chain_statics);
  lua_setfield(L, -2, "Chain");
  lsfl_new_class(L, "sfl.aws_stepfunctions.DefinitionBody", NULL, body_statics);
  lua_setfield(L, -2, "DefinitionBody");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.StateMachineType", machine_types, machine_types);
  lua_setfield(L, -2, "StateMachineType");
  static const char *const ql_members[] = {"JSON_PATH", "JSONATA", NULL};
  lsfl_new_enum(L, "sfl.aws_stepfunctions.QueryLanguage", ql_members, query_languages);
  lua_setfield(L, -2, "QueryLanguage");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.LogLevel", log_levels, log_levels);
  lua_setfield(L, -2, "LogLevel");
  static const char *const patterns[] = {"REQUEST_RESPONSE", "RUN_JOB", "WAIT_FOR_TASK_TOKEN",
                                         NULL};
  lsfl_new_enum(L, "sfl.aws_stepfunctions.IntegrationPattern", patterns, patterns);
  lua_setfield(L, -2, "IntegrationPattern");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.JitterType", jitter_values, jitter_values);
  lua_setfield(L, -2, "JitterType");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.ProcessorMode", processor_modes, processor_modes);
  lua_setfield(L, -2, "ProcessorMode");
  lsfl_new_enum(L, "sfl.aws_stepfunctions.ProcessorType", processor_types, processor_types);
  lua_setfield(L, -2, "ProcessorType");
  /* The rest when the app first names one of its members. */
  static const lsfl_adder groups[] = {
    lsfl_add_sfn_values, lsfl_add_sfn_constructs, lsfl_add_dmap_values,
    lsfl_add_encryption_classes, NULL
  };
  lsfl_make_lazy(L, "sfl.aws_stepfunctions", groups);
  return 1;
}
