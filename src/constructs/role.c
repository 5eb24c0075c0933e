/*
** role.c: IAM roles (aws-iam/lib/role.js) and their default policies.
*/
#include "constructs/role.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <stdio.h>
#include <string.h>

/* CfnRole properties in the generated (alphabetical) order. */
static enum sfl_status prepare_role(struct cfn_resource *res, struct diag *d)
{
  struct role *r = res->prepare_ctx;
  cJSON *props = cJSON_CreateObject();
  int ok = json_put(props, "AssumeRolePolicyDocument", iam_policy_document(r->trust)) != NULL;
  if(r->props.description)
    ok = ok && json_put(props, "Description", json_dup(r->props.description));
  if(cJSON_GetArraySize(r->managed))
    ok = ok && json_put(props, "ManagedPolicyArns", json_dup(r->managed));
  const struct { const char *key; const cJSON *value; } tail[] = {
    {"MaxSessionDuration", r->props.max_session_duration}, {"Path", r->props.path},
    {"PermissionsBoundary", r->props.permissions_boundary},
    {"Policies", cJSON_GetArraySize(r->inline_policies) ? r->inline_policies : NULL},
    {"RoleName", r->props.role_name},
  };
  for(size_t i = 0; i < sizeof tail / sizeof *tail; i++)
    if(tail[i].value)
      ok = ok && json_put(props, tail[i].key, json_dup(tail[i].value));
  if(!ok) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(r->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

static struct role *role_alloc(struct arena *a, struct diag *d)
{
  struct role *r = arena_alloc(a, sizeof *r);
  if(!r)
    return diag_nomem(d), NULL;
  r->trust = arena_own_json(a, cJSON_CreateArray());
  r->managed = arena_own_json(a, cJSON_CreateArray());
  r->inline_policies = arena_own_json(a, cJSON_CreateArray());
  if(!r->trust || !r->managed || !r->inline_policies)
    return diag_nomem(d), NULL;
  return r;
}

struct role *role_new_empty(struct cfn_node *scope, const char *id,
                            const struct role_props *props, struct sfl_loc loc,
                            struct diag *d)
{
  struct role *r = role_alloc(scope->app->arena, d);
  if(!r)
    return NULL;
  if(props)
    r->props = *props;
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

struct role *role_new(struct cfn_node *scope, const char *id, const char *service,
                      cJSON *trust_condition, struct sfl_loc loc, struct diag *d)
{
  struct role *r = role_new_empty(scope, id, NULL, loc, d);
  if(!r) {
    cJSON_Delete(trust_condition);
    return NULL;
  }
  if(!json_push(r->trust, iam_trust_statement(service, trust_condition)))
    return diag_nomem(d), NULL;
  return r;
}

/* The role name in a literal "arn:P:iam::A:role/path/name": its last part. */
static const char *literal_role_name(const char *arn)
{
  const char *p = arn;
  for(int field = 0; field < 5 && p; field++) {
    p = strchr(p, ':');
    p = p ? p + 1 : NULL;
  }
  if(!p || strncmp(p, "role/", 5) || !p[5])
    return NULL;
  const char *last = strrchr(p, '/');
  return last[1] ? last + 1 : NULL;
}

struct role *role_import(struct cfn_node *scope, const char *id, cJSON *arn, cJSON *name,
                         int mutable_, struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  if(arn && (!cJSON_IsString(arn) || strncmp(arn->valuestring, "arn:", 4)
             || !literal_role_name(arn->valuestring)))
    return diag_set(d, SFL_ERR_INVALID, loc, "Role.from_role_arn: '%s' is not a role ARN: "
                    "write it as arn:PARTITION:iam::ACCOUNT:role/NAME",
                    cJSON_IsString(arn) ? arn->valuestring : "(a token)"), NULL;
  struct role *r = role_alloc(a, d);
  if(!r)
    return NULL;
  if(!arn) {
    const char *tail = arena_printf(a, "role/%s", name->valuestring);
    arn = tail ? arena_own_json(a, cfn_arn("iam", 0, 1, tail)) : NULL;
  }
  else
    name = arena_own_json(a, cJSON_CreateString(literal_role_name(arn->valuestring)));
  if(!arn || !name)
    return diag_nomem(d), NULL;
  r->imported_arn = arn;
  r->imported_name = name;
  r->immutable = !mutable_;
  /* CDK: an ImportedRole "MutableRole<id>" wrapped by an ImmutableRole "<id>". */
  const char *node_id = mutable_ ? id : arena_printf(a, "MutableRole%s", id);
  r->node = node_id ? cfn_node_new(scope, node_id, "aws-cdk-lib.aws_iam.Role", loc, d) : NULL;
  if(!r->node)
    return node_id ? NULL : (diag_nomem(d), NULL);
  r->node->model = r;
  if(!mutable_ && !cfn_node_new(scope, id, "aws-cdk-lib.aws_iam.ImmutableRole", loc, d))
    return NULL;
  return r;
}

enum sfl_status role_add_managed_arn(struct role *r, cJSON *arn, struct diag *d)
{
  if(!r->resource) {
    cJSON_Delete(arn);
    return SFL_OK;
  }
  return json_push(r->managed, arn) ? SFL_OK : diag_nomem(d);
}

enum sfl_status role_add_managed_policy(struct role *r, const char *name, struct diag *d)
{
  char tail[256];
  snprintf(tail, sizeof tail, ":iam::aws:policy/%s", name);
  return role_add_managed_arn(r, cfn_concat(3, cJSON_CreateString("arn:"), cfn_partition(),
                                            cJSON_CreateString(tail)), d);
}

enum sfl_status role_add_trust(struct role *r, const char *service, struct diag *d)
{
  return json_push(r->trust, iam_trust_statement(service, NULL)) ? SFL_OK : diag_nomem(d);
}

enum sfl_status role_add_inline_policy(struct role *r, const char *name, cJSON *document,
                                       struct diag *d)
{
  cJSON *entry = cJSON_CreateObject();
  json_put(entry, "PolicyDocument", document);
  json_put_str(entry, "PolicyName", name);
  if(!json_get(entry, "PolicyName") || !json_get(entry, "PolicyDocument")) {
    cJSON_Delete(entry);
    return diag_nomem(d);
  }
  return json_push(r->inline_policies, entry) ? SFL_OK : diag_nomem(d);
}

enum sfl_status role_add_statement(struct role *r, cJSON *statement, struct diag *d)
{
  if(r->immutable) {
    cJSON_Delete(statement);
    return SFL_OK;
  }
  if(!r->policy) {
    r->policy = iam_policy_new(r->node, r->resource ? "DefaultPolicy" : "Policy", NULL,
                               r->node->loc, d);
    if(!r->policy || iam_policy_attach(r->policy, r, d)) {
      cJSON_Delete(statement);
      return d->status;
    }
  }
  return iam_policy_add_statement(r->policy, statement, d);
}

cJSON *role_arn(const struct role *r)
{
  return r->resource ? cfn_getatt(r->resource->logical_id, "Arn") : json_dup(r->imported_arn);
}

cJSON *role_name(const struct role *r)
{
  return r->resource ? cfn_ref(r->resource->logical_id) : json_dup(r->imported_name);
}

struct cfn_node *role_dependency(const struct role *r)
{
  return r->immutable ? NULL : r->node;
}
