/*
** sfn.c: state machines (aws-stepfunctions/lib/state-machine.js).
*/
#include "constructs/sfn.h"
#include "core/strbuf.h"
#include "constructs/dmap.h"
#include "asl/render.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct asl_state *sfn_state_new(struct cfn_node *scope, enum asl_type type, const char *id,
                                const char *fqn, struct sfl_loc loc, struct diag *d)
{
  struct cfn_node *node = cfn_node_new(scope, id, fqn, loc, d);
  if(!node)
    return NULL;
  /* The state's name is its construct id after sanitizing ("a/b" -> "a--b"). */
  struct asl_state *s = asl_state_new(scope->app->arena, type, node->id, loc);
  if(!s)
    return diag_nomem(d), NULL;
  s->owner = node;
  node->model = s;
  return s;
}

/* The trust condition CDK puts on every state machine role (confused-deputy guard). */
static cJSON *states_trust_condition(void)
{
  cJSON *cond = cJSON_CreateObject();
  cJSON *arn_like = json_put(cond, "ArnLike", cJSON_CreateObject());
  json_put(arn_like, "aws:SourceArn", cfn_arn("states", 1, 1, "stateMachine:*"));
  cJSON *equals = json_put(cond, "StringEquals", cJSON_CreateObject());
  json_put(equals, "aws:SourceAccount", cfn_account());
  return cond;
}

cJSON *sfn_machine_definition(const struct sfn_machine *m)
{
  if(!m->graph)
    return NULL;
  enum asl_ql top = m->props.jsonata ? ASL_QL_JSONATA : ASL_QL_UNSET;
  cJSON *doc = asl_render_graph(m->graph, top);
  json_put(doc, "TimeoutSeconds", json_dup(m->props.timeout));
  json_put(doc, "Comment", json_dup(m->props.comment));
  if(m->props.jsonata)
    json_put_str(doc, "QueryLanguage", "JSONata");
  return doc;
}

/*
** What CloudFormation does with DefinitionSubstitutions: each ${name} with a literal value
** is replaced by it; values CloudFormation works out at deploy (intrinsics) stay as they are.
*/
static char *substitute(const char *text, const cJSON *subs)
{
  struct strbuf out = {0};
  const char *p = text;
  for(const char *open; (open = strstr(p, "${")); ) {
    const char *close = strchr(open + 2, '}');
    if(!close)
      break;
    const cJSON *v = NULL, *c;
    cJSON_ArrayForEach(c, subs)
      if(strlen(c->string) == (size_t)(close - open - 2)
         && !strncmp(c->string, open + 2, (size_t)(close - open - 2)))
        v = c;
    strbuf_add(&out, p, (size_t)(open - p));
    if(cJSON_IsString(v) && !json_has(v, JSON_INTRINSIC | JSON_CONCAT))
      strbuf_puts(&out, v->valuestring);
    else if(cJSON_IsNumber(v))
      json_write_number(&out, v->valuedouble);
    else if(cJSON_IsBool(v))
      strbuf_puts(&out, cJSON_IsTrue(v) ? "true" : "false");
    else
      strbuf_add(&out, open, (size_t)(close + 1 - open));
    p = close + 1;
  }
  strbuf_puts(&out, p);
  return strbuf_take(&out);
}

cJSON *sfn_machine_document(const struct sfn_machine *m)
{
  const cJSON *subs = m->props.definition_substitutions;
  if(m->graph && !cJSON_GetArraySize(subs))
    return sfn_machine_definition(m);
  char *rendered = NULL;
  if(m->graph) {
    cJSON *doc = sfn_machine_definition(m);
    rendered = doc ? json_to_text(doc, 0) : NULL;
    cJSON_Delete(doc);
    if(!rendered)
      return NULL;
  }
  const cJSON *text = m->props.definition_string ? m->props.definition_string
                                                 : m->props.definition_file_text;
  const char *source = rendered ? rendered : cJSON_IsString(text) ? text->valuestring : NULL;
  char *done = source ? substitute(source, subs) : NULL;
  free(rendered);
  cJSON *doc = done ? cJSON_Parse(done) : NULL;
  free(done);
  return doc;
}

