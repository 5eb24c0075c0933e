-- sfl.aws_lambda: Code.from_asset, Function props, versions and aliases, imported
-- functions, and LambdaInvoke over each of them. Each mistake is reported at the user's
-- line with exit status 1.
local h = require "helpers"

local prelude = [[
local cdk    = require "sfl"
local lambda = require "sfl.aws_lambda"
local sf     = require "sfl.aws_stepfunctions"
local tasks  = require "sfl.aws_stepfunctions_tasks"
local app    = cdk.App()
local stack  = cdk.Stack(app, "S")
local code   = lambda.Code.from_inline("def handler(e, c):\n    return 1")
local function fn(id, props)
  props = props or {}
  props.runtime = props.runtime or lambda.Runtime.PYTHON_3_12
  props.handler = props.handler or "index.handler"
  props.code = props.code or code
  return lambda.Function(stack, id, props)
end
]]
-- synth/fails_with/template(body, ..., files): `files` are written beside app.lua first.
local checker = h.app_checker(prelude)
local synth, fails_with, template = checker.synth, checker.fails_with, checker.template
local PRELUDE_LINES = checker.lines

-- The one resource of type `type` in template t (and its logical ID).
local function only(t, type)
  local found, id
  for k, r in pairs(t.Resources) do
    if r.Type == type then
      assert.is_nil(found, "more than one " .. type)
      found, id = r, k
    end
  end
  return found, id
end

-- Errors raised inside the prelude's fn() point at its lambda.Function line.
local FN_LINE = 13
local function fn_fails_with(body, msg)
  fails_with(body, FN_LINE - PRELUDE_LINES, msg)
end

describe("Code.from_asset", function()
  it("stages the folder and writes CDK's asset manifest", function()
    local fixture = h.root .. "/spec/fixtures/la01_code_asset"
    local out = h.tmpdir()
    local _, stderr, status = h.sfl_run({ "synth", fixture .. "/app.lua", "-o", out, "-q" })
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
    assert.are.equal(h.read_file(fixture .. "/expected.assets.json"),
                     h.read_file(out .. "/la01-code-asset.assets.json"))
    local staged = out .. "/asset.b10ece5d6d62555fcb53477413c67e0b3e725f50b5cb0ce2b885673b7622bda7"
    assert.are.equal(h.read_file(fixture .. "/handler/lib/util.py"),
                     h.read_file(staged .. "/lib/util.py"))
    assert.are.equal(h.read_file(fixture .. "/bundle.zip"), h.read_file(out ..
      "/asset.d905613716b2d7995bad0a9a6631b22ff83f70a5f390e708f855c0f01c823889.zip"))
  end)

  it("writes CDK's manifest for a custom hash and display name", function()
    local fixture = h.root .. "/spec/fixtures/la06_long_ids_assets"
    local out = h.tmpdir()
    local _, stderr, status = h.sfl_run({ "synth", fixture .. "/app.lua", "-o", out, "-q" })
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
    assert.are.equal(h.read_file(fixture .. "/expected.assets.json"),
                     h.read_file(out .. "/la06-long-ids-assets.assets.json"))
  end)

  it("takes display_name and asset_hash", function()
    local t, dir = template([[
fn("F", { code = lambda.Code.from_asset("src", { asset_hash = "v1", display_name = "mine" }) })
app:synth()]], { ["src/index.py"] = "x" })
    -- sha256("v1")
    local hash = "3bfc269594ef649228e9a74bab00f042efc91d5acc6fbee31a382e80d42388fe"
    assert.are.equal(hash .. ".zip", only(t, "AWS::Lambda::Function").Properties.Code.S3Key)
    local m = h.read_json(dir .. "/out/S.assets.json")
    assert.are.equal("mine", m.files[hash].displayName)
  end)

  it("a path that does not exist", function()
    local _, stderr, status, dir = synth('lambda.Code.from_asset("nope")')
    assert.are.equal(1, status)
    local real = h.run("cd " .. h.quote(dir) .. " && pwd -P"):gsub("\n$", "")
    assert.are.equal(("app.lua:%d: Cannot find asset at %s/nope\n"):format(PRELUDE_LINES + 1,
                                                                           real), stderr)
  end)

  it("a file that is not an archive", function()
    fails_with('lambda.Code.from_asset("index.py")', 1,
      "Asset must be a .zip file or a directory (index.py)", { ["index.py"] = "x" })
  end)

  it("an unknown option", function()
    fails_with('lambda.Code.from_asset("src", { exclude = { "*.pyc" } })', 1,
      "Code.from_asset: unknown prop 'exclude' (known props: asset_hash, display_name)", { ["src/index.py"] = "x" })
  end)

  it("one Code in two stacks", function()
    fails_with([[
local c = lambda.Code.from_asset("src")
fn("A", { code = c })
local other = cdk.Stack(app, "T")
lambda.Function(other, "B", { runtime = lambda.Runtime.PYTHON_3_12, handler = "i.h", code = c })]],
      4, "Asset is already associated with another stack 'S'. Create a new Code instance for "
         .. "every stack.", { ["src/index.py"] = "x" })
  end)
end)

