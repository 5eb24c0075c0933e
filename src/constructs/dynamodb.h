/*
** dynamodb.h: aws_dynamodb.Table (AWS::DynamoDB::Table, aws-dynamodb/lib/table.js),
** TableV2 (AWS::DynamoDB::GlobalTable, table-v2.js: the table in the stack's region), tables imported by name or ARN, and
** the table grants (table-grants.js).
**
** Props hold values as arena-owned cJSON; key attributes are objects already in their
** CloudFormation form ({"AttributeName": ..., "AttributeType": ...}). A table's
** properties are rendered when the template is (indexes may be added after it is made).
*/
#ifndef SFL_CONSTRUCTS_DYNAMODB_H
#define SFL_CONSTRUCTS_DYNAMODB_H

#include "constructs/role.h"

struct ddb_table_props {
  cJSON *partition_key, *sort_key;     /* {"AttributeName", "AttributeType"} */
  cJSON *table_name, *billing_mode, *read_capacity, *write_capacity;
  const char *removal_policy;          /* NULL: retain */
  cJSON *stream, *time_to_live_attribute, *table_class, *deletion_protection;
  cJSON *point_in_time_recovery;       /* boolean */
  cJSON *pitr_specification;           /* {"PointInTimeRecoveryEnabled", "RecoveryPeriodInDays"} */
  cJSON *contributor_insights_enabled; /* boolean */
  cJSON *contributor_insights_specification;   /* {"Enabled", "Mode"} */
  cJSON *encryption;                   /* TableEncryption value */
  cJSON *server_side_encryption;       /* deprecated boolean */
  cJSON *max_read_request_units, *max_write_request_units;   /* on demand only */
  cJSON *warm_throughput;              /* {"ReadUnitsPerSecond", "WriteUnitsPerSecond"} */
};

/* A TableV2 capacity (Capacity.fixed / Capacity.autoscaled). */
struct ddb_capacity {
  cJSON *units;         /* fixed: a number */
  cJSON *autoscaling;   /* autoscaled: {MaxCapacity, MinCapacity, SeedCapacity, Target...} */
};

/* A TableV2 billing (Billing.on_demand / Billing.provisioned). */
struct ddb_billing {
  int provisioned;
  const struct ddb_capacity *read, *write;      /* provisioned */
  cJSON *max_read, *max_write;                  /* on demand: max request units */
};

struct ddb_table_v2_props {
  cJSON *partition_key, *sort_key, *table_name;
  const char *removal_policy;          /* NULL: retain */
  const struct ddb_billing *billing;   /* NULL: on demand */
  cJSON *dynamo_stream, *time_to_live_attribute, *table_class, *deletion_protection;
  cJSON *point_in_time_recovery, *pitr_specification;
  cJSON *contributor_insights, *contributor_insights_specification;
  cJSON *encryption;                   /* SSESpecification (TableEncryptionV2) */
  cJSON *warm_throughput;
};

/* A global or local secondary index. */
struct ddb_index_props {
  cJSON *index_name, *partition_key, *sort_key, *projection_type, *non_key_attributes;
  cJSON *read_capacity, *write_capacity;         /* Table GSI */
  cJSON *contributor_insights_enabled, *contributor_insights_specification;
  const struct ddb_capacity *read_capacity_v2, *write_capacity_v2;   /* TableV2 GSI */
  cJSON *max_read_request_units, *max_write_request_units;
  cJSON *warm_throughput;
};

struct ddb_table {
  struct cfn_node *node;
  struct cfn_resource *resource;   /* NULL for an imported table */
  int v2;                          /* TableV2: an AWS::DynamoDB::GlobalTable */
  const struct ddb_table_v2_props *v2_props;
  cJSON *read_settings, *write_settings;   /* TableV2: the table's capacity settings */
  cJSON *replica_gsis;             /* TableV2: the replica's view of each GSI */
  cJSON *imported_name, *imported_arn, *imported_stream_arn;
  int imported_indexes;            /* grants on an imported table cover its indexes */
  /* what the resource is rendered from (own tables) */
  const struct ddb_table_props *props;
  cJSON *key_schema, *attributes, *gsis, *lsis;
  const cJSON *sort_key;
  cJSON *sse, *pitr, *ci;          /* settings checked when the table was made */
  int pay_per_request;
  int non_key_count;
  int has_stream;
  struct vec index_names;          /* const char*, to refuse duplicates */
  struct vec grant_resources;      /* cJSON* Resource arrays of grants: get index ARNs */
};

enum ddb_grant {
  DDB_GRANT_READ, DDB_GRANT_WRITE, DDB_GRANT_READ_WRITE, DDB_GRANT_FULL, DDB_GRANT_ACTIONS,
  DDB_GRANT_STREAM_READ, DDB_GRANT_STREAM, DDB_GRANT_LIST_STREAMS
};

struct ddb_table *ddb_table_new(struct cfn_node *scope, const char *id,
                                const struct ddb_table_props *p, struct sfl_loc loc,
                                struct diag *d);
struct ddb_table *ddb_table_v2_new(struct cfn_node *scope, const char *id,
                                   const struct ddb_table_v2_props *p, struct sfl_loc loc,
                                   struct diag *d);
/* Capacity.autoscaled's settings, checked as CDK checks them (min defaults to 1, the
** target to 70). NULL when invalid (d says why) or out of memory. */
cJSON *ddb_autoscaling(const cJSON *min, const cJSON *max, const cJSON *seed,
                       const cJSON *target, struct sfl_loc loc, struct diag *d);
/* Table.from_table_attributes (from_table_name / from_table_arn set one of the two);
** the values are arena-owned. */
struct ddb_import {
  cJSON *table_name, *table_arn, *table_stream_arn;
  int has_index;        /* grant_index_permissions, or global/local indexes given */
};
struct ddb_table *ddb_table_import(struct cfn_node *scope, const char *id,
                                   const struct ddb_import *im, struct sfl_loc loc,
                                   struct diag *d);
enum sfl_status ddb_table_add_index(struct ddb_table *t, int global,
                                    const struct ddb_index_props *p, struct sfl_loc loc,
                                    struct diag *d);

/* New trees the caller owns (NULL when out of memory). */
cJSON *ddb_table_name(const struct ddb_table *t);         /* {"Ref": table} or the name */
cJSON *ddb_table_arn(const struct ddb_table *t);          /* GetAtt Arn or the ARN */
cJSON *ddb_table_stream_arn(const struct ddb_table *t);   /* NULL: no stream */
/* Stack.formatArn({service: "dynamodb", resource: "table", resourceName: tableName}). */
cJSON *ddb_table_format_arn(const struct ddb_table *t);

enum sfl_status ddb_table_grant(struct ddb_table *t, struct role *to, enum ddb_grant kind,
                                const char *const *actions, size_t nactions, struct diag *d);

#endif