/* Fail's errorPath/causePath may be one of these intrinsics instead of a path (fail.js). */
static const char *const fail_intrinsics[] = {
  "States.Format", "States.JsonToString", "States.ArrayGetItem", "States.Base64Encode",
  "States.Base64Decode", "States.Hash", "States.UUID", NULL};

static const char *check_fail_path(const cJSON *path, const char *prop)
{
  if(!path || !cJSON_IsString(path) || path->valuestring[0] == '$')
    return NULL;
  for(size_t i = 0; fail_intrinsics[i]; i++)
    if(!strncmp(path->valuestring, fail_intrinsics[i], strlen(fail_intrinsics[i])))
      return NULL;
  return prop;
}

/* State.validateState of each type: what CDK reports at synthesis. */
static const char *state_problem(const struct asl_state *s, char *buf, size_t size)
{
  switch(s->type) {
  case ASL_PARALLEL:
    return s->branches.n ? NULL : "must have at least one branch; add one with :branch(chain)";
  case ASL_MAP:
    if(!s->processor && !s->iterator)
      return "must either have a non-empty iterator or a non-empty item processor; add one "
             "with :item_processor(chain)";
    if(s->processor && s->iterator)
      return "cannot have both an iterator and an item processor";
    if(s->parameters && s->item_selector)
      return "cannot have both parameters and an item selector";
    if(s->max_concurrency && s->max_concurrency_path)
      return "Provide either `max_concurrency` or `max_concurrency_path`, but not both";
    if(cJSON_IsNumber(s->max_concurrency)
       && (s->max_concurrency->valuedouble < 0
           || s->max_concurrency->valuedouble != (double)(long long)s->max_concurrency->valuedouble))
      return "max_concurrency has to be a positive integer";
    return NULL;
  case ASL_FAIL: {
    const char *bad = check_fail_path(s->error_path, "error_path");
    if(!bad)
      bad = check_fail_path(s->cause_path, "cause_path");
    if(bad) {
      snprintf(buf, size, "you must specify a valid intrinsic function in %s. Must be one of "
               "States.Format, States.JsonToString, States.ArrayGetItem, States.Base64Encode, "
               "States.Base64Decode, States.Hash, States.UUID", bad);
      return buf;
    }
    if(s->error && s->error_path)
      return "cannot have both error and error_path";
    if(s->cause && s->cause_path)
      return "cannot have both cause and cause_path";
    return NULL;
  }
  default:
    return NULL;
  }
}

struct validate_ctx {
  struct diag *d;
  enum sfl_status status;
};

static int validate_graph(struct asl_graph *g, void *ctx)
{
  struct validate_ctx *vc = ctx;
  for(size_t i = 0; i < g->states.n && !vc->status; i++) {
    const struct asl_state *s = g->states.items[i];
    char buf[512];
    const char *problem = state_problem(s, buf, sizeof buf);
    if(problem)
      vc->status = diag_set(vc->d, SFL_ERR_INVALID, s->loc, "%s '%s' %s",
                            asl_types[s->type].cls, asl_state_name(s), problem);
    else
      asl_each_subgraph(s, validate_graph, vc);
  }
  return vc->status != SFL_OK;
}

enum sfl_status sfn_machine_validate(const struct sfn_machine *m, struct diag *d)
{
  struct validate_ctx vc = {d, SFL_OK};
  if(m->graph && m->props.jsonata)
    for(size_t i = 0; i < m->graph->states.n; i++) {
      const struct asl_state *s = m->graph->states.items[i];
      if(s->ql == ASL_QL_JSONPATH)
        return diag_set(d, SFL_ERR_INVALID, s->loc, "%s '%s': 'query_language' can not be "
                        "'JSONPath' if set to 'JSONata' for whole state machine %s",
                        asl_types[s->type].cls, asl_state_name(s),
                        cfn_node_path(m->node->app->arena, m->node));
    }
  if(m->graph)
    validate_graph(m->graph, &vc);
  return vc.status;
}