describe("cdk.Size", function()
  it("converts between units", function()
    local t = template([[
local s = cdk.Size.gibibytes(2)
assert(s:to_mebibytes() == 2048 and s:to_kibibytes() == 2097152)
assert(tostring(cdk.Size.kibibytes(1.5)) == "Size.kibibytes(1.5)")
fn("F", { ephemeral_storage_size = cdk.Size.kibibytes(524288) })
app:synth()]])
    assert.are.same({ Size = 512 }, only(t, "AWS::Lambda::Function").Properties.EphemeralStorage)
  end)

  it("a negative amount", function()
    fails_with("cdk.Size.mebibytes(-1)", 1, "Storage amounts cannot be negative. Received: -1")
  end)

  it("an amount that is not whole in the unit asked for", function()
    fails_with("cdk.Size.kibibytes(1000):to_mebibytes()", 1,
      "'1000 kibibytes' cannot be converted into a whole number of mebibytes.")
  end)
end)

describe("Function props", function()
  it("ephemeral storage out of range", function()
    fn_fails_with('fn("F", { ephemeral_storage_size = cdk.Size.mebibytes(100) })',
      "Ephemeral storage size must be between 512 and 10240 MB, received Size.mebibytes(100).")
  end)

  it("retry_attempts out of range", function()
    fn_fails_with('fn("F", { retry_attempts = 3 })', "`retryAttempts` must be between 0 and 2.")
  end)

  it("max_event_age out of range", function()
    fn_fails_with('fn("F", { max_event_age = cdk.Duration.seconds(10) })',
      "`maximumEventAge` must represent a `Duration` that is between 60 and 21600 seconds.")
  end)

  it("more than five layers", function()
    fails_with([[
local ls = {}
for i = 1, 6 do
  ls[i] = lambda.LayerVersion.from_layer_version_arn(stack, "L" .. i,
    "arn:aws:lambda:us-east-1:123456789012:layer:d:" .. i)
end
fn("F", { layers = ls })]], FN_LINE - PRELUDE_LINES, "Unable to add layer: this lambda function already uses 5 layers.")
  end)

  it("a layer that is not one", function()
    fn_fails_with('fn("F", { layers = { "arn:aws:lambda:us-east-1:123456789012:layer:d:1" } })',
      "Function 'F': prop 'layers': item 1 must be an aws_lambda.LayerVersion "
      .. "(LayerVersion.from_layer_version_arn(...)), got string")
  end)

  it("a function name with spaces", function()
    fn_fails_with('fn("F", { function_name = "a b" })',
      "Function name a b can contain only letters, numbers, hyphens, or underscores with no "
      .. "spaces.")
  end)

  it("a function name too long", function()
    fn_fails_with('fn("F", { function_name = ("a"):rep(65) })',
      "Function name can not be longer than 64 characters but has 65 characters.")
  end)

  it("a description too long", function()
    fn_fails_with('fn("F", { description = ("d"):rep(257) })',
      "Function description can not be longer than 256 characters but has 257 characters.")
  end)

  it("an architecture that is not one", function()
    fn_fails_with('fn("F", { architecture = "sparc" })',
      "Function 'F': prop 'architecture' must be one of arm64, x86_64, got 'sparc'")
  end)

  it("log_retention is refused", function()
    fn_fails_with('fn("F", { log_retention = 7 })',
      "Function 'F': log_retention needs CDK's LogRetention custom resource (a Node.js "
      .. "Lambda function), which sfl does not make; create an aws_logs.LogGroup with that "
      .. "retention and pass it as log_group")
  end)

  it("tracing PASS_THROUGH still grants X-Ray", function()
    local t = template('fn("F", { tracing = lambda.Tracing.PASS_THROUGH })\napp:synth()')
    local policy = only(t, "AWS::IAM::Policy")
    assert.are.same({ "xray:PutTraceSegments", "xray:PutTelemetryRecords" },
                    policy.Properties.PolicyDocument.Statement[1].Action)
    assert.are.same({ Mode = "PassThrough" },
                    only(t, "AWS::Lambda::Function").Properties.TracingConfig)
  end)
end)

