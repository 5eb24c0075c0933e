-- The seed article's third workflow exactly as the article spells it (CDK v1 style):
-- `core` for the core module, TaskInput.from_data_at(...).value and the deprecated
-- `definition` prop. Same template as seed03_catch but for the stack name.
-- Port of shared/cdk-reference/apps/seed03b_article_spelling.js.
local core    = require "sfl.core"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local lambdas = require "sfl.aws_lambda"

local app   = core.App()
local stack = core.Stack(app, "seed03b-article-spelling")

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

local execution_id = sf.TaskInput.from_data_at("$$.Execution.Id").value
local err          = sf.TaskInput.from_data_at("$.Error").value
local cause        = sf.TaskInput.from_data_at("$.Cause").value

local notification_error_task = tasks.LambdaInvoke(stack, "[Lambda] notification_error", {
  lambda_function = py_function("NotificationErrorFunction", "notified"),
  payload = sf.TaskInput.from_object({ execution_id = execution_id, error = err, cause = cause }),
})

local job_failed = sf.Fail(stack, "Job Failed", { cause = "Job Failed", error = "Workflow FAILED" })

local error_handler = notification_error_task:next(job_failed)

hello_task:add_catch(error_handler, { errors = { "States.ALL" } })
world_task:add_catch(error_handler, { errors = { "States.ALL" } })

local definition = sf.Chain.start(hello_task):next(world_task)

sf.StateMachine(stack, "hello_workflow", { definition = definition })

app:synth()
