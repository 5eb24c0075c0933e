/*
** exec.c: running a state machine. Transitions are a loop, never recursion; only Parallel
** and Map states recurse, once per nesting level (flow.c). Each state's data is one owned
** cJSON tree that moves from state to state: paths borrow from it, ResultPath writes into
** it in place, and OutputPath detaches the part it keeps, so a Pass or Choice state that
** does not reshape its data copies nothing. The state's raw input stays untouched until
** the state has succeeded (ResultPath is checked before it writes), which is what Retry
** needs to run a state again and Catch needs to put the error output into that input.
*/
#include "run/machine.h"
#include "run/jpath.h"
#include "core/arena.h"
#include "core/json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct sfl_loc nowhere = {0};

void exec_val_free(struct val *v)
{
  cJSON_Delete(v->own);
  v->own = NULL;
  v->v = NULL;
}

/* The value as a tree of one's own: taken when owned, copied when borrowed. */
static cJSON *val_take(struct val *v)
{
  cJSON *j = v->own ? v->own : cJSON_Duplicate(v->v, 1);
  v->own = NULL;
  v->v = NULL;
  return j;
}

struct eval_env exec_env(struct run *r, const cJSON *input, struct fail *f)
{
  struct eval_env env = {input, run_ctx_get, r, &r->rng, f};
  return env;
}

/* An evaluator's -1 is out of memory; 1 is a state failure already in f. */
static enum sfl_status status_of(struct run *r, int rc)
{
  return rc < 0 ? diag_nomem(r->d) : SFL_OK;
}

void exec_wait(struct run *r, double seconds)
{
  if(seconds <= 0)
    return;
  if(r->real_time) {
    run_clock_sleep(seconds);
    r->now = run_clock_now();
  }
  else
    r->now += seconds;
}

/* {============ input and output processing */

static int select_path(struct run *r, const struct state *s, const struct jpath *p,
                       const cJSON *doc, const char *field, struct val *out, struct fail *f)
{
  const cJSON *root = doc;
  if(jpath_is_context(p) && !(root = run_ctx_get(r)))
    return -1;
  int rc = jpath_select(p, root, &out->v, &out->own);
  if(rc != 1)
    return rc;
  return run_fail_set(f, "States.Runtime", "An error occurred while executing the state '%s'. "
                  "Invalid path '%s': the %s names nothing in the %s", s->name, jpath_text(p),
                  field, jpath_is_context(p) ? "context object" : "state's input");
}

/* Replaces *data by the part of it that p names (InputPath of a Choice, OutputPath). */
static int take_path(struct run *r, const struct state *s, const struct jpath *p,
                     cJSON **data, const char *field, struct fail *f)
{
  if(jpath_is_definite(p) && !jpath_is_context(p)) {
    cJSON *part = jpath_take(p, *data);
    if(!part)
      return run_fail_set(f, "States.Runtime", "An error occurred while executing the state "
                      "'%s'. Invalid path '%s': the %s names nothing in the state's %s",
                      s->name, jpath_text(p), field, field[0] == 'I' ? "input" : "output");
    if(part != *data) {
      cJSON_Delete(*data);
      *data = part;
    }
    return 0;
  }
  struct val v;
  int rc = select_path(r, s, p, *data, field, &v, f);
  if(rc)
    return rc;
  cJSON *part = val_take(&v);
  if(!part)
    return -1;
  cJSON_Delete(*data);
  *data = part;
  return 0;
}

static int replace_by_empty(cJSON **data)
{
  cJSON *empty = cJSON_CreateObject();
  if(!empty)
    return -1;
  cJSON_Delete(*data);
  *data = empty;
  return 0;
}

int exec_effective_input(struct run *r, const struct state *s, const cJSON *raw,
                         struct val *out, struct fail *f)
{
  int rc = 0;
  out->v = raw;
  out->own = NULL;
  if(s->input_null) {
    if(!(out->v = out->own = cJSON_CreateObject()))
      return -1;
  }
  else if(s->input_path && (rc = select_path(r, s, s->input_path, raw, "InputPath", out, f)))
    return rc;
  if(s->parameters) {
    cJSON *p;
    struct eval_env env = exec_env(r, out->v, f);
    rc = tmpl_eval(s->parameters, &env, &p);
    exec_val_free(out);
    if(!rc)
      out->v = out->own = p;
  }
  return rc;
}

