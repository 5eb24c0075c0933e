-- Hostile and broken input: what sfl reads from other people (definitions, inputs, mock
-- files, apps) must give a clear error or a correct result, never a crash. Inputs the
-- fuzzers (fuzz/) found are kept here too, each with the message it must now give.
local h = require "helpers"

-- Writes `text` to a fresh file; returns its path and folder.
local function file(name, text)
  local dir = h.tmpdir()
  local path = dir .. "/" .. name
  local f = assert(io.open(path, "wb"))
  f:write(text)
  f:close()
  return path, dir
end

local one_task = [[{"StartAt":"A","States":{"A":{"Type":"Task",
"Resource":"arn:aws:states:::lambda:invoke","End":true}}}]]

-- `sfl run` of a definition with a mock file; returns stdout, stderr, status.
local function run_mocks(mocks, definition)
  local asl = file("m.asl.json", definition or one_task)
  local mockfile = file("mocks.json", mocks)
  return h.sfl_run { "run", asl, "--mocks", mockfile, "--test-case", "T" }
end

describe("hostile mock files", function()
  it("a mocked response that is not an object (fuzz_mockfile: was a NULL dereference)", function()
    local out, err, status = run_mocks([[{"StateMachines":{"M":{"TestCases":{"T":{"A":"R"}}}},
      "MockedResponses":{"R":[{"Return":1}]}}]])
    assert.are.equal("", out)
    assert.are.equal(2, status)
    assert.are.equal("sfl: mocked response 'R' must be an object of invocations "
                     .. "({\"0\": {\"Return\": ...}})\n", err)
  end)

  it("ranges that would lay out millions of answers", function()
    local _, err, status = run_mocks([[{"StateMachines":{"M":{"TestCases":{"T":{"A":"R","B":"R"}}}},
      "MockedResponses":{"R":{"0-99999":{"Return":1}}}}]])
    assert.are.equal(2, status)
    assert.are.equal("sfl: mocked response 'R': a test case may lay out at most 100000 "
                     .. "invocations in all\n", err)
    _, err, status = run_mocks([[{"StateMachines":{"M":{"TestCases":{"T":{"A":"R"}}}},
      "MockedResponses":{"R":{"0-100000":{"Return":1}}}}]])
    assert.are.equal(2, status)
    assert.are.equal("sfl: mocked response 'R': invocation keys must be numbers or ranges "
                     .. "(\"0\", \"1-2\") in order from 0; found '0-100000'\n", err)
  end)
end)

