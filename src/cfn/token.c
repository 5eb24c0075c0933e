/*
** token.c: intrinsics, concatenated strings, and turning ASL with intrinsics into
** one CloudFormation string value (CDK's tokenAwareStringify + minimalCloudFormationJoin).
*/
#include "cfn/token.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

cJSON *cfn_intrinsic(const char *fn, cJSON *arg)
{
  cJSON *o = cJSON_CreateObject();
  if(!json_put(o, fn, arg)) {
    cJSON_Delete(o);
    return NULL;
  }
  o->type |= JSON_INTRINSIC;
  return o;
}

cJSON *cfn_ref(const char *target)
{
  return cfn_intrinsic("Ref", cJSON_CreateString(target));
}

cJSON *cfn_getatt(const char *logical_id, const char *attribute)
{
  const char *args[] = {logical_id, attribute};
  return cfn_intrinsic("Fn::GetAtt", json_strings(args, 2));
}

cJSON *cfn_select_split(int index, const char *separator, cJSON *value)
{
  cJSON *split_args = cJSON_CreateArray();
  json_push(split_args, cJSON_CreateString(separator));
  if(!json_push(split_args, value)) {
    cJSON_Delete(split_args);
    return NULL;
  }
  cJSON *split = cfn_intrinsic("Fn::Split", split_args);
  cJSON *select_args = cJSON_CreateArray();
  json_push(select_args, cJSON_CreateNumber(index));
  if(!json_push(select_args, split)) {
    cJSON_Delete(select_args);
    return NULL;
  }
  return cfn_intrinsic("Fn::Select", select_args);
}

cJSON *cfn_partition(void) { return cfn_ref("AWS::Partition"); }
cJSON *cfn_region(void) { return cfn_ref("AWS::Region"); }
cJSON *cfn_account(void) { return cfn_ref("AWS::AccountId"); }

/* Appends part to the parts list, merging text into a trailing string. */
static int add_part(cJSON *parts, cJSON *part)
{
  if(json_has(part, JSON_CONCAT)) {
    int bad = 0;
    for(cJSON *c = part->child; c && !bad; c = c->next)
      bad = add_part(parts, json_dup(c));
    cJSON_Delete(part);
    return bad;
  }
  if(cJSON_IsString(part)) {
    cJSON *last = cJSON_GetArrayItem(parts, cJSON_GetArraySize(parts) - 1);
    if(last && cJSON_IsString(last)) {
      size_t l1 = strlen(last->valuestring), l2 = strlen(part->valuestring);
      char *joined = cJSON_malloc(l1 + l2 + 1);
      if(!joined) {
        cJSON_Delete(part);
        return -1;
      }
      memcpy(joined, last->valuestring, l1);
      memcpy(joined + l1, part->valuestring, l2 + 1);
      cJSON_free(last->valuestring);
      last->valuestring = joined;
      cJSON_Delete(part);
      return 0;
    }
    if(!*part->valuestring) {
      cJSON_Delete(part);
      return 0;
    }
  }
  return json_push(parts, part) ? 0 : -1;
}

/* A parts list becomes a plain string when it holds no intrinsic. */
static cJSON *finish_concat(cJSON *parts)
{
  int n = cJSON_GetArraySize(parts);
  if(n == 0) {
    cJSON_Delete(parts);
    return cJSON_CreateString("");
  }
  if(n == 1 && cJSON_IsString(parts->child)) {
    cJSON *s = cJSON_DetachItemFromArray(parts, 0);
    cJSON_Delete(parts);
    return s;
  }
  parts->type |= JSON_CONCAT;
  return parts;
}

cJSON *cfn_concat(size_t n, ...)
{
  va_list ap;
  va_start(ap, n);
  cJSON *parts = cJSON_CreateArray();
  int bad = !parts;
  for(size_t i = 0; i < n; i++) {
    cJSON *part = va_arg(ap, cJSON *);
    if(bad || !part) {
      cJSON_Delete(part);
      bad = 1;
      continue;
    }
    bad = add_part(parts, part);
  }
  va_end(ap);
  if(bad) {
    cJSON_Delete(parts);
    return NULL;
  }
  return finish_concat(parts);
}

