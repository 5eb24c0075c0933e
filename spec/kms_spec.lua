-- sfl.aws_kms and the state machine / activity encryption settings: the template is
-- pinned by spec/fixtures/f14_encryption; here, each mistake is reported at the user's
-- line with exit status 1, and the key's attributes read as CDK's do.
local h = require "helpers"

local prelude = [[
local cdk = require "sfl"
local sf  = require "sfl.aws_stepfunctions"
local kms = require "sfl.aws_kms"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
]]
local app = h.app_checker(prelude)
local synth, fails_with = app.synth, app.fails_with

describe("kms.Key errors", function()
  it("a pending window outside 7..30 days", function()
    fails_with([[kms.Key(stack, "K", { pending_window = cdk.Duration.days(31) })]], 1,
      "'pendingWindow' value must between 7 and 30 days. Received: 31")
  end)

  it("a pending window that is not whole days", function()
    fails_with([[kms.Key(stack, "K", { pending_window = cdk.Duration.hours(200) })]], 1,
      "'pendingWindow' must be a whole number of days, got 720000 seconds "
      .. "(use cdk.Duration.days(...))")
  end)

  it("a rotation period with rotation turned off", function()
    fails_with([[kms.Key(stack, "K", { enable_key_rotation = false,
  rotation_period = cdk.Duration.days(100) })]], 1,
      "'rotationPeriod' cannot be specified when 'enableKeyRotation' is disabled")
  end)

  it("a rotation period out of range", function()
    fails_with([[kms.Key(stack, "K", { rotation_period = cdk.Duration.days(30) })]], 1,
      "'rotationPeriod' value must between 90 and 2560 days. Received: 30")
  end)

  it("a key spec the usage does not allow", function()
    fails_with([[kms.Key(stack, "K", { key_spec = kms.KeySpec.HMAC_256 })]], 1,
      "key spec 'HMAC_256' is not valid with usage 'ENCRYPT_DECRYPT'")
  end)

  it("rotation on an asymmetric key", function()
    fails_with([[kms.Key(stack, "K", { key_spec = kms.KeySpec.RSA_2048,
  key_usage = kms.KeyUsage.SIGN_VERIFY, enable_key_rotation = true })]], 1,
      "key rotation cannot be enabled on asymmetric keys")
  end)

  it("rotation on an HMAC key", function()
    fails_with([[kms.Key(stack, "K", { key_spec = kms.KeySpec.HMAC_256,
  key_usage = kms.KeyUsage.GENERATE_VERIFY_MAC, enable_key_rotation = true })]], 1,
      "key rotation cannot be enabled on HMAC keys")
  end)

  it("an alias in the reserved alias/aws/ space", function()
    fails_with([[kms.Key(stack, "K", { alias = "aws/mine" })]], 1,
      "Alias cannot start with alias/aws/: alias/aws/mine")
  end)

  it("an alias with forbidden characters", function()
    fails_with([[kms.Key(stack, "K", { alias = "my key" })]], 1,
      "Alias name must be between 1 and 256 characters in a-zA-Z0-9:/_-")
  end)

  it("an unknown prop", function()
    local _, stderr, status = synth([[kms.Key(stack, "K", { rotation = true })]])
    assert.are.equal(1, status)
    assert.matches("^app.lua:6: Key 'K': unknown prop 'rotation'", stderr)
  end)

  it("an ARN that is not a key's", function()
    fails_with([[kms.Key.from_key_arn(stack, "I", "arn:aws:kms:us-east-1:123456789012:alias")]],
      1, "KMS key ARN must be in the format 'arn:<partition>:kms:<region>:<account>:"
      .. "key/<keyId>', got: 'arn:aws:kms:us-east-1:123456789012:alias'")
  end)
end)

describe("encryption configuration errors", function()
  it("a data key reuse period outside 60..900 seconds", function()
    fails_with([[local key = kms.Key(stack, "K")
sf.CustomerManagedEncryptionConfiguration(key, cdk.Duration.seconds(30))]], 2,
      "CustomerManagedEncryptionConfiguration: kmsDataKeyReusePeriodSeconds must have a "
      .. "value between 60 and 900 seconds")
  end)

  it("something other than a key", function()
    fails_with([[sf.CustomerManagedEncryptionConfiguration("alias/mine")]], 1,
      "bad argument #1 to 'CustomerManagedEncryptionConfiguration' "
      .. "(sfl.aws_kms.IKey expected, got string)")
  end)

  it("a key where a configuration belongs", function()
    local _, stderr, status = synth([[local key = kms.Key(stack, "K")
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")),
  encryption_configuration = key })]])
    assert.are.equal(1, status)
    assert.matches("encryption_configuration", stderr, 1, true)
    assert.matches("sfn.CustomerManagedEncryptionConfiguration(key)", stderr, 1, true)
  end)
end)

describe("kms.Key attributes", function()
  it("reads key_arn and key_id of made and imported keys", function()
    local _, stderr, status = synth([[local key = kms.Key(stack, "K")
local lit = kms.Key.from_key_arn(stack, "L", "arn:aws:kms:eu-west-1:111122223333:key/abc-123")
local m = sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(
  sf.Pass(stack, "P", { parameters = { arn = key.key_arn, id = key.key_id,
                                        larn = lit.key_arn, lid = lit.key_id } })) })
local p = m:definition().States.P.Parameters
io.stderr:write(p.arn["Fn::GetAtt"][1], " ", p.arn["Fn::GetAtt"][2], "\n", p.id.Ref, "\n",
                p.larn, "\n", p.lid, "\n")]])
    assert.are.equal("K485CC42E Arn\nK485CC42E\narn:aws:kms:eu-west-1:111122223333:key/abc-123\n"
                     .. "abc-123\n", stderr)
    assert.are.equal(0, status)
  end)
end)
