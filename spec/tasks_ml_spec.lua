-- BedrockInvokeModel, HttpInvoke and SageMakerCreateTrainingJob: each mistake CDK rejects is
-- reported at the user's line, with CDK's message, and exit status 1.
local h = require "helpers"

local prelude = [[
local cdk     = require "sfl"
local bedrock = require "sfl.aws_bedrock"
local events  = require "sfl.aws_events"
local ec2     = require "sfl.aws_ec2"
local sf      = require "sfl.aws_stepfunctions"
local tasks   = require "sfl.aws_stepfunctions_tasks"
local app     = cdk.App()
local stack   = cdk.Stack(app, "S")
local model   = bedrock.FoundationModel.from_foundation_model_id(stack, "M",
  bedrock.FoundationModelIdentifier.AMAZON_NOVA_PRO_V1_0)
local text    = sf.TaskInput.from_text("hi")
local conn    = events.Connection.from_event_bus_arn(stack, "C",
  "arn:aws:events:us-east-1:1:connection/a/b", "arn:aws:secretsmanager:us-east-1:1:secret:s")
local get     = sf.TaskInput.from_text("GET")
local out     = { s3_output_location = tasks.S3Location.from_json_expression("$.out") }
]]
local checker = h.app_checker(prelude)
local check, PRELUDE_LINES = checker.fails_with, checker.lines

-- The one error `msg` at the body's line 1.
local function fails_with(body, msg)
  check(body, 1, msg)
end

-- Each case: what it is, one line of app, the message.
local function cases(name, list)
  describe(name, function()
    for _, c in ipairs(list) do
      it(c[1], function() fails_with(c[2], c[3]) end)
    end
  end)
end

local location = 's3_location = { bucket_name = "b", object_key = "k"'

