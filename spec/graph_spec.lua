-- sfl graph: pictures of the seed workflows, drawn from the Lua apps themselves.
local h = require "helpers"

local seeds = { "seed01_chain", "seed02_passing_values", "seed03_catch",
                "seed03b_article_spelling", "seed04_parallel_catch", "seed05_choice",
                "seed06_emr_args" }

describe("sfl graph", function()
  for _, case in ipairs(seeds) do
    it("draws " .. case .. " as DOT, Mermaid and text, exactly", function()
      local app = h.root .. "/examples/" .. case .. ".lua"
      for format, ext in pairs { dot = "dot", mermaid = "mmd", text = "txt" } do
        local out, err, status = h.sfl_run { "graph", app, "--format", format }
        assert.are.equal("", err)
        assert.are.equal(0, status)
        assert.are.equal(h.read_file(("%s/spec/graph/%s.%s"):format(h.root, case, ext)), out)
      end
    end)
  end

  it("writes an SVG holding every state name, and a PNG", function()
    local dir = h.tmpdir()
    local app = h.root .. "/examples/seed05_choice.lua"
    local _, err, status = h.sfl_run { "graph", app, "-o", dir .. "/flow.svg" }
    assert.are.equal(0, status, err)
    local svg = h.read_file(dir .. "/flow.svg")
    assert.matches("^<%?xml", svg)
    assert.matches("</svg>%s*$", svg)
    for _, name in ipairs { "[Lambda] hello or world", "hello or world ?", "[Lambda] hello",
                            "[Lambda] world", "Job Failed" } do
      assert.truthy(svg:find(name, 1, true), name)
    end
    _, err, status = h.sfl_run { "graph", app, "-o", dir .. "/flow.png" }
    assert.are.equal(0, status, err)
    assert.are.equal("\137PNG\r\n\26\n", h.read_file(dir .. "/flow.png"):sub(1, 8))
  end)

  it("draws an ASL file", function()
    local out, _, status = h.sfl_run { "graph", h.root .. "/spec/graph/seed01_chain.asl.json" }
    assert.are.equal(0, status)
    assert.are.equal(h.read_file(h.root .. "/spec/graph/seed01_chain.txt"), out)
  end)

  describe("with two machines", function()
    local app, dir
    setup(function()
      app, dir = h.write_app([[
local cdk = require "sfl"
local sf = require "sfl.aws_stepfunctions"
local stack = cdk.Stack(cdk.App(), "S")
sf.StateMachine(stack, "One", { definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "A")) })
sf.StateMachine(stack, "Two", { definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "B")) })
]])
    end)

    it("asks which one", function()
      local _, err, status = h.sfl_run({ "graph", "app.lua" }, dir)
      assert.are.equal(2, status)
      assert.are.equal("sfl: the app has 2 state machines; name one (S/One, S/Two) or give -o "
                       .. "DIR for one picture each\n", err)
    end)

    it("draws the one named, by id or path", function()
      local out, _, status = h.sfl_run({ "graph", "app.lua", "Two" }, dir)
      assert.are.equal(0, status)
      assert.matches("^Start %-> B\nB %(Pass%) %-> End\n", out)
      local out2 = h.sfl_run({ "graph", "app.lua", "S/Two" }, dir)
      assert.are.equal(out, out2)
    end)

    it("draws each into a folder", function()
      local _, err, status = h.sfl_run({ "graph", "app.lua", "-o", "pics", "-f", "dot" }, dir)
      assert.are.equal(0, status)
      assert.are.equal("pics/S_One.dot\npics/S_Two.dot\n", err)
      assert.matches("digraph", h.read_file(dir .. "/pics/S_One.dot"))
    end)

    it("says when the machine does not exist", function()
      local _, err, status = h.sfl_run({ "graph", "app.lua", "Three" }, dir)
      assert.are.equal(2, status)
      assert.are.equal("sfl: no state machine 'Three' in the app (sfl ls lists them)\n", err)
    end)
  end)

  it("refuses an unknown format", function()
    local _, err, status = h.sfl_run { "graph", "x.lua", "--format", "jpeg" }
    assert.are.equal(2, status)
    assert.are.equal("sfl: unknown format 'jpeg' (svg, png, dot, mermaid or text)\n"
                     .. "Try 'sfl graph --help'.\n", err)
  end)
end)
