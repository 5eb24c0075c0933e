/*
** render.c: states to ASL JSON. Every field has one renderer; each state type lists
** its fields in CDK's order (the tables below), so no key is rendered in two places.
*/
#include "asl/render.h"

#include <stdio.h>
#include <string.h>

enum field {
  F_END = 0, F_TYPE, F_COMMENT, F_RESULT, F_RESULT_PATH, F_INPUT_PATH, F_PARAMETERS,
  F_OUTPUT_PATH, F_NEXT_END, F_RETRY, F_CATCH, F_BRANCHES, F_RESULT_SELECTOR, F_CHOICES,
  F_DEFAULT, F_ERROR, F_ERROR_PATH, F_CAUSE, F_CAUSE_PATH, F_TIMEOUT, F_HEARTBEAT,
  F_RESOURCE, F_TASK_PARAMETERS, F_WAIT_TIME, F_ITEMS_PATH, F_ITEM_SELECTOR,
  F_ITEM_PROCESSOR, F_MAX_CONCURRENCY, F_MAX_CONCURRENCY_PATH, F_ITERATOR, F_ASSIGN,
  F_QL, F_ARGUMENTS, F_OUTPUT, F_ITEMS, F_TIMEOUT_PATH, F_HEARTBEAT_PATH, F_DISTRIBUTED
};

/* Key order per type (toStateJson in aws-stepfunctions/lib/states). */
#define IO F_INPUT_PATH, F_PARAMETERS, F_OUTPUT_PATH, F_ARGUMENTS, F_OUTPUT
static const enum field pass_fields[] = {
  F_TYPE, F_QL, F_COMMENT, F_RESULT, F_RESULT_PATH, IO, F_NEXT_END, F_ASSIGN, F_END};
static const enum field succeed_fields[] = {F_TYPE, F_QL, F_COMMENT, IO, F_END};
static const enum field fail_fields[] = {
  F_TYPE, F_QL, F_COMMENT, F_ERROR, F_ERROR_PATH, F_CAUSE, F_CAUSE_PATH, F_END};
static const enum field choice_fields[] = {
  F_TYPE, F_QL, F_COMMENT, IO, F_CHOICES, F_DEFAULT, F_ASSIGN, F_END};
static const enum field parallel_fields[] = {
  F_TYPE, F_QL, F_COMMENT, F_RESULT_PATH, F_NEXT_END, IO, F_RETRY, F_CATCH, F_BRANCHES,
  F_RESULT_SELECTOR, F_ASSIGN, F_END};
static const enum field wait_fields[] = {
  F_TYPE, F_QL, F_COMMENT, F_WAIT_TIME, IO, F_NEXT_END, F_ASSIGN, F_END};
/* MapBase.toStateJson, then Map's own Parameters (already placed) and Iterator. */
static const enum field map_fields[] = {
  F_TYPE, F_QL, F_COMMENT, F_RESULT_PATH, F_NEXT_END, IO, F_RESULT_SELECTOR, F_RETRY, F_CATCH,
  F_ITEMS, F_ITEMS_PATH, F_ITEM_SELECTOR, F_ITEM_PROCESSOR, F_MAX_CONCURRENCY,
  F_MAX_CONCURRENCY_PATH, F_ASSIGN, F_DISTRIBUTED, F_ITERATOR, F_END};
/* A task's integration fills Arguments (JSONata, at its place here) or Parameters. */
static const enum field task_fields[] = {
  F_QL, F_NEXT_END, F_RETRY, F_CATCH, F_TYPE, F_COMMENT, F_TIMEOUT, F_TIMEOUT_PATH,
  F_HEARTBEAT, F_HEARTBEAT_PATH, F_INPUT_PATH,
  F_OUTPUT_PATH, F_RESULT_PATH, F_ARGUMENTS, F_OUTPUT, F_RESULT_SELECTOR, F_ASSIGN,
  F_RESOURCE, F_TASK_PARAMETERS, F_END};
/* CustomState: Next/End, then the user's JSON, then Retry/Catch (see render_custom). */
static const enum field custom_fields[] = {F_QL, F_NEXT_END, F_END};
#undef IO

