-- sfl.aws_s3: mistakes in Bucket props, reported at the user's line in CDK's words, and
-- what sfl refuses (auto_delete_objects, customer-managed keys) with a way out.
local h = require "helpers"

local prelude = [[
local cdk     = require "sfl"
local s3      = require "sfl.aws_s3"
local app     = cdk.App()
local stack   = cdk.Stack(app, "S")
]]
local fails_with = h.app_checker(prelude).fails_with

describe("aws_s3 errors", function()
  it("auto_delete_objects needs DESTROY", function()
    fails_with('s3.Bucket(stack, "B", { auto_delete_objects = true })', 1,
      "Bucket 'B': Cannot use 'autoDeleteObjects' property on a bucket without setting removal "
      .. "policy to 'DESTROY'.")
  end)

  it("auto_delete_objects is refused: it needs CDK's Node.js custom resource", function()
    fails_with('s3.Bucket(stack, "B", { auto_delete_objects = true, removal_policy = cdk.RemovalPolicy.DESTROY })',
      1, "Bucket 'B': auto_delete_objects needs CDK's Node.js custom-resource Lambda function "
      .. "(Custom::S3AutoDeleteObjects), which sfl cannot build; empty the bucket before "
      .. "deleting the stack instead")
  end)

  it("bucket names follow S3's rules", function()
    fails_with('s3.Bucket(stack, "B", { bucket_name = "My_Bucket" })', 1,
      "Bucket 'B': Invalid S3 bucket name (value: My_Bucket)\nBucket name must only contain "
      .. "lowercase characters and the symbols, period (.) and dash (-) (offset: 0)")
  end)

  it("a bucket key needs encryption", function()
    fails_with('s3.Bucket(stack, "B", { bucket_key_enabled = true })', 1,
      "Bucket 'B': bucketKeyEnabled is specified, so 'encryption' must be set to KMS, DSSE or "
      .. "S3 (value: NONE)")
  end)

  it("KMS encryption with a key of its own is refused", function()
    fails_with('s3.Bucket(stack, "B", { encryption = s3.BucketEncryption.KMS })', 1,
      "Bucket 'B': encryption KMS makes a customer-managed kms.Key for the bucket, which sfl's "
      .. "Bucket does not offer; use BucketEncryption.KMS_MANAGED, DSSE_MANAGED or S3_MANAGED")
  end)

  it("a lifecycle rule does something", function()
    fails_with('s3.Bucket(stack, "B", { lifecycle_rules = { { prefix = "x/" } } })', 1,
      "Bucket 'B': All rules for `lifecycleRules` must have at least one of the following "
      .. "properties: `abortIncompleteMultipartUploadAfter`, `expiration`, `expirationDate`, "
      .. "`expiredObjectDeleteMarker`, `noncurrentVersionExpiration`, "
      .. "`noncurrentVersionsToRetain`, `noncurrentVersionTransitions`, or `transitions`")
  end)

  it("lifecycle durations are whole days", function()
    fails_with('s3.Bucket(stack, "B", { lifecycle_rules = { { expiration = cdk.Duration.hours(5) } } })',
      1, "Bucket 'B': '18000 seconds' cannot be converted into a whole number of days.")
  end)

  it("encryption is a BucketEncryption", function()
    fails_with('s3.Bucket(stack, "B", { encryption = "AES256" })', 1,
      "Bucket 'B': prop 'encryption' must be one of NONE, MANAGED, S3MANAGED, KMS, "
      .. "DSSE_MANAGED, DSSE, got 'AES256'")
  end)

  it("block_public_access is a BlockPublicAccess", function()
    fails_with('s3.Bucket(stack, "B", { block_public_access = true })', 1,
      "Bucket 'B': prop 'block_public_access' must be a s3.BlockPublicAccess (e.g. "
      .. "BlockPublicAccess.BLOCK_ALL), got boolean")
  end)

  it("from_bucket_arn takes a bucket ARN", function()
    fails_with('s3.Bucket.from_bucket_arn(stack, "B", "arn:aws:s3:::b/key")', 1,
      "Bucket.from_bucket_arn: 'arn:aws:s3:::b/key' is not a bucket ARN: write it as "
      .. "arn:PARTITION:s3:::BUCKET")
  end)

  it("grants take a grantee", function()
    fails_with('s3.Bucket(stack, "B"):grant_read("me")', 1,
      "bad argument #1 to 'grant_read' (sfl.aws_iam.IGrantable (a Role, a Function or a "
      .. "StateMachine) expected, got string)")
  end)
end)
