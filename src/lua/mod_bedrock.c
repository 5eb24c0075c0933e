/*
** mod_bedrock.c: `sfl.aws_bedrock`: FoundationModelIdentifier (its members and the
** constructor for other ids), FoundationModel.from_foundation_model_id and
** ProvisionedModel.from_provisioned_model_arn: what BedrockInvokeModel's `model` takes.
*/
#include "lua/lsfl.h"
#include "constructs/tasks.h"

static const struct { const char *member, *id; } foundation_models[] = {
#define BEDROCK_MODEL(member, id) {#member, id},
#include "lua/bedrock_models.def"
#undef BEDROCK_MODEL
};

static void push_identifier(lua_State *L, cJSON *model_id)
{
  lsfl_push(L, LSFL_FOUNDATION_MODEL_ID, model_id, NULL);
}

/* FoundationModelIdentifier(model_id) */
static int identifier_new(lua_State *L)
{
  push_identifier(L, lsfl_check_str_value(L, 1, "model_id"));
  return 1;
}

static int identifier_get_id(lua_State *L, struct lsfl_box *self)
{
  lsfl_push_json(L, self->obj);
  return 1;
}

static struct bedrock_model *new_model(lua_State *L, cJSON *model_id, cJSON *arn)
{
  struct bedrock_model *m = arena_alloc(lsfl_ctx(L)->arena, sizeof *m);
  if(!m || !arn)
    luaL_error(L, "not enough memory");
  m->model_id = model_id;
  m->model_arn = arn;
  lsfl_push(L, LSFL_BEDROCK_MODEL, m, NULL);
  return m;
}

/* FoundationModel.from_foundation_model_id(scope, id, identifier): no construct, as in CDK. */
static int foundation_from_id(lua_State *L)
{
  lua_settop(L, 3);
  lsfl_check_scope(L, 1);
  lsfl_check_id(L, 2);
  struct lsfl_box *b = lsfl_check(L, 3, LSFL_BIT(FOUNDATION_MODEL_ID), 0,
                                  "a FoundationModelIdentifier (FoundationModelIdentifier.X)");
  cJSON *id = b->obj;
  new_model(L, id, arena_own_json(lsfl_ctx(L)->arena,
                                  bedrock_foundation_model_arn(json_dup(id))));
  return 1;
}

/* ProvisionedModel.from_provisioned_model_arn(scope, id, arn) */
static int provisioned_from_arn(lua_State *L)
{
  lua_settop(L, 3);
  lsfl_check_scope(L, 1);
  lsfl_check_id(L, 2);
  new_model(L, NULL, lsfl_check_str_value(L, 3, "provisioned_model_arn"));
  return 1;
}

static int model_get_arn(lua_State *L, struct lsfl_box *self)
{
  return lsfl_push_attribute(L, json_dup(((struct bedrock_model *)self->obj)->model_arn));
}

static int model_get_id(lua_State *L, struct lsfl_box *self)
{
  const struct bedrock_model *m = self->obj;
  if(!m->model_id)
    return lsfl_error(L, "a ProvisionedModel has no model_id; use model_arn");
  lsfl_push_json(L, m->model_id);
  return 1;
}

static const struct lsfl_getter identifier_getters[] = {
  {"model_id", identifier_get_id}, {NULL, NULL}
};
static const struct lsfl_getter model_getters[] = {
  {"model_arn", model_get_arn}, {"model_id", model_get_id}, {NULL, NULL}
};

void lsfl_register_bedrock_types(lua_State *L)
{
  lsfl_new_type(L, LSFL_FOUNDATION_MODEL_ID, NULL, identifier_getters);
  lsfl_new_type(L, LSFL_BEDROCK_MODEL, NULL, model_getters);
}

int lsfl_open_bedrock(lua_State *L)
{
  struct arena *a = lsfl_ctx(L)->arena;
  lua_newtable(L);
  lsfl_new_class(L, "sfl.aws_bedrock.FoundationModelIdentifier", identifier_new, NULL);
  for(size_t i = 0; i < sizeof foundation_models / sizeof *foundation_models; i++) {
    cJSON *id = arena_own_json(a, cJSON_CreateString(foundation_models[i].id));
    if(!id)
      return luaL_error(L, "not enough memory");
    push_identifier(L, id);
    lua_setfield(L, -2, foundation_models[i].member);
  }
  lua_setfield(L, -2, "FoundationModelIdentifier");
  static const luaL_Reg foundation[] = {{"from_foundation_model_id", foundation_from_id},
                                        {NULL, NULL}};
  lsfl_new_class(L, "sfl.aws_bedrock.FoundationModel", NULL, foundation);
  lua_setfield(L, -2, "FoundationModel");
  static const luaL_Reg provisioned[] = {{"from_provisioned_model_arn", provisioned_from_arn},
                                         {NULL, NULL}};
  lsfl_new_class(L, "sfl.aws_bedrock.ProvisionedModel", NULL, provisioned);
  lua_setfield(L, -2, "ProvisionedModel");
  lsfl_make_strict(L, "sfl.aws_bedrock");
  return 1;
}
