/*
** test_cfn.c: the pure parts of sfl's CloudFormation code: stack events written as CDK's
** history printer writes them, the progress column, construct paths from a cloud
** assembly's metadata, and the bootstrap template (names, version, logical IDs).
*/
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "core/json.h"
#include "deploy/bootstrap.h"
#include "deploy/cfn.h"

static void progress(void)
{
  char buf[32];
  cfn_progress_format(buf, sizeof buf, 3, 7);
  CHECK_STR(buf, "3/7");
  cfn_progress_format(buf, sizeof buf, 3, 12);
  CHECK_STR(buf, " 3/12");
  /* CDK pads to ceil(log10(total)) digits: 10 gets one. */
  cfn_progress_format(buf, sizeof buf, 4, 10);
  CHECK_STR(buf, "4/10");
  cfn_progress_format(buf, sizeof buf, 5, 0);
  CHECK_STR(buf, "  5");
  /* A rollback can count past the total: shown as the total. */
  cfn_progress_format(buf, sizeof buf, 3, 2);
  CHECK_STR(buf, "2/2");
}

static void event_lines(void)
{
  struct cfn_event e = {
    .stack_name = "Shop", .timestamp = "2026-12-06T13:05:09.123Z",
    .status = "CREATE_COMPLETE", .type = "AWS::IAM::Role", .logical_id = "FlowRoleA1B2C3D4",
    .physical_id = "Shop-FlowRole-1", .stack_id = "arn:aws:cloudformation:::stack/Shop/1"};
  char *line = cfn_event_line(&e, "3/7", 26, "Shop/Flow/Role/Resource");
  CHECK_STR(line, "Shop | 3/7 | 1:05:09 PM | CREATE_COMPLETE         | AWS::IAM::Role        "
                  "     | Shop/Flow/Role/Resource (FlowRoleA1B2C3D4)");
  free(line);

  /* No construct path: the logical ID alone; a failure's reason at the end. */
  e.status = "CREATE_FAILED";
  e.reason = "Resource handler returned message: \"boom\"";
  e.timestamp = "2026-12-06T00:00:01Z";
  line = cfn_event_line(&e, NULL, 30, NULL);
  CHECK_STR(line, "Shop | 12:00:01 AM | CREATE_FAILED           | AWS::IAM::Role                 "
                  "| FlowRoleA1B2C3D4 Resource handler returned message: \"boom\"");
  free(line);

  /* Statuses longer than the column are cut as CDK cuts them. */
  e.status = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS";
  e.reason = NULL;
  e.timestamp = "2026-12-06T23:59:59.999Z";
  line = cfn_event_line(&e, "  1", 14, NULL);
  CHECK_STR(line, "Shop |   1 | 11:59:59 PM | UPDATE_COMPLETE_CLEANUP | AWS::IAM::Role | "
                  "FlowRoleA1B2C3D4");
  free(line);
}

static void paths(void)
{
  static const char meta[] =
    "{\"/Shop\": [{\"type\": \"aws:cdk:templateFile\", \"data\": \"Shop.template.json\"}],"
    " \"/Shop/Flow/Role/Resource\": [{\"type\": \"aws:cdk:logicalId\","
    "   \"data\": \"FlowRoleA1B2C3D4\"}, {\"type\": \"aws:cdk:creationStack\", \"data\": []}]}";
  cJSON *p = cfn_paths_from_metadata(meta);
  CHECK(cJSON_GetArraySize(p) == 1);
  CHECK_STR(cJSON_GetStringValue(json_get(p, "FlowRoleA1B2C3D4")), "Shop/Flow/Role/Resource");
  cJSON_Delete(p);
  CHECK(cfn_paths_from_metadata("[1]") == NULL);
  CHECK(cfn_paths_from_metadata("not json") == NULL);
}

static const char *at(const cJSON *j, const char *const *keys)
{
  for(; j && *keys; keys++)
    j = json_get(j, *keys);
  return cJSON_GetStringValue(j);
}

#define AT(...) ((const char *const[]){__VA_ARGS__, NULL})

static void bootstrap(void)
{
  CHECK(bootstrap_qualifier_ok("hnb659fds"));
  CHECK(bootstrap_qualifier_ok("a-b_C9"));
  CHECK(!bootstrap_qualifier_ok(""));
  CHECK(!bootstrap_qualifier_ok("elevenchars"));
  CHECK(!bootstrap_qualifier_ok("a.b"));

  cJSON *t = bootstrap_template("hnb659fds", "123456789012", "eu-west-1");
  CHECK_STR(at(t, AT("Resources", "StagingBucket", "Type")), "AWS::S3::Bucket");
  CHECK_STR(at(t, AT("Resources", "StagingBucket", "Properties", "BucketName")),
            "cdk-hnb659fds-assets-123456789012-eu-west-1");
  CHECK_STR(at(t, AT("Resources", "StagingBucket", "DeletionPolicy")), "Retain");
  CHECK_STR(at(t, AT("Resources", "CdkBootstrapVersion", "Properties", "Name")),
            "/cdk-bootstrap/hnb659fds/version");
  CHECK_STR(at(t, AT("Resources", "CdkBootstrapVersion", "Properties", "Value")), "6");
  CHECK_STR(at(t, AT("Outputs", "BootstrapVersion", "Value")), "6");
  CHECK_STR(at(t, AT("Outputs", "BucketName", "Value")),
            "cdk-hnb659fds-assets-123456789012-eu-west-1");
  CHECK_STR(at(t, AT("Outputs", "BucketDomainName", "Value")),
            "cdk-hnb659fds-assets-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com");
  CHECK_STR(at(t, AT("Description")), BOOTSTRAP_DESCRIPTION);
  const cJSON *block = json_get(json_get(json_get(json_get(t, "Resources"), "StagingBucket"),
                                         "Properties"), "PublicAccessBlockConfiguration");
  CHECK(cJSON_GetArraySize(block) == 4);
  cJSON_Delete(t);

  /* Other partitions name their ARNs and domains their own way. */
  t = bootstrap_template("q1", "123456789012", "cn-north-1");
  const cJSON *stmt = cJSON_GetArrayItem(json_get(json_get(json_get(json_get(json_get(
    t, "Resources"), "StagingBucketPolicy"), "Properties"), "PolicyDocument"), "Statement"), 0);
  CHECK_STR(cJSON_GetStringValue(cJSON_GetArrayItem(json_get(stmt, "Resource"), 0)),
            "arn:aws-cn:s3:::cdk-q1-assets-123456789012-cn-north-1");
  CHECK_STR(at(t, AT("Outputs", "BucketDomainName", "Value")),
            "cdk-q1-assets-123456789012-cn-north-1.s3.cn-north-1.amazonaws.com.cn");
  cJSON_Delete(t);
}

int main(void)
{
  setenv("TZ", "UTC", 1);
  tzset();
  progress();
  event_lines();
  paths();
  bootstrap();
  return check_done("test_cfn");
}