static const enum field *const type_fields[ASL_TYPE_COUNT] = {
  [ASL_PASS] = pass_fields, [ASL_WAIT] = wait_fields, [ASL_SUCCEED] = succeed_fields,
  [ASL_FAIL] = fail_fields, [ASL_CHOICE] = choice_fields, [ASL_PARALLEL] = parallel_fields,
  [ASL_MAP] = map_fields, [ASL_TASK] = task_fields, [ASL_CUSTOM] = custom_fields,
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

/*
** A number field: a JsonPath token goes to the field's path form ("Seconds" ->
** "SecondsPath"), which is how the ASL takes such values from the input (CDK renders a
** number token as a huge negative number instead). Fields without a path form refuse
** tokens when props are read.
*/
static void put_value(cJSON *o, const char *key, const char *path_key, const cJSON *v)
{
  if(!json_has(v, JSON_PATH) || !path_key) {
    json_put(o, key, asl_render_object(v));
    return;
  }
  cJSON *plain = json_dup(v);
  if(plain)
    plain->type &= ~JSON_PATH;
  json_put(o, path_key, plain);
}

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

/* What a state is rendered with: the machine's language and the state's own. */
struct rctx {
  const struct asl_state *s;
  enum asl_ql top;
  int jsonata;      /* the language this state is evaluated in */
};

/* Assign: JSONPath renders paths as "x.$"; JSONata passes it through. */
static cJSON *render_assign(const cJSON *assign, int jsonata)
{
  return jsonata ? json_dup(assign) : asl_render_object(assign);
}

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
    put_value(o, "IntervalSeconds", NULL, r->interval);
    put_value(o, "MaxAttempts", NULL, r->max_attempts);
    put_value(o, "BackoffRate", NULL, r->backoff_rate);
    put_value(o, "MaxDelaySeconds", NULL, r->max_delay);
    json_put(o, "JitterStrategy", json_dup(r->jitter));
  }
  return list;
}

static cJSON *render_catches(const struct asl_state *s, int jsonata)
{
  if(!s->catches.n)
    return NULL;
  void *sorted[s->catches.n];
  order_by_all(s->catches.items, s->catches.n, sorted, catch_errors);
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < s->catches.n; i++) {
    const struct asl_catch *c = sorted[i];
    cJSON *o = json_push(list, cJSON_CreateObject());
    if(jsonata)
      json_put(o, "Output", json_dup(c->outputs));
    json_put(o, "Assign", render_assign(c->assign, jsonata));
    json_put(o, "ErrorEquals", json_dup(c->errors));
    if(!jsonata)
      json_put(o, "ResultPath", json_dup(c->result_path));
    json_put_str(o, "Next", asl_state_name(c->next));
  }
  return list;
}

static cJSON *render_choices(const struct asl_state *s, int jsonata)
{
  if(!s->choices.n)
    return NULL;
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < s->choices.n; i++) {
    const struct asl_choice *c = s->choices.items[i];
    cJSON *o = json_push(list, json_dup(c->condition));
    if(jsonata)
      json_put(o, "Output", json_dup(c->outputs));
    json_put(o, "Assign", render_assign(c->assign, jsonata));
    json_put_str(o, "Next", asl_state_name(c->next));
    json_put_str(o, "Comment", c->comment);
  }
  return list;
}

static cJSON *render_processor(const struct asl_state *s)
{
  if(!s->processor)
    return NULL;
  cJSON *o = cJSON_CreateObject();
  cJSON *config = json_dup(s->processor_config);
  if(s->distributed) {
    /* DistributedMap: always distributed, its own execution type (distributed-map.js). */
    cJSON_Delete(config);
    config = cJSON_CreateObject();
    json_put_str(config, "Mode", "DISTRIBUTED");
    json_put(config, "ExecutionType", json_dup(s->distributed->execution_type));
  }
  if(!config) {
    config = cJSON_CreateObject();
    json_put_str(config, "Mode", "INLINE");
  }
  json_put(o, "ProcessorConfig", config);
  cJSON *graph = asl_render_graph(s->processor, ASL_QL_UNSET);
  for(cJSON *c = graph ? graph->child : NULL; c; c = c->next)
    json_put(o, c->string, json_dup(c));
  cJSON_Delete(graph);
  return o;
}

