/*
** mod_s3.c: `sfl.aws_s3`: Bucket (made or imported) with its grants, BucketEncryption,
** BlockPublicAccess, StorageClass and lifecycle rules (aws-s3/lib/bucket.js, rule.js).
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "lua/mod_iam.h"
#include "constructs/s3.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static struct arena *A(lua_State *L) { return lsfl_ctx(L)->arena; }

static cJSON *own(lua_State *L, cJSON *j)
{
  if(!j || !arena_own_json(A(L), j))
    luaL_error(L, "not enough memory");
  return j;
}

#define F(name, type, T, field) {name, type, offsetof(T, field), 0, NULL, NULL, NULL, 0, NULL}

/* {============ lifecycle rules */

struct lc_transition {
  cJSON *storage_class, *transition_after, *noncurrent_versions_to_retain;
};

static const char *const storage_members[] = {
  "INFREQUENT_ACCESS", "ONE_ZONE_INFREQUENT_ACCESS", "GLACIER", "GLACIER_INSTANT_RETRIEVAL",
  "INTELLIGENT_TIERING", "DEEP_ARCHIVE", NULL};
static const char *const storage_values[] = {
  "STANDARD_IA", "ONEZONE_IA", "GLACIER", "GLACIER_IR", "INTELLIGENT_TIERING", "DEEP_ARCHIVE",
  NULL};

#define LT struct lc_transition
static const struct lsfl_prop transition_schema[] = {
  {"storage_class", P_ENUM, offsetof(LT, storage_class), PROP_REQUIRED, NULL, NULL,
   storage_values, 0, NULL},
  F("transition_after", P_DURATION, LT, transition_after),
  PROP_END_SIZED(LT)
};
static const struct lsfl_prop nc_transition_schema[] = {
  F("noncurrent_versions_to_retain", P_INT, LT, noncurrent_versions_to_retain),
  {"storage_class", P_ENUM, offsetof(LT, storage_class), PROP_REQUIRED, NULL, NULL,
   storage_values, 0, NULL},
  {"transition_after", P_DURATION, offsetof(LT, transition_after), PROP_REQUIRED, NULL, NULL,
   NULL, 0, NULL},
  PROP_END_SIZED(LT)
};

struct lc_rule {
  cJSON *id, *prefix, *enabled, *expiration, *abort_after, *nc_expiration, *nc_to_retain;
  cJSON *expired_object_delete_marker, *size_greater, *size_less;
  struct vec *transitions, *nc_transitions;
};

#define LR struct lc_rule
static const struct lsfl_prop rule_schema[] = {
  F("abort_incomplete_multipart_upload_after", P_DURATION, LR, abort_after),
  F("enabled", P_BOOLEAN, LR, enabled),
  F("expiration", P_DURATION, LR, expiration),
  F("expired_object_delete_marker", P_BOOLEAN, LR, expired_object_delete_marker),
  F("id", P_STR, LR, id),
  F("noncurrent_version_expiration", P_DURATION, LR, nc_expiration),
  {"noncurrent_version_transitions", P_NESTED_LIST, offsetof(LR, nc_transitions), 0, NULL,
   nc_transition_schema, NULL, 0, NULL},
  F("noncurrent_versions_to_retain", P_INT, LR, nc_to_retain),
  F("object_size_greater_than", P_INT, LR, size_greater),
  F("object_size_less_than", P_INT, LR, size_less),
  F("prefix", P_STR, LR, prefix),
  {"transitions", P_NESTED_LIST, offsetof(LR, transitions), 0, NULL, transition_schema, NULL,
   0, NULL},
  PROP_END_SIZED(LR)
};

/* Duration.toDays(): whole days only. */
static cJSON *days(lua_State *L, const cJSON *seconds, const char *what)
{
  double s = seconds->valuedouble;
  if(fmod(s, 86400) != 0)
    lsfl_error(L, "%s: '%d seconds' cannot be converted into a whole number of days.", what,
               (int)s);
  return cJSON_CreateNumber(s / 86400);
}

static void put(lua_State *L, cJSON *obj, const char *key, cJSON *v)
{
  if(v && !json_put(obj, key, v))
    luaL_error(L, "not enough memory");
}

