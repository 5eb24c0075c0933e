/*
** load.c: checking an ASL document and compiling it for the interpreter. Every problem is
** found here, before anything runs, and reported with the name of the state at fault:
** unknown or misplaced fields (one table says which field each state type accepts),
** Next/End mistakes, transitions to missing states, malformed paths, templates, intrinsic
** calls and Choice rules, Retry/Catch rules (States.ALL alone and last), and states that
** use the JSONata query language, which sfl run does not interpret. Nested machines
** (Parallel branches, Map processors) are loaded by recursion, one level per nesting.
*/
#include "run/machine.h"
#include "run/jpath.h"
#include "core/arena.h"
#include "core/json.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *const run_state_types[] = {"Pass", "Task", "Choice", "Wait", "Succeed", "Fail",
                                       "Parallel", "Map"};

struct loader {
  struct arena *a;
  struct diag *d;
  struct strmap all;        /* every state name in the document: they must be unique */
  struct vec machines;      /* resolved once all of them are loaded */
};

#define T(x) (1u << ST_##x)
#define T_ANY 0xFFu
#define T_IO (T_ANY & ~T(FAIL))                          /* InputPath, OutputPath */
#define T_FLOW (T(PASS) | T(TASK) | T(WAIT) | T(PARALLEL) | T(MAP))   /* Next, End */
#define T_RESULT (T(PASS) | T(TASK) | T(PARALLEL) | T(MAP))       /* ResultPath, Parameters */
#define T_ERRORS (T(TASK) | T(PARALLEL) | T(MAP))        /* ResultSelector, Retry, Catch */

/* Which fields each state type accepts (0: the field belongs to JSONata or variables). */
static const struct field {
  const char *name;
  unsigned types;
} state_fields[] = {
  {"Type", T_ANY}, {"Comment", T_ANY}, {"QueryLanguage", T_ANY},
  {"Next", T_FLOW}, {"End", T_FLOW},
  {"InputPath", T_IO}, {"OutputPath", T_IO},
  {"Parameters", T_RESULT}, {"ResultPath", T_RESULT}, {"Result", T(PASS)},
  {"ResultSelector", T_ERRORS}, {"Retry", T_ERRORS}, {"Catch", T_ERRORS},
  {"Resource", T(TASK)}, {"TimeoutSeconds", T(TASK)}, {"TimeoutSecondsPath", T(TASK)},
  {"HeartbeatSeconds", T(TASK)}, {"HeartbeatSecondsPath", T(TASK)},
  {"Credentials", T(TASK)},
  {"Choices", T(CHOICE)}, {"Default", T(CHOICE)},
  {"Seconds", T(WAIT)}, {"SecondsPath", T(WAIT)}, {"Timestamp", T(WAIT)},
  {"TimestampPath", T(WAIT)},
  {"Error", T(FAIL)}, {"ErrorPath", T(FAIL)}, {"Cause", T(FAIL)}, {"CausePath", T(FAIL)},
  {"Branches", T(PARALLEL)},
  {"ItemProcessor", T(MAP)}, {"Iterator", T(MAP)}, {"ItemsPath", T(MAP)},
  {"ItemSelector", T(MAP)}, {"ItemReader", T(MAP)}, {"ItemBatcher", T(MAP)},
  {"ResultWriter", T(MAP)}, {"MaxConcurrency", T(MAP)}, {"MaxConcurrencyPath", T(MAP)},
  {"ToleratedFailurePercentage", T(MAP)}, {"ToleratedFailurePercentagePath", T(MAP)},
  {"ToleratedFailureCount", T(MAP)}, {"ToleratedFailureCountPath", T(MAP)},
  {"Label", T(MAP)},
  {"Arguments", 0}, {"Output", 0}, {"Items", 0}, {"Assign", 0},
  {NULL, 0}
};

static enum sfl_status bad(struct loader *L, const struct state *s, const char *fmt, ...)
  __attribute__((format(printf, 3, 4)));

static enum sfl_status bad(struct loader *L, const struct state *s, const char *fmt, ...)
{
  char msg[900];
  struct sfl_loc none = {0};
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if(s)
    return diag_set(L->d, SFL_ERR_INVALID, none, "state '%s' (%s): %s", s->name,
                    run_state_types[s->type], msg);
  return diag_set(L->d, SFL_ERR_INVALID, none, "%s", msg);
}