/* Wait's time object is spread into the state: {"Seconds": 30} -> "Seconds": 30. */
static void spread(cJSON *o, const cJSON *from)
{
  for(const cJSON *c = from ? from->child : NULL; c; c = c->next) {
    char path_key[64];
    snprintf(path_key, sizeof path_key, "%sPath", c->string);
    put_value(o, c->string, path_key, c);
  }
}

static cJSON *render_branches(const struct asl_state *s)
{
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; i < s->branches.n; i++)
    json_push(list, asl_render_graph(s->branches.items[i], ASL_QL_UNSET));
  return list;
}

/* An item reader or result writer: its "Parameters" are "Arguments" in JSONata. */
static cJSON *render_s3_part(const cJSON *part, int jsonata)
{
  if(!part)
    return NULL;
  cJSON *o = cJSON_CreateObject();
  for(const cJSON *c = part->child; c && o; c = c->next) {
    int args = jsonata && !strcmp(c->string, "Parameters");
    json_put(o, args ? "Arguments" : c->string, args ? json_dup(c) : asl_render_object(c));
  }
  return o;
}

/* DistributedMap's fields, after MapBase's (distributed-map.js toStateJson). */
static void render_distributed(cJSON *o, const struct asl_distributed *m, int jsonata)
{
  if(!m)
    return;
  json_put(o, "ItemReader", render_s3_part(m->item_reader, jsonata));
  json_put(o, "ItemBatcher", asl_render_object(m->item_batcher));
  json_put(o, "ToleratedFailurePercentage", json_dup(m->tolerated_percentage));
  json_put(o, "ToleratedFailurePercentagePath", json_dup(m->tolerated_percentage_path));
  json_put(o, "ToleratedFailureCount", json_dup(m->tolerated_count));
  json_put(o, "ToleratedFailureCountPath", json_dup(m->tolerated_count_path));
  json_put(o, "Label", json_dup(m->label));
  json_put(o, "ResultWriter", render_s3_part(m->result_writer, jsonata));
}

static void render_field(cJSON *o, const struct rctx *r, enum field f)
{
  const struct asl_state *s = r->s;
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
  case F_CATCH: json_put(o, "Catch", render_catches(s, r->jsonata)); break;
  case F_BRANCHES: json_put(o, "Branches", render_branches(s)); break;
  case F_CHOICES: json_put(o, "Choices", render_choices(s, r->jsonata)); break;
  case F_DEFAULT:
    if(s->default_next)
      json_put_str(o, "Default", asl_state_name(s->default_next));
    break;
  case F_ERROR: json_put(o, "Error", json_dup(s->error)); break;
  case F_ERROR_PATH: json_put(o, "ErrorPath", json_dup(s->error_path)); break;
  case F_CAUSE: json_put(o, "Cause", json_dup(s->cause)); break;
  case F_CAUSE_PATH: json_put(o, "CausePath", json_dup(s->cause_path)); break;
  case F_WAIT_TIME: spread(o, s->wait_time); break;
  case F_ITEMS_PATH: json_put(o, "ItemsPath", json_dup(s->items_path)); break;
  case F_ITEM_SELECTOR: json_put(o, "ItemSelector", asl_render_object(s->item_selector)); break;
  case F_ITEM_PROCESSOR: json_put(o, "ItemProcessor", render_processor(s)); break;
  case F_MAX_CONCURRENCY:
    if(s->max_concurrency && !(cJSON_IsNumber(s->max_concurrency)
                               && s->max_concurrency->valuedouble == 0))
      put_value(o, "MaxConcurrency", "MaxConcurrencyPath", s->max_concurrency);
    break;
  case F_MAX_CONCURRENCY_PATH:
    json_put(o, "MaxConcurrencyPath", json_dup(s->max_concurrency_path));
    break;
  case F_ITERATOR:
    if(s->iterator)
      json_put(o, "Iterator", asl_render_graph(s->iterator, ASL_QL_UNSET));
    break;
  case F_ASSIGN: json_put(o, "Assign", render_assign(s->assign, r->jsonata)); break;
  case F_QL:
    /* Written only where the state differs from the machine (state.js renderQueryLanguage). */
    if(s->ql == ASL_QL_JSONATA && r->top != ASL_QL_JSONATA)
      json_put_str(o, "QueryLanguage", "JSONata");
    break;
  case F_ARGUMENTS:
    if(s->type == ASL_TASK && r->jsonata)
      json_put(o, "Arguments", json_dup(s->task_args ? s->task_args : s->task_params));
    else
      json_put(o, "Arguments", json_dup(s->arguments));
    break;
  case F_OUTPUT: json_put(o, "Output", json_dup(s->outputs)); break;
  case F_ITEMS: json_put(o, "Items", json_dup(s->items)); break;
  case F_DISTRIBUTED: render_distributed(o, s->distributed, r->jsonata); break;
  case F_TIMEOUT: put_value(o, "TimeoutSeconds", "TimeoutSecondsPath", s->timeout); break;
  case F_HEARTBEAT:
    put_value(o, "HeartbeatSeconds", "HeartbeatSecondsPath", s->heartbeat);
    break;
  case F_TIMEOUT_PATH: json_put(o, "TimeoutSecondsPath", json_dup(s->timeout_path)); break;
  case F_HEARTBEAT_PATH:
    json_put(o, "HeartbeatSecondsPath", json_dup(s->heartbeat_path));
    break;
  case F_RESOURCE: json_put(o, "Resource", json_dup(s->resource)); break;
  case F_TASK_PARAMETERS:
    if(!r->jsonata)
      json_put(o, "Parameters", asl_render_object(s->task_params));
    break;
  }
}

