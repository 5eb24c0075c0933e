/*
** observe.c: what a run lets others see. For the document, the context object `$$`: most
** executions never read it, so it is built the first time a `$$` path is evaluated, and
** afterwards only the parts that changed are rebuilt (State when another state runs or a
** retry starts, Map.Item while a Map's ItemSelector runs, Task.Token while a
** .waitForTaskToken Task is called). Its defaults (execution and state machine ARNs in
** account 123456789012, us-east-1) can be overridden field by field with
** run_options.context. For the embedding, the history events, shaped like the events of
** Step Functions' GetExecutionHistory: {"id", "previousEventId", "type", "timestamp",
** "<type>EventDetails"} with inputs and outputs as JSON text. Nothing is built when no
** event callback was given, so a run without one pays nothing for its history.
*/
#include "run/machine.h"
#include "core/json.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* {============ the context object */

#define ARN_PREFIX "arn:aws:states:us-east-1:123456789012:"
#define MACHINE_NAME "StateMachine"

/* dst gets src's fields; objects present in both are merged, anything else replaced. */
static int merge(cJSON *dst, const cJSON *src)
{
  for(const cJSON *c = src->child; c; c = c->next) {
    cJSON *old = cJSON_GetObjectItemCaseSensitive(dst, c->string);
    if(old && cJSON_IsObject(old) && cJSON_IsObject(c)) {
      if(merge(old, c))
        return -1;
      continue;
    }
    cJSON *copy = cJSON_Duplicate(c, 1);
    if(!copy)
      return -1;
    if(old ? !cJSON_ReplaceItemInObjectCaseSensitive(dst, c->string, copy)
           : !cJSON_AddItemToObject(dst, c->string, copy)) {
      cJSON_Delete(copy);
      return -1;
    }
  }
  return 0;
}

static cJSON *build(const struct run *r)
{
  char start[32], id[200];
  rfc3339_format(r->start, start);
  snprintf(id, sizeof id, ARN_PREFIX "execution:" MACHINE_NAME ":%s", r->exec_name);
  cJSON *ctx = cJSON_CreateObject();
  cJSON *ex = json_put(ctx, "Execution", cJSON_CreateObject());
  cJSON *sm = json_put(ctx, "StateMachine", cJSON_CreateObject());
  json_put_str(ex, "Id", id);
  json_put(ex, "Input", r->input ? cJSON_Duplicate(r->input, 1) : cJSON_CreateObject());
  json_put_str(ex, "Name", r->exec_name);
  json_put_str(ex, "RoleArn", "arn:aws:iam::123456789012:role/" MACHINE_NAME "Role");
  json_put_str(ex, "StartTime", start);
  json_put_num(ex, "RedriveCount", 0);
  json_put_str(sm, "Id", ARN_PREFIX "stateMachine:" MACHINE_NAME);
  json_put_str(sm, "Name", MACHINE_NAME);
  /* any failed put leaves a field out: count them rather than test each */
  if(!sm || cJSON_GetArraySize(ex) != 6 || cJSON_GetArraySize(sm) != 2 ||
     (cJSON_IsObject(r->user_context) && merge(ctx, r->user_context))) {
    cJSON_Delete(ctx);
    return NULL;
  }
  return ctx;
}

static int set(cJSON *ctx, const char *key, cJSON *value)
{
  cJSON *old = cJSON_GetObjectItemCaseSensitive(ctx, key);
  if(!value) {
    cJSON_Delete(cJSON_DetachItemViaPointer(ctx, old));
    return 0;
  }
  if(old ? cJSON_ReplaceItemInObjectCaseSensitive(ctx, key, value)
         : cJSON_AddItemToObject(ctx, key, value))
    return 0;
  cJSON_Delete(value);
  return -1;
}

static cJSON *state_part(const struct run *r)
{
  char entered[32];
  rfc3339_format(r->cur_entered, entered);
  cJSON *st = cJSON_CreateObject();
  json_put_str(st, "EnteredTime", entered);
  json_put_str(st, "Name", r->cur->name);
  json_put_num(st, "RetryCount", (double)r->cur_retry);
  if(cJSON_GetArraySize(st) != 3) {
    cJSON_Delete(st);
    return NULL;
  }
  return st;
}

