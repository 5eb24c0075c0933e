-- sfl.testing: unit tests of workflows in busted, tasks answered by Lua functions.
-- Tagged #module: runs in-process with sfl.so.
describe("sfl.testing #module", function()
  local cdk     = require "sfl"
  local sf      = require "sfl.aws_stepfunctions"
  local tasks   = require "sfl.aws_stepfunctions_tasks"
  local lambdas = require "sfl.aws_lambda"
  local testing = require "sfl.testing"
  local stack, sm

  before_each(function()
    stack = cdk.Stack(cdk.App(), "S")
    local function fn(id)
      return lambdas.Function(stack, id, { runtime = lambdas.Runtime.PYTHON_3_12,
        handler = "index.handler", code = lambdas.Code.from_inline("x") })
    end
    local hello = tasks.LambdaInvoke(stack, "[Lambda] hello",
      { lambda_function = fn("H"), result_path = "$.helloLambda" })
    local world = tasks.LambdaInvoke(stack, "[Lambda] world", { lambda_function = fn("W"),
      payload = sf.TaskInput.from_json_path_at("$.helloLambda.Payload") })
    local failed = sf.Fail(stack, "Job Failed", { error = "Workflow FAILED", cause = "Job Failed" })
    hello:add_catch(failed, { errors = { "States.TaskFailed" } })
    sm = sf.StateMachine(stack, "M", {
      definition_body = sf.DefinitionBody.from_chainable(hello:next(world)) })
  end)

  it("answers tasks with Lua functions, passing the payload", function()
    local seen
    local r = testing.run(sm, { name = "Ada" }, { mocks = {
      ["[Lambda] hello"] = function(payload) return { Payload = "hello " .. payload.name } end,
      ["[Lambda] world"] = function(payload) seen = payload; return { Payload = "done" } end,
    } })
    assert.is_true(r.succeeded)
    assert.are.same({ Payload = "done" }, r.output)
    assert.are.equal("hello Ada", seen)
    assert.are.equal("ExecutionStarted", r.events[1].type)
    assert.are.equal("ExecutionSucceeded", r.events[#r.events].type)
  end)

  it("makes a task fail with error({ Error = ..., Cause = ... })", function()
    local r = testing.run(sm, {}, { mocks = {
      ["[Lambda] hello"] = function() error({ Error = "States.TaskFailed", Cause = "nope" }) end,
    } })
    assert.is_false(r.succeeded)
    assert.are.equal("Workflow FAILED", r.error)
    assert.are.equal("Job Failed", r.cause)
  end)

  it("takes Return/Throw tables, and lists of them one per call", function()
    local r = testing.run(sm, {}, { mocks = {
      ["[Lambda] hello"] = {
        { Throw = { Error = "Lambda.ServiceException", Cause = "busy" } },
        { Return = { Payload = "hi" } } },
      ["[Lambda] world"] = { Return = { Payload = "ok" } },
    } })
    assert.is_true(r.succeeded)
    assert.are.same({ Payload = "ok" }, r.output)
    local failures = 0
    for _, e in ipairs(r.events) do
      if e.type == "TaskFailed" then failures = failures + 1 end
    end
    assert.are.equal(1, failures)
  end)

  it("says which task has no mock", function()
    local ok, err = pcall(testing.run, sm, {}, { mocks = {} })
    assert.is_false(ok)
    assert.matches("task state '%[Lambda%] hello' has no mock: add mocks%[\"%[Lambda%] hello\"%]",
                   err)
  end)

  it("raises a mock's own error after the run", function()
    local ok, err = pcall(testing.run, sm, {}, { mocks = {
      ["[Lambda] hello"] = function() error("oops in my mock") end } })
    assert.is_false(ok)
    assert.matches("oops in my mock", err)
  end)
end)
