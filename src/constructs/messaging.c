/*
** messaging.c: what Topic, Queue and EventBus share: resource policies and grants.
*/
#include "constructs/messaging.h"
#include "cfn/iam.h"
#include "cfn/token.h"

cJSON *messaging_ssl_statement(const char *action, cJSON *principal, cJSON *resource,
                               const char *sid)
{
  /* postprocess-policy-document.js order: Action, Condition, Effect, Principal,
  ** Resource, Sid. */
  cJSON *st = cJSON_CreateObject();
  json_put_str(st, "Action", action);
  cJSON *cond = json_put(st, "Condition", cJSON_CreateObject());
  json_put_str(json_put(cond, "Bool", cJSON_CreateObject()), "aws:SecureTransport", "false");
  json_put_str(st, "Effect", "Deny");
  json_put(st, "Principal", principal);
  json_put(st, "Resource", resource);
  json_put_str(st, "Sid", sid);
  if(!json_get(st, "Resource") || !json_get(st, "Principal")
     || (sid && !json_get(st, "Sid"))) {
    cJSON_Delete(st);
    return NULL;
  }
  return st;
}

enum sfl_status messaging_policy(struct cfn_node *parent, const char *type, const char *fqn,
                                 const char *l1_fqn, const char *list_key, cJSON *target,
                                 cJSON *statement, struct sfl_loc loc, struct diag *d)
{
  struct arena *a = parent->app->arena;
  cJSON *statements = arena_own_json(a, cJSON_CreateArray());
  cJSON *targets = arena_own_json(a, cJSON_CreateArray());
  /* Both pushes run, whatever the first gives: json_push owns its value either way (it
  ** frees it when it fails), so neither leaks. */
  const cJSON *pushed_statement = json_push(statements, statement);
  const cJSON *pushed_target = json_push(targets, target);
  if(!pushed_statement || !pushed_target)
    return diag_nomem(d);
  struct cfn_node *node = cfn_node_new(parent, "Policy", fqn, loc, d);
  if(!node)
    return d->status;
  struct cfn_resource *r = cfn_resource_new(node, "Resource", type, l1_fqn, loc, d);
  if(!r)
    return d->status;
  if(!json_put(r->props, "PolicyDocument", iam_policy_document(statements))
     || !json_put(r->props, list_key, json_dup(targets)))
    return diag_nomem(d);
  return SFL_OK;
}

enum sfl_status messaging_grant(struct role *to, const char *const *actions, size_t n,
                                cJSON *resource, struct diag *d)
{
  cJSON *list = cJSON_CreateArray();
  if(!json_push(list, resource)) {
    cJSON_Delete(list);
    return diag_nomem(d);
  }
  return role_add_statement(to, iam_statement(actions, n, list, NULL, NULL), d);
}
