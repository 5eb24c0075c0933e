/*
** tasks_http.c: the HTTP integration (http/invoke.js): a third-party API called through an
** EventBridge connection.
*/
#include "constructs/tasks_private.h"
#include "constructs/events.h"
#include "asl/render.h"
#include "core/strbuf.h"

#include <string.h>

/* isValidJsonataExpression: the whole string is "{% ... %}". */
static int is_jsonata(const cJSON *v)
{
  size_t n = cJSON_IsString(v) ? strlen(v->valuestring) : 0;
  return n >= 4 && !json_has(v, JSON_PATH) && !strncmp(v->valuestring, "{%", 2)
         && !strcmp(v->valuestring + n - 2, "%}");
}

/* renderInExpression: a path as it is, a string single-quoted (' and \ escaped, except a
** backslash before { or }). */
static void put_expression_arg(struct strbuf *b, const cJSON *v)
{
  if(json_has(v, JSON_PATH)) {
    strbuf_puts(b, v->valuestring);
    return;
  }
  strbuf_putc(b, '\'');
  for(const char *p = v->valuestring; *p; p++) {
    if(*p == '\'')
      strbuf_puts(b, "\\'");
    else if(*p == '\\' && p[1] != '{' && p[1] != '}')
      strbuf_puts(b, "\\\\");
    else
      strbuf_putc(b, *p);
  }
  strbuf_putc(b, '\'');
}

/* JSONata's getStringValue: an expression without its {% %}, anything else quoted. */
static void put_jsonata_arg(struct strbuf *b, const cJSON *v)
{
  if(!is_jsonata(v)) {
    strbuf_putc(b, '\'');
    strbuf_puts(b, v->valuestring);
    strbuf_putc(b, '\'');
    return;
  }
  const char *s = v->valuestring + 2, *e = v->valuestring + strlen(v->valuestring) - 2;
  while(s < e && strchr(" \t\n\r\f\v", *s))
    s++;
  while(e > s && strchr(" \t\n\r\f\v", e[-1]))
    e--;
  strbuf_add(b, s, (size_t)(e - s));
}

/* ApiEndpoint: "{% root & '/' & path %}" in JSONata, else States.Format('{}/{}', root, path)
** (or "root/path" with the feature flag off). */
static cJSON *api_endpoint(const struct http_invoke_props *p)
{
  struct strbuf b = {0};
  int jsonata = p->base.ql == ASL_QL_JSONATA;
  if(!jsonata && p->plain_endpoint) {
    strbuf_puts(&b, p->api_root->valuestring);
    strbuf_putc(&b, '/');
    strbuf_puts(&b, p->api_endpoint->valuestring);
    cJSON *v = b.failed ? NULL : cJSON_CreateString(b.buf);
    strbuf_free(&b);
    return v;
  }
  strbuf_puts(&b, jsonata ? "{% " : "States.Format('{}/{}', ");
  (jsonata ? put_jsonata_arg : put_expression_arg)(&b, p->api_root);
  strbuf_puts(&b, jsonata ? " & '/' & " : ", ");
  (jsonata ? put_jsonata_arg : put_expression_arg)(&b, p->api_endpoint);
  strbuf_puts(&b, jsonata ? " %}" : ")");
  cJSON *v = b.failed ? NULL : jsonata ? cJSON_CreateString(b.buf) : json_path_new(b.buf);
  strbuf_free(&b);
  return v;
}

static cJSON *one_key(const char *key, cJSON *value)
{
  cJSON *o = cJSON_CreateObject();
  if(!json_put(o, key, value))
    return cJSON_Delete(o), NULL;
  return o;
}

/* Headers, with the form content type when the body is URL-encoded. */
static cJSON *headers(const struct http_invoke_props *p, int encoded)
{
  if(!encoded)
    return json_dup(p->headers);
  cJSON *h = p->headers ? json_dup(p->headers) : cJSON_CreateObject();
  cJSON_DeleteItemFromObjectCaseSensitive(h, "Content-Type");
  if(!json_put_str(h, "Content-Type", "application/x-www-form-urlencoded"))
    return cJSON_Delete(h), NULL;
  return h;
}

static cJSON *transform(const char *format)
{
  cJSON *t = one_key("RequestBodyEncoding", cJSON_CreateString("URL_ENCODED"));
  if(t && strcmp(format, "DEFAULT")
     && !json_put(t, "RequestEncodingOptions",
                  one_key("ArrayFormat", cJSON_CreateString(format))))
    return cJSON_Delete(t), NULL;
  return t;
}

