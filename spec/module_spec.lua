-- sfl.so in a stock lua5.4: build a stack in the spec itself and assert on the result.
-- Tagged #module: under SFL_SANITIZE this file runs alone, with the ASan runtime preloaded.
describe("require 'sfl' in lua5.4 #module", function()
  local cdk     = require "sfl"
  local sf      = require "sfl.aws_stepfunctions"
  local tasks   = require "sfl.aws_stepfunctions_tasks"
  local lambdas = require "sfl.aws_lambda"

  it("is the same module as sfl.core", function()
    assert.are.equal(cdk, require "sfl.core")
  end)

  it("builds the article's first stack and returns its template as a table", function()
    local app = cdk.App()
    local stack = cdk.Stack(app, "SampleStack")
    local function fn(id, body)
      return lambdas.Function(stack, id, { runtime = lambdas.Runtime.PYTHON_3_12,
        handler = "index.handler", code = lambdas.Code.from_inline(body) })
    end
    local hello = tasks.LambdaInvoke(stack, "[Lambda] hello",
      { lambda_function = fn("HelloFn", "def handler(e, c):\n    return 'hello'"),
        result_path = "$.helloLambda" })
    local world = tasks.LambdaInvoke(stack, "[Lambda] world",
      { lambda_function = fn("WorldFn", "def handler(e, c):\n    return 'world'"),
        payload = sf.TaskInput.from_json_path_at("$.helloLambda.Payload") })
    local sm = sf.StateMachine(stack, "hello_workflow", {
      definition_body = sf.DefinitionBody.from_chainable(sf.Chain.start(hello):next(world)) })

    local t = stack:template()
    local res = t.Resources
    local types = {}
    for _, r in pairs(res) do types[r.Type] = (types[r.Type] or 0) + 1 end
    assert.are.same({ ["AWS::IAM::Role"] = 3, ["AWS::IAM::Policy"] = 1,
                      ["AWS::Lambda::Function"] = 2, ["AWS::StepFunctions::StateMachine"] = 1 },
                    types)
    local machine = res.helloworkflow9AA332D3
    assert.are.same({ "helloworkflowRoleDefaultPolicy50901F3E", "helloworkflowRoleE619E437" },
                    machine.DependsOn)
    assert.are.equal("/cdk-bootstrap/hnb659fds/version", t.Parameters.BootstrapVersion.Default)
    local statements = res.helloworkflowRoleDefaultPolicy50901F3E.Properties.PolicyDocument
                          .Statement
    assert.are.equal(2, #statements)
    assert.are.equal("lambda:InvokeFunction", statements[1].Action)

    local asl = sm:definition()
    assert.are.equal("[Lambda] hello", asl.StartAt)
    assert.are.equal("[Lambda] world", asl.States["[Lambda] hello"].Next)
    assert.are.equal("$.helloLambda", asl.States["[Lambda] hello"].ResultPath)
    assert.are.equal("$.helloLambda.Payload",
                     asl.States["[Lambda] world"].Parameters["Payload.$"])
    assert.is_true(asl.States["[Lambda] world"].End)
  end)

  it("raises errors located at the caller's line", function()
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    local ok, err = pcall(function() sf.Pass(stack, "P", { resultpath = "$" }) end)
    assert.is_false(ok)
    assert.matches("module_spec.lua:%d+: Pass 'P': unknown prop 'resultpath'; did you mean "
                   .. "'result_path'%?$", err)
  end)

  it("renders to_state_json like CDK v1 did for the article's Parallel", function()
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    local a, b = sf.Pass(stack, "A"), sf.Pass(stack, "B")
    local par = sf.Parallel(stack, "definition")
    par:branch(sf.Chain.start(a):next(b))
    local json = par:to_state_json()
    assert.are.equal("Parallel", json.Type)
    assert.are.equal("A", json.Branches[1].StartAt)
    assert.are.equal("B", json.Branches[1].States.A.Next)
  end)

  it("quotes intrinsic string arguments as CDK does (escaped ', \\ except before { })",
     function()
    local token = sf.JsonPath.format("it's a \\ b \\{x\\} {}", sf.JsonPath.string_at("$.n"))
    assert.are.equal("${Token[States.Format('it\\'s a \\\\ b \\{x\\} {}', $.n)]}",
                     tostring(token))
    assert.are.equal("${Token[States.MathAdd($.n, -1.5)]}",
                     tostring(sf.JsonPath.math_add(sf.JsonPath.number_at("$.n"), -1.5)))
    assert.are.equal("${Token[States.JsonMerge($.a, $.b, false)]}",
                     tostring(sf.JsonPath.json_merge(sf.JsonPath.object_at("$.a"),
                                                     sf.JsonPath.object_at("$.b"))))
  end)

  it("takes JsonPath tokens in number fields through their path form", function()
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    local n = sf.JsonPath.number_at
    local wait = sf.Wait(stack, "W", { time = sf.WaitTime.seconds(n("$.delay")) })
    local map = sf.Map(stack, "M", { max_concurrency = n("$.limit") })
    map:item_processor(sf.Pass(stack, "P"))
    local w = wait:to_state_json()
    assert.are.equal("$.delay", w.SecondsPath)
    assert.is_nil(w.Seconds)
    local m = map:to_state_json()
    assert.are.equal("$.limit", m.MaxConcurrencyPath)
    local ok, err = pcall(function() map:add_retry({ max_attempts = n("$.tries") }) end)
    assert.is_false(ok)
    assert.matches("add_retry on 'M': prop 'max_attempts' cannot come from the state input %(a "
                   .. "JsonPath token%): the ASL field has no path form$", err)
  end)

  it("has a null for JSON values", function()
    local app = cdk.App()
    local stack = cdk.Stack(app, "S")
    local p = sf.Pass(stack, "P", { result = sf.Result.from_object({ a = cdk.null }),
                                    result_path = sf.JsonPath.DISCARD })
    local json = p:to_state_json()
    assert.are.equal(cdk.null, json.Result.a)
    assert.are.equal(cdk.null, json.ResultPath)
  end)
end)
