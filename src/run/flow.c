/*
** flow.c: Parallel and Map states. Branches and iterations run one after the other, each
** on its own copy of its input and to its end, and their outputs are collected in order;
** this is the one place the interpreter recurses (exec_machine), once per nesting level.
** A failing branch fails the Parallel state with the branch's error. A Map fails with the
** first failing iteration's error, unless ToleratedFailureCount/Percentage are given: then
** failed iterations leave their error output in the result until the threshold is passed
** (States.ExceedToleratedFailureThreshold). MaxConcurrency is accepted and has no effect.
** ItemReader asks the task handler for the items; ItemBatcher groups them.
*/
#include "run/machine.h"
#include "run/jpath.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

/* Nested machines change what $$.State describes; the state around them gets it back. */
struct saved {
  const struct state *cur;
  double entered;
  long retry;
};

static struct saved save(const struct run *r)
{
  struct saved sv = {r->cur, r->cur_entered, r->cur_retry};
  return sv;
}

static void restore(struct run *r, struct saved sv)
{
  r->cur = sv.cur;
  r->cur_entered = sv.entered;
  r->cur_retry = sv.retry;
}

enum sfl_status flow_parallel(struct run *r, const struct state *s, const cJSON *input,
                              cJSON **result, struct fail *f)
{
  struct saved sv = save(r);
  enum sfl_status st = hist_simple(r, s, "StateStarted");
  cJSON *out = cJSON_CreateArray();
  *result = NULL;
  if(!out)
    st = diag_nomem(r->d);
  for(size_t i = 0; !st && !f->error && i < s->nbranches; i++) {
    cJSON *data = cJSON_Duplicate(input, 1);
    if(!data) {
      st = diag_nomem(r->d);
      break;
    }
    st = exec_machine(r, s->branches[i], &data, f);
    restore(r, sv);
    if(!st && !f->error && !json_push(out, data))
      st = diag_nomem(r->d);
    else if(st || f->error)
      cJSON_Delete(data);
  }
  if(!st)
    st = hist_simple(r, s, f->error ? "StateFailed" : "StateSucceeded");
  if(st || f->error)
    cJSON_Delete(out);
  else
    *result = out;
  return st;
}

/* {============ Map */

struct map_run {
  const struct state *s;
  const cJSON *input;          /* the Map's effective input: `$` of ItemSelector */
  long total, failures;
  double tolerated_count, tolerated_pct;
  cJSON *out;
};

/* A number from a literal field or its Path form (-1 when neither is given). */
static int number_of(struct run *r, const struct state *s, double literal,
                     const struct jpath *p, const cJSON *input, const char *field,
                     double *out, struct fail *f)
{
  *out = literal;
  if(!p)
    return 0;
  const cJSON *root = jpath_is_context(p) ? run_ctx_get(r) : input;
  if(!root)
    return -1;
  const cJSON *v = jpath_get(p, root);
  if(!cJSON_IsNumber(v) || v->valuedouble < 0)
    return run_fail_set(f, "States.Runtime", "The %s '%s' of state '%s' must name a non-negative "
                    "number", field, jpath_text(p), s->name);
  *out = v->valuedouble;
  return 0;
}

static int exceeded(const struct map_run *m)
{
  if(m->tolerated_count >= 0 && m->failures > m->tolerated_count)
    return 1;
  return m->tolerated_pct >= 0 && m->failures * 100.0 > m->tolerated_pct * (double)m->total;
}