static cJSON *logging_configuration(const struct sfn_log_options *logs)
{
  cJSON *config = cJSON_CreateObject();
  if(logs->destination) {
    cJSON *dests = json_put(config, "Destinations", cJSON_CreateArray());
    cJSON *dest = json_push(dests, cJSON_CreateObject());
    cJSON *group = json_put(dest, "CloudWatchLogsLogGroup", cJSON_CreateObject());
    json_put(group, "LogGroupArn", log_group_arn(logs->destination));
  }
  json_put(config, "IncludeExecutionData", json_dup(logs->include_execution_data));
  json_put(config, "Level", logs->level ? json_dup(logs->level) : cJSON_CreateString("ERROR"));
  return config;
}

/* util.js buildEncryptionConfiguration. */
static cJSON *encryption_configuration(const struct sfn_encryption *e)
{
  cJSON *config = cJSON_CreateObject();
  if(e->key) {
    if(e->reuse_seconds)
      json_put(config, "KmsDataKeyReusePeriodSeconds", json_dup(e->reuse_seconds));
    else
      json_put_num(config, "KmsDataKeyReusePeriodSeconds", 300);
    json_put(config, "KmsKeyId", kms_key_arn(e->key));
  }
  json_put_str(config, "Type", e->key ? "CUSTOMER_MANAGED_KMS_KEY" : "AWS_OWNED_KEY");
  return config;
}

enum sfl_status sfn_check_encryption(const struct sfn_encryption *e, struct sfl_loc loc,
                                     struct diag *d)
{
  const cJSON *reuse = e->reuse_seconds;
  if(reuse && (reuse->valuedouble < 60 || reuse->valuedouble > 900))
    return diag_set(d, SFL_ERR_INVALID, loc, "kmsDataKeyReusePeriodSeconds must have a value "
                    "between 60 and 900 seconds");
  return SFL_OK;
}

/* "arn:<P>:states:<R>:<A>:<kind>:<name>" (formatArn with the physical name). */
static cJSON *states_arn(const char *kind, const cJSON *name)
{
  return cfn_concat(7, cJSON_CreateString("arn:"), cfn_partition(),
                    cJSON_CreateString(":states:"), cfn_region(), cJSON_CreateString(":"),
                    cfn_account(),
                    cfn_concat(2, cJSON_CreateString(kind),
                               name ? json_dup(name) : cJSON_CreateString("")));
}

/* {"StringEquals": {key: value}} */
static cJSON *string_equals(const char *key, cJSON *value)
{
  cJSON *cond = cJSON_CreateObject();
  cJSON *eq = json_put(cond, "StringEquals", cJSON_CreateObject());
  if(!json_put(eq, key, value)) {
    cJSON_Delete(cond);
    return NULL;
  }
  return cond;
}