-- {============ broken JSON for validate, run, --input and mock files

local pass = [[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]]

describe("truncated and invalid JSON", function()
  it("a truncated definition: validate says where, run says to ask validate", function()
    local asl = file("t.asl.json", [[{"StartAt":"A","States":{"A":{"Type":"Pass","End":tr]])
    local out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal(asl .. ":1:51: INVALID_JSON_DESCRIPTION: JSON syntax error near line 1, "
                     .. "column 51\nsfl: 1 error, 0 warnings\n", out .. err)
    out, err, status = h.sfl_run { "run", asl }
    assert.are.equal(1, status)
    assert.are.equal("", out)
    assert.are.equal("sfl: the definition is not valid JSON (sfl validate says where)\n", err)
  end)

  it("an empty definition file", function()
    local asl = file("e.asl.json", "")
    local out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal(asl .. ":1:1: INVALID_JSON_DESCRIPTION: JSON syntax error near line 1, "
                     .. "column 1\nsfl: 1 error, 0 warnings\n", out .. err)
  end)

  it("input, context and mock files that are not JSON", function()
    local asl = file("p.asl.json", pass)
    local _, err, status = h.sfl_run { "run", asl, "--input", '{"a":' }
    assert.are.equal(2, status)
    assert.are.equal("sfl: the input is not valid JSON\n", err)
    _, err, status = h.sfl_run { "run", asl, "--context", "[1,]" }
    assert.are.equal(2, status)
    assert.are.equal("sfl: the context is not valid JSON\n", err)
    _, err, status = run_mocks('{"StateMachines":', pass)
    assert.are.equal(2, status)
    assert.are.equal("sfl: the mock file is not valid JSON\n", err)
  end)
end)

-- }============

describe("JSON text that is not UTF-8", function()
  it("a definition: validate says where, run refuses it", function()
    local asl = file("u.asl.json", '{"StartAt":"A\255","States":{"A\255":{"Type":"Pass","End":true}}}')
    local out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal(asl .. ":1:14: INVALID_JSON_DESCRIPTION: not UTF-8: byte 0xFF at line 1, "
                     .. "column 14\nsfl: 1 error, 0 warnings\n", out .. err)
    out, err, status = h.sfl_run { "run", asl }
    assert.are.equal(1, status)
    assert.are.equal("sfl: the definition is not valid JSON (sfl validate says where)\n", err)
  end)

  it("an input or a mock file (an overlong NUL, a lone surrogate)", function()
    local asl = file("p.asl.json", pass)
    local _, err, status = h.sfl_run { "run", asl, "--input", '{"a":"\192\128"}' }
    assert.are.equal(2, status)
    assert.are.equal("sfl: the input is not UTF-8 (byte 0xC0 at offset 6)\n", err)
    _, err, status = run_mocks('{"StateMachines":{},"MockedResponses":{"\237\160\128":{}}}')
    assert.are.equal(2, status)
    assert.are.equal("sfl: the mock file is not UTF-8 (byte 0xED at offset 40)\n", err)
  end)
end)

-- {============ huge numbers and deep nesting

describe("numbers out of range", function()
  it("1e400 in a definition is an error, not a silent null", function()
    local asl = file("h.asl.json", [[{"StartAt":"A","States":{"A":{"Type":"Wait",
      "Seconds":1e400,"End":true}}}]])
    local out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal(asl .. "#/States/A/Seconds: INVALID_JSON_DESCRIPTION: a number too large "
                     .. "for a double\nsfl: 1 error, 0 warnings\n", out .. err)
    out, err, status = h.sfl_run { "run", asl }
    assert.are.equal(1, status)
    assert.are.equal("sfl: the definition has a number too large for a double (sfl validate "
                     .. "says where)\n", err)
  end)

  it("1e400 in the input or a mock file", function()
    local asl = file("p.asl.json", pass)
    local _, err, status = h.sfl_run { "run", asl, "--input", '{"a":[1,-1e400]}' }
    assert.are.equal(2, status)
    assert.are.equal("sfl: the input has a number too large for a double at '/a/1'\n", err)
    _, err, status = run_mocks([[{"StateMachines":{"M":{"TestCases":{"T":{"A":"R"}}}},
      "MockedResponses":{"R":{"0":{"Return":1e999}}}}]])
    assert.are.equal(2, status)
    assert.are.equal("sfl: the mock file has a number too large for a double at "
                     .. "'/MockedResponses/R/0/Return'\n", err)
  end)

  it("large numbers a double holds come out as JavaScript writes them", function()
    local asl = file("p.asl.json", pass)
    local out, err, status = h.sfl_run { "run", asl, "--input",
      "[1e308,-1e308,123456789012345678901234567890,5e-324]" }
    assert.are.equal(0, status)
    assert.are.equal("", err)
    assert.are.equal("[1e+308,-1e+308,1.2345678901234568e+29,5e-324]\n", out)
  end)

  it("TimeoutSeconds too large for the interpreter (fuzz_run: was a float-to-long overflow)",
     function()
    local asl = file("t.asl.json", [[{"StartAt":"W","TimeoutSeconds":1e99,
      "States":{"W":{"Type":"Wait","Seconds":20,"End":true}}}]])
    local out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal(asl .. "#/TimeoutSeconds: SCHEMA_VALIDATION_FAILED: TimeoutSeconds of state "
                     .. "'(machine)' must be a whole number from 1 to 1e+08\n"
                     .. "sfl: 1 error, 0 warnings\n", out .. err)
    _, err, status = h.sfl_run { "run", asl }
    assert.are.equal(1, status)
    assert.are.equal("sfl: TimeoutSeconds must be at most 2147483647\n", err)
  end)

  it("a SecondsPath naming 1e38 seconds fails the state (fuzz_run: was a float-to-long "
     .. "overflow formatting the time)", function()
    local asl = file("w.asl.json", [[{"StartAt":"W","States":{"W":{"Type":"Wait",
      "SecondsPath":"$.delay","End":true}}}]])
    local out, err, status = h.sfl_run { "run", asl, "--input", '{"delay":1.5e38}' }
    assert.are.equal(3, status)
    assert.are.equal("", err)
    assert.are.same({ Error = "States.Runtime", Cause = "The SecondsPath '$.delay' of state "
                      .. "'W' names 1.5e+38 seconds; at most 2147483647 are allowed" },
                    h.decode(out))
  end)

  it("MaxItemsPerBatchPath naming a huge number batches everything together", function()
    local asl = file("b.asl.json", [[{"StartAt":"M","States":{"M":{"Type":"Map",
      "ItemsPath":"$.l","ItemBatcher":{"MaxItemsPerBatchPath":"$.n"},
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}]])
    local out, err, status = h.sfl_run { "run", asl, "--input", '{"l":[1,2,3],"n":1e300}' }
    assert.are.equal(0, status)
    assert.are.equal("", err)
    assert.are.equal('[{"Items":[1,2,3]}]\n', out)
  end)
end)

describe("deep nesting", function()
  it("JSON nested deeper than 1000 levels is refused", function()
    local asl = file("p.asl.json", pass)
    local deep = string.rep("[", 1500) .. string.rep("]", 1500)
    local _, err, status = h.sfl_run { "run", asl, "--input", deep }
    assert.are.equal(2, status)
    assert.are.equal("sfl: the input is nested deeper than 1000 levels\n", err)
    local d = file("d.asl.json", '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":'
                   .. deep .. ',"End":true}}}')
    local out
    out, err, status = h.sfl_run { "validate", d }
    assert.are.equal(1, status)
    assert.are.equal(d .. ":1:1051: INVALID_JSON_DESCRIPTION: JSON nested deeper than 1000 "
                     .. "levels near line 1, column 1051\nsfl: 1 error, 0 warnings\n", out .. err)
    -- brackets inside strings do not count
    local s = file("s.asl.json", '{"StartAt":"A","Comment":"' .. string.rep("[", 1500) .. '",')
    out, err, status = h.sfl_run { "validate", s }
    assert.are.equal(1, status)
    assert.are.equal(s .. ":1:1528: INVALID_JSON_DESCRIPTION: JSON syntax error near line 1, "
                     .. "column 1528\nsfl: 1 error, 0 warnings\n", out .. err)
  end)

  it("JSON nested 900 levels runs", function()
    local asl = file("p.asl.json", pass)
    local deep = string.rep("[", 900) .. string.rep("]", 900)
    local out, err, status = h.sfl_run { "run", asl, "--input", deep }
    assert.are.equal(0, status)
    assert.are.equal(deep .. "\n", out)
  end)
end)

-- }============

-- {============ hostile apps

local prelude = [[
local cdk = require "sfl"
local sf = require "sfl.aws_stepfunctions"
local testing = require "sfl.testing"
local app = cdk.App()
local stack = cdk.Stack(app, "S")
]]
-- synth(body) -> stdout, stderr, status and the folder; fails_with(body, line, msg).
local checker = h.app_checker(prelude)
local synth, fails_with = checker.synth, checker.fails_with

-- The ASL of machine `id` in the template written to dir/out/S.template.json.
local function definition(dir)
  local t = h.read_json(dir .. "/out/S.template.json")
  for _, r in pairs(t.Resources) do
    if r.Type == "AWS::StepFunctions::StateMachine" then
      return r.Properties.DefinitionString
    end
  end
end

describe("strings that are hard to write", function()
  it("a state named a\"b\\n round-trips through the template, validate and run", function()
    local out, err, status, dir = synth([[
local odd = sf.Pass(stack, 'a"b\n\1', { result = sf.Result.from_object({ ["k\"\n"] = "v\t\"" }) })
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(odd) })
]])
    assert.are.equal(0, status)
    assert.are.equal("", err)
    local text = definition(dir)
    assert.are.equal('{"StartAt":"a\\"b\\n\\u0001","States":{"a\\"b\\n\\u0001":{"Type":"Pass",'
                     .. '"Result":{"k\\"\\n":"v\\t\\""},"End":true}}}', text)
    local asl = h.decode(text)
    assert.are.equal('a"b\n\1', asl.StartAt)
    assert.is_table(asl.States['a"b\n\1'])
    local path = file("odd.asl.json", text)
    -- AWS refuses control characters in state names: validate says so, on one line
    out, err, status = h.sfl_run { "validate", path }
    assert.are.equal(1, status)
    assert.are.equal(path .. '#/States/a"b\\n\\u0001: INVALID_STATE_NAME: state name '
                     .. '"a\\"b\\n\\u0001" contains a control character\nsfl: 1 error, 0 warnings\n',
                     out .. err)
    out, err, status = h.sfl_run { "run", path }
    assert.are.equal(0, status)
    assert.are.same({ ['k"\n'] = 'v\t"' }, h.decode(out))
  end)

  it("validate's file#pointer and messages show control characters escaped, on one line",
     function()
    -- an ESC in a state name would move the terminal's cursor, a newline split the line
    local asl = file("esc.asl.json", [[{"StartAt":"a\n\u001b[2J","States":{
      "a\n\u001b[2J":{"Type":"Pass","Next":"x\u007fy"}}}]])
    local out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal("", out)
    assert.are.equal(
      asl .. "#/States/a\\n\\u001b[2J: INVALID_STATE_NAME: state name \"a\\n\\u001b[2J\" "
      .. "contains a control character\n"
      .. asl .. "#/States/a\\n\\u001b[2J/Next: MISSING_TRANSITION_TARGET: state "
      .. "'a\\n\\u001b[2J' goes to 'x\\u007fy', which is not a state of this machine\n"
      .. asl .. "#/States: MISSING_END_STATE: this machine has no terminal state (Succeed, "
      .. "Fail or \"End\": true), so it can never finish\n"
      .. "sfl: 3 errors, 0 warnings\n", err)
    -- the same in the pointer to a number too large, and in a file's name
    asl = file("t\tab.asl.json", [[{"StartAt":"A","States":{"A":{"Type":"Pass",
      "Result":{"k\r":1e400},"End":true}}}]])
    out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal(asl:gsub("\t", "\\t") .. "#/States/A/Result/k\\r: INVALID_JSON_DESCRIPTION: "
                     .. "a number too large for a double\nsfl: 1 error, 0 warnings\n", err)
  end)

  it("a construct id that is not UTF-8", function()
    fails_with('sf.Pass(stack, "bad\\255\\254name")', 1,
               "construct id: a string is not valid UTF-8 (byte 0xFF at offset 3); templates "
               .. "are UTF-8 JSON")
  end)

  it("a prop, a JSON value or a JSON key that is not UTF-8", function()
    fails_with('sf.Pass(stack, "P", { comment = "\\192\\128" })', 1,
               "Pass 'P': a string is not valid UTF-8 (byte 0xC0 at offset 0); templates are "
               .. "UTF-8 JSON")
    fails_with('sf.Pass(stack, "P", { parameters = { x = { "ok", "\\237\\160\\128" } } })', 1,
               "Pass 'P': a string is not valid UTF-8 (byte 0xED at offset 0); templates are "
               .. "UTF-8 JSON")
    fails_with('sf.Pass(stack, "P", { parameters = { ["\\244\\144\\128\\128"] = 1 } })', 1,
               "Pass 'P': a string is not valid UTF-8 (byte 0xF4 at offset 0); templates are "
               .. "UTF-8 JSON")
  end)

  it("strings with a NUL byte", function()
    fails_with('sf.Pass(stack, "P", { comment = "a\\0b" })', 1,
               "Pass 'P': a string holds a NUL byte (at offset 1), which a template cannot carry")
    fails_with('sf.Pass(stack, "P", { parameters = { ["k\\0ey"] = 1 } })', 1,
               "Pass 'P': a string holds a NUL byte (at offset 1), which a template cannot carry")
  end)

  it("UTF-8 of every length is written as it is", function()
    local _, err, status, dir = synth([[
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(
  sf.Pass(stack, "é€𝄞", { comment = "\u{7FF}\u{FFFF}\u{10FFFF}" })) })
]])
    assert.are.equal("", err)
    assert.are.equal(0, status)
    local asl = h.decode(definition(dir))
    assert.are.equal("\u{7FF}\u{FFFF}\u{10FFFF}", asl.States["é€𝄞"].Comment)
  end)
end)

describe("hostile Lua values", function()
  it("a cyclic table as props or inside them", function()
    fails_with('local t = {} t.self = t\nsf.Pass(stack, "P", { parameters = t })', 2,
               "Pass 'P': tables nested more than 200 deep (is a table inside itself?)")
    fails_with('local t = { x = 1 } t.result_path = t\nsf.Pass(stack, "P", t)', 2,
               "Pass 'P': unknown prop 'x' (known props: comment, state_name, query_language, "
               .. "assign, input_path, output_path, outputs, parameters, result, result_path)")
  end)

  it("a props table whose __index raises: the app's own error, at its line", function()
    fails_with([[
local props = setmetatable({}, { __index = function() error("index trap") end })
sf.Pass(stack, "P", props)]], 1, "index trap")
  end)

  it("__pairs and __gc are not called: props are read raw", function()
    local _, err, status, dir = synth([[
local params = setmetatable({ a = 1 }, {
  __pairs = function() error("pairs trap") end,
  __gc = function() error("gc trap") end,
})
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(
  sf.Pass(stack, "P", { parameters = params })) })
params = nil
collectgarbage()
]])
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.same({ a = 1 }, h.decode(definition(dir)).States.P.Parameters)
  end)

  it("NaN and infinity are not JSON numbers", function()
    fails_with('sf.Pass(stack, "P", { parameters = { x = 0/0 } })', 1,
               "Pass 'P': -nan is not a JSON number")
    fails_with('sf.Pass(stack, "P", { result = sf.Result.from_object({ x = math.huge }) })', 1,
               "Result: inf is not a JSON number")
  end)
end)

