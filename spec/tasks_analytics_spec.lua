-- The analytics tasks (EmrTerminateCluster, GlueStartJobRun, AthenaStartQueryExecution,
-- BatchSubmitJob, EmrContainersStartJobRun): each mistake CDK rejects is reported at the
-- user's line with CDK's message and exit status 1.
local h = require "helpers"

local prelude = [[
local cdk   = require "sfl"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
]]

local fails_with = h.app_checker(prelude).fails_with

describe("EmrTerminateCluster errors", function()
  it("WAIT_FOR_TASK_TOKEN is not supported", function()
    fails_with([[
tasks.EmrTerminateCluster(stack, "T", { cluster_id = "j-1",
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })]], 1,
      "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,RUN_JOB. "
      .. "Received: WAIT_FOR_TASK_TOKEN")
  end)

  it("cluster_id is required", function()
    fails_with('tasks.EmrTerminateCluster(stack, "T", {})', 1,
      "EmrTerminateCluster 'T': missing required prop 'cluster_id'")
  end)

  it("a misspelt prop", function()
    fails_with('tasks.EmrTerminateCluster(stack, "T", { clusterid = "j-1" })', 1,
      "EmrTerminateCluster 'T': unknown prop 'clusterid'; did you mean 'cluster_id'?")
  end)

  it("cluster_id must be a string", function()
    fails_with('tasks.EmrTerminateCluster(stack, "T", { cluster_id = {} })', 1,
      "EmrTerminateCluster 'T': prop 'cluster_id' must be a string, got table")
  end)
end)

describe("GlueStartJobRun errors", function()
  it("WAIT_FOR_TASK_TOKEN is not supported", function()
    fails_with([[
tasks.GlueStartJobRun(stack, "T", { glue_job_name = "j",
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })]], 1,
      "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,RUN_JOB. "
      .. "Received: WAIT_FOR_TASK_TOKEN")
  end)

  it("both worker types", function()
    fails_with([[
tasks.GlueStartJobRun(stack, "T", { glue_job_name = "j", worker_configuration = {
  worker_type = tasks.WorkerType.G_1X, worker_type_v2 = tasks.WorkerTypeV2.G_2X,
  number_of_workers = 2 } })]], 1,
      "You cannot set both 'worker_type' and 'worker_type_v2' properties in "
      .. "'worker_configuration'.")
  end)

  it("no worker type", function()
    fails_with([[
tasks.GlueStartJobRun(stack, "T", { glue_job_name = "j",
  worker_configuration = { number_of_workers = 2 } })]], 1,
      "You must set either 'worker_type' or 'worker_type_v2' property in "
      .. "'worker_configuration'.")
  end)

  it("number_of_workers is required", function()
    fails_with([[
tasks.GlueStartJobRun(stack, "T", { glue_job_name = "j",
  worker_configuration = { worker_type_v2 = tasks.WorkerTypeV2.G_1X } })]], 1,
      "GlueStartJobRun 'T' prop 'worker_configuration': missing required prop "
      .. "'number_of_workers'")
  end)

  it("a timeout that is not whole minutes", function()
    fails_with([[
tasks.GlueStartJobRun(stack, "T", { glue_job_name = "j",
  timeout = cdk.Duration.seconds(90) })]], 1,
      "timeout: '90 seconds' cannot be converted into a whole number of minutes.")
  end)

  it("notify_delay_after that is not whole minutes", function()
    fails_with([[
tasks.GlueStartJobRun(stack, "T", { glue_job_name = "j",
  notify_delay_after = cdk.Duration.seconds(30) })]], 1,
      "notify_delay_after: '30 seconds' cannot be converted into a whole number of minutes.")
  end)

  it("an unknown execution class", function()
    fails_with([[
tasks.GlueStartJobRun(stack, "T", { glue_job_name = "j", execution_class = "CHEAP" })]], 1,
      "GlueStartJobRun 'T': prop 'execution_class' must be one of FLEX, STANDARD, got 'CHEAP'")
  end)
end)