/* Runs the processor on `data` (owned) and files the result under iteration `index`. */
static enum sfl_status iterate(struct run *r, struct map_run *m, long index, cJSON *data,
                               struct fail *f)
{
  struct saved sv = save(r);
  struct fail it = {0};
  enum sfl_status st = hist_map(r, m->s, "MapIterationStarted", index);
  if(!st)
    st = exec_machine(r, m->s->processor, &data, &it);
  restore(r, sv);
  if(!st && !it.error) {
    if(!json_push(m->out, data))
      st = diag_nomem(r->d);
    data = NULL;
    if(!st)
      st = hist_map(r, m->s, "MapIterationSucceeded", index);
  }
  cJSON_Delete(data);
  if(st || !it.error) {
    run_fail_clear(&it);
    return st;
  }
  m->failures++;
  st = hist_map(r, m->s, "MapIterationFailed", index);
  if(!m->s->tolerate || r->timed_out) {
    run_fail_clear(f);
    *f = it;
    return st;
  }
  cJSON *err = cJSON_CreateObject();
  json_put_str(err, "Error", it.error);
  json_put_str(err, "Cause", it.cause);
  run_fail_clear(&it);
  if(!json_push(m->out, err))
    return diag_nomem(r->d);
  if(!st && exceeded(m) &&
     run_fail_set(f, "States.ExceedToleratedFailureThreshold", "%ld of the %ld iterations of "
              "state '%s' failed, more than it tolerates", m->failures, m->total,
              m->s->name) < 0)
    return diag_nomem(r->d);
  return st;
}

/* The input of one iteration: the ItemSelector applied to the item, or the item itself. */
static int item_input(struct run *r, const struct map_run *m, long index, const cJSON *item,
                      cJSON **out, struct fail *f)
{
  if(!m->s->item_selector) {
    *out = cJSON_Duplicate(item, 1);
    return *out ? 0 : -1;
  }
  r->map_item = item;
  r->map_index = index;
  r->map_gen++;
  struct eval_env env = exec_env(r, m->input, f);
  int rc = tmpl_eval(m->s->item_selector, &env, out);
  r->map_item = NULL;
  r->map_gen++;
  return rc;
}

static enum sfl_status status_of(struct run *r, int rc)
{
  return rc < 0 ? diag_nomem(r->d) : SFL_OK;
}

/* ItemBatcher: iteration inputs {"BatchInput": ..., "Items": [...]}. */
static enum sfl_status run_batches(struct run *r, struct map_run *m, const cJSON *items,
                                   double max_items, double max_bytes, struct fail *f)
{
  const cJSON *item = items->child;
  long index = 0, batch = 0;
  enum sfl_status st = SFL_OK;
  while(!st && !f->error && item) {
    cJSON *in = cJSON_CreateObject(), *list = cJSON_CreateArray(), *v = NULL;
    size_t bytes = 2;   /* the compact text of the Items array: [a,b] */
    int rc = in && list ? 0 : -1;
    if(!rc && m->s->batch_input) {
      struct eval_env env = exec_env(r, m->input, f);
      if(!(rc = tmpl_eval(m->s->batch_input, &env, &v)) && !json_put(in, "BatchInput", v))
        rc = -1;
    }
    if(!rc && !json_put(in, "Items", list))
      rc = -1;
    else if(rc)
      cJSON_Delete(list);
    for(; !rc && item; item = item->next, index++) {
      if(max_items && cJSON_GetArraySize(list) >= max_items)
        break;
      if(!(rc = item_input(r, m, index, item, &v, f))) {
        char *text = json_to_text(v, 0);
        size_t more = text ? strlen(text) + (list->child ? 1 : 0) : 0;
        free(text);
        if(!more || (max_bytes && list->child && bytes + more > max_bytes)) {
          cJSON_Delete(v);
          rc = more ? 0 : -1;
          break;
        }
        bytes += more;
        rc = json_push(list, v) ? 0 : -1;
      }
    }
    if(rc) {
      cJSON_Delete(in);
      return status_of(r, rc);
    }
    st = iterate(r, m, batch++, in, f);
  }
  return st;
}

