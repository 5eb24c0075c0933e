/*
** kms.c: KMS keys (aws-kms/lib/key.js, alias.js).
*/
#include "constructs/kms.h"
#include "constructs/logs.h"
#include "cfn/iam.h"
#include "cfn/token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Allow `actions` on "*" to one principal of `kind` ("Service", "AWS"); value and
** condition (may be NULL) are taken over. */
static cJSON *principal_statement(const char *const *actions, size_t n, const char *kind,
                                  cJSON *value, cJSON *condition)
{
  struct iam_stmt st = {0};
  st.action = json_strings(actions, n);
  st.resource = cJSON_CreateArray();
  json_push(st.resource, cJSON_CreateString("*"));
  st.principal = cJSON_CreateObject();
  json_push(json_put(st.principal, kind, cJSON_CreateArray()), value);
  st.condition = condition;
  cJSON *out = iam_stmt_render(&st);
  cJSON_Delete(st.action);
  cJSON_Delete(st.resource);
  cJSON_Delete(st.principal);
  cJSON_Delete(st.condition);
  return out;
}

cJSON *kms_service_statement(const char *const *actions, size_t n, const char *service,
                             cJSON *condition)
{
  return principal_statement(actions, n, "Service", cJSON_CreateString(service), condition);
}

/* The default admin policy: the account's root may do anything with the key. */
static cJSON *account_root_statement(void)
{
  static const char *const all[] = {"kms:*"};
  return principal_statement(all, 1, "AWS", cfn_arn("iam", 0, 1, "root"), NULL);
}

enum sfl_status kms_key_add_to_policy(struct kms_key *k, cJSON *statement, struct diag *d)
{
  if(!statement)
    return diag_nomem(d);
  if(!k->resource) {
    cJSON_Delete(statement);
    return SFL_OK;
  }
  cJSON *st;
  cJSON_ArrayForEach(st, k->policy)
    if(cJSON_Compare(st, statement, 1)) {
      cJSON_Delete(statement);
      return SFL_OK;
    }
  return json_push(k->policy, statement) ? SFL_OK : diag_nomem(d);
}

/* CfnKey's properties, in the generated (alphabetical) order. */
static enum sfl_status prepare_key(struct cfn_resource *res, struct diag *d)
{
  struct kms_key *k = res->prepare_ctx;
  const struct kms_key_props *p = &k->props;
  cJSON *props = cJSON_CreateObject();
  json_put(props, "Description", json_dup(p->description));
  /* A rotation period turns rotation on unless the user said otherwise. */
  if(p->enable_key_rotation)
    json_put(props, "EnableKeyRotation", json_dup(p->enable_key_rotation));
  else if(p->rotation_period)
    json_put_bool(props, "EnableKeyRotation", 1);
  json_put(props, "Enabled", json_dup(p->enabled));
  json_put(props, "KeyPolicy", iam_policy_document(k->policy));
  json_put(props, "KeySpec", json_dup(p->key_spec));
  json_put(props, "KeyUsage", json_dup(p->key_usage));
  json_put(props, "MultiRegion", json_dup(p->multi_region));
  if(p->pending_window)
    json_put_num(props, "PendingWindowInDays", p->pending_window->valuedouble / 86400);
  if(p->rotation_period)
    json_put_num(props, "RotationPeriodInDays", p->rotation_period->valuedouble / 86400);
  if(!json_get(props, "KeyPolicy")) {
    cJSON_Delete(props);
    return diag_nomem(d);
  }
  res->props = arena_own_json(k->node->app->arena, props);
  return res->props ? SFL_OK : diag_nomem(d);
}

/* Duration.toDays(): a whole number of days, or an error. */
static enum sfl_status whole_days(const cJSON *seconds, const char *prop, double lo, double hi,
                                  struct sfl_loc loc, struct diag *d)
{
  if(!seconds)
    return SFL_OK;
  double s = seconds->valuedouble, days = s / 86400;
  if(days != (double)(long long)days)
    return diag_set(d, SFL_ERR_INVALID, loc, "'%s' must be a whole number of days, got %g "
                    "seconds (use cdk.Duration.days(...))", prop, s);
  if(days < lo || days > hi)
    return diag_set(d, SFL_ERR_INVALID, loc, "'%s' value must between %g and %g days. "
                    "Received: %g", prop, lo, hi, days);
  return SFL_OK;
}

