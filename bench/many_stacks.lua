-- bench/scale.sh's "many stacks" case: SFL_STACKS stacks (default 100), each holding one
-- state machine that chains SFL_STATES Pass states (default 50).
local cdk = require "sfl"
local sf  = require "sfl.aws_stepfunctions"

local stacks = math.tointeger(tonumber(os.getenv("SFL_STACKS") or "100"))
local states = math.tointeger(tonumber(os.getenv("SFL_STATES") or "50"))
local app = cdk.App()
for s = 1, stacks do
  local stack = cdk.Stack(app, "Stack" .. s)
  local chain = sf.Chain.start(sf.Pass(stack, "Step 1"))
  for i = 2, states do
    chain = chain:next(sf.Pass(stack, "Step " .. i))
  end
  sf.StateMachine(stack, "Machine", { definition_body = sf.DefinitionBody.from_chainable(chain) })
end
