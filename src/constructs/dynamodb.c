/*
** dynamodb.c: DynamoDB tables (aws-dynamodb/lib/table.js, shared.js) and their grants
** (table-grants.js, perms.js).
*/
#include "constructs/dynamodb_private.h"
#include "constructs/logs.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <string.h>

const char *ddb_text(const cJSON *j)
{
  return cJSON_IsString(j) ? j->valuestring : "(token)";
}

/* {============ keys and attributes */

/* registerAttribute: each attribute is defined once, with one type. */
static enum sfl_status register_attribute(struct ddb_table *t, const cJSON *key,
                                          struct sfl_loc loc, struct diag *d)
{
  const cJSON *name = json_get(key, "AttributeName"), *type = json_get(key, "AttributeType");
  for(const cJSON *def = t->attributes->child; def; def = def->next) {
    if(!cJSON_Compare(json_get(def, "AttributeName"), name, 1))
      continue;
    const cJSON *had = json_get(def, "AttributeType");
    if(!cJSON_Compare(had, type, 1))
      return diag_set(d, SFL_ERR_INVALID, loc,
                      "Unable to specify %s as %s because it was already defined as %s",
                      ddb_text(name), ddb_text(type), ddb_text(had));
    return SFL_OK;
  }
  return json_push(t->attributes, json_dup(key)) ? SFL_OK : diag_nomem(d);
}

static cJSON *key_element(const cJSON *key, const char *key_type)
{
  cJSON *e = cJSON_CreateObject();
  json_put(e, "AttributeName", json_dup(json_get(key, "AttributeName")));
  if(!json_put_str(e, "KeyType", key_type) || !json_get(e, "AttributeName")) {
    cJSON_Delete(e);
    return NULL;
  }
  return e;
}

enum sfl_status ddb_check_keys(const cJSON *pk, const cJSON *sk, struct sfl_loc loc,
                               struct diag *d)
{
  if(sk && cJSON_Compare(json_get(pk, "AttributeName"), json_get(sk, "AttributeName"), 1)
     && !cJSON_Compare(json_get(pk, "AttributeType"), json_get(sk, "AttributeType"), 1))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Unable to specify %s as %s because it was already defined as %s",
                    ddb_text(json_get(sk, "AttributeName")),
                    ddb_text(json_get(sk, "AttributeType")),
                    ddb_text(json_get(pk, "AttributeType")));
  return SFL_OK;
}

/* A key schema [HASH, RANGE?], registering its attributes. */
cJSON *ddb_key_schema(struct ddb_table *t, const cJSON *pk, const cJSON *sk,
                         struct sfl_loc loc, struct diag *d)
{
  if(register_attribute(t, pk, loc, d) || (sk && register_attribute(t, sk, loc, d)))
    return NULL;
  cJSON *schema = cJSON_CreateArray();
  json_push(schema, key_element(pk, "HASH"));
  if((sk && !json_push(schema, key_element(sk, "RANGE"))) || cJSON_GetArraySize(schema) < 1) {
    cJSON_Delete(schema);
    return diag_nomem(d), NULL;
  }
  return arena_own_json(t->node->app->arena, schema);
}

/* }============ */

/* {============ validation shared by tables and indexes */

static enum sfl_status check_provisioning(const struct ddb_table *t, const cJSON *read,
                                          const cJSON *write, struct sfl_loc loc,
                                          struct diag *d)
{
  if(t->pay_per_request && (read || write))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "you cannot provision read and write capacity for a table with "
                    "PAY_PER_REQUEST billing mode");
  return SFL_OK;
}

/* {key: flag}, or NULL when the flag is not set. */
static cJSON *spec_or_flag(const char *key, const cJSON *flag, struct diag *d, int *failed)
{
  cJSON *o = flag ? ddb_wrap(key, flag) : NULL;
  if(flag && !o) {
    *failed = 1;
    diag_nomem(d);
  }
  return o;
}