/* key.js's denyLists: the key specs each usage refuses. */
static int spec_allowed(const char *spec, const char *usage)
{
  static const struct { const char *usage, *denied; } deny[] = {
    {"ENCRYPT_DECRYPT", " ECC_NIST_P256 ECC_NIST_P384 ECC_NIST_P521 ECC_SECG_P256K1 HMAC_224 "
                        "HMAC_256 HMAC_384 HMAC_512 ML_DSA_44 ML_DSA_65 ML_DSA_87 "},
    {"SIGN_VERIFY", " SYMMETRIC_DEFAULT HMAC_224 HMAC_256 HMAC_384 HMAC_512 "},
    {"GENERATE_VERIFY_MAC", " RSA_2048 RSA_3072 RSA_4096 ECC_NIST_P256 ECC_NIST_P384 "
                            "ECC_NIST_P521 ECC_SECG_P256K1 SYMMETRIC_DEFAULT SM2 ML_DSA_44 "
                            "ML_DSA_65 ML_DSA_87 "},
    {"KEY_AGREEMENT", " SYMMETRIC_DEFAULT RSA_2048 RSA_3072 RSA_4096 ECC_SECG_P256K1 HMAC_224 "
                      "HMAC_256 HMAC_384 HMAC_512 ML_DSA_44 ML_DSA_65 ML_DSA_87 "},
  };
  char word[40];
  snprintf(word, sizeof word, " %s ", spec);
  for(size_t i = 0; i < sizeof deny / sizeof *deny; i++)
    if(!strcmp(usage, deny[i].usage))
      return !strstr(deny[i].denied, word);
  return 1;
}

static enum sfl_status check_key_props(const struct kms_key_props *p, struct sfl_loc loc,
                                       struct diag *d)
{
  const char *spec = p->key_spec ? p->key_spec->valuestring : "SYMMETRIC_DEFAULT";
  const char *usage = p->key_usage ? p->key_usage->valuestring : "ENCRYPT_DECRYPT";
  int rotation = cJSON_IsTrue(p->enable_key_rotation);
  if(!spec_allowed(spec, usage))
    return diag_set(d, SFL_ERR_INVALID, loc, "key spec '%s' is not valid with usage '%s'",
                    spec, usage);
  if(!strncmp(spec, "HMAC", 4) && rotation)
    return diag_set(d, SFL_ERR_INVALID, loc, "key rotation cannot be enabled on HMAC keys");
  if(strcmp(spec, "SYMMETRIC_DEFAULT") && rotation)
    return diag_set(d, SFL_ERR_INVALID, loc,
                    "key rotation cannot be enabled on asymmetric keys");
  if(p->rotation_period && cJSON_IsFalse(p->enable_key_rotation))
    return diag_set(d, SFL_ERR_INVALID, loc, "'rotationPeriod' cannot be specified when "
                    "'enableKeyRotation' is disabled");
  /* key.js checks 90..2560 and says 2650 in its message. */
  if(whole_days(p->rotation_period, "rotationPeriod", 90, 2560, loc, d)
     || whole_days(p->pending_window, "pendingWindow", 7, 30, loc, d))
    return SFL_ERR_INVALID;
  return SFL_OK;
}

