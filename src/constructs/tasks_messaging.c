/*
** tasks_messaging.c: SnsPublish (sns/publish.js), SqsSendMessage (sqs/send-message.js)
** and EventBridgePutEvents (eventbridge/put-events.js).
*/
#include "constructs/tasks_messaging.h"
#include "constructs/tasks_private.h"
#include "asl/render.h"
#include "cfn/token.h"
#include "core/strbuf.h"

#include <stdlib.h>
#include <string.h>

/* Both messaging integrations that take a callback support these two patterns. */
static const enum task_pattern request_or_token[] = {PATTERN_REQUEST_RESPONSE,
                                                     PATTERN_WAIT_FOR_TASK_TOKEN};

static enum task_pattern checked_pattern(const struct task_base *b, const cJSON *input,
                                         const char *field, struct sfl_loc loc,
                                         struct diag *d)
{
  enum task_pattern pattern = b->pattern ? b->pattern : PATTERN_REQUEST_RESPONSE;
  if(task_check_pattern(pattern, request_or_token, 2, loc, d))
    return PATTERN_DEFAULT;
  if(pattern == PATTERN_WAIT_FOR_TASK_TOKEN && !task_contains_token(input))
    return diag_set(d, SFL_ERR_INVALID, loc, "Task Token is required in `%s`%s Use "
                    "JsonPath.task_token to set the token.", field,
                    strcmp(field, "entries") ? "" : "."), PATTERN_DEFAULT;
  return pattern;
}

/* A plain string (not a token) longer than `max`? */
static int too_long(const cJSON *v, size_t max)
{
  return cJSON_IsString(v) && !json_has(v, JSON_PATH) && strlen(v->valuestring) > max;
}

/* {============ SnsPublish */

const char *const sns_attribute_types[] = {"String", "String.Array", "Number", "Binary", NULL};

/* `${value}` in JavaScript, for the scalars and arrays a Lua table can hold. */
static void js_string(struct strbuf *b, const cJSON *v)
{
  if(cJSON_IsString(v))
    strbuf_puts(b, v->valuestring);
  else if(cJSON_IsNumber(v))
    json_write_number(b, v->valuedouble);
  else if(cJSON_IsBool(v))
    strbuf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
  else if(cJSON_IsArray(v))
    for(const cJSON *c = v->child; c; c = c->next) {
      if(c != v->child)
        strbuf_putc(b, ',');
      if(!cJSON_IsNull(c))
        js_string(b, c);
    }
  else if(cJSON_IsObject(v))
    strbuf_puts(b, "[object Object]");
  else
    strbuf_puts(b, "null");
}

static const char *js_typeof(const cJSON *v)
{
  return cJSON_IsString(v) ? "string" : cJSON_IsNumber(v) ? "number"
       : cJSON_IsBool(v) ? "boolean" : "object";
}

/* validateMessageAttribute: a given data type must fit the value. */
static enum sfl_status check_attribute(struct arena *a, const struct sns_attribute *at,
                                       struct sfl_loc loc, struct diag *d)
{
  const char *dt = at->data_type;
  const cJSON *v = at->value;
  if(!dt || (cJSON_IsArray(v) && !strcmp(dt, "String.Array") && !v->child)
     || (cJSON_IsString(v) && (!strcmp(dt, "String") || !strcmp(dt, "Binary")))
     || (cJSON_IsNumber(v) && !strcmp(dt, "Number"))
     || (cJSON_IsBool(v) && !strcmp(dt, "String")))
    return SFL_OK;
  if(cJSON_IsArray(v) && !strcmp(dt, "String.Array"))
    /* CDK's element check rejects every element (v !== null || ...). */
    return diag_set(d, SFL_ERR_INVALID, loc, "Requested SNS message attribute type was "
                    "object but Array values must be one of string,boolean,number");
  struct strbuf b = {0};
  js_string(&b, v);
  const char *text = b.failed ? NULL : arena_strdup(a, b.buf ? b.buf : "");
  strbuf_free(&b);
  if(!text)
    return diag_nomem(d);
  return diag_set(d, SFL_ERR_INVALID, loc, "Requested SNS message attribute type was %s but "
                  "%s was of type %s", dt, text, cJSON_IsArray(v) ? "Array" : js_typeof(v));
}

static cJSON *js_string_json(const cJSON *v)
{
  struct strbuf b = {0};
  js_string(&b, v);
  cJSON *s = b.failed ? NULL : cJSON_CreateString(b.buf ? b.buf : "");
  strbuf_free(&b);
  return s;
}