describe("AthenaStartQueryExecution errors", function()
  -- CDK 2.276 renders the key construct itself as KmsKey and fails resolving it
  -- ("Maximum call stack size exceeded"), a made Key or one from from_key_arn alike.
  it("an encryption_key, which CDK cannot synthesize", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT 1",
  result_configuration = { encryption_configuration = {
    encryption_option = tasks.EncryptionOption.KMS,
    encryption_key = require("sfl.aws_kms").Key.from_key_arn(stack, "K",
      "arn:aws:kms:eu-west-1:123456789012:key/abc") } } })]], 1,
      "AthenaStartQueryExecution 'T' prop 'result_configuration' prop "
      .. "'encryption_configuration': prop 'encryption_key' is in CDK's API, but CDK cannot "
      .. "synthesize a template with it set (it renders the kms.IKey object itself, whose "
      .. "resolution never ends); remove it")
  end)

  it("an empty execution_parameters list", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT 1",
  execution_parameters = {} })]], 1, "'execution_parameters' must be a non-empty list")
  end)

  it("an empty execution parameter", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT ?",
  execution_parameters = { "" } })]], 1,
      "'execution_parameters' items's length must be between 1 and 1024 characters")
  end)

  it("a result reuse age under a minute", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT 1",
  result_reuse_configuration_max_age = cdk.Duration.seconds(30) })]], 1,
      "result_reuse_configuration_max_age must be greater than or equal to 1 minute or be "
      .. "equal to 0, got 30000 ms")
  end)

  it("a result reuse age over a week", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT 1",
  result_reuse_configuration_max_age = cdk.Duration.days(8) })]], 1,
      "result_reuse_configuration_max_age must either be 0 or between 1 and 10080 minutes, "
      .. "got 11520")
  end)

  it("an output location without its key", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT 1",
  result_configuration = { output_location = { bucket_name = "b" } } })]], 1,
      "AthenaStartQueryExecution 'T' prop 'result_configuration' prop 'output_location': "
      .. "missing required prop 'object_key'")
  end)

  it("an output location from the state input", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT 1",
  result_configuration = { output_location = {
    bucket_name = sf.JsonPath.string_at("$.b"), object_key = "k" } } })]], 1,
      "result_configuration: output_location: a JsonPath token cannot be part of the s3:// "
      .. "URL CDK builds from it; give 'bucket_name' as a string")
  end)

  it("an unknown encryption option", function()
    fails_with([[
tasks.AthenaStartQueryExecution(stack, "T", { query_string = "SELECT 1",
  result_configuration = { encryption_configuration = { encryption_option = "AES" } } })]], 1,
      "AthenaStartQueryExecution 'T' prop 'result_configuration' prop "
      .. "'encryption_configuration': prop 'encryption_option' must be one of SSE_S3, SSE_KMS, "
      .. "CSE_KMS, got 'AES'")
  end)
end)

describe("BatchSubmitJob errors", function()
  local job = 'job_definition_arn = "arn:d", job_name = "n", job_queue_arn = "arn:q"'

  it("WAIT_FOR_TASK_TOKEN is not supported", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })', 1,
      "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,RUN_JOB. "
      .. "Received: WAIT_FOR_TASK_TOKEN")
  end)

  it("array_size out of range", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job .. ', array_size = 1 })', 1,
      "array_size must be between 2 and 10,000. Received 1.")
  end)

  it("more than 20 dependencies", function()
    fails_with([[
local deps = {}
for i = 1, 21 do deps[i] = { job_id = "j" .. i } end
tasks.BatchSubmitJob(stack, "T", { ]] .. job .. [[, depends_on = deps })]], 3,
      "dependencies must be 20 or less. Received 21.")
  end)

  it("attempts out of range", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job .. ', attempts = 11 })', 1,
      "attempts must be between 1 and 10. Received 11.")
  end)

  it("an attempt duration under a minute", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', task_timeout = sf.Timeout.duration(cdk.Duration.seconds(30)) })', 1,
      "attempt duration must be greater than 60 seconds. Received 30 seconds.")
  end)

  it("a reserved environment variable", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', container_overrides = { environment = { AWS_BATCH_X = "1" } } })', 1,
      "Invalid environment variable name: AWS_BATCH_X. Environment variable names starting "
      .. "with 'AWS_BATCH' are reserved.")
  end)

  it("a tag key that is too long", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', tags = { [("k"):rep(129)] = "v" } })', 1,
      "Tag key size must be between 1 and 128, but got 129.")
  end)

  it("a tag value that is too long", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', tags = { k = ("v"):rep(257) } })', 1,
      "Tag value maximum size is 256, but got 257.")
  end)

  it("memory that is not a cdk.Size", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', container_overrides = { memory = 512 } })', 1,
      "BatchSubmitJob 'T' prop 'container_overrides': prop 'memory' must be a cdk.Size "
      .. "(e.g. cdk.Size.mebibytes(512)), got number")
  end)

  it("an instance type that is not an ec2.InstanceType", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', container_overrides = { instance_type = "m5.large" } })', 1,
      "BatchSubmitJob 'T' prop 'container_overrides': prop 'instance_type' must be an "
      .. "ec2.InstanceType, got string")
  end)

  it("memory that is not a whole number of MiB", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { ' .. job
      .. ', container_overrides = { memory = cdk.Size.kibibytes(1500) } })', 1,
      "'1500 kibibytes' cannot be converted into a whole number of mebibytes.")
  end)

  it("job_queue_arn is required", function()
    fails_with('tasks.BatchSubmitJob(stack, "T", { job_definition_arn = "d", job_name = "n" })',
      1, "BatchSubmitJob 'T': missing required prop 'job_queue_arn'")
  end)
end)

describe("cdk.Size", function()
  it("converts between units and refuses what is not whole", function()
    fails_with([[
assert(cdk.Size.gibibytes(2):to_mebibytes() == 2048)
assert(tostring(cdk.Size.mebibytes(3)) == "Size.mebibytes(3)")
cdk.Size.mebibytes(3):to_gibibytes()]], 3,
      "'3 mebibytes' cannot be converted into a whole number of gibibytes.")
  end)

  it("refuses negative amounts", function()
    fails_with("cdk.Size.bytes(-1)", 1, "Storage amounts cannot be negative. Received: -1")
  end)
end)

