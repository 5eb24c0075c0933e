-- The fake AWS endpoint (spec/fakeaws) that the deploy specs run sfl against: its SigV4
-- checker against the AWS test vectors, then each service, fault and control endpoint,
-- driven by requests that spec/fakeaws/client.py signs.
local h = require "helpers"

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
end)
