-- sfl deploy against the fake AWS endpoint (spec/fakeaws): first deploy, update, no
-- changes, a template over 51,200 bytes, a folder asset, failures with and without
-- rollback, --require-approval without a terminal, no bootstrap, faults, no credentials.
local h = require "helpers"
local S = require "cfn.support"

local BUCKET = "cdk-hnb659fds-assets-123456789012-us-east-1"
local VERSION_PARAM = "/cdk-bootstrap/hnb659fds/version"

-- A stack with one state machine (and so an IAM role) and an output.
local function app_source(opts)
  opts = opts or {}
  return ([[
local cdk = require "sfl"
local sf = require "sfl.aws_stepfunctions"
local lambda = require "sfl.aws_lambda"
local tasks = require "sfl.aws_stepfunctions_tasks"
local app = cdk.App()
local stack = cdk.Stack(app, "dep-stack")
local states = {}
for i = 1, %d do
  states[i] = sf.Pass(stack, "Step" .. i, { comment = %q .. string.rep("x", %d) })
end
local chain = sf.Chain.start(states[1])
for i = 2, #states do chain = chain:next(states[i]) end
%s
sf.StateMachine(stack, "Flow", { definition_body = sf.DefinitionBody.from_chainable(chain) })
cdk.CfnOutput(stack, "Greeting", { value = %q })
]]):format(opts.states or 1, opts.comment or "first", opts.padding or 0, opts.extra or "",
           opts.greeting or "hello")
end

local function count(log, pred)
  local n = 0
  for _, entry in ipairs(log) do
    if pred(entry) then n = n + 1 end
  end
  return n
end

local function action_count(log, action)
  return count(log, function(e) return e.action == action end)
end

