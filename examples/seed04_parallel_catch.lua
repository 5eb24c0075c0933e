-- The seed article's fourth workflow: wrap the chain in a Parallel with
-- to_single_state and catch every error once. Port of
-- shared/cdk-reference/apps/seed04_parallel_catch.js.
local cdk     = require "sfl"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local lambdas = require "sfl.aws_lambda"

local app   = cdk.App()
local stack = cdk.Stack(app, "seed04-parallel-catch")

-- A small inline Python Lambda, as the article's "#Lambda definition".
local function py_function(id, returns)
  return lambdas.Function(stack, id, {
    runtime = lambdas.Runtime.PYTHON_3_12,
    handler = "index.handler",
    code    = lambdas.Code.from_inline(
      ('def handler(event, context):\n    return "%s"'):format(returns)),
  })
end

local hello_task = tasks.LambdaInvoke(stack, "[Lambda] hello", {
  lambda_function = py_function("HelloFunction", "hello"),
  result_path     = "$.helloLambda",
})

local world_task = tasks.LambdaInvoke(stack, "[Lambda] world", {
  lambda_function = py_function("WorldFunction", "world"),
  payload         = sf.TaskInput.from_json_path_at("$.helloLambda.Payload"),
})

local notification_error_task = tasks.LambdaInvoke(stack, "[Lambda] notification_error", {
  lambda_function = py_function("NotificationErrorFunction", "notified"),
  payload = sf.TaskInput.from_object({
    execution_id = sf.JsonPath.string_at("$$.Execution.Id"),
    error        = sf.JsonPath.string_at("$.Error"),
    cause        = sf.JsonPath.string_at("$.Cause"),
  }),
})

local job_failed = sf.Fail(stack, "Job Failed", { cause = "Job Failed", error = "Workflow FAILED" })

local definition = sf.Chain.start(hello_task):next(world_task):to_single_state("definition")

definition:add_catch(notification_error_task:next(job_failed))

sf.StateMachine(stack, "hello_workflow", {
  definition_body = sf.DefinitionBody.from_chainable(definition),
})

app:synth()