describe("errors raised inside sfl.testing mocks", function()
  local machine = [[
local task = sf.CustomState(stack, "C", { state_json = { Type = "Task",
  Resource = "arn:aws:states:::lambda:invoke" } })
local sm = sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(task) })
]]

  it("a plain error is raised from testing.run at the app's line", function()
    fails_with(machine .. 'testing.run(sm, {}, { mocks = { C = function() error("boom") end } })',
               4, "boom")
  end)

  it("an error table without a string Error is raised as it is", function()
    fails_with(machine .. [[
local ok, e = pcall(testing.run, sm, {}, { mocks = { C = function() error({ Error = 42 }) end } })
assert(not ok and e.Error == 42)
ok, e = pcall(testing.run, sm, {}, { mocks = { C = function()
  error(setmetatable({}, { __tostring = function() return "custom" end })) end } })
error(tostring(e))]], 8, "custom")
  end)

  it("error() with no message", function()
    fails_with(machine .. 'testing.run(sm, {}, { mocks = { C = function() error() end } })', 4,
               "testing.run: a mock raised nil (error() with no message)")
  end)

  it("error({ Error = ..., Cause = ... }) fails the task; a cyclic result is an error", function()
    local out, err, status = synth(machine .. [[
local r = testing.run(sm, {}, { mocks = { C = function() error({ Error = "E", Cause = "c" }) end } })
print(r.succeeded, r.error, r.cause)
local ok, e = pcall(testing.run, sm, {}, { mocks = { C = function() local t = {} t.t = t return t end } })
print(ok, e)
]])
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal("false\tE\tc\nfalse\tapp.lua:11: C: tables nested more than 200 deep "
                     .. "(is a table inside itself?)\n", out:match("^false.-\n.-\n"))
  end)