/* Choice, Wait, Succeed: the effective input becomes the data itself. */
static int take_input(struct run *r, const struct state *s, cJSON **data, struct fail *f)
{
  if(s->input_null)
    return replace_by_empty(data);
  return s->input_path ? take_path(r, s, s->input_path, data, "InputPath", f) : 0;
}

static int apply_output(struct run *r, const struct state *s, cJSON **data, struct fail *f)
{
  if(s->output_null)
    return replace_by_empty(data);
  return s->output_path ? take_path(r, s, s->output_path, data, "OutputPath", f) : 0;
}

/* ResultPath (of a state or a catcher): result goes into *data, the raw input. */
static int put_result(const struct state *s, const struct jpath *path, int discard,
                      cJSON **data, struct val *result, struct fail *f)
{
  if(discard)
    return 0;
  if(!path || jpath_is_root(path)) {
    if(result->v == *data && !result->own)
      return 0;
    cJSON *v = val_take(result);
    if(!v)
      return -1;
    cJSON_Delete(*data);
    *data = v;
    return 0;
  }
  cJSON *v = val_take(result);
  if(!v)
    return -1;
  int rc = jpath_set(path, data, v);
  if(rc)
    cJSON_Delete(v);
  if(rc == 1)
    return run_fail_set(f, "States.ResultPathMatchFailure", "Unable to apply ResultPath '%s' to "
                    "the input of state '%s': a field on the way is not an object, or an "
                    "index is out of range", jpath_text(path), s->name);
  return rc;
}

/* ResultSelector, ResultPath and OutputPath of a Task, Parallel or Map state. */
static enum sfl_status finish(struct run *r, const struct state *s, cJSON **data,
                              cJSON *result, struct fail *f)
{
  struct val res = {result, result};
  int rc = 0;
  if(s->result_selector) {
    cJSON *sel;
    struct eval_env env = exec_env(r, result, f);
    rc = tmpl_eval(s->result_selector, &env, &sel);
    exec_val_free(&res);
    res.v = res.own = sel;
  }
  if(!rc)
    rc = put_result(s, s->result_path, s->result_null, data, &res, f);
  exec_val_free(&res);
  if(!rc)
    rc = apply_output(r, s, data, f);
  return status_of(r, rc);
}

/* }============ */

/* {============ the task handler */

enum sfl_status exec_call_task(struct run *r, const struct state *s, const cJSON *resource,
                               const cJSON *input, cJSON **result, struct fail *f)
{
  cJSON *res = NULL;
  char *err = NULL, *cause = NULL;
  enum sfl_status st;
  *result = NULL;
  if(!r->task)
    return diag_set(r->d, SFL_ERR_INVALID, nowhere, "state '%s' is a Task, and no task "
                    "handler was given to answer it", s->name);
  if((st = hist_task(r, s, "TaskScheduled", resource, input, "parameters")) ||
     (st = hist_task(r, s, "TaskStarted", resource, NULL, NULL)))
    return st;
  st = r->task(r->task_ud, s->name, resource, input, &res, &err, &cause);
  if(st) {
    diag_set(r->d, st, nowhere, "state '%s': %s", s->name,
             cause ? cause : "the task handler stopped the execution");
    cJSON_Delete(res);
    free(err);
    free(cause);
    return st;
  }
  if(err) {
    cJSON_Delete(res);
    run_fail_clear(f);
    f->error = err;
    f->cause = cause;
    return hist_error(r, strcmp(err, "States.Timeout") ? "TaskFailed" : "TaskTimedOut", NULL,
                      cJSON_IsString(resource) ? resource->valuestring : "", f);
  }
  free(cause);
  *result = res ? res : cJSON_CreateNull();
  if(!*result)
    return diag_nomem(r->d);
  return hist_task(r, s, "TaskSucceeded", resource, *result, "output");
}

static int positive_seconds(struct run *r, const struct state *s, const struct jpath *p,
                            const cJSON *input, const char *field, struct fail *f)
{
  struct val v;
  int rc = select_path(r, s, p, input, field, &v, f);
  if(rc)
    return rc;
  int ok = cJSON_IsNumber(v.v) && v.v->valuedouble >= 1 &&
           v.v->valuedouble == floor(v.v->valuedouble);
  exec_val_free(&v);
  return ok ? 0 : run_fail_set(f, "States.Runtime", "The %s of state '%s' ('%s') must name a "
                           "positive integer", field, s->name, jpath_text(p));
}

