/*
** test_sts.c: the AssumeRole body (session name, external ID, encoding) and the reading
** of STS's answers: credentials, AWS error documents verbatim, missing fields, bad XML.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deploy/sts.h"

static const char ok[] =
  "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
  "<Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s/k+1</SecretAccessKey>"
  "<SessionToken>tok</SessionToken><Expiration>2026-12-06T06:00:00Z</Expiration>"
  "</Credentials></AssumeRoleResult></AssumeRoleResponse>";

static void body(void)
{
  struct aws_role r = {"arn:aws:iam::123456789012:role/a b", NULL, NULL};
  char *b = sts_assume_role_body(&r, 1765000000);
  CHECK_STR(b, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
               "123456789012%3Arole%2Fa%20b&RoleSessionName=sfl-session-1765000000");
  free(b);
  r.session_name = "mine";
  r.external_id = "x=1&y";
  b = sts_assume_role_body(&r, 0);
  CHECK_STR(b, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A"
               "123456789012%3Arole%2Fa%20b&RoleSessionName=mine&ExternalId=x%3D1%26y");
  free(b);
}

static void fails(int status, const char *text, const char *msg)
{
  struct aws_role r = {"arn:aws:iam::1:role/r", NULL, NULL};
  struct aws_credentials c = {0};
  struct diag d = {0};
  CHECK(sts_read_answer(&r, status, text, strlen(text), &c, &d) == SFL_ERR_IO);
  CHECK_STR(d.msg, msg);
  CHECK(c.access_key_id == NULL);
}

int main(void)
{
  body();
  struct aws_role r = {"arn:aws:iam::1:role/r", NULL, NULL};
  struct aws_credentials c = {0};
  struct diag d = {0};
  CHECK(sts_read_answer(&r, 200, ok, strlen(ok), &c, &d) == SFL_OK);
  CHECK_STR(c.access_key_id, "ASIAX");
  CHECK_STR(c.secret_access_key, "s/k+1");
  CHECK_STR(c.session_token, "tok");
  CHECK_STR(c.expiration, "2026-12-06T06:00:00Z");
  free(c.access_key_id), free(c.secret_access_key), free(c.session_token), free(c.expiration);
  fails(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>"
        "User: x is not authorized to perform: sts:AssumeRole</Message></Error></ErrorResponse>",
        "STS AssumeRole for arn:aws:iam::1:role/r failed (HTTP 403): AccessDenied: User: x is "
        "not authorized to perform: sts:AssumeRole");
  fails(500, "<Oops/>", "STS AssumeRole for arn:aws:iam::1:role/r failed (HTTP 500): no error "
        "code in the answer");
  fails(502, "Bad Gateway", "STS AssumeRole for arn:aws:iam::1:role/r answered HTTP 502: the XML "
        "response is not valid at line 1, column 1: syntax error");
  fails(200, "<AssumeRoleResponse><Credentials><AccessKeyId>A</AccessKeyId></Credentials>"
        "</AssumeRoleResponse>", "STS AssumeRole for arn:aws:iam::1:role/r answered without "
        "Credentials/SecretAccessKey");
  return check_done("test_sts");
}