/* validateContributorInsights: the deprecated boolean or the specification. */
cJSON *ddb_contributor_insights(const cJSON *enabled, const char *enabled_name,
                                const cJSON *spec, struct sfl_loc loc, struct diag *d,
                                int *failed)
{
  *failed = 0;
  if(enabled && spec) {
    *failed = 1;
    return diag_set(d, SFL_ERR_INVALID, loc, "`contributor_insights_specification` and `%s` "
                    "are set. Use `contributor_insights_specification` only.", enabled_name),
           NULL;
  }
  return spec ? json_dup(spec) : spec_or_flag("Enabled", enabled, d, failed);
}

/* OnDemandThroughput: on-demand tables only, zeros left out (`units || undefined`). */
static cJSON *on_demand_throughput(const struct ddb_table *t, const cJSON *read,
                                   const cJSON *write)
{
  static const char *const keys[2] = {"MaxReadRequestUnits", "MaxWriteRequestUnits"};
  const cJSON *v[2] = {read, write};
  if(!t->pay_per_request || (!read && !write))
    return NULL;
  cJSON *o = cJSON_CreateObject();
  for(int i = 0; o && i < 2; i++)
    if(v[i] && !(cJSON_IsNumber(v[i]) && v[i]->valuedouble == 0))
      json_put(o, keys[i], json_dup(v[i]));
  return o;
}

/* {ReadCapacityUnits: read || 5, WriteCapacityUnits: write || 5} */
static cJSON *throughput(const cJSON *read, const cJSON *write)
{
  cJSON *o = cJSON_CreateObject();
  const cJSON *v[2] = {read, write};
  const char *keys[2] = {"ReadCapacityUnits", "WriteCapacityUnits"};
  for(int i = 0; i < 2; i++) {
    int unset = !v[i] || (cJSON_IsNumber(v[i]) && v[i]->valuedouble == 0);
    if(!json_put(o, keys[i], unset ? cJSON_CreateNumber(5) : json_dup(v[i]))) {
      cJSON_Delete(o);
      return NULL;
    }
  }
  return o;
}

/* }============ */

/* {============ indexes */

/* Table and TableV2 say the same things in slightly different words. */
static const char *const index_messages[][4] = {
  {"a duplicate index name, %s, is not allowed",
   "non-key attributes should be specified when using INCLUDE projection type",
   "non-key attributes should not be specified when not using INCLUDE projection type",
   "a maximum number of non_key_attributes across all of secondary indexes is %d"},
  {"Duplicate secondary index name, %s, is not allowed",
   "Non-key attributes should be specified when using INCLUDE projection type",
   "Non-key attributes should not be specified when not using INCLUDE projection type",
   "The maximum number of 'non_key_attributes' across all secondary indexes is %d"},
};

enum sfl_status ddb_check_index(struct ddb_table *t, const struct ddb_index_props *p,
                                struct sfl_loc loc, struct diag *d)
{
  const char *const *msg = index_messages[t->v2];
  const char *name = ddb_text(p->index_name);
  for(size_t i = 0; i < t->index_names.n; i++)
    if(!strcmp(t->index_names.items[i], name))
      return diag_set(d, SFL_ERR_INVALID, loc, msg[0], name);
  int include = p->projection_type && !strcmp(p->projection_type->valuestring, "INCLUDE");
  if(include && !p->non_key_attributes)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s", msg[1]);
  if(!include && p->non_key_attributes)
    return diag_set(d, SFL_ERR_INVALID, loc, "%s", msg[2]);
  t->non_key_count += cJSON_GetArraySize(p->non_key_attributes);
  if(t->non_key_count > MAX_NON_KEY_ATTRIBUTES)
    return diag_set(d, SFL_ERR_INVALID, loc, msg[3], MAX_NON_KEY_ATTRIBUTES);
  return vec_push(t->node->app->arena, &t->index_names, (void *)name) ? diag_nomem(d)
                                                                        : SFL_OK;
}

