/*
** sts.c: AssumeRole through STS's query protocol (Version 2011-06-15): a form-encoded body,
** an XML answer. Error messages name the role, never a key or token.
*/
#include "deploy/sts.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "deploy/sigv4_canon.h"
#include "deploy/xml.h"

static void param(struct strbuf *b, const char *name, const char *value)
{
  strbuf_printf(b, "&%s=", name);
  sigv4_uri_encode(b, value, strlen(value), 0);
}

char *sts_assume_role_body(const struct aws_role *role, long long now)
{
  struct strbuf b = {0};
  char session[48];
  snprintf(session, sizeof session, "sfl-session-%lld", now);
  strbuf_puts(&b, "Action=AssumeRole&Version=2011-06-15");
  param(&b, "RoleArn", role->arn);
  param(&b, "RoleSessionName", role->session_name ? role->session_name : session);
  if(role->external_id)
    param(&b, "ExternalId", role->external_id);
  return strbuf_take(&b);
}

static const struct { const char *path; size_t slot; } fields[] = {
  {"Credentials/AccessKeyId", offsetof(struct aws_credentials, access_key_id)},
  {"Credentials/SecretAccessKey", offsetof(struct aws_credentials, secret_access_key)},
  {"Credentials/SessionToken", offsetof(struct aws_credentials, session_token)},
  {"Credentials/Expiration", offsetof(struct aws_credentials, expiration)},
};
enum { NFIELDS = sizeof fields / sizeof *fields };

static char **slot(struct aws_credentials *c, size_t i)
{
  return (char **)((char *)c + fields[i].slot);
}

static enum sfl_status take_fields(const struct aws_role *role, const struct xml_doc *doc,
                                   struct aws_credentials *out, struct diag *d)
{
  struct sfl_loc none = {0};
  struct aws_credentials c = {0};
  for(size_t i = 0; i < NFIELDS; i++) {
    const char *v = xml_find(doc, fields[i].path);
    if(!v || !*v) {
      for(size_t j = 0; j < i; j++)
        free(*slot(&c, j));
      return diag_set(d, SFL_ERR_IO, none, "STS AssumeRole for %s answered without %s",
                      role->arn, fields[i].path);
    }
    *slot(&c, i) = strdup(v);
  }
  for(size_t i = 0; i < NFIELDS; i++)
    if(!*slot(&c, i)) {
      for(size_t j = 0; j < NFIELDS; j++)
        free(*slot(&c, j));
      return diag_nomem(d);
    }
  *out = c;
  return SFL_OK;
}

enum sfl_status sts_read_answer(const struct aws_role *role, int http_status,
                                const char *body, size_t len,
                                struct aws_credentials *out, struct diag *d)
{
  struct sfl_loc none = {0};
  struct xml_doc doc;
  struct diag xd = {0};
  if(xml_parse(body, len, &doc, &xd))
    return diag_set(d, SFL_ERR_IO, none, "STS AssumeRole for %s answered HTTP %d: %s",
                    role->arn, http_status, xd.msg);
  enum sfl_status st;
  char *err = xml_aws_error(&doc);
  if(err || http_status != 200)
    st = diag_set(d, SFL_ERR_IO, none, "STS AssumeRole for %s failed (HTTP %d): %s",
                  role->arn, http_status, err ? err : "no error code in the answer");
  else
    st = take_fields(role, &doc, out, d);
  free(err);
  xml_free(&doc);
  return st;
}