/* A compile error message: out of memory, or the document's fault. */
static enum sfl_status bad_text(struct loader *L, const struct state *s, const char *what,
                                const char *why)
{
  if(!strcmp(why, "out of memory"))
    return diag_nomem(L->d);
  return bad(L, s, "%s: %s", what, why);
}

static int is_int(const cJSON *j)
{
  return cJSON_IsNumber(j) && j->valuedouble == floor(j->valuedouble);
}

/* A number field: *out untouched when absent; `min` is its least allowed value. */
static enum sfl_status get_int(struct loader *L, const struct state *s, const cJSON *obj,
                               const char *key, double min, double *out)
{
  const cJSON *j = json_get(obj, key);
  if(!j)
    return SFL_OK;
  if(!is_int(j) || j->valuedouble < min)
    return bad(L, s, "%s must be an integer of at least %.0f", key, min);
  if(j->valuedouble > INT_MAX)   /* a C long holds it */
    return bad(L, s, "%s must be at most %d", key, INT_MAX);
  *out = j->valuedouble;
  return SFL_OK;
}

#define PATH_NULL 2        /* null is allowed (sets *is_null) */
#define PATH_NO_CONTEXT 4  /* $$ is not allowed */

static enum sfl_status get_path(struct loader *L, const struct state *s, const cJSON *obj,
                                const char *key, int flags, const struct jpath **out,
                                int *is_null)
{
  const cJSON *j = json_get(obj, key);
  *out = NULL;
  if(!j)
    return SFL_OK;
  if(cJSON_IsNull(j) && (flags & PATH_NULL)) {
    *is_null = 1;
    return SFL_OK;
  }
  if(!cJSON_IsString(j))
    return bad(L, s, "%s must be a string%s", key, flags & PATH_NULL ? " or null" : "");
  char why[300], what[400];
  *out = jpath_compile(L->a, j->valuestring, flags & JPATH_REFERENCE, why, sizeof why);
  snprintf(what, sizeof what, "%s '%s' is not a valid %s", key, j->valuestring,
           flags & JPATH_REFERENCE ? "Reference Path" : "path");
  if(!*out)
    return bad_text(L, s, what, why);
  if((flags & PATH_NO_CONTEXT) && jpath_is_context(*out))
    return bad(L, s, "%s cannot refer to the context object ($$)", key);
  return SFL_OK;
}

static enum sfl_status get_tmpl(struct loader *L, const struct state *s, const cJSON *obj,
                                const char *key, const struct tmpl **out)
{
  const cJSON *j = json_get(obj, key);
  char why[600];
  *out = NULL;
  if(!j)
    return SFL_OK;
  if(!cJSON_IsObject(j))
    return bad(L, s, "%s must be an object (a Payload Template)", key);
  *out = tmpl_compile(L->a, j, why, sizeof why);
  return *out ? SFL_OK : bad_text(L, s, key, why);
}

static enum sfl_status get_str(struct loader *L, const struct state *s, const cJSON *obj,
                               const char *key, const char **out)
{
  const cJSON *j = json_get(obj, key);
  if(j && !cJSON_IsString(j))
    return bad(L, s, "%s must be a string", key);
  if(j)
    *out = j->valuestring;
  return SFL_OK;
}

/* {============ Retry and Catch */

static enum sfl_status load_error_names(struct loader *L, const struct state *s,
                                        const cJSON *rule, const char *what, int last,
                                        const char ***out, size_t *n)
{
  const cJSON *eq = json_get(rule, "ErrorEquals");
  int size = cJSON_GetArraySize(eq);
  if(!cJSON_IsArray(eq) || !size)
    return bad(L, s, "each %s needs ErrorEquals, a non-empty array of error names", what);
  *out = arena_alloc(L->a, (size_t)size * sizeof **out);
  if(!*out)
    return diag_nomem(L->d);
  *n = 0;
  for(const cJSON *e = eq->child; e; e = e->next) {
    if(!cJSON_IsString(e))
      return bad(L, s, "ErrorEquals of a %s must hold strings", what);
    if(!strcmp(e->valuestring, "States.ALL") && (size > 1 || !last))
      return bad(L, s, "States.ALL must appear alone in ErrorEquals, and in the last %s", what);
    (*out)[(*n)++] = e->valuestring;
  }
  return SFL_OK;
}