cJSON *ddb_projection(const struct ddb_index_props *p)
{
  cJSON *o = cJSON_CreateObject();
  json_put(o, "NonKeyAttributes", json_dup(p->non_key_attributes));
  if(!json_put(o, "ProjectionType", p->projection_type ? json_dup(p->projection_type)
                                                       : cJSON_CreateString("ALL"))) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* The index as CloudFormation has it; a GSI's keys are its own, an LSI's HASH the table's. */
static cJSON *index_json(struct ddb_table *t, int global, const struct ddb_index_props *p,
                         struct sfl_loc loc, struct diag *d)
{
  int failed;
  cJSON *ci = global ? ddb_contributor_insights(p->contributor_insights_enabled,
                                                "contributor_insights_enabled",
                                            p->contributor_insights_specification, loc, d,
                                            &failed) : NULL;
  if(global && failed)
    return NULL;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "ContributorInsightsSpecification", ci);
  json_put(o, "IndexName", json_dup(p->index_name));
  const cJSON *pk = global ? p->partition_key : t->props->partition_key;
  cJSON *keys = ddb_key_schema(t, pk, p->sort_key, loc, d);
  if(!keys) {
    cJSON_Delete(o);
    return NULL;
  }
  json_put(o, "KeySchema", json_dup(keys));
  if(global)
    json_put(o, "OnDemandThroughput", on_demand_throughput(t, p->max_read_request_units,
                                                          p->max_write_request_units));
  json_put(o, "Projection", ddb_projection(p));
  if(global && !t->pay_per_request)
    json_put(o, "ProvisionedThroughput", throughput(p->read_capacity, p->write_capacity));
  if(global)
    json_put(o, "WarmThroughput", json_dup(p->warm_throughput));
  if(!json_get(o, "Projection") || (global && !t->pay_per_request
                                    && !json_get(o, "ProvisionedThroughput"))) {
    cJSON_Delete(o);
    return diag_nomem(d), NULL;
  }
  return o;
}

cJSON *ddb_index_arn(const struct ddb_table *t)
{
  return cfn_concat(2, ddb_table_arn(t), cJSON_CreateString("/index/*"));
}

/* Grants made before the first index still cover the indexes (CDK's Lazy index ARN). */
static enum sfl_status extend_grants(struct ddb_table *t, struct diag *d)
{
  for(size_t i = 0; i < t->grant_resources.n; i++)
    if(!json_push(t->grant_resources.items[i], ddb_index_arn(t)))
      return diag_nomem(d);
  t->grant_resources.n = 0;
  return SFL_OK;
}

enum sfl_status ddb_table_add_index(struct ddb_table *t, int global,
                                    const struct ddb_index_props *p, struct sfl_loc loc,
                                    struct diag *d)
{
  if(t->v2)
    return ddb_v2_add_index(t, global, p, loc, d);
  if(!global && cJSON_GetArraySize(t->lsis) >= MAX_LOCAL_INDEXES)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "a maximum number of local secondary index per table is %d",
                    MAX_LOCAL_INDEXES);
  if(!global && !t->sort_key)
    return diag_set(d, SFL_ERR_INVALID, loc, "a sort key of the table must be specified to "
                    "add local secondary indexes");
  if(global && check_provisioning(t, p->read_capacity, p->write_capacity, loc, d))
    return d->status;
  if(ddb_check_index(t, p, loc, d))
    return d->status;
  cJSON *index = index_json(t, global, p, loc, d);
  if(!index)
    return d->status;
  if(!json_push(global ? t->gsis : t->lsis, index))
    return diag_nomem(d);
  return extend_grants(t, d);
}

/* }============ */

/* {============ the table */

int ddb_is(const cJSON *j, const char *s)
{
  return cJSON_IsString(j) && !strcmp(j->valuestring, s);
}