/* CfnStateMachine properties, in the generated (alphabetical) order. */
static enum sfl_status prepare_machine(struct cfn_resource *res, struct diag *d)
{
  struct sfn_machine *m = res->prepare_ctx;
  enum sfl_status st = sfn_machine_validate(m, d);
  if(st)
    return st;
  cJSON *props = cJSON_CreateObject();
  if(m->graph) {
    cJSON *doc = sfn_machine_definition(m);
    json_put(props, "DefinitionString", doc ? cfn_stringify(doc) : NULL);
    cJSON_Delete(doc);
  }
  else if(m->props.definition_asset) {
    cJSON *where = json_put(props, "DefinitionS3Location", cJSON_CreateObject());
    cJSON *bucket = json_put(where, "Bucket", cJSON_CreateObject());
    json_put_str(bucket, "Fn::Sub", CFN_ASSETS_BUCKET);
    json_put_str(where, "Key", m->props.definition_asset->object_key);
  }
  else
    json_put(props, "DefinitionString", json_dup(m->props.definition_string));
  json_put(props, "DefinitionSubstitutions", json_dup(m->props.definition_substitutions));
  if(m->props.encryption)
    json_put(props, "EncryptionConfiguration", encryption_configuration(m->props.encryption));
  if(m->props.logs)
    json_put(props, "LoggingConfiguration", logging_configuration(m->props.logs));
  json_put(props, "RoleArn", role_arn(m->role));
  json_put(props, "StateMachineName", json_dup(m->props.state_machine_name));
  json_put(props, "StateMachineType", json_dup(m->props.state_machine_type));
  if(m->props.tracing_enabled) {
    cJSON *tracing = json_put(props, "TracingConfiguration", cJSON_CreateObject());
    json_put(tracing, "Enabled", json_dup(m->props.tracing_enabled));
  }
  if(!(json_get(props, "DefinitionString") || json_get(props, "DefinitionS3Location"))
     || !json_get(props, "RoleArn")) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(m->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

static int logs_on(const struct sfn_log_options *logs)
{
  return logs && !(logs->level && !strcmp(logs->level->valuestring, "OFF"));
}

/* A customer-managed key: the role may use it for this machine (and for its logs), and
** the key lets CloudWatch Logs' delivery service decrypt (state-machine.js). */
static enum sfl_status add_encryption_statements(struct sfn_machine *m, struct diag *d)
{
  const struct sfn_encryption *e = m->props.encryption;
  if(!e || !e->key)
    return SFL_OK;
  static const char *const use[] = {"kms:Decrypt", "kms:GenerateDataKey"};
  cJSON *key = cJSON_CreateArray();
  json_push(key, kms_key_arn(e->key));
  cJSON *cond = string_equals("kms:EncryptionContext:aws:states:stateMachineArn",
                              states_arn(":stateMachine:", m->props.state_machine_name));
  enum sfl_status st = role_add_statement(m->role, iam_statement(use, 2, key, cond, NULL), d);
  if(st || !logs_on(m->props.logs))
    return st;
  key = cJSON_CreateArray();
  json_push(key, kms_key_arn(e->key));
  cond = string_equals("kms:EncryptionContext:SourceArn", cfn_arn("logs", 1, 1, "*"));
  st = role_add_statement(m->role, iam_statement(use + 1, 1, key, cond, NULL), d);
  if(st)
    return st;
  static const char *const decrypt[] = {"kms:Decrypt*"};
  return kms_key_add_to_policy(e->key, kms_service_statement(decrypt, 1,
                                                             "delivery.logs.amazonaws.com",
                                                             NULL), d);
}

static enum sfl_status add_machine_statements(struct sfn_machine *m, struct diag *d)
{
  /* Statements the graph's tasks registered, in binding order, then the machine's own:
  ** logs, then X-Ray (the order state-machine.js adds them in). */
  for(size_t i = 0; m->graph && i < m->graph->policies.n; i++) {
    enum sfl_status st = role_add_statement(m->role, json_dup(m->graph->policies.items[i]), d);
    if(st)
      return st;
  }
  enum sfl_status st = add_encryption_statements(m, d);
  if(st)
    return st;
  if(m->props.logs && m->props.logs->destination) {
    static const char *const logs[] = {
      "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
      "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
      "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"};
    cJSON *all = cJSON_CreateArray();
    json_push(all, cJSON_CreateString("*"));
    st = role_add_statement(m->role, iam_statement(logs, 8, all, NULL, NULL), d);
    if(st)
      return st;
  }
  if(cJSON_IsTrue(m->props.tracing_enabled)) {
    static const char *const xray[] = {"xray:PutTraceSegments", "xray:PutTelemetryRecords",
                                       "xray:GetSamplingRules", "xray:GetSamplingTargets"};
    cJSON *all = cJSON_CreateArray();
    json_push(all, cJSON_CreateString("*"));
    return role_add_statement(m->role, iam_statement(xray, 4, all, NULL, NULL), d);
  }
  return SFL_OK;
}

/* state-machine.js validateStateMachineName and validateLogOptions. */
static enum sfl_status check_machine_props(const struct sfn_machine_props *p,
                                           struct sfl_loc loc, struct diag *d)
{
  const cJSON *name = p->state_machine_name;
  if(cJSON_IsString(name) && !json_has(name, JSON_PATH)) {
    size_t len = strlen(name->valuestring);
    if(len < 1 || len > 80)
      return diag_set(d, SFL_ERR_INVALID, loc, "State Machine name must be between 1 and 80 "
                      "characters. Received: %s", name->valuestring);
    for(const char *c = name->valuestring; *c; c++)
      if(!isalnum((unsigned char)*c) && !strchr("+!@.()-=_'", *c))
        return diag_set(d, SFL_ERR_INVALID, loc, "State Machine name must match "
                        "\"^[a-z0-9+!@.()-=_']+$/i\". Received: %s", name->valuestring);
  }
  if(p->encryption && sfn_check_encryption(p->encryption, loc, d))
    return SFL_ERR_INVALID;
  if(p->logs && !p->logs->destination && logs_on(p->logs))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Logs destination is required when level is not OFF.");
  return SFL_OK;
}

/* FileDefinitionBody.bind: an s3_assets.Asset "DefinitionBody" in the machine. */
static enum sfl_status add_definition_asset(struct sfn_machine *m, struct sfl_loc loc,
                                            struct diag *d)
{
  struct cfn_node *n = cfn_node_new(m->node, "DefinitionBody", "aws-cdk-lib.aws_s3_assets.Asset",
                                    loc, d);
  if(!n || !cfn_node_new(n, "Stage", "aws-cdk-lib.AssetStaging", loc, d)
     || !cfn_node_new(n, "AssetBucket", "aws-cdk-lib.aws_s3.BucketBase", loc, d))
    return d->status;
  const char *name = m->props.definition_asset_name;
  if(!name) {
    const char *path = cfn_node_path(m->node->app->arena, n);
    name = path ? path + strlen(m->node->stack->node->id) + 1 : NULL;
  }
  return name ? cfn_stack_add_asset(m->node->stack, m->props.definition_asset, name, d)
              : diag_nomem(d);
}

struct sfn_machine *sfn_machine_new(struct cfn_node *scope, const char *id,
                                    const struct sfn_machine_props *props,
                                    struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  if(check_machine_props(props, loc, d))
    return NULL;
  struct sfn_machine *m = arena_alloc(a, sizeof *m);
  if(!m)
    return diag_nomem(d), NULL;
  m->props = *props;
  m->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_stepfunctions.StateMachine", loc, d);
  if(!m->node)
    return NULL;
  m->node->model = m;
  m->role = props->role ? props->role
                        : role_new(m->node, "Role", "states.amazonaws.com",
                                   states_trust_condition(), loc, d);
  if(!m->role)
    return NULL;
  if(props->definition) {
    const char *desc = arena_printf(a, "State Machine '%s'", m->node->id);
    m->graph = desc ? asl_graph_new(a, props->definition->start, desc, loc, d) : NULL;
    if(!m->graph)
      return desc ? NULL : (diag_nomem(d), NULL);
  }
  if(add_machine_statements(m, d))
    return NULL;
  if(props->definition_asset && add_definition_asset(m, loc, d))
    return NULL;
  m->resource = cfn_resource_new(m->node, "Resource", "AWS::StepFunctions::StateMachine",
                                 "aws-cdk-lib.aws_stepfunctions.CfnStateMachine", loc, d);
  if(!m->resource)
    return NULL;
  m->resource->prepare = prepare_machine;
  m->resource->prepare_ctx = m;
  cfn_apply_removal_policy(m->resource, props->removal_policy, "Delete");
  struct cfn_node *dep = role_dependency(m->role);
  if(dep && cfn_depends_on(m->resource, dep))
    return diag_nomem(d), NULL;
  /* StateGraph.bind, after the machine: the distributed Maps' own policy. */
  if(dmap_machine_policy(m, d))
    return NULL;
  return m;
}

/* {============ Activity and fragments */

struct sfn_activity *sfn_activity_new(struct cfn_node *scope, const char *id, cJSON *name,
                                      const struct sfn_encryption *encryption,
                                      struct sfl_loc loc, struct diag *d)
{
  if(encryption && sfn_check_encryption(encryption, loc, d))
    return NULL;
  struct arena *a = scope->app->arena;
  struct sfn_activity *act = arena_alloc(a, sizeof *act);
  if(!act)
    return diag_nomem(d), NULL;
  act->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_stepfunctions.Activity", loc, d);
  if(!act->node)
    return NULL;
  act->node->model = act;
  act->resource = cfn_resource_new(act->node, "Resource", "AWS::StepFunctions::Activity",
                                   "aws-cdk-lib.aws_stepfunctions.CfnActivity", loc, d);
  if(!act->resource)
    return NULL;
  /* Without a name, Names.uniqueId(this): the logical-ID algorithm over the whole path. */
  cJSON *n = name ? json_dup(name) : cJSON_CreateString(cfn_unique_id(a, act->node));
  if(encryption)
    json_put(act->resource->props, "EncryptionConfiguration",
             encryption_configuration(encryption));
  if(!json_put(act->resource->props, "Name", n))
    return diag_nomem(d), NULL;
  if(encryption && encryption->key) {
    /* activity.js: the key lets Step Functions use it for this activity. */
    static const char *const use[] = {"kms:Decrypt", "kms:GenerateDataKey"};
    cJSON *cond = string_equals("kms:EncryptionContext:aws:states:activityArn",
                                states_arn(":activity:", n));
    if(kms_key_add_to_policy(encryption->key,
                             kms_service_statement(use, 2, "states.amazonaws.com", cond), d))
      return NULL;
  }
  return act;
}

/* State.prefixStates: every state reachable from start, error handlers included. */
enum sfl_status sfn_prefix_states(struct asl_state *start, const char *prefix, struct diag *d)
{
  struct vec reached = {0};
  enum sfl_status st = *prefix ? asl_reachable(start, 1, &reached, d) : SFL_OK;
  for(size_t i = 0; !st && i < reached.n; i++)
    if(asl_state_add_prefix(reached.items[i], prefix))
      st = diag_nomem(d);
  return st;
}

/* }============ */

/* {============ imported machines */

/* The name field of a literal state machine ARN ("arn:aws:states:r:a:stateMachine:NAME"). */
static const char *literal_arn_name(const char *arn, size_t *len)
{
  const char *p = arn;
  for(int field = 0; field < 6; field++) {
    p = strchr(p, ':');
    if(!p)
      return NULL;
    p++;
  }
  *len = strcspn(p, ":");
  return *len ? p : NULL;
}

struct sfn_machine *sfn_machine_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                       cJSON *name, struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  size_t len;
  if(arn && cJSON_IsString(arn)
     && (strncmp(arn->valuestring, "arn:", 4) || !literal_arn_name(arn->valuestring, &len)))
    return diag_set(d, SFL_ERR_INVALID, loc, "'%s' is not a state machine ARN: write it as "
                    "arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME", arn->valuestring),
           NULL;
  struct sfn_machine *m = arena_alloc(a, sizeof *m);
  if(!m)
    return diag_nomem(d), NULL;
  /* CDK's import is a plain Resource: no StateMachine fqn, so graph and run skip it. */
  m->node = cfn_node_new(scope, id, "aws-cdk-lib.Resource", loc, d);
  if(!m->node)
    return NULL;
  m->node->model = m;
  if(!arn) {
    const char *tail = arena_printf(a, "stateMachine:%s", name->valuestring);
    arn = tail ? arena_own_json(a, cfn_arn("states", 1, 1, tail)) : NULL;
    if(!arn)
      return diag_nomem(d), NULL;
  }
  m->imported_arn = arn;
  m->imported_name = name;
  return m;
}

cJSON *sfn_machine_arn(const struct sfn_machine *m)
{
  return m->resource ? cfn_ref(m->resource->logical_id) : json_dup(m->imported_arn);
}

cJSON *sfn_machine_name(const struct sfn_machine *m)
{
  if(m->imported_name)
    return json_dup(m->imported_name);
  size_t len;
  const char *name = m->imported_arn && cJSON_IsString(m->imported_arn)
    ? literal_arn_name(m->imported_arn->valuestring, &len) : NULL;
  if(!name)
    return cfn_select_split(6, ":", sfn_machine_arn(m));
  char *copy = cJSON_malloc(len + 1);
  if(!copy)
    return NULL;
  memcpy(copy, name, len);
  copy[len] = 0;
  cJSON *v = cJSON_CreateString(copy);
  cJSON_free(copy);
  return v;
}

/* }============ */

/* {============ grants */

cJSON *sfn_machine_execution_arn(const struct sfn_machine *m, const char *suffix)
{
  return cfn_concat(7, cJSON_CreateString("arn:"), cfn_partition(),
                    cJSON_CreateString(":states:"), cfn_region(), cJSON_CreateString(":"),
                    cfn_account(),
                    cfn_concat(3, cJSON_CreateString(":execution:"), sfn_machine_name(m),
                               cJSON_CreateString(suffix)));
}

static cJSON *one(cJSON *v)
{
  cJSON *list = cJSON_CreateArray();
  if(!json_push(list, v)) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

static enum sfl_status grant_to(struct role *to, const char *const *actions, size_t n,
                                cJSON *resource, struct diag *d)
{
  return role_add_statement(to, iam_statement(actions, n, one(resource), NULL, NULL), d);
}

enum sfl_status sfn_machine_grant(const struct sfn_machine *m, struct role *to,
                                  enum sfn_grant grant, const char *const *actions,
                                  size_t nactions, struct diag *d)
{
  static const char *const start[] = {"states:StartExecution"};
  static const char *const start_sync[] = {"states:StartSyncExecution"};
  static const char *const respond[] = {"states:SendTaskSuccess", "states:SendTaskFailure",
                                        "states:SendTaskHeartbeat"};
  static const char *const redrive[] = {"states:RedriveExecution"};
  static const char *const read1[] = {"states:ListExecutions", "states:ListStateMachines"};
  static const char *const read2[] = {"states:DescribeExecution",
                                      "states:DescribeStateMachineForExecution",
                                      "states:GetExecutionHistory"};
  static const char *const read3[] = {"states:ListActivities", "states:DescribeStateMachine",
                                      "states:DescribeActivity"};
  enum sfl_status st;
  switch(grant) {
  case SFN_GRANT_START_EXECUTION: return grant_to(to, start, 1, sfn_machine_arn(m), d);
  case SFN_GRANT_START_SYNC_EXECUTION: return grant_to(to, start_sync, 1, sfn_machine_arn(m), d);
  case SFN_GRANT_TASK_RESPONSE: return grant_to(to, respond, 3, sfn_machine_arn(m), d);
  case SFN_GRANT_REDRIVE_EXECUTION:
    /* StateMachine.grantRedriveExecution: its executions (StateMachineGrants differs). */
    return grant_to(to, redrive, 1, sfn_machine_execution_arn(m, ":*"), d);
  case SFN_GRANT_READ:
    st = grant_to(to, read1, 2, sfn_machine_arn(m), d);
    if(!st)
      st = grant_to(to, read2, 3, sfn_machine_execution_arn(m, ":*"), d);
    if(!st)
      st = grant_to(to, read3, 3, cJSON_CreateString("*"), d);
    return st;
  case SFN_GRANT_EXECUTION: return grant_to(to, actions, nactions, sfn_machine_execution_arn(m, ":*"), d);
  case SFN_GRANT_ACTIONS: return grant_to(to, actions, nactions, sfn_machine_arn(m), d);
  }
  return SFL_OK;
}

/* }============ */
