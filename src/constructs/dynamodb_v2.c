/*
** dynamodb_v2.c: TableV2 (aws-dynamodb/lib/table-v2.js, billing.js, capacity.js): an
** AWS::DynamoDB::GlobalTable with one replica, the stack's region. Read settings live on
** the replica, write settings on the table, as CloudFormation wants them.
*/
#include "constructs/dynamodb_private.h"
#include "constructs/logs.h"
#include "cfn/token.h"

#define MAX_GLOBAL_INDEXES 20

/* {============ capacity */

cJSON *ddb_autoscaling(const cJSON *min, const cJSON *max, const cJSON *seed,
                       const cJSON *target, struct sfl_loc loc, struct diag *d)
{
  double lo = cJSON_IsNumber(min) ? min->valuedouble : 1;
  if(cJSON_IsNumber(max) && lo > max->valuedouble)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "`min_capacity` must be less than or equal to `max_capacity`"), NULL;
  if(cJSON_IsNumber(target) && (target->valuedouble < 20 || target->valuedouble > 90))
    return diag_set(d, SFL_ERR_INVALID, loc, "`target_utilization_percent` cannot be less "
                    "than 20 or greater than 90"), NULL;
  if(cJSON_IsNumber(seed) && seed->valuedouble < 1)
    return diag_set(d, SFL_ERR_INVALID, loc, "'seed_capacity' cannot be less than 1 - "
                    "received %g", seed->valuedouble), NULL;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "MaxCapacity", json_dup(max));
  json_put(o, "MinCapacity", min ? json_dup(min) : cJSON_CreateNumber(1));
  json_put(o, "SeedCapacity", json_dup(seed));
  cJSON *tracking = json_put(o, "TargetTrackingScalingPolicyConfiguration",
                             cJSON_CreateObject());
  if(!json_put(tracking, "TargetValue", target ? json_dup(target) : cJSON_CreateNumber(70))
     || !json_get(o, "MinCapacity")) {
    cJSON_Delete(o);
    return diag_nomem(d), NULL;
  }
  return o;
}

/* _renderReadCapacity / _renderWriteCapacity; NULL capacity: NULL, no error. */
static cJSON *capacity_settings(const struct ddb_capacity *c, int write, struct sfl_loc loc,
                                struct diag *d, int *failed)
{
  *failed = 0;
  if(!c)
    return NULL;
  *failed = 1;
  if(c->units && write)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "You cannot configure 'write_capacity' with FIXED capacity mode"), NULL;
  cJSON *o = c->units ? ddb_wrap("ReadCapacityUnits", c->units)
    : ddb_wrap(write ? "WriteCapacityAutoScalingSettings" : "ReadCapacityAutoScalingSettings",
               c->autoscaling);
  if(!o)
    return diag_nomem(d), NULL;
  *failed = 0;
  return o;
}

/* }============ */

/* {============ indexes */

static enum sfl_status check_v2_index(struct ddb_table *t, int global,
                                      const struct ddb_index_props *p, struct sfl_loc loc,
                                      struct diag *d)
{
  if(global && cJSON_GetArraySize(t->gsis) >= MAX_GLOBAL_INDEXES)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "You may not provide more than %d global secondary indexes",
                    MAX_GLOBAL_INDEXES);
  if(global && t->pay_per_request && (p->read_capacity_v2 || p->write_capacity_v2))
    return diag_set(d, SFL_ERR_INVALID, loc, "You cannot configure 'read_capacity' or "
                    "'write_capacity' on a global secondary index when the billing mode is "
                    "PAY_PER_REQUEST");
  if(!global && !t->sort_key)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "The table must have a sort key in order to add a local secondary index");
  if(!global && cJSON_GetArraySize(t->lsis) >= MAX_LOCAL_INDEXES)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "You may not provide more than %d local secondary indexes",
                    MAX_LOCAL_INDEXES);
  return ddb_check_index(t, p, loc, d);
}

