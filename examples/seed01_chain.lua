-- The seed article's first workflow: two Lambda tasks chained with next().
-- Ported from shared/cdk-reference/apps/seed01_chain.js by API.md's rules.
local cdk     = require "sfl"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local lambdas = require "sfl.aws_lambda"

local app   = cdk.App()
local stack = cdk.Stack(app, "seed01-chain")

-- A small inline Python Lambda, as the article's "#Lambda definition".
local function py_function(id, returns)
  return lambdas.Function(stack, id, {
    runtime = lambdas.Runtime.PYTHON_3_12,
    handler = "index.handler",
    code    = lambdas.Code.from_inline(
      ('def handler(event, context):\n    return "%s"'):format(returns)),
  })
end

local hello_task = tasks.LambdaInvoke(stack, "[Lambda] hello",
  { lambda_function = py_function("HelloFunction", "hello") })
local world_task = tasks.LambdaInvoke(stack, "[Lambda] world",
  { lambda_function = py_function("WorldFunction", "world") })

local definition = hello_task:next(world_task)

sf.StateMachine(stack, "hello_workflow", {
  definition_body = sf.DefinitionBody.from_chainable(definition),
})

app:synth()
