/*
** s3.c: S3 buckets (aws-s3/lib/bucket.js, bucket-grants.js, bucket-policy.js).
*/
#include "constructs/s3.h"
#include "constructs/logs.h"
#include "constructs/role.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <string.h>

/* {============ the bucket and its policy */

static enum sfl_status prepare_policy(struct cfn_resource *res, struct diag *d)
{
  struct s3_bucket *b = res->prepare_ctx;
  cJSON *props = cJSON_CreateObject();
  int ok = json_put(props, "Bucket", s3_bucket_name(b))
           && json_put(props, "PolicyDocument", iam_policy_document(b->statements));
  if(!ok) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(b->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

/* Bucket.addToResourcePolicy: the BucketPolicy is made with the first statement. */
static enum sfl_status add_resource_statement(struct s3_bucket *b, cJSON *statement,
                                              struct diag *d)
{
  if(!b->policy) {
    struct cfn_node *n = cfn_node_new(b->node, "Policy", "aws-cdk-lib.aws_s3.BucketPolicy",
                                      b->node->loc, d);
    b->policy = n ? cfn_resource_new(n, "Resource", "AWS::S3::BucketPolicy",
                                     "aws-cdk-lib.aws_s3.CfnBucketPolicy", b->node->loc, d)
                  : NULL;
    if(!b->policy) {
      cJSON_Delete(statement);
      return d->status;
    }
    b->policy->prepare = prepare_policy;
    b->policy->prepare_ctx = b;
  }
  return json_push(b->statements, statement) ? SFL_OK : diag_nomem(d);
}

/* enforceSSL: deny everything over plain HTTP, on the bucket and its objects. */
static enum sfl_status enforce_ssl(struct s3_bucket *b, struct diag *d)
{
  static const char *const all[] = {"s3:*"};
  cJSON *action = json_strings(all, 1);
  cJSON *resource = cJSON_CreateArray();
  json_push(resource, s3_bucket_arn(b));
  json_push(resource, s3_bucket_arn_for_objects(b, "*"));
  cJSON *condition = cJSON_CreateObject();
  cJSON *bool_ = json_put(condition, "Bool", cJSON_CreateObject());
  json_put_str(bool_, "aws:SecureTransport", "false");
  cJSON *principal = cJSON_CreateObject();
  cJSON *aws = json_put(principal, "AWS", cJSON_CreateArray());
  json_push(aws, cJSON_CreateString("*"));
  struct iam_stmt s = {.deny = 1, .action = action, .resource = resource,
                       .condition = condition, .principal = principal};
  cJSON *st = iam_stmt_render(&s);
  cJSON_Delete(action);
  cJSON_Delete(resource);
  cJSON_Delete(condition);
  cJSON_Delete(principal);
  if(!st)
    return diag_nomem(d);
  return add_resource_statement(b, st, d);
}

/* CfnBucket properties in the generated (alphabetical) order. */
static enum sfl_status fill_bucket(struct s3_bucket *b, const struct s3_bucket_props *p,
                                   struct diag *d)
{
  cJSON *props = b->resource->props;
  int ok = 1;
  if(p->encryption)
    ok = ok && json_put(props, "BucketEncryption", json_dup(p->encryption));
  if(p->bucket_name)
    ok = ok && json_put(props, "BucketName", json_dup(p->bucket_name));
  if(p->lifecycle)
    ok = ok && json_put(props, "LifecycleConfiguration", json_dup(p->lifecycle));
  if(p->public_access)
    ok = ok && json_put(props, "PublicAccessBlockConfiguration", json_dup(p->public_access));
  if(p->versioned) {
    cJSON *v = json_put(props, "VersioningConfiguration", cJSON_CreateObject());
    ok = ok && json_put_str(v, "Status", "Enabled");
  }
  return ok ? SFL_OK : diag_nomem(d);
}

struct s3_bucket *s3_bucket_new(struct cfn_node *scope, const char *id,
                                const struct s3_bucket_props *p, struct sfl_loc loc,
                                struct diag *d)
{
  struct arena *a = scope->app->arena;
  struct s3_bucket *b = arena_alloc(a, sizeof *b);
  if(!b || !(b->statements = arena_own_json(a, cJSON_CreateArray())))
    return diag_nomem(d), NULL;
  b->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_s3.Bucket", loc, d);
  if(!b->node)
    return NULL;
  b->node->model = b;
  b->resource = cfn_resource_new(b->node, "Resource", "AWS::S3::Bucket",
                                 "aws-cdk-lib.aws_s3.CfnBucket", loc, d);
  if(!b->resource || fill_bucket(b, p, d))
    return NULL;
  cfn_apply_removal_policy(b->resource, p->removal_policy, "Retain");
  if(p->enforce_ssl && enforce_ssl(b, d))
    return NULL;
  return b;
}

/* The bucket name in a literal "arn:PARTITION:s3:::NAME". */
static const char *literal_bucket_name(const char *arn)
{
  const char *p = strstr(arn, ":s3:::");
  return p && !strncmp(arn, "arn:", 4) && p[6] && !strchr(p + 6, '/') ? p + 6 : NULL;
}

struct s3_bucket *s3_bucket_import(struct cfn_node *scope, const char *id, cJSON *arn,
                                   cJSON *name, struct sfl_loc loc, struct diag *d)
{
  struct arena *a = scope->app->arena;
  if(arn && cJSON_IsString(arn) && !literal_bucket_name(arn->valuestring))
    return diag_set(d, SFL_ERR_INVALID, loc, "Bucket.from_bucket_arn: '%s' is not a bucket "
                    "ARN: write it as arn:PARTITION:s3:::BUCKET", arn->valuestring), NULL;
  struct s3_bucket *b = arena_alloc(a, sizeof *b);
  if(!b)
    return diag_nomem(d), NULL;
  b->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_s3.BucketBase", loc, d);
  if(!b->node)
    return NULL;
  b->node->model = b;
  if(!arn)
    arn = arena_own_json(a, cfn_concat(3, cJSON_CreateString("arn:"), cfn_partition(),
                                       cfn_concat(2, cJSON_CreateString(":s3:::"),
                                                  json_dup(name))));
  else if(cJSON_IsString(arn))
    name = arena_own_json(a, cJSON_CreateString(literal_bucket_name(arn->valuestring)));
  else
    name = arena_own_json(a, cfn_select_split(0, "/", cfn_select_split(5, ":", json_dup(arn))));
  if(!arn || !name)
    return diag_nomem(d), NULL;
  b->imported_arn = arn;
  b->imported_name = name;
  return b;
}

cJSON *s3_bucket_arn(const struct s3_bucket *b)
{
  return b->resource ? cfn_getatt(b->resource->logical_id, "Arn") : json_dup(b->imported_arn);
}

cJSON *s3_bucket_name(const struct s3_bucket *b)
{
  return b->resource ? cfn_ref(b->resource->logical_id) : json_dup(b->imported_name);
}

cJSON *s3_bucket_arn_for_objects(const struct s3_bucket *b, const char *pattern)
{
  return cfn_concat(3, s3_bucket_arn(b), cJSON_CreateString("/"),
                    cJSON_CreateString(pattern));
}

/* }============ */

/* {============ grants (bucket-grants.js) */

static const char *const read_actions[] = {"s3:GetObject*", "s3:GetBucket*", "s3:List*"};
static const char *const delete_actions[] = {"s3:DeleteObject*"};
static const char *const put_actions[] = {
  "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention", "s3:PutObjectTagging",
  "s3:PutObjectVersionTagging", "s3:Abort*"};

#define N(a) (sizeof a / sizeof *a)

/* What each grant allows: its action lists in order, and whether the bucket itself is a
** resource besides its objects. */
static const struct {
  const char *const *lists[3];
  size_t sizes[3];
  int bucket_too;
} grants[] = {
  [S3_GRANT_READ] = {{read_actions}, {N(read_actions)}, 1},
  [S3_GRANT_WRITE] = {{delete_actions, put_actions}, {1, N(put_actions)}, 1},
  [S3_GRANT_READ_WRITE] = {{read_actions, delete_actions, put_actions},
                           {N(read_actions), 1, N(put_actions)}, 1},
  [S3_GRANT_PUT] = {{put_actions}, {N(put_actions)}, 0},
  [S3_GRANT_DELETE] = {{delete_actions}, {1}, 0},
};

enum sfl_status s3_bucket_grant(const struct s3_bucket *b, struct role *to, enum s3_grant grant,
                                const char *pattern, struct diag *d)
{
  const char *actions[N(read_actions) + 1 + N(put_actions)];
  size_t n = 0;
  for(size_t l = 0; l < 3 && grants[grant].lists[l]; l++)
    for(size_t i = 0; i < grants[grant].sizes[l]; i++)
      actions[n++] = grants[grant].lists[l][i];
  cJSON *resources = cJSON_CreateArray();
  if(grants[grant].bucket_too)
    json_push(resources, s3_bucket_arn(b));
  if(!json_push(resources, s3_bucket_arn_for_objects(b, pattern))) {
    cJSON_Delete(resources);
    return diag_nomem(d);
  }
  /* Grant.addToPrincipalOrResource: a role of another account (an ARN with a literal
  ** account, while the stack's is a token) is named in the bucket policy too. */
  if(b->resource && to->imported_arn && cJSON_IsString(to->imported_arn)) {
    cJSON *action = json_strings(actions, n);
    cJSON *principal = cJSON_CreateObject();
    cJSON *aws = json_put(principal, "AWS", cJSON_CreateArray());
    json_push(aws, json_dup(to->imported_arn));
    struct iam_stmt rs = {.action = action, .principal = principal, .resource = resources};
    cJSON *copy = iam_stmt_render(&rs);
    cJSON_Delete(action);
    cJSON_Delete(principal);
    /* The bucket's policy grows; the bucket as callers see it does not change. */
    enum sfl_status st = copy ? add_resource_statement((struct s3_bucket *)b, copy, d)
                              : diag_nomem(d);
    if(st) {
      cJSON_Delete(resources);
      return st;
    }
  }
  cJSON *st = iam_statement(actions, n, resources, NULL, NULL);
  if(!st)
    return diag_nomem(d);
  return role_add_statement(to, st, d);
}

/* }============ */
