/*
** render.c: states to ASL JSON. Every field has one renderer; each state type lists
** its fields in CDK's order (the tables below), so no key is rendered in two places.
*/
#include "asl/render.h"

#include <string.h>

enum field {
  F_END = 0, F_TYPE, F_COMMENT, F_RESULT, F_RESULT_PATH, F_INPUT_PATH, F_PARAMETERS,
  F_OUTPUT_PATH, F_NEXT_END, F_RETRY, F_CATCH, F_BRANCHES, F_RESULT_SELECTOR, F_CHOICES,
  F_DEFAULT, F_ERROR, F_CAUSE, F_TIMEOUT, F_HEARTBEAT, F_RESOURCE, F_TASK_PARAMETERS
};

/* Key order per type (toStateJson in aws-stepfunctions/lib/states). */
static const enum field pass_fields[] = {
  F_TYPE, F_COMMENT, F_RESULT, F_RESULT_PATH, F_INPUT_PATH, F_PARAMETERS, F_OUTPUT_PATH,
  F_NEXT_END, F_END};
static const enum field succeed_fields[] = {
  F_TYPE, F_COMMENT, F_INPUT_PATH, F_PARAMETERS, F_OUTPUT_PATH, F_END};
static const enum field fail_fields[] = {F_TYPE, F_COMMENT, F_ERROR, F_CAUSE, F_END};
static const enum field choice_fields[] = {
  F_TYPE, F_COMMENT, F_INPUT_PATH, F_PARAMETERS, F_OUTPUT_PATH, F_CHOICES, F_DEFAULT, F_END};
static const enum field parallel_fields[] = {
  F_TYPE, F_COMMENT, F_RESULT_PATH, F_NEXT_END, F_INPUT_PATH, F_OUTPUT_PATH, F_RETRY,
  F_CATCH, F_BRANCHES, F_RESULT_SELECTOR, F_PARAMETERS, F_END};
static const enum field wait_fields[] = {
  F_TYPE, F_COMMENT, F_INPUT_PATH, F_PARAMETERS, F_OUTPUT_PATH, F_NEXT_END, F_END};
static const enum field map_fields[] = {
  F_TYPE, F_COMMENT, F_RESULT_PATH, F_NEXT_END, F_INPUT_PATH, F_PARAMETERS, F_OUTPUT_PATH,
  F_RESULT_SELECTOR, F_RETRY, F_CATCH, F_END};
static const enum field task_fields[] = {
  F_NEXT_END, F_RETRY, F_CATCH, F_TYPE, F_COMMENT, F_TIMEOUT, F_HEARTBEAT, F_INPUT_PATH,
  F_OUTPUT_PATH, F_RESULT_PATH, F_RESULT_SELECTOR, F_RESOURCE, F_TASK_PARAMETERS, F_END};

static const enum field *const type_fields[ASL_TYPE_COUNT] = {
  [ASL_PASS] = pass_fields, [ASL_WAIT] = wait_fields, [ASL_SUCCEED] = succeed_fields,
  [ASL_FAIL] = fail_fields, [ASL_CHOICE] = choice_fields, [ASL_PARALLEL] = parallel_fields,
  [ASL_MAP] = map_fields, [ASL_TASK] = task_fields,
};

/* {============ renderObject */

const char *asl_check_object(const cJSON *o)
{
  if(!o)
    return NULL;
  for(const cJSON *c = o->child; c; c = c->next) {
    if(cJSON_IsArray(o) && json_has(c, JSON_PATH))
      return "Cannot use JsonPath fields in an array, they must be used in objects";
    if((cJSON_IsObject(c) && !json_has(c, JSON_INTRINSIC)) || cJSON_IsArray(c)) {
      const char *bad = json_has(c, JSON_CONCAT) ? NULL : asl_check_object(c);
      if(bad)
        return bad;
    }
  }
  return NULL;
}

cJSON *asl_render_object(const cJSON *o)
{
  if(!o)
    return NULL;
  if(json_has(o, JSON_INTRINSIC | JSON_CONCAT) || !(cJSON_IsObject(o) || cJSON_IsArray(o)))
    return json_dup(o);
  int obj = cJSON_IsObject(o);
  cJSON *out = obj ? cJSON_CreateObject() : cJSON_CreateArray();
  for(const cJSON *c = o->child; c && out; c = c->next) {
    cJSON *v = asl_render_object(c);
    cJSON *ok;
    if(obj && json_has(c, JSON_PATH)) {
      size_t n = strlen(c->string);
      char *key = cJSON_malloc(n + 3);
      if(key) {
        memcpy(key, c->string, n);
        memcpy(key + n, ".$", 3);
      }
      v->type &= ~JSON_PATH;
      ok = key ? json_put(out, key, v) : (cJSON_Delete(v), NULL);
      cJSON_free(key);
    }
    else
      ok = obj ? json_put(out, c->string, v) : json_push(out, v);
    if(!ok) {
      cJSON_Delete(out);
      out = NULL;
    }
  }
  return out;
}

/* }============ */

static int has_all(const cJSON *errors)
{
  for(const cJSON *e = errors ? errors->child : NULL; e; e = e->next)
    if(cJSON_IsString(e) && !strcmp(e->valuestring, "States.ALL"))
      return 1;
  return 0;
}