describe("sfl deploy", function()
  local fake, dir, mark

  local function deploy(args, env)
    local full = { "deploy", dir .. "/app.lua", "-o", dir .. "/out" }
    for _, a in ipairs(args or { "--require-approval", "never" }) do full[#full + 1] = a end
    local e = { SFL_POLL_INTERVAL = "0.05" }
    for k, v in pairs(fake.env) do e[k] = v end
    for k, v in pairs(env or {}) do e[k] = v end
    return h.sfl_env(e, full, dir)
  end

  local function write_app(source)
    local f = assert(io.open(dir .. "/app.lua", "wb"))
    f:write(source)
    f:close()
  end

  -- An app with a Lambda function whose code is the folder handler/ (a zip asset).
  local function write_asset_app()
    os.execute("mkdir -p " .. h.quote(dir .. "/handler"))
    local f = assert(io.open(dir .. "/handler/index.py", "wb"))
    f:write("def handler(event, context):\n    return 'hi'\n")
    f:close()
    write_app(app_source { extra = [[
local fn = lambda.Function(stack, "Fn", { runtime = lambda.Runtime.PYTHON_3_12,
  handler = "index.handler", code = lambda.Code.from_asset("handler") })
chain = chain:next(tasks.LambdaInvoke(stack, "Call", { lambda_function = fn }))
]] })
  end

  -- The account made ready by sfl bootstrap (the CDKToolkit stack: bucket, SSM version).
  local function bootstrap()
    local env = { SFL_POLL_INTERVAL = "0.05" }
    for k, v in pairs(fake.env) do env[k] = v end
    local out, err, status = h.sfl_env(env, { "bootstrap" }, dir)
    assert.are.equal(0, status, out .. err)
    assert.truthy(fake:state().ssm[VERSION_PARAM])
    mark = #fake:log()
  end

  -- The requests since bootstrap().
  local function log()
    local all, since = fake:log(), {}
    for i = mark + 1, #all do since[#since + 1] = all[i] end
    return since
  end

  setup(function() fake = h.fakeaws() end)
  teardown(function() fake:stop() end)
  before_each(function()
    fake:reset()
    mark = 0
    dir = h.tmpdir()
    write_app(app_source())
  end)

  it("prints its help", function()
    local out, err, status = h.sfl_run { "deploy", "--help" }
    assert.are.equal(0, status)
    assert.are.equal("", err)
    assert.matches("usage: sfl deploy APP.lua %[STACK...%]", out)
    assert.matches("%-%-require%-approval LEVEL", out)
  end)

  it("refuses a bad --require-approval", function()
    local _, err, status = h.sfl_run { "deploy", "app.lua", "--require-approval", "always" }
    assert.are.equal(2, status)
    assert.are.equal("sfl: --require-approval must be never, any-change or broadening, not "
                     .. "'always'\nTry 'sfl deploy --help'.\n", err)
  end)

  it("says when the environment is not bootstrapped", function()
    local out, err, status = deploy()
    assert.are.equal(1, status, out .. err)
    assert.matches("❌  dep%-stack failed: SSM parameter /cdk%-bootstrap/hnb659fds/version not "
                   .. "found%. Has the environment been bootstrapped%? Please run 'sfl bootstrap'",
                   err)
    assert.are.equal(0, action_count(log(), "CreateChangeSet"))
  end)

  it("says when the bootstrap version is too old", function()
    fake:seed { ssm = { [VERSION_PARAM] = "5" } }
    local _, err, status = deploy()
    assert.are.equal(1, status)
    assert.matches("requires bootstrap stack version '6', found '5'%. Please run 'sfl bootstrap'%.",
                   err)
  end)

  it("creates a stack, updates it, and executes nothing when nothing changed", function()
    bootstrap()
    local out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    assert.matches("dep%-stack: deploying%.%.%. %[1/1%]", out)
    assert.matches("✅  dep%-stack\n", out)
    assert.matches("Outputs:\ndep%-stack%.Greeting = hello\nStack ARN:\narn:aws:cloudformation:", out)
    local state = fake:state()
    assert.matches("_COMPLETE$", state.stacks["dep-stack"].status)
    assert.are.equal(1, action_count(log(), "ExecuteChangeSet"))
    -- the assembly is where -o says, as sfl synth writes it
    assert.truthy(io.open(dir .. "/out/dep-stack.template.json"))

    write_app(app_source { comment = "second", greeting = "bonjour" })
    out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    assert.matches("✅  dep%-stack\n", out)
    assert.matches("dep%-stack%.Greeting = bonjour", out)
    assert.are.equal(2, action_count(log(), "ExecuteChangeSet"))
    assert.are.equal("UPDATE_COMPLETE", fake:state().stacks["dep-stack"].status)

    out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    assert.matches("✅  dep%-stack %(no changes%)", out)
    assert.matches("dep%-stack%.Greeting = bonjour", out)
    assert.are.equal(2, action_count(log(), "ExecuteChangeSet"))
  end)

  it("sends a template over 51,200 bytes through the bootstrap bucket", function()
    bootstrap()
    write_app(app_source { states = 60, padding = 1000 })
    local out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    local size = #h.read_file(dir .. "/out/dep-stack.template.json")
    assert.is_true(size > 51200)
    local json_keys = 0
    for key, bytes in pairs(fake:state().s3[BUCKET]) do
      if key:match("%.json$") then
        json_keys = json_keys + 1
        assert.are.equal(size, bytes)
      end
    end
    assert.are.equal(1, json_keys)
    assert.matches("_COMPLETE$", fake:state().stacks["dep-stack"].status)
  end)

  it("zips a folder asset, uploads it once and skips it the next time", function()
    bootstrap()
    write_asset_app()
    local out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    local zips = {}
    for key in pairs(fake:state().s3[BUCKET]) do
      if key:match("%.zip$") then zips[#zips + 1] = key end
    end
    assert.are.equal(1, #zips)
    assert.matches("success: Published Fn/Code", out)
    local puts = count(log(), function(e) return e.method == "PUT" and e.path:match("%.zip$") end)
    assert.are.equal(1, puts)

    out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    assert.matches("success: Already published Fn/Code", out)
    assert.matches("%(no changes%)", out)
    puts = count(log(), function(e) return e.method == "PUT" and e.path:match("%.zip$") end)
    assert.are.equal(1, puts)
  end)

  it("asks for approval of IAM changes, and fails without a terminal", function()
    bootstrap()
    local out, err, status = deploy {}
    assert.are.equal(1, status, out .. err)
    assert.matches("%-%-require%-approval broadening", out)
    assert.matches("IAM Statement Changes\n%+ FlowRole[%w]* AWS::IAM::Role AssumeRolePolicyDocument", out)
    assert.matches("❌  dep%-stack failed: \"%-%-require%-approval\" is enabled and stack includes "
                   .. "security%-sensitive updates, but terminal %(TTY%) is not attached", err)
    assert.are.equal(0, action_count(log(), "ExecuteChangeSet"))

    -- once the role is there, changes that add no permission go through
    out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    write_app(app_source { comment = "other" })
    out, err, status = deploy {}
    assert.are.equal(0, status, out .. err)
    assert.matches("✅  dep%-stack\n", out)
  end)

  it("asks y/n on a terminal: no aborts, yes deploys", function()
    if select(3, h.run("command -v script")) ~= 0 then
      pending("util-linux's script(1) gives the terminal this needs")
      return
    end
    bootstrap()
    local function on_terminal(answer)
      return S.on_terminal(fake, { "deploy", dir .. "/app.lua", "-o", dir .. "/out" }, answer)
    end
    local out, _, status = on_terminal("n")
    assert.are.equal(1, status, out)
    assert.truthy(out:find("Do you wish to deploy these changes (y/n)?", 1, true), out)
    assert.truthy(out:find("❌  dep-stack failed: Aborted by user", 1, true), out)
    assert.are.equal(0, action_count(log(), "ExecuteChangeSet"))
    out, _, status = on_terminal("y")
    assert.are.equal(0, status, out)
    assert.truthy(out:find("✅  dep-stack", 1, true), out)
    assert.are.equal(1, action_count(log(), "ExecuteChangeSet"))
  end)

  it("prints each AWS request with --verbose, and no secret", function()
    bootstrap()
    local out, err, status = deploy { "--require-approval", "never", "--verbose" }
    assert.are.equal(0, status, out .. err)
    assert.matches("cloudformation CreateChangeSet: POST http://127%.0%.0%.1:%d+/ %-> 200", err)
    assert.matches("ssm AmazonSSM%.GetParameter", err)
    assert.is_nil(err:find(fake.env.AWS_SECRET_ACCESS_KEY, 1, true))
  end)

  -- A bucket whose name is taken fails in the fake as in AWS ("... already exists").
  local clash = [[
local s3 = require "sfl.aws_s3"
s3.Bucket(stack, "Clash", { bucket_name = "taken-bucket" })
]]

  it("prints the failed resource's reason and exits 1 when a resource fails", function()
    bootstrap()
    fake:seed { s3 = { ["taken-bucket"] = { x = "x" } } }
    write_app(app_source { extra = clash })
    local out, err, status = deploy()
    assert.are.equal(1, status, out .. err)
    assert.matches("CREATE_FAILED", out)
    assert.matches("taken%-bucket already exists", out)
    assert.matches("❌  dep%-stack failed: The stack named dep%-stack failed to deploy: "
                   .. "ROLLBACK_COMPLETE", err)
    assert.matches("taken%-bucket already exists", err)
    assert.are.equal("ROLLBACK_COMPLETE", fake:state().stacks["dep-stack"].status)
  end)

  it("leaves what was made in place with --no-rollback", function()
    bootstrap()
    fake:seed { s3 = { ["taken-bucket"] = { x = "x" } } }
    write_app(app_source { extra = clash })
    local out, err, status = deploy { "--require-approval", "never", "--no-rollback" }
    assert.are.equal(1, status, out .. err)
    assert.matches("❌  dep%-stack failed: The stack named dep%-stack failed to deploy: "
                   .. "CREATE_FAILED", err)
    assert.are.equal("CREATE_FAILED", fake:state().stacks["dep-stack"].status)
    assert.are.equal(1, count(log(), function(e) return e.action == "ExecuteChangeSet" end))
  end)

  it("prints every stack event once when they come in pages of two", function()
    bootstrap()
    fake:control("POST", "config", { events_page_size = 2 })
    local out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    local seen, lines = {}, 0
    for st, id in out:gmatch("\ndep%-stack | +%d+/%d+ | [^|]*| (%S+) +| [^|]*| (%S+)") do
      local key = id .. " " .. st
      assert.is_nil(seen[key], key .. " printed twice:\n" .. out)
      seen[key], lines = true, lines + 1
    end
    local stack = fake:state().stacks["dep-stack"]
    for logical in pairs(stack.resources) do
      assert.truthy(seen[logical .. " CREATE_IN_PROGRESS"], logical .. " started:\n" .. out)
      assert.truthy(seen[logical .. " CREATE_COMPLETE"], logical .. " completed:\n" .. out)
    end
    -- Every event but the change set's REVIEW_IN_PROGRESS, which came before the deployment.
    assert.are.equal(stack.events - 1, lines, out)
  end)

  it("never counts past the total when a failed update rolls back", function()
    bootstrap()
    local out, err, status = deploy()
    assert.are.equal(0, status, out .. err)
    fake:seed { s3 = { ["taken-bucket"] = { x = "x" } } }
    write_app(app_source { extra = clash })
    out, err, status = deploy()
    assert.are.equal(1, status, out .. err)
    local lines = 0
    for done, total in out:gmatch("dep%-stack | +(%d+)/(%d+) |") do
      lines = lines + 1
      assert.is_true(tonumber(done) <= tonumber(total), done .. "/" .. total .. " in\n" .. out)
    end
    assert.is_true(lines >= 4, out)
    -- The stack's last event (its status cut to the column's width, as CDK cuts it) is
    -- all done: the count had reached the total.
    assert.matches("dep%-stack | (%d+)/%1 | [^|]*| UPDATE_ROLLBACK_COMPLET | "
                   .. "AWS::CloudFormation::Stack +| dep%-stack\n\nFailed resources", out)
  end)

  for _, kind in ipairs { "throttle", "500", "drop" } do
    it("retries a " .. kind .. " fault during the deployment", function()
      bootstrap()
      write_asset_app()
      for _, where in ipairs { { "cloudformation", "CreateChangeSet" },
                               { "cloudformation", "DescribeStackEvents" },
                               { "ssm", "GetParameter" }, { "s3", "HEAD" }, { "s3", "PUT" } } do
        fake:fault { service = where[1], action = where[2], kind = kind, count = 1 }
      end
      local out, err, status = deploy()
      assert.are.equal(0, status, out .. err)
      local faulted = {}
      for _, e in ipairs(log()) do
        if e.fault == kind then faulted[#faulted + 1] = e.service .. " " .. (e.action or e.method) end
      end
      table.sort(faulted)
      assert.are.same({ "cloudformation CreateChangeSet", "cloudformation DescribeStackEvents",
                        "s3 HEAD", "s3 PUT", "ssm GetParameter" }, faulted)
      assert.matches("✅  dep%-stack\n", out)
    end)
  end

  it("retries a slow answer after SFL_HTTP_TIMEOUT", function()
    bootstrap()
    fake:fault { service = "cloudformation", action = "DescribeChangeSet", kind = "slow", ms = 3000 }
    local out, err, status = deploy(nil, { SFL_HTTP_TIMEOUT = "1" })
    assert.are.equal(0, status, out .. err)
    assert.matches("✅  dep%-stack\n", out)
  end)

  it("stops waiting on Ctrl-C, saying the stack keeps deploying", function()
    bootstrap()
    -- slow event polls keep the deployment going while the signal comes
    fake:fault { service = "cloudformation", action = "DescribeStackEvents", kind = "slow",
                 ms = 1500, count = 20 }
    -- sfl had ExecuteChangeSet's answer once it asks for events again; it is then in the
    -- middle of a slow poll
    local _, before = S.actions(fake)   -- bootstrap's requests
    local out, err, status = S.interrupt(fake, { "deploy", dir .. "/app.lua", "-o", dir .. "/out",
                                                 "--require-approval", "never" },
                                         { SFL_POLL_INTERVAL = "0.05" }, function(log)
      return S.after(log, "ExecuteChangeSet", "DescribeStackEvents", before)
    end)
    assert.are.equal(130, status, out .. err)
    assert.matches("CloudFormation goes on deploying it", err .. out)
    -- the assembly is whole: no staging folder left beside it
    local _, _, found = h.run("ls -a " .. h.quote(dir) .. " | grep -v -x -e . -e .. -e app.lua "
                              .. "-e out")
    assert.are.equal(1, found)
  end)

  it("says which credentials it looked for when there are none", function()
    bootstrap()
    local out, err, status = deploy(nil, { AWS_ACCESS_KEY_ID = false, AWS_SECRET_ACCESS_KEY = false })
    assert.are.equal(1, status, out .. err)
    assert.matches("^sfl: no credentials: tried environment variables", err)
    assert.are.equal(0, #log())
  end)
end)
