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
