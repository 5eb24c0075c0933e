/*
** client.h: calls to AWS services over HTTPS (libcurl, opened on first use), signed with
** SigV4, retried as the AWS SDKs' "standard" retry mode does, with the credentials the AWS
** CLI would use (awsconfig.h) fetched from where they live (container, instance metadata,
** STS AssumeRole).
**
** Errors: every failed call fills the diag. An error AWS answered reaches the message
** verbatim as "Code: Message" (e.g. "ValidationError: Stack with id X does not exist"),
** and its code alone stays available from aws_client_error_code() until the next call, so
** callers can tell errors apart without parsing messages. Messages about credentials say
** which profile and which source were used, and what was tried when nothing was found.
**
** Retries: throttling error codes, HTTP 5xx, connection failures and timeouts are retried
** up to AWS_MAX_ATTEMPTS attempts in all (else the profile's max_attempts, else 3), waiting
** random(0,1) * 2^attempt seconds (at most 20) between attempts; any other error stops at
** once. Each attempt may wait SFL_HTTP_TIMEOUT seconds (default 60) for an answer.
**
** Secrets: no message, log or file holds a key, a secret or a session token.
**
** Ownership: a client owns everything it hands out as const char * (valid until
** aws_client_close or, for aws_client_error_code, the next call); aws_s3_url's string and
** the xml_doc / cJSON answers belong to the caller (xml_free / cJSON_Delete).
*/
#ifndef SFL_DEPLOY_CLIENT_H
#define SFL_DEPLOY_CLIENT_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "core/diag.h"
#include "deploy/awsconfig.h"
#include "deploy/xml.h"

struct aws_client;   /* opaque */

/* Resolves the settings (aws_resolve), then fetches credentials as they say (container,
** IMDSv2, then each STS AssumeRole in order). A region is required: without one this fails
** saying how to give it. Errors name what was tried ("no credentials: tried environment
** variables, profile 'default' in ~/.aws/credentials and ~/.aws/config, container and
** instance metadata; set AWS_PROFILE or ..."). */
enum sfl_status aws_client_open(const struct aws_options *o, const struct aws_world *w,
                                struct aws_client **out, struct diag *d);
void aws_client_close(struct aws_client *c);   /* NULL is fine */

const char *aws_client_region(const struct aws_client *c);
/* The profile the settings came from, and where the credentials came from ("environment",
** "shared-credentials-file", "assume-role", "container-role", "iam-role", ...), for
** messages. */
const char *aws_client_profile(const struct aws_client *c);
const char *aws_client_source(const struct aws_client *c);

/* STS GetCallerIdentity's Account, asked once and kept; valid until close. */
enum sfl_status aws_client_account(struct aws_client *c, const char **account,
                                   struct diag *d);

/* When *stop is set (a SIGINT handler's flag), a call in progress gives up at once, in
** the middle of a transfer or of a wait before a retry, and fails saying it was stopped.
** NULL: calls run to their end. */
void aws_client_set_stop(struct aws_client *c, volatile sig_atomic_t *stop);

/* Writes one line per attempt of each call to trace (NULL: none), for --verbose:
** "sts GetCallerIdentity: POST https://sts.us-east-1.amazonaws.com/ -> 200 (attempt 1,
** 0.08 s)". Never a header, a body, a query string or any secret. */
void aws_client_set_trace(struct aws_client *c, FILE *trace);

/* The code of the AWS error the last call ended with ("ValidationError", "NotFound",
** "Throttling"...), or NULL when it succeeded or failed without an AWS answer (a network
** failure, a timeout). */
const char *aws_client_error_code(const struct aws_client *c);
/* The HTTP status of the last call's last answer, 0 when there was none. */
int aws_client_http_status(const struct aws_client *c);

/* Query protocol (CloudFormation, STS): Action and Version are added by the client, the
** params are form-encoded in the order given (list members as AWS names them:
** "Capabilities.member.1"); signed; retried; a 2xx answer is parsed into out (the caller
** xml_free()s it); an AWS error becomes a diag whose message is "Code: Message". */
struct aws_param {
  const char *name, *value;
};
enum sfl_status aws_query(struct aws_client *c, const char *service, const char *version,
                          const char *action, const struct aws_param *p, size_t n,
                          struct xml_doc *out, struct diag *d);

/* JSON 1.1 protocol (SSM): X-Amz-Target = target ("AmazonSSM.GetParameter"); body is the
** JSON text; the answer is parsed into out (the caller cJSON_Delete()s it). An AWS error's
** __type (without its "namespace#") is the code: "ParameterNotFound: ...". */
enum sfl_status aws_json(struct aws_client *c, const char *service, const char *target,
                         const char *body, cJSON **out, struct diag *d);

/* S3 REST (path-style when an endpoint URL is set, virtual-hosted otherwise).
** aws_s3_exists: HEAD the object; *exists is 1 or 0 (404 is not an error). */
enum sfl_status aws_s3_exists(struct aws_client *c, const char *bucket, const char *key,
                              int *exists, struct diag *d);
/* PUT the object (content_type NULL: application/octet-stream). */
enum sfl_status aws_s3_put(struct aws_client *c, const char *bucket, const char *key,
                           const void *body, size_t len, const char *content_type,
                           struct diag *d);
/* The object's URL as CloudFormation's TemplateURL wants it (malloc'd; NULL when out of
** memory). */
char *aws_s3_url(const struct aws_client *c, const char *bucket, const char *key);

#endif
