-- DistributedMap's checks (CDK's validateState, made at the user's line) and what
-- `sfl validate` and `sfl graph` make of a distributed Map.
local h = require "helpers"

local prelude = [[
local cdk   = require "sfl"
local sf    = require "sfl.aws_stepfunctions"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
local function reader() return sf.S3JsonItemReader({ bucket_name_path = "$.b", key = "k" }) end
]]

local fails_with = h.app_checker(prelude).fails_with

describe("DistributedMap errors", function()
  it("items_path and item_reader together", function()
    fails_with('sf.DistributedMap(stack, "M", { items_path = "$.x", item_reader = reader() })', 1,
      "DistributedMap 'M': Provide either `items_path` or `item_reader`, but not both")
  end)

  it("a tolerated failure percentage and its path together", function()
    fails_with([[sf.DistributedMap(stack, "M", { tolerated_failure_percentage = 5,
  tolerated_failure_percentage_path = "$.p" })]], 1,
      "DistributedMap 'M': Provide either `tolerated_failure_percentage` or "
      .. "`tolerated_failure_percentage_path`, but not both")
  end)

  it("a tolerated failure count and its path together", function()
    fails_with([[sf.DistributedMap(stack, "M", { tolerated_failure_count = 5,
  tolerated_failure_count_path = "$.p" })]], 1,
      "DistributedMap 'M': Provide either `tolerated_failure_count` or "
      .. "`tolerated_failure_count_path`, but not both")
  end)

  it("a percentage over 100", function()
    fails_with('sf.DistributedMap(stack, "M", { tolerated_failure_percentage = 101 })', 1,
      "DistributedMap 'M': tolerated_failure_percentage must be between 0 and 100")
  end)

  it("a label over 40 characters", function()
    fails_with('sf.DistributedMap(stack, "M", { label = ("x"):rep(41) })', 1,
      "DistributedMap 'M': label must be 40 characters or less")
  end)

  it("a label with a space", function()
    fails_with('sf.DistributedMap(stack, "M", { label = "my label" })', 1,
      "DistributedMap 'M': label cannot contain any whitespace or special characters")
  end)

  it("a reader without a bucket", function()
    fails_with('sf.DistributedMap(stack, "M", { item_reader = sf.S3JsonItemReader({ key = "k" }) })', 1,
      "DistributedMap 'M': item_reader: Provide either `bucket` or `bucket_name_path`")
  end)

  it("a file reader without its key", function()
    fails_with('sf.S3CsvItemReader({ bucket_name_path = "$.b" })', 1,
      "S3CsvItemReader: missing required prop 'key'")
  end)

  it("an empty ItemBatcher", function()
    fails_with('sf.ItemBatcher({})', 1, "ItemBatcher: Provide at least one value to the ItemBatcher")
  end)

  it("a batch size and its path together", function()
    fails_with('sf.ItemBatcher({ max_items_per_batch = 5, max_items_per_batch_path = "$.n" })', 1,
      "ItemBatcher: Provide either `max_items_per_batch` or `max_items_per_batch_path`, but not both")
  end)

  it("result_writer_v2 without the feature flag", function()
    fails_with([[sf.DistributedMap(stack, "M", {
  result_writer_v2 = sf.ResultWriterV2({ bucket_name_path = "$.out" }) })]], 1,
      "DistributedMap 'M': result_writer_v2 is used only with the feature flag "
      .. "@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2; set it in cdk.App({ "
      .. "context = { [\"@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2\"] = true "
      .. "} }) as `cdk init` does, or use result_writer")
  end)

  it("an INLINE item processor", function()
    fails_with([[local m = sf.DistributedMap(stack, "M", { items_path = "$.x" })
m:item_processor(sf.Pass(stack, "P"), { mode = sf.ProcessorMode.INLINE })]], 2,
      "Processing mode cannot be `INLINE` for a Distributed Map")
  end)

  it("a reader that is not one", function()
    fails_with('sf.DistributedMap(stack, "M", { item_reader = sf.ItemBatcher({ max_items_per_batch = 1 }) })', 1,
      "DistributedMap 'M': prop 'item_reader' must be an item reader (sfn.S3ObjectsItemReader(...), ...), "
      .. "got sfl.aws_stepfunctions.ItemBatcher")
  end)
end)

describe("a distributed Map in the other commands", function()
  local app = h.root .. "/spec/fixtures/f12_distributed_map/app.lua"

  it("validates clean", function()
    local stdout, stderr, status = h.sfl_run { "validate", app }
    assert.are.equal("", stdout .. stderr)
    assert.are.equal(0, status)
  end)

  it("draws its item processors", function()
    local stdout, _, status = h.sfl_run { "graph", app, "--format", "text" }
    assert.are.equal(0, status)
    assert.truthy(stdout:find("P1", 1, true))
    assert.truthy(stdout:find("P3", 1, true))
  end)
end)
