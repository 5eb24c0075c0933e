/*
** state.h: ASL states, chains and state graphs, as aws-stepfunctions models them.
**
** A state is made once and wired with asl_state_next / asl_choice_when / asl_add_catch /
** asl_parallel_branch. Binding a start state into a graph (asl_graph_new, done when a
** state machine or a Parallel branch is made) walks everything reachable in the order
** CDK walks it, which fixes the order of states in the ASL and of IAM statements.
**
** Ownership: states, chains and graphs live in the arena passed to their constructor;
** cJSON fields are owned by that arena (arena_own_json). The core knows nothing of
** CloudFormation: task resources and IAM statements are opaque JSON to it.
*/
#ifndef SFL_ASL_STATE_H
#define SFL_ASL_STATE_H

#include "core/arena.h"
#include "core/diag.h"
#include "core/json.h"
#include "core/strmap.h"

#define ASL_NEXTABLE  1
#define ASL_RETRYABLE 2

/* Query languages: a state's own (0 when not set), or the machine's. */
enum asl_ql { ASL_QL_UNSET = 0, ASL_QL_JSONPATH, ASL_QL_JSONATA };

enum asl_type {
#define STATE(e, type, cls, flags) ASL_##e,
#include "asl/states.def"
#undef STATE
  ASL_TYPE_COUNT
};

struct asl_type_info {
  const char *type;   /* ASL "Type" */
  const char *cls;    /* CDK class name, for messages */
  int flags;
};
extern const struct asl_type_info asl_types[ASL_TYPE_COUNT];

struct asl_graph;

struct asl_choice {
  cJSON *condition;             /* rendered condition ({"Variable": ..., "StringEquals": ...}) */
  struct asl_state *next;
  const char *comment;
  cJSON *assign, *outputs;
};

struct asl_catch {
  cJSON *errors;                /* array of strings */
  cJSON *result_path;           /* string, null (DISCARD) or NULL (unset) */
  cJSON *assign, *outputs;
  struct asl_state *next;
};

struct asl_retry {
  cJSON *errors;
  cJSON *interval, *max_attempts, *backoff_rate, *max_delay, *jitter;  /* NULL: unset */
};

/* What a DistributedMap adds to a Map (distributed-map.js). */
struct asl_distributed {
  cJSON *execution_type;        /* "STANDARD" (default) or "EXPRESS" */
  cJSON *item_reader;           /* {"Resource", "ReaderConfig"?, "Parameters"?} */
  cJSON *item_batcher;          /* {"MaxItemsPerBatch", ...} */
  cJSON *result_writer;         /* {"Resource"?, "Parameters"?, "WriterConfig"?} */
  cJSON *tolerated_percentage, *tolerated_percentage_path;
  cJSON *tolerated_count, *tolerated_count_path;
  cJSON *label;
};

struct asl_state {
  enum asl_type type;
  struct arena *arena;
  const char *id;               /* construct id */
  const char *state_name;       /* the state_name prop, or NULL */
  const char *prefixed;         /* the name with prefix_states() prefixes, or NULL */
  struct sfl_loc loc;
  void *owner;                  /* the construct that stands for it */
  int tag;                      /* free for the layer above (the Lua box type) */

  /* Fields shared by many types; NULL means "not set". */
  cJSON *comment, *input_path, *output_path, *result_path, *parameters, *result_selector;
  cJSON *assign;                /* variables to set (JSONPath: "x.$" for paths) */
  enum asl_ql ql;               /* query_language prop (Pass.jsonata(...) sets it) */
  cJSON *outputs, *arguments;   /* JSONata: "Output", "Arguments" */
  cJSON *items;                 /* Map, JSONata: "Items" */
  cJSON *result;                /* Pass */
  cJSON *error, *cause, *error_path, *cause_path;   /* Fail */
  cJSON *wait_time;             /* Wait: {"Seconds": n} or SecondsPath/Timestamp/TimestampPath */
  cJSON *items_path, *item_selector, *max_concurrency, *max_concurrency_path;   /* Map */
  cJSON *processor_config;      /* Map: {"Mode": ..., "ExecutionType": ...} */
  struct asl_graph *processor;  /* Map: item_processor(...) */
  struct asl_graph *iterator;   /* Map: iterator(...) (deprecated) */
  struct asl_distributed *distributed;   /* DistributedMap, else NULL */
  cJSON *state_json;            /* CustomState: the user's state, rendered as given */
  cJSON *timeout, *heartbeat;   /* Task: seconds (or a JSONata expression) */
  cJSON *timeout_path, *heartbeat_path;   /* Task: Timeout.at(path) */
  cJSON *resource;              /* Task: "Resource" (string or CFN intrinsic) */
  cJSON *task_params;           /* Task: "Parameters", rendered by the integration */
  cJSON *task_args;             /* Task: its JSONata "Arguments" (NULL: as task_params) */
  cJSON *policies;              /* Task: IAM statements it needs, in CDK's order */