/* One attempt at a Task: effective input, the call, then the result into the data. */
static enum sfl_status task_once(struct run *r, const struct state *s, cJSON **data,
                                 struct fail *f)
{
  struct val eff;
  cJSON *result = NULL;
  if(s->task_token) {
    const cJSON *user = json_get(json_get(r->user_context, "Task"), "Token");
    run_rng_uuid(&r->rng, r->token_buf);
    r->task_token = cJSON_IsString(user) ? user->valuestring : r->token_buf;
    r->token_gen++;
  }
  int rc = exec_effective_input(r, s, *data, &eff, f);
  if(!rc && s->timeout_path)
    rc = positive_seconds(r, s, s->timeout_path, *data, "TimeoutSecondsPath", f);
  if(!rc && s->heartbeat_path)
    rc = positive_seconds(r, s, s->heartbeat_path, *data, "HeartbeatSecondsPath", f);
  enum sfl_status st = status_of(r, rc);
  if(!rc)
    st = exec_call_task(r, s, s->resource, eff.v, &result, f);
  exec_val_free(&eff);
  if(s->task_token) {
    r->task_token = NULL;
    r->token_gen++;
  }
  if(st || rc || f->error) {
    cJSON_Delete(result);
    return st;
  }
  return finish(r, s, data, result, f);
}

static enum sfl_status flow_once(struct run *r, const struct state *s, cJSON **data,
                                 struct fail *f)
{
  struct val eff;
  cJSON *result = NULL;
  int rc = exec_effective_input(r, s, *data, &eff, f);
  if(rc) {
    exec_val_free(&eff);
    return status_of(r, rc);
  }
  enum sfl_status st = s->type == ST_PARALLEL ? flow_parallel(r, s, eff.v, &result, f)
                                              : flow_map(r, s, eff.v, &result, f);
  exec_val_free(&eff);
  if(st || f->error) {
    cJSON_Delete(result);
    return st;
  }
  return finish(r, s, data, result, f);
}

/* }============ */

/* {============ Retry and Catch */

/* States.Runtime and States.DataLimitExceeded end the execution: nothing retries or
   catches them. States.ALL matches anything else, States.TaskFailed anything but
   States.Timeout. */
static int matches(const char *const *names, size_t n, const char *error)
{
  if(!strcmp(error, "States.Runtime") || !strcmp(error, "States.DataLimitExceeded"))
    return 0;
  for(size_t i = 0; i < n; i++)
    if(!strcmp(names[i], "States.ALL") || !strcmp(names[i], error) ||
       (!strcmp(names[i], "States.TaskFailed") && strcmp(error, "States.Timeout")))
      return 1;
  return 0;
}

static double retry_delay(struct run *r, const struct retrier *rt, long attempt)
{
  double delay = rt->interval * pow(rt->backoff, (double)attempt);
  if(rt->max_delay && delay > rt->max_delay)
    delay = rt->max_delay;
  return rt->jitter ? run_rng_unit(&r->rng) * delay : delay;
}

/* The error output {"Error", "Cause"}, put into the raw input by the catcher's ResultPath. */
static enum sfl_status catch_error(struct run *r, const struct state *s,
                                   const struct catcher *c, cJSON **data, struct fail *f)
{
  cJSON *out = cJSON_CreateObject();
  json_put_str(out, "Error", f->error);
  if(f->cause)
    json_put_str(out, "Cause", f->cause);
  if(cJSON_GetArraySize(out) != (f->cause ? 2 : 1)) {
    cJSON_Delete(out);
    return diag_nomem(r->d);
  }
  struct val res = {out, out};
  struct fail again = {0};
  int rc = put_result(s, c->result_path, c->result_null, data, &res, &again);
  exec_val_free(&res);
  run_fail_clear(f);
  *f = again;   /* a catcher's own ResultPath failure is not caught again */
  return status_of(r, rc);
}

