-- sfl run: the seed workflows executed locally, down each path, with their tasks answered
-- by a Step Functions Local mock file (spec/fixtures/mocks/seed_mocks.json).
local h = require "helpers"

local mocks = h.root .. "/spec/fixtures/mocks/seed_mocks.json"

local function run(case, test_case, ...)
  local args = { "run", h.root .. "/examples/" .. case .. ".lua", "--mocks", mocks,
                 "--test-case", test_case }
  for _, a in ipairs { ... } do args[#args + 1] = a end
  return h.sfl_run(args)
end

-- The history events of a traced run, decoded, in order.
local function events(stderr)
  local list = {}
  for line in stderr:gmatch("[^\n]+") do list[#list + 1] = h.decode(line) end
  return list
end

local function count(list, type_)
  local n = 0
  for _, e in ipairs(list) do if e.type == type_ then n = n + 1 end end
  return n
end

describe("sfl run", function()
  it("runs the first workflow to its end (seed01)", function()
    local out, err, status = run("seed01_chain", "HappyPath")
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.same({ StatusCode = 200, Payload = "world" }, h.decode(out))
  end)

  it("passes values with result_path and a payload path (seed02)", function()
    local out, err, status = run("seed02_passing_values", "HappyPath", "--input",
                                 '{"name":"x"}', "--trace")
    assert.are.equal(0, status)
    assert.are.same({ StatusCode = 200, Payload = "world" }, h.decode(out))
    -- world's payload is hello's result, taken from $.helloLambda.Payload
    for _, e in ipairs(events(err)) do
      if e.type == "TaskScheduled" and e.taskScheduledEventDetails.parameters:find("world") then
        assert.truthy(e.taskScheduledEventDetails.parameters:find('"Payload":"hello"', 1, true))
      end
    end
  end)

  it("follows each Choice branch and the default (seed05)", function()
    local out, _, status = run("seed05_choice", "HappyPath")
    assert.are.equal(0, status)
    assert.are.same({ StatusCode = 200, Payload = "hello" }, h.decode(out))
    out, _, status = run("seed05_choice", "SaysWorld")
    assert.are.equal(0, status)
    assert.are.same({ StatusCode = 200, Payload = "world" }, h.decode(out))
    out, _, status = run("seed05_choice", "SaysNeither")
    assert.are.equal(3, status)
    assert.are.equal('{"Error":"Workflow FAILED","Cause":"Job Failed"}\n', out)
  end)

  it("sends a failed task to its Catch, then to the Fail state (seed03)", function()
    local out, err, status = run("seed03_catch", "HelloFails", "--trace")
    assert.are.equal(3, status)
    assert.are.equal('{"Error":"Workflow FAILED","Cause":"Job Failed"}\n', out)
    local list = events(err)
    assert.are.equal(1, count(list, "TaskFailed"))
    assert.are.equal("ExecutionFailed", list[#list].type)
  end)

  it("retries a busy Lambda and goes on when it recovers (seed03)", function()
    local out, err, status = run("seed03_catch", "HelloRecovers", "--trace")
    assert.are.equal(0, status)
    assert.are.same({ StatusCode = 200, Payload = "world" }, h.decode(out))
    assert.are.equal(2, count(events(err), "TaskFailed"))
  end)

  it("catches when the retries run out: 1 try and 6 retries (seed03)", function()
    local out, err, status = run("seed03_catch", "HelloStaysBusy", "--trace")
    assert.are.equal(3, status)
    assert.are.equal('{"Error":"Workflow FAILED","Cause":"Job Failed"}\n', out)
    assert.are.equal(7, count(events(err), "TaskFailed"))
  end)

  it("catches a failure inside the Parallel once (seed04)", function()
    local out, _, status = run("seed04_parallel_catch", "WorldFails")
    assert.are.equal(3, status)
    assert.are.equal('{"Error":"Workflow FAILED","Cause":"Job Failed"}\n', out)
  end)

  it("hands EMR the args list from the input, natively (seed06)", function()
    local out, err, status = run("seed06_emr_args", "Emr", "--trace", "--input",
                                 '{"hoge":{"Payload":["spark-submit","--deploy-mode","cluster"]}}')
    assert.are.equal(0, status)
    assert.are.same({ StepId = "s-1" }, h.decode(out))
    local scheduled
    for _, e in ipairs(events(err)) do
      if e.type == "TaskScheduled" then scheduled = e.taskScheduledEventDetails end
    end
    local params = h.decode(scheduled.parameters)
    assert.are.equal("j-ABC", params.ClusterId)
    assert.are.same({ "spark-submit", "--deploy-mode", "cluster" },
                    params.Step.HadoopJarStep.Args)
  end)

  describe("refuses bad input", function()
    it("a task with no mock, naming the state", function()
      local _, err, status = h.sfl_run { "run", h.root .. "/examples/seed01_chain.lua" }
      assert.are.equal(2, status)
      assert.are.equal("sfl: task state '[Lambda] hello' needs an answer: give a mock file with "
                       .. "--mocks FILE --test-case NAME\n", err)
      _, err, status = run("seed03_catch", "SaysWorld")
      assert.are.equal(2, status)
      assert.are.equal("sfl: task state '[Lambda] hello' has no mocked response in test case "
                       .. "'SaysWorld'; add one to the mock file\n", err)
    end)

    it("input that is not JSON", function()
      local _, err, status = run("seed01_chain", "HappyPath", "--input", "{oops")
      assert.are.equal(2, status)
      assert.are.equal("sfl: the input is not valid JSON\n", err)
    end)

    it("a test case the mock file does not have", function()
      local _, err, status = run("seed01_chain", "Nope")
      assert.are.equal(2, status)
      assert.matches("^sfl: the mock file has no test case 'Nope' for state machine "
                     .. "'hello_workflow' %(it has: HappyPath, SaysWorld, ", err)
    end)

    it("a runaway loop, stopped at --max-transitions", function()
      local app, dir = h.write_app([[
local cdk = require "sfl"
local sf = require "sfl.aws_stepfunctions"
local stack = cdk.Stack(cdk.App(), "S")
local a = sf.Pass(stack, "A")
local again = sf.Choice(stack, "Again"):when(sf.Condition.is_present("$"), a)
  :otherwise(sf.Succeed(stack, "Done"))
a:next(again)
sf.StateMachine(stack, "Loop", { definition_body = sf.DefinitionBody.from_chainable(a) })
]])
      local _, err, status = h.sfl_run({ "run", "app.lua", "--max-transitions", "1000" }, dir)
      assert.are.equal(1, status)
      assert.are.equal("sfl: the execution was stopped at state 'A' after 1000 state transitions "
                       .. "(max_transitions); does it loop forever?\n", err)
    end)
  end)
end)
