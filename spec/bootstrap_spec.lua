-- sfl bootstrap against the fake AWS endpoint (spec/fakeaws): the CDKToolkit stack with
-- CDK's names, again without changes, a newer CDK bootstrap left alone, failures with
-- their reasons, throttling retried, and the command line's mistakes.
local h = require "helpers"
local S = require "cfn.support"

local ENV = "aws://123456789012/us-east-1"
local BUCKET = "cdk-hnb659fds-assets-123456789012-us-east-1"

describe("sfl bootstrap", function()
  local fake
  before_each(function() fake = h.fakeaws() end)
  after_each(function() fake:stop() end)

  it("creates the bootstrap stack with the bucket and version parameter CDK expects", function()
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    local T = "TIME"
    local function line(progress, st, type, id, reason)
      return ("CDKToolkit | %s | %s | %-23s | %-26s | %s%s\n"):format(
        progress, T, st, type, id, reason and (" " .. reason) or "")
    end
    assert.are.equal(
      " \u{23f3}  Bootstrapping environment " .. ENV .. "...\n" ..
      "CDKToolkit: creating CloudFormation changeset...\n" ..
      line("0/4", "CREATE_IN_PROGRESS", "AWS::CloudFormation::Stack", "CDKToolkit",
           "User Initiated") ..
      line("0/4", "CREATE_IN_PROGRESS", "AWS::S3::Bucket", "StagingBucket") ..
      line("1/4", "CREATE_COMPLETE", "AWS::S3::Bucket", "StagingBucket") ..
      line("1/4", "CREATE_IN_PROGRESS", "AWS::SSM::Parameter", "CdkBootstrapVersion") ..
      line("2/4", "CREATE_COMPLETE", "AWS::SSM::Parameter", "CdkBootstrapVersion") ..
      line("2/4", "CREATE_IN_PROGRESS", "AWS::S3::BucketPolicy", "StagingBucketPolicy") ..
      line("3/4", "CREATE_COMPLETE", "AWS::S3::BucketPolicy", "StagingBucketPolicy") ..
      line("4/4", "CREATE_COMPLETE", "AWS::CloudFormation::Stack", "CDKToolkit") ..
      " \u{2705}  Environment " .. ENV .. " bootstrapped.\n", S.mask(out))

    local state = fake:state()
    assert.are.same({}, state.s3[BUCKET])
    assert.are.equal("6", state.ssm["/cdk-bootstrap/hnb659fds/version"])
    local stack = state.stacks.CDKToolkit
    assert.are.equal("CREATE_COMPLETE", stack.status)
    local outputs = {}
    for k, v in pairs(stack.outputs) do outputs[k] = v end
    assert.are.same({ BucketName = BUCKET, BootstrapVersion = "6",
                      BucketDomainName = BUCKET .. ".s3.us-east-1.amazonaws.com" }, outputs)
    local bucket = stack.template.Resources.StagingBucket
    assert.are.equal("Retain", bucket.DeletionPolicy)
    assert.are.equal("aws:kms", bucket.Properties.BucketEncryption
      .ServerSideEncryptionConfiguration[1].ServerSideEncryptionByDefault.SSEAlgorithm)
    assert.are.same({ BlockPublicAcls = true, BlockPublicPolicy = true, IgnorePublicAcls = true,
                      RestrictPublicBuckets = true },
                    bucket.Properties.PublicAccessBlockConfiguration)
  end)

  it("says so when there is nothing to change, executing nothing", function()
    assert.are.equal(0, select(3, S.sfl(fake, { "bootstrap" })))
    local _, before = S.actions(fake)
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal(" \u{23f3}  Bootstrapping environment " .. ENV .. "...\n" ..
                     "CDKToolkit: creating CloudFormation changeset...\n" ..
                     " \u{2705}  Environment " .. ENV .. " bootstrapped (no changes).\n", out)
    local actions = S.actions(fake, before)
    assert.are.equal(0, S.count(actions, "ExecuteChangeSet 200"))
    -- The change set of the same name a former run may have left, then the empty one.
    assert.are.equal(2, S.count(actions, "DeleteChangeSet 200"))
  end)

  it("leaves a stack CDK bootstrapped with a newer version as it is", function()
    local cdk = [[{"Parameters": {"Qualifier": {"Type": "String", "Default": "hnb659fds"}},
      "Resources": {"CdkBootstrapVersion": {"Type": "AWS::SSM::Parameter",
        "Properties": {"Type": "String", "Name": "/cdk-bootstrap/hnb659fds/version",
                       "Value": "21"}}},
      "Outputs": {"BootstrapVersion": {"Value": "21"}}}]]
    assert.are.equal("CREATE_COMPLETE", S.create_stack(fake, "CDKToolkit", cdk))
    local _, before = S.actions(fake)
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal(" \u{23f3}  Bootstrapping environment " .. ENV .. "...\n" ..
                     " \u{2705}  Environment " .. ENV .. " already bootstrapped: stack " ..
                     "CDKToolkit is at bootstrap version 21 (sfl needs 6); nothing changed.\n",
                     out)
    assert.are.same({ "GetCallerIdentity 200", "DescribeStacks 200" }, S.actions(fake, before))
    assert.are.equal("21", fake:state().ssm["/cdk-bootstrap/hnb659fds/version"])
  end)

  it("does not replace an older bootstrap stack it did not make", function()
    local old = [[{"Resources": {"StagingBucket": {"Type": "AWS::S3::Bucket"}},
      "Outputs": {"BootstrapVersion": {"Value": "4"}}}]]
    S.create_stack(fake, "CDKToolkit", old)
    local _, before = S.actions(fake)
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal(1, status)
    assert.are.equal(" \u{23f3}  Bootstrapping environment " .. ENV .. "...\n", out)
    assert.are.equal("sfl: stack CDKToolkit in " .. ENV .. " is at bootstrap version 4, older " ..
                     "than the 6 sfl needs, and sfl did not make it: update it with 'cdk " ..
                     "bootstrap' (sfl does not replace CDK's resources)\n", err)
    assert.are.same({ "GetCallerIdentity 200", "DescribeStacks 200" }, S.actions(fake, before))
  end)

  it("refuses a stack bootstrapped with another qualifier", function()
    local cdk = [[{"Parameters": {"Qualifier": {"Type": "String", "Default": "other"}},
      "Resources": {"V": {"Type": "AWS::SSM::Parameter",
        "Properties": {"Type": "String", "Name": "/cdk-bootstrap/other/version", "Value": "21"}}},
      "Outputs": {"BootstrapVersion": {"Value": "21"}}}]]
    S.create_stack(fake, "CDKToolkit", cdk)
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal(1, status)
    assert.are.equal(" \u{23f3}  Bootstrapping environment " .. ENV .. "...\n", out)
    assert.are.equal("sfl: stack CDKToolkit in " .. ENV .. " was bootstrapped with qualifier " ..
                     "'other', not 'hnb659fds': give --qualifier other, or --toolkit-stack-name " ..
                     "NAME for a second bootstrap stack\n", err)
  end)

  it("takes a qualifier, a stack name and an environment's region", function()
    local out, err, status = S.sfl(fake, { "bootstrap", "aws://123456789012/eu-west-1",
                                           "--qualifier", "team1", "--toolkit-stack-name=Boot" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.truthy(out:find("Environment aws://123456789012/eu-west-1 bootstrapped.\n", 1, true))
    local state = fake:state()
    assert.truthy(state.s3["cdk-team1-assets-123456789012-eu-west-1"])
    assert.are.equal("6", state.ssm["/cdk-bootstrap/team1/version"])
  end)

  it("prints the failed resource's reason when the stack cannot be made", function()
    fake:seed { s3 = { [BUCKET] = { ["old.zip"] = "x" } } }
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal(1, status)
    local failed = out:match("\nFailed resources:\n(CDKToolkit | [^\n]+)\n")
    assert.truthy(failed, out)
    assert.truthy(failed:find("| CREATE_FAILED           | AWS::S3::Bucket            | " ..
                              "StagingBucket " .. BUCKET .. " already exists", 1, true), failed)
    assert.are.equal("sfl: bootstrapping " .. ENV .. " failed: stack CDKToolkit is " ..
                     "ROLLBACK_COMPLETE after StagingBucket: " .. BUCKET .. " already exists\n",
                     err)
  end)

  it("creates again over a first bootstrap that failed", function()
    fake:seed { s3 = { [BUCKET] = { ["old.zip"] = "x" } } }
    assert.are.equal(1, select(3, S.sfl(fake, { "bootstrap" })))
    assert.are.equal("ROLLBACK_COMPLETE", fake:state().stacks.CDKToolkit.status)
    for _, path in ipairs { "/" .. BUCKET .. "/old.zip", "/" .. BUCKET } do
      assert.are.equal(204, fake:request { service = "s3", method = "DELETE", path = path }.status)
    end
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.truthy(out:find("CDKToolkit: the stack is in ROLLBACK_COMPLETE after a failed " ..
                           "creation: deleting it first\n", 1, true), out)
    assert.truthy(out:find("| DELETE_COMPLETE         | AWS::CloudFormation::Stack | " ..
                           "CDKToolkit\nCDKToolkit: creating CloudFormation changeset...\n", 1,
                           true), out)
    assert.truthy(out:find(" bootstrapped.\n$"), out)
    assert.are.equal("CREATE_COMPLETE", fake:state().stacks.CDKToolkit.status)
  end)

  it("counts a stack left in REVIEW_IN_PROGRESS as new", function()
    local reply = fake:request { service = "cloudformation", action = "CreateChangeSet", params = {
      StackName = "CDKToolkit", ChangeSetName = "cdk-deploy-change-set", ChangeSetType = "CREATE",
      TemplateBody = '{"Resources": {"P": {"Type": "AWS::SSM::Parameter", ' ..
                     '"Properties": {"Type": "String", "Value": "x"}}}}' } }
    assert.are.equal(200, reply.status, reply.body)
    assert.are.equal("REVIEW_IN_PROGRESS", fake:state().stacks.CDKToolkit.status)
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.truthy(out:find(" bootstrapped.\n$"), out)
    assert.are.equal("6", fake:state().ssm["/cdk-bootstrap/hnb659fds/version"])
  end)

  it("retries throttled calls while it waits", function()
    fake:fault { service = "cloudformation", action = "DescribeStackEvents", kind = "throttle",
                 count = 2 }
    fake:fault { service = "cloudformation", action = "DescribeChangeSet", kind = "throttle" }
    local out, err, status = S.sfl(fake, { "bootstrap" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.truthy(out:find("bootstrapped.\n", 1, true))
    local actions = S.actions(fake)
    assert.are.equal(2, S.count(actions, "DescribeStackEvents 400"))
    assert.are.equal(1, S.count(actions, "DescribeChangeSet 400"))
  end)

  it("refuses an environment of another account, and bad arguments", function()
    local out, err, status = S.sfl(fake, { "bootstrap", "aws://111111111111/us-east-1" })
    assert.are.equal(1, status)
    assert.are.equal("", out)
    assert.are.equal("sfl: cannot bootstrap aws://111111111111/us-east-1: the credentials are " ..
                     "for account 123456789012 (sfl bootstraps with the caller's own " ..
                     "credentials: use a profile of account 111111111111)\n", err)
    local _, before = S.actions(fake)
    out, err, status = S.sfl(fake, { "bootstrap", "123456789012/us-east-1" })
    assert.are.equal(2, status)
    assert.are.equal("sfl: '123456789012/us-east-1' is not an environment: write " ..
                     "aws://ACCOUNT/REGION, e.g. aws://123456789012/us-east-1\n" ..
                     "Try 'sfl bootstrap --help'.\n", err)
    out, err, status = S.sfl(fake, { "bootstrap", "--qualifier", "no.dots" })
    assert.are.equal(2, status)
    assert.truthy(err:find("sfl: qualifier 'no.dots' is not valid", 1, true), err)
    out, err, status = S.sfl(fake, { "bootstrap", "--region" })
    assert.are.equal(2, status)
    assert.are.equal("sfl: --region needs a value\nTry 'sfl bootstrap --help'.\n", err)
    out, _, status = S.sfl(fake, { "bootstrap", "--help" })
    assert.are.equal(0, status)
    assert.truthy(out:find("^usage: sfl bootstrap "))
    assert.are.same({}, S.actions(fake, before))
  end)
end)
