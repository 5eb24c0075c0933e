-- sfl.aws_dynamodb (Table, indexes, grants, imports) and the DynamoDB tasks: each mistake
-- is reported at the user's line with exit status 1, in CDK's words where CDK has them.
local h = require "helpers"

local prelude = [[
local cdk   = require "sfl"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local ddb   = require "sfl.aws_dynamodb"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
local S     = ddb.AttributeType.STRING
local t     = ddb.Table(stack, "T", { partition_key = { name = "pk", type = S } })
]]

local fails_with = h.app_checker(prelude).fails_with

local function key(name) return ('{ name = "%s", type = S }'):format(name) end

describe("Table errors", function()
  it("no partition key", function()
    fails_with('ddb.Table(stack, "X", {})', 1,
      "Table 'X': missing required prop 'partition_key'")
  end)

  it("an attribute type that is not one", function()
    fails_with('ddb.Table(stack, "X", { partition_key = { name = "a", type = "STRING" } })', 1,
      "Table 'X' prop 'partition_key': prop 'type' must be one of B, N, S, got 'STRING'")
  end)

  it("a misspelt prop", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. ', tablename = "x" })',
      1, "Table 'X': unknown prop 'tablename'; did you mean 'table_name'?")
  end)

  it("capacity on an on-demand table", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  billing_mode = ddb.BillingMode.PAY_PER_REQUEST, read_capacity = 3 })]], 1,
      "you cannot provision read and write capacity for a table with PAY_PER_REQUEST "
      .. "billing mode")
  end)

  it("a customer-managed key", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  encryption = ddb.TableEncryption.CUSTOMER_MANAGED })]], 1,
      "sfl's dynamodb.Table does not take customer-managed KMS keys "
      .. "(TableEncryption.CUSTOMER_MANAGED): use TableEncryption.AWS_MANAGED (a key AWS "
      .. "manages for DynamoDB) or TableEncryption.DEFAULT")
  end)

  it("encryption and server_side_encryption", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  encryption = ddb.TableEncryption.AWS_MANAGED, server_side_encryption = true })]], 1,
      "Only one of encryption and server_side_encryption can be specified, but both were "
      .. "provided")
  end)

  it("both point-in-time recovery props", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  point_in_time_recovery = true,
  point_in_time_recovery_specification = { point_in_time_recovery_enabled = true } })]], 1,
      "`point_in_time_recovery_specification` and `point_in_time_recovery` are set. Use "
      .. "`point_in_time_recovery_specification` only.")
  end)

  it("a recovery period without recovery", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  point_in_time_recovery_specification = { point_in_time_recovery_enabled = false,
                                           recovery_period_in_days = 3 } })]], 1,
      "Cannot set `recovery_period_in_days` while `point_in_time_recovery_enabled` is set "
      .. "to false.")
  end)

  it("a recovery period out of range", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  point_in_time_recovery_specification = { point_in_time_recovery_enabled = true,
                                           recovery_period_in_days = 36 } })]], 1,
      "`recovery_period_in_days` must be a value between `1` and `35`.")
  end)

  it("both contributor insights props", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  contributor_insights_enabled = true, contributor_insights_specification = { enabled = true } })]],
      1, "`contributor_insights_specification` and `contributor_insights_enabled` are set. "
      .. "Use `contributor_insights_specification` only.")
  end)

  it("one attribute with two types", function()
    fails_with('ddb.Table(stack, "X", { partition_key = ' .. key("a") .. [[,
  sort_key = { name = "a", type = ddb.AttributeType.NUMBER } })]], 1,
      "Unable to specify a as N because it was already defined as S")
  end)

  it("an ARN without a table name", function()
    fails_with('ddb.Table.from_table_arn(stack, "X", "arn:aws:dynamodb:eu-west-1:1:table")', 1,
      "ARN for DynamoDB table must be in the form: arn:PARTITION:dynamodb:REGION:ACCOUNT:"
      .. "table/NAME, got 'arn:aws:dynamodb:eu-west-1:1:table'")
  end)

  it("a table name that is not a string", function()
    fails_with('ddb.Table.from_table_name(stack, "X", 42)', 1,
      "table_name must be a string, got number")
  end)

  it("a grantee that is not one", function()
    fails_with('t:grant_read_data("role")', 1,
      "bad argument #1 to 'grant_read_data' (sfl.aws_iam.IGrantable (a Role, a Function or a "
      .. "StateMachine) expected, got string)")
  end)

  it("grant without actions", function()
    fails_with([[
local m = sf.StateMachine(stack, "M", {
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })
t:grant(m)]], 3, "grant: name at least one action to grant (e.g. \"dynamodb:GetItem\")")
  end)

  it("stream grants on a table without a stream", function()
    fails_with([[
local m = sf.StateMachine(stack, "M", {
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })
t:grant_stream_read(m)]], 3, "DynamoDB Streams must be enabled on the table S/T")
    fails_with([[
local m = sf.StateMachine(stack, "M", {
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })
local v = ddb.TableV2(stack, "V", { partition_key = { name = "pk", type = S } })
v:grant_table_list_streams(m)]], 4, "No stream ARN found on the table S/V")
  end)

  it("grant_stream without actions", function()
    fails_with([[
local m = sf.StateMachine(stack, "M", {
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })
t:grant_stream(m)]], 3,
      "grant_stream: name at least one action to grant (e.g. \"dynamodb:GetRecords\")")
  end)

  it("attributes with both a name and an ARN, or neither", function()
    fails_with([[ddb.Table.from_table_attributes(stack, "I", { table_name = "a",
  table_arn = "arn:aws:dynamodb:eu-west-1:1:table/a" })]], 1,
      "Only one of table_arn or table_name can be provided")
    fails_with('ddb.Table.from_table_attributes(stack, "I", { grant_index_permissions = true })',
      1, "One of table_name or table_arn is required!")
  end)

  it("indexes on an imported table", function()
    fails_with([[
local i = ddb.Table.from_table_name(stack, "I", "other")
i:add_global_secondary_index({})]], 2,
      "sfl.aws_dynamodb.ITable has no method or property 'add_global_secondary_index'")
  end)
