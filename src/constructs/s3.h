/*
** s3.h: aws_s3.Bucket as CDK builds it (aws-s3/lib/bucket.js): an AWS::S3::Bucket with its
** encryption, versioning, public access block and lifecycle rules, a BucketPolicy under it
** once a resource statement exists (enforce_ssl), and the grants of bucket-grants.js.
** Imported buckets (from_bucket_name/_arn) have no resource.
**
** Ownership: everything lives in the app's arena; cJSON* props are arena-owned.
*/
#ifndef SFL_CONSTRUCTS_S3_H
#define SFL_CONSTRUCTS_S3_H

#include "cfn/construct.h"

struct role;

struct s3_bucket_props {
  cJSON *bucket_name;
  cJSON *encryption;              /* rendered BucketEncryption, or NULL */
  cJSON *lifecycle;               /* rendered LifecycleConfiguration, or NULL */
  cJSON *public_access;           /* rendered PublicAccessBlockConfiguration, or NULL */
  int versioned, enforce_ssl;
  const char *removal_policy;     /* NULL: retain */
};

struct s3_bucket {
  struct cfn_node *node;
  struct cfn_resource *resource;  /* NULL when imported */
  struct cfn_resource *policy;    /* <bucket>/Policy/Resource, once made */
  cJSON *statements;              /* the bucket policy's statements */
  cJSON *imported_arn, *imported_name;
};

struct s3_bucket *s3_bucket_new(struct cfn_node *scope, const char *id,
                                const struct s3_bucket_props *p, struct sfl_loc loc,
                                struct diag *d);
/* Bucket.from_bucket_arn (name NULL: from a literal ARN) / from_bucket_name (arn NULL). */
struct s3_bucket *s3_bucket_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   cJSON *name, struct sfl_loc loc, struct diag *d);
cJSON *s3_bucket_arn(const struct s3_bucket *b);
cJSON *s3_bucket_name(const struct s3_bucket *b);
/* "<bucket ARN>/<pattern>" */
cJSON *s3_bucket_arn_for_objects(const struct s3_bucket *b, const char *pattern);

enum s3_grant { S3_GRANT_READ, S3_GRANT_WRITE, S3_GRANT_READ_WRITE, S3_GRANT_PUT,
                S3_GRANT_DELETE };
/* Adds the statement of `grant` on objects matching `pattern` ("*") to `to`'s policy; a
** role imported from another account is named in the bucket policy too. */
enum sfl_status s3_bucket_grant(const struct s3_bucket *b, struct role *to, enum s3_grant grant,
                                const char *pattern, struct diag *d);

#endif
