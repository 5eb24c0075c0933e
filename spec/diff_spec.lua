-- sfl diff: an app compared with a template synthesized before (--template, no network) and
-- with the stack deployed in the fake AWS endpoint (CloudFormation GetTemplate).
local h = require "helpers"

-- A shop workflow; `v2` swaps the Lambda function, changes a state inside a Parallel
-- branch, adds a Wait state and a machine timeout.
local function shop_app(v2)
  return ([[
local cdk     = require "sfl"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local lambdas = require "sfl.aws_lambda"

local V2 = %s
local app   = cdk.App()
local stack = cdk.Stack(app, "Shop")
local function fn(id)
  return lambdas.Function(stack, id, {
    runtime = lambdas.Runtime.PYTHON_3_12,
    handler = "index.handler",
    code    = lambdas.Code.from_inline("def handler(event, context):\n    return event"),
  })
end

local charge = tasks.LambdaInvoke(stack, "Charge", {
  lambda_function       = fn(V2 and "RefundFn" or "ChargeFn"),
  payload_response_only = true,
})
local ship = sf.Pass(stack, "Ship", { result = sf.Result.from_string(V2 and "v2" or "v1") })
local fan = sf.Parallel(stack, "Fan")
fan:branch(sf.Pass(stack, "Left"))
fan:branch(ship)
local tail = sf.Succeed(stack, "Done")
if V2 then
  tail = sf.Wait(stack, "Pause", { time = sf.WaitTime.duration(cdk.Duration.seconds(5)) })
    :next(tail)
end
sf.StateMachine(stack, "Flow", {
  definition_body = sf.DefinitionBody.from_chainable(charge:next(fan):next(tail)),
  timeout         = V2 and cdk.Duration.minutes(5) or nil,
})
]]):format(tostring(v2))
end