static cJSON *render_transitions(lua_State *L, const struct vec *list, int noncurrent,
                                 const char *what)
{
  if(!list)
    return NULL;
  cJSON *arr = own(L, cJSON_CreateArray());
  for(size_t i = 0; i < list->n; i++) {
    const struct lc_transition *t = list->items[i];
    if(!t->transition_after)
      lsfl_error(L, "%s: Exactly one of transitionDate or transitionAfter must be specified in "
                    "lifecycle rule transition", what);
    cJSON *o = cJSON_CreateObject();
    if(!json_push(arr, o))
      luaL_error(L, "not enough memory");
    if(noncurrent && t->noncurrent_versions_to_retain)
      put(L, o, "NewerNoncurrentVersions", json_dup(t->noncurrent_versions_to_retain));
    put(L, o, "StorageClass", json_dup(t->storage_class));
    put(L, o, noncurrent ? "TransitionInDays" : "TransitionInDays",
        days(L, t->transition_after, what));
  }
  return json_dup(arr);
}

/* One rule in CfnBucket.RuleProperty's (alphabetical) order. */
static cJSON *render_rule(lua_State *L, const struct lc_rule *r, const char *what)
{
  if(!r->abort_after && !r->expiration && !r->expired_object_delete_marker && !r->nc_expiration
     && !r->nc_to_retain && !r->nc_transitions && !r->transitions)
    lsfl_error(L, "%s: All rules for `lifecycleRules` must have at least one of the following "
                  "properties: `abortIncompleteMultipartUploadAfter`, `expiration`, "
                  "`expirationDate`, `expiredObjectDeleteMarker`, "
                  "`noncurrentVersionExpiration`, `noncurrentVersionsToRetain`, "
                  "`noncurrentVersionTransitions`, or `transitions`", what);
  if(cJSON_IsTrue(r->expired_object_delete_marker) && r->expiration)
    lsfl_error(L, "%s: ExpiredObjectDeleteMarker cannot be specified with expiration, "
                  "ExpirationDate, or TagFilters.", what);
  cJSON *o = own(L, cJSON_CreateObject());
  if(r->abort_after) {
    cJSON *a = json_put(o, "AbortIncompleteMultipartUpload", cJSON_CreateObject());
    put(L, a, "DaysAfterInitiation", days(L, r->abort_after, what));
  }
  if(r->expiration)
    put(L, o, "ExpirationInDays", days(L, r->expiration, what));
  put(L, o, "ExpiredObjectDeleteMarker", json_dup(r->expired_object_delete_marker));
  put(L, o, "Id", json_dup(r->id));
  if(r->nc_expiration) {
    cJSON *e = json_put(o, "NoncurrentVersionExpiration", cJSON_CreateObject());
    put(L, e, "NewerNoncurrentVersions", json_dup(r->nc_to_retain));
    put(L, e, "NoncurrentDays", days(L, r->nc_expiration, what));
  }
  put(L, o, "NoncurrentVersionTransitions", render_transitions(L, r->nc_transitions, 1, what));
  put(L, o, "ObjectSizeGreaterThan", json_dup(r->size_greater));
  put(L, o, "ObjectSizeLessThan", json_dup(r->size_less));
  put(L, o, "Prefix", json_dup(r->prefix));
  put(L, o, "Status", cJSON_CreateString(cJSON_IsFalse(r->enabled) ? "Disabled" : "Enabled"));
  put(L, o, "Transitions", render_transitions(L, r->transitions, 0, what));
  return json_dup(o);
}

/* }============ */

/* {============ Bucket */

static const char *const encryption_members[] = {
  "UNENCRYPTED", "KMS_MANAGED", "S3_MANAGED", "KMS", "DSSE_MANAGED", "DSSE", NULL};
static const char *const encryption_values[] = {
  "NONE", "MANAGED", "S3MANAGED", "KMS", "DSSE_MANAGED", "DSSE", NULL};

struct bucket_lua_props {
  cJSON *bucket_name, *encryption, *removal_policy, *public_access;
  int versioned, enforce_ssl, bucket_key_enabled, auto_delete_objects;
  struct vec *lifecycle_rules;
};

