-- The seed article's EMR case ("forcibly avoid the type"): EmrAddStep whose `args` come
-- from the state input. The article had to write a placeholder and string-replace the
-- rendered JSON; here JsonPath.list_at renders "Args.$" directly.
-- Port of shared/cdk-reference/apps/seed06_emr_args.js.
local cdk   = require "sfl"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"

local app   = cdk.App()
local stack = cdk.Stack(app, "seed06-emr-args")

local create_cluster = tasks.EmrCreateCluster(stack, "Create Cluster", {
  name          = "spark-cluster",
  release_label = "emr-6.15.0",
  applications  = { { name = "Spark" } },
  instances     = {
    instance_count = 1,
    master_instance_type = "m5.xlarge",
    keep_job_flow_alive_when_no_steps = true,
  },
  result_path   = "$.cluster",
})

local add_step = tasks.EmrAddStep(stack, "Add Step", {
  cluster_id = sf.JsonPath.string_at("$.cluster.ClusterId"),
  name       = "spark",
  jar        = "command-runner.jar",
  args       = sf.JsonPath.list_at("$.hoge.Payload"),
})

local definition = sf.Chain.start(create_cluster):next(add_step)

sf.StateMachine(stack, "hello_workflow", {
  definition_body = sf.DefinitionBody.from_chainable(definition),
})

app:synth()