static cJSON *http_params(const struct http_invoke_props *p)
{
  const char *format = p->url_encoding_format ? p->url_encoding_format->valuestring : NULL;
  int encoded = format && strcmp(format, "NONE");
  cJSON *params = cJSON_CreateObject();
  int ok = json_put(params, "ApiEndpoint", api_endpoint(p))
    && json_put(params, "Authentication",
                one_key("ConnectionArn", json_dup(p->connection->arn)))
    && json_put(params, "Method", json_dup(p->method));
  ok = ok && (json_put(params, "Headers", headers(p, encoded)) || !(encoded || p->headers));
  ok = ok && (json_put(params, "RequestBody", json_dup(p->body)) || !p->body);
  ok = ok && (json_put(params, "QueryParameters", json_dup(p->query_string_parameters))
              || !p->query_string_parameters);
  ok = ok && (!encoded || json_put(params, "Transform", transform(format)));
  if(!ok)
    return cJSON_Delete(params), NULL;
  return params;
}

static enum sfl_status http_policies(struct asl_state *s, const struct http_invoke_props *p,
                                     struct diag *d)
{
  static const char *const retrieve[] = {"events:RetrieveConnectionCredentials"};
  static const char *const secret[] = {"secretsmanager:GetSecretValue",
                                       "secretsmanager:DescribeSecret"};
  static const char *const invoke[] = {"states:InvokeHTTPEndpoint"};
  enum sfl_status st = task_add_policy(s, retrieve, 1, task_one(json_dup(p->connection->arn)),
                                       NULL, NULL, d);
  if(!st)
    st = task_add_policy(s, secret, 2, task_one(json_dup(p->connection->secret_arn)), NULL,
                         NULL, d);
  if(st)
    return st;
  /* StringLike states:HTTPEndpoint "<root>*" ("*" for a JSONata root). */
  struct strbuf b = {0};
  strbuf_puts(&b, is_jsonata(p->api_root) ? "" : p->api_root->valuestring);
  strbuf_putc(&b, '*');
  cJSON *cond = b.failed ? NULL
    : one_key("StringLike", one_key("states:HTTPEndpoint", cJSON_CreateString(b.buf)));
  strbuf_free(&b);
  if(!cond)
    return diag_nomem(d);
  return task_add_policy(s, invoke, 1, task_one(cJSON_CreateString("*")), cond, NULL, d);
}

static enum sfl_status check_http(const struct http_invoke_props *p, struct sfl_loc loc,
                                  struct diag *d)
{
  /* CDK checks no integration pattern here and always calls http:invoke; so does sfl. */
  static const char *const roots[] = {"api_root", "api_endpoint"};
  const cJSON *values[] = {p->api_root, p->api_endpoint};
  for(int i = 0; i < 2; i++)
    if(!cJSON_IsString(values[i]))
      return diag_set(d, SFL_ERR_INVALID, loc, "%s must be a string or a JSON path (%s), "
                      "got %s", roots[i], i ? "TaskInput.from_text(...), "
                      "TaskInput.from_json_path_at(...)" : "\"https://...\"",
                      cJSON_IsObject(values[i]) ? "an object" : "a CloudFormation token");
  if(p->plain_endpoint && p->base.ql != ASL_QL_JSONATA
     && (json_has(p->api_root, JSON_PATH) || json_has(p->api_endpoint, JSON_PATH)))
    return diag_set(d, SFL_ERR_INVALID, loc, "Field references must be the entire string, "
                    "cannot concatenate them (found '%s/%s')", p->api_root->valuestring,
                    p->api_endpoint->valuestring);
  if(p->headers && p->url_encoding_format && strcmp(p->url_encoding_format->valuestring, "NONE")
     && !cJSON_IsObject(p->headers))
    return diag_set(d, SFL_ERR_INVALID, loc, "url_encoding_format adds a Content-Type header: "
                    "give `headers` as TaskInput.from_object(...)");
  static const char *const names[] = {"headers", "query_string_parameters", "body"};
  const cJSON *objects[] = {p->headers, p->query_string_parameters, p->body};
  for(int i = 0; i < 3; i++) {
    const char *bad = asl_check_object(objects[i]);
    if(bad)
      return diag_set(d, SFL_ERR_INVALID, loc, "%s: %s", names[i], bad);
  }
  return SFL_OK;
}

struct asl_state *task_http_invoke(struct cfn_node *scope, const char *id,
                                   const struct http_invoke_props *p, struct sfl_loc loc,
                                   struct diag *d)
{
  if(check_http(p, loc, d))
    return NULL;
  struct asl_state *s = task_state_new(scope, id, "HttpInvoke", &p->base, loc, d);
  if(!s || http_policies(s, p, d))
    return NULL;
  s->resource = arena_own_json(s->arena, task_resource_arn("http", "invoke",
                                                           PATTERN_REQUEST_RESPONSE));
  s->task_params = arena_own_json(s->arena, http_params(p));
  return s->resource && s->task_params ? s : (diag_nomem(d), NULL);
}
