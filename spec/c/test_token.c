/*
** test_token.c: intrinsics inside JSON, turned into CloudFormation values.
*/
#include <stdlib.h>

#include "check.h"
#include "cfn/token.h"

static void text_is(cJSON *v, const char *want)
{
  char *text = json_to_text(v, 0);
  CHECK_STR(text, want);
  free(text);
}

int main(void)
{
  /* A concat of plain strings is a string; literals merge; intrinsics stay. */
  cJSON *s = cfn_concat(2, cJSON_CreateString("a"), cJSON_CreateString("b"));
  CHECK(cJSON_IsString(s) && !json_has(s, JSON_CONCAT));
  text_is(s, "\"ab\"");
  cJSON_Delete(s);

  cJSON *arn = cfn_concat(3, cJSON_CreateString("arn:"), cfn_partition(),
                          cJSON_CreateString(":states:::lambda:invoke"));
  CHECK(json_has(arn, JSON_CONCAT));
  cJSON *plain = cfn_resolve(arn);
  text_is(plain, "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},"
                 "\":states:::lambda:invoke\"]]}");
  cJSON_Delete(plain);

  /* Nested concats splice (minimalCloudFormationJoin). */
  cJSON *nested = cfn_concat(3, cJSON_CreateString("x-"), json_dup(arn),
                             cJSON_CreateString("-y"));
  plain = cfn_resolve(nested);
  text_is(plain, "{\"Fn::Join\":[\"\",[\"x-arn:\",{\"Ref\":\"AWS::Partition\"},"
                 "\":states:::lambda:invoke-y\"]]}");
  cJSON_Delete(plain);
  cJSON_Delete(nested);

  /* Stringify: literal text between intrinsics, quotes around string positions. */
  cJSON *doc = cJSON_CreateObject();
  json_put(doc, "Resource", arn);
  json_put(doc, "Fn", cfn_getatt("Fn1", "Arn"));
  json_put_str(doc, "Quote", "say \"hi\"");
  cJSON *def = cfn_stringify(doc);
  text_is(def, "{\"Fn::Join\":[\"\",[\"{\\\"Resource\\\":\\\"arn:\",{\"Ref\":\"AWS::Partition\"},"
               "\":states:::lambda:invoke\\\",\\\"Fn\\\":\\\"\",{\"Fn::GetAtt\":[\"Fn1\",\"Arn\"]},"
               "\"\\\",\\\"Quote\\\":\\\"say \\\\\\\"hi\\\\\\\"\\\"}\"]]}");
  cJSON_Delete(def);

  cJSON *ph = cfn_placeholders(doc);
  text_is(ph, "{\"Resource\":\"arn:${Ref:AWS::Partition}:states:::lambda:invoke\","
              "\"Fn\":\"${Fn::GetAtt:Fn1.Arn}\",\"Quote\":\"say \\\"hi\\\"\"}");
  cJSON_Delete(ph);
  cJSON_Delete(doc);

  /* Without intrinsics a definition is one plain string. */
  cJSON *simple = cJSON_CreateObject();
  json_put_str(simple, "StartAt", "A");
  def = cfn_stringify(simple);
  CHECK(cJSON_IsString(def));
  text_is(def, "\"{\\\"StartAt\\\":\\\"A\\\"}\"");
  cJSON_Delete(def);
  cJSON_Delete(simple);

  /* formatArn */
  cJSON *rule = cfn_arn("events", 1, 1, "rule/R");
  plain = cfn_resolve(rule);
  text_is(plain, "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":events:\","
                 "{\"Ref\":\"AWS::Region\"},\":\",{\"Ref\":\"AWS::AccountId\"},\":rule/R\"]]}");
  cJSON_Delete(plain);
  cJSON_Delete(rule);
  return check_done("test_token");
}
