/*
** policy.c: iam.Policy, iam.ManagedPolicy and principals (aws-iam/lib/policy.js,
** managed-policy.js, principals.js).
*/
#include "constructs/policy.h"
#include "constructs/role.h"
#include "cfn/iam.h"
#include "cfn/token.h"

/* {============ principals */

int iam_principal_merge(cJSON *principal, const struct iam_principal *p)
{
  if(!p->kind) {
    for(size_t i = 0; i < p->parts.n; i++)
      if(!iam_principal_merge(principal, p->parts.items[i]))
        return 0;
    return 1;
  }
  cJSON *list = json_get(principal, p->kind);
  if(!list)
    list = json_put(principal, p->kind, cJSON_CreateArray());
  for(const cJSON *c = list ? list->child : NULL; c; c = c->next)
    if(cJSON_Compare(c, p->value, 1))
      return 1;
  return list && json_push(list, json_dup(p->value));
}

int iam_principal_trust(cJSON *statements, const struct iam_principal *p)
{
  if(!p->kind) {
    for(size_t i = 0; i < p->parts.n; i++)
      if(!iam_principal_trust(statements, p->parts.items[i]))
        return 0;
    return 1;
  }
  static const char *const assume[] = {"sts:AssumeRole"};
  cJSON *action = json_strings(assume, 1);
  cJSON *principal = cJSON_CreateObject();
  struct iam_stmt s = {.action = action, .principal = principal};
  int ok = iam_principal_merge(principal, p)
           && json_push(statements, iam_stmt_render(&s));
  cJSON_Delete(action);
  cJSON_Delete(principal);
  return ok;
}

/* }============ */

/* Adds r to a list of roles unless it is there already (attachToRole is idempotent). */
static enum sfl_status add_role(struct arena *a, struct vec *roles, struct role *r,
                                struct diag *d)
{
  for(size_t i = 0; i < roles->n; i++)
    if(roles->items[i] == r)
      return SFL_OK;
  return vec_push(a, roles, r) ? diag_nomem(d) : SFL_OK;
}

static cJSON *role_names(const struct vec *roles)
{
  cJSON *list = cJSON_CreateArray();
  for(size_t i = 0; list && i < roles->n; i++)
    if(!json_push(list, role_name(roles->items[i]))) {
      cJSON_Delete(list);
      return NULL;
    }
  return list;
}

/* The policy document, merged when the app asks for it ("sfl:dedupe-iam"). */
static cJSON *document(const struct cfn_node *node, const cJSON *statements)
{
  cJSON *merged = node->app->merge_policies ? iam_merge_statements(statements) : NULL;
  cJSON *doc = iam_policy_document(merged ? merged : statements);
  cJSON_Delete(merged);
  return doc;
}

/* {============ iam.Policy */

