-- DefinitionBody.from_file: the file is staged as a file asset (the template is pinned by
-- spec/fixtures/f15_definition_file), and validate, run and graph read the same file,
-- with the definition substitutions CloudFormation would make.
local h = require "helpers"

local function app_with(definition, machine_props)
  local dir = h.tmpdir()
  if definition then
    local f = assert(io.open(dir .. "/machine.asl.json", "wb"))
    f:write(definition)
    f:close()
  end
  local f = assert(io.open(dir .. "/app.lua", "wb"))
  f:write(([[
local cdk = require "sfl"
local sfn = require "sfl.aws_stepfunctions"
local app = cdk.App()
local stack = cdk.Stack(app, "S")
sfn.StateMachine(stack, "M", %s)
]]):format(machine_props or
    [[{ definition_body = sfn.DefinitionBody.from_file("machine.asl.json") }]]))
  f:close()
  return dir
end

local hello = [[{"StartAt":"A","States":{"A":{"Type":"Pass","Result":"${Word}","End":true}}}]]

describe("DefinitionBody.from_file", function()
  it("stages the file and lists it in the assets manifest", function()
    local dir = app_with(hello)
    local _, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", "out" }, dir)
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
    local assets = h.read_json(dir .. "/out/S.assets.json")
    local name, entry
    for k, v in pairs(assets.files) do
      if v.displayName == "M/DefinitionBody" then name, entry = k, v end
    end
    assert.are.same({ path = "asset." .. name .. ".json", packaging = "file" }, entry.source)
    assert.are.equal(hello, h.read_file(dir .. "/out/asset." .. name .. ".json"))
    local keys = {}
    for _, r in pairs(h.read_json(dir .. "/out/S.template.json").Resources) do
      if r.Type == "AWS::StepFunctions::StateMachine" then
        keys[#keys + 1] = r.Properties.DefinitionS3Location.Key
      end
    end
    assert.are.same({ name .. ".json" }, keys)
  end)

  it("runs the file with the definition substitutions applied", function()
    local dir = app_with(hello, [[{ definition_body = sfn.DefinitionBody.from_file(
  "machine.asl.json"), definition_substitutions = { Word = "hi" } }]])
    local stdout, stderr, status = h.sfl_run({ "run", "app.lua", "M", "--input", "{}" }, dir)
    assert.are.equal("", stderr)
    assert.are.equal('"hi"\n', stdout)
    assert.are.equal(0, status)
  end)

  it("validates the file's states at the line that names it", function()
    local dir = app_with([[{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B","End":true}}}]])
    local stdout, stderr, status = h.sfl_run({ "validate", "app.lua" }, dir)
    assert.are.equal("", stdout)
    assert.matches("app.lua:5: MISSING_TRANSITION_TARGET: state 'A' goes to 'B', which is "
                   .. "not a state of this machine", stderr, 1, true)
    assert.are.equal(1, status)
  end)

  it("says when the file is not JSON", function()
    local dir = app_with('{"StartAt": ')
    local _, stderr, status = h.sfl_run({ "validate", "app.lua" }, dir)
    assert.are.equal("app.lua:5: INVALID_JSON_DESCRIPTION: the definition file is not valid "
                     .. "JSON\nsfl: 1 error, 0 warnings\n", stderr)
    assert.are.equal(1, status)
  end)

  it("reports a missing file at the user's line", function()
    local dir = app_with(nil)
    local _, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", "out" }, dir)
    assert.are.equal(("app.lua:5: Cannot find asset at %s/machine.asl.json\n"):format(dir),
                     stderr)
    assert.are.equal(1, status)
  end)

  it("refuses a folder, which CDK would zip and Step Functions could not read", function()
    local dir = app_with(hello, [[{ definition_body = sfn.DefinitionBody.from_file(".") }]])
    local _, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", "out" }, dir)
    assert.are.equal("app.lua:5: DefinitionBody.from_file: '.' is a folder; give the path of "
                     .. "the ASL file (for example definition.asl.json)\n", stderr)
    assert.are.equal(1, status)
  end)

  it("checks its options", function()
    local dir = app_with(hello, [[{ definition_body = sfn.DefinitionBody.from_file(
  "machine.asl.json", { hash = "x" }) }]])
    local _, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", "out" }, dir)
    assert.matches("^app.lua:5: DefinitionBody.from_file: unknown prop 'hash'", stderr)
    assert.are.equal(1, status)
  end)
end)
