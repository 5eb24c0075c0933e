/*
** tasks.c: the shared machinery of service integrations (task-base.js, task-utils.js)
** and the Lambda integration (lambda/invoke.js).
*/
#include "constructs/tasks.h"
#include "constructs/tasks_private.h"
#include "asl/render.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <stdio.h>
#include <string.h>

const char *const task_pattern_names[] = {
  "", "REQUEST_RESPONSE", "RUN_JOB", "WAIT_FOR_TASK_TOKEN"
};

enum sfl_status task_check_pattern(enum task_pattern p, const enum task_pattern *supported,
                                   size_t n, struct sfl_loc loc, struct diag *d)
{
  char list[128] = "";
  for(size_t i = 0; i < n; i++) {
    if(supported[i] == p)
      return SFL_OK;
    if(i)
      strcat(list, ",");
    strcat(list, task_pattern_names[supported[i]]);
  }
  return diag_set(d, SFL_ERR_INVALID, loc,
                  "Unsupported service integration pattern. Supported Patterns: %s. "
                  "Received: %s", list, task_pattern_names[p]);
}

cJSON *task_resource_arn_ext(const char *service, const char *api, enum task_pattern p,
                             const char *extra)
{
  static const char *const suffix[] = {"", "", ".sync", ".waitForTaskToken"};
  char tail[512];
  snprintf(tail, sizeof tail, ":states:::%s:%s%s%s", service, api, suffix[p], extra);
  return cfn_concat(3, cJSON_CreateString("arn:"), cfn_partition(), cJSON_CreateString(tail));
}

cJSON *task_resource_arn(const char *service, const char *api, enum task_pattern p)
{
  return task_resource_arn_ext(service, api, p, "");
}

struct asl_state *task_state_new(struct cfn_node *scope, const char *id, const char *cls,
                                 const struct task_base *b, struct sfl_loc loc,
                                 struct diag *d)
{
  struct arena *a = scope->app->arena;
  const char *fqn = arena_printf(a, "aws-cdk-lib.aws_stepfunctions_tasks.%s", cls);
  struct asl_state *s = fqn ? sfn_state_new(scope, ASL_TASK, id, fqn, loc, d) : NULL;
  if(!s)
    return fqn ? NULL : (diag_nomem(d), NULL);
  s->state_name = b->state_name;
  s->ql = b->ql;
  s->assign = b->assign;
  s->outputs = b->outputs;
  s->comment = b->comment;
  s->input_path = b->input_path;
  s->output_path = b->output_path;
  s->result_path = b->result_path;
  s->result_selector = b->result_selector;
  /* task-base.js: timeout ?? taskTimeout.seconds ?? taskTimeout.jsonataExpression */
  s->timeout = b->timeout;
  s->heartbeat = b->heartbeat;
  static const char *const value_keys[] = {"seconds", "jsonata"};
  for(int i = 0; i < 2; i++) {
    if(!s->timeout && json_get(b->task_timeout, value_keys[i]))
      s->timeout = json_get(b->task_timeout, value_keys[i]);
    if(!s->heartbeat && json_get(b->heartbeat_timeout, value_keys[i]))
      s->heartbeat = json_get(b->heartbeat_timeout, value_keys[i]);
  }
  s->timeout_path = json_get(b->task_timeout, "path");
  s->heartbeat_path = json_get(b->heartbeat_timeout, "path");
  s->policies = arena_own_json(a, cJSON_CreateArray());
  const char *bad = asl_check_object(b->result_selector);
  if(!bad && b->ql != ASL_QL_JSONATA)
    bad = asl_check_object(b->assign);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s: %s",
                    asl_check_object(b->result_selector) ? "result_selector" : "assign", bad),
           NULL;
  return s->policies ? s : (diag_nomem(d), NULL);
}

enum sfl_status task_add_policy(struct asl_state *s, const char *const *actions, size_t n,
                                cJSON *resources, cJSON *condition, const char *sid,
                                struct diag *d)
{
  return json_push(s->policies, iam_statement(actions, n, resources, condition, sid))
    ? SFL_OK : diag_nomem(d);
}

enum sfl_status task_add_events_rule(struct asl_state *s, const char *rule, struct diag *d)
{
  static const char *const events[] = {"events:PutTargets", "events:PutRule",
                                       "events:DescribeRule"};
  char *resource = arena_printf(s->arena, "rule/%s", rule);
  if(!resource)
    return diag_nomem(d);
  return task_add_policy(s, events, 3, task_one(cfn_arn("events", 1, 1, resource)), NULL, NULL,
                         d);
}