static enum sfl_status check_keys(struct loader *L, const struct state *s, const cJSON *obj,
                                  const char *what, const char *const *keys)
{
  for(const cJSON *c = obj->child; c; c = c->next) {
    size_t i = 0;
    while(keys[i] && strcmp(keys[i], c->string))
      i++;
    if(!keys[i])
      return bad(L, s, "unknown field '%s' in a %s", c->string, what);
  }
  return SFL_OK;
}

static enum sfl_status load_retrier(struct loader *L, struct state *s, const cJSON *j,
                                    int last, struct retrier *r)
{
  static const char *const keys[] = {"ErrorEquals", "IntervalSeconds", "MaxAttempts",
    "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment", NULL};
  double attempts = 3;
  const char *jitter = "NONE";
  enum sfl_status rc;
  if(!cJSON_IsObject(j))
    return bad(L, s, "each Retry entry must be an object");
  if((rc = check_keys(L, s, j, "retrier", keys)) ||
     (rc = load_error_names(L, s, j, "retrier", last, &r->errors, &r->nerrors)))
    return rc;
  r->interval = 1;
  r->backoff = 2.0;
  if((rc = get_int(L, s, j, "IntervalSeconds", 1, &r->interval)) ||
     (rc = get_int(L, s, j, "MaxAttempts", 0, &attempts)) ||
     (rc = get_int(L, s, j, "MaxDelaySeconds", 1, &r->max_delay)) ||
     (rc = get_str(L, s, j, "JitterStrategy", &jitter)))
    return rc;
  r->max_attempts = (long)attempts;
  const cJSON *b = json_get(j, "BackoffRate");
  if(b && (!cJSON_IsNumber(b) || b->valuedouble < 1.0))
    return bad(L, s, "BackoffRate must be a number of at least 1.0");
  if(b)
    r->backoff = b->valuedouble;
  if(strcmp(jitter, "FULL") && strcmp(jitter, "NONE"))
    return bad(L, s, "JitterStrategy must be \"FULL\" or \"NONE\"");
  r->jitter = !strcmp(jitter, "FULL");
  return SFL_OK;
}

static enum sfl_status load_catcher(struct loader *L, struct state *s, const cJSON *j,
                                    int last, struct catcher *c)
{
  static const char *const keys[] = {"ErrorEquals", "Next", "ResultPath", "Comment", NULL};
  enum sfl_status rc;
  if(!cJSON_IsObject(j))
    return bad(L, s, "each Catch entry must be an object");
  if((rc = check_keys(L, s, j, "catcher", keys)) ||
     (rc = load_error_names(L, s, j, "catcher", last, &c->errors, &c->nerrors)) ||
     (rc = get_str(L, s, j, "Next", &c->next_name)) ||
     (rc = get_path(L, s, j, "ResultPath", JPATH_REFERENCE | PATH_NULL | PATH_NO_CONTEXT,
                    &c->result_path, &c->result_null)))
    return rc;
  if(!c->next_name)
    return bad(L, s, "each catcher needs Next");
  return SFL_OK;
}

static enum sfl_status load_retry_catch(struct loader *L, struct state *s)
{
  const cJSON *retry = json_get(s->json, "Retry"), *catches = json_get(s->json, "Catch");
  enum sfl_status rc;
  if((retry && !cJSON_IsArray(retry)) || (catches && !cJSON_IsArray(catches)))
    return bad(L, s, "Retry and Catch must be arrays");
  s->nretry = (size_t)cJSON_GetArraySize(retry);
  s->ncatch = (size_t)cJSON_GetArraySize(catches);
  s->retry = arena_alloc(L->a, (s->nretry + 1) * sizeof *s->retry);
  s->catches = arena_alloc(L->a, (s->ncatch + 1) * sizeof *s->catches);
  if(!s->retry || !s->catches)
    return diag_nomem(L->d);
  size_t i = 0;
  for(const cJSON *j = retry ? retry->child : NULL; j; j = j->next, i++)
    if((rc = load_retrier(L, s, j, !j->next, &s->retry[i])))
      return rc;
  i = 0;
  for(const cJSON *j = catches ? catches->child : NULL; j; j = j->next, i++)
    if((rc = load_catcher(L, s, j, !j->next, &s->catches[i])))
      return rc;
  return SFL_OK;
}

