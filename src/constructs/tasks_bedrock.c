/*
** tasks_bedrock.c: the Bedrock integration (bedrock/invoke-model.js, bedrock/guardrail.js)
** and the ARNs of aws_bedrock's models (aws-bedrock/lib/foundation-model.js).
*/
#include "constructs/tasks_private.h"
#include "asl/render.h"
#include "cfn/arn.h"
#include "cfn/token.h"

#include <string.h>

cJSON *bedrock_foundation_model_arn(cJSON *model_id)
{
  return cfn_concat(2, cfn_arn("bedrock", 1, 0, "foundation-model/"), model_id);
}

/* {============ Guardrail */

static int lowercase_alnum(const char *s)
{
  if(!*s)
    return 0;
  for(; *s; s++)
    if(!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
      return 0;
  return 1;
}

enum sfl_status bedrock_guardrail_check(struct arena *a, const char *identifier,
                                        struct sfl_loc loc, struct diag *d)
{
  const char *guardrail_id = identifier;
  if(!strncmp(identifier, "arn:", 4)) {
    struct cfn_arn_parts arn;
    if(cfn_arn_split(a, identifier, ARN_SLASH_RESOURCE_NAME, &arn, loc, d))
      return d->status;
    if(!arn.resource_name)
      return diag_set(d, SFL_ERR_INVALID, loc,
                      "Invalid ARN format. The ARN of Guradrail should have the format: "
                      "`arn:<partition>:bedrock:<region>:<account-id>:guardrail/"
                      "<guardrail-name>`, got %s.", identifier);
    guardrail_id = arn.resource_name;
  }
  if(!lowercase_alnum(guardrail_id))
    return diag_set(d, SFL_ERR_INVALID, loc, "The id of Guardrail must contain only lowercase "
                    "letters and numbers, got %s.", guardrail_id);
  if(strlen(identifier) > 2048)
    return diag_set(d, SFL_ERR_INVALID, loc, "`guardrail_identifier` length must be between 0 "
                    "and 2048, got %zu.", strlen(identifier));
  return SFL_OK;
}

/* The ApplyGuardrail resource: the ARN as given, or one made from the id. */
static cJSON *guardrail_arn(const cJSON *identifier)
{
  if(cJSON_IsString(identifier) && !json_has(identifier, JSON_PATH)
     && !strncmp(identifier->valuestring, "arn:", 4))
    return json_dup(identifier);
  return cfn_concat(2, cfn_arn("bedrock", 1, 1, "guardrail/"), json_dup(identifier));
}

/* }============ */

/* {============ BedrockInvokeModel */

/* A URI that JavaScript takes as true: a token, or a string that is not empty. */
static int truthy(const cJSON *v)
{
  return v && (!cJSON_IsString(v) || *v->valuestring || json_has(v, JSON_PATH));
}

static int empty_string(const cJSON *v)
{
  return cJSON_IsString(v) && !json_has(v, JSON_PATH) && !*v->valuestring;
}

static enum sfl_status check_io(const struct bedrock_invoke_model_props *p, struct sfl_loc loc,
                                struct diag *d)
{
  const cJSON *in_loc = json_get(p->input, "s3Location"), *in_uri = json_get(p->input,
                                                                              "s3InputUri");
  const cJSON *out_loc = json_get(p->output, "s3Location");
  const cJSON *out_uri = json_get(p->output, "s3OutputUri");
  const char *msg = NULL;
  int has_input = in_loc || (p->legacy_s3_uri ? p->base.input_path != NULL : in_uri != NULL);
  if(p->body && has_input)
    msg = "Either `body` or `input` must be specified, but not both.";
  else if(!p->body && !has_input)
    msg = "Either `body` or `input` must be specified.";
  else if(json_get(in_loc, "objectVersion"))
    msg = "Input S3 object version is not supported.";
  else if(json_get(out_loc, "objectVersion"))
    msg = "Output S3 object version is not supported.";
  else if((truthy(in_uri) && in_loc) || (truthy(out_uri) && out_loc))
    msg = "Either specify S3 Uri or S3 location, but not both.";
  else if(!p->legacy_s3_uri && (empty_string(in_uri) || empty_string(out_uri)))
    msg = "S3 Uri cannot be an empty string";
  return msg ? diag_set(d, SFL_ERR_INVALID, loc, "%s", msg) : SFL_OK;
}

/* "arn:<P>:s3:::<bucket>/<key>" */
static cJSON *object_arn(const cJSON *location)
{
  return cfn_concat(4, cfn_arn("s3", 0, 0, ""), json_dup(json_get(location, "bucketName")),
                    cJSON_CreateString("/"), json_dup(json_get(location, "objectKey")));
}

/* The s3:GetObject / s3:PutObject statement for one side (input or output); `path` is its
** input_path/output_path when the flag is off (NULL otherwise). */
static enum sfl_status add_io_policy(struct asl_state *s, const cJSON *side, const char *uri_key,
                                     const cJSON *path, const char *action, struct diag *d)
{
  const char *actions[] = {action};
  const cJSON *location = json_get(side, "s3Location");
  if(json_get(side, uri_key) || path)
    return task_add_policy(s, actions, 1, task_one(cfn_arn("s3", 0, 0, "*")), NULL, NULL, d);
  if(location)
    return task_add_policy(s, actions, 1, task_one(object_arn(location)), NULL, NULL, d);
  return SFL_OK;
}

static enum sfl_status invoke_policies(struct asl_state *s,
                                       const struct bedrock_invoke_model_props *p,
                                       struct diag *d)
{
  static const char *const invoke[] = {"bedrock:InvokeModel"};
  static const char *const apply[] = {"bedrock:ApplyGuardrail"};
  enum sfl_status st = task_add_policy(s, invoke, 1, task_one(json_dup(p->model->model_arn)),
                                       NULL, NULL, d);
  if(!st)
    st = add_io_policy(s, p->input, "s3InputUri", p->legacy_s3_uri ? p->base.input_path : NULL,
                       "s3:GetObject", d);
  if(!st)
    st = add_io_policy(s, p->output, "s3OutputUri",
                       p->legacy_s3_uri ? p->base.output_path : NULL, "s3:PutObject", d);
  if(!st && p->guardrail)
    st = task_add_policy(s, apply, 1, task_one(guardrail_arn(p->guardrail->identifier)), NULL,
                         NULL, d);
  return st;
}

/* {"S3Uri": s3://bucket/key or the URI}, or NULL when the side names no object. With the
** flag off, the URI is the state's input_path/output_path (`path`), written as text. */
static cJSON *s3_uri(const cJSON *side, const char *uri_key, int legacy, const cJSON *path)
{
  const cJSON *location = json_get(side, "s3Location");
  cJSON *uri = location
    ? cfn_concat(4, cJSON_CreateString("s3://"), json_dup(json_get(location, "bucketName")),
                 cJSON_CreateString("/"), json_dup(json_get(location, "objectKey")))
    : !legacy ? json_dup(json_get(side, uri_key))
    : cJSON_IsString(path) ? cJSON_CreateString(path->valuestring) : NULL;
  if(!uri || (!location && !truthy(uri)))
    return cJSON_Delete(uri), NULL;
  cJSON *o = cJSON_CreateObject();
  if(!json_put(o, "S3Uri", uri))
    return cJSON_Delete(o), NULL;
  return o;
}

static cJSON *invoke_params(const struct bedrock_invoke_model_props *p)
{
  cJSON *params = cJSON_CreateObject();
  json_put(params, "ModelId", json_dup(p->model->model_arn));
  json_put(params, "Accept", json_dup(p->accept));
  json_put(params, "ContentType", json_dup(p->content_type));
  json_put(params, "Body", json_dup(p->body));
  json_put(params, "Input", s3_uri(p->input, "s3InputUri", p->legacy_s3_uri,
                                   p->base.input_path));
  json_put(params, "Output", s3_uri(p->output, "s3OutputUri", p->legacy_s3_uri,
                                    p->base.output_path));
  if(p->guardrail) {
    json_put(params, "GuardrailIdentifier", json_dup(p->guardrail->identifier));
    json_put(params, "GuardrailVersion", json_dup(p->guardrail->version));
  }
  if(p->trace_enabled)   /* a boolean: the prop takes no token */
    json_put_str(params, "Trace", cJSON_IsTrue(p->trace_enabled) ? "ENABLED" : "DISABLED");
  if(!params || !json_get(params, "ModelId"))
    return cJSON_Delete(params), NULL;
  return params;
}

struct asl_state *task_bedrock_invoke_model(struct cfn_node *scope, const char *id,
                                            const struct bedrock_invoke_model_props *p,
                                            struct sfl_loc loc, struct diag *d)
{
  static const enum task_pattern supported[] = {PATTERN_REQUEST_RESPONSE};
  enum task_pattern pattern = p->base.pattern ? p->base.pattern : PATTERN_REQUEST_RESPONSE;
  if(task_check_pattern(pattern, supported, 1, loc, d) || check_io(p, loc, d))
    return NULL;
  if(p->trace_enabled && !cJSON_IsBool(p->trace_enabled))
    return diag_set(d, SFL_ERR_INVALID, loc, "trace_enabled must be true or false: it "
                    "cannot come from the state input"), NULL;
  const char *bad = asl_check_object(p->body);
  if(bad)
    return diag_set(d, SFL_ERR_INVALID, loc, "body: %s", bad), NULL;
  struct asl_state *s = task_state_new(scope, id, "BedrockInvokeModel", &p->base, loc, d);
  if(!s || invoke_policies(s, p, d))
    return NULL;
  s->resource = arena_own_json(s->arena, task_resource_arn("bedrock", "invokeModel", pattern));
  s->task_params = arena_own_json(s->arena, invoke_params(p));
  return s->resource && s->task_params ? s : (diag_nomem(d), NULL);
}

/* }============ */
