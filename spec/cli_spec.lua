-- The command line: help, version, ls, stack selection and usage errors.
local h = require "helpers"

local two_stacks = [[
local cdk = require "sfl"
local sf  = require "sfl.aws_stepfunctions"
local app = cdk.App()
for _, name in ipairs { "dev-a", "prod-b" } do
  local stack = cdk.Stack(app, name)
  sf.StateMachine(stack, "Flow", {
    definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "Start")) })
end
]]

describe("sfl", function()
  it("prints its version", function()
    local out, err, status = h.sfl_run { "version" }
    assert.are.equal(0, status)
    assert.matches("^sfl %d+%.%d+%.%d+\n$", out)
    assert.are.equal("", err)
  end)

  it("lists its commands in help", function()
    local out, _, status = h.sfl_run { "help" }
    assert.are.equal(0, status)
    for _, cmd in ipairs { "synth", "ls", "validate", "graph", "run", "version", "help" } do
      assert.matches("\n  " .. cmd .. " ", out)
    end
  end)

  for _, cmd in ipairs { "synth", "ls", "validate", "graph", "run", "version", "help" } do
    it("has --help on " .. cmd, function()
      local out, _, status = h.sfl_run { cmd, "--help" }
      assert.are.equal(0, status)
      assert.matches(cmd == "help" and "^usage: sfl COMMAND" or ("^usage: sfl " .. cmd), out)
      local out2 = h.sfl_run { "help", cmd }
      if cmd ~= "help" then assert.are.equal(out, out2) end
    end)
  end

  it("exits 2 on an unknown command", function()
    local _, err, status = h.sfl_run { "frobnicate" }
    assert.are.equal(2, status)
    assert.are.equal("sfl: no command 'frobnicate'\nTry 'sfl help'.\n", err)
  end)

  it("exits 2 on an unknown option", function()
    local _, err, status = h.sfl_run { "synth", "--frob" }
    assert.are.equal(2, status)
    assert.are.equal("sfl: unknown option '--frob'\nTry 'sfl synth --help'.\n", err)
  end)

  it("exits 2 without an app", function()
    local _, err, status = h.sfl_run { "synth" }
    assert.are.equal(2, status)
    assert.matches("^sfl: which app%?", err)
  end)

  it("exits 2 when the app file does not exist", function()
    local dir = h.tmpdir()
    local _, err, status = h.sfl_run({ "synth", "missing.lua" }, dir)
    assert.are.equal(2, status)
    assert.matches("^sfl: cannot open missing.lua", err)
  end)

  describe("with two stacks", function()
    local app, dir
    setup(function() app, dir = h.write_app(two_stacks) end)

    it("ls lists stacks and their state machines", function()
      local out, err, status = h.sfl_run({ "ls", "app.lua" }, dir)
      assert.are.equal(0, status)
      assert.are.equal("dev-a\n  dev-a/Flow\nprod-b\n  prod-b/Flow\n", out)
      assert.are.equal("", err)
    end)

    it("synth writes every stack and says how to see one", function()
      local out, err, status = h.sfl_run({ "synth", "app.lua" }, dir)
      assert.are.equal(0, status)
      assert.are.equal("", out)
      assert.are.equal("Successfully synthesized to sfl.out\nSupply a stack id (dev-a, prod-b) "
                       .. "to display its template.\n", err)
      assert.truthy(io.open(dir .. "/sfl.out/dev-a.template.json"))
      assert.truthy(io.open(dir .. "/sfl.out/prod-b.template.json"))
    end)

    it("synth STACK prints that template", function()
      local out, _, status = h.sfl_run({ "synth", "app.lua", "prod-b", "-o", "o2" }, dir)
      assert.are.equal(0, status)
      assert.are.equal(h.read_file(dir .. "/o2/prod-b.template.json") .. "\n", out)
      assert.is_nil(io.open(dir .. "/o2/dev-a.template.json"))
    end)

    it("synth takes shell patterns", function()
      local _, _, status = h.sfl_run({ "synth", "app.lua", "dev-*", "-o", "o3", "-q" }, dir)
      assert.are.equal(0, status)
      assert.truthy(io.open(dir .. "/o3/dev-a.template.json"))
      assert.is_nil(io.open(dir .. "/o3/prod-b.template.json"))
    end)

    it("synth leaves files that would not change alone, and rewrites those that would", function()
      local function mtime(file)
        local out = h.run("stat -c %Y " .. dir .. "/o4/" .. file)
        return tonumber(out)
      end
      assert.are.equal(0, select(3, h.sfl_run({ "synth", "app.lua", "-o", "o4", "-q" }, dir)))
      -- date both files far back: a rewrite would bring them to now
      h.run("touch -d 2001-01-01 " .. dir .. "/o4/dev-a.template.json " .. dir .. "/o4/manifest.json")
      local before = mtime("dev-a.template.json")
      assert.are.equal(0, select(3, h.sfl_run({ "synth", "app.lua", "-o", "o4", "-q" }, dir)))
      assert.are.equal(before, mtime("dev-a.template.json"))
      assert.are.equal(before, mtime("manifest.json"))
      local f = assert(io.open(dir .. "/o4/dev-a.template.json", "a"))
      f:write(" ")
      f:close()
      assert.are.equal(0, select(3, h.sfl_run({ "synth", "app.lua", "-o", "o4", "-q" }, dir)))
      assert.is_true(mtime("dev-a.template.json") > before)
      assert.are.equal(before, mtime("manifest.json"))
      assert.are.equal(h.sfl_run({ "synth", "app.lua", "dev-a", "-o", "o5" }, dir),
                       h.read_file(dir .. "/o4/dev-a.template.json") .. "\n")
    end)

    it("synth exits 2 for a stack that does not exist", function()
      local _, err, status = h.sfl_run({ "synth", "app.lua", "qa-c" }, dir)
      assert.are.equal(2, status)
      assert.are.equal("sfl: no stack matches 'qa-c'; the app's stacks: dev-a, prod-b\n"
                       .. "Try 'sfl synth --help'.\n", err)
    end)
  end)

  it("uses the App's outdir when -o is not given", function()
    local app, dir = h.write_app([[
local cdk = require "sfl"
local app = cdk.App({ outdir = "custom.out" })
cdk.Stack(app, "Only")
]])
    local _, _, status = h.sfl_run({ "synth", "app.lua", "-q" }, dir)
    assert.are.equal(0, status)
    assert.truthy(io.open(dir .. "/custom.out/Only.template.json"))
  end)

  it("lets apps require modules next to them", function()
    local _, dir = h.write_app('return { name = "FromModule" }', "naming.lua")
    local f = assert(io.open(dir .. "/app.lua", "w"))
    f:write('local cdk = require "sfl"\nlocal app = cdk.App()\n'
            .. 'cdk.Stack(app, require("naming").name)\n')
    f:close()
    local out, err, status = h.sfl_run({ "ls", dir .. "/app.lua" })
    assert.are.equal(0, status, err)
    assert.are.equal("FromModule\n", out)
  end)
end)
