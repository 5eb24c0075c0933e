/*
** machine.h: a state machine as the interpreter runs it. load.c checks an ASL document and
** compiles it into these structures once (Next names resolved to pointers, paths,
** templates and Choice rules compiled), all in one arena; exec.c, flow.c and choice.c then
** run it, with observe.c building `$$` and reporting the execution history.
**
** Ownership: everything reachable from a struct machine lives in the loader's arena and
** borrows from the ASL document, which must outlive it. struct run is one execution; it
** owns its context object and nothing else.
*/
#ifndef SFL_RUN_MACHINE_H
#define SFL_RUN_MACHINE_H

#include <stdint.h>
#include "core/diag.h"
#include "core/strmap.h"
#include "run/run.h"
#include "run/eval.h"
#include "run/intrinsic.h"

struct arena;
struct jpath;
struct state;

enum state_type { ST_PASS, ST_TASK, ST_CHOICE, ST_WAIT, ST_SUCCEED, ST_FAIL, ST_PARALLEL,
                  ST_MAP };

/* The ASL name of each type ("Pass"), indexed by enum state_type. */
extern const char *const run_state_types[];

struct retrier {
  const char **errors;
  size_t nerrors;
  double interval, backoff, max_delay;   /* max_delay 0: none */
  long max_attempts;
  int jitter;                            /* JitterStrategy FULL */
};

struct catcher {
  const char **errors;
  size_t nerrors;
  const struct jpath *result_path;       /* NULL: "$" */
  int result_null;
  const char *next_name;
  const struct state *next;
};

enum rule_op {
  R_AND, R_OR, R_NOT,
  R_STRING_EQ, R_STRING_LT, R_STRING_GT, R_STRING_LE, R_STRING_GE, R_STRING_MATCHES,
  R_NUMERIC_EQ, R_NUMERIC_LT, R_NUMERIC_GT, R_NUMERIC_LE, R_NUMERIC_GE,
  R_BOOLEAN_EQ,
  R_TIMESTAMP_EQ, R_TIMESTAMP_LT, R_TIMESTAMP_GT, R_TIMESTAMP_LE, R_TIMESTAMP_GE,
  R_IS_NULL, R_IS_PRESENT, R_IS_NUMERIC, R_IS_STRING, R_IS_BOOLEAN, R_IS_TIMESTAMP
};

struct rule {
  enum rule_op op;
  const struct jpath *var;     /* Variable */
  const struct jpath *other;   /* the *Path forms: compare with another node */
  const cJSON *value;          /* or with this literal */
  struct ts ts;                /* Timestamp* literal, parsed */
  int flag;                    /* Is*: true or false */
  struct rule **subs;          /* And, Or, Not */
  size_t nsubs;
  const char *next_name;       /* top-level rules only */
  const struct state *next;
};

struct machine {
  const char *where;             /* "the state machine", "branch 2 of state 'P'" */
  const char *start_name;
  const struct state *start;
  struct state **states;
  size_t n;
  struct strmap names;
};

struct state {
  const char *name;
  enum state_type type;
  const cJSON *json;
  const char *next_name;
  const struct state *next;            /* NULL: End (or a terminal type) */

  /* input and output processing */
  const struct jpath *input_path, *output_path, *result_path;   /* NULL: "$" */
  int input_null, output_null, result_null;
  const struct tmpl *parameters, *result_selector;
  const cJSON *result;                 /* Pass */
  struct retrier *retry;
  size_t nretry;
  struct catcher *catches;
  size_t ncatch;

  /* Task */
  const cJSON *resource;
  int task_token;                      /* Resource ends in .waitForTaskToken */
  long timeout, heartbeat;             /* 0: not set */
  const struct jpath *timeout_path, *heartbeat_path;

  /* Choice */
  struct rule **choices;
  size_t nchoices;
  const char *default_name;
  const struct state *default_next;

  /* Wait */
  int wait_kind;                       /* 'S' Seconds, 'T' Timestamp, 's', 't' their Paths */
  double seconds;
  struct ts timestamp;
  const struct jpath *wait_path;

  /* Fail */
  const char *error, *cause;
  struct dynval error_path, cause_path;

  /* Parallel */
  struct machine **branches;
  size_t nbranches;