static enum sfl_status run_items(struct run *r, struct map_run *m, const cJSON *items,
                                 struct fail *f)
{
  const struct state *s = m->s;
  double max_items, max_bytes;
  int rc = number_of(r, s, s->tolerated_count, s->tolerated_count_path, m->input,
                     "ToleratedFailureCountPath", &m->tolerated_count, f);
  if(!rc)
    rc = number_of(r, s, s->tolerated_pct, s->tolerated_pct_path, m->input,
                   "ToleratedFailurePercentagePath", &m->tolerated_pct, f);
  if(!rc)
    rc = number_of(r, s, s->batch_items, s->batch_items_path, m->input,
                   "MaxItemsPerBatchPath", &max_items, f);
  if(!rc)
    rc = number_of(r, s, s->batch_bytes, s->batch_bytes_path, m->input,
                   "MaxInputBytesPerBatchPath", &max_bytes, f);
  if(rc)
    return status_of(r, rc);
  long n = cJSON_GetArraySize(items);
  if(s->batching) {
    long per = max_items > 0 && max_items < (double)n ? (long)max_items : n;
    m->total = per ? (n + per - 1) / per : 0;
  }
  else
    m->total = n;
  enum sfl_status st = hist_map(r, s, "MapStateStarted", m->total);
  if(st || s->batching)
    return st ? st : run_batches(r, m, items, max_items, max_bytes, f);
  long index = 0;
  for(const cJSON *item = items->child; !st && !f->error && item; item = item->next, index++) {
    cJSON *in;
    rc = item_input(r, m, index, item, &in, f);
    st = rc ? status_of(r, rc) : iterate(r, m, index, in, f);
  }
  return st;
}

/* ItemReader (the task handler reads them) or ItemsPath. */
static enum sfl_status get_items(struct run *r, const struct state *s, const cJSON *input,
                                 const cJSON **items, cJSON **owned, struct fail *f)
{
  *owned = NULL;
  if(s->reader_resource) {
    cJSON *params = NULL;
    double max = 0;
    struct eval_env env = exec_env(r, input, f);
    int rc = s->reader_params ? tmpl_eval(s->reader_params, &env, &params) : 0;
    if(!rc)
      rc = number_of(r, s, s->reader_max_items, s->reader_max_items_path, input,
                     "MaxItemsPath", &max, f);
    if(rc) {
      cJSON_Delete(params);
      return status_of(r, rc);
    }
    enum sfl_status st = exec_call_task(r, s, s->reader_resource, params ? params : input,
                                        owned, f);
    cJSON_Delete(params);
    if(st || f->error)
      return st;
    while(max > 0 && cJSON_GetArraySize(*owned) > max)
      cJSON_DeleteItemFromArray(*owned, cJSON_GetArraySize(*owned) - 1);
    *items = *owned;
  }
  else {
    const cJSON *root = s->items_path && jpath_is_context(s->items_path) ? run_ctx_get(r) : input;
    if(!root)
      return diag_nomem(r->d);
    *items = s->items_path ? jpath_get(s->items_path, root) : input;
  }
  if(cJSON_IsArray(*items))
    return SFL_OK;
  return status_of(r, run_fail_set(f, s->reader_resource ? "States.ItemReaderFailed"
                               : "States.Runtime", "The %s of state '%s' must give an array, "
                               "got %s", s->reader_resource ? "ItemReader" : "ItemsPath",
                               s->name, *items ? "another JSON value" : "nothing"));
}

enum sfl_status flow_map(struct run *r, const struct state *s, const cJSON *input,
                         cJSON **result, struct fail *f)
{
  struct map_run m = {s, input, 0, 0, -1, -1, cJSON_CreateArray()};
  const cJSON *items = NULL;
  cJSON *owned = NULL;
  *result = NULL;
  if(!m.out)
    return diag_nomem(r->d);
  enum sfl_status st = get_items(r, s, input, &items, &owned, f);
  if(!st && !f->error)
    st = run_items(r, &m, items, f);
  cJSON_Delete(owned);
  if(!st)
    st = hist_simple(r, s, f->error ? "StateFailed" : "StateSucceeded");
  if(st || f->error)
    cJSON_Delete(m.out);
  else
    *result = m.out;
  return st;
}

/* }============ */
