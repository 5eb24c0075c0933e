/*
** run.h: executing an Amazon States Language document (JSONPath query language) locally,
** with Task states answered by the embedding (mocks, Lua functions).
**
** Ownership: run_execute() only reads `asl`, `input` and `opt->context`, which stay the
** caller's. The task handler's *result, *error and *cause are handed to the run (cJSON
** trees deleted with cJSON_Delete, strings with free()); `input` and `resource` are lent
** to the handler for the call only. An event passed to the event callback is the run's
** and valid during the call only. `out` is always filled: release it with
** run_result_free() whatever run_execute() returned. No global state is kept, so two runs
** may go on at once in two threads.
*/
#ifndef SFL_RUN_RUN_H
#define SFL_RUN_RUN_H

#include <cjson/cJSON.h>
#include "core/diag.h"

struct run_options {
  long max_transitions;      /* stop a runaway execution after this many states; 0: 1000000 */
  int real_time;             /* 0: a virtual clock that Wait and Retry move on; nothing sleeps */
  const cJSON *context;      /* fields of $$ to set or override (merged into the defaults) */
  double start_time;         /* the virtual clock's start (s since the epoch); 0: now */
  unsigned long long seed;   /* for JitterStrategy FULL, MathRandom, UUID; 0: from the clock */
};

/*
** Answers one Task state (or a Map's ItemReader, with its Resource and Parameters). Set
** *result (NULL means JSON null) and return SFL_OK for success; set *error (and maybe
** *cause) and return SFL_OK for a task that failed with that error, e.g. "States.Timeout"
** or "Lambda.ServiceException". Any other status stops the execution: run_execute()
** returns it, and *cause, when set, becomes the diagnostic's text.
*/
typedef enum sfl_status (*run_task_fn)(void *ud, const char *state_name, const cJSON *resource,
                                       const cJSON *input, cJSON **result, char **error,
                                       char **cause);

/*
** Receives each history event as GetExecutionHistory shows it: {"id", "previousEventId",
** "type", "timestamp" (RFC 3339, on the run's clock), "<type>EventDetails": {...}}, inputs
** and outputs as JSON text. Types: ExecutionStarted/Succeeded/Failed/TimedOut,
** <StateType>StateEntered/Exited, TaskScheduled/Started/Succeeded/Failed/TimedOut,
** ParallelStateStarted/Succeeded/Failed, MapStateStarted/Succeeded/Failed,
** MapIterationStarted/Succeeded/Failed.
*/
typedef void (*run_event_fn)(void *ud, const cJSON *event);

struct run_result {
  int succeeded;      /* the execution reached a terminal state without an error */
  cJSON *output;      /* its output, when it succeeded */
  char *error;        /* when it failed: the error ("" if a Fail state named none) */
  char *cause;        /* and its cause, or NULL */
  long transitions;   /* states entered, nested ones included */
  double duration;    /* seconds on the run's clock from start to end */
};

/*
** Runs `asl` on `input` (NULL: {}). Returns SFL_OK when the execution ran to its end,
** successfully or not (see out->succeeded); SFL_ERR_INVALID when the document cannot be
** run (missing StartAt, a Next naming no state, a JSONata state, ...) or the execution was
** stopped (max_transitions, a handler's status); SFL_ERR_NOMEM. The diagnostic names the
** state at fault. opt may be NULL.
*/
enum sfl_status run_execute(const cJSON *asl, const cJSON *input, const struct run_options *opt,
                            run_task_fn task, void *ud, run_event_fn ev, void *ev_ud,
                            struct run_result *out, struct diag *d);

/* The same, with `input` (NULL: {}) handed to the run, which deletes it in any case. */
enum sfl_status run_execute_take(const cJSON *asl, cJSON *input, const struct run_options *opt,
                                 run_task_fn task, void *ud, run_event_fn ev, void *ev_ud,
                                 struct run_result *out, struct diag *d);

/* Only checks that `asl` can be run, as run_execute() would before starting. */
enum sfl_status run_check(const cJSON *asl, struct diag *d);

void run_result_free(struct run_result *r);

/*
** A ready-made task handler that answers from a table; pass a struct run_mock as `ud`:
**   {"StateName": {"Return": <result>}
**                | {"Throw": {"Error": "E", "Cause": "why"}}
**                | [ <one of those per call; the last one repeats> ]}
** Calls are counted per state in `counts` (start it as NULL: the handler creates it, the
** caller deletes it with cJSON_Delete), so the table itself stays const. A Map's ItemReader
** is answered under the Map state's name. A state missing from the table stops the run
** with SFL_ERR_INVALID.
*/
struct run_mock {
  const cJSON *table;
  cJSON *counts;
};
enum sfl_status run_mock_task(void *ud, const char *state_name, const cJSON *resource,
                              const cJSON *input, cJSON **result, char **error, char **cause);

#endif