/* The replica's side of a GSI: contributor insights and read settings. */
static cJSON *replica_gsi(struct ddb_table *t, const struct ddb_index_props *p,
                          struct sfl_loc loc, struct diag *d)
{
  int failed;
  cJSON *read = capacity_settings(p->read_capacity_v2, 0, loc, d, &failed);
  if(failed)
    return NULL;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "ContributorInsightsSpecification", json_dup(t->ci));
  json_put(o, "IndexName", json_dup(p->index_name));
  json_put(o, "ReadOnDemandThroughputSettings",
           ddb_wrap("MaxReadRequestUnits", p->max_read_request_units));
  json_put(o, "ReadProvisionedThroughputSettings", read ? read : json_dup(t->read_settings));
  if(!json_get(o, "IndexName")) {
    cJSON_Delete(o);
    return diag_nomem(d), NULL;
  }
  return o;
}

static cJSON *v2_index_json(struct ddb_table *t, int global, const struct ddb_index_props *p,
                            struct sfl_loc loc, struct diag *d)
{
  int failed;
  cJSON *write = global ? capacity_settings(p->write_capacity_v2, 1, loc, d, &failed) : NULL;
  if(global && failed)
    return NULL;
  const cJSON *pk = global ? p->partition_key : t->v2_props->partition_key;
  cJSON *keys = ddb_key_schema(t, pk, p->sort_key, loc, d);
  cJSON *o = keys ? cJSON_CreateObject() : NULL;
  json_put(o, "IndexName", json_dup(p->index_name));
  json_put(o, "KeySchema", json_dup(keys));
  json_put(o, "Projection", ddb_projection(p));
  if(global) {
    json_put(o, "WarmThroughput", json_dup(p->warm_throughput));
    json_put(o, "WriteOnDemandThroughputSettings",
             ddb_wrap("MaxWriteRequestUnits", p->max_write_request_units));
    json_put(o, "WriteProvisionedThroughputSettings",
             write ? write : json_dup(t->write_settings));
  }
  else
    cJSON_Delete(write);
  if(!keys || !json_get(o, "Projection")) {
    cJSON_Delete(o);
    return keys ? (diag_nomem(d), NULL) : NULL;
  }
  return o;
}

enum sfl_status ddb_v2_add_index(struct ddb_table *t, int global,
                                 const struct ddb_index_props *p, struct sfl_loc loc,
                                 struct diag *d)
{
  if(check_v2_index(t, global, p, loc, d))
    return d->status;
  cJSON *index = v2_index_json(t, global, p, loc, d);
  if(!index || !json_push(global ? t->gsis : t->lsis, index))
    return index ? diag_nomem(d) : d->status;
  if(!global)
    return SFL_OK;
  cJSON *replica = replica_gsi(t, p, loc, d);
  if(!replica || !json_push(t->replica_gsis, replica))
    return replica ? diag_nomem(d) : d->status;
  return SFL_OK;
}

/* }============ */

/* {============ the table */

static cJSON *replica(const struct ddb_table *t)
{
  const struct ddb_table_v2_props *p = t->v2_props;
  const struct ddb_billing *b = p->billing;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "ContributorInsightsSpecification", json_dup(t->ci));
  json_put(o, "DeletionProtectionEnabled", json_dup(p->deletion_protection));
  if(cJSON_GetArraySize(t->replica_gsis))
    json_put(o, "GlobalSecondaryIndexes", json_dup(t->replica_gsis));
  json_put(o, "PointInTimeRecoverySpecification", json_dup(t->pitr));
  json_put(o, "ReadOnDemandThroughputSettings",
           ddb_wrap("MaxReadRequestUnits", b ? b->max_read : NULL));
  json_put(o, "ReadProvisionedThroughputSettings", json_dup(t->read_settings));
  json_put(o, "Region", cfn_region());
  json_put(o, "TableClass", json_dup(p->table_class));
  if(!json_get(o, "Region")) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static enum sfl_status prepare_v2(struct cfn_resource *res, struct diag *d)
{
  struct ddb_table *t = res->prepare_ctx;
  const struct ddb_table_v2_props *p = t->v2_props;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "AttributeDefinitions", json_dup(t->attributes));
  json_put_str(o, "BillingMode", t->pay_per_request ? "PAY_PER_REQUEST" : "PROVISIONED");
  if(cJSON_GetArraySize(t->gsis))
    json_put(o, "GlobalSecondaryIndexes", json_dup(t->gsis));
  json_put(o, "KeySchema", json_dup(t->key_schema));
  if(cJSON_GetArraySize(t->lsis))
    json_put(o, "LocalSecondaryIndexes", json_dup(t->lsis));
  cJSON *replicas = json_put(o, "Replicas", cJSON_CreateArray());
  json_push(replicas, replica(t));
  json_put(o, "SSESpecification", json_dup(p->encryption));
  json_put(o, "StreamSpecification", ddb_wrap("StreamViewType", p->dynamo_stream));
  json_put(o, "TableName", json_dup(p->table_name));
  json_put(o, "TimeToLiveSpecification", ddb_time_to_live(p->time_to_live_attribute));
  json_put(o, "WarmThroughput", json_dup(p->warm_throughput));
  json_put(o, "WriteOnDemandThroughputSettings",
           ddb_wrap("MaxWriteRequestUnits", p->billing ? p->billing->max_write : NULL));
  json_put(o, "WriteProvisionedThroughputSettings", json_dup(t->write_settings));
  res->props = arena_own_json(t->node->app->arena, o);
  if(!res->props || cJSON_GetArraySize(replicas) != 1 || !json_get(o, "KeySchema"))
    return diag_nomem(d);
  return SFL_OK;
}

