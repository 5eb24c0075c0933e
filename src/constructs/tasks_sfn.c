/*
** tasks_sfn.c: integrations with Step Functions itself (stepfunctions/start-execution.js,
** stepfunctions/invoke-activity.js) and with any AWS SDK API (aws-sdk/call-aws-service.js).
*/
#include "constructs/tasks_private.h"
#include "asl/render.h"
#include "cfn/iam.h"
#include "cfn/token.h"
#include "core/strbuf.h"

#include <ctype.h>
#include <string.h>

/* {============ StepFunctionsStartExecution */

static const char started_by_key[] = "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID";

/* The Input field: the user's input (default "$"), with the parent's execution ID added
** when associate_with_parent is set. */
static cJSON *start_input(const struct sfn_start_execution_props *p, int jsonata)
{
  if(!p->associate_with_parent)
    return p->input ? json_dup(p->input) : json_path_new("$");
  cJSON *input = p->input ? json_dup(p->input) : cJSON_CreateObject();
  cJSON *id = jsonata ? cJSON_CreateString("{% $states.context.Execution.Id %}")
                      : json_path_new("$$.Execution.Id");
  cJSON_DeleteItemFromObjectCaseSensitive(input, started_by_key);
  if(!json_put(input, started_by_key, id)) {
    cJSON_Delete(input);
    return NULL;
  }
  return input;
}

static cJSON *start_params(const struct sfn_start_execution_props *p, int jsonata)
{
  cJSON *params = cJSON_CreateObject();
  cJSON *input = json_put(params, "Input", start_input(p, jsonata));
  cJSON *arn = json_put(params, "StateMachineArn", sfn_machine_arn(p->machine));
  json_put(params, "Name", json_dup(p->name));
  if(!input || !arn || (p->name && !json_get(params, "Name"))) {
    cJSON_Delete(params);
    return NULL;
  }
  return params;
}

static enum sfl_status start_policies(struct asl_state *s, const struct sfn_machine *m,
                                      enum task_pattern pattern, struct diag *d)
{
  static const char *const start[] = {"states:StartExecution"};
  static const char *const sync[] = {"states:DescribeExecution", "states:StopExecution"};
  enum sfl_status st = task_add_policy(s, start, 1, task_one(sfn_machine_arn(m)), NULL, NULL,
                                       d);
  if(st || pattern != PATTERN_RUN_JOB)
    return st;
  st = task_add_policy(s, sync, 2, task_one(sfn_machine_execution_arn(m, "*")), NULL, NULL, d);
  if(!st)
    st = task_add_events_rule(s, "StepFunctionsGetEventsForStepFunctionsExecutionRule", d);
  return st;
}

struct asl_state *task_sfn_start_execution(struct cfn_node *scope, const char *id,
                                           const struct sfn_start_execution_props *p,
                                           struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {
    PATTERN_REQUEST_RESPONSE, PATTERN_RUN_JOB, PATTERN_WAIT_FOR_TASK_TOKEN};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  if(task_check_pattern(pattern, supported, 3, loc, d))
    return NULL;
  if(pattern == PATTERN_WAIT_FOR_TASK_TOKEN && !task_contains_token(p->input))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Task Token is required in `input` for callback. Use "
                    "JsonPath.task_token to set the token."), NULL;
  if(p->associate_with_parent && p->input
     && (!cJSON_IsObject(p->input) || json_has(p->input, JSON_INTRINSIC)))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Could not enable `associate_with_parent` because `input` is taken "
                    "directly from a JSON path. Use `sfn.TaskInput.from_object` instead."),
           NULL;
  const char *bad = asl_check_object(p->input);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "input: %s", bad), NULL;

  struct asl_state *s = task_state_new(scope, id, "StepFunctionsStartExecution", &p->base,
                                       loc, d);
  if(!s || start_policies(s, p->machine, pattern, d))
    return NULL;
  struct arena *a = s->arena;
  s->resource = arena_own_json(a, task_resource_arn_ext("states", "startExecution", pattern,
                                                        pattern == PATTERN_RUN_JOB ? ":2" : ""));
  s->task_params = arena_own_json(a, start_params(p, 0));
  if(p->associate_with_parent)
    s->task_args = arena_own_json(a, start_params(p, 1));
  if(!s->resource || !s->task_params || (p->associate_with_parent && !s->task_args))
    return diag_nomem(d), NULL;
  return s;
}

/* }============ */

/* {============ StepFunctionsInvokeActivity */

