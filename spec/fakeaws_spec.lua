-- The fake AWS endpoint (spec/fakeaws) that the deploy specs run sfl against: its SigV4
-- checker against the AWS test vectors, then each service, fault and control endpoint,
-- driven by requests that spec/fakeaws/client.py signs.
local h = require "helpers"
local dkjson = require "dkjson"

-- Templates keep their keys in this order, so resources and outputs come in a known order.
local json = {
  encode = function(t)
    return dkjson.encode(t, { keyorder = { "Description", "Parameters", "Resources", "Outputs",
                                           "Rules", "Bucket", "Role", "Param", "Topic", "Queue",
                                           "BucketArn", "RoleName", "Region" } })
  end,
}

local function element(body, name)
  return body:match("<" .. name .. ">(.-)</" .. name .. ">")
end

local function assert_error(reply, status, code, message)
  assert.are.equal(status, reply.status, reply.body)
  assert.are.equal(code, element(reply.body, "Code"))
  if message then assert.are.equal(message, element(reply.body, "Message")) end
end

local function json_error(reply, status, code)
  assert.are.equal(status, reply.status, reply.body)
  assert.are.equal(code, h.decode(reply.body).__type)
end

describe("fakeaws SigV4 checker", function()
  it("accepts every vector of both AWS suites and refuses them altered", function()
    local suite = h.root .. "/../shared/sigv4-testsuite"
    assert(io.open(suite .. "/README.md"), "the SigV4 test suite is not at " .. suite)
    local out, err, status = h.run(("python3 %s %s"):format(
      h.quote(h.root .. "/spec/fakeaws/test_sigv4.py"), h.quote(suite)))
    assert.are.equal("", err)
    assert.are.equal(0, status, out)
    assert.truthy(out:find("107 vectors checked, 0 failures\n", 1, true), out)
  end)
end)