/* validatePitr */
cJSON *ddb_pitr(const cJSON *enabled, const cJSON *spec, struct sfl_loc loc, struct diag *d,
                int *failed)
{
  *failed = 1;
  if(spec && enabled)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "`point_in_time_recovery_specification` and `point_in_time_recovery` are "
                    "set. Use `point_in_time_recovery_specification` only."), NULL;
  const cJSON *days = json_get(spec, "RecoveryPeriodInDays");
  if(days && !cJSON_IsTrue(json_get(spec, "PointInTimeRecoveryEnabled")))
    return diag_set(d, SFL_ERR_INVALID, loc, "Cannot set `recovery_period_in_days` while "
                    "`point_in_time_recovery_enabled` is set to false."), NULL;
  if(cJSON_IsNumber(days) && (days->valuedouble < 1 || days->valuedouble > 35))
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "`recovery_period_in_days` must be a value between `1` and `35`."), NULL;
  *failed = 0;
  return spec ? json_dup(spec) : spec_or_flag("PointInTimeRecoveryEnabled", enabled, d, failed);
}

/* parseEncryption, without customer-managed keys. */
static cJSON *sse(const struct ddb_table_props *p, struct sfl_loc loc, struct diag *d,
                  int *failed)
{
  *failed = 1;
  if(p->encryption && p->server_side_encryption)
    return diag_set(d, SFL_ERR_INVALID, loc, "Only one of encryption and "
                    "server_side_encryption can be specified, but both were provided"), NULL;
  if(ddb_is(p->encryption, "CUSTOMER_MANAGED"))
    return diag_set(d, SFL_ERR_INVALID, loc, "sfl's dynamodb.Table does not take "
                    "customer-managed KMS keys (TableEncryption.CUSTOMER_MANAGED): use "
                    "TableEncryption.AWS_MANAGED (a key AWS manages for DynamoDB) or "
                    "TableEncryption.DEFAULT"), NULL;
  *failed = 0;
  int enabled;
  if(p->encryption)
    enabled = ddb_is(p->encryption, "AWS_MANAGED");
  else if(cJSON_IsTrue(p->server_side_encryption))
    enabled = 1;
  else
    return NULL;
  cJSON *o = cJSON_CreateObject();
  if(!json_put_bool(o, "SSEEnabled", enabled)) {
    cJSON_Delete(o);
    *failed = 1;
    return diag_nomem(d), NULL;
  }
  return o;
}