/* renderMessageAttributeValue: {DataType, StringValue | BinaryValue}. */
static cJSON *render_attribute(const struct sns_attribute *at)
{
  const char *dt = at->data_type;
  const cJSON *v = at->value;
  int binary = dt && !strcmp(dt, "Binary");
  cJSON *out = cJSON_CreateObject();
  cJSON *value;
  if(at->is_input || json_has(v, JSON_PATH) || json_has(v, JSON_INTRINSIC | JSON_CONCAT)) {
    json_put_str(out, "DataType", dt ? dt : "String");
    value = json_put(out, binary ? "BinaryValue" : "StringValue", json_dup(v));
  } else if(binary) {
    json_put_str(out, "DataType", dt);
    value = json_put(out, "BinaryValue", js_string_json(v));
  } else if(cJSON_IsArray(v)) {
    char *text = json_to_text(v, 0);
    json_put_str(out, "DataType", "String.Array");
    value = json_put(out, "StringValue", text ? cJSON_CreateString(text) : NULL);
    free(text);   /* strbuf memory, not cJSON's */
  } else {
    json_put_str(out, "DataType", cJSON_IsNumber(v) ? "Number" : "String");
    value = json_put(out, "StringValue", js_string_json(v));
  }
  if(!value || !json_get(out, "DataType")) {
    cJSON_Delete(out);
    return NULL;
  }
  return out;
}

static enum sfl_status check_fifo_publish(const struct sns_publish_props *p,
                                          struct sfl_loc loc, struct diag *d)
{
  const cJSON *group = p->message_group_id, *dedup = p->message_deduplication_id;
  if(!p->topic->fifo)
    return SFL_OK;
  if(!group)
    return diag_set(d, SFL_ERR_INVALID, loc, "'message_group_id' is required for FIFO topics");
  if(too_long(group, 128))
    return diag_set(d, SFL_ERR_INVALID, loc, "'message_group_id' must be at most 128 "
                    "characters long, got %zu", strlen(group->valuestring));
  if(!p->topic->content_based_deduplication && !dedup)
    return diag_set(d, SFL_ERR_INVALID, loc, "'message_deduplication_id' is required for FIFO "
                    "topics with 'content_based_deduplication' disabled");
  if(too_long(dedup, 128))
    return diag_set(d, SFL_ERR_INVALID, loc, "'message_deduplication_id' must be at most 128 "
                    "characters long, got %zu", strlen(dedup->valuestring));
  return SFL_OK;
}

static cJSON *publish_params(const struct sns_publish_props *p)
{
  cJSON *params = cJSON_CreateObject();
  int ok = json_put(params, "TopicArn", sns_topic_arn(p->topic)) != NULL;
  ok &= json_put(params, "Message", json_dup(p->message)) != NULL;
  json_put(params, "MessageDeduplicationId", json_dup(p->message_deduplication_id));
  json_put(params, "MessageGroupId", json_dup(p->message_group_id));
  if(p->message_per_subscription_type)
    json_put_str(params, "MessageStructure", "json");
  if(p->attributes) {
    cJSON *attrs = json_put(params, "MessageAttributes", cJSON_CreateObject());
    ok &= attrs != NULL;
    for(size_t i = 0; ok && i < p->nattributes; i++)
      ok &= json_put(attrs, p->attributes[i].name, render_attribute(&p->attributes[i])) != NULL;
  }
  json_put(params, "Subject", json_dup(p->subject));
  if(!ok) {
    cJSON_Delete(params);
    return NULL;
  }
  return params;
}

struct asl_state *task_sns_publish(struct cfn_node *scope, const char *id,
                                   const struct sns_publish_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  static const char *const publish[] = {"sns:Publish"};
  struct arena *a = scope->app->arena;
  enum task_pattern pattern = checked_pattern(&p->base, p->message, "message", loc, d);
  if(!pattern || check_fifo_publish(p, loc, d))
    return NULL;
  for(size_t i = 0; i < p->nattributes; i++)
    if(!p->attributes[i].is_input
       && !json_has(p->attributes[i].value, JSON_PATH | JSON_INTRINSIC | JSON_CONCAT)
       && check_attribute(a, &p->attributes[i], loc, d))
      return NULL;
  const char *bad = asl_check_object(p->message);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "message: %s", bad), NULL;
  struct asl_state *s = task_state_new(scope, id, "SnsPublish", &p->base, loc, d);
  if(!s || task_add_policy(s, publish, 1, task_one(sns_topic_arn(p->topic)), NULL, NULL, d))
    return NULL;
  s->resource = arena_own_json(a, task_resource_arn("sns", "publish", pattern));
  s->task_params = arena_own_json(a, publish_params(p));
  return s->resource && s->task_params ? s : (diag_nomem(d), NULL);
}

/* }============ */

/* {============ SqsSendMessage */

static cJSON *send_params(const struct sqs_send_message_props *p)
{
  cJSON *params = cJSON_CreateObject();
  int ok = json_put(params, "QueueUrl", sqs_queue_url(p->queue)) != NULL;
  ok &= json_put(params, "MessageBody", json_dup(p->message_body)) != NULL;
  json_put(params, "DelaySeconds", json_dup(p->delay));
  json_put(params, "MessageDeduplicationId", json_dup(p->message_deduplication_id));
  json_put(params, "MessageGroupId", json_dup(p->message_group_id));
  if(!ok) {
    cJSON_Delete(params);
    return NULL;
  }
  return params;
}