/* Everything CDK checks in the constructor, into the table's fields (arena-owned). */
static enum sfl_status v2_settings(struct arena *a, const struct ddb_table_v2_props *p,
                                   cJSON **out, struct sfl_loc loc, struct diag *d)
{
  int failed;
  const struct ddb_billing *b = p->billing;
  out[0] = arena_own_json(a, ddb_pitr(p->point_in_time_recovery, p->pitr_specification, loc,
                                      d, &failed));
  if(!failed)
    out[1] = arena_own_json(a, ddb_contributor_insights(p->contributor_insights,
                                                        "contributor_insights",
                                                        p->contributor_insights_specification,
                                                        loc, d, &failed));
  if(!failed && b && b->provisioned)
    out[2] = arena_own_json(a, capacity_settings(b->read, 0, loc, d, &failed));
  if(!failed && b && b->provisioned)
    out[3] = arena_own_json(a, capacity_settings(b->write, 1, loc, d, &failed));
  return failed ? d->status : SFL_OK;
}

struct ddb_table *ddb_table_v2_new(struct cfn_node *scope, const char *id,
                                   const struct ddb_table_v2_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  struct arena *a = scope->app->arena;
  cJSON *settings[4] = {NULL, NULL, NULL, NULL};
  if(ddb_check_keys(p->partition_key, p->sort_key, loc, d)
     || v2_settings(a, p, settings, loc, d))
    return NULL;
  struct ddb_table *t = ddb_table_alloc(scope, id, "aws-cdk-lib.aws_dynamodb.TableV2", loc, d);
  if(!t)
    return NULL;
  t->v2 = 1;
  t->v2_props = p;
  t->pitr = settings[0];
  t->ci = settings[1];
  t->read_settings = settings[2];
  t->write_settings = settings[3];
  t->pay_per_request = !p->billing || !p->billing->provisioned;
  t->sort_key = p->sort_key;
  t->has_stream = p->dynamo_stream != NULL;
  t->attributes = arena_own_json(a, cJSON_CreateArray());
  t->gsis = arena_own_json(a, cJSON_CreateArray());
  t->lsis = arena_own_json(a, cJSON_CreateArray());
  t->replica_gsis = arena_own_json(a, cJSON_CreateArray());
  if(!t->attributes || !t->gsis || !t->lsis || !t->replica_gsis)
    return diag_nomem(d), NULL;
  t->resource = cfn_resource_new(t->node, "Resource", "AWS::DynamoDB::GlobalTable",
                                 "aws-cdk-lib.aws_dynamodb.CfnGlobalTable", loc, d);
  if(!t->resource)
    return NULL;
  cfn_apply_removal_policy(t->resource, p->removal_policy, "Retain");
  t->resource->prepare = prepare_v2;
  t->resource->prepare_ctx = t;
  t->key_schema = ddb_key_schema(t, p->partition_key, p->sort_key, loc, d);
  return t->key_schema ? t : NULL;
}

/* }============ */
