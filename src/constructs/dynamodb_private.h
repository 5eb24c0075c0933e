/*
** dynamodb_private.h: what Table (dynamodb.c) and TableV2 (dynamodb_v2.c) share.
** cJSON results are new trees the caller owns (NULL when out of memory or invalid; then
** *failed or the status says which).
*/
#ifndef SFL_CONSTRUCTS_DYNAMODB_PRIVATE_H
#define SFL_CONSTRUCTS_DYNAMODB_PRIVATE_H

#include "constructs/dynamodb.h"

#define MAX_LOCAL_INDEXES 5
#define MAX_NON_KEY_ATTRIBUTES 100

/* The string's text, or "(token)". */
const char *ddb_text(const cJSON *j);
int ddb_is(const cJSON *j, const char *s);
/* The sort key may not be the partition key with another type (checked before the table
** is made). */
enum sfl_status ddb_check_keys(const cJSON *pk, const cJSON *sk, struct sfl_loc loc,
                               struct diag *d);
/* An arena-owned key schema [HASH, RANGE?]; registers the attributes. */
cJSON *ddb_key_schema(struct ddb_table *t, const cJSON *pk, const cJSON *sk,
                      struct sfl_loc loc, struct diag *d);
/* validateContributorInsights; `enabled_name` is the boolean prop's name in messages. */
cJSON *ddb_contributor_insights(const cJSON *enabled, const char *enabled_name,
                                const cJSON *spec, struct sfl_loc loc, struct diag *d,
                                int *failed);
/* validatePitr */
cJSON *ddb_pitr(const cJSON *enabled, const cJSON *spec, struct sfl_loc loc, struct diag *d,
                int *failed);
/* Name not taken yet, projection consistent, non-key attributes within the limit. */
enum sfl_status ddb_check_index(struct ddb_table *t, const struct ddb_index_props *p,
                                struct sfl_loc loc, struct diag *d);
cJSON *ddb_projection(const struct ddb_index_props *p);
/* {key: value} (NULL when value is) */
cJSON *ddb_wrap(const char *key, const cJSON *value);
cJSON *ddb_time_to_live(const cJSON *attribute);
cJSON *ddb_index_arn(const struct ddb_table *t);
struct ddb_table *ddb_table_alloc(struct cfn_node *scope, const char *id, const char *fqn,
                                  struct sfl_loc loc, struct diag *d);
enum sfl_status ddb_v2_add_index(struct ddb_table *t, int global,
                                 const struct ddb_index_props *p, struct sfl_loc loc,
                                 struct diag *d);

#endif