struct asl_state *task_sfn_invoke_activity(struct cfn_node *scope, const char *id,
                                           const struct sfn_invoke_activity_props *p,
                                           struct sfl_loc loc, struct diag *d)
{
  const char *bad = asl_check_object(p->parameters);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "parameters: %s", bad), NULL;
  struct asl_state *s = task_state_new(scope, id, "StepFunctionsInvokeActivity", &p->base,
                                       loc, d);
  if(!s)
    return NULL;
  s->resource = arena_own_json(s->arena, cfn_ref(p->activity->resource->logical_id));
  /* props.parameters ?? props.arguments, rendered in the state's query language. */
  s->task_params = p->parameters ? p->parameters : p->arguments;
  return s->resource ? s : (diag_nomem(d), NULL);
}

/* }============ */

/* {============ CallAwsService */

/* SDK service names whose IAM prefix differs (call-aws-service.js). */
static const char *const iam_prefixes[][2] = {
  {"bedrockagent", "bedrock"}, {"cloudwatchlogs", "logs"}, {"efs", "elasticfilesystem"},
  {"elasticloadbalancingv2", "elasticloadbalancing"}, {"mediapackagevod", "mediapackage-vod"},
  {"mwaa", "airflow"}, {"sfn", "states"},
};

static const char *iam_prefix(const char *service)
{
  for(size_t i = 0; i < sizeof iam_prefixes / sizeof *iam_prefixes; i++)
    if(!strcmp(service, iam_prefixes[i][0]))
      return iam_prefixes[i][1];
  return service;
}

/* The PascalCase check on parameter names: the offenders, ", "-separated, or NULL. */
static const char *bad_parameter_names(struct arena *a, const cJSON *params)
{
  struct strbuf b = {0};
  for(const cJSON *c = params ? params->child : NULL; c; c = c->next)
    if(toupper((unsigned char)c->string[0]) != c->string[0]) {
      if(b.len)
        strbuf_puts(&b, ", ");
      strbuf_puts(&b, c->string);
    }
  const char *list = b.len && !b.failed ? arena_strdup(a, b.buf) : NULL;
  strbuf_free(&b);
  return list;
}

static enum sfl_status check_call(const struct call_aws_service_props *p, struct arena *a,
                                  struct sfl_loc loc, struct diag *d)
{
  if(p->base.pattern == PATTERN_RUN_JOB)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "The RUN_JOB integration pattern is not supported for CallAwsService");
  if(tolower((unsigned char)p->action[0]) != p->action[0])
    return diag_set(d, SFL_ERR_INVALID, loc, "action must be camelCase, got: %s", p->action);
  const char *bad = bad_parameter_names(a, p->parameters);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "parameter names must be PascalCase, got: %s",
                    bad);
  bad = asl_check_object(p->parameters);
  return bad ? diag_set(d, SFL_ERR_INVALID, loc, "parameters: %s", bad) : SFL_OK;
}

/* "...:states:::aws-sdk:<service>:<action>", the service in lower case. */
static cJSON *sdk_resource(struct arena *a, const struct call_aws_service_props *p,
                           enum task_pattern pattern)
{
  char *api = arena_printf(a, "%s:%s", p->service, p->action);
  if(!api)
    return NULL;
  for(char *c = api; *c != ':'; c++)
    *c = (char)tolower((unsigned char)*c);
  return task_resource_arn("aws-sdk", api, pattern);
}

struct asl_state *task_call_aws_service(struct cfn_node *scope, const char *id,
                                        const struct call_aws_service_props *p,
                                        struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  if(check_call(p, a, loc, d))
    return NULL;
  struct asl_state *s = task_state_new(scope, id, "CallAwsService", &p->base, loc, d);
  if(!s)
    return NULL;
  const char *action = p->iam_action ? p->iam_action
    : arena_printf(a, "%s:%s", iam_prefix(p->service), p->action);
  const char *actions[] = {action};
  if(!action || task_add_policy(s, actions, 1, json_dup(p->iam_resources), NULL, NULL, d))
    return action ? NULL : (diag_nomem(d), NULL);
  for(const cJSON *st = p->additional_iam_statements ? p->additional_iam_statements->child
                                                     : NULL; st; st = st->next)
    if(!json_push(s->policies, json_dup(st)))
      return diag_nomem(d), NULL;
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  s->resource = arena_own_json(a, sdk_resource(a, p, pattern));
  /* props.parameters ?? {}: the Parameters field is always written. */
  s->task_params = p->parameters ? p->parameters : arena_own_json(a, cJSON_CreateObject());
  return s->resource && s->task_params ? s : (diag_nomem(d), NULL);
}

/* }============ */