/* }============ */

static struct machine *load_machine(struct loader *L, const cJSON *j, int jsonata,
                                    const char *where, int processor);

static enum sfl_status load_common(struct loader *L, struct state *s)
{
  const cJSON *j = s->json;
  unsigned bit = 1u << s->type;
  for(const cJSON *c = j->child; c; c = c->next) {
    const struct field *f = state_fields;
    while(f->name && strcmp(f->name, c->string))
      f++;
    if(f->name && !f->types)
      return bad(L, s, !strcmp(c->string, "Assign")
                 ? "workflow variables (Assign) are not supported by sfl run"
                 : "'%s' is a JSONata field; sfl run interprets JSONPath states only",
                 c->string);
    if(!f->name || !(f->types & bit))
      return bad(L, s, "unknown field '%s' for this state type", c->string);
  }
  const cJSON *end = json_get(j, "End");
  enum sfl_status rc;
  if(end && !cJSON_IsBool(end))
    return bad(L, s, "End must be a boolean");
  if((rc = get_str(L, s, j, "Next", &s->next_name)))
    return rc;
  if(bit & T_FLOW) {
    if(s->next_name && cJSON_IsTrue(end))
      return bad(L, s, "has both Next and End; a state either goes on or ends");
    if(!s->next_name && !cJSON_IsTrue(end))
      return bad(L, s, "needs Next (the state to go to) or \"End\": true");
  }
  if((rc = get_path(L, s, j, "InputPath", PATH_NULL, &s->input_path, &s->input_null)) ||
     (rc = get_path(L, s, j, "OutputPath", PATH_NULL, &s->output_path, &s->output_null)) ||
     (rc = get_path(L, s, j, "ResultPath", JPATH_REFERENCE | PATH_NULL | PATH_NO_CONTEXT,
                    &s->result_path, &s->result_null)) ||
     (rc = get_tmpl(L, s, j, "ResultSelector", &s->result_selector)))
    return rc;
  if(s->type != ST_MAP && (rc = get_tmpl(L, s, j, "Parameters", &s->parameters)))
    return rc;
  s->result = json_get(j, "Result");
  return (bit & T_ERRORS) ? load_retry_catch(L, s) : SFL_OK;
}

/* {============ per state type */

static enum sfl_status load_task(struct loader *L, struct state *s)
{
  double timeout = 0, heartbeat = 0;
  enum sfl_status rc;
  s->resource = json_get(s->json, "Resource");
  if(!cJSON_IsString(s->resource))
    return bad(L, s, "needs Resource, a string (the ARN of what it runs)");
  size_t n = strlen(s->resource->valuestring);
  s->task_token = n > 17 && !strcmp(s->resource->valuestring + n - 17, ".waitForTaskToken");
  if((rc = get_int(L, s, s->json, "TimeoutSeconds", 1, &timeout)) ||
     (rc = get_int(L, s, s->json, "HeartbeatSeconds", 1, &heartbeat)) ||
     (rc = get_path(L, s, s->json, "TimeoutSecondsPath", JPATH_REFERENCE, &s->timeout_path,
                    NULL)) ||
     (rc = get_path(L, s, s->json, "HeartbeatSecondsPath", JPATH_REFERENCE,
                    &s->heartbeat_path, NULL)))
    return rc;
  if((timeout && s->timeout_path) || (heartbeat && s->heartbeat_path))
    return bad(L, s, "give TimeoutSeconds or TimeoutSecondsPath (and HeartbeatSeconds or "
                     "HeartbeatSecondsPath), not both");
  if(timeout && heartbeat && heartbeat >= timeout)
    return bad(L, s, "HeartbeatSeconds must be smaller than TimeoutSeconds");
  s->timeout = (long)timeout;
  s->heartbeat = (long)heartbeat;
  return SFL_OK;
}