static enum sfl_status with_retry(struct run *r, const struct state *s, cJSON **data,
                                  struct fail *f, const struct state **next)
{
  long *attempts = s->nretry ? calloc(s->nretry, sizeof *attempts) : NULL;
  enum sfl_status st = SFL_OK;
  if(s->nretry && !attempts)
    return diag_nomem(r->d);
  for(;;) {
    st = s->type == ST_TASK ? task_once(r, s, data, f) : flow_once(r, s, data, f);
    if(st || !f->error || r->timed_out)
      break;
    size_t i = 0;
    while(i < s->nretry && !matches(s->retry[i].errors, s->retry[i].nerrors, f->error))
      i++;
    if(i == s->nretry || attempts[i] >= s->retry[i].max_attempts)
      break;
    double delay = retry_delay(r, &s->retry[i], attempts[i]);
    attempts[i]++;
    run_fail_clear(f);
    exec_wait(r, delay);
    r->cur_retry++;
  }
  free(attempts);
  if(st || !f->error || r->timed_out)
    return st;
  for(size_t i = 0; i < s->ncatch; i++)
    if(matches(s->catches[i].errors, s->catches[i].nerrors, f->error)) {
      st = catch_error(r, s, &s->catches[i], data, f);
      if(!st && !f->error)
        *next = s->catches[i].next;
      return st;
    }
  return SFL_OK;
}

/* }============ */

/* {============ Pass, Choice, Wait, Succeed, Fail */

static enum sfl_status run_pass(struct run *r, const struct state *s, cJSON **data,
                                struct fail *f)
{
  struct val eff;
  int rc = exec_effective_input(r, s, *data, &eff, f);
  if(!rc && s->result) {
    exec_val_free(&eff);
    eff.v = s->result;
  }
  if(!rc)
    rc = put_result(s, s->result_path, s->result_null, data, &eff, f);
  exec_val_free(&eff);
  if(!rc)
    rc = apply_output(r, s, data, f);
  return status_of(r, rc);
}

static enum sfl_status run_choice(struct run *r, const struct state *s, cJSON **data,
                                  struct fail *f, const struct state **next)
{
  int rc = take_input(r, s, data, f), match = 0;
  struct eval_env env = exec_env(r, *data, f);
  for(size_t i = 0; !rc && !match && i < s->nchoices; i++) {
    rc = choice_eval(s->choices[i], &env, &match);
    if(match)
      *next = s->choices[i]->next;
  }
  if(!rc && !match) {
    if(!s->default_next)
      rc = run_fail_set(f, "States.NoChoiceMatched", "No Choice Rule of state '%s' matched its "
                    "input, and the state has no Default", s->name);
    *next = s->default_next;
  }
  if(!rc)
    rc = apply_output(r, s, data, f);
  return status_of(r, rc);
}

static int wait_target(struct run *r, const struct state *s, const cJSON *data, double *until,
                       struct fail *f)
{
  const cJSON *v;
  struct ts t = s->timestamp;
  if(s->wait_kind == 'S') {
    *until = r->now + s->seconds;
    return 0;
  }
  if(s->wait_kind == 's' || s->wait_kind == 't') {
    const cJSON *root = jpath_is_context(s->wait_path) ? run_ctx_get(r) : data;
    if(!root)
      return -1;
    v = jpath_get(s->wait_path, root);
    if(s->wait_kind == 's') {
      if(!cJSON_IsNumber(v) || v->valuedouble < 0)
        return run_fail_set(f, "States.Runtime", "The SecondsPath '%s' of state '%s' must name "
                        "a non-negative number of seconds", jpath_text(s->wait_path),
                        s->name);
      if(v->valuedouble > 2147483647.0)   /* as load.c bounds Seconds */
        return run_fail_set(f, "States.Runtime", "The SecondsPath '%s' of state '%s' names "
                            "%g seconds; at most 2147483647 are allowed",
                            jpath_text(s->wait_path), s->name, v->valuedouble);
      *until = r->now + v->valuedouble;
      return 0;
    }
    if(!cJSON_IsString(v) || rfc3339_parse(v->valuestring, &t))
      return run_fail_set(f, "States.Runtime", "The TimestampPath '%s' of state '%s' must name "
                      "an RFC 3339 timestamp", jpath_text(s->wait_path), s->name);
  }
  *until = (double)t.sec + (double)t.nsec / 1e9;
  return 0;
}

