/*
** test_credjson.c: the credentials JSON of the container endpoint and IMDS.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deploy/credjson.h"

static void fails(const char *text, const char *msg)
{
  struct aws_credentials c = {0};
  struct diag d = {0};
  CHECK(credjson_read("the container endpoint", text, strlen(text), &c, &d) == SFL_ERR_IO);
  CHECK_STR(d.msg, msg);
  CHECK(c.access_key_id == NULL);
}

int main(void)
{
  const char *ok = "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIA1\","
                   "\"SecretAccessKey\":\"sk\",\"Token\":\"t\",\"Expiration\":"
                   "\"2026-12-06T06:00:00Z\"}";
  struct aws_credentials c = {0};
  struct diag d = {0};
  CHECK(credjson_read("IMDS", ok, strlen(ok), &c, &d) == SFL_OK);
  CHECK_STR(c.access_key_id, "ASIA1");
  CHECK_STR(c.secret_access_key, "sk");
  CHECK_STR(c.session_token, "t");
  CHECK_STR(c.expiration, "2026-12-06T06:00:00Z");
  free(c.access_key_id), free(c.secret_access_key), free(c.session_token), free(c.expiration);
  fails("[]", "the container endpoint answered something that is not a JSON object");
  fails("{\"AccessKeyId\":", "the container endpoint answered something that is not a JSON "
        "object");
  fails("{\"Code\":\"Failed\",\"AccessKeyId\":\"a\"}",
        "the container endpoint answered Code Failed instead of Success");
  fails("{\"AccessKeyId\":\"a\",\"SecretAccessKey\":\"s\",\"Token\":7,\"Expiration\":\"e\"}",
        "the container endpoint answered without a string Token");
  return check_done("test_credjson");
}
