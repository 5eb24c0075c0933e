/*
** sts.h: the STS AssumeRole request body and the reading of its answer (the HTTP round
** trip, signed with SigV4, is the caller's).
*/
#ifndef SFL_DEPLOY_STS_H
#define SFL_DEPLOY_STS_H

#include <stddef.h>

#include "core/diag.h"
#include "deploy/awsconfig.h"

/* The form-encoded POST body; the session name defaults to "sfl-session-<now>" (botocore
** says "botocore-session-<now>"). malloc'd, NULL when out of memory. */
char *sts_assume_role_body(const struct aws_role *role, long long now);
/* Reads the answer to AssumeRole for role: credentials on HTTP 200, else AWS's Code and
** Message verbatim. out is filled only on success (the caller frees its strings). */
enum sfl_status sts_read_answer(const struct aws_role *role, int http_status,
                                const char *body, size_t len,
                                struct aws_credentials *out, struct diag *d);

#endif
