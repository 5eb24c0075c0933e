/*
** mod_tasks_ml.c: the Lua props of BedrockInvokeModel (with tasks.Guardrail) and HttpInvoke
** (rendering: src/constructs/tasks_bedrock.c, tasks_http.c).
*/
#include "lua/mod_tasks.h"

/* {============ Guardrail */

static int push_guardrail(lua_State *L, cJSON *identifier, cJSON *version)
{
  struct arena *a = lsfl_ctx(L)->arena;
  if(!version || !arena_own_json(a, version))
    return luaL_error(L, "not enough memory");
  if(cJSON_IsString(identifier) && !json_has(identifier, JSON_PATH)) {
    struct diag d = {0};
    if(bedrock_guardrail_check(a, identifier->valuestring, lsfl_loc(L), &d))
      return lsfl_raise(L, &d);
  }
  struct bedrock_guardrail *g = arena_alloc(a, sizeof *g);
  if(!g)
    return luaL_error(L, "not enough memory");
  g->identifier = identifier;
  g->version = version;
  lsfl_push(L, LSFL_GUARDRAIL, g, NULL);
  return 1;
}

/* Guardrail.enable(identifier, version): version 1..99999999, written as a string. */
static int guardrail_enable(lua_State *L)
{
  cJSON *identifier = lsfl_check_str_value(L, 1, "identifier");
  if(lua_type(L, 2) != LUA_TNUMBER)
    return lsfl_error(L, "version must be a number, got %s", lsfl_typename(L, 2));
  lua_Number v = lua_tonumber(L, 2);
  struct strbuf b = {0};
  json_write_number(&b, v);
  cJSON *version = b.failed ? NULL : cJSON_CreateString(b.buf);
  strbuf_free(&b);
  if(version && !(v >= 1 && v <= 99999999)) {
    lua_pushstring(L, version->valuestring);
    cJSON_Delete(version);
    return lsfl_error(L, "`version` must be between 1 and 99999999, got %s.",
                      lua_tostring(L, -1));
  }
  return push_guardrail(L, identifier, version);
}

/* Guardrail.enable_draft(identifier): the DRAFT version. */
static int guardrail_enable_draft(lua_State *L)
{
  cJSON *identifier = lsfl_check_str_value(L, 1, "identifier");
  return push_guardrail(L, identifier, cJSON_CreateString("DRAFT"));
}

/* }============ */

/* {============ BedrockInvokeModel */

struct lua_bedrock_invoke {
  TASK_FIELDS(struct bedrock_invoke_model_props);
};

/* s3.Location */
static const struct lsfl_prop s3_location_schema[] = {
  MREQ("bucket_name", P_STR, "bucketName"),
  MREQ("object_key", P_STR, "objectKey"),
  M("object_version", P_STR, "objectVersion"),
  PROP_END
};

static const struct lsfl_prop bedrock_input_schema[] = {
  MSUB("s3_location", P_STRUCT, "s3Location", s3_location_schema),
  M("s3_input_uri", P_STR, "s3InputUri"),
  PROP_END
};

static const struct lsfl_prop bedrock_output_schema[] = {
  MSUB("s3_location", P_STRUCT, "s3Location", s3_location_schema),
  M("s3_output_uri", P_STR, "s3OutputUri"),
  PROP_END
};

#define BI struct lua_bedrock_invoke
static const struct lsfl_prop bedrock_invoke_schema[] = {
  TASK_BASE_PROPS(BI),
  {"model", P_USERDATA, offsetof(BI, p.model), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(BEDROCK_MODEL), "an aws_bedrock model (FoundationModel.from_foundation_model_id"
   "(...), ProvisionedModel.from_provisioned_model_arn(...))"},
  F("body", P_TASK_INPUT, BI, p.body),
  SUB("input", BI, p.input, 0, bedrock_input_schema),
  SUB("output", BI, p.output, 0, bedrock_output_schema),
  F("accept", P_STR, BI, p.accept),
  F("content_type", P_STR, BI, p.content_type),
  {"guardrail", P_USERDATA, offsetof(BI, p.guardrail), 0, NULL, NULL, NULL,
   LSFL_BIT(GUARDRAIL), "a tasks.Guardrail (Guardrail.enable(...), Guardrail.enable_draft(...))"},
  F("trace_enabled", P_BOOLEAN, BI, p.trace_enabled),
  PROP_END
};
#undef BI

