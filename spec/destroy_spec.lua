-- sfl destroy against the fake AWS endpoint (spec/fakeaws): confirmation, deletion with
-- its events, stacks that are not there, a deletion that fails with its reason, throttling
-- retried, Ctrl-C, and the command line's mistakes.
local h = require "helpers"
local S = require "cfn.support"

local APP = [[
local cdk = require "sfl"
local sf  = require "sfl.aws_stepfunctions"
local s3  = require "sfl.aws_s3"
local app = cdk.App()
local shop = cdk.Stack(app, "Shop")
sf.StateMachine(shop, "Flow", {
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(shop, "Hello")) })
local data = cdk.Stack(app, "Data")
s3.Bucket(data, "Store", { bucket_name = "shop-data-store",
                           removal_policy = cdk.RemovalPolicy.DESTROY })
]]

describe("sfl destroy", function()
  local fake, app, dir
  before_each(function()
    fake = h.fakeaws()
    app, dir = h.write_app(APP)
    fake:seed { ssm = { ["/cdk-bootstrap/hnb659fds/version"] = "6" } }
  end)
  after_each(function() fake:stop() end)

  -- Deploys the app's stacks into the fake (as `sfl deploy` or `cdk deploy` would have).
  local function deploy(...)
    local _, err, status = h.sfl_run({ "synth", app, "-o", dir .. "/out", "-q" })
    assert.are.equal(0, status, err)
    for _, name in ipairs { ... } do
      local body = h.read_file(dir .. "/out/" .. name .. ".template.json")
      assert.are.equal("CREATE_COMPLETE", S.create_stack(fake, name, body))
    end
  end

  it("deletes the app's stacks, the last made first, showing their events", function()
    deploy("Shop", "Data")
    local out, err, status = S.sfl(fake, { "destroy", app, "--force" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    local function line(stack, n, st, type, width, id, reason)
      return ("%s | %3d | TIME | %-23s | %-" .. width .. "s | %s%s\n"):format(
        stack, n, st, type, id, reason and (" " .. reason) or "")
    end
    local SM = "AWS::StepFunctions::StateMachine"
    assert.are.equal(
      "Data: destroying...\n" ..
      line("Data", 0, "DELETE_IN_PROGRESS", "AWS::CloudFormation::Stack", 26, "Data",
           "User Initiated") ..
      line("Data", 0, "DELETE_IN_PROGRESS", "AWS::S3::Bucket", 26, "Store1D2A845B") ..
      line("Data", 1, "DELETE_COMPLETE", "AWS::S3::Bucket", 26, "Store1D2A845B") ..
      line("Data", 2, "DELETE_COMPLETE", "AWS::CloudFormation::Stack", 26, "Data") ..
      "\n \u{2705}  Data: destroyed\n" ..
      "Shop: destroying...\n" ..
      line("Shop", 0, "DELETE_IN_PROGRESS", "AWS::CloudFormation::Stack", #SM, "Shop",
           "User Initiated") ..
      line("Shop", 0, "DELETE_IN_PROGRESS", SM, #SM, "FlowA74D6E88") ..
      line("Shop", 1, "DELETE_COMPLETE", SM, #SM, "FlowA74D6E88") ..
      line("Shop", 1, "DELETE_IN_PROGRESS", "AWS::IAM::Role", #SM, "FlowRoleD99EA574") ..
      line("Shop", 2, "DELETE_COMPLETE", "AWS::IAM::Role", #SM, "FlowRoleD99EA574") ..
      line("Shop", 3, "DELETE_COMPLETE", "AWS::CloudFormation::Stack", #SM, "Shop") ..
      "\n \u{2705}  Shop: destroyed\n", S.mask(out))
    local state = fake:state()   -- lists live stacks only
    assert.are.same({}, state.stacks)
    assert.is_nil(state.s3["shop-data-store"])
  end)

  it("deletes only the stacks named (shell patterns too)", function()
    deploy("Shop", "Data")
    local out, err, status = S.sfl(fake, { "destroy", app, "Sh*", "--force" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.truthy(out:find(" \u{2705}  Shop: destroyed\n", 1, true))
    assert.falsy(out:find("Data", 1, true))
    assert.are.equal("CREATE_COMPLETE", fake:state().stacks.Data.status)
  end)

  it("refuses to delete without a terminal to ask on, unless --force", function()
    deploy("Shop")
    local out, err, status = S.sfl(fake, { "destroy", app }, nil, "y\n")
    assert.are.equal(1, status)
    assert.are.equal("", out)
    assert.are.equal("sfl: not deleting Shop, Data without confirmation: standard input is not " ..
                     "a terminal (add --force to delete without asking)\n", err)
    assert.are.equal("CREATE_COMPLETE", fake:state().stacks.Shop.status)
    assert.are.equal(0, S.count(S.actions(fake), "DeleteStack 200"))
  end)

  it("asks on a terminal, and deletes only after a yes", function()
    if select(3, h.run("command -v script")) ~= 0 then
      pending("util-linux's script(1) gives the terminal this needs")
      return
    end
    deploy("Shop")
    local function on_terminal(answer)
      return S.on_terminal(fake, { "destroy", app, "Shop" }, answer)
    end
    local out, _, status = on_terminal("n")
    assert.are.equal(0, status)
    assert.truthy(out:find("Are you sure you want to delete: Shop (y/n)? Nothing deleted.", 1,
                           true), out)
    assert.are.equal("CREATE_COMPLETE", fake:state().stacks.Shop.status)
    out, _, status = on_terminal("y")
    assert.are.equal(0, status)
    assert.truthy(out:find("Are you sure you want to delete: Shop (y/n)? Shop: destroying...", 1,
                           true), out)
    assert.truthy(out:find(" \u{2705}  Shop: destroyed", 1, true), out)
    assert.is_nil(fake:state().stacks.Shop)
  end)

  it("reports a stack that does not exist and goes on", function()
    deploy("Shop")
    local out, err, status = S.sfl(fake, { "destroy", app, "-f" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.truthy(out:find("^Data: the stack does not exist in region us%-east%-1: nothing to " ..
                           "delete\nShop: destroying%.%.%.\n"), out)
    assert.truthy(out:find(" \u{2705}  Shop: destroyed\n", 1, true))
  end)

  it("prints why a deletion failed", function()
    deploy("Data")
    fake:seed { s3 = { ["shop-data-store"] = { ["orders.csv"] = "1,2" } } }
    local out, err, status = S.sfl(fake, { "destroy", app, "Data", "--force" })
    assert.are.equal(1, status)
    local reason = "The bucket you tried to delete is not empty"
    local failed = S.mask(out):match("\nFailed resources:\n([^\n]+)\n$")
    local want = "Data | TIME | DELETE_FAILED           | AWS::S3::Bucket            | " ..
                 "Store1D2A845B " .. reason
    assert.are.equal(want, failed and failed:sub(1, #want))
    assert.truthy(err:find("^sfl: destroying Data failed: the stack is DELETE_FAILED after " ..
                           "Store1D2A845B: " .. reason), err)
  end)

  it("retries throttled calls while it waits", function()
    deploy("Shop")
    fake:fault { service = "cloudformation", action = "DescribeStackEvents", kind = "throttle",
                 count = 2 }
    fake:fault { service = "cloudformation", action = "DescribeStacks", kind = "500" }
    local out, err, status = S.sfl(fake, { "destroy", app, "Shop", "--force" })
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.truthy(out:find(" \u{2705}  Shop: destroyed\n", 1, true))
    local actions = S.actions(fake)
    assert.are.equal(2, S.count(actions, "DescribeStackEvents 400"))
    assert.are.equal(1, S.count(actions, "DescribeStacks 500"))
  end)

  -- Runs destroy of Shop and sends it SIGINT once ready(log); returns stdout, stderr, status.
  local function interrupted(extra_env, ready)
    return S.interrupt(fake, { "destroy", app, "Shop", "--force" }, extra_env, ready)
  end

  it("stops waiting on Ctrl-C, saying CloudFormation goes on", function()
    deploy("Shop")
    -- asleep between two polls: the status asked after DeleteStack, the next poll 30 s away
    local _, before = S.actions(fake)
    local out, err, status = interrupted({ SFL_POLL_INTERVAL = "30" }, function(log)
      return S.after(log, "DeleteStack", "DescribeStacks", before)
    end)
    assert.are.equal(130, status, out .. err)
    assert.are.equal("\nsfl: interrupted: stopped waiting for stack Shop, but CloudFormation " ..
                     "goes on deleting it; follow it in the AWS console (CloudFormation, stack " ..
                     "Shop, Events)\n", err)
    assert.are.equal(1, S.count(S.actions(fake), "DeleteStack 200"))
  end)

  it("stops at once on Ctrl-C in the middle of a call, deleting nothing", function()
    deploy("Shop")
    local _, before = S.actions(fake)
    fake:fault { service = "cloudformation", action = "DescribeStacks", kind = "slow", ms = 5000 }
    local out, err, status = interrupted(nil, function(log)
      return log[#log].action == "DescribeStacks" and log[#log].fault == "slow"
    end)
    assert.are.equal(130, status, out .. err)
    assert.are.equal("\nsfl: interrupted before deleting stack Shop was started: it is as it " ..
                     "was\n", err)
    assert.are.equal(0, S.count(S.actions(fake, before), "DeleteStack 200"))
    assert.are.equal("CREATE_COMPLETE", fake:state().stacks.Shop.status)
  end)

  it("says what is wrong with the command line or the app", function()
    local out, err, status = S.sfl(fake, { "destroy", app, "Nope", "--force" })
    assert.are.equal(2, status)
    assert.are.equal("", out)
    assert.are.equal("sfl: no stack matches 'Nope'; the app's stacks: Shop, Data\n" ..
                     "Try 'sfl destroy --help'.\n", err)
    out, err, status = S.sfl(fake, { "destroy" })
    assert.are.equal(2, status)
    assert.are.equal("sfl: which app? give the path of a Lua app (sfl destroy app.lua)\n" ..
                     "Try 'sfl destroy --help'.\n", err)
    local bad = h.write_app("local cdk = require 'sfl'\nerror('broken')\n")
    out, err, status = S.sfl(fake, { "destroy", bad, "--force" })
    assert.are.equal(1, status)
    assert.truthy(err:find("app.lua:2: broken", 1, true), err)
    out, _, status = S.sfl(fake, { "destroy", "--help" })
    assert.are.equal(0, status)
    assert.truthy(out:find("^usage: sfl destroy APP.lua"))
    assert.are.same({}, S.actions(fake))
  end)
end)