cases("BedrockInvokeModel errors", {
  { "neither body nor input",
    'tasks.BedrockInvokeModel(stack, "T", { model = model })',
    "Either `body` or `input` must be specified." },
  { "body and input",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, body = text, '
      .. 'input = { s3_input_uri = "s3://a/b" } })',
    "Either `body` or `input` must be specified, but not both." },
  { "an input object version",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, input = { ' .. location
      .. ', object_version = "v" } } })',
    "Input S3 object version is not supported." },
  { "an output object version",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, body = text, output = { '
      .. location .. ', object_version = "v" } } })',
    "Output S3 object version is not supported." },
  { "a URI and a location",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, input = { s3_input_uri = "s3://a/b", '
      .. location .. ' } } })',
    "Either specify S3 Uri or S3 location, but not both." },
  { "an empty URI",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, input = { s3_input_uri = "" } })',
    "S3 Uri cannot be an empty string" },
  { "RUN_JOB",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, body = text, '
      .. 'integration_pattern = sf.IntegrationPattern.RUN_JOB })',
    "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE. "
      .. "Received: RUN_JOB" },
  { "a model that is a string",
    'tasks.BedrockInvokeModel(stack, "T", { model = "amazon.nova-pro-v1:0", body = text })',
    "BedrockInvokeModel 'T': prop 'model' must be an aws_bedrock model "
      .. "(FoundationModel.from_foundation_model_id(...), "
      .. "ProvisionedModel.from_provisioned_model_arn(...)), got string" },
  { "trace_enabled from the state input",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, body = text, '
      .. 'trace_enabled = sf.JsonPath.string_at("$.t") })',
    "trace_enabled must be true or false: it cannot come from the state input" },
  { "an unknown model member",
    'local id = bedrock.FoundationModelIdentifier.ANTHROPIC_CLAUDE_9',
    "sfl.aws_bedrock.FoundationModelIdentifier has no member 'ANTHROPIC_CLAUDE_9'" },
  { "an input prop that does not exist",
    'tasks.BedrockInvokeModel(stack, "T", { model = model, input = { s3_uri = "s3://a/b" } })',
    "BedrockInvokeModel 'T' prop 'input': unknown prop 's3_uri' "
      .. "(known props: s3_location, s3_input_uri)" },
})

cases("Guardrail errors", {
  { "a version out of range",
    'tasks.Guardrail.enable("abc", 0)',
    "`version` must be between 1 and 99999999, got 0." },
  { "an id with capitals",
    'tasks.Guardrail.enable("Abc", 1)',
    "The id of Guardrail must contain only lowercase letters and numbers, got Abc." },
  { "an ARN without a name",
    'tasks.Guardrail.enable_draft("arn:aws:bedrock:us-east-1:123456789012:guardrail")',
    "Invalid ARN format. The ARN of Guradrail should have the format: "
      .. "`arn:<partition>:bedrock:<region>:<account-id>:guardrail/<guardrail-name>`, got "
      .. "arn:aws:bedrock:us-east-1:123456789012:guardrail." },
  { "an ARN cut short",
    'tasks.Guardrail.enable_draft("arn:aws")',
    "The `service` component (3rd component) of an ARN is required: arn:aws" },
})

cases("HttpInvoke errors", {
  { "an endpoint that is an object",
    'tasks.HttpInvoke(stack, "T", { api_root = "https://x", connection = conn, method = get, '
      .. 'api_endpoint = sf.TaskInput.from_object({ a = 1 }) })',
    "api_endpoint must be a string or a JSON path (TaskInput.from_text(...), "
      .. "TaskInput.from_json_path_at(...)), got an object" },
  { "URL encoding with headers from a path",
    'tasks.HttpInvoke(stack, "T", { api_root = "https://x", connection = conn, method = get, '
      .. 'api_endpoint = text, headers = sf.TaskInput.from_json_path_at("$.h"), '
      .. 'url_encoding_format = tasks.URLEncodingFormat.COMMAS })',
    "url_encoding_format adds a Content-Type header: give `headers` as "
      .. "TaskInput.from_object(...)" },
  { "a method that is a plain string",
    'tasks.HttpInvoke(stack, "T", { api_root = "https://x", connection = conn, method = "GET", '
      .. 'api_endpoint = text })',
    "HttpInvoke 'T': prop 'method' must be a sfn.TaskInput (TaskInput.from_object(...), "
      .. "from_json_path_at(...), from_text(...)), got string" },
  { "an encoding that does not exist",
    'tasks.HttpInvoke(stack, "T", { api_root = "https://x", connection = conn, method = get, '
      .. 'api_endpoint = text, url_encoding_format = "SPACES" })',
    "HttpInvoke 'T': prop 'url_encoding_format' must be one of BRACKETS, COMMAS, DEFAULT, "
      .. "INDICES, NONE, REPEAT, got 'SPACES'" },
  { "no connection",
    'tasks.HttpInvoke(stack, "T", { api_root = "https://x", method = get, api_endpoint = text })',
    "HttpInvoke 'T': missing required prop 'connection'" },
  { "a connection that is an ARN string",
    'tasks.HttpInvoke(stack, "T", { api_root = "https://x", method = get, api_endpoint = text, '
      .. 'connection = "arn:aws:events:us-east-1:1:connection/a/b" })',
    "HttpInvoke 'T': prop 'connection' must be an aws_events connection "
      .. "(Connection.from_event_bus_arn(...), Connection.from_connection_attributes(...)), "
      .. "got string" },
})

cases("aws_events.Connection errors", {
  { "an ARN that is not one",
    'events.Connection.from_event_bus_arn(stack, "D", "nope", "x")',
    'ARNs must start with "arn:" and have at least 6 components: nope' },
  { "attributes without a name",
    'events.Connection.from_connection_attributes(stack, "D", '
      .. '{ connection_arn = "arn:aws:events:us-east-1:1:connection/a/b" })',
    "Connection.from_connection_attributes: missing required prop 'connection_name'" },
  { "a secret ARN that is not a string",
    'events.Connection.from_event_bus_arn(stack, "D", "arn:aws:events:r:1:connection/a", 7)',
    "connection_secret_arn must be a string, got number" },
  { "an id already taken",
    'events.Connection.from_event_bus_arn(stack, "C", "arn:aws:events:r:1:connection/a", "s")',
    "There is already a Construct with name 'C' in Stack [S] (made at app.lua:"
      .. (PRELUDE_LINES - 3) .. "); give each "
      .. "construct a different id" },
})

local function training(props)
  return 'tasks.SageMakerCreateTrainingJob(stack, "T", { training_job_name = "j", '
    .. 'output_data_config = out, ' .. props .. ' })'
end
local named = 'algorithm_specification = { algorithm_name = "a" }, '

cases("SageMakerCreateTrainingJob errors", {
  { "no algorithm name nor image", training("algorithm_specification = {}"),
    "Must define either an algorithm name or training image URI in the algorithm "
      .. "specification" },
  { "an algorithm name and an image",
    training('algorithm_specification = { algorithm_name = "a", '
      .. 'training_image = tasks.DockerImage.from_registry("x") }'),
    "Cannot define both an algorithm name and training image URI in the algorithm "
      .. "specification" },
  { "an algorithm name too long",
    training('algorithm_specification = { algorithm_name = ("a"):rep(171) }'),
    "Algorithm name length must be between 1 and 170, but got 171" },
  { "an algorithm name ending in a dash",
    training('algorithm_specification = { algorithm_name = "bad-" }'),
    "Expected algorithm name to match pattern ^(arn:aws[a-z\\-]*:sagemaker:[a-z0-9\\-]*:"
      .. "[0-9]{12}:[a-z\\-]*\\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)$, but got bad-" },
  { "WAIT_FOR_TASK_TOKEN",
    training(named .. "integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN"),
    "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,RUN_JOB. "
      .. "Received: WAIT_FOR_TASK_TOKEN" },
  { "a volume size that is not whole GiB",
    training(named .. 'resource_config = { instance_count = 1, '
      .. 'instance_type = ec2.InstanceType("m5.large"), volume_size = cdk.Size.mebibytes(1500) }'),
    "'1500 mebibytes' cannot be converted into a whole number of gibibytes." },
  { "an S3 location that is not a path",
    'tasks.S3Location.from_json_expression("bucket/key")',
    "JSON path values must be exactly '$', '$$', start with '$', start with '$$.', start with "
      .. "'$[', or start with an intrinsic function: States.Array, States.ArrayPartition, "
      .. "States.ArrayContains, States.ArrayRange, States.ArrayGetItem, States.ArrayLength, "
      .. "States.ArrayUnique, States.Base64Encode, States.Base64Decode, States.Hash, "
      .. "States.JsonMerge, States.StringToJson, States.JsonToString, States.MathRandom, "
      .. "States.MathAdd, States.StringSplit, States.UUID, or States.Format. Received: bucket/key" },
  { "an S3 location that is a string",
    training(named .. 'input_data_config = { { channel_name = "c", data_source = '
      .. '{ s3_data_source = { s3_location = "s3://x" } } } }'),
    "SageMakerCreateTrainingJob 'T' prop 'input_data_config' prop 'data_source' prop "
      .. "'s3_data_source': prop 's3_location' must be a tasks.S3Location "
      .. "(S3Location.from_bucket(...), S3Location.from_json_expression(...)), got string" },
  { "an instance type that is a string",
    training(named .. 'resource_config = { instance_count = 1, instance_type = "ml.m5.large", '
      .. 'volume_size = cdk.Size.gibibytes(1) }'),
    "SageMakerCreateTrainingJob 'T' prop 'resource_config': prop 'instance_type' must be an "
      .. "ec2.InstanceType, got string" },
  { "a VPC that is an ID", training(named .. 'vpc_config = { vpc = "vpc-1" }'),
    "SageMakerCreateTrainingJob 'T' prop 'vpc_config': prop 'vpc' must be an ec2.IVpc, "
      .. "got string" },
})

describe("HttpInvoke with httpInvokeDynamicJsonPathEndpoint off", function()
  it("cannot put a JSON path inside the endpoint", function()
    local _, dir = h.write_app([[
local cdk = require "sfl"
local sf = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local events = require "sfl.aws_events"
local app = cdk.App({ context = {
  ["@aws-cdk/aws-stepfunctions-tasks:httpInvokeDynamicJsonPathEndpoint"] = false } })
local stack = cdk.Stack(app, "S")
local conn = events.Connection.from_event_bus_arn(stack, "C",
  "arn:aws:events:us-east-1:1:connection/a/b", "arn:aws:secretsmanager:us-east-1:1:secret:s")
tasks.HttpInvoke(stack, "T", { api_root = "https://x.com", connection = conn,
  method = sf.TaskInput.from_text("GET"), api_endpoint = sf.TaskInput.from_json_path_at("$.p") })
]])
    local stdout, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", dir .. "/out" }, dir)
    assert.are.equal("", stdout)
    assert.are.equal("app.lua:10: Field references must be the entire string, cannot "
      .. "concatenate them (found 'https://x.com/$.p')\n", stderr)
    assert.are.equal(1, status)
  end)
end)

describe("aws_bedrock models", function()
  it("give their ids and ARNs", function()
    local _, dir = h.write_app(prelude .. [[
local p = bedrock.ProvisionedModel.from_provisioned_model_arn(stack, "P", "arn:aws:bedrock:x")
print(model.model_id, bedrock.FoundationModelIdentifier("my.model").model_id,
      p.model_arn == "arn:aws:bedrock:x", conn.connection_name)
]])
    local stdout, _, status = h.sfl_run({ "synth", "app.lua", "-o", dir .. "/out" }, dir)
    assert.are.equal(0, status)
    assert.truthy(stdout:find("amazon.nova-pro-v1:0\tmy.model\ttrue\ta/b", 1, true))
  end)
end)