#define BP struct bucket_lua_props
static const struct lsfl_prop bucket_schema[] = {
  F("auto_delete_objects", P_BOOL, BP, auto_delete_objects),
  {"block_public_access", P_USERDATA, offsetof(BP, public_access), 0, NULL, NULL, NULL,
   LSFL_BIT(BLOCK_PUBLIC_ACCESS), "a s3.BlockPublicAccess (e.g. BlockPublicAccess.BLOCK_ALL)"},
  F("bucket_key_enabled", P_BOOL, BP, bucket_key_enabled),
  F("bucket_name", P_STR, BP, bucket_name),
  {"encryption", P_ENUM, offsetof(BP, encryption), 0, NULL, NULL, encryption_values, 0, NULL},
  F("enforce_ssl", P_BOOL, BP, enforce_ssl),
  {"lifecycle_rules", P_NESTED_LIST, offsetof(BP, lifecycle_rules), 0, NULL, rule_schema, NULL,
   0, NULL},
  {"removal_policy", P_ENUM, offsetof(BP, removal_policy), 0, NULL, NULL, lsfl_removal_policies,
   0, NULL},
  F("versioned", P_BOOL, BP, versioned),
  PROP_END
};

/* Bucket._validateBucketName: the first problem found, or NULL. */
static const char *bucket_name_problem(lua_State *L, const char *n)
{
  size_t len = strlen(n);
  if(len < 3 || len > 63)
    return "Bucket name must be at least 3 and no more than 63 characters";
  size_t bad = strspn(n, "abcdefghijklmnopqrstuvwxyz0123456789.-");
  if(bad < len)
    return lua_pushfstring(L, "Bucket name must only contain lowercase characters and the "
                              "symbols, period (.) and dash (-) (offset: %d)", (int)bad);
  if(!strchr("abcdefghijklmnopqrstuvwxyz0123456789", n[0]))
    return "Bucket name must start with a lowercase character or number (offset: 0)";
  if(!strchr("abcdefghijklmnopqrstuvwxyz0123456789", n[len - 1]))
    return lua_pushfstring(L, "Bucket name must end with a lowercase character or number "
                              "(offset: %d)", (int)len - 1);
  for(size_t i = 0; i + 1 < len; i++)
    if((n[i] == '.' && (n[i + 1] == '-' || n[i + 1] == '.')) || (n[i] == '-' && n[i + 1] == '.'))
      return lua_pushfstring(L, "Bucket name must not have dash next to period, or period "
                                "next to dash, or consecutive periods (offset: %d)", (int)i);
  unsigned a, b, c, d;
  char end;
  if(sscanf(n, "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &end) == 4)
    return "Bucket name must not resemble an IP address";
  return NULL;
}

/* BucketEncryption as CfnBucket writes it (parseEncryption). */
static cJSON *render_encryption(lua_State *L, const struct bucket_lua_props *p, const char *what)
{
  const char *type = p->encryption ? p->encryption->valuestring : "NONE";
  if(p->bucket_key_enabled && !strcmp(type, "NONE"))
    lsfl_error(L, "%s: bucketKeyEnabled is specified, so 'encryption' must be set to KMS, DSSE "
                  "or S3 (value: %s)", what, type);
  if(!strcmp(type, "KMS") || !strcmp(type, "DSSE"))
    lsfl_error(L, "%s: encryption %s makes a customer-managed kms.Key for the bucket, which "
                  "sfl's Bucket does not offer; use BucketEncryption.KMS_MANAGED, "
                  "DSSE_MANAGED or S3_MANAGED", what, type);
  const char *algo = !strcmp(type, "S3MANAGED") ? "AES256"
                   : !strcmp(type, "MANAGED") ? "aws:kms"
                   : !strcmp(type, "DSSE_MANAGED") ? "aws:kms:dsse" : NULL;
  if(!algo)
    return NULL;
  cJSON *enc = own(L, cJSON_CreateObject());
  cJSON *list = json_put(enc, "ServerSideEncryptionConfiguration", cJSON_CreateArray());
  cJSON *rule = cJSON_CreateObject();
  if(!json_push(list, rule))
    luaL_error(L, "not enough memory");
  if(p->bucket_key_enabled)
    put(L, rule, "BucketKeyEnabled", cJSON_CreateTrue());
  cJSON *def = json_put(rule, "ServerSideEncryptionByDefault", cJSON_CreateObject());
  put(L, def, "SSEAlgorithm", cJSON_CreateString(algo));
  return enc;
}

static int bucket_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  const char *what = lua_pushfstring(L, "Bucket '%s'", id);
  struct bucket_lua_props p = {0};
  lsfl_read_props(L, 3, bucket_schema, &p, what);
  const char *removal = p.removal_policy ? p.removal_policy->valuestring : NULL;
  if(p.auto_delete_objects && !(removal && !strcmp(removal, "destroy")))
    return lsfl_error(L, "%s: Cannot use 'autoDeleteObjects' property on a bucket without "
                         "setting removal policy to 'DESTROY'.", what);
  if(p.auto_delete_objects)
    return lsfl_error(L, "%s: auto_delete_objects needs CDK's Node.js custom-resource Lambda "
                         "function (Custom::S3AutoDeleteObjects), which sfl cannot build; empty "
                         "the bucket before deleting the stack instead", what);
  if(cJSON_IsString(p.bucket_name)) {
    const char *problem = bucket_name_problem(L, p.bucket_name->valuestring);
    if(problem)
      return lsfl_error(L, "%s: Invalid S3 bucket name (value: %s)\n%s", what,
                        p.bucket_name->valuestring, problem);
  }
  struct s3_bucket_props bp = {
    .bucket_name = p.bucket_name, .encryption = render_encryption(L, &p, what),
    .public_access = p.public_access, .versioned = p.versioned, .enforce_ssl = p.enforce_ssl,
    .removal_policy = removal,
  };
  if(p.lifecycle_rules && p.lifecycle_rules->n) {
    bp.lifecycle = own(L, cJSON_CreateObject());
    cJSON *rules = json_put(bp.lifecycle, "Rules", cJSON_CreateArray());
    for(size_t i = 0; i < p.lifecycle_rules->n; i++)
      if(!json_push(rules, render_rule(L, p.lifecycle_rules->items[i], what)))
        return luaL_error(L, "not enough memory");
  }
  struct diag d = {0};
  struct s3_bucket *b = s3_bucket_new(scope, id, &bp, lsfl_loc(L), &d);
  if(!b)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_BUCKET, b, b->node);
  return 1;
}

