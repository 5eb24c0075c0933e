-- seeds.lua: writes the seed corpora fuzz/corpus/<target>/ from the specs' own test data
-- (spec/run/*.json cases, spec/graph/*.asl.json, spec/fixtures/mocks). Run from the top of
-- the checkout: lua5.4 fuzz/seeds.lua  (needs dkjson, as the specs do).
local json = require "dkjson"

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local counts = {}
local seen = {}
local function write(target, bytes)
  local key = target .. "\0" .. bytes
  if seen[key] then return end
  seen[key] = true
  counts[target] = (counts[target] or 0) + 1
  local f = assert(io.open(("fuzz/corpus/%s/seed%03d"):format(target, counts[target]), "wb"))
  f:write(bytes)
  f:close()
end

local function files(pattern)
  local p = assert(io.popen("ls " .. pattern))
  local list = {}
  for line in p:lines() do list[#list + 1] = line end
  p:close()
  return list
end

-- Every string of an ASL document that is a path or an intrinsic call.
local function dollar_strings(node, out)
  if type(node) ~= "table" then return end
  for k, v in pairs(node) do
    if type(v) == "string" and type(k) == "string"
       and (k:match("%.%$$") or k:match("Path$") or k == "Variable") then
      out[#out + 1] = v
    end
    dollar_strings(v, out)
  end
end

local docs = {}
for _, path in ipairs(files("spec/run/*.json")) do
  for _, case in ipairs(json.decode(read(path))) do
    if case.asl then docs[#docs + 1] = {asl = case.asl, input = case.input} end
  end
end
for _, path in ipairs(files("spec/graph/*.asl.json")) do
  docs[#docs + 1] = {asl = json.decode(read(path))}
end

for _, d in ipairs(docs) do
  local text = json.encode(d.asl)
  local input = d.input ~= nil and json.encode(d.input) or nil
  write("validate", text)
  write("run", input and (text .. "\0" .. input) or text)
  local strs = {}
  dollar_strings(d.asl, strs)
  table.sort(strs)
  for _, s in ipairs(strs) do
    local target = s:match("^States%.") and "intrinsic" or "jpath"
    write(target, input and (s .. "\0" .. input) or s)
  end
end

for _, path in ipairs(files("spec/fixtures/mocks/*.json")) do
  write("mockfile", read(path))
end

-- Mock files for the fuzz target's own machine (M, test case T, states A and B).
local mocks = {
  [[{"StateMachines":{"M":{"TestCases":{"T":{"A":"Busy","B":"Ok"}}}},
"MockedResponses":{"Busy":{"0-1":{"Throw":{"Error":"Busy","Cause":"try again"}},"2":{"Return":1}},
"Ok":{"0":{"Return":{"Payload":"ok"}}}}}]],
  [[{"StateMachines":{"Other":{"TestCases":{"X":{"B":"Fail"}}},"Alias":{"TestCases":{"T":{"B":"Fail"}}}},
"MockedResponses":{"Fail":{"0":{"Throw":{"Error":"States.TaskFailed"}}}}}]],
  [[{"StateMachines":{"M":{"TestCases":{"T":{"A":"R"}}}},"MockedResponses":{"R":{"0":{"Return":null},"1-3":{"Return":[1,2]}}}}]],
}
for _, m in ipairs(mocks) do write("mockfile", m) end

-- The props driver reads bytes as choices: a spread of short byte strings.
for i = 1, 24 do
  local b = {}
  for j = 1, 16 + i * 4 do b[j] = string.char((i * 37 + j * j * 11) % 256) end
  write("props", table.concat(b))
end

for target, n in pairs(counts) do print(target, n) end
