/*
** test_iam.c: policy statements in CDK's normal form.
*/
#include <stdlib.h>

#include "check.h"
#include "cfn/iam.h"
#include "cfn/token.h"

static void text_is(const cJSON *v, const char *want)
{
  char *text = json_to_text(v, 0);
  CHECK_STR(text, want);
  free(text);
}

int main(void)
{
  static const char *const one[] = {"lambda:InvokeFunction"};
  static const char *const two[] = {"a:B", "a:B", "c:D"};

  /* One action and one resource are scalars; repeats are dropped. */
  cJSON *res = cJSON_CreateArray();
  json_push(res, cJSON_CreateString("*"));
  cJSON *st = iam_statement(one, 1, res, NULL, NULL);
  text_is(st, "{\"Action\":\"lambda:InvokeFunction\",\"Effect\":\"Allow\",\"Resource\":\"*\"}");

  res = cJSON_CreateArray();
  json_push(res, cfn_getatt("Fn", "Arn"));
  json_push(res, cfn_getatt("Fn", "Arn"));
  json_push(res, cfn_concat(2, cfn_getatt("Fn", "Arn"), cJSON_CreateString(":*")));
  cJSON *cond = cJSON_CreateObject();
  json_put_str(cond, "StringEquals", "x");
  cJSON *st2 = iam_statement(two, 3, res, cond, "Sid1");
  cJSON *plain = cfn_resolve(st2);
  text_is(plain, "{\"Action\":[\"a:B\",\"c:D\"],\"Condition\":{\"StringEquals\":\"x\"},"
                 "\"Effect\":\"Allow\",\"Resource\":[{\"Fn::GetAtt\":[\"Fn\",\"Arn\"]},"
                 "{\"Fn::Join\":[\"\",[{\"Fn::GetAtt\":[\"Fn\",\"Arn\"]},\":*\"]]}],"
                 "\"Sid\":\"Sid1\"}");
  cJSON_Delete(plain);

  /* A document drops whole duplicate statements and keeps the first one's place. */
  cJSON *list = cJSON_CreateArray();
  json_push(list, json_dup(st));
  json_push(list, json_dup(st2));
  json_push(list, json_dup(st));
  cJSON *doc = iam_policy_document(list);
  CHECK(cJSON_GetArraySize(json_get(doc, "Statement")) == 2);
  CHECK_STR(json_get(doc, "Version")->valuestring, "2012-10-17");
  CHECK_STR(doc->child->string, "Statement");
  cJSON_Delete(doc);

  /* A single statement stays a list. */
  cJSON *single = cJSON_CreateArray();
  json_push(single, json_dup(st));
  doc = iam_policy_document(single);
  CHECK(cJSON_IsArray(json_get(doc, "Statement")));
  cJSON_Delete(doc);

  cJSON *trust = iam_trust_statement("lambda.amazonaws.com", NULL);
  text_is(trust, "{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\","
                 "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"}}");
  cJSON_Delete(trust);
  cJSON_Delete(single);
  cJSON_Delete(list);
  cJSON_Delete(st);
  cJSON_Delete(st2);
  return check_done("test_iam");
}
