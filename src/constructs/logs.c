/*
** logs.c: log groups (aws-logs/lib/log-group.js).
*/
#include "constructs/logs.h"
#include "cfn/token.h"

#include <string.h>

void cfn_apply_removal_policy(struct cfn_resource *r, const char *policy, const char *fallback)
{
  /* core/lib/cfn-resource.js applyRemovalPolicy: {deletion, update-replace} */
  static const struct { const char *name, *deletion, *update_replace; } policies[] = {
    {"destroy", "Delete", "Delete"}, {"retain", "Retain", "Retain"},
    {"snapshot", "Snapshot", "Snapshot"},
    {"retain_on_update_or_delete", "RetainExceptOnCreate", "Retain"},
  };
  r->update_replace_policy = r->deletion_policy = fallback;
  for(size_t i = 0; policy && i < sizeof policies / sizeof *policies; i++)
    if(!strcmp(policy, policies[i].name)) {
      r->deletion_policy = policies[i].deletion;
      r->update_replace_policy = policies[i].update_replace;
    }
}

struct log_group *log_group_new(struct cfn_node *scope, const char *id,
                                const struct log_group_props *props, struct sfl_loc loc,
                                struct diag *d)
{
  const cJSON *days = props->retention;
  if(cJSON_IsNumber(days) && days->valuedouble <= 0)
    return diag_set(d, SFL_ERR_INVALID, loc, "retentionInDays must be positive, got %g",
                    days->valuedouble), NULL;
  struct arena *a = scope->app->arena;
  struct log_group *lg = arena_alloc(a, sizeof *lg);
  if(!lg)
    return diag_nomem(d), NULL;
  lg->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_logs.LogGroup", loc, d);
  if(!lg->node)
    return NULL;
  lg->node->model = lg;
  lg->resource = cfn_resource_new(lg->node, "Resource", "AWS::Logs::LogGroup",
                                  "aws-cdk-lib.aws_logs.CfnLogGroup", loc, d);
  if(!lg->resource)
    return NULL;
  json_put(lg->resource->props, "LogGroupName", json_dup(props->log_group_name));
  if(!days)
    json_put_num(lg->resource->props, "RetentionInDays", 731);
  else if(!(cJSON_IsNumber(days) && days->valuedouble == LOGS_RETENTION_INFINITE))
    json_put(lg->resource->props, "RetentionInDays", json_dup(days));
  cfn_apply_removal_policy(lg->resource, props->removal_policy, "Retain");
  return lg;
}

cJSON *log_group_arn(const struct log_group *lg)
{
  return cfn_getatt(lg->resource->logical_id, "Arn");
}

cJSON *log_group_name(const struct log_group *lg)
{
  return cfn_ref(lg->resource->logical_id);
}
