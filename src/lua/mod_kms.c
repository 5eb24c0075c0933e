/*
** mod_kms.c: `sfl.aws_kms` (Key, Key.from_key_arn, KeySpec, KeyUsage) and the encryption
** settings of sfl.aws_stepfunctions that use a key (AwsOwnedEncryptionConfiguration,
** CustomerManagedEncryptionConfiguration).
*/
#include "lua/lsfl.h"
#include "lua/props.h"
#include "constructs/kms.h"
#include "constructs/sfn.h"

#define A(L) (lsfl_ctx(L)->arena)
#define KEY_TYPES (LSFL_BIT(KMS_KEY) | LSFL_BIT(IMPORTED_KMS_KEY))

static const char *const key_specs[] = {
  "SYMMETRIC_DEFAULT", "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384",
  "ECC_NIST_P521", "ECC_SECG_P256K1", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
  "ML_DSA_44", "ML_DSA_65", "ML_DSA_87", "ECC_NIST_EDWARDS25519", NULL};
static const char *const key_usages[] = {"ENCRYPT_DECRYPT", "SIGN_VERIFY", "GENERATE_VERIFY_MAC",
                                         "KEY_AGREEMENT", NULL};

struct lua_key {
  struct kms_key_props p;
  cJSON *removal_policy;
};

#define KP(name, type, field) \
  {name, type, offsetof(struct lua_key, p.field), 0, NULL, NULL, NULL, 0, NULL}
static const struct lsfl_prop key_schema[] = {
  KP("alias", P_STR, alias),
  KP("description", P_STR, description),
  KP("enable_key_rotation", P_BOOLEAN, enable_key_rotation),
  KP("enabled", P_BOOLEAN, enabled),
  {"key_spec", P_ENUM, offsetof(struct lua_key, p.key_spec), 0, NULL, NULL, key_specs, 0, NULL},
  {"key_usage", P_ENUM, offsetof(struct lua_key, p.key_usage), 0, NULL, NULL, key_usages, 0,
   NULL},
  KP("multi_region", P_BOOLEAN, multi_region),
  KP("pending_window", P_DURATION, pending_window),
  {"removal_policy", P_ENUM, offsetof(struct lua_key, removal_policy), 0, NULL, NULL,
   lsfl_removal_policies, 0, NULL},
  KP("rotation_period", P_DURATION, rotation_period),
  PROP_END
};

static int key_new(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  struct lua_key props = {0};
  lsfl_read_props(L, 3, key_schema, &props, lua_pushfstring(L, "Key '%s'", id));
  if(props.removal_policy)
    props.p.removal_policy = props.removal_policy->valuestring;
  struct diag d = {0};
  struct kms_key *k = kms_key_new(scope, id, &props.p, lsfl_loc(L), &d);
  if(!k)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_KMS_KEY, k, k->node);
  return 1;
}

/* Key.from_key_arn(scope, id, arn) */
static int key_from_arn(lua_State *L)
{
  lua_settop(L, 3);
  struct cfn_node *scope = lsfl_check_scope(L, 1);
  const char *id = lsfl_check_id(L, 2);
  cJSON *arn = lsfl_check_str_value(L, 3, "Key.from_key_arn: the key ARN");
  struct diag d = {0};
  struct kms_key *k = kms_key_import(scope, id, arn, lsfl_loc(L), &d);
  if(!k)
    return lsfl_raise(L, &d);
  lsfl_push(L, LSFL_IMPORTED_KMS_KEY, k, k->node);
  return 1;
}

static int get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, kms_key_arn(self->obj));
}

static int get_id(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_token(L, kms_key_id(self->obj));
}

static const struct lsfl_getter key_getters[] = {
  {"key_arn", get_arn}, {"key_id", get_id}, {NULL, NULL}
};

/* {============ Step Functions encryption settings */

static int aws_owned_new(lua_State *L)
{
  struct sfn_encryption *e = arena_alloc(A(L), sizeof *e);
  if(!e)
    return luaL_error(L, "not enough memory");
  lsfl_push(L, LSFL_ENCRYPTION, e, NULL);
  return 1;
}

/* CustomerManagedEncryptionConfiguration(kms_key, kms_data_key_reuse_period_seconds?) */
static int customer_managed_new(lua_State *L)
{
  const char *what = "CustomerManagedEncryptionConfiguration";
  struct kms_key *key = lsfl_check(L, 1, KEY_TYPES, 0, "sfl.aws_kms.IKey")->obj;
  double ms = -1;
  if(!lua_isnoneornil(L, 2))
    ms = *(double *)lsfl_check(L, 2, LSFL_BIT(DURATION), 0, "sfl.Duration")->obj;
  struct sfn_encryption *e = arena_alloc(A(L), sizeof *e);
  if(!e)
    return luaL_error(L, "not enough memory");
  e->key = key;
  if(ms >= 0 && !(e->reuse_seconds = arena_own_json(A(L), cJSON_CreateNumber(ms / 1000))))
    return luaL_error(L, "not enough memory");
  struct diag d = {0};
  if(sfn_check_encryption(e, lsfl_loc(L), &d))
    return lsfl_error(L, "%s: %s", what, d.msg);
  lsfl_push(L, LSFL_ENCRYPTION, e, NULL);
  return 1;
}

void lsfl_add_encryption_classes(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions.AwsOwnedEncryptionConfiguration", aws_owned_new,
                 NULL);
  lua_setfield(L, -2, "AwsOwnedEncryptionConfiguration");
  lsfl_new_class(L, "sfl.aws_stepfunctions.CustomerManagedEncryptionConfiguration",
                 customer_managed_new, NULL);
  lua_setfield(L, -2, "CustomerManagedEncryptionConfiguration");
}

/* }============ */

void lsfl_register_kms_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_KMS_KEY, NULL, key_getters);
  lsfl_new_type(L, LSFL_IMPORTED_KMS_KEY, NULL, key_getters);
  lsfl_new_type(L, LSFL_ENCRYPTION, NULL, NULL);
}

int lsfl_open_kms(lua_State *L)
{
  static const luaL_Reg statics[] = {{"from_key_arn", key_from_arn}, {NULL, NULL}};
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_kms.Key", key_new, statics);
  lua_setfield(L, -2, "Key");
  lsfl_new_enum(L, "sfl.aws_kms.KeySpec", key_specs, key_specs);
  lua_setfield(L, -2, "KeySpec");
  lsfl_new_enum(L, "sfl.aws_kms.KeyUsage", key_usages, key_usages);
  lua_setfield(L, -2, "KeyUsage");
  lsfl_make_strict(L, "sfl.aws_kms");
  return 1;
}