cJSON *cfn_arn(const char *service, int regional, int with_account, const char *resource)
{
  char head[128];
  snprintf(head, sizeof head, ":%s:", service);
  size_t n = strlen(resource) + 2;
  char *tail = cJSON_malloc(n);
  if(!tail)
    return NULL;
  snprintf(tail, n, ":%s", resource);
  cJSON *arn = cfn_concat(7, cJSON_CreateString("arn:"), cfn_partition(),
                          cJSON_CreateString(head),
                          regional ? cfn_region() : cJSON_CreateString(""),
                          cJSON_CreateString(":"),
                          with_account ? cfn_account() : cJSON_CreateString(""),
                          cJSON_CreateString(tail));
  cJSON_free(tail);
  return arn;
}

cJSON *cfn_resolve(const cJSON *value)
{
  if(!value)
    return NULL;
  if(json_has(value, JSON_CONCAT)) {
    cJSON *parts = cJSON_CreateArray();
    for(const cJSON *c = value->child; c && parts; c = c->next)
      if(!json_push(parts, cfn_resolve(c))) {
        cJSON_Delete(parts);
        parts = NULL;
      }
    cJSON *args = cJSON_CreateArray();
    json_push(args, cJSON_CreateString(""));
    if(!json_push(args, parts)) {
      cJSON_Delete(args);
      return NULL;
    }
    cJSON *join = cJSON_CreateObject();
    if(!json_put(join, "Fn::Join", args)) {
      cJSON_Delete(join);
      return NULL;
    }
    return join;
  }
  cJSON *copy;
  switch(value->type & 0xFF) {
  case cJSON_Object: copy = cJSON_CreateObject(); break;
  case cJSON_Array: copy = cJSON_CreateArray(); break;
  default:
    copy = cJSON_Duplicate(value, 0);
    if(copy)
      copy->type &= 0xFF;
    return copy;
  }
  for(const cJSON *c = value->child; c && copy; c = c->next) {
    cJSON *item = cfn_resolve(c);
    cJSON *ok = cJSON_IsObject(copy) ? json_put(copy, c->string, item) : json_push(copy, item);
    if(!ok) {
      cJSON_Delete(copy);
      copy = NULL;
    }
  }
  return copy;
}

/* {============ stringify with intrinsics left in place */

struct stringifier {
  cJSON *parts;       /* the Fn::Join list being built */
  struct strbuf text; /* literal text not yet added to parts */
  int failed;
};

static void flush_text(struct stringifier *s)
{
  if(s->text.failed)
    s->failed = 1;
  if(!s->text.len)
    return;
  if(add_part(s->parts, cJSON_CreateString(s->text.buf)))
    s->failed = 1;
  s->text.len = 0;
  s->text.buf[0] = '\0';
}

static void emit_intrinsic(struct stringifier *s, const cJSON *v)
{
  flush_text(s);
  if(add_part(s->parts, cfn_resolve(v)))
    s->failed = 1;
}

static void emit(struct stringifier *s, const cJSON *v);

/* A string position: quotes around literal text and intrinsics alike. */
static void emit_string_value(struct stringifier *s, const cJSON *v)
{
  if(json_has(v, JSON_INTRINSIC)) {
    strbuf_putc(&s->text, '"');
    emit_intrinsic(s, v);
    strbuf_putc(&s->text, '"');
    return;
  }
  if(json_has(v, JSON_CONCAT)) {
    strbuf_putc(&s->text, '"');
    for(const cJSON *c = v->child; c; c = c->next) {
      if(json_has(c, JSON_INTRINSIC))
        emit_intrinsic(s, c);
      else if(cJSON_IsString(c))
        json_write_escaped(&s->text, c->valuestring);
    }
    strbuf_putc(&s->text, '"');
    return;
  }
  json_write_string(&s->text, v->valuestring ? v->valuestring : "");
}