static int bucket_import(lua_State *L, int by_name)
{
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lsfl_box *tok = lsfl_test(L, 3, LSFL_BIT(CFN_TOKEN), 0);
  cJSON *v = own(L, tok ? json_dup(tok->obj) : cJSON_CreateString(luaL_checkstring(L, 3)));
  struct diag d = {0};
  struct s3_bucket *b = s3_bucket_import(scope, id, by_name ? NULL : v, by_name ? v : NULL,
                                         lsfl_loc(L), &d);
  if(!b)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_BUCKET, b, b->node);
  return 1;
}

static int bucket_from_name(lua_State *L) { return bucket_import(L, 1); }
static int bucket_from_arn(lua_State *L) { return bucket_import(L, 0); }

static struct s3_bucket *check_bucket(lua_State *L, int idx)
{
  return lsfl_check(L, idx, LSFL_BIT(BUCKET), 0, "sfl.aws_s3.IBucket")->obj;
}

static int grant(lua_State *L, enum s3_grant kind)
{
  struct s3_bucket *b = check_bucket(L, 1);
  struct role *to = lsfl_check_grantee(L, 2);
  const char *pattern = luaL_optstring(L, 3, "*");
  struct diag d = {0};
  if(s3_bucket_grant(b, to, kind, pattern, &d))
    return lsfl_raise(L, &d);
  return 0;
}

static int grant_read(lua_State *L) { return grant(L, S3_GRANT_READ); }
static int grant_write(lua_State *L) { return grant(L, S3_GRANT_WRITE); }
static int grant_read_write(lua_State *L) { return grant(L, S3_GRANT_READ_WRITE); }
static int grant_put(lua_State *L) { return grant(L, S3_GRANT_PUT); }
static int grant_delete(lua_State *L) { return grant(L, S3_GRANT_DELETE); }

