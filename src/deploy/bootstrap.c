/*
** bootstrap.c: the template of sfl's bootstrap stack (bootstrap.h). The fixed part is one
** constant JSON document; the names that depend on the environment are put in by code.
** Names are written out (no Fn::Sub or pseudo parameters) so the template reads as what
** it creates.
*/
#include <stdio.h>
#include <string.h>

#include "core/json.h"
#include "deploy/bootstrap.h"

static const char skeleton[] =
  "{\"Resources\": {"
  "  \"StagingBucket\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {"
  "    \"BucketEncryption\": {\"ServerSideEncryptionConfiguration\": ["
  "      {\"ServerSideEncryptionByDefault\": {\"SSEAlgorithm\": \"aws:kms\"}}]},"
  "    \"PublicAccessBlockConfiguration\": {\"BlockPublicAcls\": true,"
  "      \"BlockPublicPolicy\": true, \"IgnorePublicAcls\": true,"
  "      \"RestrictPublicBuckets\": true},"
  "    \"VersioningConfiguration\": {\"Status\": \"Enabled\"},"
  "    \"LifecycleConfiguration\": {\"Rules\": ["
  "      {\"Id\": \"CleanupOldVersions\", \"Status\": \"Enabled\","
  "       \"NoncurrentVersionExpiration\": {\"NoncurrentDays\": 30}},"
  "      {\"Id\": \"AbortIncompleteMultipartUploads\", \"Status\": \"Enabled\","
  "       \"AbortIncompleteMultipartUpload\": {\"DaysAfterInitiation\": 1}}]}},"
  "   \"UpdateReplacePolicy\": \"Retain\", \"DeletionPolicy\": \"Retain\"},"
  "  \"StagingBucketPolicy\": {\"Type\": \"AWS::S3::BucketPolicy\","
  "   \"DependsOn\": \"StagingBucket\", \"Properties\": {"
  "    \"PolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": ["
  "      {\"Sid\": \"AllowSSLRequestsOnly\", \"Effect\": \"Deny\", \"Principal\": \"*\","
  "       \"Action\": \"s3:*\","
  "       \"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"false\"}}}]}}},"
  "  \"CdkBootstrapVersion\": {\"Type\": \"AWS::SSM::Parameter\","
  "   \"Properties\": {\"Type\": \"String\"}}},"
  " \"Outputs\": {"
  "  \"BucketName\": {\"Description\": \"The name of the S3 bucket owned by the CDK toolkit "
  "stack\"},"
  "  \"BucketDomainName\": {\"Description\": \"The domain name of the S3 bucket owned by the "
  "CDK toolkit stack\"},"
  "  \"BootstrapVersion\": {\"Description\": \"The version of the bootstrap resources that "
  "are currently mastered in this stack\"}}}";

int bootstrap_qualifier_ok(const char *q)
{
  size_t n = strlen(q);
  if(n < 1 || n > 10)
    return 0;
  for(size_t i = 0; i < n; i++) {
    char ch = q[i];
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
             || ch == '_' || ch == '-';
    if(!ok)
      return 0;
  }
  return 1;
}

void bootstrap_bucket_name(char *buf, size_t size, const char *qualifier, const char *account,
                           const char *region)
{
  snprintf(buf, size, "cdk-%s-assets-%s-%s", qualifier, account, region);
}

/* The partition and DNS suffix of a region's ARNs and endpoints. */
static void partition_of(const char *region, const char **partition, const char **dns)
{
  *partition = "aws";
  *dns = "amazonaws.com";
  if(!strncmp(region, "cn-", 3)) {
    *partition = "aws-cn";
    *dns = "amazonaws.com.cn";
  }
  else if(!strncmp(region, "us-gov-", 7))
    *partition = "aws-us-gov";
}

static cJSON *path_get(cJSON *root, const char *const *keys)
{
  for(; root && *keys; keys++)
    root = json_get(root, *keys);
  return root;
}

#define AT(...) ((const char *const[]){__VA_ARGS__, NULL})

static void put_names(cJSON *t, const char *qualifier, const char *bucket, const char *region)
{
  const char *partition, *dns;
  partition_of(region, &partition, &dns);
  char arn[160], objects[170], domain[200], param[64], version[16];
  snprintf(arn, sizeof arn, "arn:%s:s3:::%s", partition, bucket);
  snprintf(objects, sizeof objects, "%s/*", arn);
  snprintf(domain, sizeof domain, "%s.s3.%s.%s", bucket, region, dns);
  snprintf(param, sizeof param, "/cdk-bootstrap/%s/version", qualifier);
  snprintf(version, sizeof version, "%d", BOOTSTRAP_VERSION);
  const char *const resources[] = {arn, objects};

  json_put_str(path_get(t, AT("Resources", "StagingBucket", "Properties")), "BucketName", bucket);
  cJSON *policy = path_get(t, AT("Resources", "StagingBucketPolicy", "Properties"));
  json_put_str(policy, "Bucket", bucket);
  cJSON *stmt = cJSON_GetArrayItem(path_get(policy, AT("PolicyDocument", "Statement")), 0);
  json_put(stmt, "Resource", json_strings(resources, 2));
  cJSON *ssm = path_get(t, AT("Resources", "CdkBootstrapVersion", "Properties"));
  json_put_str(ssm, "Name", param);
  json_put_str(ssm, "Value", version);
  json_put_str(path_get(t, AT("Outputs", "BucketName")), "Value", bucket);
  json_put_str(path_get(t, AT("Outputs", "BucketDomainName")), "Value", domain);
  json_put_str(path_get(t, AT("Outputs", "BootstrapVersion")), "Value", version);
}

cJSON *bootstrap_template(const char *qualifier, const char *account, const char *region)
{
  cJSON *t = cJSON_CreateObject();
  cJSON *body = cJSON_Parse(skeleton);
  if(!t || !body) {
    cJSON_Delete(t);
    cJSON_Delete(body);
    return NULL;
  }
  json_put_str(t, "Description", BOOTSTRAP_DESCRIPTION);
  json_put(t, "Resources", cJSON_DetachItemFromObjectCaseSensitive(body, "Resources"));
  json_put(t, "Outputs", cJSON_DetachItemFromObjectCaseSensitive(body, "Outputs"));
  cJSON_Delete(body);
  char bucket[128];
  bootstrap_bucket_name(bucket, sizeof bucket, qualifier, account, region);
  put_names(t, qualifier, bucket, region);
  return t;
}