/* Is this feature flag of aws-stepfunctions-tasks set false in the context of the app the
** task is made in (its scope is argument 1)? */
static int flag_off(lua_State *L, const char *flag)
{
  const struct lsfl_app *app = lsfl_check_scope(L, 1)->app->root->model;
  const char *key = lua_pushfstring(L, "@aws-cdk/aws-stepfunctions-tasks:%s", flag);
  int off = app && cJSON_IsFalse(json_get(app->context, key));
  lua_pop(L, 1);
  return off;
}

static void finish_bedrock_invoke(lua_State *L, struct lua_bedrock_invoke *p)
{
  p->p.legacy_s3_uri = flag_off(L, "useNewS3UriParametersForBedrockInvokeModelTask");
}

TASK_CTOR_EX(bedrock_invoke_new, struct lua_bedrock_invoke, bedrock_invoke_schema,
             "BedrockInvokeModel", LSFL_BEDROCK_INVOKE_MODEL, task_bedrock_invoke_model, TASK_NO_INIT,
             finish_bedrock_invoke)

/* }============ */

/* {============ HttpInvoke */

struct lua_http_invoke {
  TASK_FIELDS(struct http_invoke_props);
};

static const char *const url_encoding_members[] = {"BRACKETS", "COMMAS", "DEFAULT", "INDICES",
                                                   "NONE", "REPEAT", NULL};

#define HI struct lua_http_invoke
static const struct lsfl_prop http_invoke_schema[] = {
  TASK_BASE_PROPS(HI),
  REQ("api_root", P_STR, HI, p.api_root),
  REQ("api_endpoint", P_TASK_INPUT, HI, p.api_endpoint),
  REQ("method", P_TASK_INPUT, HI, p.method),
  {"connection", P_USERDATA, offsetof(HI, p.connection), PROP_REQUIRED, NULL, NULL, NULL,
   LSFL_BIT(EVENTS_CONNECTION), "an aws_events connection (Connection.from_event_bus_arn(...), "
   "Connection.from_connection_attributes(...))"},
  F("headers", P_TASK_INPUT, HI, p.headers),
  F("query_string_parameters", P_TASK_INPUT, HI, p.query_string_parameters),
  F("body", P_TASK_INPUT, HI, p.body),
  E("url_encoding_format", HI, p.url_encoding_format, url_encoding_members),
  PROP_END
};
#undef HI

static void finish_http_invoke(lua_State *L, struct lua_http_invoke *p)
{
  p->p.plain_endpoint = flag_off(L, "httpInvokeDynamicJsonPathEndpoint");
}

TASK_CTOR_EX(http_invoke_new, struct lua_http_invoke, http_invoke_schema, "HttpInvoke",
             LSFL_HTTP_INVOKE, task_http_invoke, TASK_NO_INIT, finish_http_invoke)

/* }============ */

void lsfl_register_ml_task_types(lua_State *L)
{
  lsfl_new_state_type(L, LSFL_BEDROCK_INVOKE_MODEL, asl_types[ASL_TASK].flags, NULL);
  lsfl_new_type(L, LSFL_GUARDRAIL, NULL, NULL);
  lsfl_new_state_type(L, LSFL_HTTP_INVOKE, asl_types[ASL_TASK].flags, NULL);
  lsfl_register_sagemaker_task_types(L);
}

void lsfl_add_ml_tasks(lua_State *L)
{
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.BedrockInvokeModel", bedrock_invoke_new, NULL);
  lsfl_add_language_factories(L, bedrock_invoke_new);
  lua_setfield(L, -2, "BedrockInvokeModel");
  static const luaL_Reg guardrail[] = {{"enable", guardrail_enable},
                                       {"enable_draft", guardrail_enable_draft}, {NULL, NULL}};
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.Guardrail", NULL, guardrail);
  lua_setfield(L, -2, "Guardrail");
  lsfl_new_class(L, "sfl.aws_stepfunctions_tasks.HttpInvoke", http_invoke_new, NULL);
  lsfl_add_language_factories(L, http_invoke_new);
  lua_setfield(L, -2, "HttpInvoke");
  lsfl_new_enum(L, "sfl.aws_stepfunctions_tasks.URLEncodingFormat", url_encoding_members,
                url_encoding_members);
  lua_setfield(L, -2, "URLEncodingFormat");
  lsfl_add_sagemaker_tasks(L);
}
