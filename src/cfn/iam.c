/*
** iam.c: policy statements in CDK's normal form.
*/
#include "cfn/iam.h"

#include <stdlib.h>
#include <string.h>

/* Removes repeated values (compared as JSON text) and unwraps a single value. */
static cJSON *normalize_list(cJSON *list)
{
  if(!list || !cJSON_IsArray(list))
    return list;
  char **seen = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *seen);
  size_t nseen = 0;
  cJSON *c = list->child;
  while(seen && c) {
    cJSON *next = c->next;
    char *text = json_to_text(c, 0);
    int dup = 0;
    for(size_t i = 0; text && i < nseen && !dup; i++)
      dup = !strcmp(seen[i], text);
    if(dup) {
      cJSON_Delete(cJSON_DetachItemViaPointer(list, c));
      free(text);
    }
    else
      seen[nseen++] = text;
    c = next;
  }
  for(size_t i = 0; i < nseen; i++)
    free(seen[i]);
  free(seen);
  if(cJSON_GetArraySize(list) == 1) {
    cJSON *only = cJSON_DetachItemFromArray(list, 0);
    cJSON_Delete(list);
    return only;
  }
  return list;
}

cJSON *iam_statement(const char *const *actions, size_t nactions, cJSON *resources,
                     cJSON *condition, const char *sid)
{
  cJSON *st = cJSON_CreateObject();
  json_put(st, "Action", normalize_list(json_strings(actions, nactions)));
  json_put(st, "Condition", condition);
  json_put_str(st, "Effect", "Allow");
  json_put(st, "Resource", normalize_list(resources));
  json_put_str(st, "Sid", sid);
  if(!json_get(st, "Action") || !json_get(st, "Effect") || (resources && !json_get(st, "Resource"))) {
    cJSON_Delete(st);
    return NULL;
  }
  return st;
}

/* A copy of an array in normal form; an empty or absent list is left out (NULL). */
static cJSON *norm_copy(const cJSON *list, int unique)
{
  if(!list || !cJSON_GetArraySize(list))
    return NULL;
  cJSON *copy = json_dup(list);
  if(unique)
    return normalize_list(copy);
  if(copy && cJSON_GetArraySize(copy) == 1) {
    cJSON *only = cJSON_DetachItemFromArray(copy, 0);
    cJSON_Delete(copy);
    return only;
  }
  return copy;
}

/* {"AWS": x, "Service": [a, b]}: each kind's list in normal form (repeats kept). */
static cJSON *norm_principal(const cJSON *p)
{
  if(!p || !p->child)
    return NULL;
  cJSON *out = cJSON_CreateObject();
  for(const cJSON *c = p->child; out && c; c = c->next)
    if(!json_put(out, c->string, norm_copy(c, 0))) {
      cJSON_Delete(out);
      out = NULL;
    }
  return out;
}

cJSON *iam_stmt_render(const struct iam_stmt *s)
{
  cJSON *st = cJSON_CreateObject();
  if(!st)
    return NULL;
  int ok = 1;
  struct { const char *key; cJSON *value; int present; } parts[] = {
    {"Action", norm_copy(s->action, 1), s->action && s->action->child},
    {"NotAction", norm_copy(s->not_action, 1), s->not_action && s->not_action->child},
    {"Condition", s->condition && s->condition->child ? json_dup(s->condition) : NULL,
     s->condition && s->condition->child},
    {"Effect", cJSON_CreateString(s->deny ? "Deny" : "Allow"), 1},
    {"Principal", norm_principal(s->principal), s->principal && s->principal->child},
    {"NotPrincipal", norm_principal(s->not_principal),
     s->not_principal && s->not_principal->child},
    {"Resource", norm_copy(s->resource, 1), s->resource && s->resource->child},
    {"NotResource", norm_copy(s->not_resource, 1), s->not_resource && s->not_resource->child},
    {"Sid", s->sid ? json_dup(s->sid) : NULL, s->sid != NULL},
  };
  for(size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    if(!parts[i].present)
      continue;
    if(!json_put(st, parts[i].key, parts[i].value))
      ok = 0;
  }
  if(!ok) {
    cJSON_Delete(st);
    return NULL;
  }
  return st;
}

cJSON *iam_trust_statement(const char *service, cJSON *condition)
{
  cJSON *st = cJSON_CreateObject();
  cJSON *principal = cJSON_CreateObject();
  json_put_str(st, "Action", "sts:AssumeRole");
  json_put(st, "Condition", condition);
  json_put_str(st, "Effect", "Allow");
  json_put_str(principal, "Service", service);
  if(!json_put(st, "Principal", principal) || !json_get(principal, "Service")) {
    cJSON_Delete(st);
    return NULL;
  }
  return st;
}

cJSON *iam_policy_document(const cJSON *statements)
{
  cJSON *doc = cJSON_CreateObject();
  cJSON *list = json_put(doc, "Statement", json_dup(statements));
  json_put_str(doc, "Version", "2012-10-17");
  if(!list || !json_get(doc, "Version")) {
    cJSON_Delete(doc);
    return NULL;
  }
  /* Whole duplicate statements go; the first of each stays where it was. */
  cJSON *unique = normalize_list(cJSON_DetachItemFromObjectCaseSensitive(doc, "Statement"));
  if(unique && !cJSON_IsArray(unique)) {
    cJSON *wrap = cJSON_CreateArray();
    json_push(wrap, unique);
    unique = wrap;
  }
  if(!unique) {
    cJSON_Delete(doc);
    return NULL;
  }
  cJSON_AddItemToObject(doc, "Statement", unique);
  /* "Statement" must come first: move Version behind it. */
  cJSON *version = cJSON_DetachItemFromObjectCaseSensitive(doc, "Version");
  cJSON_AddItemToObject(doc, "Version", version);
  return doc;
}

