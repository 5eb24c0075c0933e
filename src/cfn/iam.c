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