describe("EmrContainersStartJobRun errors", function()
  local head = [[
local iam = require "sfl.aws_iam"
local role = iam.Role(stack, "R", { assumed_by = iam.ServicePrincipal("emr-containers.amazonaws.com") })
local function job(props)
  local p = { virtual_cluster = tasks.VirtualClusterInput.from_virtual_cluster_id("vc"),
    release_label = tasks.ReleaseLabel.EMR_6_2_0, execution_role = role,
    job_driver = { spark_submit_job_driver = { entry_point = sf.TaskInput.from_text("s3://a.py") } } }
  for k, v in pairs(props) do p[k] = v end
  return tasks.EmrContainersStartJobRun(stack, "T", p)
end
]]
  -- Errors point at the constructor's call, line 8 of `head`.
  local function job_fails(call, msg) fails_with(head .. call, 8, msg) end

  it("WAIT_FOR_TASK_TOKEN is not supported", function()
    job_fails("job({ integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })",
      "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,RUN_JOB. "
      .. "Received: WAIT_FOR_TASK_TOKEN")
  end)

  it("entry point arguments from a plain string", function()
    job_fails([[job({ job_driver = { spark_submit_job_driver = {
  entry_point = sf.TaskInput.from_text("s3://a.py"),
  entry_point_arguments = sf.TaskInput.from_text("x") } } })]],
      "Entry point arguments must be a string array or an encoded JSON path or JSONata "
      .. "expression, but received a non JSON path or JSONata expression string")
  end)

  it("entry point arguments that are not strings", function()
    job_fails([[job({ job_driver = { spark_submit_job_driver = {
  entry_point = sf.TaskInput.from_text("s3://a.py"),
  entry_point_arguments = sf.TaskInput.from_object({ a = 1 }) } } })]],
      "Entry point arguments must be a string array or an encoded JSON path or JSONata "
      .. "expression but received object.")
  end)

  it("an entry point too long", function()
    job_fails([[job({ job_driver = { spark_submit_job_driver = {
  entry_point = sf.TaskInput.from_text(("x"):rep(257)) } } })]],
      "Entry point must be between 1 and 256 characters in length. Received 257.")
  end)

  it("empty spark submit parameters", function()
    job_fails([[job({ job_driver = { spark_submit_job_driver = {
  entry_point = sf.TaskInput.from_text("s3://a.py"), spark_submit_parameters = "" } } })]],
      "Spark submit parameters must be between 1 and 102400 characters in length. Received 0.")
  end)

  it("an application configuration without properties or nested configurations", function()
    job_fails("job({ application_config = { { classification = tasks.Classification.SPARK } } })",
      "Application configuration must have either properties or nested app configurations "
      .. "defined.")
  end)

  it("no execution role with a cluster from the input", function()
    fails_with([[
tasks.EmrContainersStartJobRun(stack, "T", {
  virtual_cluster = tasks.VirtualClusterInput.from_task_input(sf.TaskInput.from_json_path_at("$.vc")),
  release_label = tasks.ReleaseLabel.EMR_6_2_0,
  job_driver = { spark_submit_job_driver = { entry_point = sf.TaskInput.from_text("s3://a.py") } } })]],
      1, "Execution role cannot be undefined when the virtual cluster ID is not a concrete "
      .. "value. Provide an execution role with the correct trust policy")
  end)

  it("no execution role", function()
    fails_with([[
tasks.EmrContainersStartJobRun(stack, "T", {
  virtual_cluster = tasks.VirtualClusterInput.from_virtual_cluster_id("vc"),
  release_label = tasks.ReleaseLabel("emr-6.9.0-latest"),
  job_driver = { spark_submit_job_driver = { entry_point = sf.TaskInput.from_text("s3://a.py") } } })]],
      1, "execution_role is required: without it CDK makes a role whose trust policy it "
      .. "updates through Node.js custom resources, which sfl does not build. Pass "
      .. "execution_role = iam.Role(...) trusted by emr-containers.amazonaws.com")
  end)

  it("a job driver without its Spark driver", function()
    job_fails("job({ job_driver = {} })",
      "EmrContainersStartJobRun 'T' prop 'job_driver': missing required prop "
      .. "'spark_submit_job_driver'")
  end)

  it("a log bucket that is not one", function()
    job_fails('job({ monitoring = { log_bucket = "b" } })',
      "EmrContainersStartJobRun 'T' prop 'monitoring': prop 'log_bucket' must be an "
      .. "aws_s3.Bucket, got string")
  end)

  it("a log group that is not one", function()
    job_fails('job({ monitoring = { log_group = "g" } })',
      "EmrContainersStartJobRun 'T' prop 'monitoring': prop 'log_group' must be an "
      .. "aws_logs.LogGroup, got string")
  end)
end)
