/*
** run.c: the public entry points. run_execute() loads the document into an arena (every
** check happens there, before the first state runs), sets up one struct run on the stack
** (clock, random generator, counters; nothing global), runs the top-level machine, and
** turns its outcome into a struct run_result and the final history event. Also the mock
** task handler, which answers from a JSON table for tests and for `sfl run` with a mock
** file: a Return value, a Throw, or a list of those used one per call.
*/
#include "run/run.h"
#include "run/machine.h"
#include "core/arena.h"
#include "core/json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_TRANSITIONS 1000000

enum sfl_status run_check(const cJSON *asl, struct diag *d)
{
  struct arena *a = arena_new();
  struct machine *m;
  long timeout;
  if(!a)
    return diag_nomem(d);
  enum sfl_status st = run_load(a, asl, &m, &timeout, d);
  arena_free(a);
  return st;
}

void run_result_free(struct run_result *r)
{
  if(!r)
    return;
  cJSON_Delete(r->output);
  free(r->error);
  free(r->cause);
  memset(r, 0, sizeof *r);
}

static void setup(struct run *r, const struct run_options *opt, const cJSON *input)
{
  r->max_transitions = opt && opt->max_transitions > 0 ? opt->max_transitions
                                                         : DEFAULT_MAX_TRANSITIONS;
  r->real_time = opt && opt->real_time;
  r->start = opt && opt->start_time > 0 && !r->real_time ? opt->start_time : run_clock_now();
  r->now = r->start;
  r->rng = opt && opt->seed ? (uint64_t)opt->seed
                            : (uint64_t)(run_clock_now() * 1e6) ^ (uint64_t)(uintptr_t)r;
  r->input = input;
  r->user_context = opt ? opt->context : NULL;
  run_rng_uuid(&r->rng, r->exec_name);
}

/* The execution's end: its result, and the last history event. */
static enum sfl_status conclude(struct run *r, cJSON **data, struct fail *f,
                                struct run_result *out)
{
  if(!f->error && r->timeout && r->now - r->start > (double)r->timeout) {
    r->timed_out = 1;
    if(run_fail_set(f, "States.Timeout", "The execution timed out after %ld seconds "
                "(TimeoutSeconds)", r->timeout) < 0)
      return diag_nomem(r->d);
  }
  if(f->error) {
    enum sfl_status st = hist_execution(r, r->timed_out ? "ExecutionTimedOut"
                                                        : "ExecutionFailed", NULL, f);
    out->error = f->error;
    out->cause = f->cause;
    f->error = f->cause = NULL;
    return st;
  }
  out->succeeded = 1;
  out->output = *data;
  *data = NULL;
  return hist_execution(r, "ExecutionSucceeded", out->output, NULL);
}

/* Whether any string in the document mentions the context object ($$): conservatively. */
static int mentions_context(const cJSON *j)
{
  if(cJSON_IsString(j))
    return strstr(j->valuestring, "$$") != NULL;
  for(const cJSON *c = j->child; c; c = c->next)
    if(mentions_context(c))
      return 1;
  return 0;
}