describe("fakeaws", function()
  local fake
  setup(function() fake = h.fakeaws() end)
  teardown(function() fake:stop() end)

  describe("server", function()
    it("writes its port, and ends when its stdin closes", function()
      local other = h.fakeaws()
      assert.truthy(other.url:match("^http://127%.0%.0%.1:%d+$"))
      assert.are.equal(200, other:request { action = "GetCallerIdentity" }.status)
      other:stop()
      local reply = other:request { action = "GetCallerIdentity" }
      assert.are.equal(0, reply.status)
      assert.truthy(reply.error:find("ConnectionRefused", 1, true), reply.error)
    end)

    it("gives an environment for sfl with empty config files and the example keys", function()
      assert.are.equal(fake.url, fake.env.AWS_ENDPOINT_URL)
      assert.are.equal("AKIDEXAMPLE", fake.env.AWS_ACCESS_KEY_ID)
      assert.are.equal("us-east-1", fake.env.AWS_REGION)
      assert.are.equal("true", fake.env.AWS_EC2_METADATA_DISABLED)
      assert.are.equal("", h.read_file(fake.env.AWS_CONFIG_FILE))
      assert.are.equal("", h.read_file(fake.env.AWS_SHARED_CREDENTIALS_FILE))
      local out, _, status = h.sfl_env({ FOO = "bar" }, { "--version" })
      assert.are.equal(0, status)
      assert.truthy(#out > 0)
    end)
  end)

  describe("signatures", function()
    it("answers GetCallerIdentity for the example key", function()
      local reply = fake:request { action = "GetCallerIdentity" }
      assert.are.equal(200, reply.status, reply.body)
      assert.are.equal("123456789012", element(reply.body, "Account"))
      assert.are.equal("arn:aws:iam::123456789012:user/fake-user", element(reply.body, "Arn"))
      assert.truthy(reply.body:find('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">', 1, true))
    end)

    it("refuses a wrong secret, an unknown key and a stale date as AWS does", function()
      assert_error(fake:request { action = "GetCallerIdentity", secret = "wrong" }, 403,
                   "SignatureDoesNotMatch")
      assert_error(fake:request { action = "GetCallerIdentity", tamper = true }, 403,
                   "SignatureDoesNotMatch")
      assert_error(fake:request { action = "GetCallerIdentity", key = "AKIDUNKNOWN" }, 403,
                   "InvalidClientTokenId", "The security token included in the request is invalid.")
      local stale = fake:request { action = "GetCallerIdentity", date = "20150830T123600Z" }
      assert_error(stale, 403, "SignatureDoesNotMatch")
      assert.truthy(element(stale.body, "Message"):find("^Signature expired: 20150830T123600Z is now earlier than "))
      assert_error(fake:request { action = "GetCallerIdentity", no_sign = true }, 403,
                   "MissingAuthenticationToken", "Request is missing Authentication Token")
    end)

    it("knows minted temporary keys, their tokens and their expiry", function()
      local good = fake:credentials(600)
      local reply = fake:request { action = "GetCallerIdentity", key = good.AccessKeyId,
                                   secret = good.SecretAccessKey, token = good.Token }
      assert.are.equal(200, reply.status, reply.body)
      assert_error(fake:request { action = "GetCallerIdentity", key = good.AccessKeyId,
                                  secret = good.SecretAccessKey }, 403, "InvalidClientTokenId")
      local old = fake:credentials(-1)
      assert_error(fake:request { action = "GetCallerIdentity", key = old.AccessKeyId,
                                  secret = old.SecretAccessKey, token = old.Token }, 400,
                   "ExpiredToken", "The security token included in the request is expired")
    end)
  end)

  describe("STS AssumeRole", function()
    it("mints keys that act as the role's session", function()
      local reply = fake:request { action = "AssumeRole", params = {
        RoleArn = "arn:aws:iam::111122223333:role/Deployer", RoleSessionName = "s1" } }
      assert.are.equal(200, reply.status, reply.body)
      local key = element(reply.body, "AccessKeyId")
      assert.truthy(key:match("^ASIA"))
      local who = fake:request { action = "GetCallerIdentity", key = key,
                                 secret = element(reply.body, "SecretAccessKey"),
                                 token = element(reply.body, "SessionToken") }
      assert.are.equal("arn:aws:sts::111122223333:assumed-role/Deployer/s1", element(who.body, "Arn"))
      assert.are.equal("111122223333", element(who.body, "Account"))
      assert.truthy(element(reply.body, "Expiration"):match("^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%dZ$"))
    end)

    it("refuses a missing RoleArn with AWS's validation message", function()
      assert_error(fake:request { action = "AssumeRole", params = { RoleSessionName = "s" } }, 400,
                   "ValidationError", "1 validation error detected: Value null at 'roleArn' "
                   .. "failed to satisfy constraint: Member must not be null")
    end)
  end)

  describe("credential endpoints", function()
    it("serves container credentials for the right token only", function()
      local reply = fake:request { path = "/_fake/container-credentials", no_sign = true,
                                   headers = { "Authorization: fake-container-token" } }
      assert.are.equal(200, reply.status)
      local creds = h.decode(reply.body)
      assert.truthy(creds.AccessKeyId:match("^ASIA"))
      local who = fake:request { action = "GetCallerIdentity", key = creds.AccessKeyId,
                                 secret = creds.SecretAccessKey, token = creds.Token }
      assert.are.equal(200, who.status, who.body)
      assert.are.equal(401, fake:request { path = "/_fake/container-credentials", no_sign = true,
                                           headers = { "Authorization: wrong" } }.status)
    end)

    it("serves IMDSv2: a token first, then the role and its credentials", function()
      local base = "/latest/meta-data/iam/security-credentials/"
      assert.are.equal(401, fake:request { path = base, no_sign = true }.status)
      assert.are.equal(400, fake:request { method = "PUT", path = "/latest/api/token",
                                           no_sign = true }.status)
      local token = fake:request { method = "PUT", path = "/latest/api/token", no_sign = true,
                                   headers = { "X-aws-ec2-metadata-token-ttl-seconds: 60" } }
      assert.are.equal(200, token.status)
      local auth = { "X-aws-ec2-metadata-token: " .. token.body }
      local role = fake:request { path = base, no_sign = true, headers = auth }
      assert.are.equal("fake-instance-role", role.body)
      local creds = h.decode(fake:request { path = base .. role.body, no_sign = true,
                                            headers = auth }.body)
      assert.are.equal("Success", creds.Code)
      local who = fake:request { action = "GetCallerIdentity", key = creds.AccessKeyId,
                                 secret = creds.SecretAccessKey, token = creds.Token }
      assert.are.equal(200, who.status, who.body)
    end)
  end)

  describe("SSM", function()
    local function get(name)
      return fake:request { service = "ssm", target = "AmazonSSM.GetParameter",
                            body = ('{"Name":"%s"}'):format(name) }
    end

    it("answers GetParameter, ParameterNotFound as AWS does, and reads seeded values", function()
      fake:reset()
      local missing = get("/cdk-bootstrap/hnb659fds/version")
      json_error(missing, 400, "ParameterNotFound")
      assert.is_nil(h.decode(missing.body).message)
      fake:seed { ssm = { ["/cdk-bootstrap/hnb659fds/version"] = "21" } }
      local p = h.decode(get("/cdk-bootstrap/hnb659fds/version").body).Parameter
      assert.are.equal("21", p.Value)
      assert.are.equal("String", p.Type)
      assert.are.equal("arn:aws:ssm:us-east-1:123456789012:parameter/cdk-bootstrap/hnb659fds/version", p.ARN)
    end)

    it("answers a bad signature with its JSON error", function()
      json_error(fake:request { service = "ssm", target = "AmazonSSM.GetParameter",
                                body = '{"Name":"/x"}', secret = "wrong" }, 400,
                 "InvalidSignatureException")
    end)
  end)

  describe("S3", function()
    it("puts, heads and gets objects path-style, in buckets that exist", function()
      fake:reset()
      assert_error(fake:request { service = "s3", method = "PUT", path = "/bkt/a.json", body = "{}" },
                   404, "NoSuchBucket")
      fake:seed { s3 = { bkt = {} } }
      assert.are.equal(200, fake:request { service = "s3", method = "HEAD", path = "/bkt" }.status)
      assert.are.equal(404, fake:request { service = "s3", method = "HEAD", path = "/nope" }.status)
      local put = fake:request { service = "s3", method = "PUT", path = "/bkt/assets/a.zip",
                                 body = "zipdata", headers = { "Expect: 100-continue" } }
      assert.are.equal(200, put.status)
      assert.are.equal('"' .. "74a8200bd83ce7c8d6c98f6981a5dc55" .. '"', put.headers.etag)
      local head = fake:request { service = "s3", method = "HEAD", path = "/bkt/assets/a.zip" }
      assert.are.equal(200, head.status)
      assert.are.equal("7", head.headers["content-length"])
      assert.are.equal("zipdata", fake:request { service = "s3", path = "/bkt/assets/a.zip" }.body)
      assert.are.equal(404, fake:request { service = "s3", method = "HEAD", path = "/bkt/b.zip" }.status)
      assert_error(fake:request { service = "s3", path = "/bkt/b.zip" }, 404, "NoSuchKey",
                   "The specified key does not exist.")
      assert.are.same({ bkt = { ["assets/a.zip"] = 7 } }, fake:state().s3)
    end)

    it("checks Content-MD5 as S3 does", function()
      fake:seed { s3 = { bkt = {} } }
      local md5 = "dKggC9g858jWyY9pgaXcVQ=="   -- base64 MD5 of "zipdata"
      assert.are.equal(200, fake:request { service = "s3", method = "PUT", path = "/bkt/m",
                                           body = "zipdata", headers = { "Content-MD5: " .. md5 } }.status)
      assert_error(fake:request { service = "s3", method = "PUT", path = "/bkt/m", body = "other",
                                  headers = { "Content-MD5: " .. md5 } }, 400, "BadDigest",
                   "The Content-MD5 you specified did not match what we received.")
    end)

    it("refuses a body that is not the one signed", function()
      fake:seed { s3 = { bkt = {} } }
      assert_error(fake:request { service = "s3", method = "PUT", path = "/bkt/x", body = "abc",
                                  tamper = true }, 400, "XAmzContentSHA256Mismatch")
      local bad = fake:request { service = "s3", method = "PUT", path = "/bkt/x", body = "abc",
                                 secret = "wrong" }
      assert_error(bad, 403, "SignatureDoesNotMatch")
      assert.truthy(element(bad.body, "CanonicalRequest"))
    end)
  end)

  describe("faults", function()
    before_each(function() fake:reset() end)

    it("throttles each protocol as its service does", function()
      fake:fault { service = "sts", kind = "throttle" }
      assert_error(fake:request { action = "GetCallerIdentity" }, 400, "Throttling", "Rate exceeded")
      fake:fault { service = "ssm", kind = "throttle" }
      local ssm = fake:request { service = "ssm", target = "AmazonSSM.GetParameter", body = '{"Name":"/x"}' }
      json_error(ssm, 400, "ThrottlingException")
      assert.are.equal("Rate exceeded", h.decode(ssm.body).message)
      fake:fault { service = "s3", action = "PUT", kind = "throttle" }
      assert_error(fake:request { service = "s3", method = "PUT", path = "/b/k", body = "x" }, 503,
                   "SlowDown", "Please reduce your request rate.")
    end)

    it("answers 500 with InternalFailure, COUNT times, for the matching action only", function()
      fake:fault { service = "sts", action = "AssumeRole", kind = "500", count = 2 }
      assert.are.equal(200, fake:request { action = "GetCallerIdentity" }.status)
      local params = { RoleArn = "arn:aws:iam::123456789012:role/R", RoleSessionName = "s" }
      assert_error(fake:request { action = "AssumeRole", params = params }, 500, "InternalFailure")
      assert_error(fake:request { action = "AssumeRole", params = params }, 500, "InternalFailure")
      assert.are.equal(200, fake:request { action = "AssumeRole", params = params }.status)
    end)

    it("drops the connection without an answer", function()
      fake:fault { kind = "drop" }
      local reply = fake:request { action = "GetCallerIdentity" }
      assert.are.equal(0, reply.status)
      assert.truthy(reply.error:find("RemoteDisconnected", 1, true), reply.error)
      assert.are.equal(200, fake:request { action = "GetCallerIdentity" }.status)
    end)

    it("answers slowly", function()
      fake:fault { service = "sts", kind = "slow", ms = 1500 }
      local reply = fake:request { action = "GetCallerIdentity", timeout = 0.5 }
      assert.are.equal(0, reply.status)
      assert.truthy(reply.error:find("timed out", 1, true), reply.error)
      fake:fault { service = "sts", kind = "slow", ms = 300 }
      assert.are.equal(200, fake:request { action = "GetCallerIdentity" }.status)
      local log = fake:log()
      assert.are.equal("slow", log[#log].fault)
    end)

    it("refuses an unknown kind", function()
      local reply = fake:request { method = "POST", path = "/_fake/fault", no_sign = true,
                                   body = '{"kind":"explode"}' }
      assert.are.equal(400, reply.status)
    end)
  end)

  describe("control", function()
    it("logs each request with its service, action, status and time; reset empties it", function()
      fake:reset()
      fake:request { action = "GetCallerIdentity" }
      fake:request { service = "s3", method = "HEAD", path = "/nope/k" }
      fake:fault { kind = "drop" }
      fake:request { service = "ssm", target = "AmazonSSM.GetParameter", body = '{"Name":"/x"}' }
      local log = fake:log()
      assert.are.equal(3, #log)
      assert.are.same({ "sts", "GetCallerIdentity", "POST", "/", 200 },
                      { log[1].service, log[1].action, log[1].method, log[1].path, log[1].status })
      assert.are.same({ "s3", "HEAD", "/nope/k", 404, "NoSuchBucket" },
                      { log[2].service, log[2].action, log[2].path, log[2].status, log[2].error })
      assert.are.same({ "ssm", "GetParameter", 0, "drop" },
                      { log[3].service, log[3].action, log[3].status, log[3].fault })
      assert.truthy(log[1].time <= log[2].time and log[2].time <= log[3].time)
      fake:reset()
      assert.are.same({}, fake:log())
    end)

    it("shows and seeds state", function()
      fake:reset()
      local state = fake:seed { ssm = { ["/p"] = "v" }, s3 = { b = { k = "12345" } } }
      assert.are.same({ ["/p"] = "v" }, state.ssm)
      assert.are.same({ b = { k = 5 } }, state.s3)
      assert.are.same({}, state.stacks)
    end)
  end)
  describe("CloudFormation", function()
    local function cfn(action, params)
      return fake:request { service = "cloudformation", action = action, params = params }
    end
    local function all(body, name)
      local out = {}
      for v in body:gmatch("<" .. name .. ">(.-)</" .. name .. ">") do out[#out + 1] = v end
      return out
    end
    local function status(stack)
      local reply = cfn("DescribeStacks", { StackName = stack })
      assert.are.equal(200, reply.status, reply.body)
      return element(reply.body, "StackStatus"), reply.body
    end
    -- Polls DescribeStacks until the status stops ending in _IN_PROGRESS; returns the final
    -- status, the statuses seen on the way, and the last answer.
    local function wait(stack)
      local seen = {}
      for _ = 1, 50 do
        local s, body = status(stack)
        if seen[#seen] ~= s then seen[#seen + 1] = s end
        if not s:match("_IN_PROGRESS$") then return s, seen, body end
      end
      error("stack " .. stack .. " never settled")
    end
    local function change_set(stack, name, kind, template, extra)
      local params = { StackName = stack, ChangeSetName = name, ChangeSetType = kind,
                       TemplateBody = type(template) == "string" and template or json.encode(template),
                       ["Capabilities.member.1"] = "CAPABILITY_IAM" }
      for k, v in pairs(extra or {}) do params[k] = v end
      local reply = cfn("CreateChangeSet", params)
      assert.are.equal(200, reply.status, reply.body)
      local first = cfn("DescribeChangeSet", { StackName = stack, ChangeSetName = name })
      assert.are.equal("CREATE_IN_PROGRESS", element(first.body, "Status"))
      return cfn("DescribeChangeSet", { StackName = stack, ChangeSetName = name }).body, reply.body
    end
    local function deploy(stack, name, kind, template, extra, execute)
      local described = change_set(stack, name, kind, template, extra)
      assert.are.equal("AVAILABLE", element(described, "ExecutionStatus"), described)
      local p = { StackName = stack, ChangeSetName = name }
      for k, v in pairs(execute or {}) do p[k] = v end
      assert.are.equal(200, cfn("ExecuteChangeSet", p).status)
      return wait(stack)
    end

    local bootstrap_rule = { CheckBootstrapVersion = { Assertions = { {
      Assert = { ["Fn::Not"] = { { ["Fn::Contains"] = { { "1", "2", "3", "4", "5" },
                                                        { Ref = "BootstrapVersion" } } } } },
      AssertDescription = "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' "
        .. "with a recent version of the CDK CLI." } } } }
    local function template(extra)
      local t = {
        Parameters = { BootstrapVersion = { Type = "AWS::SSM::Parameter::Value<String>",
                                            Default = "/cdk-bootstrap/hnb659fds/version" } },
        Resources = {
          Bucket = { Type = "AWS::S3::Bucket", Properties = { BucketName = "app-bucket" } },
          Role = { Type = "AWS::IAM::Role", Properties = { AssumeRolePolicyDocument = {} } },
          Param = { Type = "AWS::SSM::Parameter",
                    Properties = { Type = "String", Name = "/app/bucket", Value = { Ref = "Bucket" } } },
        },
        Outputs = {
          BucketArn = { Value = { ["Fn::GetAtt"] = { "Bucket", "Arn" } }, Description = "the bucket",
                        Export = { Name = { ["Fn::Sub"] = "${AWS::StackName}-bucket" } } },
          RoleName = { Value = { Ref = "Role" } },
          Region = { Value = { ["Fn::Join"] = { ":", { { Ref = "AWS::Region" }, "x" } } } },
        },
        Rules = bootstrap_rule,
      }
      for k, v in pairs(extra or {}) do t.Resources[k] = v end
      return t
    end

    before_each(function()
      fake:reset()
      fake:seed { ssm = { ["/cdk-bootstrap/hnb659fds/version"] = "21" } }
    end)

    it("says a missing stack does not exist, as AWS does", function()
      assert_error(cfn("DescribeStacks", { StackName = "Nope" }), 400, "ValidationError",
                   "Stack with id Nope does not exist")
      assert_error(cfn("DescribeStackEvents", { StackName = "Nope" }), 400, "ValidationError",
                   "Stack with id Nope does not exist")
      assert_error(cfn("GetTemplate", { StackName = "Nope" }), 400, "ValidationError",
                   "Stack with id Nope does not exist")
      assert_error(cfn("DescribeChangeSet", { StackName = "Nope", ChangeSetName = "c" }), 400,
                   "ValidationError", "Stack with id Nope does not exist")
      assert.are.equal(200, cfn("DeleteStack", { StackName = "Nope" }).status)
    end)

    it("creates, updates and deletes a stack through change sets, a resource per poll", function()
      local described, created = change_set("App", "cs1", "CREATE", template())
      assert.truthy(element(created, "Id"):match("^arn:aws:cloudformation:us%-east%-1:123456789012:changeSet/cs1/"))
      assert.truthy(element(created, "StackId"):match("^arn:aws:cloudformation:us%-east%-1:123456789012:stack/App/"))
      assert.are.equal("REVIEW_IN_PROGRESS", (status("App")))
      assert.are.equal("CREATE_COMPLETE", element(described, "Status"))
      assert.are.same({ "Add", "Add", "Add" }, all(described, "Action"))
      assert.are.same({ "Bucket", "Role", "Param" }, all(described, "LogicalResourceId"))
      assert.are.equal("21", element(described, "ResolvedValue"))
      assert.are.equal(200, cfn("ExecuteChangeSet", { StackName = "App", ChangeSetName = "cs1" }).status)
      local final, seen, body = wait("App")
      assert.are.equal("CREATE_COMPLETE", final)
      assert.are.same({ "CREATE_IN_PROGRESS", "CREATE_COMPLETE" }, seen)
      assert.are.same({ "BucketArn", "RoleName", "Region" }, all(body, "OutputKey"))
      local values = all(body, "OutputValue")
      assert.are.equal("arn:aws:s3:::app-bucket", values[1])
      assert.truthy(values[2]:match("^App%-Role%-"))
      assert.are.equal("us-east-1:x", values[3])
      assert.are.same({ "the bucket" }, all(body, "Description"))
      assert.are.same({ "App-bucket" }, all(body, "ExportName"))
      local state = fake:state()
      assert.are.same({}, state.s3["app-bucket"])
      assert.are.equal("app-bucket", state.ssm["/app/bucket"])
      assert.are.equal("CREATE_COMPLETE", state.stacks.App.status)

      local events = cfn("DescribeStackEvents", { StackName = "App" }).body
      local statuses = all(events, "ResourceStatus")
      assert.are.same({ "CREATE_COMPLETE", "CREATE_COMPLETE", "CREATE_IN_PROGRESS" },
                      { statuses[1], statuses[2], statuses[3] })
      assert.are.equal("REVIEW_IN_PROGRESS", statuses[#statuses])
      local stamps = all(events, "Timestamp")
      assert.truthy(stamps[1] > stamps[#stamps])
      local got = cfn("GetTemplate", { StackName = "App" }).body
      local text = element(got, "TemplateBody"):gsub("&lt;", "<"):gsub("&gt;", ">")
                                               :gsub("&quot;", '"'):gsub("&amp;", "&")
      assert.are.equal(json.encode(template()), text)
      assert.are.same({ "Original", "Processed" }, all(element(got, "StagesAvailable"), "member"))

      -- The same template again: the change set fails with AWS's "no changes" reason.
      local same = change_set("App", "cs2", "UPDATE", template())
      assert.are.equal("FAILED", element(same, "Status"))
      assert.are.equal("UNAVAILABLE", element(same, "ExecutionStatus"))
      assert.are.equal("The submitted information didn't contain changes. Submit different "
                       .. "information to create a change set.", element(same, "StatusReason"))
      assert_error(cfn("ExecuteChangeSet", { StackName = "App", ChangeSetName = "cs2" }), 400,
                   "InvalidChangeSetStatus")
      assert.are.equal(200, cfn("DeleteChangeSet", { StackName = "App", ChangeSetName = "cs2" }).status)

      -- An update: one property changed in place, one resource added, one removed.
      local t = template { Topic = { Type = "AWS::SNS::Topic" } }
      t.Resources.Param.Properties.Value = "literal"
      t.Resources.Role = nil
      t.Outputs.RoleName = nil
      local update = change_set("App", "cs3", "UPDATE", t)
      assert.are.same({ "Modify", "Add", "Remove" }, all(update, "Action"))
      assert.are.same({ "False" }, all(update, "Replacement"))
      assert.are.equal("<member>Properties</member>", element(update, "Scope"))
      assert.are.same({ "Value" }, all(update, "Name"))
      assert.are.equal(200, cfn("ExecuteChangeSet", { StackName = "App", ChangeSetName = "cs3" }).status)
      local final2, seen2 = wait("App")
      assert.are.equal("UPDATE_COMPLETE", final2)
      assert.are.same({ "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE" }, seen2)
      assert.are.equal("literal", fake:state().ssm["/app/bucket"])
      assert.is_nil(fake:state().stacks.App.resources.Role)

      -- Delete: each resource, then DELETE_COMPLETE; by name the stack is gone, by id not.
      local id = fake:state().stacks.App.id
      assert.are.equal(200, cfn("DeleteStack", { StackName = "App" }).status)
      local last
      for _ = 1, 10 do
        local reply = cfn("DescribeStacks", { StackName = id })
        last = element(reply.body, "StackStatus")
        if last == "DELETE_COMPLETE" then break end
        assert.are.equal("DELETE_IN_PROGRESS", last)
      end
      assert.are.equal("DELETE_COMPLETE", last)
      assert_error(cfn("DescribeStacks", { StackName = "App" }), 400, "ValidationError",
                   "Stack with id App does not exist")
      assert.is_nil(fake:state().s3["app-bucket"])
      assert.is_nil(fake:state().ssm["/app/bucket"])
    end)

    it("rolls back a failed create, or keeps CREATE_FAILED with DisableRollback", function()
      local failing = template { Queue = { Type = "AWS::SQS::Queue",
                                           Properties = { FakeFail = "Queue quota exceeded" } } }
      local final, seen = deploy("Bad", "cs", "CREATE", failing)
      assert.are.equal("ROLLBACK_COMPLETE", final)
      assert.are.same({ "CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE" }, seen)
      local events = cfn("DescribeStackEvents", { StackName = "Bad" }).body
      assert.truthy(events:find("<ResourceStatus>CREATE_FAILED</ResourceStatus><ResourceStatusReason>Queue quota exceeded</ResourceStatusReason>", 1, true))
      assert.truthy(events:find("The following resource(s) failed to create: [Queue]. Rollback requested by user.", 1, true))
      assert.is_nil(fake:state().s3["app-bucket"])
      assert_error(cfn("CreateChangeSet", { StackName = "Bad", ChangeSetName = "again",
                                            TemplateBody = json.encode(template()) }), 400,
                   "ValidationError")

      local kept, _, body = deploy("Kept", "cs", "CREATE", failing, nil, { DisableRollback = "true" })
      assert.are.equal("CREATE_FAILED", kept)
      assert.are.equal("The following resource(s) failed to create: [Queue]. ", element(body, "StackStatusReason"))
      assert.are.equal("true", element(body, "DisableRollback"))
      assert.are.same({}, fake:state().s3["app-bucket"])
    end)

    it("rolls back a failed update, or keeps UPDATE_FAILED with DisableRollback", function()
      assert.are.equal("CREATE_COMPLETE", (deploy("Up", "c1", "CREATE", template())))
      local t = template()
      t.Resources.Param.Properties.Value = "new"
      t.Resources.Role.Properties.FakeFail = "Role policy is malformed"
      local final, seen = deploy("Up", "c2", "UPDATE", t)
      assert.are.equal("UPDATE_ROLLBACK_COMPLETE", final)
      assert.are.same({ "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS",
                        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE" }, seen)
      assert.are.equal("app-bucket", fake:state().ssm["/app/bucket"])
      local events = cfn("DescribeStackEvents", { StackName = "Up" }).body
      assert.truthy(events:find("<ResourceStatus>UPDATE_FAILED</ResourceStatus><ResourceStatusReason>Role policy is malformed</ResourceStatusReason>", 1, true))

      local kept, _, body = deploy("Up", "c3", "UPDATE", t, nil, { DisableRollback = "true" })
      assert.are.equal("UPDATE_FAILED", kept)
      assert.are.equal("The following resource(s) failed to update: [Role]. ", element(body, "StackStatusReason"))
    end)

    it("refuses what CloudFormation refuses when a change set is created", function()
      local big = template()
      big.Description = string.rep("x", 51200)
      local reply = cfn("CreateChangeSet", { StackName = "Big", ChangeSetName = "c",
                                             ChangeSetType = "CREATE", TemplateBody = json.encode(big) })
      assert_error(reply, 400, "ValidationError")
      assert.truthy(element(reply.body, "Message"):find("' at 'templateBody' failed to satisfy constraint: "
        .. "Member must have length less than or equal to 51200$"))
      assert_error(cfn("CreateChangeSet", { StackName = "S", ChangeSetName = "c", ChangeSetType = "CREATE",
                                            TemplateBody = json.encode(template()) }), 400,
                   "InsufficientCapabilities", "Requires capabilities : [CAPABILITY_IAM]")
      assert_error(cfn("CreateChangeSet", { StackName = "S", ChangeSetName = "c", ChangeSetType = "UPDATE",
                                            TemplateBody = json.encode(template()) }), 400,
                   "ValidationError", "Stack [S] does not exist")
      assert_error(cfn("CreateChangeSet", { StackName = "S", ChangeSetName = "c", ChangeSetType = "CREATE",
                                            TemplateBody = "{\n  nope" }), 400,
                   "ValidationError", "Template format error: JSON not well-formed. (line 2, column 3)")
      fake:seed { ssm = { ["/cdk-bootstrap/hnb659fds/version"] = "3" } }
      assert_error(cfn("CreateChangeSet", { StackName = "S", ChangeSetName = "c", ChangeSetType = "CREATE",
                                            ["Capabilities.member.1"] = "CAPABILITY_IAM",
                                            TemplateBody = json.encode(template()) }), 400, "ValidationError",
                   "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.")
      fake:reset()
      assert_error(cfn("CreateChangeSet", { StackName = "S", ChangeSetName = "c", ChangeSetType = "CREATE",
                                            ["Capabilities.member.1"] = "CAPABILITY_IAM",
                                            TemplateBody = json.encode(template()) }), 400, "ValidationError",
                   "Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from parameter store for this account.")
    end)

    it("reads a TemplateURL from the fake S3", function()
      local big = template()
      big.Description = string.rep("x", 60000)
      fake:seed { s3 = { ["cdk-hnb659fds-assets-123456789012-us-east-1"] = { ["t.json"] = json.encode(big) } } }
      local params = { StackName = "Url", ChangeSetName = "c", ChangeSetType = "CREATE",
                       ["Capabilities.member.1"] = "CAPABILITY_IAM" }
      params.TemplateURL = "https://s3.us-east-1.amazonaws.com/cdk-hnb659fds-assets-123456789012-us-east-1/missing.json"
      assert_error(cfn("CreateChangeSet", params), 400, "ValidationError",
                   "TemplateURL must reference a valid S3 object to which you have access.")
      params.TemplateURL = fake.url .. "/cdk-hnb659fds-assets-123456789012-us-east-1/t.json"
      assert.are.equal(200, cfn("CreateChangeSet", params).status)
      params.StackName, params.TemplateURL = "Url2",
        "https://cdk-hnb659fds-assets-123456789012-us-east-1.s3.us-east-1.amazonaws.com/t.json"
      assert.are.equal(200, cfn("CreateChangeSet", params).status)
    end)

    it("replaces a resource whose name changes, keeps Retain resources and fails on a full bucket", function()
      assert.are.equal("CREATE_COMPLETE", (deploy("R", "c1", "CREATE", template {
        Kept = { Type = "AWS::S3::Bucket", DeletionPolicy = "Retain",
                 Properties = { BucketName = "kept-bucket" } } })))
      local t = template { Kept = { Type = "AWS::S3::Bucket", DeletionPolicy = "Retain",
                                    Properties = { BucketName = "kept-bucket" } } }
      t.Resources.Bucket.Properties.BucketName = "app-bucket-2"
      local described = change_set("R", "c2", "UPDATE", t)
      assert.are.same({ "Modify", "Modify" }, all(described, "Action"))
      assert.are.same({ "True", "False" }, all(described, "Replacement"))
      assert.are.same({ "Always", "Never" }, all(described, "RequiresRecreation"))
      assert.are.same({ "DirectModification", "ResourceReference" }, all(described, "ChangeSource"))
      assert.are.same({ "Static", "Dynamic" }, all(described, "Evaluation"))
      assert.are.same({ "Bucket" }, all(described, "CausingEntity"))
      assert.are.equal(200, cfn("ExecuteChangeSet", { StackName = "R", ChangeSetName = "c2" }).status)
      local final, seen = wait("R")
      assert.are.equal("UPDATE_COMPLETE", final)
      assert.are.same({ "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE" }, seen)
      local s3 = fake:state().s3
      assert.is_nil(s3["app-bucket"])
      assert.are.same({}, s3["app-bucket-2"])
      assert.are.equal("app-bucket-2", fake:state().ssm["/app/bucket"])

      fake:seed { s3 = { ["app-bucket-2"] = { k = "data" } } }
      assert.are.equal(200, cfn("DeleteStack", { StackName = "R" }).status)
      local gone, _, body = wait("R")
      assert.are.equal("DELETE_FAILED", gone)
      assert.are.equal("The following resource(s) failed to delete: [Bucket]. ", element(body, "StackStatusReason"))
      assert.are.same({ "kept-bucket" }, (function()
        local names = {}
        for name in pairs(fake:state().s3) do
          if name ~= "app-bucket-2" then names[#names + 1] = name end
        end
        return names
      end)())
    end)

    it("pages stack events newest first with NextToken", function()
      deploy("Paged", "c", "CREATE", template())
      fake:control("POST", "config", { events_page_size = 4 })
      local first = cfn("DescribeStackEvents", { StackName = "Paged" }).body
      assert.are.equal(4, #all(first, "EventId"))
      local token = element(first, "NextToken")
      assert.truthy(token)
      local ids = all(first, "EventId")
      local n = 4
      while token do
        local page = cfn("DescribeStackEvents", { StackName = "Paged", NextToken = token }).body
        for _, id in ipairs(all(page, "EventId")) do ids[#ids + 1] = id end
        token = element(page, "NextToken")
        n = n + 1
        assert.truthy(n < 10)
      end
      assert.are.equal(fake:state().stacks.Paged.events, #ids)
    end)

    it("keeps NextToken pages in place while new stack events arrive", function()
      local described = change_set("Moving", "c", "CREATE", template())
      assert.are.equal("AVAILABLE", element(described, "ExecutionStatus"), described)
      assert.are.equal(200, cfn("ExecuteChangeSet", { StackName = "Moving", ChangeSetName = "c" }).status)
      fake:control("POST", "config", { events_page_size = 2 })
      -- Each DescribeStackEvents moves the stack on: new events arrive above the pages read.
      local ids, token, pages = {}, nil, 0
      repeat
        local page = cfn("DescribeStackEvents", { StackName = "Moving", NextToken = token }).body
        for _, id in ipairs(all(page, "EventId")) do ids[#ids + 1] = id end
        token = element(page, "NextToken")
        pages = pages + 1
        assert.truthy(pages < 20)
      until not token
      assert.are.equal("CREATE_COMPLETE", (wait("Moving")))
      fake:control("POST", "config", { events_page_size = 100 })
      local now = all(cfn("DescribeStackEvents", { StackName = "Moving" }).body, "EventId")
      assert.is_true(#now > #ids, "the stack moved on while the pages were read")
      -- The pages read are the events there were at the first page, each once, none skipped.
      local tail = {}
      for i = #now - #ids + 1, #now do tail[#tail + 1] = now[i] end
      assert.are.same(tail, ids)
      assert_error(cfn("DescribeStackEvents", { StackName = "Moving", NextToken = "bogus" }), 400,
                   "ValidationError", "Invalid NextToken")
    end)

    it("pages a change set's Changes with NextToken when asked to", function()
      fake:control("POST", "config", { changes_page_size = 2 })
      local first = change_set("P", "c", "CREATE", template())
      assert.are.same({ "Bucket", "Role" }, all(first, "LogicalResourceId"))
      local token = element(first, "NextToken")
      local second = cfn("DescribeChangeSet", { StackName = "P", ChangeSetName = "c",
                                                NextToken = token }).body
      assert.are.same({ "Param" }, all(second, "LogicalResourceId"))
      assert.is_nil(element(second, "NextToken"))
      assert_error(cfn("DescribeChangeSet", { StackName = "P", ChangeSetName = "c",
                                              NextToken = "bogus" }), 400, "ValidationError",
                   "Invalid NextToken")
    end)

    it("throttles CreateChangeSet with the Query protocol's Throttling", function()
      fake:fault { service = "cloudformation", action = "CreateChangeSet", kind = "throttle" }
      assert_error(cfn("CreateChangeSet", { StackName = "T", ChangeSetName = "c" }), 400,
                   "Throttling", "Rate exceeded")
      assert_error(cfn("CreateChangeSet", { StackName = "T", ChangeSetName = "c", TemplateBody = "{}" }), 400,
                   "ValidationError")
    end)
  end)
end)