describe("versions, aliases and imported functions", function()
  it("an ARN that is not one", function()
    fails_with('lambda.Function.from_function_arn(stack, "I", "nope")', 1,
      'ARNs must start with "arn:" and have at least 6 components: nope')
  end)

  it("an ARN that is not a string", function()
    fails_with('lambda.Function.from_function_arn(stack, "I", 42)', 1,
      "function_arn must be a string, got number")
  end)

  it("from_function_attributes needs function_arn", function()
    fails_with('lambda.Function.from_function_attributes(stack, "I", { same_environment = true })',
      1, "from_function_attributes: missing required prop 'function_arn'")
  end)

  it("an alias over a function rather than a version", function()
    fails_with([[
local f = fn("F")
lambda.Alias(stack, "A", { alias_name = "prod", version = f })]], 2,
      "Alias 'A': prop 'version' must be an aws_lambda.Version (lambda.Version(...) or "
      .. "fn.current_version), got sfl.aws_lambda.Function")
  end)

  it("a version of a version", function()
    fails_with([[
local f = fn("F")
lambda.Version(stack, "V", { lambda = f.current_version })]], 2,
      "Version 'V': prop 'lambda' must be an aws_lambda.Function, got sfl.aws_lambda.Version")
  end)

  it("the same alias twice", function()
    fails_with([[
local f = fn("F")
f:add_alias("live")
f:add_alias("live")]], 3,
      "There is already a Construct with name 'Aliaslive' in Function [S/F] (made at "
      .. "app.lua:16); give each construct a different id")
  end)

  it("grant_invoke to something that cannot hold a grant", function()
    fails_with([[
local f = fn("F")
f:grant_invoke("role")]], 2,
      "bad argument #1 to 'grant_invoke' (sfl.aws_iam.IGrantable (a Role, a Function or a "
      .. "StateMachine) expected, got string)")
  end)

  it("current_version is made once and its name is hashed", function()
    local t = template([[
local f = fn("F")
assert(rawequal(f.current_version.function_arn == nil, false))
f:add_alias("a")
f:add_alias("b")
app:synth()]])
    local versions = 0
    for id, r in pairs(t.Resources) do
      if r.Type == "AWS::Lambda::Version" then
        versions = versions + 1
        assert.matches("^FCurrentVersion%x%x%x%x%x%x%x%x%x+$", id)
        assert.are.same({ ["aws:cdk:do-not-refactor"] = true }, r.Metadata)
      end
    end
    assert.are.equal(1, versions)
  end)
end)

describe("Function role", function()
  it("a role that is not one", function()
    fn_fails_with('fn("F", { role = "arn:aws:iam::123456789012:role/r" })',
      "Function 'F': prop 'role' must be an aws_iam.IRole (iam.Role(...) or "
      .. "iam.Role.from_role_arn(...)), got string")
  end)

  it("grant_invoke to an imported role is refused", function()
    fails_with([[
local iam = require "sfl.aws_iam"
local r = iam.Role.from_role_arn(stack, "R", "arn:aws:iam::123456789012:role/ext")
fn("F"):grant_invoke(r)]], 3,
      "grant_invoke: the role 'R' is imported, and for an imported role CDK also writes a "
      .. "resource policy (AWS::Lambda::Permission) that sfl does not make; add the statement "
      .. 'to the role instead: role:add_to_principal_policy(iam.PolicyStatement({ actions = { '
      .. '"lambda:InvokeFunction" }, resources = { fn.function_arn } }))')
  end)
end)

describe("LambdaInvoke", function()
  local function task(props)
    return ('tasks.LambdaInvoke(stack, "T", { lambda_function = fn("F"), %s })'):format(props)
  end
  local exclusive = "The 'payload_response_only' property cannot be used if "
    .. "'integration_pattern', 'invocation_type', 'client_context', or 'qualifier' are specified."

  for _, other in ipairs({
    "integration_pattern = sf.IntegrationPattern.REQUEST_RESPONSE",
    "invocation_type = tasks.LambdaInvocationType.EVENT",
    'client_context = "e30="',
    'qualifier = "live"',
  }) do
    it("payload_response_only with " .. other:match("^[%w_]+"), function()
      fails_with(task("payload_response_only = true, " .. other), 1, exclusive)
    end)
  end

  it("RUN_JOB is not supported", function()
    fails_with(task("integration_pattern = sf.IntegrationPattern.RUN_JOB"), 1,
      "Unsupported service integration pattern. Supported Patterns: "
      .. "REQUEST_RESPONSE,WAIT_FOR_TASK_TOKEN. Received: RUN_JOB")
  end)

  it("WAIT_FOR_TASK_TOKEN without the token", function()
    fails_with(task("integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN, "
                    .. "payload = sf.TaskInput.from_object({ a = 1 })"), 1,
      "Task Token is required in `payload` for callback. Use JsonPath.task_token to set the "
      .. "token.")
  end)

  it("an alias is invoked by its ARN and granted on it alone", function()
    local t = template([[
local f = fn("F")
local al = f:add_alias("live")
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(
  tasks.LambdaInvoke(stack, "T", { lambda_function = al, payload_response_only = true })) })
app:synth()]])
    local _, alias_id = only(t, "AWS::Lambda::Alias")
    local policy = only(t, "AWS::IAM::Policy")
    assert.are.same({ Ref = alias_id }, policy.Properties.PolicyDocument.Statement[1].Resource)
  end)
end)
