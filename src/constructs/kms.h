/*
** kms.h: aws_kms.Key as CDK makes it (aws-kms/lib/key.js): an AWS::KMS::Key whose key
** policy trusts the account and gathers the statements other constructs add to it, an
** optional AWS::KMS::Alias, and keys imported by ARN (whose policy nobody can change).
*/
#ifndef SFL_CONSTRUCTS_KMS_H
#define SFL_CONSTRUCTS_KMS_H

#include "cfn/construct.h"

struct kms_key_props {
  cJSON *description, *enabled, *enable_key_rotation, *multi_region;
  cJSON *key_spec, *key_usage;     /* KeySpec / KeyUsage member names */
  cJSON *pending_window;           /* seconds (a Duration) */
  cJSON *rotation_period;          /* seconds (a Duration) */
  cJSON *alias;                    /* "alias/..." added when missing */
  const char *removal_policy;      /* NULL: retain */
};

struct kms_key {
  struct cfn_node *node;
  struct cfn_resource *resource;   /* NULL for an imported key */
  struct kms_key_props props;
  cJSON *policy;                   /* the key policy's statements, in order */
  cJSON *imported_arn;
};

struct kms_key *kms_key_new(struct cfn_node *scope, const char *id,
                            const struct kms_key_props *props, struct sfl_loc loc,
                            struct diag *d);
/* Key.from_key_arn: the ARN must read arn:<partition>:kms:<region>:<account>:key/<id>. */
struct kms_key *kms_key_import(struct cfn_node *scope, const char *id, cJSON *arn,
                               struct sfl_loc loc, struct diag *d);
cJSON *kms_key_arn(const struct kms_key *k);   /* new tree */
cJSON *kms_key_id(const struct kms_key *k);    /* new tree */
/*
** addToResourcePolicy: a statement (taken over) for the key policy; an identical one
** already there is dropped. Imported keys ignore it, as CDK's do.
*/
enum sfl_status kms_key_add_to_policy(struct kms_key *k, cJSON *statement, struct diag *d);
/* A key policy statement: Allow `actions` on "*" to a service principal, with a condition. */
cJSON *kms_service_statement(const char *const *actions, size_t n, const char *service,
                             cJSON *condition);

#endif