  struct asl_state *next;
  struct sfl_loc next_loc;      /* where next was set, for "already has a next state" */
  struct asl_state *default_next;     /* Choice otherwise */
  struct sfl_loc default_loc;
  struct vec choices;           /* struct asl_choice* */
  struct vec retries;           /* struct asl_retry* */
  struct vec catches;           /* struct asl_catch* */
  struct vec incoming;          /* struct asl_state*: states that lead here, edge order */
  struct vec pending_branches;  /* struct asl_chain*: Parallel branches not bound yet */
  struct vec branches;          /* struct asl_graph*: bound Parallel branches */
  struct asl_graph *graph;      /* the graph this state is bound into */
};

/* What Chain, states and fragments share: one start, some dangling ends. */
struct asl_chain {
  struct asl_state *start;
  struct asl_state **ends;
  size_t nends;
  const char *last_id;          /* id of the last thing added, for messages */
  struct asl_state *otherwise_of;  /* afterwards(include_otherwise): a Choice whose
                                      default is what comes next */
};

struct asl_graph {
  struct arena *arena;
  struct asl_state *start;
  const char *description;      /* "State Machine 'x'", "Parallel 'y' branch 1" */
  struct vec states;            /* struct asl_state*, in registration order */
  struct vec policies;          /* cJSON* statements (not owned), in CDK's order */
  struct asl_graph *super;      /* the graph this one was pushed into */
  struct strmap names;          /* state name -> state, on top-level graphs */
  struct vec named;             /* the states in `names`, in registration order */
};

struct asl_state *asl_state_new(struct arena *a, enum asl_type type, const char *id,
                                struct sfl_loc loc);
/* The name in the ASL: prefixes, then state_name if given, else the construct id. */
const char *asl_state_name(const struct asl_state *s);
/* Puts `prefix` in front of the state's name (State.addPrefix). */
int asl_state_add_prefix(struct asl_state *s, const char *prefix);
/* The i-th outgoing transition: Next, the Choice default, each when, each Catch; or NULL. */
struct asl_state *asl_state_outgoing(const struct asl_state *s, size_t i);
/* Appends to `out` each state reachable from start (start included), once, in the order
** a breadth-first walk meets them; with include_error_handlers 0, Catch edges are not
** followed. */
enum sfl_status asl_reachable(struct asl_state *start, int include_error_handlers,
                              struct vec *out, struct diag *d);

/* The state seen as a chain: start = itself, ends = itself unless it cannot be followed. */
struct asl_chain *asl_chain_of_state(struct arena *a, struct asl_state *s);
struct asl_chain *asl_chain_make(struct arena *a, struct asl_state *start,
                                 struct asl_state **ends, size_t nends, const char *last_id);

/* state.next(next): fails when the state already has a next state. `loc`: the call site. */
enum sfl_status asl_state_next(struct asl_state *s, struct asl_state *next,
                               struct sfl_loc loc, struct diag *d);
/* chain.next(next): joins every end of `chain` to next's start. */
struct asl_chain *asl_chain_next(struct asl_chain *chain, struct asl_chain *next,
                                 struct sfl_loc loc, struct diag *d);
enum sfl_status asl_choice_when(struct asl_state *choice, cJSON *condition,
                                struct asl_state *next, const char *comment, cJSON *assign,
                                struct sfl_loc loc, struct diag *d);
enum sfl_status asl_choice_otherwise(struct asl_state *choice, struct asl_state *next,
                                     struct sfl_loc loc, struct diag *d);
/* choice.afterwards(): a chain whose ends are the nextable end states reachable from it. */
struct asl_chain *asl_choice_afterwards(struct asl_state *choice, int include_error_handlers,
                                        int include_otherwise, struct sfl_loc loc,
                                        struct diag *d);
enum sfl_status asl_add_retry(struct asl_state *s, struct asl_retry *r, struct sfl_loc loc,
                              struct diag *d);
enum sfl_status asl_add_catch(struct asl_state *s, struct asl_state *handler, cJSON *errors,
                              cJSON *result_path, cJSON *assign, struct sfl_loc loc,
                              struct diag *d);
enum sfl_status asl_parallel_branch(struct asl_state *s, struct asl_chain *branch,
                                    struct sfl_loc loc, struct diag *d);

/* map.item_processor(chain, config) / map.iterator(chain): a graph of its own at once. */
enum sfl_status asl_map_processor(struct asl_state *map, struct asl_chain *processor,
                                  cJSON *config, int legacy_iterator, struct sfl_loc loc,
                                  struct diag *d);

/* Makes graphs of a Parallel's pending branches now (CDK v1 did so in branch()). */
enum sfl_status asl_parallel_bind_branches(struct asl_state *s, struct sfl_loc loc,
                                           struct diag *d);

/*
** A graph from `start`, binding every state reachable from it (CDK's StateGraph):
** fails on a name used twice or a state already bound into another graph.
*/
struct asl_graph *asl_graph_new(struct arena *a, struct asl_state *start,
                                const char *description, struct sfl_loc loc, struct diag *d);

/* Calls fn on each graph nested in s (Parallel branches, Map processor or iterator). */
int asl_each_subgraph(const struct asl_state *s, int (*fn)(struct asl_graph *g, void *ctx),
                      void *ctx);

/* The errors list is invalid when States.ALL is not alone; returns a message or NULL. */
const char *asl_check_errors(const cJSON *errors);

#endif