static enum sfl_status run_wait(struct run *r, const struct state *s, cJSON **data,
                                struct fail *f)
{
  double until = 0;
  int rc = take_input(r, s, data, f);
  if(!rc)
    rc = wait_target(r, s, *data, &until, f);
  if(!rc) {
    exec_wait(r, until - r->now);
    rc = apply_output(r, s, data, f);
  }
  return status_of(r, rc);
}

/* Error or ErrorPath (and Cause or CausePath): a string, or nothing. */
static int fail_text(struct run *r, const struct state *s, const char *literal,
                     const struct dynval *dyn, const char *field, const cJSON *data,
                     char **out, struct fail *f)
{
  *out = NULL;
  if(literal || (!dyn->path && !dyn->call)) {
    *out = literal ? strdup(literal) : NULL;
    return literal && !*out ? -1 : 0;
  }
  const cJSON *v;
  cJSON *owned;
  struct eval_env env = exec_env(r, data, f);
  int rc = dynval_eval(dyn, &env, "States.Runtime", field, &v, &owned);
  if(rc)
    return rc;
  if(cJSON_IsString(v))
    *out = strdup(v->valuestring);
  else
    rc = run_fail_set(f, "States.Runtime", "The %s of state '%s' must give a string", field,
                  s->name);
  cJSON_Delete(owned);
  return !rc && !*out ? -1 : rc;
}

static enum sfl_status run_fail(struct run *r, const struct state *s, cJSON **data,
                                struct fail *f)
{
  char *error, *cause = NULL;
  int rc = fail_text(r, s, s->error, &s->error_path, "ErrorPath", *data, &error, f);
  if(!rc && (rc = fail_text(r, s, s->cause, &s->cause_path, "CausePath", *data, &cause, f)))
    free(error);
  if(rc)
    return status_of(r, rc);
  if(!error && !(error = strdup(""))) {
    free(cause);
    return diag_nomem(r->d);
  }
  run_fail_clear(f);
  f->error = error;
  f->cause = cause;
  return SFL_OK;
}

/* }============ */

/* Runs one state on *data; *next is where to go (NULL: the machine ends or failed). */
static enum sfl_status exec_state(struct run *r, const struct state *s, cJSON **data,
                                  struct fail *f, const struct state **next)
{
  enum sfl_status st;
  if(r->real_time)
    r->now = run_clock_now();
  r->cur = s;
  r->cur_entered = r->now;
  r->cur_retry = 0;
  *next = s->next;
  if((st = hist_state(r, s, 1, *data)))
    return st;
  switch(s->type) {
  case ST_PASS: st = run_pass(r, s, data, f); break;
  case ST_CHOICE: st = run_choice(r, s, data, f, next); break;
  case ST_WAIT: st = run_wait(r, s, data, f); break;
  case ST_SUCCEED: {
    int rc = take_input(r, s, data, f);
    st = status_of(r, rc ? rc : apply_output(r, s, data, f));
    break;
  }
  case ST_FAIL: st = run_fail(r, s, data, f); break;
  default: st = with_retry(r, s, data, f, next); break;
  }
  if(st || f->error)
    return st;
  return hist_state(r, s, 0, *data);
}

enum sfl_status exec_machine(struct run *r, const struct machine *m, cJSON **data,
                             struct fail *f)
{
  const struct state *s = m->start;
  while(s) {
    if(r->transitions >= r->max_transitions)
      return diag_set(r->d, SFL_ERR_INVALID, nowhere, "the execution was stopped at state "
                      "'%s' after %ld state transitions (max_transitions); does it loop "
                      "forever?", s->name, r->transitions);
    if(r->timeout && r->now - r->start > (double)r->timeout) {
      cJSON_Delete(*data);
      *data = NULL;
      r->timed_out = 1;
      return run_fail_set(f, "States.Timeout", "The execution timed out after %ld seconds "
                      "(TimeoutSeconds)", r->timeout) < 0 ? diag_nomem(r->d) : SFL_OK;
    }
    r->transitions++;
    const struct state *next = NULL;
    enum sfl_status st = exec_state(r, s, data, f, &next);
    if(st)
      return st;
    if(f->error) {
      cJSON_Delete(*data);
      *data = NULL;
      return SFL_OK;
    }
    s = next;
  }
  return SFL_OK;
}