static int arn_for_objects(lua_State *L)
{
  struct s3_bucket *b = check_bucket(L, 1);
  return lsfl_push_token(L, s3_bucket_arn_for_objects(b, luaL_checkstring(L, 2)));
}

static int get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, s3_bucket_arn(self->obj));
}

static int get_name(lua_State *L, struct lsfl_box *self)
{
  const struct s3_bucket *b = self->obj;
  if(!b->resource && cJSON_IsString(b->imported_name)) {
    lua_pushstring(L, b->imported_name->valuestring);
    return 1;
  }
  return lsfl_push_token(L, s3_bucket_name(b));
}

static const luaL_Reg bucket_methods[] = {
  {"grant_read", grant_read}, {"grant_write", grant_write},
  {"grant_read_write", grant_read_write}, {"grant_put", grant_put},
  {"grant_delete", grant_delete}, {"arn_for_objects", arn_for_objects}, {NULL, NULL}
};

static const struct lsfl_getter bucket_getters[] = {
  {"bucket_arn", get_arn}, {"bucket_name", get_name}, {NULL, NULL}
};

static const luaL_Reg bucket_statics[] = {
  {"from_bucket_name", bucket_from_name}, {"from_bucket_arn", bucket_from_arn}, {NULL, NULL}
};

/* }============ */

/* {============ BlockPublicAccess */

struct bpa_props {
  cJSON *block_public_acls, *block_public_policy, *ignore_public_acls, *restrict_public_buckets;
};

#define BA struct bpa_props
static const struct lsfl_prop bpa_schema[] = {
  F("block_public_acls", P_BOOLEAN, BA, block_public_acls),
  F("block_public_policy", P_BOOLEAN, BA, block_public_policy),
  F("ignore_public_acls", P_BOOLEAN, BA, ignore_public_acls),
  F("restrict_public_buckets", P_BOOLEAN, BA, restrict_public_buckets),
  PROP_END
};

static void push_bpa(lua_State *L, const struct bpa_props *p)
{
  cJSON *o = own(L, cJSON_CreateObject());
  put(L, o, "BlockPublicAcls", json_dup(p->block_public_acls));
  put(L, o, "BlockPublicPolicy", json_dup(p->block_public_policy));
  put(L, o, "IgnorePublicAcls", json_dup(p->ignore_public_acls));
  put(L, o, "RestrictPublicBuckets", json_dup(p->restrict_public_buckets));
  lsfl_push(L, LSFL_BLOCK_PUBLIC_ACCESS, o, NULL);
}

static int bpa_new(lua_State *L)
{
  lua_settop(L, 1);
  struct bpa_props p = {0};
  lsfl_read_props(L, 1, bpa_schema, &p, "BlockPublicAccess");
  push_bpa(L, &p);
  return 1;
}

/* }============ */

void lsfl_register_s3_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_BUCKET, bucket_methods, bucket_getters);
  lsfl_new_type(L, LSFL_BLOCK_PUBLIC_ACCESS, NULL, NULL);
}

int lsfl_open_s3(lua_State *L)
{
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_s3.Bucket", bucket_new, bucket_statics);
  lua_setfield(L, -2, "Bucket");
  lsfl_new_class(L, "sfl.aws_s3.BlockPublicAccess", bpa_new, NULL);
  cJSON *t = own(L, cJSON_CreateTrue());
  struct bpa_props all = {t, t, t, t}, acls = {t, NULL, t, NULL};
  push_bpa(L, &all);
  lua_setfield(L, -2, "BLOCK_ALL");
  push_bpa(L, &acls);
  lua_setfield(L, -2, "BLOCK_ACLS");
  push_bpa(L, &acls);
  lua_setfield(L, -2, "BLOCK_ACLS_ONLY");
  lua_setfield(L, -2, "BlockPublicAccess");
  lsfl_new_enum(L, "sfl.aws_s3.BucketEncryption", encryption_members, encryption_values);
  lua_setfield(L, -2, "BucketEncryption");
  lsfl_new_enum(L, "sfl.aws_s3.StorageClass", storage_members, storage_values);
  lua_setfield(L, -2, "StorageClass");
  lsfl_make_strict(L, "sfl.aws_s3");
  return 1;
}
