-- The seed article's second workflow: passing values with result_path and
-- TaskInput.from_json_path_at. Port of shared/cdk-reference/apps/seed02_passing_values.js.
local cdk     = require "sfl"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local lambdas = require "sfl.aws_lambda"

local app   = cdk.App()
local stack = cdk.Stack(app, "seed02-passing-values")

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

local definition = sf.Chain.start(hello_task):next(world_task)

sf.StateMachine(stack, "hello_workflow", {
  definition_body = sf.DefinitionBody.from_chainable(definition),
})

app:synth()