end)

describe("synth", function()
  it("app:synth() twice gives one template", function()
    local _, err, status, dir = synth([[
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })
app:synth()
app:synth()
]])
    assert.are.equal("", err)
    assert.are.equal(0, status)
    assert.are.equal('{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', definition(dir))
  end)

  it("stacks built after app:synth() are written too (sfl synth writes every stack)", function()
    local _, err, status, dir = synth([[
app:synth()
local late = cdk.Stack(app, "Late")
sf.StateMachine(late, "M", { definition_body = sf.DefinitionBody.from_chainable(sf.Pass(late, "P")) })
app:synth()
]])
    assert.are.equal("Successfully synthesized to " .. dir .. "/out\nSupply a stack id (S, Late) "
                     .. "to display its template.\n", err)
    assert.are.equal(0, status)
    local late = h.read_json(dir .. "/out/Late.template.json")
    assert.is_table(late.Resources)
    assert.is_table(h.read_json(dir .. "/out/S.template.json"))
  end)
end)

-- }============

-- {============ inputs the fuzzers found

describe("JSONPath slices", function()
  it("a slice bound past a long is refused by validate and run (fuzz_jpath: was a hang)",
     function()
    local asl = file("s.asl.json", [[{"StartAt":"A","States":{"A":{"Type":"Pass",
      "InputPath":"$.a[0:70000000077770000002]","End":true}}}]])
    local out, err, status = h.sfl_run { "validate", asl }
    assert.are.equal(1, status)
    assert.are.equal(asl .. "#/States/A/InputPath: SCHEMA_VALIDATION_FAILED: InputPath of state "
                     .. "'A': '$.a[0:70000000077770000002]' is not a valid path: bad [...] after "
                     .. "'$.a'\nsfl: 1 error, 0 warnings\n", out .. err)
    out, err, status = h.sfl_run { "run", asl, "--input", '{"a":[1,3,4]}' }
    assert.are.equal(1, status)
    assert.are.equal("sfl: state 'A' (Pass): InputPath '$.a[0:70000000077770000002]' is not a "
                     .. "valid path: a number out of range (at most 2147483647 either way) at "
                     .. "character 7\n", err)
  end)

  it("slices with bounds far outside the array select what is inside, at once", function()
    local asl = file("s.asl.json", [[{"StartAt":"A","States":{"A":{"Type":"Pass",
      "Parameters":{"up.$":"$.a[0:2000000000]","down.$":"$.a[2000000000:-2000000000:-1]",
      "step.$":"$.a[-2000000000:2000000000:2000000000]"},"End":true}}}]])
    local out, err, status = h.sfl_run { "run", asl, "--input", '{"a":[1,3,4]}' }
    assert.are.equal(0, status)
    assert.are.equal("", err)
    assert.are.same({ up = { 1, 3, 4 }, down = { 4, 3, 1 }, step = { 1 } }, h.decode(out))
  end)
end)

-- }============