static cJSON *map_part(const struct run *r)
{
  cJSON *map = cJSON_CreateObject();
  cJSON *item = json_put(map, "Item", cJSON_CreateObject());
  json_put_num(item, "Index", (double)r->map_index);
  json_put(item, "Value", cJSON_Duplicate(r->map_item, 1));
  if(cJSON_GetArraySize(item) != 2) {
    cJSON_Delete(map);
    return NULL;
  }
  return map;
}

static cJSON *task_part(const struct run *r)
{
  if(!r->task_token) {
    const cJSON *user = json_get(r->user_context, "Task");
    return user ? cJSON_Duplicate(user, 1) : NULL;
  }
  cJSON *task = cJSON_CreateObject();
  if(!json_put_str(task, "Token", r->task_token)) {
    cJSON_Delete(task);
    return NULL;
  }
  return task;
}

const cJSON *run_ctx_get(void *ud)
{
  struct run *r = ud;
  if(!r->ctx) {
    if(!(r->ctx = build(r)))
      return NULL;
    r->ctx_state = NULL;
    r->ctx_map_gen = r->ctx_token_gen = 0;
  }
  if(r->cur && (r->ctx_state != r->cur || r->ctx_entered != r->cur_entered ||
                r->ctx_retry != r->cur_retry)) {
    cJSON *st = state_part(r);
    if(!st || set(r->ctx, "State", st))
      return NULL;
    r->ctx_state = r->cur;
    r->ctx_entered = r->cur_entered;
    r->ctx_retry = r->cur_retry;
  }
  if(r->ctx_map_gen != r->map_gen) {
    cJSON *map = r->map_item ? map_part(r) : NULL;
    if((r->map_item && !map) || set(r->ctx, "Map", map))
      return NULL;
    r->ctx_map_gen = r->map_gen;
  }
  if(r->ctx_token_gen != r->token_gen) {
    cJSON *task = task_part(r);
    if((r->task_token && !task) || set(r->ctx, "Task", task))
      return NULL;
    r->ctx_token_gen = r->token_gen;
  }
  return r->ctx;
}

/* }============ */

/* {============ history events */

static cJSON *text_of(const cJSON *v)
{
  char *s = v ? json_to_text(v, 0) : NULL;
  cJSON *j = cJSON_CreateString(s ? s : "null");
  free(s);
  return j;
}

/* Puts "<key>": text and "<key>Details": {"truncated": false}, as AWS does. */
static void put_text(cJSON *details, const char *key, const cJSON *v)
{
  char more[64];
  json_put(details, key, text_of(v));
  snprintf(more, sizeof more, "%sDetails", key);
  cJSON *d = json_put(details, more, cJSON_CreateObject());
  json_put_bool(d, "truncated", 0);
}

enum sfl_status hist_emit(struct run *r, const char *type, const char *details_key,
                          cJSON *details)
{
  char key[80], when[32];
  if(!r->ev) {
    cJSON_Delete(details);
    return SFL_OK;
  }
  if(!details_key) {
    snprintf(key, sizeof key, "%sEventDetails", type);
    key[0] = (char)tolower((unsigned char)key[0]);
    details_key = key;
  }
  rfc3339_format(r->now, when);
  cJSON *e = cJSON_CreateObject();
  json_put_num(e, "id", (double)(r->event_id + 1));
  json_put_num(e, "previousEventId", (double)r->event_id);
  json_put_str(e, "type", type);
  json_put_str(e, "timestamp", when);
  int want = 4;
  if(details) {
    json_put(e, details_key, details);
    want++;
  }
  if(cJSON_GetArraySize(e) != want) {
    cJSON_Delete(e);
    return diag_nomem(r->d);
  }
  r->event_id++;
  r->ev(r->ev_ud, e);
  cJSON_Delete(e);
  return SFL_OK;
}

static char *type_name(char *buf, size_t size, const struct state *s, const char *suffix)
{
  snprintf(buf, size, "%s%s", run_state_types[s->type], suffix);
  return buf;
}

