-- Every state machine the golden apps synthesize also passes an independent checker: the
-- npm package asl-validator (test-only; installed into the build folder on first use).
local h = require "helpers"

local VERSION = "4.0.0"

local function validator()
  local prefix = h.build .. "/npm"
  local bin = prefix .. "/node_modules/asl-validator/dist/bin/asl-validator.js"
  if not io.open(bin) then
    local _, err, status = h.run(("npm install --silent --no-audit --no-fund --prefix %s "
                                  .. "asl-validator@%s"):format(h.quote(prefix), VERSION))
    assert(status == 0, "npm install asl-validator failed: " .. err)
  end
  return bin
end

-- The definition as plain text, CloudFormation references replaced by plausible values
-- (asl-validator checks that Resource values look like ARNs).
local function definition_text(def)
  if type(def) == "string" then return def end
  local parts = {}
  for i, p in ipairs(def["Fn::Join"][2]) do
    if type(p) == "string" then
      parts[i] = p
    elseif p.Ref == "AWS::Partition" then
      parts[i] = "aws"
    elseif p.Ref == "AWS::Region" then
      parts[i] = "us-east-1"
    elseif p.Ref == "AWS::AccountId" then
      parts[i] = "123456789012"
    elseif p.Ref then
      -- A Ref in a definition is an ARN (an activity's Resource, a machine's ARN).
      parts[i] = "arn:aws:states:us-east-1:123456789012:activity:" .. p.Ref
    elseif p["Fn::GetAtt"] then
      parts[i] = "arn:aws:lambda:us-east-1:123456789012:function:" .. p["Fn::GetAtt"][1]
    else
      -- Any other intrinsic (Fn.select of Fn.get_azs...) stands for a plain string.
      parts[i] = "value"
    end
  end
  return table.concat(parts)
end

describe("asl-validator", function()
  it("accepts every definition of every golden app", function()
    local bin = validator()
    local out = h.tmpdir()
    local files = {}
    local p = assert(io.popen("ls " .. h.quote(h.root .. "/spec/fixtures")))
    for name in p:lines() do
      local app = h.root .. "/examples/" .. name .. ".lua"
      if not io.open(app) then app = h.root .. "/spec/fixtures/" .. name .. "/app.lua" end
      if io.open(app) then
        local dir = out .. "/" .. name
        local _, err, status = h.sfl_run { "synth", app, "-o", dir, "-q" }
        assert.are.equal(0, status, err)
        local lp = assert(io.popen("ls " .. h.quote(dir) .. "/*.template.json"))
        for template in lp:lines() do
          for id, r in pairs(h.read_json(template).Resources) do
            if r.Type == "AWS::StepFunctions::StateMachine" then
              local file = ("%s/%s-%s.asl.json"):format(out, name, id)
              -- A machine made from a file has it staged beside the template.
              local s3 = r.Properties.DefinitionS3Location
              local text = s3 and h.read_file(dir .. "/asset." .. s3.Key)
                or definition_text(r.Properties.DefinitionString)
              local f = assert(io.open(file, "w"))
              f:write(text)
              f:close()
              files[#files + 1] = file
            end
          end
        end
        lp:close()
      end
    end
    p:close()
    assert.is_true(#files >= 16)
    local args = {}
    for i, f in ipairs(files) do args[i] = "--json-path " .. h.quote(f) end
    local stdout, stderr, status = h.run("node " .. h.quote(bin) .. " " .. table.concat(args, " "))
    assert.are.equal(0, status, stdout .. stderr)
    local valid = select(2, stdout:gsub("is valid", ""))
    assert.are.equal(#files, valid)
  end)
end)
