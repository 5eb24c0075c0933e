-- The LuaLS editor stubs are written from the props schemas and type tables the bindings
-- read (sfl.introspect), so they follow the API. Tagged #module: runs in lua5.4 with sfl.so.
local h = require "helpers"

describe("LuaLS stubs #module", function()
  local out = h.tmpdir()
  local files = {}

  setup(function()
    local saved = _G.arg
    _G.arg = { [0] = "tools/luals_stubs.lua", out }
    dofile(h.root .. "/tools/luals_stubs.lua")
    _G.arg = saved
    for _, m in ipairs { "sfl", "sfl/aws_stepfunctions", "sfl/aws_stepfunctions_tasks",
                         "sfl/aws_lambda", "sfl/aws_logs", "sfl/constructs", "sfl/testing" } do
      files[m] = h.read_file(("%s/%s.lua"):format(out, m))
    end
  end)

  it("writes one meta file per module, each valid Lua", function()
    for name, text in pairs(files) do
      assert.truthy(text:find("^%-%-%-@meta " .. name:gsub("/", "%%.")), name)
      assert.truthy(load(text, name, "t"), name)
    end
  end)

  it("types each prop from its schema", function()
    local tasks = files["sfl/aws_stepfunctions_tasks"]
    assert.truthy(tasks:find("---@class sfl.aws_stepfunctions_tasks.LambdaInvokeProps\n", 1, true))
    assert.truthy(tasks:find("---@field lambda_function sfl.aws_lambda.Function|"
                             .. "sfl.aws_lambda.Version|"
                             .. "sfl.aws_lambda.Alias|sfl.aws_lambda.IFunction\n", 1, true))
    assert.truthy(tasks:find('---@field invocation_type? "RequestResponse"|"Event"|"DryRun"\n',
                             1, true))
    -- A struct prop gets a class of its own, and a struct that holds itself refers to it.
    assert.truthy(tasks:find("---@field instances sfl.aws_stepfunctions_tasks."
                             .. "EmrCreateClusterProps.Instances\n", 1, true))
    assert.truthy(tasks:find("---@field configurations? sfl.aws_stepfunctions_tasks."
                             .. "EmrCreateClusterProps.Configurations[]\n", 1, true))
  end)

  it("gives constructors their props class and instances their methods", function()
    local sfn = files["sfl/aws_stepfunctions"]
    assert.truthy(sfn:find("---@overload fun(scope: sfl.constructs.Construct, id: string, "
                           .. "props?: sfl.aws_stepfunctions.PassProps): "
                           .. "sfl.aws_stepfunctions.Pass\n", 1, true))
    assert.truthy(sfn:find("---@field next fun(self: sfl.aws_stepfunctions.Pass, ...: any): any",
                           1, true))
    assert.truthy(files.sfl:find("---@overload fun(props?: sfl.AppProps): sfl.App\n", 1, true))
  end)

  it("reads the props of every constructor but those that take none", function()
    local untyped = {}
    for _, text in pairs(files) do
      for cls in text:gmatch("---@class ([%w_.]+)%.class\n%-%-%-@overload fun%(%.%.%.") do
        untyped[#untyped + 1] = cls
      end
    end
    table.sort(untyped)
    -- StateMachineFragment and Construct take (scope, id) and no props,
    -- DynamoProjectionExpression nothing at all; the encryption settings take positional
    -- arguments (a key, a duration), and so do Classification and ReleaseLabel (a string).
    assert.are.same({ "sfl.aws_stepfunctions.AwsOwnedEncryptionConfiguration",
                      "sfl.aws_stepfunctions.CustomerManagedEncryptionConfiguration",
                      "sfl.aws_stepfunctions.StateMachineFragment",
                      "sfl.aws_stepfunctions_tasks.Classification",
                      "sfl.aws_stepfunctions_tasks.DynamoProjectionExpression",
                      "sfl.aws_stepfunctions_tasks.ReleaseLabel",
                      "sfl.constructs.Construct" }, untyped)
  end)
end)