enum sfl_status hist_state(struct run *r, const struct state *s, int entered,
                           const cJSON *data)
{
  char type[64];
  if(!r->ev)
    return SFL_OK;
  cJSON *d = cJSON_CreateObject();
  json_put_str(d, "name", s->name);
  put_text(d, entered ? "input" : "output", data);
  return hist_emit(r, type_name(type, sizeof type, s, entered ? "StateEntered" : "StateExited"),
                   entered ? "stateEnteredEventDetails" : "stateExitedEventDetails", d);
}

enum sfl_status hist_simple(struct run *r, const struct state *s, const char *suffix)
{
  char type[64];
  return r->ev ? hist_emit(r, type_name(type, sizeof type, s, suffix), NULL, NULL) : SFL_OK;
}

/* "arn:aws:states:::lambda:invoke" is resource type "lambda", resource "invoke". */
static void put_resource(cJSON *d, const char *arn)
{
  static const char prefix[] = "arn:aws:states:::";
  const char *rest = arn, *cut;
  char type[128] = "";
  if(!strncmp(arn, prefix, sizeof prefix - 1)) {
    rest = arn + sizeof prefix - 1;
    cut = strrchr(rest, ':');
    if(cut) {
      snprintf(type, sizeof type, "%.*s", (int)(cut - rest), rest);
      rest = cut + 1;
    }
  }
  else if(!strncmp(arn, "arn:", 4) && (cut = strchr(arn + 4, ':')) && strchr(cut + 1, ':'))
    snprintf(type, sizeof type, "%.*s", (int)(strchr(cut + 1, ':') - cut - 1), cut + 1);
  json_put_str(d, "resourceType", type);
  json_put_str(d, "resource", rest);
}

enum sfl_status hist_error(struct run *r, const char *type, const char *details_key,
                           const char *resource, const struct fail *f)
{
  if(!r->ev)
    return SFL_OK;
  cJSON *d = cJSON_CreateObject();
  if(resource)
    put_resource(d, resource);
  json_put_str(d, "error", f->error);
  json_put_str(d, "cause", f->cause);
  return hist_emit(r, type, details_key, d);
}

enum sfl_status hist_task(struct run *r, const struct state *s, const char *type,
                          const cJSON *resource, const cJSON *payload, const char *payload_key)
{
  if(!r->ev)
    return SFL_OK;
  cJSON *d = cJSON_CreateObject();
  put_resource(d, cJSON_IsString(resource) ? resource->valuestring : "");
  if(!strcmp(type, "TaskScheduled")) {
    json_put_str(d, "region", "us-east-1");
    json_put(d, payload_key, text_of(payload));
    if(s->timeout)
      json_put_num(d, "timeoutInSeconds", (double)s->timeout);
    if(s->heartbeat)
      json_put_num(d, "heartbeatInSeconds", (double)s->heartbeat);
  }
  else if(payload_key)
    put_text(d, payload_key, payload);
  return hist_emit(r, type, NULL, d);
}

enum sfl_status hist_map(struct run *r, const struct state *s, const char *type, long index)
{
  if(!r->ev)
    return SFL_OK;
  cJSON *d = cJSON_CreateObject();
  if(!strcmp(type, "MapStateStarted"))
    json_put_num(d, "length", (double)index);
  else {
    json_put_str(d, "name", s->name);
    json_put_num(d, "index", (double)index);
  }
  return hist_emit(r, type, NULL, d);
}

enum sfl_status hist_execution(struct run *r, const char *type, const cJSON *data,
                               const struct fail *f)
{
  if(!r->ev)
    return SFL_OK;
  if(f)
    return hist_error(r, type, NULL, NULL, f);
  cJSON *d = cJSON_CreateObject();
  if(!strcmp(type, "ExecutionStarted")) {
    put_text(d, "input", data);
    json_put_str(d, "roleArn", "arn:aws:iam::123456789012:role/StateMachineRole");
  }
  else
    put_text(d, "output", data);
  return hist_emit(r, type, NULL, d);
}

/* }============ */