int task_is_path_or_jsonata(const cJSON *v)
{
  if(json_has(v, JSON_PATH))
    return 1;
  if(!cJSON_IsString(v) || json_has(v, JSON_INTRINSIC | JSON_CONCAT))
    return 0;
  size_t n = strlen(v->valuestring);
  return n >= 4 && !strncmp(v->valuestring, "{%", 2) && !strcmp(v->valuestring + n - 2, "%}");
}

cJSON *task_one(cJSON *v)
{
  cJSON *list = cJSON_CreateArray();
  if(!json_push(list, v)) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

int task_contains_token(const cJSON *v)
{
  if(!v)
    return 0;
  /* FieldUtils.containsTaskToken: the token itself, $$.Task or the whole context. */
  if(json_has(v, JSON_PATH) && v->valuestring
     && (!strcmp(v->valuestring, "$$.Task.Token") || !strcmp(v->valuestring, "$$.Task")
         || !strcmp(v->valuestring, "$$")))
    return 1;
  for(const cJSON *c = v->child; c; c = c->next)
    if(task_contains_token(c))
      return 1;
  return 0;
}

/* {============ LambdaInvoke */

static const char *const lambda_retry_errors[] = {
  "Lambda.ClientExecutionTimeoutException", "Lambda.ServiceException",
  "Lambda.AWSLambdaException", "Lambda.SdkClientException"};

static enum sfl_status add_lambda_retry(struct asl_state *s, struct sfl_loc loc,
                                        struct diag *d)
{
  struct arena *a = s->arena;
  struct asl_retry *r = arena_alloc(a, sizeof *r);
  if(!r)
    return diag_nomem(d);
  r->errors = arena_own_json(a, json_strings(lambda_retry_errors, 4));
  r->interval = arena_own_json(a, cJSON_CreateNumber(2));
  r->max_attempts = arena_own_json(a, cJSON_CreateNumber(6));
  r->backoff_rate = arena_own_json(a, cJSON_CreateNumber(2));
  if(!r->errors || !r->interval || !r->max_attempts || !r->backoff_rate)
    return diag_nomem(d);
  return asl_add_retry(s, r, loc, d);
}

struct asl_state *task_lambda_invoke(struct cfn_node *scope, const char *id,
                                     const struct lambda_invoke_props *p,
                                     struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE,
                                                PATTERN_WAIT_FOR_TASK_TOKEN};
  static const char *const invoke[] = {"lambda:InvokeFunction"};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  if(task_check_pattern(pattern, supported, 2, loc, d))
    return NULL;
  if(pattern == PATTERN_WAIT_FOR_TASK_TOKEN && !task_contains_token(p->payload))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Task Token is required in `payload` for callback. Use "
                    "JsonPath.task_token to set the token."), NULL;
  if(p->payload_response_only && (p->base.pattern || p->invocation_type || p->client_context
                                  || p->qualifier))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "The 'payload_response_only' property cannot be used if "
                    "'integration_pattern', 'invocation_type', 'client_context', or "
                    "'qualifier' are specified."), NULL;
  const char *bad = asl_check_object(p->payload);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "payload: %s", bad), NULL;

  struct asl_state *s = task_state_new(scope, id, "LambdaInvoke", &p->base, loc, d);
  if(!s || task_add_policy(s, invoke, 1, lambda_invoke_resources(p->function), NULL, NULL, d))
    return NULL;
  if(p->retry_on_service_exceptions && add_lambda_retry(s, loc, d))
    return NULL;
  struct arena *a = s->arena;
  if(p->payload_response_only) {
    s->resource = arena_own_json(a, lambda_function_arn(p->function));
    s->task_params = p->payload;
    return s->resource ? s : (diag_nomem(d), NULL);
  }
  s->resource = arena_own_json(a, task_resource_arn("lambda", "invoke", pattern));
  cJSON *params = arena_own_json(a, cJSON_CreateObject());
  json_put(params, "FunctionName", lambda_function_arn(p->function));
  json_put(params, "Payload", p->payload ? json_dup(p->payload) : json_path_new("$"));
  json_put(params, "InvocationType", json_dup(p->invocation_type));
  json_put(params, "ClientContext", json_dup(p->client_context));
  json_put(params, "Qualifier", json_dup(p->qualifier));
  s->task_params = params;
  if(!s->resource || !json_get(params, "Payload"))
    return diag_nomem(d), NULL;
  if(!p->payload) {
    /* Without a payload, JSONata passes the whole input (lambda/invoke.js). */
    cJSON *args = arena_own_json(a, json_dup(params));
    cJSON *payload = cJSON_CreateString("{% $states.input %}");
    if(!args || !payload || !cJSON_ReplaceItemInObjectCaseSensitive(args, "Payload", payload))
      return cJSON_Delete(payload), diag_nomem(d), NULL;
    s->task_args = args;
  }
  return s;
}

/* }============ */