/*
** `input` is the caller's (taken NULL) or the run's (taken: the same tree, deleted here).
** The data the states reshape must be a tree of the run's own while $$.Execution.Input
** still shows the input as it came; a taken input that no path reads through $$ becomes
** the data itself, which spares copying a large input.
*/
static enum sfl_status execute(const cJSON *asl, const cJSON *input, cJSON *taken,
                               const struct run_options *opt, run_task_fn task, void *ud,
                               run_event_fn ev, void *ev_ud, struct run_result *out,
                               struct diag *d)
{
  struct run r = {0};
  struct machine *m;
  struct fail f = {0};
  memset(out, 0, sizeof *out);
  struct arena *a = arena_new();
  if(!a) {
    cJSON_Delete(taken);
    return diag_nomem(d);
  }
  enum sfl_status st = run_load(a, asl, &m, &r.timeout, d);
  if(st) {
    cJSON_Delete(taken);
    arena_free(a);
    return st;
  }
  cJSON *data = NULL;
  if(taken && !mentions_context(asl)) {
    data = taken;
    input = taken = NULL;
  }
  else if(input)
    data = cJSON_Duplicate(input, 1);
  else
    data = cJSON_CreateObject();
  r.d = d;
  r.task = task;
  r.task_ud = ud;
  r.ev = ev;
  r.ev_ud = ev_ud;
  setup(&r, opt, input);
  if(!data)
    st = diag_nomem(d);
  if(!st)
    st = hist_execution(&r, "ExecutionStarted", data, NULL);
  if(!st)
    st = exec_machine(&r, m, &data, &f);
  if(!st)
    st = conclude(&r, &data, &f, out);
  out->transitions = r.transitions;
  out->duration = r.now - r.start;
  cJSON_Delete(data);
  cJSON_Delete(taken);
  run_fail_clear(&f);
  cJSON_Delete(r.ctx);
  arena_free(a);
  return st;
}

enum sfl_status run_execute(const cJSON *asl, const cJSON *input, const struct run_options *opt,
                            run_task_fn task, void *ud, run_event_fn ev, void *ev_ud,
                            struct run_result *out, struct diag *d)
{
  return execute(asl, input, NULL, opt, task, ud, ev, ev_ud, out, d);
}

enum sfl_status run_execute_take(const cJSON *asl, cJSON *input, const struct run_options *opt,
                                 run_task_fn task, void *ud, run_event_fn ev, void *ev_ud,
                                 struct run_result *out, struct diag *d)
{
  return execute(asl, input, input, opt, task, ud, ev, ev_ud, out, d);
}

/* {============ the mock task handler */

static enum sfl_status refuse(char **cause, const char *fmt, const char *state)
{
  size_t n = strlen(fmt) + strlen(state) + 1;
  *cause = malloc(n);
  if(*cause)
    snprintf(*cause, n, fmt, state);
  return SFL_ERR_INVALID;
}

/* Which answer this call gets: a list is used in order, counting calls per state. */
static const cJSON *pick(struct run_mock *m, const char *state, const cJSON *entry)
{
  if(!cJSON_IsArray(entry))
    return entry;
  if(!m->counts && !(m->counts = cJSON_CreateObject()))
    return NULL;
  cJSON *count = cJSON_GetObjectItemCaseSensitive(m->counts, state);
  if(!count && !(count = json_put_num(m->counts, state, 0)))
    return NULL;
  int n = (int)count->valuedouble, size = cJSON_GetArraySize(entry);
  cJSON_SetNumberValue(count, n + 1);
  return cJSON_GetArrayItem(entry, n < size ? n : size - 1);
}

enum sfl_status run_mock_task(void *ud, const char *state_name, const cJSON *resource,
                              const cJSON *input, cJSON **result, char **error, char **cause)
{
  struct run_mock *m = ud;
  const cJSON *entry = json_get(m->table, state_name);
  if(!entry)
    return refuse(cause, "no mock answer for Task state '%s'", state_name);
  entry = pick(m, state_name, entry);
  if(!entry)
    return SFL_ERR_NOMEM;
  const cJSON *ret = json_get(entry, "Return"), *thr = json_get(entry, "Throw");
  if(ret) {
    *result = cJSON_Duplicate(ret, 1);
    return *result ? SFL_OK : SFL_ERR_NOMEM;
  }
  const cJSON *e = json_get(thr, "Error"), *c = json_get(thr, "Cause");
  if(!cJSON_IsString(e))
    return refuse(cause, "the mock answer for '%s' must be {\"Return\": value} or "
                         "{\"Throw\": {\"Error\": \"...\", \"Cause\": \"...\"}}", state_name);
  *error = strdup(e->valuestring);
  if(cJSON_IsString(c))
    *cause = strdup(c->valuestring);
  return *error ? SFL_OK : SFL_ERR_NOMEM;
}

/* }============ */
