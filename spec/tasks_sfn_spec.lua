-- StepFunctionsStartExecution, StepFunctionsInvokeActivity, CallAwsService and imported
-- state machines: each mistake is reported at the user's line with exit status 1.
local h = require "helpers"

local prelude = [[
local cdk   = require "sfl"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
local child = sf.StateMachine(stack, "Child", {
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })
]]

local fails_with = h.app_checker(prelude).fails_with

describe("StepFunctionsStartExecution errors", function()
  it("WAIT_FOR_TASK_TOKEN without the token in the input", function()
    fails_with([[
tasks.StepFunctionsStartExecution(stack, "T", { state_machine = child,
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
  input = sf.TaskInput.from_object({ a = 1 }) })]], 1,
      "Task Token is required in `input` for callback. Use JsonPath.task_token to set the token.")
  end)

  it("associate_with_parent with an input taken from a path", function()
    fails_with([[
tasks.StepFunctionsStartExecution(stack, "T", { state_machine = child,
  associate_with_parent = true, input = sf.TaskInput.from_json_path_at("$.in") })]], 1,
      "Could not enable `associate_with_parent` because `input` is taken directly from a "
      .. "JSON path. Use `sfn.TaskInput.from_object` instead.")
  end)

  it("a state machine that is not one", function()
    fails_with('tasks.StepFunctionsStartExecution(stack, "T", { state_machine = "arn:x" })', 1,
      "StepFunctionsStartExecution 'T': prop 'state_machine' must be a sfn.StateMachine "
      .. "(or StateMachine.from_state_machine_arn(...)), got string")
  end)

  it("an ARN that cannot be parsed", function()
    fails_with('sf.StateMachine.from_state_machine_arn(stack, "I", "my-machine")', 1,
      "'my-machine' is not a state machine ARN: write it as "
      .. "arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME")
  end)

  it("an ARN that is not a string", function()
    fails_with('sf.StateMachine.from_state_machine_arn(stack, "I", 42)', 1,
      "state_machine_arn must be a string, got number")
  end)

  it("an imported machine has no name attribute", function()
    fails_with([[
local m = sf.StateMachine.from_state_machine_name(stack, "I", "other")
print(m.state_machine_name)]], 2,
      "sfl.aws_stepfunctions.IStateMachine has no method or property 'state_machine_name'")
  end)
end)

describe("CallAwsService errors", function()
  it("RUN_JOB is not supported", function()
    fails_with([[
tasks.CallAwsService(stack, "T", { service = "s3", action = "listBuckets",
  iam_resources = { "*" }, integration_pattern = sf.IntegrationPattern.RUN_JOB })]], 1,
      "The RUN_JOB integration pattern is not supported for CallAwsService")
  end)

  it("action not in camelCase", function()
    fails_with([[
tasks.CallAwsService(stack, "T", { service = "s3", action = "ListBuckets",
  iam_resources = { "*" } })]], 1, "action must be camelCase, got: ListBuckets")
  end)

  it("parameter names not in PascalCase", function()
    fails_with([[
tasks.CallAwsService(stack, "T", { service = "s3", action = "getObject",
  parameters = { bucket = "b", key = "k", VersionId = "v" }, iam_resources = { "*" } })]], 1,
      "parameter names must be PascalCase, got: bucket, key")
  end)

  it("iam_resources is required", function()
    fails_with('tasks.CallAwsService(stack, "T", { service = "s3", action = "listBuckets" })', 1,
      "CallAwsService 'T': missing required prop 'iam_resources'")
  end)
end)

describe("StepFunctionsInvokeActivity errors", function()
  it("needs an Activity", function()
    fails_with('tasks.StepFunctionsInvokeActivity(stack, "T", { activity = child })', 1,
      "StepFunctionsInvokeActivity 'T': prop 'activity' must be a sfn.Activity, got "
      .. "sfl.aws_stepfunctions.StateMachine")
  end)
end)