static enum sfl_status load_choice(struct loader *L, struct state *s)
{
  const cJSON *choices = json_get(s->json, "Choices");
  enum sfl_status rc;
  if(!cJSON_IsArray(choices) || !cJSON_GetArraySize(choices))
    return bad(L, s, "needs Choices, a non-empty array of Choice Rules");
  s->nchoices = (size_t)cJSON_GetArraySize(choices);
  s->choices = arena_alloc(L->a, s->nchoices * sizeof *s->choices);
  if(!s->choices)
    return diag_nomem(L->d);
  size_t i = 0;
  for(const cJSON *c = choices->child; c; c = c->next, i++) {
    char why[600], what[64];
    snprintf(what, sizeof what, "Choices[%zu]", i);
    if(choice_compile(L->a, c, 1, &s->choices[i], why, sizeof why))
      return bad_text(L, s, what, why);
  }
  if((rc = get_str(L, s, s->json, "Default", &s->default_name)))
    return rc;
  return SFL_OK;
}

static enum sfl_status load_wait(struct loader *L, struct state *s)
{
  static const char *const keys[] = {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"};
  static const char kinds[] = "STst";
  const cJSON *j = NULL;
  int found = 0;
  for(int i = 0; i < 4; i++)
    if(json_get(s->json, keys[i])) {
      found++;
      s->wait_kind = kinds[i];
      j = json_get(s->json, keys[i]);
    }
  if(found != 1)
    return bad(L, s, "needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath");
  if(s->wait_kind == 'S') {
    if(!is_int(j) || j->valuedouble < 0)
      return bad(L, s, "Seconds must be a non-negative integer");
    s->seconds = j->valuedouble;
  }
  else if(s->wait_kind == 'T') {
    if(!cJSON_IsString(j) || rfc3339_parse(j->valuestring, &s->timestamp))
      return bad(L, s, "Timestamp must be an RFC 3339 timestamp such as "
                       "\"2016-03-14T01:59:00Z\"");
  }
  else
    return get_path(L, s, s->json, keys[s->wait_kind == 's' ? 2 : 3], JPATH_REFERENCE,
                    &s->wait_path, NULL);
  return SFL_OK;
}

static enum sfl_status get_dynval(struct loader *L, struct state *s, const char *key,
                                  struct dynval *out)
{
  const cJSON *j = json_get(s->json, key);
  char why[600];
  if(!j)
    return SFL_OK;
  if(!cJSON_IsString(j))
    return bad(L, s, "%s must be a string", key);
  return dynval_compile(L->a, j->valuestring, out, why, sizeof why) ? bad_text(L, s, key, why)
                                                                     : SFL_OK;
}

static enum sfl_status load_fail(struct loader *L, struct state *s)
{
  enum sfl_status rc;
  if((rc = get_str(L, s, s->json, "Error", &s->error)) ||
     (rc = get_str(L, s, s->json, "Cause", &s->cause)) ||
     (rc = get_dynval(L, s, "ErrorPath", &s->error_path)) ||
     (rc = get_dynval(L, s, "CausePath", &s->cause_path)))
    return rc;
  if((s->error && json_get(s->json, "ErrorPath")) || (s->cause && json_get(s->json, "CausePath")))
    return bad(L, s, "give Error or ErrorPath (and Cause or CausePath), not both");
  return SFL_OK;
}

static enum sfl_status load_parallel(struct loader *L, struct state *s, int jsonata)
{
  const cJSON *branches = json_get(s->json, "Branches");
  if(!cJSON_IsArray(branches) || !cJSON_GetArraySize(branches))
    return bad(L, s, "needs Branches, a non-empty array of state machines");
  s->nbranches = (size_t)cJSON_GetArraySize(branches);
  s->branches = arena_alloc(L->a, s->nbranches * sizeof *s->branches);
  if(!s->branches)
    return diag_nomem(L->d);
  size_t i = 0;
  for(const cJSON *b = branches->child; b; b = b->next, i++) {
    char where[200];
    snprintf(where, sizeof where, "branch %zu of state '%s'", i + 1, s->name);
    if(!(s->branches[i] = load_machine(L, b, jsonata, where, 0)))
      return L->d->status;
  }
  return SFL_OK;
}

/* }============ */

/* {============ Map */

static enum sfl_status load_batcher(struct loader *L, struct state *s, const cJSON *b)
{
  static const char *const keys[] = {"MaxItemsPerBatch", "MaxItemsPerBatchPath",
    "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput", NULL};
  enum sfl_status rc;
  if(!cJSON_IsObject(b))
    return bad(L, s, "ItemBatcher must be an object");
  if((rc = check_keys(L, s, b, "ItemBatcher", keys)) ||
     (rc = get_int(L, s, b, "MaxItemsPerBatch", 1, &s->batch_items)) ||
     (rc = get_int(L, s, b, "MaxInputBytesPerBatch", 1, &s->batch_bytes)) ||
     (rc = get_path(L, s, b, "MaxItemsPerBatchPath", JPATH_REFERENCE, &s->batch_items_path,
                    NULL)) ||
     (rc = get_path(L, s, b, "MaxInputBytesPerBatchPath", JPATH_REFERENCE,
                    &s->batch_bytes_path, NULL)) ||
     (rc = get_tmpl(L, s, b, "BatchInput", &s->batch_input)))
    return rc;
  if(!s->batch_items && !s->batch_bytes && !s->batch_items_path && !s->batch_bytes_path)
    return bad(L, s, "ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch "
                     "(or their Path forms)");
  s->batching = 1;
  return SFL_OK;
}

static enum sfl_status load_reader(struct loader *L, struct state *s, const cJSON *r)
{
  static const char *const keys[] = {"Resource", "Parameters", "ReaderConfig", NULL};
  const cJSON *config = json_get(r, "ReaderConfig");
  enum sfl_status rc;
  if(!cJSON_IsObject(r))
    return bad(L, s, "ItemReader must be an object");
  if((rc = check_keys(L, s, r, "ItemReader", keys)) ||
     (rc = get_tmpl(L, s, r, "Parameters", &s->reader_params)))
    return rc;
  s->reader_resource = json_get(r, "Resource");
  if(!cJSON_IsString(s->reader_resource))
    return bad(L, s, "ItemReader needs Resource, a string");
  if(config && !cJSON_IsObject(config))
    return bad(L, s, "ReaderConfig must be an object");
  if((rc = get_int(L, s, config, "MaxItems", 0, &s->reader_max_items)) ||
     (rc = get_path(L, s, config, "MaxItemsPath", JPATH_REFERENCE, &s->reader_max_items_path,
                    NULL)))
    return rc;
  return SFL_OK;
}

static enum sfl_status load_tolerance(struct loader *L, struct state *s)
{
  const cJSON *pct = json_get(s->json, "ToleratedFailurePercentage");
  enum sfl_status rc;
  s->tolerated_pct = s->tolerated_count = -1;
  if(pct && (!cJSON_IsNumber(pct) || pct->valuedouble < 0 || pct->valuedouble > 100))
    return bad(L, s, "ToleratedFailurePercentage must be a number from 0 to 100");
  if(pct)
    s->tolerated_pct = pct->valuedouble;
  if((rc = get_int(L, s, s->json, "ToleratedFailureCount", 0, &s->tolerated_count)) ||
     (rc = get_path(L, s, s->json, "ToleratedFailurePercentagePath", JPATH_REFERENCE,
                    &s->tolerated_pct_path, NULL)) ||
     (rc = get_path(L, s, s->json, "ToleratedFailureCountPath", JPATH_REFERENCE,
                    &s->tolerated_count_path, NULL)))
    return rc;
  s->tolerate = s->tolerated_pct >= 0 || s->tolerated_count >= 0 || s->tolerated_pct_path ||
                s->tolerated_count_path;
  return SFL_OK;
}

static enum sfl_status load_map(struct loader *L, struct state *s, int jsonata)
{
  const cJSON *proc = json_get(s->json, "ItemProcessor"), *iter = json_get(s->json, "Iterator");
  const struct tmpl *sel, *params;
  const cJSON *j;
  double concurrency = 0;
  enum sfl_status rc;
  char where[200];
  if(!proc == !iter)
    return bad(L, s, "needs an ItemProcessor (or the older Iterator), and only one");
  snprintf(where, sizeof where, "the %s of state '%s'", proc ? "ItemProcessor" : "Iterator",
           s->name);
  if(!(s->processor = load_machine(L, proc ? proc : iter, jsonata, where, 1)))
    return L->d->status;
  if((rc = get_path(L, s, s->json, "ItemsPath", JPATH_REFERENCE, &s->items_path, NULL)) ||
     (rc = get_tmpl(L, s, s->json, "ItemSelector", &sel)) ||
     (rc = get_tmpl(L, s, s->json, "Parameters", &params)) ||
     (rc = get_int(L, s, s->json, "MaxConcurrency", 0, &concurrency)) ||
     (rc = get_path(L, s, s->json, "MaxConcurrencyPath", JPATH_REFERENCE,
                    &s->max_concurrency_path, NULL)) ||
     (rc = load_tolerance(L, s)))
    return rc;
  if(sel && params)
    return bad(L, s, "give ItemSelector or Parameters (its older name), not both");
  s->item_selector = sel ? sel : params;
  if((j = json_get(s->json, "ItemBatcher")) && (rc = load_batcher(L, s, j)))
    return rc;
  if((j = json_get(s->json, "ItemReader")) && (rc = load_reader(L, s, j)))
    return rc;
  if((j = json_get(s->json, "ResultWriter")) && !cJSON_IsObject(j))
    return bad(L, s, "ResultWriter must be an object");
  if((j = json_get(s->json, "Label")) && !cJSON_IsString(j))
    return bad(L, s, "Label must be a string");
  return SFL_OK;
}

/* }============ */

/* {============ states and machines */

static enum sfl_status load_state(struct loader *L, struct machine *m, const cJSON *j,
                                  int jsonata, struct state **out)
{
  struct state *s = arena_alloc(L->a, sizeof *s);
  if(!s)
    return diag_nomem(L->d);
  s->name = j->string;
  s->json = j;
  const cJSON *type = json_get(j, "Type"), *ql = json_get(j, "QueryLanguage");
  if(!cJSON_IsObject(j))
    return bad(L, NULL, "state '%s' must be an object", s->name);
  int t = 0;
  while(t <= ST_MAP && !(cJSON_IsString(type) && !strcmp(type->valuestring, run_state_types[t])))
    t++;
  if(t > ST_MAP)
    return bad(L, NULL, "state '%s': Type must be one of Pass, Task, Choice, Wait, Succeed, "
                        "Fail, Parallel or Map", s->name);
  s->type = (enum state_type)t;
  if(ql && !(cJSON_IsString(ql) && (!strcmp(ql->valuestring, "JSONPath") ||
                                    !strcmp(ql->valuestring, "JSONata"))))
    return bad(L, s, "QueryLanguage must be \"JSONPath\" or \"JSONata\"");
  if(ql)
    jsonata = !strcmp(ql->valuestring, "JSONata");
  if(jsonata)
    return bad(L, s, "uses the JSONata query language%s; sfl run interprets JSONPath states "
                     "only", ql ? "" : " (set for the whole state machine)");
  if(strmap_get(&L->all, s->name))
    return bad(L, s, "another state has the same name; names must be unique in the whole "
                     "state machine, branches included");
  if(strmap_set(L->a, &L->all, s->name, s) || strmap_set(L->a, &m->names, s->name, s))
    return diag_nomem(L->d);
  *out = s;
  enum sfl_status rc = load_common(L, s);
  if(rc)
    return rc;
  switch(s->type) {
  case ST_TASK: return load_task(L, s);
  case ST_CHOICE: return load_choice(L, s);
  case ST_WAIT: return load_wait(L, s);
  case ST_FAIL: return load_fail(L, s);
  case ST_PARALLEL: return load_parallel(L, s, jsonata);
  case ST_MAP: return load_map(L, s, jsonata);
  default: return SFL_OK;
  }
}

static enum sfl_status resolve(struct loader *L, const struct machine *m, const struct state *s,
                               const char *field, const char *name, const struct state **out)
{
  *out = strmap_get(&m->names, name);
  if(*out)
    return SFL_OK;
  if(strmap_get(&L->all, name))
    return bad(L, s, "%s '%s' names a state of another branch or machine; a transition cannot "
                     "leave its own", field, name);
  return bad(L, s, "%s '%s' is not the name of any state", field, name);
}

static enum sfl_status resolve_state(struct loader *L, const struct machine *m, struct state *s)
{
  enum sfl_status rc = SFL_OK;
  if(s->next_name && (rc = resolve(L, m, s, "Next", s->next_name, &s->next)))
    return rc;
  if(s->default_name && (rc = resolve(L, m, s, "Default", s->default_name, &s->default_next)))
    return rc;
  for(size_t i = 0; i < s->nchoices; i++)
    if((rc = resolve(L, m, s, "the Next of a Choice Rule", s->choices[i]->next_name,
                     &s->choices[i]->next)))
      return rc;
  for(size_t i = 0; i < s->ncatch; i++)
    if((rc = resolve(L, m, s, "the Next of a catcher", s->catches[i].next_name,
                     &s->catches[i].next)))
      return rc;
  return rc;
}

static struct machine *load_machine(struct loader *L, const cJSON *j, int jsonata,
                                    const char *where, int processor)
{
  static const char *const keys[] = {"StartAt", "States", "Comment", "Version",
    "TimeoutSeconds", "QueryLanguage", "ProcessorConfig", NULL};
  struct machine *m = arena_alloc(L->a, sizeof *m);
  if(!m) {
    diag_nomem(L->d);
    return NULL;
  }
  if(!cJSON_IsObject(j)) {
    bad(L, NULL, "%s must be an object with StartAt and States", where);
    return NULL;
  }
  for(const cJSON *c = j->child; c; c = c->next) {
    size_t k = 0;
    while(keys[k] && strcmp(keys[k], c->string))
      k++;
    if(!keys[k] || (k == 6 && !processor)) {
      bad(L, NULL, "%s: unknown field '%s'", where, c->string);
      return NULL;
    }
  }
  const cJSON *start = json_get(j, "StartAt"), *states = json_get(j, "States");
  if(!cJSON_IsString(start)) {
    bad(L, NULL, "%s has no StartAt (the name of its first state)", where);
    return NULL;
  }
  if(!cJSON_IsObject(states) || !states->child) {
    bad(L, NULL, "%s has no States (an object of named states)", where);
    return NULL;
  }
  m->where = arena_strdup(L->a, where);
  m->start_name = start->valuestring;
  m->n = (size_t)cJSON_GetArraySize(states);
  if(!m->where || vec_push(L->a, &L->machines, m)) {
    diag_nomem(L->d);
    return NULL;
  }
  m->states = arena_alloc(L->a, m->n * sizeof *m->states);
  if(!m->states) {
    diag_nomem(L->d);
    return NULL;
  }
  size_t i = 0;
  for(const cJSON *c = states->child; c; c = c->next, i++)
    if(load_state(L, m, c, jsonata, &m->states[i]))
      return NULL;
  return m;
}

/* Names are resolved once every state of the document is known, so that a transition
   out of a branch can be told from a transition to nowhere. */
static enum sfl_status resolve_machine(struct loader *L, struct machine *m)
{
  enum sfl_status rc;
  m->start = strmap_get(&m->names, m->start_name);
  if(!m->start)
    return bad(L, NULL, "%s: StartAt '%s' is not the name of one of its states", m->where,
               m->start_name);
  for(size_t i = 0; i < m->n; i++)
    if((rc = resolve_state(L, m, m->states[i])))
      return rc;
  return SFL_OK;
}

enum sfl_status run_load(struct arena *a, const cJSON *asl, struct machine **out,
                         long *timeout_seconds, struct diag *d)
{
  struct loader L = {a, d, {0}, {0}};
  const cJSON *ql = json_get(asl, "QueryLanguage");
  double timeout = 0;
  *out = NULL;
  *timeout_seconds = 0;
  if(!cJSON_IsObject(asl))
    return bad(&L, NULL, "a state machine must be a JSON object");
  if(ql && !(cJSON_IsString(ql) && (!strcmp(ql->valuestring, "JSONPath") ||
                                    !strcmp(ql->valuestring, "JSONata"))))
    return bad(&L, NULL, "QueryLanguage must be \"JSONPath\" or \"JSONata\"");
  enum sfl_status rc = get_int(&L, NULL, asl, "TimeoutSeconds", 1, &timeout);
  if(rc)
    return rc;
  *timeout_seconds = (long)timeout;
  *out = load_machine(&L, asl, ql && !strcmp(ql->valuestring, "JSONata"), "the state machine", 0);
  if(!*out)
    return d->status;
  for(size_t i = 0; i < L.machines.n; i++)
    if((rc = resolve_machine(&L, L.machines.items[i]))) {
      *out = NULL;
      return rc;
    }
  return SFL_OK;
}

/* }============ */