local SHOP_V1_TO_V2 = [[
Stack Shop
IAM Statement Changes
┌───┬────────────────────────────────────┬────────┬───────────────────────┬──────────────────────────────┬───────────┐
│   │ Resource                           │ Effect │ Action                │ Principal                    │ Condition │
├───┼────────────────────────────────────┼────────┼───────────────────────┼──────────────────────────────┼───────────┤
│ - │ ${ChargeFn7B79AE09.Arn}            │ Allow  │ lambda:InvokeFunction │ AWS:${Flow/Role}             │           │
│   │ ${ChargeFn7B79AE09.Arn}:*          │        │                       │                              │           │
├───┼────────────────────────────────────┼────────┼───────────────────────┼──────────────────────────────┼───────────┤
│ - │ ${ChargeFnServiceRole8CEB2D9B.Arn} │ Allow  │ sts:AssumeRole        │ Service:lambda.amazonaws.com │           │
├───┼────────────────────────────────────┼────────┼───────────────────────┼──────────────────────────────┼───────────┤
│ + │ ${RefundFn.Arn}                    │ Allow  │ lambda:InvokeFunction │ AWS:${Flow/Role}             │           │
│   │ ${RefundFn.Arn}:*                  │        │                       │                              │           │
├───┼────────────────────────────────────┼────────┼───────────────────────┼──────────────────────────────┼───────────┤
│ + │ ${RefundFn/ServiceRole.Arn}        │ Allow  │ sts:AssumeRole        │ Service:lambda.amazonaws.com │           │
└───┴────────────────────────────────────┴────────┴───────────────────────┴──────────────────────────────┴───────────┘
IAM Policy Changes
┌───┬────────────────────────────────┬────────────────────────────────────────────────────────────────────────────────┐
│   │ Resource                       │ Managed Policy ARN                                                             │
├───┼────────────────────────────────┼────────────────────────────────────────────────────────────────────────────────┤
│ - │ ${ChargeFnServiceRole8CEB2D9B} │ arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole │
├───┼────────────────────────────────┼────────────────────────────────────────────────────────────────────────────────┤
│ + │ ${RefundFn/ServiceRole}        │ arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole │
└───┴────────────────────────────────┴────────────────────────────────────────────────────────────────────────────────┘
(NOTE: there may be security-related changes not in these tables)

Resources
[-] AWS::IAM::Role ChargeFnServiceRole8CEB2D9B destroy
[-] AWS::Lambda::Function ChargeFn7B79AE09 destroy
[~] AWS::IAM::Policy Flow/Role/DefaultPolicy FlowRoleDefaultPolicy79AC5FC2
 └─ [~] PolicyDocument
     └─ [~] .Statement:
         └─ @@ -5,7 +5,7 @@
            [ ] "Resource": [
            [ ]   {
            [ ]     "Fn::GetAtt": [
            [-]       "ChargeFn7B79AE09",
            [+]       "RefundFn385417AD",
            [ ]       "Arn"
            [ ]     ]
            [ ]   },
            @@ -15,7 +15,7 @@
            [ ] [
            [ ]   {
            [ ]     "Fn::GetAtt": [
            [-]       "ChargeFn7B79AE09",
            [+]       "RefundFn385417AD",
            [ ]       "Arn"
            [ ]     ]
            [ ]   },
[~] AWS::StepFunctions::StateMachine Flow FlowA74D6E88
 └─ [~] DefinitionString
     ├─ [+] TimeoutSeconds
     │   └─ 300
     ├─ [~] State Charge
     │   └─ [~] .Resource:
     │       ├─ [-] ${ChargeFn7B79AE09.Arn}
     │       └─ [+] ${RefundFn385417AD.Arn}
     ├─ [~] State Fan
     │   ├─ [~] .Branches:
     │   │   └─ [~] Branch 2
     │   │       └─ [~] State Ship
     │   │           └─ [~] .Result:
     │   │               ├─ [-] v1
     │   │               └─ [+] v2
     │   └─ [~] .Next:
     │       ├─ [-] Done
     │       └─ [+] Pause
     └─ [+] State Pause: {"Type":"Wait","Seconds":5,"Next":"Done"}
[+] AWS::IAM::Role RefundFn/ServiceRole RefundFnServiceRoleB985B602
[+] AWS::Lambda::Function RefundFn RefundFn385417AD

✨  Number of stacks with differences: 1
]]

-- The two versions in one folder: app.lua is v2, v1's template synthesized to v1/.
local function shop()
  local v1, dir = h.write_app(shop_app(false), "v1.lua")
  local f = assert(io.open(dir .. "/app.lua", "wb"))
  f:write(shop_app(true))
  f:close()
  local _, err, status = h.sfl_run({ "synth", v1, "-q", "-o", dir .. "/v1" })
  assert.are.equal(0, status, err)
  return dir, dir .. "/v1/Shop.template.json"
end

describe("sfl diff --template", function()
  it("shows what changed, state by state, and writes the assembly", function()
    local dir, v1 = shop()
    local out, err, status = h.sfl_run({ "diff", "app.lua", "--template", v1 }, dir)
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal(SHOP_V1_TO_V2, out)
    assert.truthy(io.open(dir .. "/sfl.out/Shop.template.json"))
  end)

  it("exits 1 with --fail when there are differences", function()
    local dir, v1 = shop()
    local out, _, status = h.sfl_run({ "diff", "app.lua", "Shop", "--fail", "--template=" .. v1,
                                       "-o", dir .. "/out" }, dir)
    assert.are.equal(1, status)
    assert.are.equal(SHOP_V1_TO_V2, out)
  end)

  it("says there were no differences, and --fail then exits 0", function()
    local dir, v1 = shop()
    local out, err, status = h.sfl_run({ "diff", "v1.lua", "--fail", "--template", v1 }, dir)
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal("Stack Shop\nThere were no differences\n\n"
                     .. "✨  Number of stacks with differences: 0\n", out)
  end)

  it("shows fewer unchanged lines with --context-lines", function()
    local dir, v1 = shop()
    local out, _, status = h.sfl_run({ "diff", "app.lua", "--template", v1,
                                       "--context-lines", "0" }, dir)
    assert.are.equal(0, status)
    assert.matches("\n         └─ @@ %-8,1 %+8,1 @@\n            %[%-%] \"ChargeFn7B79AE09\",\n"
                   .. "            %[%+%] \"RefundFn385417AD\",\n            @@ %-18,1 %+18,1 @@\n",
                   out)
  end)

  it("compares one stack only", function()
    local path, dir = h.write_app([[
local cdk = require "sfl"
local sf  = require "sfl.aws_stepfunctions"
local app = cdk.App()
for _, name in ipairs { "dev-a", "prod-b" } do
  local stack = cdk.Stack(app, name)
  sf.StateMachine(stack, "Flow", {
    definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "Start")) })
end
]])
    local _, err, status = h.sfl_run({ "diff", path, "--template", path }, dir)
    assert.are.equal(2, status)
    assert.are.equal("sfl: --template compares one stack, and 2 are selected: name the one to "
                     .. "compare\nTry 'sfl diff --help'.\n", err)
    local out
    out, err, status = h.sfl_run({ "diff", path, "prod-*", "--template", "/nonexistent.json" }, dir)
    assert.are.equal(2, status)
    assert.are.equal("sfl: cannot read the template /nonexistent.json\n", err)
    assert.are.equal("", out)
    out, err, status = h.sfl_run({ "diff", path, "prod-*", "--template", path }, dir)
    assert.are.equal(2, status)
    assert.are.equal("sfl: " .. path .. " is not a JSON template (sfl diff reads JSON templates)\n",
                     err)
    _, err, status = h.sfl_run({ "diff", path, "qa", "--template", path }, dir)
    assert.are.equal(2, status)
    assert.are.equal("sfl: no stack matches 'qa'; the app's stacks: dev-a, prod-b\n"
                     .. "Try 'sfl diff --help'.\n", err)
  end)

  it("colours only a terminal, and not with NO_COLOR", function()
    local dir, v1 = shop()
    -- script(1) gives sfl a terminal; its output then has CR LF line ends.
    local function on_tty(env)
      local cmd = ("%s %s diff app.lua --template %s"):format(env, h.sfl, v1)
      local out, _, status = h.run("script -qec '" .. cmd .. "' /dev/null", dir)
      assert.are.equal(0, status)
      return (out:gsub("\r\n", "\n"))
    end
    local coloured = on_tty("env -u NO_COLOR")
    assert.truthy(coloured:find("\27[1mStack Shop\27[22m\n", 1, true))
    assert.truthy(coloured:find("\n\27[32m[+]\27[39m \27[36mAWS::Lambda::Function\27[39m "
                                .. "RefundFn \27[90mRefundFn385417AD\27[39m\n", 1, true))
    assert.truthy(coloured:find("     │   │               ├─ \27[31m[-]\27[39m \27[31mv1\27[39m\n",
                                1, true))
    assert.are.equal(SHOP_V1_TO_V2, on_tty("NO_COLOR=1"))
  end)

  it("refuses a bad command line", function()
    local cases = {
      { { "diff" }, "sfl: which app? give the path of a Lua app (sfl diff app.lua)" },
      { { "diff", "a.lua", "--frobnicate" }, "sfl: unknown option '--frobnicate'" },
      { { "diff", "a.lua", "--template" }, "sfl: --template needs a value" },
      { { "diff", "a.lua", "--context-lines", "-2" },
        "sfl: --context-lines needs a number of lines (0 or more), not '-2'" },
    }
    for _, c in ipairs(cases) do
      local out, err, status = h.sfl_run(c[1])
      assert.are.equal(2, status)
      assert.are.equal(c[2] .. "\nTry 'sfl diff --help'.\n", err)
      assert.are.equal("", out)
    end
  end)

  it("has help", function()
    local out, _, status = h.sfl_run { "diff", "--help" }
    assert.are.equal(0, status)
    assert.matches("^usage: sfl diff APP.lua %[STACK...%] %[%-%-template FILE%] %[%-%-fail%]", out)
    assert.matches("\n  %-%-template FILE ", out)
  end)
end)

