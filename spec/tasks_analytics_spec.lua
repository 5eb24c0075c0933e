-- The analytics tasks (EmrTerminateCluster, GlueStartJobRun, AthenaStartQueryExecution,
-- BatchSubmitJob, EmrContainersStartJobRun): each mistake CDK rejects is reported at the
-- user's line with CDK's message and exit status 1.
local h = require "helpers"

local prelude = [[
local cdk   = require "sfl"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
]]
local PRELUDE_LINES = 5

local function fails_with(body, line, msg)
  local _, dir = h.write_app(prelude .. body)
  local stdout, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", dir .. "/out" }, dir)
  assert.are.equal("", stdout)
  assert.are.equal(("app.lua:%d: %s\n"):format(PRELUDE_LINES + line, msg), stderr)
  assert.are.equal(1, status)
end

describe("EmrTerminateCluster errors", function()
  it("WAIT_FOR_TASK_TOKEN is not supported", function()
    fails_with([[
tasks.EmrTerminateCluster(stack, "T", { cluster_id = "j-1",
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })]], 1,
      "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,RUN_JOB. "
      .. "Received: WAIT_FOR_TASK_TOKEN")
  end)

  it("cluster_id is required", function()
    fails_with('tasks.EmrTerminateCluster(stack, "T", {})', 1,
      "EmrTerminateCluster 'T': missing required prop 'cluster_id'")
  end)

  it("a misspelt prop", function()
    fails_with('tasks.EmrTerminateCluster(stack, "T", { clusterid = "j-1" })', 1,
      "EmrTerminateCluster 'T': unknown prop 'clusterid'; did you mean 'cluster_id'?")
  end)

  it("cluster_id must be a string", function()
    fails_with('tasks.EmrTerminateCluster(stack, "T", { cluster_id = {} })', 1,
      "EmrTerminateCluster 'T': prop 'cluster_id' must be a string, got table")
  end)
end)