/* add_retry/add_catch entries, then the ones the user's JSON holds (custom-state.js). */
static cJSON *merged_list(const struct asl_state *s, int catches, const cJSON *theirs,
                          int jsonata)
{
  cJSON *mine = catches ? render_catches(s, jsonata) : render_retries(s);
  if(!cJSON_IsArray(theirs))
    return mine ? mine : json_dup(theirs);
  if(!mine)
    mine = cJSON_CreateArray();
  for(const cJSON *c = theirs->child; c; c = c->next)
    json_push(mine, json_dup(c));
  return mine;
}

/* CustomState: the user's keys where they put them; Retry/Catch merged in place, or
** appended when only add_retry/add_catch gave them. */
static void render_custom(cJSON *o, const struct asl_state *s, int jsonata)
{
  for(const cJSON *c = s->state_json ? s->state_json->child : NULL; c; c = c->next) {
    int list = !strcmp(c->string, "Retry") ? 1 : !strcmp(c->string, "Catch") ? 2 : 0;
    json_put(o, c->string, list ? merged_list(s, list == 2, c, jsonata) : json_dup(c));
  }
  if(!json_get(s->state_json, "Retry"))
    json_put(o, "Retry", render_retries(s));
  if(!json_get(s->state_json, "Catch"))
    json_put(o, "Catch", render_catches(s, jsonata));
}

cJSON *asl_render_state(const struct asl_state *s, enum asl_ql top)
{
  struct rctx r = {s, top, (s->ql ? s->ql : top) == ASL_QL_JSONATA};
  cJSON *o = cJSON_CreateObject();
  for(const enum field *f = type_fields[s->type]; o && *f != F_END; f++)
    render_field(o, &r, *f);
  if(s->type == ASL_CUSTOM)
    render_custom(o, s, r.jsonata);
  return o;
}

cJSON *asl_render_graph(const struct asl_graph *g, enum asl_ql top)
{
  cJSON *doc = cJSON_CreateObject();
  json_put_str(doc, "StartAt", asl_state_name(g->start));
  cJSON *states = json_put(doc, "States", cJSON_CreateObject());
  for(size_t i = 0; i < g->states.n && states; i++) {
    const struct asl_state *s = g->states.items[i];
    json_put(states, asl_state_name(s), asl_render_state(s, top));
  }
  return doc;
}
