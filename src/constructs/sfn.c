/*
** sfn.c: state machines (aws-stepfunctions/lib/state-machine.js).
*/
#include "constructs/sfn.h"
#include "asl/render.h"
#include "cfn/iam.h"
#include "cfn/token.h"

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
  cJSON *doc = asl_render_graph(m->graph);
  json_put(doc, "TimeoutSeconds", json_dup(m->props.timeout));
  json_put(doc, "Comment", json_dup(m->props.comment));
  return doc;
}

static enum sfl_status validate_graph(const struct asl_graph *g, struct diag *d)
{
  for(size_t i = 0; i < g->states.n; i++) {
    const struct asl_state *s = g->states.items[i];
    if(s->type == ASL_PARALLEL && !s->branches.n)
      return diag_set(d, SFL_ERR_INVALID, s->loc,
                      "Parallel '%s' must have at least one branch; add one with "
                      ":branch(chain)", asl_state_name(s));
    for(size_t b = 0; b < s->branches.n; b++) {
      enum sfl_status st = validate_graph(s->branches.items[b], d);
      if(st)
        return st;
    }
  }
  return SFL_OK;
}

enum sfl_status sfn_machine_validate(const struct sfn_machine *m, struct diag *d)
{
  return validate_graph(m->graph, d);
}

static enum sfl_status prepare_machine(struct cfn_resource *res, struct diag *d)
{
  struct sfn_machine *m = res->prepare_ctx;
  enum sfl_status st = sfn_machine_validate(m, d);
  if(st)
    return st;
  cJSON *doc = sfn_machine_definition(m);
  cJSON *props = cJSON_CreateObject();
  json_put(props, "DefinitionString", doc ? cfn_stringify(doc) : NULL);
  cJSON_Delete(doc);
  json_put(props, "RoleArn", role_arn(m->role));
  json_put(props, "StateMachineName", json_dup(m->props.state_machine_name));
  json_put(props, "StateMachineType", json_dup(m->props.state_machine_type));
  if(m->props.tracing_enabled) {
    cJSON *tracing = json_put(props, "TracingConfiguration", cJSON_CreateObject());
    json_put(tracing, "Enabled", json_dup(m->props.tracing_enabled));
  }
  if(!json_get(props, "DefinitionString") || !json_get(props, "RoleArn")) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(m->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

static enum sfl_status add_machine_statements(struct sfn_machine *m, struct diag *d)
{
  /* Statements the graph's tasks registered, in binding order, then the machine's own. */
  for(size_t i = 0; i < m->graph->policies.n; i++) {
    enum sfl_status st = role_add_statement(m->role, json_dup(m->graph->policies.items[i]), d);
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

static void set_removal_policy(struct cfn_resource *res, const char *policy)
{
  static const struct { const char *name, *value; } policies[] = {
    {"destroy", "Delete"}, {"retain", "Retain"}, {"snapshot", "Snapshot"},
    {"retain_on_update_or_delete", "Retain"},
  };
  res->update_replace_policy = res->deletion_policy = "Delete";
  for(size_t i = 0; policy && i < sizeof policies / sizeof *policies; i++)
    if(!strcmp(policy, policies[i].name))
      res->update_replace_policy = res->deletion_policy = policies[i].value;
}

struct sfn_machine *sfn_machine_new(struct cfn_node *scope, const char *id,
                                    const struct sfn_machine_props *props,
                                    struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct sfn_machine *m = arena_alloc(a, sizeof *m);
  if(!m)
    return diag_nomem(d), NULL;
  m->props = *props;
  m->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_stepfunctions.StateMachine", loc, d);
  if(!m->node)
    return NULL;
  m->node->model = m;
  m->role = role_new(m->node, "Role", "states.amazonaws.com", states_trust_condition(), loc, d);
  if(!m->role)
    return NULL;
  const char *desc = arena_printf(a, "State Machine '%s'", m->node->id);
  m->graph = desc ? asl_graph_new(a, props->definition->start, desc, loc, d) : NULL;
  if(!m->graph)
    return desc ? NULL : (diag_nomem(d), NULL);
  if(add_machine_statements(m, d))
    return NULL;
  m->resource = cfn_resource_new(m->node, "Resource", "AWS::StepFunctions::StateMachine",
                                 "aws-cdk-lib.aws_stepfunctions.CfnStateMachine", loc, d);
  if(!m->resource)
    return NULL;
  m->resource->prepare = prepare_machine;
  m->resource->prepare_ctx = m;
  set_removal_policy(m->resource, props->removal_policy);
  if(cfn_depends_on(m->resource, m->role->node))
    return diag_nomem(d), NULL;
  return m;
}
