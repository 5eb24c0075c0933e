-- Every mistake in an app is reported once, on stderr, as FILE:LINE: message, with exit
-- status 1, at the user's line.
local h = require "helpers"

local prelude = [[
local cdk     = require "sfl"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local lambdas = require "sfl.aws_lambda"
local app     = cdk.App()
local stack   = cdk.Stack(app, "S")
local function fn(id)
  return lambdas.Function(stack, id, { runtime = lambdas.Runtime.PYTHON_3_12,
    handler = "index.handler", code = lambdas.Code.from_inline("def handler(e, c): pass") })
end
]]
local fails_with = h.app_checker(prelude).fails_with

describe("errors in an app", function()
  it("unknown prop, with a did-you-mean", function()
    fails_with('sf.Pass(stack, "P", { resultpath = "$.x" })', 1,
      "Pass 'P': unknown prop 'resultpath'; did you mean 'result_path'?")
  end)

  it("unknown prop spelled the JavaScript way", function()
    fails_with('tasks.LambdaInvoke(stack, "T", { lambdaFunction = fn("F") })', 1,
      "LambdaInvoke 'T': unknown prop 'lambdaFunction'; did you mean 'lambda_function'?")
  end)

  it("unknown prop with nothing close lists the known ones", function()
    fails_with('sf.Fail(stack, "F", { banana = 1 })', 1,
      "Fail 'F': unknown prop 'banana' (known props: comment, state_name, query_language, cause, cause_path, error, error_path)")
  end)

  it("unknown prop inside a struct prop", function()
    fails_with([[
tasks.EmrCreateCluster(stack, "C", { name = "c",
  instances = { instance_cout = 1 } })]], 1,
      "EmrCreateCluster 'C' prop 'instances': unknown prop 'instance_cout'; did you mean "
      .. "'instance_count'?")
  end)

  it("wrong prop type", function()
    fails_with('sf.Pass(stack, "P", { result_path = 42 })', 1,
      "Pass 'P': prop 'result_path' must be a JSON path string ('$.field') or "
      .. "sfn.JsonPath.DISCARD, got number")
  end)

  it("wrong kind of object as a prop", function()
    fails_with('tasks.LambdaInvoke(stack, "T", { lambda_function = "arn:aws:lambda:x" })', 1,
      "LambdaInvoke 'T': prop 'lambda_function' must be an aws_lambda.IFunction (a Function, "
      .. "Version, Alias or Function.from_function_arn(...)), got string")
  end)

  it("a JSON path that does not start with $", function()
    fails_with('sf.Pass(stack, "P", { output_path = "x.y" })', 1,
      "Pass 'P': prop 'output_path': Expected JSON path to start with '$', got: x.y")
  end)

  it("missing required prop", function()
    fails_with('tasks.LambdaInvoke(stack, "T", { result_path = "$.r" })', 1,
      "LambdaInvoke 'T': missing required prop 'lambda_function'")
  end)

  it("props that are not a table", function()
    fails_with('sf.Pass(stack, "P", "oops")', 1, "Pass 'P': props must be a table, got string")
  end)

  it("a state given a next state twice (the article's error)", function()
    fails_with([[
local notify = tasks.LambdaInvoke(stack, "[Lambda] notification_error", { lambda_function = fn("N") })
local failed = sf.Fail(stack, "Job Failed")
notify:next(failed)
notify:next(failed)]], 4,
      "State '[Lambda] notification_error' already has a next state (set at app.lua:13); "
      .. "build that part of the chain once, keep it in a variable and reuse it")
  end)

  it("duplicate state names in one machine", function()
    fails_with([[
local a = sf.Pass(stack, "A")
local b = sf.Pass(stack, "B", { state_name = "A" })
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(a:next(b)) })]], 3,
      "State with name 'A' occurs twice in State Machine 'M' (states made at app.lua:11 and "
      .. "app.lua:12); all states must have unique names: change one id or give it a state_name")
  end)

  it("duplicate state names across a Parallel branch", function()
    fails_with([[
local inner = sf.Pass(stack, "Inner", { state_name = "Outer" })
local par = sf.Parallel(stack, "Par"):branch(inner)
local outer = sf.Pass(stack, "Outer")
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(par:next(outer)) })]], 4,
      "State with name 'Outer' occurs twice in State Machine 'M' (states made at app.lua:13 and "
      .. "app.lua:11); all states must have unique names: change one id or give it a state_name")
  end)

  it("one state used in two state machines", function()
    fails_with([[
local p = sf.Pass(stack, "Shared")
sf.StateMachine(stack, "M1", { definition_body = sf.DefinitionBody.from_chainable(p) })
sf.StateMachine(stack, "M2", { definition_body = sf.DefinitionBody.from_chainable(p) })]], 3,
      "Trying to use state 'Shared' in State Machine 'M2', but is already in State Machine "
      .. "'M1'. Every state can only be used in one graph.")
  end)

  it("a chain whose last state cannot be followed", function()
    fails_with([[
local c = sf.Chain.start(sf.Pass(stack, "A")):next(sf.Succeed(stack, "Done"))
c:next(sf.Pass(stack, "B"))]], 2,
      "Cannot add to chain: last state in chain (Done) does not allow it")
  end)

  it("the same construct id twice in one scope", function()
    fails_with('sf.Pass(stack, "P")\nsf.Succeed(stack, "P")', 2,
      "There is already a Construct with name 'P' in Stack [S] (made at app.lua:11); give each "
      .. "construct a different id")
  end)

  it("an invalid stack name", function()
    fails_with('cdk.Stack(app, "my_stack")', 1,
      "Stack name must match the regular expression: /^[A-Za-z][A-Za-z0-9-]*$/, got 'my_stack'")
  end)

  it("a method called on the wrong kind of object", function()
    fails_with('local f = fn("F")\nf:add_catch(sf.Pass(stack, "P"))', 2,
      "sfl.aws_lambda.Function has no method or property 'add_catch'")
  end)

  it("a method that a state type does not have", function()
    fails_with('sf.Fail(stack, "F"):next(sf.Pass(stack, "P"))', 1,
      "sfl.aws_stepfunctions.Fail has no method or property 'next'")
  end)

  it("the wrong kind of object as an argument", function()
    fails_with('sf.Pass(stack, "P"):next(fn("F"))', 1,
      "bad argument #1 to 'next' (sfl.aws_stepfunctions.IChainable expected, got "
      .. "sfl.aws_lambda.Function)")
  end)

  it("a method called with the wrong self", function()
    fails_with('local p = sf.Pass(stack, "P")\np.next(fn("F"), p)', 2,
      "bad argument #1 to 'next' (sfl.aws_stepfunctions.State expected, got "
      .. "sfl.aws_lambda.Function)")
  end)

  it("a member the module does not have", function()
    fails_with('sf.Pas(stack, "P")', 1, "sfl.aws_stepfunctions has no member 'Pas'")
  end)

  it("a Lua syntax error", function()
    fails_with('local x = = 1', 1, "unexpected symbol near '='")
  end)

  it("a runtime error in the app's own code", function()
    fails_with('local t = nil\nprint(t.x)', 2, "attempt to index a nil value (local 't')")
  end)

  it("an invalid Choice variable", function()
    fails_with('sf.Condition.string_equals("x", "y")', 1,
      "Variable reference must be '$', start with '$.', or start with '$[', got 'x'")
  end)

  it("a JsonPath token joined with text", function()
    fails_with('local s = "id-" .. sf.JsonPath.string_at("$.id")', 1,
      "cannot join the JsonPath token '$.id' with other text: a field takes a path as a whole "
      .. "(use one path for the whole value)")
  end)

  it("a StateMachine without a definition", function()
    fails_with('sf.StateMachine(stack, "M", {})', 1,
      "StateMachine 'M': missing required prop 'definition_body' "
      .. "(sfn.DefinitionBody.from_chainable(chain))")
  end)

  it("a Parallel without branches, reported where it was made", function()
    fails_with([[
local p = sf.Parallel(stack, "Par")
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(p) })]], 1,
      "Parallel 'Par' must have at least one branch; add one with :branch(chain)")
  end)

  it("an invalid state machine name", function()
    fails_with([[
sf.StateMachine(stack, "M", { state_machine_name = "has space",
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })]], 1,
      "State Machine name must match \"^[a-z0-9+!@.()-=_']+$/i\". Received: has space")
  end)

  it("logs without a destination", function()
    fails_with([[
sf.StateMachine(stack, "M", { logs = { level = sf.LogLevel.ALL },
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })]], 1,
      "Logs destination is required when level is not OFF.")
  end)

  it("a fragment used before its start_state is set", function()
    fails_with([[
local job = sf.StateMachineFragment(stack, "Job")
sf.Chain.start(job)]], 2,
      "StateMachineFragment 'Job' has no start_state yet: set fragment.start_state = <state> "
      .. "(and fragment.end_states = { ... })")
  end)

  it("a Map without an item processor", function()
    fails_with([[
local m = sf.Map(stack, "Each", { items_path = "$.items" })
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(m) })]], 1,
      "Map 'Each' must either have a non-empty iterator or a non-empty item processor; add "
      .. "one with :item_processor(chain)")
  end)

  it("a Fail with both error and error_path", function()
    fails_with([[
local f = sf.Fail(stack, "F", { error = "E", error_path = "$.e" })
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(f) })]], 1,
      "Fail 'F' cannot have both error and error_path")
  end)

  it("an intrinsic with the wrong number of arguments", function()
    fails_with('sf.JsonPath.array_get_item(sf.JsonPath.list_at("$.l"))', 1,
      "JsonPath.array_get_item takes 2 arguments, got 1")
  end)

  it("States.ALL mixed with other errors", function()
    fails_with('sf.Parallel(stack, "P"):add_retry({ errors = { "States.ALL", "X" } })', 1,
      "States.ALL must appear alone in an error list")
  end)

  it("an unsupported integration pattern", function()
    fails_with([[
tasks.LambdaInvoke(stack, "T", { lambda_function = fn("F"),
  integration_pattern = sf.IntegrationPattern.RUN_JOB })]], 1,
      "Unsupported service integration pattern. Supported Patterns: "
      .. "REQUEST_RESPONSE,WAIT_FOR_TASK_TOKEN. Received: RUN_JOB")
  end)

  it("an EMR release label in the wrong format", function()
    fails_with([[
tasks.EmrCreateCluster(stack, "C", { name = "c", instances = {}, release_label = "6.15" })]], 1,
      "The release label must be in the format 'emr-x.x.x' but got 6.15")
  end)

  it("--verbose adds the traceback", function()
    local path, dir = h.write_app(prelude .. 'sf.Pas(stack, "P")')
    local _, stderr, status = h.sfl_run({ "synth", "app.lua", "--verbose" }, dir)
    assert.are.equal(1, status)
    assert.matches("^app.lua:11: sfl.aws_stepfunctions has no member 'Pas'\n", stderr)
    assert.matches("stack traceback:", stderr)
  end)
end)
