/*
** credjson.c: reads the credentials JSON of the container endpoint and IMDS with cJSON.
*/
#include "deploy/credjson.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

static const struct { const char *name; size_t slot; } fields[] = {
  {"AccessKeyId", offsetof(struct aws_credentials, access_key_id)},
  {"SecretAccessKey", offsetof(struct aws_credentials, secret_access_key)},
  {"Token", offsetof(struct aws_credentials, session_token)},
  {"Expiration", offsetof(struct aws_credentials, expiration)},
};
enum { NFIELDS = sizeof fields / sizeof *fields };

static char **slot(struct aws_credentials *c, size_t i)
{
  return (char **)((char *)c + fields[i].slot);
}

static enum sfl_status take(const char *from, const cJSON *j, struct aws_credentials *out,
                            struct diag *d)
{
  struct sfl_loc none = {0};
  const char *code = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "Code"));
  if(cJSON_HasObjectItem(j, "Code") && (!code || strcmp(code, "Success")))
    return diag_set(d, SFL_ERR_IO, none, "%s answered Code %s instead of Success", from,
                    code ? code : "(not a string)");
  for(size_t i = 0; i < NFIELDS; i++) {
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, fields[i].name));
    if(!v || !*v)
      return diag_set(d, SFL_ERR_IO, none, "%s answered without a string %s", from,
                      fields[i].name);
  }
  struct aws_credentials c = {0};
  int nomem = 0;
  for(size_t i = 0; i < NFIELDS; i++) {
    const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, fields[i].name));
    nomem |= !(*slot(&c, i) = strdup(v));
  }
  if(nomem) {
    for(size_t i = 0; i < NFIELDS; i++)
      free(*slot(&c, i));
    return diag_nomem(d);
  }
  *out = c;
  return SFL_OK;
}

enum sfl_status credjson_read(const char *from, const char *body, size_t len,
                              struct aws_credentials *out, struct diag *d)
{
  struct sfl_loc none = {0};
  cJSON *j = cJSON_ParseWithLength(body, len);
  if(!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    return diag_set(d, SFL_ERR_IO, none, "%s answered something that is not a JSON object",
                    from);
  }
  enum sfl_status st = take(from, j, out, d);
  cJSON_Delete(j);
  return st;
}