/* CDK sorts Retry and Catch stably, moving lists with States.ALL last. */
static void order_by_all(void **items, size_t n, void **out, const cJSON *(*errors)(void *))
{
  size_t k = 0;
  for(int pass = 0; pass < 2; pass++)
    for(size_t i = 0; i < n; i++)
      if(has_all(errors(items[i])) == pass)
        out[k++] = items[i];
}

static const cJSON *retry_errors(void *r) { return ((struct asl_retry *)r)->errors; }
static const cJSON *catch_errors(void *c) { return ((struct asl_catch *)c)->errors; }

static cJSON *render_retries(const struct asl_state *s)
{
  if(!s->retries.n)
    return NULL;
  void *sorted[s->retries.n];
  order_by_all(s->retries.items, s->retries.n, sorted, retry_errors);
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < s->retries.n; i++) {
    const struct asl_retry *r = sorted[i];
    cJSON *o = json_push(list, cJSON_CreateObject());
    json_put(o, "ErrorEquals", json_dup(r->errors));
    json_put(o, "IntervalSeconds", json_dup(r->interval));
    json_put(o, "MaxAttempts", json_dup(r->max_attempts));
    json_put(o, "BackoffRate", json_dup(r->backoff_rate));
    json_put(o, "MaxDelaySeconds", json_dup(r->max_delay));
    json_put(o, "JitterStrategy", json_dup(r->jitter));
  }
  return list;
}

static cJSON *render_catches(const struct asl_state *s)
{
  if(!s->catches.n)
    return NULL;
  void *sorted[s->catches.n];
  order_by_all(s->catches.items, s->catches.n, sorted, catch_errors);
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < s->catches.n; i++) {
    const struct asl_catch *c = sorted[i];
    cJSON *o = json_push(list, cJSON_CreateObject());
    json_put(o, "ErrorEquals", json_dup(c->errors));
    json_put(o, "ResultPath", json_dup(c->result_path));
    json_put_str(o, "Next", asl_state_name(c->next));
  }
  return list;
}

static cJSON *render_choices(const struct asl_state *s)
{
  if(!s->choices.n)
    return NULL;
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < s->choices.n; i++) {
    const struct asl_choice *c = s->choices.items[i];
    cJSON *o = json_push(list, json_dup(c->condition));
    json_put_str(o, "Next", asl_state_name(c->next));
    json_put_str(o, "Comment", c->comment);
  }
  return list;
}

static cJSON *render_branches(const struct asl_state *s)
{
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < s->branches.n; i++)
    json_push(list, asl_render_graph(s->branches.items[i]));
  return list;
}

static void render_field(cJSON *o, const struct asl_state *s, enum field f)
{
  switch(f) {
  case F_END: break;
  case F_TYPE: json_put_str(o, "Type", asl_types[s->type].type); break;
  case F_COMMENT: json_put(o, "Comment", json_dup(s->comment)); break;
  case F_RESULT: json_put(o, "Result", asl_render_object(s->result)); break;
  case F_RESULT_PATH: json_put(o, "ResultPath", json_dup(s->result_path)); break;
  case F_INPUT_PATH: json_put(o, "InputPath", json_dup(s->input_path)); break;
  case F_OUTPUT_PATH: json_put(o, "OutputPath", json_dup(s->output_path)); break;
  case F_PARAMETERS: json_put(o, "Parameters", asl_render_object(s->parameters)); break;
  case F_RESULT_SELECTOR:
    json_put(o, "ResultSelector", asl_render_object(s->result_selector));
    break;
  case F_NEXT_END:
    if(s->next)
      json_put_str(o, "Next", asl_state_name(s->next));
    else
      json_put_bool(o, "End", 1);
    break;
  case F_RETRY: json_put(o, "Retry", render_retries(s)); break;
  case F_CATCH: json_put(o, "Catch", render_catches(s)); break;
  case F_BRANCHES: json_put(o, "Branches", render_branches(s)); break;
  case F_CHOICES: json_put(o, "Choices", render_choices(s)); break;
  case F_DEFAULT:
    if(s->default_next)
      json_put_str(o, "Default", asl_state_name(s->default_next));
    break;
  case F_ERROR: json_put(o, "Error", json_dup(s->error)); break;
  case F_CAUSE: json_put(o, "Cause", json_dup(s->cause)); break;
  case F_TIMEOUT: json_put(o, "TimeoutSeconds", json_dup(s->timeout)); break;
  case F_HEARTBEAT: json_put(o, "HeartbeatSeconds", json_dup(s->heartbeat)); break;
  case F_RESOURCE: json_put(o, "Resource", json_dup(s->resource)); break;
  case F_TASK_PARAMETERS:
    json_put(o, "Parameters", asl_render_object(s->task_params));
    break;
  }
}

cJSON *asl_render_state(const struct asl_state *s)
{
  cJSON *o = cJSON_CreateObject();
  for(const enum field *f = type_fields[s->type]; o && *f != F_END; f++)
    render_field(o, s, *f);
  return o;
}

cJSON *asl_render_graph(const struct asl_graph *g)
{
  cJSON *doc = cJSON_CreateObject();
  json_put_str(doc, "StartAt", asl_state_name(g->start));
  cJSON *states = json_put(doc, "States", cJSON_CreateObject());
  for(size_t i = 0; i < g->states.n && states; i++) {
    const struct asl_state *s = g->states.items[i];
    json_put(states, asl_state_name(s), asl_render_state(s));
  }
  return doc;
}