describe("sfl diff against CloudFormation", function()
  local fake
  setup(function() fake = h.fakeaws() end)
  teardown(function() fake:stop() end)
  before_each(function()
    fake:reset()
    fake:seed { ssm = { ["/cdk-bootstrap/hnb659fds/version"] = "21" } }
  end)

  local function cfn(action, params)
    local reply = fake:request { service = "cloudformation", action = action, params = params }
    assert.are.equal(200, reply.status, reply.body)
    return reply.body
  end

  -- Deploys a template file as stack `name` in the fake, through a change set.
  local function deploy(name, path)
    local f = assert(io.open(path, "rb"))
    local body = f:read("a")
    f:close()
    cfn("CreateChangeSet", { StackName = name, ChangeSetName = "cs", ChangeSetType = "CREATE",
                             TemplateBody = body, ["Capabilities.member.1"] = "CAPABILITY_IAM" })
    for _ = 1, 20 do
      local d = cfn("DescribeChangeSet", { StackName = name, ChangeSetName = "cs" })
      if d:match("<Status>CREATE_COMPLETE</Status>") then break end
    end
    cfn("ExecuteChangeSet", { StackName = name, ChangeSetName = "cs" })
    for _ = 1, 100 do
      local status = cfn("DescribeStacks", { StackName = name }):match("<StackStatus>(.-)</StackStatus>")
      if not status:match("_IN_PROGRESS$") then
        assert.are.equal("CREATE_COMPLETE", status)
        return
      end
    end
    error("the stack never settled")
  end

  -- The actions of the requests sfl made since the log had `from` entries.
  local function actions_since(from)
    local out = {}
    for i, r in ipairs(fake:log()) do
      if i > from then out[#out + 1] = r.service .. ":" .. (r.action or r.method) end
    end
    return table.concat(out, " ")
  end

  it("compares with the deployed template (GetTemplate)", function()
    local dir, v1 = shop()
    deploy("Shop", v1)
    local before = #fake:log()
    local out, err, status = h.sfl_env(fake.env, { "diff", "app.lua" }, dir)
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal(SHOP_V1_TO_V2, out)
    assert.are.equal("cloudformation:GetTemplate", actions_since(before))
    out, err, status = h.sfl_env(fake.env, { "diff", "app.lua", "--fail" }, dir)
    assert.are.equal(1, status)
    assert.are.equal(SHOP_V1_TO_V2, out)
    out, err, status = h.sfl_env(fake.env, { "diff", "v1.lua", "--fail" }, dir)
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal("Stack Shop\nThere were no differences\n\n"
                     .. "✨  Number of stacks with differences: 0\n", out)
  end)

  it("compares a stack not deployed yet with an empty template", function()
    local dir = shop()
    local out, err, status = h.sfl_env(fake.env, { "diff", "v1.lua", "--fail" }, dir)
    assert.are.equal("", err)
    assert.are.equal(1, status)
    assert.matches("^Stack Shop\nIAM Statement Changes\n", out)
    assert.matches("\nParameters\n%[%+%] Parameter BootstrapVersion: "
                   .. "{\"Type\":\"AWS::SSM::Parameter::Value<String>\",", out)
    assert.matches("\nResources\n%[%+%] AWS::IAM::Role ChargeFn/ServiceRole "
                   .. "ChargeFnServiceRole8CEB2D9B\n", out)
    assert.matches("\n%[%+%] AWS::StepFunctions::StateMachine Flow FlowA74D6E88\n\n"
                   .. "✨  Number of stacks with differences: 1\n$", out)
    -- CDK's bootstrap rule is no difference worth showing (unless --strict).
    assert.falsy(out:find("CheckBootstrapVersion", 1, true))
    out = h.sfl_env(fake.env, { "diff", "v1.lua", "--strict" }, dir)
    assert.matches("\nOther Changes\n%[%+%] Unknown Rules: {\"CheckBootstrapVersion\":", out)
  end)

  it("makes no AWS call with --template", function()
    local dir, v1 = shop()
    local before = #fake:log()
    local _, err, status = h.sfl_env(fake.env, { "diff", "app.lua", "--template", v1 }, dir)
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal("", actions_since(before))
  end)

  it("stops at an AWS error, with AWS's message", function()
    local dir = shop()
    local env = {}
    for k, v in pairs(fake.env) do env[k] = v end
    env.AWS_ACCESS_KEY_ID = "AKIDUNKNOWN"
    local out, err, status = h.sfl_env(env, { "diff", "app.lua" }, dir)
    assert.are.equal(1, status)
    assert.are.equal("", out)
    assert.matches("^sfl: Shop: InvalidClientTokenId: ", err)
  end)
end)
