-- sfl validate: each check has a broken input and the exact message; valid inputs print
-- nothing and exit 0.
local h = require "helpers"

local prelude = [[
local cdk = require "sfl"
local sf  = require "sfl.aws_stepfunctions"
local app = cdk.App()
local stack = cdk.Stack(app, "S")
local function machine(start)
  return sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(start) })
end
]]
local PRELUDE_LINES = 7

local function validate_app(body)
  local _, dir = h.write_app(prelude .. body)
  local out, err, status = h.sfl_run({ "validate", "app.lua" }, dir)
  assert.are.equal("", out)
  return err, status
end

local function validate_asl(text)
  local _, dir = h.write_app(text, "flow.asl.json")
  local out, err, status = h.sfl_run({ "validate", "flow.asl.json" }, dir)
  assert.are.equal("", out)
  return err, status
end

-- "app.lua:N: CODE: message" lines for body lines N, then the count line.
local function app_report(lines, errors, warnings)
  local out = {}
  for _, l in ipairs(lines) do
    out[#out + 1] = ("app.lua:%d: %s\n"):format(PRELUDE_LINES + l[1], l[2])
  end
  out[#out + 1] = ("sfl: %d error%s, %d warning%s\n"):format(errors, errors == 1 and "" or "s",
                                                             warnings, warnings == 1 and "" or "s")
  return table.concat(out)
end

-- Golden apps whose CDK output validate rightly warns about: d06 copies CDK's
-- DynamoAttributeValue.boolean_from_json_path / list_from_json_path, which write the path
-- under a plain key, so DynamoDB gets the text '$.flag' (the warning is the point).
local expected_output = {
  d06_attribute_values = table.concat {
    "spec/fixtures/d06_attribute_values/app.lua:14: warning NO_DOLLAR: field 'BOOL' of state ",
    "'Put everything' looks like a path but its name does not end in '.$': it is passed as ",
    "the literal text '$.flag'\n",
    "spec/fixtures/d06_attribute_values/app.lua:14: warning NO_DOLLAR: field 'L' of state ",
    "'Put everything' looks like a path but its name does not end in '.$': it is passed as ",
    "the literal text '$.list'\n",
    "sfl: 0 errors, 2 warnings\n" },
  -- t07b turns off useNewS3UriParametersForBedrockInvokeModelTask: CDK then writes the
  -- state's input_path/output_path as the model's literal S3Uri.
  t07b_task_flags_off = table.concat {
    "spec/fixtures/t07b_task_flags_off/app.lua:32: warning NO_DOLLAR: field 'S3Uri' of state ",
    "'Batch' looks like a path but its name does not end in '.$': it is passed as the literal ",
    "text '$.in'\n",
    "spec/fixtures/t07b_task_flags_off/app.lua:32: warning NO_DOLLAR: field 'S3Uri' of state ",
    "'Batch' looks like a path but its name does not end in '.$': it is passed as the literal ",
    "text '$.out'\n",
    "sfl: 0 errors, 2 warnings\n" },
}

describe("sfl validate", function()
  it("prints nothing for any golden app (but the warnings CDK's output deserves)", function()
    local p = assert(io.popen("ls " .. h.quote(h.root .. "/spec/fixtures")))
    local checked = 0
    for name in p:lines() do
      local app = h.root .. "/examples/" .. name .. ".lua"
      if not io.open(app) then app = h.root .. "/spec/fixtures/" .. name .. "/app.lua" end
      if io.open(app) then
        local out, err, status = h.sfl_run({ "validate", app:sub(#h.root + 2) }, h.root)
        assert.are.equal(expected_output[name] or "", out .. err, name)
        assert.are.equal(0, status, name)
        checked = checked + 1
      end
    end
    p:close()
    assert.is_true(checked >= 16)
  end)

  it("prints nothing for CDK's own ASL of the seed workflows", function()
    local dir = h.root .. "/spec/fixtures"
    for _, case in ipairs { "seed01_chain", "seed04_parallel_catch", "seed06_emr_args" } do
      local t = h.read_json(dir .. "/" .. case .. "/expected.template.json")
      -- rebuild the definition text with placeholders, as an .asl.json file would have it
      local parts = {}
      for _, r in pairs(t.Resources) do
        if r.Type == "AWS::StepFunctions::StateMachine" then
          for i, p in ipairs(r.Properties.DefinitionString["Fn::Join"][2]) do
            parts[i] = type(p) == "string" and p or "PLACEHOLDER"
          end
        end
      end
      local err, status = validate_asl(table.concat(parts))
      assert.are.equal("", err)
      assert.are.equal(0, status)
    end
  end)

  it("finds a state that can never run", function()
    local err, status = validate_app([[
local a, b = sf.Pass(stack, "A"), sf.Pass(stack, "B")
local orphan = sf.Pass(stack, "Orphan")
a:next(b)
orphan:next(b)
machine(a)]])
    assert.are.equal(app_report({ { 2, "SCHEMA_VALIDATION_FAILED: state 'Orphan' can never "
      .. "run: no transition from StartAt leads to it" } }, 1, 0), err)
    assert.are.equal(1, status)
  end)

  it("finds a Choice without rules", function()
    local err, status = validate_app([[
local c = sf.Choice(stack, "Pick")
c:otherwise(sf.Succeed(stack, "Done"))
machine(c)]])
    assert.are.equal(app_report({ { 1, "SCHEMA_VALIDATION_FAILED: Choice state 'Pick' has no "
      .. "rules; add one with :when(condition, next)" } }, 1, 0), err)
    assert.are.equal(1, status)
  end)

  it("finds state names over 80 characters", function()
    local err = validate_app(('machine(sf.Pass(stack, "%s"))'):format(("x"):rep(81)))
    assert.are.equal(app_report({ { 1, "INVALID_STATE_NAME: state name '" .. ("x"):rep(81)
      .. "' is 81 characters long; Step Functions allows at most 80" } }, 1, 0), err)
  end)

  it("finds a loop that can never end", function()
    local err, status = validate_app([[
local work = sf.Pass(stack, "Work")
local again = sf.Choice(stack, "Again?")
again:when(sf.Condition.is_present("$.x"), work):otherwise(work)
work:next(again)
machine(work)]])
    assert.are.equal(app_report({ { -1, "MISSING_END_STATE: this machine has no terminal state "
      .. "(Succeed, Fail or \"End\": true), so it can never finish" } }, 1, 0), err)
    assert.are.equal(1, status)
  end)

  it("finds part of a machine that loops for ever", function()
    local err = validate_app([[
local spin = sf.Pass(stack, "Spin")
local check = sf.Choice(stack, "Check")
check:when(sf.Condition.is_present("$.x"), spin):otherwise(sf.Succeed(stack, "Done"))
spin:next(sf.Pass(stack, "Spin 2")):next(spin)
machine(check)]])
    assert.are.equal(app_report({
      { 1, "MISSING_END_STATE: state 'Spin' can never reach an end state: every way out of "
           .. "it loops back" },
      { 4, "MISSING_END_STATE: state 'Spin 2' can never reach an end state: every way out of "
           .. "it loops back" } }, 2, 0), err)
  end)

  it("finds Retry fields out of range", function()
    local err = validate_app([[
local p = sf.Parallel(stack, "Par"):branch(sf.Pass(stack, "P"))
p:add_retry({ max_attempts = -1, backoff_rate = 0.5 })
machine(p)]])
    assert.are.equal(app_report({
      { 1, "SCHEMA_VALIDATION_FAILED: MaxAttempts of state 'Par' must be a whole number from "
           .. "0 to 1e+08" },
      { 1, "SCHEMA_VALIDATION_FAILED: BackoffRate of state 'Par' must be a number from 1 to "
           .. "1e+09" } }, 2, 0), err)
  end)

  it("finds malformed paths", function()
    local err = validate_app([[
machine(sf.Pass(stack, "P", { result_path = "$.items[*]", input_path = "$.a[" }))]])
    assert.are.equal(app_report({
      { 1, "SCHEMA_VALIDATION_FAILED: InputPath of state 'P': '$.a[' is not a valid path: bad "
           .. "[...] after '$.a'" },
      { 1, "SCHEMA_VALIDATION_FAILED: ResultPath of state 'P': '$.items[*]' is not a "
           .. "reference path: it may only name one node (no wildcards, filters, slices or deep "
           .. "scans)" } }, 2, 0), err)
  end)

  it("finds intrinsic functions with the wrong arguments, and .$ fields that are not paths",
     function()
    local err = validate_app([[
machine(sf.Pass(stack, "P", { parameters = {
  ["len.$"] = "States.ArrayLength($.a, 1)",
  ["name.$"] = "hello",
  ["x.$"] = "States.Frobnicate($.a)" } }))]])
    assert.are.equal(app_report({
      { 1, "SCHEMA_VALIDATION_FAILED: field 'len.$' of state 'P': 'States.ArrayLength($.a, 1)': "
           .. "States.ArrayLength takes 1 argument, got 2" },
      { 1, "SCHEMA_VALIDATION_FAILED: field 'name.$' of state 'P': 'hello' is not a path: paths "
           .. "start with '$'" },
      { 1, "SCHEMA_VALIDATION_FAILED: field 'x.$' of state 'P': 'States.Frobnicate($.a)': "
           .. "States.Frobnicate is not an intrinsic function" } }, 3, 0), err)
  end)

  it("finds intrinsic arguments of the wrong kind", function()
    local err = validate_app([[
machine(sf.Pass(stack, "P", { parameters = {
  ["a.$"] = "States.MathAdd($.n, 1.5)",
  ["b.$"] = "States.Hash($.data, 'SHA-3')",
  ["c.$"] = "States.JsonMerge($.x, $.y, true)" } }))]])
    assert.are.equal(app_report({
      { 1, "SCHEMA_VALIDATION_FAILED: field 'a.$' of state 'P': 'States.MathAdd($.n, 1.5)': "
           .. "argument 2 of States.MathAdd must be an integer, got 1.5" },
      { 1, "SCHEMA_VALIDATION_FAILED: field 'b.$' of state 'P': 'States.Hash($.data, 'SHA-3')': "
           .. "argument 2 of States.Hash must be one of 'MD5', 'SHA-1', 'SHA-256', 'SHA-384', "
           .. "'SHA-512', got 'SHA-3'" },
      { 1, "SCHEMA_VALIDATION_FAILED: field 'c.$' of state 'P': 'States.JsonMerge($.x, $.y, "
           .. "true)': argument 3 of States.JsonMerge must be false (deep merging is not "
           .. "supported), got true" } }, 3, 0), err)
  end)

  it("finds JSONata syntax in a JSONPath state, and paths missing their .$", function()
    local err, status = validate_app([[
machine(sf.Pass(stack, "P", { parameters = { input = "{% $states.input %}", id = "$.id" } }))]])
    assert.are.equal(app_report({
      { 1, "warning NO_DOLLAR: field 'id' of state 'P' looks like a path but its name does not "
           .. "end in '.$': it is passed as the literal text '$.id'" },
      { 1, "SCHEMA_VALIDATION_FAILED: field 'input' of state 'P' holds a JSONata expression, "
           .. "but the state uses JSONPath; set query_language to JSONata or write a path" } },
      1, 1), err)
    assert.are.equal(1, status)
  end)

  it("warns about a path in a Pass state's static result, and exits 0 on warnings", function()
    local err, status = validate_app([[
machine(sf.Pass(stack, "P", { result = sf.Result.from_object({ ["x.$"] = "$.a" }) }))]])
    assert.are.equal(app_report({ { 1, "warning PASS_RESULT_IS_STATIC: Result of Pass state 'P' "
      .. "is static: 'x.$' is not evaluated as a path" } }, 0, 1), err)
    assert.are.equal(0, status)
  end)

  it("finds a definition over the 1 MB limit", function()
    local err, status = validate_app([[
machine(sf.Pass(stack, "Big", { result = sf.Result.from_string(("x"):rep(1100000)) }))]])
    assert.matches("^app.lua:6: SCHEMA_VALIDATION_FAILED: the definition is 11%d%d%d%d%d bytes; "
                   .. "Step Functions accepts at most 1048576\n", err)
    assert.are.equal(1, status)
  end)

  describe("on ASL files", function()
    it("finds transitions to missing states, by JSON pointer", function()
      local err, status = validate_asl(
        '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},'
        .. '"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"D"}],'
        .. '"Default":"A"}}}')
      assert.are.equal(
        "flow.asl.json#/States/A/Next: MISSING_TRANSITION_TARGET: state 'A' goes to 'B', which "
        .. "is not a state of this machine\n"
        .. "flow.asl.json#/States/C/Choices/0/Next: MISSING_TRANSITION_TARGET: state 'C' goes to "
        .. "'D', which is not a state of this machine\n"
        .. "flow.asl.json#/States/C: SCHEMA_VALIDATION_FAILED: state 'C' can never run: no "
        .. "transition from StartAt leads to it\n"
        .. "flow.asl.json#/States: MISSING_END_STATE: this machine has no terminal state "
        .. "(Succeed, Fail or \"End\": true), so it can never finish\n"
        .. "sfl: 4 errors, 0 warnings\n", err)
      assert.are.equal(1, status)
    end)

    it("finds a StartAt that names no state and a state without Next or End", function()
      local err = validate_asl('{"StartAt":"Nope","States":{"T":{"Type":"Task",'
                               .. '"Resource":"arn:aws:states:::lambda:invoke"}}}')
      assert.are.equal(
        "flow.asl.json#/States/T: SCHEMA_VALIDATION_FAILED: Task state 'T' must have exactly one "
        .. "of Next and \"End\": true\n"
        .. "flow.asl.json#/StartAt: MISSING_TRANSITION_TARGET: StartAt names 'Nope', which is "
        .. "not a state of this machine\n"
        .. "sfl: 2 errors, 0 warnings\n", err)
    end)

    it("finds the same state name in two branches", function()
      local err = validate_asl('{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,'
        .. '"Branches":[{"StartAt":"X","States":{"X":{"Type":"Succeed"}}},'
        .. '{"StartAt":"X","States":{"X":{"Type":"Succeed"}}}]}}}')
      assert.are.equal(
        "flow.asl.json#/States/P/Branches/1/States/X: DUPLICATE_STATE_NAME: state name 'X' is "
        .. "also used at /States/P/Branches/0/States/X; state names must be unique in a machine\n"
        .. "sfl: 1 error, 0 warnings\n", err)
    end)

    it("finds JSONPath fields in a JSONata state", function()
      local err = validate_asl('{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":'
        .. '{"Type":"Pass","InputPath":"$.a","End":true}}}')
      assert.are.equal(
        "flow.asl.json#/States/P/InputPath: SCHEMA_VALIDATION_FAILED: InputPath is a JSONPath "
        .. "field, but state 'P' uses JSONata; use Arguments, Output or Assign with {% %} "
        .. "expressions\n"
        .. "sfl: 1 error, 0 warnings\n", err)
    end)

    it("reports a JSON syntax error with its line and column", function()
      local err, status = validate_asl('{\n  "StartAt": "A",\n  "States": {,}\n}')
      -- cJSON stops just past the stray ',' (column 14)
      assert.are.equal("flow.asl.json:3:15: INVALID_JSON_DESCRIPTION: JSON syntax error near "
                       .. "line 3, column 15\nsfl: 1 error, 0 warnings\n", err)
      assert.are.equal(1, status)
    end)

    it("exits 2 for a file it cannot read", function()
      local dir = h.tmpdir()
      local _, err, status = h.sfl_run({ "validate", "missing.asl.json" }, dir)
      assert.are.equal(2, status)
      assert.are.equal("sfl: cannot read missing.asl.json\nTry 'sfl validate --help'.\n", err)
    end)
  end)
end)
