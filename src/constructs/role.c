/*
** role.c: IAM roles and their default policies (aws-iam/lib/role.js, policy.js).
*/
#include "constructs/role.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <stdio.h>

static enum sfl_status prepare_role(struct cfn_resource *res, struct diag *d)
{
  struct role *r = res->prepare_ctx;
  cJSON *props = cJSON_CreateObject();
  cJSON *doc = iam_policy_document(r->trust);
  if(!json_put(props, "AssumeRolePolicyDocument", doc)) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  if(cJSON_GetArraySize(r->managed))
    json_put(props, "ManagedPolicyArns", json_dup(r->managed));
  res->props = arena_own_json(r->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

struct role *role_new(struct cfn_node *scope, const char *id, const char *service,
                      cJSON *trust_condition, struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct role *r = arena_alloc(a, sizeof *r);
  if(!r) {
    cJSON_Delete(trust_condition);
    return diag_nomem(d), NULL;
  }
  r->trust = arena_own_json(a, cJSON_CreateArray());
  r->managed = arena_own_json(a, cJSON_CreateArray());
  r->statements = arena_own_json(a, cJSON_CreateArray());
  if(!r->trust || !r->managed || !r->statements
     || !json_push(r->trust, iam_trust_statement(service, trust_condition))) {
    return diag_nomem(d), NULL;
  }
  r->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_iam.Role", loc, d);
  if(!r->node)
    return NULL;
  r->node->model = r;
  r->resource = cfn_resource_new(r->node, "Resource", "AWS::IAM::Role",
                                 "aws-cdk-lib.aws_iam.CfnRole", loc, d);
  if(!r->resource)
    return NULL;
  r->resource->prepare = prepare_role;
  r->resource->prepare_ctx = r;
  return r;
}

enum sfl_status role_add_managed_policy(struct role *r, const char *name, struct diag *d)
{
  char tail[256];
  snprintf(tail, sizeof tail, ":iam::aws:policy/%s", name);
  cJSON *arn = cfn_concat(3, cJSON_CreateString("arn:"), cfn_partition(),
                          cJSON_CreateString(tail));
  return json_push(r->managed, arn) ? SFL_OK : diag_nomem(d);
}

enum sfl_status role_add_trust(struct role *r, const char *service, struct diag *d)
{
  return json_push(r->trust, iam_trust_statement(service, NULL)) ? SFL_OK : diag_nomem(d);
}

static enum sfl_status prepare_policy(struct cfn_resource *res, struct diag *d)
{
  struct role *r = res->prepare_ctx;
  cJSON *props = cJSON_CreateObject();
  cJSON *roles = cJSON_CreateArray();
  json_push(roles, role_name(r));
  cJSON *merged = r->node->app->merge_policies ? iam_merge_statements(r->statements) : NULL;
  json_put(props, "PolicyDocument", iam_policy_document(merged ? merged : r->statements));
  cJSON_Delete(merged);
  json_put_str(props, "PolicyName", res->logical_id);
  if(!json_put(props, "Roles", roles) || !json_get(props, "PolicyDocument")) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(r->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

enum sfl_status role_add_statement(struct role *r, cJSON *statement, struct diag *d)
{
  if(!r->policy_node) {
    r->policy_node = cfn_node_new(r->node, "DefaultPolicy", "aws-cdk-lib.aws_iam.Policy",
                                  r->node->loc, d);
    if(!r->policy_node) {
      cJSON_Delete(statement);
      return d->status;
    }
    struct cfn_resource *res = cfn_resource_new(r->policy_node, "Resource", "AWS::IAM::Policy",
                                                "aws-cdk-lib.aws_iam.CfnPolicy",
                                                r->node->loc, d);
    if(!res) {
      cJSON_Delete(statement);
      return d->status;
    }
    res->prepare = prepare_policy;
    res->prepare_ctx = r;
  }
  return json_push(r->statements, statement) ? SFL_OK : diag_nomem(d);
}

cJSON *role_arn(const struct role *r)
{
  return cfn_getatt(r->resource->logical_id, "Arn");
}

cJSON *role_name(const struct role *r)
{
  return cfn_ref(r->resource->logical_id);
}