static void emit_key(struct stringifier *s, const cJSON *member)
{
  json_write_string(&s->text, member->string);
  strbuf_putc(&s->text, ':');
}

static void emit(struct stringifier *s, const cJSON *v)
{
  if(json_has(v, JSON_INTRINSIC | JSON_CONCAT) || cJSON_IsString(v)) {
    emit_string_value(s, v);
    return;
  }
  if(cJSON_IsObject(v) || cJSON_IsArray(v)) {
    int obj = cJSON_IsObject(v);
    strbuf_putc(&s->text, obj ? '{' : '[');
    for(const cJSON *c = v->child; c; c = c->next) {
      if(obj)
        emit_key(s, c);
      emit(s, c);
      if(c->next)
        strbuf_putc(&s->text, ',');
    }
    strbuf_putc(&s->text, obj ? '}' : ']');
    return;
  }
  json_write(&s->text, v, 0);
}

cJSON *cfn_stringify(const cJSON *doc)
{
  struct stringifier s = {0};
  s.parts = cJSON_CreateArray();
  if(!s.parts)
    return NULL;
  emit(&s, doc);
  flush_text(&s);
  strbuf_free(&s.text);
  if(s.failed) {
    cJSON_Delete(s.parts);
    return NULL;
  }
  cJSON *v = finish_concat(s.parts);
  cJSON *out = cfn_resolve(v);
  cJSON_Delete(v);
  return out;
}

/* }============ */

/* {============ placeholders */

static void placeholder(struct strbuf *b, const cJSON *intrinsic)
{
  const cJSON *fn = intrinsic->child;
  if(fn && !strcmp(fn->string, "Ref") && cJSON_IsString(fn)) {
    strbuf_printf(b, "${Ref:%s}", fn->valuestring);
    return;
  }
  if(fn && !strcmp(fn->string, "Fn::GetAtt") && cJSON_GetArraySize(fn) == 2) {
    strbuf_printf(b, "${Fn::GetAtt:%s.%s}", cJSON_GetArrayItem(fn, 0)->valuestring,
                  cJSON_GetArrayItem(fn, 1)->valuestring);
    return;
  }
  cJSON *plain = cfn_resolve(fn);
  char *text = plain ? json_to_text(plain, 0) : NULL;
  strbuf_printf(b, "${%s:%s}", fn ? fn->string : "?", text ? text : "?");
  free(text);
  cJSON_Delete(plain);
}

cJSON *cfn_placeholders(const cJSON *value)
{
  if(!value)
    return NULL;
  if(json_has(value, JSON_INTRINSIC | JSON_CONCAT)) {
    struct strbuf b = {0};
    if(json_has(value, JSON_INTRINSIC))
      placeholder(&b, value);
    for(const cJSON *c = json_has(value, JSON_CONCAT) ? value->child : NULL; c; c = c->next) {
      if(json_has(c, JSON_INTRINSIC))
        placeholder(&b, c);
      else if(cJSON_IsString(c))
        strbuf_puts(&b, c->valuestring);
    }
    char *text = strbuf_take(&b);
    cJSON *s = text ? cJSON_CreateString(text) : NULL;
    free(text);
    return s;
  }
  if(!cJSON_IsObject(value) && !cJSON_IsArray(value)) {
    cJSON *copy = cJSON_Duplicate(value, 0);
    if(copy)
      copy->type &= 0xFF;
    return copy;
  }
  cJSON *copy = cJSON_IsObject(value) ? cJSON_CreateObject() : cJSON_CreateArray();
  for(const cJSON *c = value->child; c && copy; c = c->next) {
    cJSON *item = cfn_placeholders(c);
    if(!(cJSON_IsObject(copy) ? json_put(copy, c->string, item) : json_push(copy, item))) {
      cJSON_Delete(copy);
      copy = NULL;
    }
  }
  return copy;
}

/* }============ */
