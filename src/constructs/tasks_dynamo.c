/*
** tasks_dynamo.c: DynamoPutItem, DynamoGetItem, DynamoUpdateItem, DynamoDeleteItem
** (aws-stepfunctions-tasks/lib/dynamodb/). The four share one renderer: each lists
** the Parameters it writes, in CDK's key order.
**
** CDK checks no integration pattern here: the Resource is always request/response.
*/
#include "constructs/tasks_private.h"
#include "asl/render.h"

#include <stddef.h>

enum param { P_END, P_ITEM, P_KEY, P_TABLE, P_CONSISTENT, P_CONDITION, P_NAMES, P_VALUES,
             P_PROJECTION, P_CAPACITY, P_METRICS, P_RETURN, P_UPDATE };

static const struct {
  const char *key;
  size_t offset;                   /* in struct dynamo_task_props; unused for P_TABLE */
} params[] = {
  [P_ITEM] = {"Item", offsetof(struct dynamo_task_props, item)},
  [P_KEY] = {"Key", offsetof(struct dynamo_task_props, key)},
  [P_TABLE] = {"TableName", 0},
  [P_CONSISTENT] = {"ConsistentRead", offsetof(struct dynamo_task_props, consistent_read)},
  [P_CONDITION] = {"ConditionExpression",
                   offsetof(struct dynamo_task_props, condition_expression)},
  [P_NAMES] = {"ExpressionAttributeNames",
               offsetof(struct dynamo_task_props, expression_attribute_names)},
  [P_VALUES] = {"ExpressionAttributeValues",
                offsetof(struct dynamo_task_props, expression_attribute_values)},
  [P_PROJECTION] = {"ProjectionExpression",
                    offsetof(struct dynamo_task_props, projection_expression)},
  [P_CAPACITY] = {"ReturnConsumedCapacity",
                  offsetof(struct dynamo_task_props, return_consumed_capacity)},
  [P_METRICS] = {"ReturnItemCollectionMetrics",
                 offsetof(struct dynamo_task_props, return_item_collection_metrics)},
  [P_RETURN] = {"ReturnValues", offsetof(struct dynamo_task_props, return_values)},
  [P_UPDATE] = {"UpdateExpression", offsetof(struct dynamo_task_props, update_expression)},
};

static const struct {
  const char *cls, *api, *action;
  enum param layout[10];
} methods[] = {
  [DYNAMO_GET] = {"DynamoGetItem", "getItem", "dynamodb:GetItem",
                  {P_KEY, P_TABLE, P_CONSISTENT, P_NAMES, P_PROJECTION, P_CAPACITY}},
  [DYNAMO_PUT] = {"DynamoPutItem", "putItem", "dynamodb:PutItem",
                  {P_ITEM, P_TABLE, P_CONDITION, P_NAMES, P_VALUES, P_CAPACITY, P_METRICS,
                   P_RETURN}},
  [DYNAMO_DELETE] = {"DynamoDeleteItem", "deleteItem", "dynamodb:DeleteItem",
                     {P_KEY, P_TABLE, P_CONDITION, P_NAMES, P_VALUES, P_CAPACITY, P_METRICS,
                      P_RETURN}},
  [DYNAMO_UPDATE] = {"DynamoUpdateItem", "updateItem", "dynamodb:UpdateItem",
                     {P_KEY, P_TABLE, P_CONDITION, P_NAMES, P_VALUES, P_CAPACITY, P_METRICS,
                      P_RETURN, P_UPDATE}},
};

static cJSON *render_params(enum dynamo_method m, const struct dynamo_task_props *p)
{
  cJSON *o = cJSON_CreateObject();
  for(const enum param *k = methods[m].layout; *k != P_END; k++) {
    const char *key = params[*k].key;
    if(*k == P_TABLE) {
      if(!json_put(o, key, ddb_table_name(p->table)))
        goto nomem;
      continue;
    }
    const cJSON *v = *(cJSON *const *)((const char *)p + params[*k].offset);
    /* consistentRead ?? false */
    if(*k == P_CONSISTENT && !v && !json_put_bool(o, key, 0))
      goto nomem;
    if(v && !json_put(o, key, json_dup(v)))
      goto nomem;
  }
  return o;
nomem:
  cJSON_Delete(o);
  return NULL;
}

struct asl_state *task_dynamo(enum dynamo_method m, struct cfn_node *scope, const char *id,
                              const struct dynamo_task_props *p, struct sfl_loc loc,
                              struct diag *d)
{
  struct arena *a = scope->app->arena;
  cJSON *rendered = arena_own_json(a, render_params(m, p));
  if(!rendered)
    return diag_nomem(d), NULL;
  const char *bad = p->base.ql == ASL_QL_JSONATA ? NULL : asl_check_object(rendered);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s: %s", methods[m].cls, bad), NULL;
  struct asl_state *s = task_state_new(scope, id, methods[m].cls, &p->base, loc, d);
  const char *actions[] = {methods[m].action};
  if(!s || task_add_policy(s, actions, 1, task_one(ddb_table_format_arn(p->table)), NULL,
                           NULL, d))
    return NULL;
  s->resource = arena_own_json(a, task_resource_arn("dynamodb", methods[m].api,
                                                    PATTERN_REQUEST_RESPONSE));
  s->task_params = rendered;
  return s->resource ? s : (diag_nomem(d), NULL);
}