/* alias.js: "alias/" in front when missing; not "alias/aws/"; a-zA-Z0-9:/_- only. */
static const char *alias_name(struct arena *a, const char *name, struct sfl_loc loc,
                              struct diag *d)
{
  const char *full = strncmp(name, "alias/", 6) ? arena_printf(a, "alias/%s", name) : name;
  if(!full)
    return diag_nomem(d), NULL;
  if(!strcmp(full, "alias/"))
    return diag_set(d, SFL_ERR_INVALID, loc, "Alias must include a value after \"alias/\": "
                    "%s", full), NULL;
  if(!strncasecmp(full, "alias/aws/", 10))
    return diag_set(d, SFL_ERR_INVALID, loc, "Alias cannot start with alias/aws/: %s",
                    full), NULL;
  size_t len = strlen(full);
  if(len > 256 || strspn(full, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789:/_-") != len)
    return diag_set(d, SFL_ERR_INVALID, loc, "Alias name must be between 1 and 256 "
                    "characters in a-zA-Z0-9:/_-"), NULL;
  return full;
}

static enum sfl_status add_alias(struct kms_key *k, const cJSON *alias, struct sfl_loc loc,
                                 struct diag *d)
{
  struct arena *a = k->node->app->arena;
  cJSON *name = NULL;
  if(cJSON_IsString(alias)) {
    const char *full = alias_name(a, alias->valuestring, loc, d);
    if(!full)
      return SFL_ERR_INVALID;
    name = cJSON_CreateString(full);
  }
  else
    name = json_dup(alias);   /* a token: written as given */
  struct cfn_node *node = cfn_node_new(k->node, "Alias", "aws-cdk-lib.aws_kms.Alias", loc, d);
  struct cfn_resource *res = node ? cfn_resource_new(node, "Resource", "AWS::KMS::Alias",
                                                     "aws-cdk-lib.aws_kms.CfnAlias", loc, d)
                                  : NULL;
  if(!res) {
    cJSON_Delete(name);
    return d->status ? d->status : diag_nomem(d);
  }
  if(!json_put(res->props, "AliasName", name) || !json_put(res->props, "TargetKeyId",
                                                          kms_key_arn(k)))
    return diag_nomem(d);
  return SFL_OK;
}

struct kms_key *kms_key_new(struct cfn_node *scope, const char *id,
                            const struct kms_key_props *props, struct sfl_loc loc,
                            struct diag *d)
{
  if(check_key_props(props, loc, d))
    return NULL;
  struct arena *a = scope->app->arena;
  struct kms_key *k = arena_alloc(a, sizeof *k);
  if(!k)
    return diag_nomem(d), NULL;
  k->props = *props;
  k->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_kms.Key", loc, d);
  if(!k->node)
    return NULL;
  k->node->model = k;
  k->policy = arena_own_json(a, cJSON_CreateArray());
  k->resource = cfn_resource_new(k->node, "Resource", "AWS::KMS::Key",
                                 "aws-cdk-lib.aws_kms.CfnKey", loc, d);
  if(!k->policy || !k->resource)
    return k->policy ? NULL : (diag_nomem(d), NULL);
  k->resource->prepare = prepare_key;
  k->resource->prepare_ctx = k;
  cfn_apply_removal_policy(k->resource, props->removal_policy, "Retain");
  if(kms_key_add_to_policy(k, account_root_statement(), d))
    return NULL;
  if(props->alias && add_alias(k, props->alias, loc, d))
    return NULL;
  return k;
}

/* The text after "key/" in a literal ARN's resource, or NULL. */
static const char *literal_key_id(const char *arn)
{
  const char *p = arn;
  for(int colons = 0; colons < 5; colons++) {
    p = strchr(p, ':');
    if(!p)
      return NULL;
    p++;
  }
  const char *slash = strchr(p, '/');
  return slash && slash[1] ? slash + 1 : NULL;
}

struct kms_key *kms_key_import(struct cfn_node *scope, const char *id, cJSON *arn,
                               struct sfl_loc loc, struct diag *d)
{
  if(cJSON_IsString(arn) && !json_has(arn, JSON_PATH) && !literal_key_id(arn->valuestring))
    return diag_set(d, SFL_ERR_INVALID, loc, "KMS key ARN must be in the format "
                    "'arn:<partition>:kms:<region>:<account>:key/<keyId>', got: '%s'",
                    arn->valuestring), NULL;
  struct arena *a = scope->app->arena;
  struct kms_key *k = arena_alloc(a, sizeof *k);
  if(!k)
    return diag_nomem(d), NULL;
  k->node = cfn_node_new(scope, id, "aws-cdk-lib.aws_kms.Key", loc, d);
  if(!k->node)
    return NULL;
  k->node->model = k;
  k->imported_arn = arena_own_json(a, json_dup(arn));
  return k->imported_arn ? k : (diag_nomem(d), NULL);
}

cJSON *kms_key_arn(const struct kms_key *k)
{
  return k->resource ? cfn_getatt(k->resource->logical_id, "Arn") : json_dup(k->imported_arn);
}

cJSON *kms_key_id(const struct kms_key *k)
{
  if(k->resource)
    return cfn_ref(k->resource->logical_id);
  if(cJSON_IsString(k->imported_arn))
    return cJSON_CreateString(literal_key_id(k->imported_arn->valuestring));
  /* Arn.split(arn, SLASH_RESOURCE_NAME).resourceName of a token. */
  return cfn_select_split(1, "/", cfn_select_split(5, ":", json_dup(k->imported_arn)));
}