cJSON *ddb_wrap(const char *key, const cJSON *value)
{
  if(!value)
    return NULL;
  cJSON *o = cJSON_CreateObject();
  if(!json_put(o, key, json_dup(value))) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

cJSON *ddb_time_to_live(const cJSON *attribute)
{
  cJSON *o = ddb_wrap("AttributeName", attribute);
  if(o && !json_put_bool(o, "Enabled", 1)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static enum sfl_status prepare_table(struct cfn_resource *res, struct diag *d)
{
  struct ddb_table *t = res->prepare_ctx;
  const struct ddb_table_props *p = t->props;
  cJSON *o = cJSON_CreateObject();
  json_put(o, "AttributeDefinitions", json_dup(t->attributes));
  if(t->pay_per_request)
    json_put_str(o, "BillingMode", "PAY_PER_REQUEST");
  json_put(o, "ContributorInsightsSpecification", json_dup(t->ci));
  json_put(o, "DeletionProtectionEnabled", json_dup(p->deletion_protection));
  if(cJSON_GetArraySize(t->gsis))
    json_put(o, "GlobalSecondaryIndexes", json_dup(t->gsis));
  json_put(o, "KeySchema", json_dup(t->key_schema));
  if(cJSON_GetArraySize(t->lsis))
    json_put(o, "LocalSecondaryIndexes", json_dup(t->lsis));
  json_put(o, "OnDemandThroughput", on_demand_throughput(t, p->max_read_request_units,
                                                        p->max_write_request_units));
  json_put(o, "PointInTimeRecoverySpecification", json_dup(t->pitr));
  if(!t->pay_per_request)
    json_put(o, "ProvisionedThroughput", throughput(p->read_capacity, p->write_capacity));
  json_put(o, "SSESpecification", json_dup(t->sse));
  json_put(o, "StreamSpecification", ddb_wrap("StreamViewType", p->stream));
  json_put(o, "TableClass", json_dup(p->table_class));
  json_put(o, "TableName", json_dup(p->table_name));
  json_put(o, "TimeToLiveSpecification", ddb_time_to_live(p->time_to_live_attribute));
  json_put(o, "WarmThroughput", json_dup(p->warm_throughput));
  res->props = arena_own_json(t->node->app->arena, o);
  if(!res->props || !json_get(o, "KeySchema"))
    return diag_nomem(d);
  return SFL_OK;
}

struct ddb_table *ddb_table_alloc(struct cfn_node *scope, const char *id, const char *fqn,
                                     struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct ddb_table *t = arena_alloc(a, sizeof *t);
  if(!t)
    return diag_nomem(d), NULL;
  t->node = cfn_node_new(scope, id, fqn, loc, d);
  if(!t->node)
    return NULL;
  t->node->model = t;
  return t;
}

/* The settings checked when the table is made, each handed to the arena at once. */
static enum sfl_status check_table(struct arena *a, const struct ddb_table_props *p,
                                   cJSON **settings, struct sfl_loc loc, struct diag *d)
{
  int failed;
  settings[0] = arena_own_json(a, sse(p, loc, d, &failed));
  if(!failed)
    settings[1] = arena_own_json(a, ddb_pitr(p->point_in_time_recovery, p->pitr_specification, loc, d, &failed));
  if(!failed)
    settings[2] = arena_own_json(a, ddb_contributor_insights(p->contributor_insights_enabled,
                                                "contributor_insights_enabled",
                                                         p->contributor_insights_specification,
                                                         loc, d, &failed));
  return failed ? d->status : SFL_OK;
}

struct ddb_table *ddb_table_new(struct cfn_node *scope, const char *id,
                                const struct ddb_table_props *p, struct sfl_loc loc,
                                struct diag *d)
{
  struct arena *a = scope->app->arena;
  int ppr = ddb_is(p->billing_mode, "PAY_PER_REQUEST");
  if(ppr && (p->read_capacity || p->write_capacity))
    return diag_set(d, SFL_ERR_INVALID, loc, "you cannot provision read and write capacity "
                    "for a table with PAY_PER_REQUEST billing mode"), NULL;
  if(ddb_check_keys(p->partition_key, p->sort_key, loc, d))
    return NULL;
  cJSON *settings[3] = {NULL, NULL, NULL};
  if(check_table(a, p, settings, loc, d))
    return NULL;
  struct ddb_table *t = ddb_table_alloc(scope, id, "aws-cdk-lib.aws_dynamodb.Table", loc, d);
  if(!t)
    return NULL;
  t->sse = settings[0];
  t->pitr = settings[1];
  t->ci = settings[2];
  t->props = p;
  t->pay_per_request = ppr;
  t->sort_key = p->sort_key;
  t->has_stream = p->stream != NULL;
  t->attributes = arena_own_json(a, cJSON_CreateArray());
  t->gsis = arena_own_json(a, cJSON_CreateArray());
  t->lsis = arena_own_json(a, cJSON_CreateArray());
  if(!t->attributes || !t->gsis || !t->lsis)
    return diag_nomem(d), NULL;
  t->resource = cfn_resource_new(t->node, "Resource", "AWS::DynamoDB::Table",
                                 "aws-cdk-lib.aws_dynamodb.CfnTable", loc, d);
  if(!t->resource)
    return NULL;
  cfn_apply_removal_policy(t->resource, p->removal_policy, "Retain");
  t->resource->prepare = prepare_table;
  t->resource->prepare_ctx = t;
  t->key_schema = ddb_key_schema(t, p->partition_key, p->sort_key, loc, d);
  return t->key_schema ? t : NULL;
}

/* }============ */

/* {============ imported tables and attributes */

/* "arn:<Partition>:dynamodb:<Region>:<Account>:table/<name>" */
static cJSON *format_arn(cJSON *name)
{
  return cfn_concat(8, cJSON_CreateString("arn:"), cfn_partition(),
                    cJSON_CreateString(":dynamodb:"), cfn_region(), cJSON_CreateString(":"),
                    cfn_account(), cJSON_CreateString(":table/"), name);
}

/* The table name in a table ARN (splitArn with a slash resource name). */
static cJSON *name_from_arn(const cJSON *arn)
{
  if(!cJSON_IsString(arn))
    return cfn_select_split(1, "/", cfn_select_split(5, ":", json_dup(arn)));
  const char *s = arn->valuestring;
  for(int colons = 0; colons < 5; colons++) {
    s = strchr(s, ':');
    if(!s)
      return NULL;
    s++;
  }
  const char *slash = strchr(s, '/');
  if(!slash || !slash[1])
    return NULL;
  const char *end = strchr(slash + 1, '/');
  size_t n = end ? (size_t)(end - slash - 1) : strlen(slash + 1);
  char buf[1024];
  if(n >= sizeof buf)
    return NULL;
  memcpy(buf, slash + 1, n);
  buf[n] = '\0';
  return cJSON_CreateString(buf);
}

struct ddb_table *ddb_table_import(struct cfn_node *scope, const char *id,
                                   const struct ddb_import *im, struct sfl_loc loc,
                                   struct diag *d)
{
  struct arena *a = scope->app->arena;
  cJSON *name = im->table_name, *arn = im->table_arn;
  if(name && arn)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "Only one of table_arn or table_name can be provided"), NULL;
  if(!name && !arn)
    return diag_set(d, SFL_ERR_INVALID, loc, "One of table_name or table_arn is required!"),
           NULL;
  if(arn) {
    name = arena_own_json(a, name_from_arn(arn));
    if(!name)
      return diag_set(d, SFL_ERR_INVALID, loc, "ARN for DynamoDB table must be in the form: "
                      "arn:PARTITION:dynamodb:REGION:ACCOUNT:table/NAME, got '%s'",
                      ddb_text(arn)), NULL;
  }
  else if(!arn) {
    arn = arena_own_json(a, format_arn(json_dup(name)));
    if(!arn)
      return diag_nomem(d), NULL;
  }
  /* CDK's import is a plain Resource, not a Table. */
  struct ddb_table *t = ddb_table_alloc(scope, id, "aws-cdk-lib.Resource", loc, d);
  if(!t)
    return NULL;
  t->imported_name = name;
  t->imported_arn = arn;
  t->imported_stream_arn = im->table_stream_arn;
  t->imported_indexes = im->has_index;
  return t;
}

cJSON *ddb_table_name(const struct ddb_table *t)
{
  return t->resource ? cfn_ref(t->resource->logical_id) : json_dup(t->imported_name);
}

cJSON *ddb_table_arn(const struct ddb_table *t)
{
  return t->resource ? cfn_getatt(t->resource->logical_id, "Arn")
                     : json_dup(t->imported_arn);
}

cJSON *ddb_table_stream_arn(const struct ddb_table *t)
{
  if(!t->resource)
    return json_dup(t->imported_stream_arn);
  return t->has_stream ? cfn_getatt(t->resource->logical_id, "StreamArn") : NULL;
}

cJSON *ddb_table_format_arn(const struct ddb_table *t)
{
  return format_arn(ddb_table_name(t));
}

/* }============ */

/* {============ grants */

static const char *const read_actions[] = {
  "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan",
  "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable"};
static const char *const principal_read_actions[] = {
  "dynamodb:GetRecords", "dynamodb:GetShardIterator"};
static const char *const write_actions[] = {
  "dynamodb:BatchWriteItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
  "dynamodb:DeleteItem", "dynamodb:DescribeTable"};
static const char *const read_write_actions[] = {
  "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:GetItem", "dynamodb:Scan",
  "dynamodb:ConditionCheckItem", "dynamodb:BatchWriteItem", "dynamodb:PutItem",
  "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable"};
static const char *const full_actions[] = {"dynamodb:*"};
static const char *const list_streams_actions[] = {"dynamodb:ListStreams"};
static const char *const stream_read_actions[] = {
  "dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"};
static cJSON *list_of(cJSON *item)
{
  cJSON *list = cJSON_CreateArray();
  if(!json_push(list, item)) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

/* One statement on the table (and its indexes). The Resource stays a list: CDK's lazy
** index ARN is still there when single values are unwrapped. */
static enum sfl_status grant_on_table(struct ddb_table *t, struct role *to,
                                      const char *const *actions, size_t n, struct diag *d)
{
  int indexed = t->imported_indexes
    || cJSON_GetArraySize(t->gsis) + cJSON_GetArraySize(t->lsis) > 0;
  cJSON *resources = cJSON_CreateArray();
  json_push(resources, ddb_table_arn(t));
  if(indexed)
    json_push(resources, ddb_index_arn(t));
  cJSON *st = iam_statement(actions, n, resources, NULL, NULL);
  if(t->v2)   /* TableV2 looks at its indexes when the grant is made */
    return role_add_statement(to, st, d);
  cJSON *list = json_get(st, "Resource");
  if(list && (!cJSON_IsArray(list) || json_has(list, JSON_CONCAT)))   /* no Sid: stays last */
    list = json_put(st, "Resource",
                    list_of(cJSON_DetachItemFromObjectCaseSensitive(st, "Resource")));
  if(!list)
    return cJSON_Delete(st), diag_nomem(d);
  if(role_add_statement(to, st, d))
    return d->status;
  if(t->resource && !indexed
     && vec_push(t->node->app->arena, &t->grant_resources, list))
    return diag_nomem(d);
  return SFL_OK;
}

/* Statements on the stream (stream-grants.js; TableV2: table-v2-base.js). TableV2 lists its
** streams on the stream ARN, Table on "*". */
static enum sfl_status grant_on_stream(struct ddb_table *t, struct role *to, int list,
                                       const char *const *actions, size_t n, struct diag *d)
{
  cJSON *arn = ddb_table_stream_arn(t);
  if(!arn)
    return diag_set(d, SFL_ERR_INVALID, t->node->loc, t->v2
                    ? "No stream ARN found on the table %s"
                    : "DynamoDB Streams must be enabled on the table %s",
                    cfn_node_path(t->node->app->arena, t->node));
  enum sfl_status st = SFL_OK;
  if(list) {
    cJSON *where = t->v2 ? json_dup(arn) : cJSON_CreateString("*");
    st = role_add_statement(to, iam_statement(list_streams_actions, 1, list_of(where), NULL,
                                              NULL), d);
  }
  if(!st && actions)
    st = role_add_statement(to, iam_statement(actions, n, list_of(json_dup(arn)), NULL, NULL),
                            d);
  cJSON_Delete(arn);
  return st;
}

#define N(list) (sizeof list / sizeof *list)

enum sfl_status ddb_table_grant(struct ddb_table *t, struct role *to, enum ddb_grant kind,
                                const char *const *actions, size_t nactions, struct diag *d)
{
  switch(kind) {
  case DDB_GRANT_READ:
    return grant_on_table(t, to, read_actions, N(read_actions), d)
      ? d->status : grant_on_table(t, to, principal_read_actions, N(principal_read_actions), d);
  case DDB_GRANT_WRITE: return grant_on_table(t, to, write_actions, N(write_actions), d);
  case DDB_GRANT_READ_WRITE:
    return grant_on_table(t, to, read_write_actions, N(read_write_actions), d)
      ? d->status : grant_on_table(t, to, principal_read_actions, N(principal_read_actions), d);
  case DDB_GRANT_FULL: return grant_on_table(t, to, full_actions, 1, d);
  case DDB_GRANT_ACTIONS: return grant_on_table(t, to, actions, nactions, d);
  case DDB_GRANT_STREAM_READ:
    return grant_on_stream(t, to, 1, stream_read_actions, N(stream_read_actions), d);
  case DDB_GRANT_STREAM: return grant_on_stream(t, to, 0, actions, nactions, d);
  case DDB_GRANT_LIST_STREAMS: return grant_on_stream(t, to, 1, NULL, 0, d);
  }
  return SFL_OK;
}

/* }============ */