/* CfnPolicyConditional: an empty or unattached policy is not written, unless forced. */
static enum sfl_status prepare_policy(struct cfn_resource *res, struct diag *d)
{
  struct iam_policy *p = res->prepare_ctx;
  int empty = !cJSON_GetArraySize(p->statements);
  if(p->force && empty)
    return diag_set(d, SFL_ERR_INVALID, p->node->loc, "Policy created with force=true is "
                    "empty. You must add statements to the policy");
  if(p->force && !p->roles.n)
    return diag_set(d, SFL_ERR_INVALID, p->node->loc, "Policy created with force=true must "
                    "be attached to at least one principal: user, group or role");
  res->omit = empty || !p->roles.n;
  if(res->omit)
    return SFL_OK;
  cJSON *props = cJSON_CreateObject();
  int ok = json_put(props, "PolicyDocument", document(p->node, p->statements))
           && json_put(props, "PolicyName", p->name ? json_dup(p->name)
                                                    : cJSON_CreateString(res->logical_id))
           && json_put(props, "Roles", role_names(&p->roles));
  if(!ok) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(p->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

struct iam_policy *iam_policy_new(struct cfn_node *scope, const char *id, cJSON *name,
                                  struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct iam_policy *p = arena_alloc(a, sizeof *p);
  if(!p || !(p->statements = arena_own_json(a, cJSON_CreateArray())))
    return diag_nomem(d), NULL;
  p->name = name;
  p->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_iam.Policy", loc, d);
  if(!p->node)
    return NULL;
  p->node->model = p;
  p->resource = cfn_resource_new(p->node, "Resource", "AWS::IAM::Policy",
                                 "aws-cdk-lib.aws_iam.CfnPolicy", loc, d);
  if(!p->resource)
    return NULL;
  p->resource->prepare = prepare_policy;
  p->resource->prepare_ctx = p;
  return p;
}

enum sfl_status iam_policy_add_statement(struct iam_policy *p, cJSON *statement,
                                         struct diag *d)
{
  return json_push(p->statements, statement) ? SFL_OK : diag_nomem(d);
}

enum sfl_status iam_policy_attach(struct iam_policy *p, struct role *r, struct diag *d)
{
  return add_role(p->node->app->arena, &p->roles, r, d);
}

/* }============ */

/* {============ iam.ManagedPolicy */

/* CfnManagedPolicy properties in the generated (alphabetical) order. */
static enum sfl_status prepare_managed(struct cfn_resource *res, struct diag *d)
{
  struct iam_managed_policy *p = res->prepare_ctx;
  if(!cJSON_GetArraySize(p->statements))
    return diag_set(d, SFL_ERR_INVALID, p->node->loc, "ManagedPolicy '%s': Managed Policy is "
                    "empty. You must add statements to the policy", p->node->id);
  cJSON *props = cJSON_CreateObject();
  int ok = json_put(props, "Description", p->description ? json_dup(p->description)
                                                          : cJSON_CreateString("")) != NULL;
  if(p->name)
    ok = ok && json_put(props, "ManagedPolicyName", json_dup(p->name));
  ok = ok && json_put(props, "Path", p->path ? json_dup(p->path) : cJSON_CreateString("/"))
       && json_put(props, "PolicyDocument", document(p->node, p->statements));
  if(p->roles.n)
    ok = ok && json_put(props, "Roles", role_names(&p->roles));
  if(!ok) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(p->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

struct iam_managed_policy *iam_managed_policy_new(struct cfn_node *scope, const char *id,
                                                  cJSON *name, cJSON *description,
                                                  cJSON *path, struct sfl_loc loc,
                                                  struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct iam_managed_policy *p = arena_alloc(a, sizeof *p);
  if(!p || !(p->statements = arena_own_json(a, cJSON_CreateArray())))
    return diag_nomem(d), NULL;
  p->name = name;
  p->description = description;
  p->path = path;
  p->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_iam.ManagedPolicy", loc, d);
  if(!p->node)
    return NULL;
  p->node->model = p;
  p->resource = cfn_resource_new(p->node, "Resource", "AWS::IAM::ManagedPolicy",
                                 "aws-cdk-lib.aws_iam.CfnManagedPolicy", loc, d);
  if(!p->resource)
    return NULL;
  p->resource->prepare = prepare_managed;
  p->resource->prepare_ctx = p;
  return p;
}

struct iam_managed_policy *iam_managed_policy_aws(struct arena *a, const cJSON *name)
{
  struct iam_managed_policy *p = arena_alloc(a, sizeof *p);
  if(!p)
    return NULL;
  p->arn = arena_own_json(a, cfn_concat(3, cJSON_CreateString("arn:"), cfn_partition(),
                                        cfn_concat(2, cJSON_CreateString(":iam::aws:policy/"),
                                                   json_dup(name))));
  return p->arn ? p : NULL;
}

struct iam_managed_policy *iam_managed_policy_import(struct cfn_node *scope, const char *id,
                                                     cJSON *arn, const cJSON *name,
                                                     struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct iam_managed_policy *p = arena_alloc(a, sizeof *p);
  if(!p)
    return diag_nomem(d), NULL;
  p->node = cfn_node_new(scope, id, "aws-cdk-lib.Resource", loc, d);
  if(!p->node)
    return NULL;
  if(!arn)
    arn = arena_own_json(a, cfn_concat(7, cJSON_CreateString("arn:"), cfn_partition(),
                                       cJSON_CreateString(":iam::"), cfn_account(),
                                       cJSON_CreateString(":policy/"), json_dup(name),
                                       cJSON_CreateString("")));
  if(!(p->arn = arn))
    return diag_nomem(d), NULL;
  return p;
}

enum sfl_status iam_managed_policy_add_statement(struct iam_managed_policy *p,
                                                 cJSON *statement, struct diag *d)
{
  return json_push(p->statements, statement) ? SFL_OK : diag_nomem(d);
}

enum sfl_status iam_managed_policy_attach(struct iam_managed_policy *p, struct role *r,
                                          struct diag *d)
{
  return add_role(p->node->app->arena, &p->roles, r, d);
}

cJSON *iam_managed_policy_arn(const struct iam_managed_policy *p)
{
  return p->resource ? cfn_ref(p->resource->logical_id) : json_dup(p->arn);
}

/* }============ */
