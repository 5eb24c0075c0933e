-- Core additions of the `sfl` module: CfnOutput, CfnParameter, Fn, Aws, Tags and Token,
-- beyond what fixtures i08 and i09 show; mistakes are reported at the user's line.
local h = require "helpers"

local prelude = [[
local cdk     = require "sfl"
local iam     = require "sfl.aws_iam"
local app     = cdk.App()
local stack   = cdk.Stack(app, "S")
]]
local app = h.app_checker(prelude)
local synth, fails_with, template = app.synth, app.fails_with, app.template

describe("core errors", function()
  it("CfnOutput needs a value", function()
    fails_with('cdk.CfnOutput(stack, "O", { description = "x" })', 1,
      "CfnOutput 'O': missing required prop 'value'")
  end)

  it("CfnOutput value is a string or a token", function()
    fails_with('cdk.CfnOutput(stack, "O", { value = {} })', 1,
      "CfnOutput 'O': prop 'value' must be a string, got table")
  end)

  it("CfnParameter props are checked", function()
    fails_with('cdk.CfnParameter(stack, "P", { min_lenght = 1 })', 1,
      "CfnParameter 'P': unknown prop 'min_lenght'; did you mean 'min_length'?")
  end)

  it("CfnParameter default is a string, a number or a list", function()
    fails_with('cdk.CfnParameter(stack, "P", { default = { a = 1 } })', 1,
      "CfnParameter 'P': prop 'default' must be a string, a number or a list of strings")
  end)

  it("Aws has only the pseudo parameters", function()
    fails_with('local x = cdk.Aws.ACCOUNT', 1, "sfl.Aws has no member 'ACCOUNT'")
  end)

  it("Fn.select checks a literal list", function()
    fails_with('cdk.Fn.select(3, { "a", "b" })', 1,
      "Fn.select: index 3 is past the end of a list of 2")
  end)

  it("Fn.condition_and takes two to ten conditions", function()
    fails_with('cdk.Fn.condition_and(cdk.Fn.condition_equals("a", "b"))', 1,
      "Fn.condition_and takes 2 to 10 conditions, got 1")
  end)

  it("Tags.of needs a construct", function()
    fails_with('cdk.Tags.of("stack")', 1,
      "bad argument #1 to 'of' (sfl.constructs.Construct (a scope) expected, got string)")
  end)

  it("Tags options are checked", function()
    fails_with('cdk.Tags.of(stack):add("a", "b", { priorty = 1 })', 1,
      "Tags.add: unknown prop 'priorty'; did you mean 'priority'?")
  end)
end)

describe("core behaviour", function()
  it("renders parameters before resources and outputs after, as met", function()
    local _, stderr, status, dir = synth([[
local p = cdk.CfnParameter(stack, "Name", { default = "x" })
iam.Role(stack, "R", { assumed_by = iam.AnyPrincipal(), role_name = p.value_as_string })
cdk.CfnOutput(stack, "Out", { value = 42 })]])
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
    local text = h.read_file(dir .. "/out/S.template.json")
    local p, r, o = text:find('"Parameters"'), text:find('"Resources"'), text:find('"Outputs"')
    assert.is_true(p < r and r < o)
    local t = h.decode(text)
    assert.are.same({ Type = "String", Default = "x" }, t.Parameters.Name)
    assert.are.same({ Value = "42" }, t.Outputs.Out)
    assert.are.same({ Ref = "Name" }, t.Resources.RC21A1702.Properties.RoleName)
  end)

  it("Fn builds intrinsics and folds literals", function()
    local t = template([[
local azs = cdk.Fn.get_azs("eu-west-1")
cdk.CfnOutput(stack, "A", { value = cdk.Fn.join(",", azs) })
cdk.CfnOutput(stack, "B", { value = cdk.Fn.join("-", { "a", "b", cdk.Aws.REGION, "c" }) })
cdk.CfnOutput(stack, "C", { value = cdk.Fn.select(1, cdk.Fn.split(",", cdk.Fn.import_value("x"))) })
cdk.CfnOutput(stack, "D", { value = cdk.Fn.sub("${AWS::Region}-x") })
cdk.CfnOutput(stack, "E", { value = cdk.Fn.condition_if("IsProd", "a", cdk.Aws.NO_VALUE) })]])
    assert.are.same({ ["Fn::Join"] = { ",", { ["Fn::GetAZs"] = "eu-west-1" } } }, t.Outputs.A.Value)
    assert.are.same({ ["Fn::Join"] = { "-", { "a-b", { Ref = "AWS::Region" }, "c" } } },
                    t.Outputs.B.Value)
    assert.are.same({ ["Fn::Select"] = { 1, { ["Fn::Split"] = { ",", { ["Fn::ImportValue"] = "x" } } } } },
                    t.Outputs.C.Value)
    assert.are.same({ ["Fn::Sub"] = "${AWS::Region}-x" }, t.Outputs.D.Value)
    assert.are.same({ ["Fn::If"] = { "IsProd", "a", { Ref = "AWS::NoValue" } } }, t.Outputs.E.Value)
  end)

  it("Tags: priority, remove and resource type filters", function()
    local t = template([[
local r = iam.Role(stack, "R", { assumed_by = iam.AnyPrincipal() })
cdk.Tags.of(stack):add("a", "stack", { priority = 300 })
cdk.Tags.of(r):add("a", "role")
cdk.Tags.of(stack):add("b", "x")
cdk.Tags.of(r):remove("b")
cdk.Tags.of(stack):add("c", "only-lambda", { include_resource_types = { "AWS::Lambda::Function" } })]])
    assert.are.same({ { Key = "a", Value = "stack" } }, t.Resources.RC21A1702.Properties.Tags)
  end)
end)

describe("Duration conversions", function()
  it("say which amount does not convert (printf formats in messages)", function()
    fails_with('local s = cdk.Duration.millis(1500):to_seconds()', 1,
      "'1500 millis' cannot be converted into a whole number of seconds")
  end)

  it("in a prop too", function()
    fails_with([[local sf = require "sfl.aws_stepfunctions"
sf.Wait(stack, "W", { time = sf.WaitTime.duration(cdk.Duration.millis(2500)) })]], 2,
      "'2500 millis' cannot be converted into a whole number of seconds")
  end)
end)