struct asl_state *task_sqs_send_message(struct cfn_node *scope, const char *id,
                                        const struct sqs_send_message_props *p,
                                        struct sfl_loc loc, struct diag *d)
{
  static const char *const send[] = {"sqs:SendMessage"};
  struct arena *a = scope->app->arena;
  enum task_pattern pattern = checked_pattern(&p->base, p->message_body, "message_body", loc,
                                              d);
  if(!pattern)
    return NULL;
  const char *bad = asl_check_object(p->message_body);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "message_body: %s", bad), NULL;
  struct asl_state *s = task_state_new(scope, id, "SqsSendMessage", &p->base, loc, d);
  static const char *const key_actions[] = {"kms:Decrypt", "kms:GenerateDataKey*"};
  if(!s || task_add_policy(s, send, 1, task_one(sqs_queue_arn(p->queue)), NULL, NULL, d))
    return NULL;
  if(p->queue->key
     && task_add_policy(s, key_actions, 2, task_one(kms_key_arn(p->queue->key)), NULL, NULL, d))
    return NULL;
  s->resource = arena_own_json(a, task_resource_arn("sqs", "sendMessage", pattern));
  s->task_params = arena_own_json(a, send_params(p));
  return s->resource && s->task_params ? s : (diag_nomem(d), NULL);
}

/* }============ */

/* {============ EventBridgePutEvents */

static enum sfl_status check_entries(const struct put_events_props *p, struct sfl_loc loc,
                                     struct diag *d)
{
  if(!p->entries || !p->entries->n)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Value for property `entries` must be a non-empty array.");
  for(size_t i = 0; i < p->entries->n; i++) {
    const struct put_events_entry *e = p->entries->items[i];
    if(cJSON_IsString(e->source) && !json_has(e->source, JSON_PATH)
       && !strncmp(e->source->valuestring, "aws.", 4))
      return diag_set(d, SFL_ERR_INVALID, loc, "Event source cannot start with \"aws.\"");
  }
  return SFL_OK;
}

static cJSON *render_entry(const struct put_events_entry *e)
{
  cJSON *out = cJSON_CreateObject();
  int ok = json_put(out, "Detail", json_dup(e->detail)) != NULL;
  ok &= json_put(out, "DetailType", json_dup(e->detail_type)) != NULL;
  if(e->event_bus)
    ok &= json_put(out, "EventBusName", event_bus_arn(e->event_bus)) != NULL;
  ok &= json_put(out, "Source", json_dup(e->source)) != NULL;
  if(!ok) {
    cJSON_Delete(out);
    return NULL;
  }
  return out;
}

static cJSON *put_events_params(const struct put_events_props *p)
{
  cJSON *params = cJSON_CreateObject();
  cJSON *list = json_put(params, "Entries", cJSON_CreateArray());
  int ok = list != NULL;
  for(size_t i = 0; ok && i < p->entries->n; i++)
    ok = json_push(list, render_entry(p->entries->items[i])) != NULL;
  if(!ok) {
    cJSON_Delete(params);
    return NULL;
  }
  return params;
}

struct asl_state *task_put_events(struct cfn_node *scope, const char *id,
                                  const struct put_events_props *p, struct sfl_loc loc,
                                  struct diag *d)
{
  static const char *const put[] = {"events:PutEvents"};
  struct arena *a = scope->app->arena;
  cJSON *details = arena_own_json(a, cJSON_CreateArray());
  for(size_t i = 0; details && p->entries && i < p->entries->n; i++)
    json_push(details, json_dup(((struct put_events_entry *)p->entries->items[i])->detail));
  if(!details)
    return diag_nomem(d), NULL;
  enum task_pattern pattern = checked_pattern(&p->base, details, "entries", loc, d);
  if(!pattern || check_entries(p, loc, d))
    return NULL;
  for(size_t i = 0; i < p->entries->n; i++) {
    const char *bad = asl_check_object(((struct put_events_entry *)p->entries->items[i])->detail);
    if(bad)
      return diag_set(d, SFL_ERR_INVALID, loc, "entries[%zu].detail: %s", i + 1, bad), NULL;
  }
  struct asl_state *s = task_state_new(scope, id, "EventBridgePutEvents", &p->base, loc, d);
  if(!s)
    return NULL;
  cJSON *buses = cJSON_CreateArray();
  for(size_t i = 0; i < p->entries->n; i++) {
    const struct put_events_entry *e = p->entries->items[i];
    json_push(buses, e->event_bus ? event_bus_arn(e->event_bus) : event_bus_default_arn());
  }
  if(task_add_policy(s, put, 1, buses, NULL, NULL, d))
    return NULL;
  s->resource = arena_own_json(a, task_resource_arn("events", "putEvents", pattern));
  s->task_params = arena_own_json(a, put_events_params(p));
  return s->resource && s->task_params ? s : (diag_nomem(d), NULL);
}

/* }============ */
