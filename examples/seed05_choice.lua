-- The seed article's fifth workflow: a Choice with two `when`s and an `otherwise`.
-- Port of shared/cdk-reference/apps/seed05_choice.js.
local cdk     = require "sfl"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local lambdas = require "sfl.aws_lambda"

local app   = cdk.App()
local stack = cdk.Stack(app, "seed05-choice")

-- A small inline Python Lambda, as the article's "#Lambda definition".
local function py_function(id, returns)
  return lambdas.Function(stack, id, {
    runtime = lambdas.Runtime.PYTHON_3_12,
    handler = "index.handler",
    code    = lambdas.Code.from_inline(
      ('def handler(event, context):\n    return "%s"'):format(returns)),
  })
end

local hello_or_world_task = tasks.LambdaInvoke(stack, "[Lambda] hello or world", {
  lambda_function = py_function("HelloOrWorldFunction", "hello"),
  result_path     = "$.helloOrWorld",
})

local hello_task = tasks.LambdaInvoke(stack, "[Lambda] hello",
  { lambda_function = py_function("HelloFunction", "hello") })

local world_task = tasks.LambdaInvoke(stack, "[Lambda] world",
  { lambda_function = py_function("WorldFunction", "world") })

local job_failed = sf.Fail(stack, "Job Failed", { cause = "Job Failed", error = "Workflow FAILED" })

local definition = sf.Chain.start(hello_or_world_task):next(
  sf.Choice(stack, "hello or world ?")
    :when(sf.Condition.string_equals("$.helloOrWorld.Payload", "hello"), hello_task)
    :when(sf.Condition.string_equals("$.helloOrWorld.Payload", "world"), world_task)
    :otherwise(job_failed))

sf.StateMachine(stack, "hello_workflow", {
  definition_body = sf.DefinitionBody.from_chainable(definition),
})

app:synth()
