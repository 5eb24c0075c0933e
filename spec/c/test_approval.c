/*
** test_approval.c: security changes between templates and what each --require-approval
** level asks to confirm.
*/
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "deploy/approval.h"

#define ROLE(trust, extra) \
  "{\"Resources\": {\"Role\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {" \
  "\"AssumeRolePolicyDocument\": {\"Statement\": [" trust "]}" extra "}}, " \
  "\"Queue\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"X\": 1}}}}"
#define SFN "{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"states.amazonaws.com\"}," \
  "\"Action\":\"sts:AssumeRole\"}"
#define POLICY(actions) \
  ", \"Policies\": [{\"PolicyName\": \"p\", \"PolicyDocument\": {\"Statement\": " \
  "{\"Effect\": \"Allow\", \"Action\": " actions ", \"Resource\": \"*\"}}}]"

static void compare(const char *old, const char *new, struct approval_report *r)
{
  cJSON *a = old ? cJSON_Parse(old) : NULL, *b = cJSON_Parse(new);
  struct diag d = {0};
  CHECK(approval_compare(a, b, r, &d) == SFL_OK);
  cJSON_Delete(a);
  cJSON_Delete(b);
}

static void test_new_stack(void)
{
  struct approval_report r;
  compare(NULL, ROLE(SFN, ""), &r);
  CHECK(r.n == 1 && r.broadening);
  if(r.n == 1) {
    CHECK(r.changes[0].sign == '+');
    CHECK_STR(r.changes[0].logical_id, "Role");
    CHECK_STR(r.changes[0].what, "AssumeRolePolicyDocument");
    CHECK_STR(r.changes[0].json, SFN);
  }
  CHECK(approval_needed(APPROVAL_BROADENING, &r));
  CHECK(approval_needed(APPROVAL_ANY_CHANGE, &r));
  CHECK(!approval_needed(APPROVAL_NEVER, &r));
  approval_free(&r);
}

static void test_unchanged_and_other_changes(void)
{
  struct approval_report r;
  const char *other = "{\"Resources\": {\"Role\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": "
                      "{\"AssumeRolePolicyDocument\": {\"Statement\": [" SFN "]}}}, \"Queue\": "
                      "{\"Type\": \"AWS::SQS::Queue\", \"Properties\": {\"X\": 2}}}}";
  compare(ROLE(SFN, ""), other, &r);
  CHECK(r.n == 0 && !r.broadening);
  CHECK(!approval_needed(APPROVAL_ANY_CHANGE, &r));
  approval_free(&r);
}

static void test_removal_and_addition(void)
{
  struct approval_report r;
  compare(ROLE(SFN, POLICY("\"s3:GetObject\"")), ROLE(SFN, ""), &r);
  CHECK(r.n == 1 && !r.broadening);
  CHECK(r.n == 1 && r.changes[0].sign == '-');
  CHECK(!approval_needed(APPROVAL_BROADENING, &r));
  CHECK(approval_needed(APPROVAL_ANY_CHANGE, &r));
  approval_free(&r);

  compare(ROLE(SFN, POLICY("\"s3:GetObject\"")), ROLE(SFN, POLICY("\"s3:*\"")), &r);
  CHECK(r.n == 2 && r.broadening);
  if(r.n == 2) {
    CHECK(r.changes[0].sign == '-' && r.changes[1].sign == '+');
    CHECK_STR(r.changes[1].json, "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}");
    CHECK_STR(r.changes[1].what, "Policies");
  }
  approval_free(&r);
}

static void test_other_places(void)
{
  struct approval_report r;
  compare("{\"Resources\": {}}",
          "{\"Resources\": {\"P\": {\"Type\": \"AWS::Lambda::Permission\", \"Properties\": "
          "{\"Action\": \"lambda:InvokeFunction\", \"Principal\": \"*\"}}, \"SG\": {\"Type\": "
          "\"AWS::EC2::SecurityGroup\", \"Properties\": {\"SecurityGroupIngress\": "
          "[{\"CidrIp\": \"0.0.0.0/0\", \"IpProtocol\": \"tcp\"}]}}, \"M\": {\"Type\": "
          "\"AWS::IAM::Role\", \"Properties\": {\"ManagedPolicyArns\": [\"arn:aws:iam::aws:"
          "policy/AdministratorAccess\"]}}}}", &r);
  CHECK(r.n == 3 && r.broadening);
  if(r.n == 3) {
    CHECK_STR(r.changes[0].what, "Properties");
    CHECK_STR(r.changes[1].what, "SecurityGroupIngress");
    CHECK_STR(r.changes[2].json, "\"arn:aws:iam::aws:policy/AdministratorAccess\"");
  }
  approval_free(&r);
}

static void test_levels(void)
{
  CHECK(approval_level_parse("never") == APPROVAL_NEVER);
  CHECK(approval_level_parse("any-change") == APPROVAL_ANY_CHANGE);
  CHECK(approval_level_parse("broadening") == APPROVAL_BROADENING);
  CHECK(approval_level_parse("always") == -1);
}

int main(void)
{
  test_new_stack();
  test_unchanged_and_other_changes();
  test_removal_and_addition();
  test_other_places();
  test_levels();
  return check_done("test_approval");
}
