-- The seed article's workflows synthesize to the templates real CDK wrote for them
-- (spec/fixtures/<case>/expected.template.json).
local h = require "helpers"

local cases = {
  { "seed01_chain", "seed01-chain", identical = true },
  { "seed02_passing_values", "seed02-passing-values", identical = true },
  { "seed03_catch", "seed03-catch" },
  { "seed03b_article_spelling", "seed03b-article-spelling" },
  { "seed04_parallel_catch", "seed04-parallel-catch" },
  { "seed05_choice", "seed05-choice", identical = true },
  { "seed06_emr_args", "seed06-emr-args", identical = true },
}

describe("seed article workflows", function()
  for _, c in ipairs(cases) do
    local name, stack = c[1], c[2]
    describe(name, function()
      local out = h.tmpdir()
      local expected = ("%s/spec/fixtures/%s/expected.template.json"):format(h.root, name)
      local actual = ("%s/%s.template.json"):format(out, stack)
      local stdout, stderr, status

      setup(function()
        stdout, stderr, status = h.sfl_run { "synth", h.root .. "/examples/" .. name .. ".lua",
                                             "-o", out }
      end)

      it("synthesizes without errors and prints the template", function()
        assert.are.equal("", stderr)
        assert.are.equal(0, status)
        assert.are.equal(h.read_file(actual) .. "\n", stdout)
      end)

      it("is equivalent to CDK's template", function()
        assert.are.same({}, h.template_diff(expected, actual))
      end)

      -- The project's judge, when its shared folder sits beside the checkout (as in CI);
      -- the structural comparison above runs everywhere.
      local tool = h.cfn_compare_tool()
      local check = tool and it or pending
      check("passes shared/tools/cfn-compare", function()
        local o, e, code = h.run("python3 " .. h.quote(tool) .. " " .. h.quote(expected) .. " "
                                 .. h.quote(actual))
        assert.are.equal(0, code, o .. e)
        assert.matches("equivalent", o)
      end)

      if c.identical then
        it("is byte-for-byte CDK's file", function()
          assert.are.equal(h.read_file(expected), h.read_file(actual))
        end)
      end
    end)
  end

  it("renders the EMR args list token natively (\"Args.$\")", function()
    local out = h.tmpdir()
    local _, _, status = h.sfl_run { "synth", h.root .. "/examples/seed06_emr_args.lua", "-o",
                                     out, "-q" }
    assert.are.equal(0, status)
    local t = h.read_json(out .. "/seed06-emr-args.template.json")
    local parts = t.Resources.helloworkflow9AA332D3.Properties.DefinitionString["Fn::Join"][2]
    local text = parts[#parts]
    assert.truthy(text:find('"HadoopJarStep":{"Jar":"command-runner.jar","Args.$":"$.hoge.Payload"}',
                            1, true))
  end)

  it("writes the cloud assembly files", function()
    local out = h.tmpdir()
    local _, _, status = h.sfl_run { "synth", h.root .. "/examples/seed01_chain.lua", "-o", out,
                                     "-q" }
    assert.are.equal(0, status)
    local manifest = h.read_json(out .. "/manifest.json")
    assert.are.equal("55.0.0", manifest.version)
    local st = manifest.artifacts["seed01-chain"]
    assert.are.equal("aws:cloudformation:stack", st.type)
    assert.are.equal("seed01-chain.template.json", st.properties.templateFile)
    assert.are.equal("cdk:tree", manifest.artifacts.Tree.type)
    assert.are.same({ version = "55.0.0" }, h.read_json(out .. "/cdk.out"))
    local assets = h.read_json(out .. "/seed01-chain.assets.json")
    local hash = next(assets.files)
    assert.matches("^%x+$", hash)
    assert.are.equal(64, #hash)
    assert.are.equal("s3://cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}/" .. hash
                     .. ".json", st.properties.stackTemplateAssetObjectUrl)
    local tree = h.read_json(out .. "/tree.json")
    local fn = tree.tree.children["seed01-chain"].children.HelloFunction
    assert.are.equal("aws-cdk-lib.aws_lambda.Function", fn.constructInfo.fqn)
    assert.are.equal("HelloFunctionD909AE8C",
                     fn.children.Resource.attributes["aws:cdk:cloudformation:logicalId"])
    local meta = h.read_json(out .. "/seed01-chain.metadata.json")
    local entry = meta["/seed01-chain/HelloFunction/Resource"]
    assert.are.equal("HelloFunctionD909AE8C", entry[1].data)
    -- where the app made it: inside py_function, which the app calls at line 22
    assert.matches("seed01_chain.lua:13$", entry[2].data[1])
  end)
end)