end)

describe("secondary index errors", function()
  it("a local index on a table without a sort key", function()
    fails_with('t:add_local_secondary_index({ index_name = "i", sort_key = ' .. key("b") .. " })",
      1, "a sort key of the table must be specified to add local secondary indexes")
  end)

  it("two indexes with one name", function()
    fails_with([[
t:add_global_secondary_index({ index_name = "i", partition_key = ]] .. key("b") .. [[ })
t:add_global_secondary_index({ index_name = "i", partition_key = ]] .. key("c") .. " })", 2,
      "a duplicate index name, i, is not allowed")
  end)

  it("INCLUDE without non-key attributes", function()
    fails_with('t:add_global_secondary_index({ index_name = "i", partition_key = ' .. key("b")
      .. ", projection_type = ddb.ProjectionType.INCLUDE })", 1,
      "non-key attributes should be specified when using INCLUDE projection type")
  end)

  it("non-key attributes without INCLUDE", function()
    fails_with('t:add_global_secondary_index({ index_name = "i", partition_key = ' .. key("b")
      .. ', non_key_attributes = { "x" } })', 1,
      "non-key attributes should not be specified when not using INCLUDE projection type")
  end)

  it("index capacity on an on-demand table", function()
    fails_with([[
local o = ddb.Table(stack, "O", { partition_key = ]] .. key("a") .. [[,
  billing_mode = ddb.BillingMode.PAY_PER_REQUEST })
o:add_global_secondary_index({ index_name = "i", partition_key = ]] .. key("b") .. [[,
  write_capacity = 3 })]], 3,
      "you cannot provision read and write capacity for a table with PAY_PER_REQUEST "
      .. "billing mode")
  end)

  it("a sixth local index", function()
    fails_with([[
local s = ddb.Table(stack, "O", { partition_key = ]] .. key("a") .. ", sort_key = " .. key("s")
      .. [[ })
for i = 1, 6 do
  s:add_local_secondary_index({ index_name = "i" .. i, sort_key = { name = "b" .. i, type = S } })
end]], 3, "a maximum number of local secondary index per table is 5")
  end)

  it("a key attribute with another type than the table's", function()
    fails_with('t:add_global_secondary_index({ index_name = "i", partition_key = '
      .. '{ name = "pk", type = ddb.AttributeType.NUMBER } })', 1,
      "Unable to specify pk as N because it was already defined as S")
  end)
end)

describe("DynamoDB task errors", function()
  local V = "local V = tasks.DynamoAttributeValue\n"

  it("no key", function()
    fails_with('tasks.DynamoGetItem(stack, "G", { table = t })', 1,
      "DynamoGetItem 'G': missing required prop 'key'")
  end)

  it("a table that is not one", function()
    fails_with('tasks.DynamoGetItem(stack, "G", { table = "orders", key = {} })', 1,
      "DynamoGetItem 'G': prop 'table' must be a dynamodb.Table or TableV2 (or "
      .. "Table.from_table_name(...)), got string")
  end)

  it("a key value that is not an attribute value", function()
    fails_with('tasks.DynamoGetItem(stack, "G", { table = t, key = { pk = "x" } })', 1,
      "DynamoGetItem 'G': prop 'key': 'pk' must be a tasks.DynamoAttributeValue "
      .. "(DynamoAttributeValue.from_string(...), ...), got string")
  end)

  it("an expression attribute value that is not one", function()
    fails_with(V .. [[tasks.DynamoUpdateItem(stack, "U", { table = t,
  key = { pk = V.from_string("x") }, expression_attribute_values = { [":a"] = 1 } })]], 2,
      "DynamoUpdateItem 'U': prop 'expression_attribute_values': ':a' must be a "
      .. "tasks.DynamoAttributeValue (DynamoAttributeValue.from_string(...), ...), got number")
  end)

  it("return values that are not one", function()
    fails_with(V .. [[tasks.DynamoPutItem(stack, "P", { table = t,
  item = { pk = V.from_string("x") }, return_values = "ALL" })]], 2,
      "DynamoPutItem 'P': prop 'return_values' must be one of NONE, ALL_OLD, UPDATED_OLD, "
      .. "ALL_NEW, UPDATED_NEW, got 'ALL'")
  end)

  it("a misspelt prop", function()
    fails_with(V .. [[tasks.DynamoUpdateItem(stack, "U", { table = t,
  key = { pk = V.from_string("x") }, updateexpression = "SET a = :a" })]], 2,
      "DynamoUpdateItem 'U': unknown prop 'updateexpression'; did you mean "
      .. "'update_expression'?")
  end)

  it("a projection expression given as text", function()
    fails_with(V .. [[tasks.DynamoGetItem(stack, "G", { table = t,
  key = { pk = V.from_string("x") }, projection_expression = { "a" } })]], 2,
      "DynamoGetItem 'G': prop 'projection_expression': item 1 must be a "
      .. "tasks.DynamoProjectionExpression, got string")
  end)

  it("a projection expression that starts with an index", function()
    fails_with("tasks.DynamoProjectionExpression():at_index(1)", 1,
      "Expression must start with an attribute")
  end)
end)

describe("DynamoAttributeValue errors", function()
  local cases = {
    { 'map_from_json_path("x")',
      "Data JSON path values must either be exactly equal to '$' or start with '$.'" },
    { 'boolean_from_jsonata("$.x")',
      "Data JSONata expression values must either be exactly start with '{%' and end with '%}'" },
    { 'from_number("3")',
      "DynamoAttributeValue.from_number: expected a number or a JsonPath token, got string" },
    { 'from_number_set({ 1, "2" })',
      "DynamoAttributeValue.from_number_set: item 2 must be a number, got string" },
    { 'from_string_set({ "a", sf.JsonPath.string_at("$.b") })',
      "DynamoAttributeValue.from_string_set: item 2 must be a string, got "
      .. "sfl.aws_stepfunctions.JsonPath" },
    { 'from_list({ tasks.DynamoAttributeValue.from_string("a"), "b" })',
      "DynamoAttributeValue.from_list: item 2 must be a tasks.DynamoAttributeValue "
      .. "(DynamoAttributeValue.from_string(...), ...), got string" },
    { "from_map({ a = 1 })",
      "DynamoAttributeValue.from_map: the value of 'a' must be a tasks.DynamoAttributeValue "
      .. "(DynamoAttributeValue.from_string(...), ...), got number" },
    { "from_string(3)",
      "DynamoAttributeValue.from_string: expected a string or a JsonPath token, got number" },
    { 'from_null("yes")', "bad argument #1 to 'from_null' (boolean expected, got string)" },
  }
  for _, c in ipairs(cases) do
    it(c[1], function()
      fails_with("tasks.DynamoAttributeValue." .. c[1], 1, c[2])
    end)
  end
end)

describe("TableV2 errors", function()
  local pk = '{ name = "pk", type = S }'

  it("autoscaling bounds", function()
    fails_with("ddb.Capacity.autoscaled({ max_capacity = 2, min_capacity = 3 })", 1,
      "`min_capacity` must be less than or equal to `max_capacity`")
    fails_with("ddb.Capacity.autoscaled({ max_capacity = 20, target_utilization_percent = 95 })",
      1, "`target_utilization_percent` cannot be less than 20 or greater than 90")
    fails_with("ddb.Capacity.autoscaled({ max_capacity = 20, seed_capacity = 0 })", 1,
      "'seed_capacity' cannot be less than 1 - received 0")
  end)

  it("fixed write capacity", function()
    fails_with('ddb.TableV2(stack, "A", { partition_key = ' .. pk .. [[,
  billing = ddb.Billing.provisioned({ read_capacity = ddb.Capacity.fixed(1),
                                      write_capacity = ddb.Capacity.fixed(1) }) })]], 1,
      "You cannot configure 'write_capacity' with FIXED capacity mode")
  end)

  it("index capacity on an on-demand table", function()
    fails_with('local v = ddb.TableV2(stack, "B", { partition_key = ' .. pk .. [[ })
v:add_global_secondary_index({ index_name = "i", partition_key = { name = "x", type = S },
  read_capacity = ddb.Capacity.fixed(3) })]], 2,
      "You cannot configure 'read_capacity' or 'write_capacity' on a global secondary index "
      .. "when the billing mode is PAY_PER_REQUEST")
  end)

  it("a local index without a sort key", function()
    fails_with('local v = ddb.TableV2(stack, "C", { partition_key = ' .. pk .. [[ })
v:add_local_secondary_index({ index_name = "i", sort_key = { name = "x", type = S } })]], 2,
      "The table must have a sort key in order to add a local secondary index")
  end)

  it("two indexes with one name in the props", function()
    fails_with('ddb.TableV2(stack, "D", { partition_key = ' .. pk .. [[,
  global_secondary_indexes = { { index_name = "i", partition_key = { name = "x", type = S } },
                               { index_name = "i", partition_key = { name = "y", type = S } } } })]],
      1, "Duplicate secondary index name, i, is not allowed")
  end)

  it("a customer-managed key", function()
    fails_with("ddb.TableEncryptionV2.customer_managed_key()", 1,
      "sfl's dynamodb.TableV2 does not take customer-managed KMS keys "
      .. "(TableEncryptionV2.customer_managed_key): use TableEncryptionV2.aws_managed_key() or "
      .. "dynamo_owned_key()")
  end)

  it("both contributor insights props", function()
    fails_with('ddb.TableV2(stack, "E", { partition_key = ' .. pk .. [[,
  contributor_insights = true, contributor_insights_specification = { enabled = true } })]], 1,
      "`contributor_insights_specification` and `contributor_insights` are set. Use "
      .. "`contributor_insights_specification` only.")
  end)

  it("Table's encryption enum", function()
    fails_with('ddb.TableV2(stack, "F", { partition_key = ' .. pk .. [[,
  encryption = ddb.TableEncryption.AWS_MANAGED })]], 1,
      "TableV2 'F': prop 'encryption' must be a dynamodb.TableEncryptionV2 "
      .. "(dynamo_owned_key(), aws_managed_key()), got string")
  end)

  it("Table's stream prop", function()
    fails_with('ddb.TableV2(stack, "H", { partition_key = ' .. pk
      .. ", stream = ddb.StreamViewType.NEW_IMAGE })", 1,
      "TableV2 'H': unknown prop 'stream' (known props: partition_key, sort_key, table_name, "
      .. "billing, removal_policy, dynamo_stream, time_to_live_attribute, table_class, "
      .. "deletion_protection, point_in_time_recovery, point_in_time_recovery_specification, "
      .. "contributor_insights, contributor_insights_specification, encryption, "
      .. "warm_throughput, global_secondary_indexes, local_secondary_indexes)")
  end)
end)