describe("construct types kept by the model", function()
  it("a task definition's type survives the garbage collector (fuzz_props: use after free)",
     function()
    local _, err, status, dir = synth([[
local ecs = require "sfl.aws_ecs"
ecs.FargateTaskDefinition(stack, "Td")
ecs.Ec2TaskDefinition(stack, "Ec2")
for i = 1, 20000 do local _ = ("garbage %d"):format(i) end
collectgarbage()
collectgarbage()
]])
    assert.are.equal(0, status, err)
    local tree = h.read_file(dir .. "/out/tree.json")
    assert.matches('"fqn":"aws-cdk-lib.aws_ecs.FargateTaskDefinition"', tree, 1, true)
    assert.matches('"fqn":"aws-cdk-lib.aws_ecs.Ec2TaskDefinition"', tree, 1, true)
  end)
end)

describe("files read whole", function()
  it("a mock file of exactly 65536 bytes (valgrind: read past the end of the buffer)", function()
    local text = [[{"StateMachines":{"M":{"TestCases":{"T":{"A":"R"}}}},
      "MockedResponses":{"R":{"0":{"Return":"ok"}}}}]]
    for _, size in ipairs { 65536, 131072 } do
      local out, err, status = run_mocks(text .. string.rep(" ", size - #text))
      assert.are.equal("", err)
      assert.are.equal(0, status)
      assert.are.equal('"ok"\n', out)
    end
  end)
end)

-- {============ the output folder is replaced whole

describe("atomic output", function()
  local app_text = [[
local cdk = require "sfl"
local sf = require "sfl.aws_stepfunctions"
local stack = cdk.Stack(cdk.App(), "S")
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "%s")) })
%s
]]
  local function write(dir, state, extra)
    local f = assert(io.open(dir .. "/app.lua", "wb"))
    f:write(app_text:format(state, extra or ""))
    f:close()
    return h.sfl_run({ "synth", "app.lua" }, dir)
  end
  local function listing(dir)
    local out = h.run("ls -a " .. h.quote(dir))
    return out
  end
  local function inode(path)
    return (h.run("stat -c %i " .. h.quote(path)))
  end

  it("a failed synth leaves the previous sfl.out/ as it was, and no staging folder", function()
    local dir = h.tmpdir()
    local _, err, status = write(dir, "One")
    assert.are.equal(0, status, err)
    local before = h.read_file(dir .. "/sfl.out/S.template.json")
    assert.matches('\\"One\\"', before, 1, true)
    local files = listing(dir .. "/sfl.out")

    -- an error in the app: nothing is written
    _, err, status = write(dir, "Two", "error('half-way')")
    assert.are.equal(1, status)
    assert.are.equal("app.lua:5: half-way\n", err)
    assert.are.equal(before, h.read_file(dir .. "/sfl.out/S.template.json"))

    -- a file that cannot be written after the template was: the old folder stays whole
    assert(os.remove(dir .. "/sfl.out/S.assets.json"))
    assert(os.execute("mkdir -p " .. h.quote(dir .. "/sfl.out/S.assets.json/x")))
    _, err, status = write(dir, "Two")
    assert.are.equal(1, status)
    assert.are.equal("cannot write 'sfl.out/S.assets.json': Is a directory\n", err)
    assert.are.equal(before, h.read_file(dir .. "/sfl.out/S.template.json"))
    assert.are.equal(files, listing(dir .. "/sfl.out"))
    assert.are.equal(". .. app.lua sfl.out", (listing(dir):gsub("%s+", " "):gsub(" $", "")))

    -- once it can be written, the new folder replaces the old one
    assert(os.execute("rm -r " .. h.quote(dir .. "/sfl.out/S.assets.json")))
    _, err, status = write(dir, "Two")
    assert.are.equal(0, status, err)
    assert.matches('\\"Two\\"', h.read_file(dir .. "/sfl.out/S.template.json"), 1, true)
    assert.are.equal(files, listing(dir .. "/sfl.out"))
    assert.are.equal(". .. app.lua sfl.out", (listing(dir):gsub("%s+", " "):gsub(" $", "")))
  end)

  it("files that come out the same are kept (same inode), others are replaced", function()
    local dir = h.tmpdir()
    write(dir, "One")
    local t1, m1 = inode(dir .. "/sfl.out/S.template.json"), inode(dir .. "/sfl.out/manifest.json")
    local _, err, status = write(dir, "One")
    assert.are.equal(0, status, err)
    assert.are.equal(t1, inode(dir .. "/sfl.out/S.template.json"))
    assert.are.equal(m1, inode(dir .. "/sfl.out/manifest.json"))
    write(dir, "Two")
    assert.are_not.equal(t1, inode(dir .. "/sfl.out/S.template.json"))
  end)

  it("an output path that is a file is refused", function()
    local dir = h.tmpdir()
    local f = assert(io.open(dir .. "/sfl.out", "w"))
    f:write("mine")
    f:close()
    local _, err, status = write(dir, "One")
    assert.are.equal(1, status)
    assert.are.equal("cannot create directory 'sfl.out': Not a directory\n", err)
    assert.are.equal("mine", h.read_file(dir .. "/sfl.out"))
  end)
end)

-- }============
