/*
** credjson.h: the JSON credentials document that the container credentials endpoint and
** instance metadata (IMDS .../security-credentials/<role>) both answer with.
*/
#ifndef SFL_DEPLOY_CREDJSON_H
#define SFL_DEPLOY_CREDJSON_H

#include <stddef.h>

#include "core/diag.h"
#include "deploy/awsconfig.h"

/* AccessKeyId, SecretAccessKey, Token and Expiration (IMDS adds Code, which must be
** "Success" when present). `from` names the endpoint in messages; out is filled only on
** success (the caller frees its strings). Messages never hold a value. */
enum sfl_status credjson_read(const char *from, const char *body, size_t len,
                              struct aws_credentials *out, struct diag *d);

#endif
