-- The opt-in "sfl:dedupe-iam" context merges a role's policy statements (same actions or
-- same resources) so that big machines stay under IAM's 10,240-byte policy limit
-- (aws-cdk issue 1777); without it, the policy is CDK's, statement for statement.
local h = require "helpers"
local json = require "dkjson"

-- An app whose machine has one CallAwsService state per (action, key) pair.
local function app_source(dedupe, calls)
  local lines = {
    'local cdk   = require "sfl"',
    'local sf    = require "sfl.aws_stepfunctions"',
    'local tasks = require "sfl.aws_stepfunctions_tasks"',
    ('local app = cdk.App({ context = { ["sfl:dedupe-iam"] = %s } })'):format(tostring(dedupe)),
    'local stack = cdk.Stack(app, "Merge")',
    'local chain',
  }
  for i, c in ipairs(calls) do
    lines[#lines + 1] = ([[
do
  local t = tasks.CallAwsService(stack, "Call %d", { service = "s3", action = "%s",
    iam_resources = { "arn:aws:s3:::reports/%s" }, result_path = sf.JsonPath.DISCARD })
  chain = chain and chain:next(t) or sf.Chain.start(t)
end]]):format(i, c[1], c[2])
  end
  lines[#lines + 1] = 'sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(chain) })'
  return table.concat(lines, "\n") .. "\n"
end

-- The machine role's policy document of the synthesized app.
local function policy_of(source)
  local _, dir = h.write_app(source)
  local _, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", dir .. "/out", "-q" }, dir)
  assert.are.equal("", stderr)
  assert.are.equal(0, status)
  local t = h.read_json(dir .. "/out/Merge.template.json")
  for _, r in pairs(t.Resources) do
    if r.Type == "AWS::IAM::Policy" then return r.Properties.PolicyDocument end
  end
  error("no policy")
end

-- The size IAM counts: the document's JSON without whitespace.
local function policy_size(doc)
  return #json.encode(doc)
end

describe("sfl:dedupe-iam", function()
  local calls = {}
  for i = 1, 200 do calls[i] = { "putObject", ("daily/report-%03d.json"):format(i) } end

  it("keeps a 200-state machine's policy under 10,240 bytes", function()
    local merged = policy_of(app_source(true, calls))
    assert.are.equal(1, #merged.Statement)
    assert.are.equal("s3:putObject", merged.Statement[1].Action)
    assert.are.equal(200, #merged.Statement[1].Resource)
    assert.are.equal("arn:aws:s3:::reports/daily/report-001.json", merged.Statement[1].Resource[1])
    assert.are.equal("arn:aws:s3:::reports/daily/report-200.json", merged.Statement[1].Resource[200])
    assert.is_true(policy_size(merged) < 10240, "merged policy is " .. policy_size(merged) .. " bytes")
  end)

  it("is off by default: CDK's one statement per task, over the limit here", function()
    local plain = policy_of(app_source(false, calls))
    assert.are.equal(200, #plain.Statement)
    assert.is_true(policy_size(plain) > 10240, "plain policy is " .. policy_size(plain) .. " bytes")
  end)

  it("merges same resources into one action list, and stops where neither matches", function()
    local doc = policy_of(app_source(true, {
      { "getObject", "a.json" }, { "putObject", "a.json" }, { "getObject", "b.json" },
      { "deleteObject", "c.json" }, { "deleteObject", "d.json" },
    }))
    assert.are.same({
      { Action = { "s3:getObject", "s3:putObject" }, Effect = "Allow",
        Resource = "arn:aws:s3:::reports/a.json" },
      { Action = "s3:getObject", Effect = "Allow", Resource = "arn:aws:s3:::reports/b.json" },
      { Action = "s3:deleteObject", Effect = "Allow",
        Resource = { "arn:aws:s3:::reports/c.json", "arn:aws:s3:::reports/d.json" } },
    }, doc.Statement)
  end)
end)