  /* Map */
  struct machine *processor;
  const struct jpath *items_path;
  const struct tmpl *item_selector;    /* ItemSelector, or Parameters with an Iterator */
  int tolerate;                        /* any ToleratedFailure* field given */
  double tolerated_pct, tolerated_count;            /* -1: not set */
  const struct jpath *tolerated_pct_path, *tolerated_count_path;
  const struct jpath *max_concurrency_path;
  double batch_items, batch_bytes;                  /* 0: not set */
  const struct jpath *batch_items_path, *batch_bytes_path;
  const struct tmpl *batch_input;
  int batching;
  const cJSON *reader_resource;
  const struct tmpl *reader_params;
  double reader_max_items;                          /* 0: all */
  const struct jpath *reader_max_items_path;
};

/* {============ load.c and choice.c */

/* Checks and compiles `asl` into *out; SFL_ERR_INVALID with a message naming the state. */
enum sfl_status run_load(struct arena *a, const cJSON *asl, struct machine **out,
                         long *timeout_seconds, struct diag *d);

/* 0, or -1 with err set ("out of memory" when that is the problem). top: a Choices entry. */
int choice_compile(struct arena *a, const cJSON *j, int top, struct rule **out,
                   char *err, size_t errsize);
/* *match is the rule's truth value; 1 raises States.Runtime for a missing Variable. */
int choice_eval(const struct rule *r, const struct eval_env *env, int *match);

/* }============ */

/* {============ one execution */

struct run {
  struct diag *d;
  run_task_fn task;
  void *task_ud;
  run_event_fn ev;
  void *ev_ud;
  long max_transitions, transitions;
  long event_id;
  long timeout;                        /* the machine's TimeoutSeconds, 0: none */
  int timed_out;                       /* it passed: nothing may retry or catch that */
  int real_time;
  double start, now;
  uint64_t rng;
  char exec_name[37];
  const cJSON *input;                  /* the execution's input, the caller's */
  const cJSON *user_context;

  /* what $$ describes now */
  const struct state *cur;
  double cur_entered;
  long cur_retry;
  const cJSON *map_item;               /* while an ItemSelector runs, else NULL */
  long map_index;
  unsigned long map_gen;               /* changes whenever map_item does */
  const char *task_token;              /* while a .waitForTaskToken Task runs, else NULL */
  unsigned long token_gen;             /* changes whenever task_token does */
  char token_buf[37];

  /* $$ as last built: rebuilt in parts when the above changes */
  cJSON *ctx;
  const struct state *ctx_state;
  double ctx_entered;
  long ctx_retry;
  unsigned long ctx_map_gen, ctx_token_gen;
};

/* exec.c: runs machine m from its start on *data (owned; replaced by the output). A state
   that fails without a catcher leaves its error in f and *data NULL. */
enum sfl_status exec_machine(struct run *r, const struct machine *m, cJSON **data,
                             struct fail *f);
/* exec.c: the effective input of s (InputPath, then Parameters) as a borrowed or new value. */
struct val {
  const cJSON *v;
  cJSON *own;
};
void exec_val_free(struct val *v);
int exec_effective_input(struct run *r, const struct state *s, const cJSON *raw,
                         struct val *out, struct fail *f);
struct eval_env exec_env(struct run *r, const cJSON *input, struct fail *f);
/* exec.c: the task handler, with its events and ownership rules. */
enum sfl_status exec_call_task(struct run *r, const struct state *s, const cJSON *resource,
                               const cJSON *input, cJSON **result, struct fail *f);
/* exec.c: moves the clock on by `seconds` (sleeping with real_time). */
void exec_wait(struct run *r, double seconds);

/* flow.c: the result of a Parallel or a Map state (before ResultSelector). */
enum sfl_status flow_parallel(struct run *r, const struct state *s, const cJSON *input,
                              cJSON **result, struct fail *f);
enum sfl_status flow_map(struct run *r, const struct state *s, const cJSON *input,
                         cJSON **result, struct fail *f);

/* observe.c: `$$` for eval_env (ud is the run); NULL when out of memory. */
const cJSON *run_ctx_get(void *ud);

/* observe.c: history events, each sent to r->ev (nothing is built without one). */
enum sfl_status hist_emit(struct run *r, const char *type, const char *details_key,
                          cJSON *details);
enum sfl_status hist_state(struct run *r, const struct state *s, int entered,
                           const cJSON *data);
enum sfl_status hist_simple(struct run *r, const struct state *s, const char *suffix);
enum sfl_status hist_error(struct run *r, const char *type, const char *details_key,
                           const char *resource, const struct fail *f);
enum sfl_status hist_task(struct run *r, const struct state *s, const char *type,
                          const cJSON *resource, const cJSON *payload, const char *payload_key);
enum sfl_status hist_map(struct run *r, const struct state *s, const char *type, long index);
enum sfl_status hist_execution(struct run *r, const char *type, const cJSON *data,
                               const struct fail *f);

/* }============ */

#endif