/* {============ merging statements */

/* A statement's Action or Resource as a list (a scalar is a list of one). */
static cJSON *as_list(const cJSON *v)
{
  if(cJSON_IsArray(v))
    return json_dup(v);
  cJSON *list = cJSON_CreateArray();
  if(v && !json_push(list, json_dup(v))) {
    cJSON_Delete(list);
    return NULL;
  }
  return list;
}

static int list_has(const cJSON *list, const cJSON *v)
{
  for(const cJSON *c = list->child; c; c = c->next)
    if(cJSON_Compare(c, v, 1))
      return 1;
  return 0;
}

/* Same members, in any order (lists hold no repeats). */
static int same_set(const cJSON *a, const cJSON *b)
{
  if(cJSON_GetArraySize(a) != cJSON_GetArraySize(b))
    return 0;
  for(const cJSON *c = a->child; c; c = c->next)
    if(!list_has(b, c))
      return 0;
  return 1;
}

static int same_value(const cJSON *a, const cJSON *b)
{
  return (!a && !b) || (a && b && cJSON_Compare(a, b, 1));
}

/* A statement being merged: its Action and Resource lists, the rest as written. */
struct mergeable {
  cJSON *statement, *actions, *resources;
};

static int can_merge(const struct mergeable *a, const struct mergeable *b)
{
  static const char *const must_match[] = {"Effect", "Condition", "NotAction",
                                           "NotResource"};
  static const char *const must_lack[] = {"Sid", "Principal", "NotPrincipal"};
  for(size_t i = 0; i < sizeof must_match / sizeof *must_match; i++)
    if(!same_value(json_get(a->statement, must_match[i]),
                   json_get(b->statement, must_match[i])))
      return 0;
  for(size_t i = 0; i < sizeof must_lack / sizeof *must_lack; i++)
    if(json_get(a->statement, must_lack[i]) || json_get(b->statement, must_lack[i]))
      return 0;
  if(!a->actions->child || !a->resources->child || !b->actions->child || !b->resources->child)
    return 0;
  return same_set(a->actions, b->actions) || same_set(a->resources, b->resources);
}

/* Adds the members of `from` that `into` lacks, in order. */
static int list_union(cJSON *into, const cJSON *from)
{
  for(const cJSON *c = from->child; c; c = c->next)
    if(!list_has(into, c) && !json_push(into, json_dup(c)))
      return 0;
  return 1;
}

/* The statement with its merged lists, in normal form (a list of one as a scalar). */
static cJSON *rebuild(struct mergeable *m)
{
  cJSON *st = json_dup(m->statement);
  cJSON *action = normalize_list(m->actions);
  cJSON *resource = normalize_list(m->resources);
  m->actions = m->resources = NULL;
  if(!st || !action || !resource
     || !cJSON_ReplaceItemInObjectCaseSensitive(st, "Action", action)) {
    cJSON_Delete(st);
    cJSON_Delete(action);
    cJSON_Delete(resource);
    return NULL;
  }
  if(!cJSON_ReplaceItemInObjectCaseSensitive(st, "Resource", resource)) {
    cJSON_Delete(st);
    cJSON_Delete(resource);
    return NULL;
  }
  return st;
}

static size_t merge_pass(struct mergeable *m, size_t n, int *ok)
{
  for(size_t i = 0; i < n; i++)
    for(size_t j = i + 1; j < n;) {
      if(!can_merge(&m[i], &m[j])) {
        j++;
        continue;
      }
      *ok = *ok && list_union(m[i].actions, m[j].actions)
                && list_union(m[i].resources, m[j].resources);
      cJSON_Delete(m[j].actions);
      cJSON_Delete(m[j].resources);
      memmove(&m[j], &m[j + 1], (n - j - 1) * sizeof *m);
      n--;
    }
  return n;
}

cJSON *iam_merge_statements(const cJSON *statements)
{
  size_t n = (size_t)cJSON_GetArraySize(statements);
  struct mergeable *m = calloc(n + 1, sizeof *m);
  cJSON *out = cJSON_CreateArray();
  int ok = m && out;
  size_t i = 0;
  for(const cJSON *c = statements->child; ok && c; c = c->next, i++) {
    m[i].statement = (cJSON *)c;
    m[i].actions = as_list(json_get(c, "Action"));
    m[i].resources = as_list(json_get(c, "Resource"));
    ok = m[i].actions && m[i].resources;
  }
  /* Merging two statements can make them mergeable with a third: go until it settles. */
  for(size_t before = 0; ok && before != n;) {
    before = n;
    n = merge_pass(m, n, &ok);
  }
  for(i = 0; ok && i < n; i++)
    ok = json_push(out, m[i].actions->child && m[i].resources->child ? rebuild(&m[i])
                                                                   : json_dup(m[i].statement))
         != NULL;
  for(i = 0; m && i < n; i++) {
    cJSON_Delete(m[i].actions);
    cJSON_Delete(m[i].resources);
  }
  free(m);
  if(!ok) {
    cJSON_Delete(out);
    return NULL;
  }
  return out;
}

/* }============ */
