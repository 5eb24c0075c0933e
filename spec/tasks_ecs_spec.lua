-- EcsRunTask, aws_ecs and aws_ec2: each mistake is reported at the user's line with exit
-- status 1, with CDK's message (props named the Lua way).
local h = require "helpers"

local prelude = [[
local cdk   = require "sfl"
local ec2   = require "sfl.aws_ec2"
local ecs   = require "sfl.aws_ecs"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
local vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", { vpc_id = "vpc-1",
  availability_zones = { "a", "b" }, public_subnet_ids = { "p1", "p2" } })
local cluster = ecs.Cluster(stack, "Cluster", { vpc = vpc })
local image = ecs.ContainerImage.from_registry("busybox")
local fargate = ecs.FargateTaskDefinition(stack, "Fargate")
local web = fargate:add_container("web", { image = image })
local bridge = ecs.Ec2TaskDefinition(stack, "Bridge")
bridge:add_container("job", { image = image, memory_limit_mib = 64 })
]]

local fails_with = h.app_checker(prelude).fails_with

local function synth(body)
  local _, dir = h.write_app(prelude .. body)
  local stdout, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", dir .. "/out" }, dir)
  assert.are.equal("", stderr)
  assert.are.equal(0, status)
  return h.decode(stdout)
end

describe("aws_ec2", function()
  it("Vpc: no NAT gateways for PRIVATE_WITH_NAT subnets", function()
    fails_with([[
ec2.Vpc(stack, "New", { nat_gateways = 0, subnet_configuration = {
  { name = "A", subnet_type = ec2.SubnetType.PRIVATE_WITH_NAT } } })]], 1,
      "If you do not want NAT gateways (nat_gateways=0), make sure you don't configure any "
      .. "PRIVATE(_WITH_NAT) subnets in 'subnet_configuration' (make them PUBLIC or ISOLATED "
      .. "instead)")
  end)

  it("Vpc: private subnets need public ones for their NAT gateways", function()
    fails_with([[
ec2.Vpc(stack, "New", { subnet_configuration = {
  { name = "App", subnet_type = ec2.SubnetType.PRIVATE_WITH_EGRESS, cidr_mask = 24 } } })]], 1,
      "If you configure PRIVATE subnets in 'subnet_configuration', you must also configure "
      .. 'PUBLIC subnets to put the NAT gateways into (got [{"name":"App","subnetType":"Private",'
      .. '"cidrMask":24}].')
  end)

  it("Vpc: DNS hostnames without DNS support (CDK asks for both)", function()
    fails_with('ec2.Vpc(stack, "New", { enable_dns_hostnames = true })', 1,
      "To use DNS Hostnames, DNS Support must be enabled, however, it was explicitly disabled.")
  end)

  it("Vpc: map_public_ip_on_launch on an isolated subnet", function()
    fails_with([[
ec2.Vpc(stack, "New", { subnet_configuration = {
  { name = "P", subnet_type = ec2.SubnetType.PUBLIC },
  { name = "A", subnet_type = ec2.SubnetType.PRIVATE_ISOLATED, map_public_ip_on_launch = false } } })]],
      1, "Isolated subnet cannot include map_public_ip_on_launch parameter")
  end)

  it("Vpc: subnets too large, or too many", function()
    fails_with('ec2.Vpc(stack, "New", { ip_addresses = ec2.IpAddresses.cidr("10.0.0.0/8") })', 1,
      "x.x.x.x/10 is not a valid VPC CIDR range. VPCs must be between /16 and /28 and the "
      .. "minimum subnet size is /28.")
    fails_with([[
ec2.Vpc(stack, "New", { ip_addresses = ec2.IpAddresses.cidr("10.0.0.0/24"),
  subnet_configuration = { { name = "P", subnet_type = ec2.SubnetType.PUBLIC, cidr_mask = 24 } } })]],
      1, "1 of /24 exceeds remaining space of 10.0.0.0/24")
  end)

  it("Vpc: a CIDR that does not parse, and two ways to give it", function()
    fails_with('ec2.IpAddresses.cidr("10.0.0/16")', 1, "10.0.0 is not valid")
    fails_with([[
ec2.Vpc(stack, "New", { cidr = "10.0.0.0/16", ip_addresses = ec2.IpAddresses.cidr("10.1.0.0/16") })]],
      1, "Vpc 'New': supply at most one of ip_addresses or cidr")
  end)

  it("Vpc: a CIDR mask that is not 0 to 32, and whole numbers beyond an int", function()
    fails_with('ec2.IpAddresses.cidr("10.0.0.0/99999999999")', 1, "'10.0.0.0/99999999999' is "
      .. "not a valid CIDR block: the mask after '/' must be a number from 0 to 32 (e.g. "
      .. "10.0.0.0/16)")
    fails_with('ec2.IpAddresses.cidr("10.0.0.0/")', 1, "'10.0.0.0/' is not a valid CIDR "
      .. "block: the mask after '/' must be a number from 0 to 32 (e.g. 10.0.0.0/16)")
    fails_with([[
ec2.Vpc(stack, "New", { subnet_configuration = {
  { name = "P", subnet_type = ec2.SubnetType.PUBLIC, cidr_mask = 2^31 } } })]],
      1, "x.x.x.x/2147483647 is not a valid VPC CIDR range. VPCs must be between /16 and /28 "
      .. "and the minimum subnet size is /28.")
    -- found by fuzz_props: 2^31 AZs or NAT gateways were converted to int (undefined)
    local huge = synth('ec2.Vpc(stack, "New", { max_azs = 2^31, nat_gateways = 2^31 })')
    local plain = synth('ec2.Vpc(stack, "New", {})')
    assert.are.same(plain, huge)
  end)

  it("Vpc: availability_zones and max_azs", function()
    fails_with('ec2.Vpc(stack, "New", { max_azs = 2, availability_zones = { "a" } })', 1,
      "Vpc supports 'availability_zones' or 'max_azs', but not both.")
  end)

  it("Vpc: the default security group restriction CDK makes with a Lambda function", function()
    fails_with('ec2.Vpc(stack, "New", { restrict_default_security_group = true })', 1,
      "sfl cannot make the custom resource (a Lambda function) CDK adds to restrict the VPC's "
      .. "default security group: set restrict_default_security_group = false on the ec2.Vpc, "
      .. "or turn off the feature flag @aws-cdk/aws-ec2:restrictDefaultSecurityGroup")
  end)

  it("subnet IDs that are not a multiple of the availability zones", function()
    fails_with([[
ec2.Vpc.from_vpc_attributes(stack, "V2", { vpc_id = "v", availability_zones = { "a", "b" },
  private_subnet_ids = { "s1", "s2", "s3" } })]], 1,
      "Number of privateSubnetIds (3) must be a multiple of availability zones (2).")
  end)

  it("subnet names that do not match the groups", function()
    fails_with([[
ec2.Vpc.from_vpc_attributes(stack, "V2", { vpc_id = "v", availability_zones = { "a" },
  public_subnet_ids = { "s1", "s2" }, public_subnet_names = { "x" } })]], 1,
      'publicSubnetNames must have an entry for every corresponding subnet group, got: ["x"]')
  end)

  it("a security group needs a vpc", function()
    fails_with('ec2.SecurityGroup(stack, "Sg", { description = "d" })', 1,
      "SecurityGroup 'Sg': missing required prop 'vpc'")
  end)

  it("InstanceType.of and InstanceType(name)", function()
    local _, dir = h.write_app([[
local ec2 = require "sfl.aws_ec2"
local cdk = require "sfl"
cdk.Stack(cdk.App(), "S")
print(ec2.InstanceType.of(ec2.InstanceClass.STANDARD5, ec2.InstanceSize.LARGE):to_string())
print(tostring(ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.XLARGE2)))
print(ec2.InstanceType("t3.micro"):to_string())]])
    local stdout, stderr, status = h.sfl_run({ "ls", "app.lua" }, dir)
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
    assert.are.equal("m5.large\nr6g.2xlarge\nt3.micro\n", stdout:sub(1, 30))
  end)
end)

describe("aws_ecs", function()
  it("both container_insights and container_insights_v2", function()
    fails_with([[
ecs.Cluster(stack, "C2", { vpc = vpc, container_insights = true,
  container_insights_v2 = ecs.ContainerInsights.ENHANCED })]], 1,
      "You cannot set both container_insights and container_insights_v2")
  end)

  it("placement constraints other than memberOf on an Ec2TaskDefinition", function()
    fails_with([[
ecs.Ec2TaskDefinition(stack, "T", { placement_constraints = {
  ecs.PlacementConstraint.distinct_instances(), ecs.PlacementConstraint.member_of("a") } })]], 1,
      "Invalid placement constraint(s): distinctInstance. Only 'memberOf' is currently "
      .. "supported in the Ec2TaskDefinition class.")
  end)

  it("placement constraints on Fargate", function()
    fails_with('fargate:add_placement_constraint(ecs.PlacementConstraint.member_of("a"))', 1,
      "Cannot set placement constraints on tasks that run on Fargate")
    fails_with([[
ecs.TaskDefinition(stack, "T", { compatibility = ecs.Compatibility.EC2_AND_FARGATE, cpu = "256",
  memory_mib = "512", placement_constraints = { ecs.PlacementConstraint.distinct_instances() } })]],
      1, "Cannot set placement constraints on tasks that run on Fargate")
  end)

  it("Windows Fargate tasks and their CPU and memory pairs", function()
    local function windows(cpu, mem)
      return ('ecs.FargateTaskDefinition(stack, "W", { cpu = %d, memory_limit_mib = %d, '
        .. 'runtime_platform = { operating_system_family = '
        .. 'ecs.OperatingSystemFamily.WINDOWS_SERVER_2019_CORE } })'):format(cpu, mem)
    end
    fails_with(windows(1024, 512), 1, "If provided cpu is 1024, then memoryMiB must have a min "
      .. "of 1024 and a max of 8192, in 1024 increments. Provided memoryMiB was 512.")
    fails_with(windows(2048, 2048), 1, "If provided cpu is 2048, then memoryMiB must have a min "
      .. "of 4096 and max of 16384, in 1024 increments. Provided memoryMiB 2048.")
    fails_with(windows(4096, 1000), 1, "If provided cpu is 4096, then memoryMiB must have a min "
      .. "of 8192 and a max of 30720, in 1024 increments.Provided memoryMiB was 1000.")
    fails_with(windows(512, 1024), 1, "If operatingSystemFamily is WINDOWS_SERVER_2019_CORE, then "
      .. "cpu must be in 1024 (1 vCPU), 2048 (2 vCPU), or 4096 (4 vCPU). Provided value was: 512")
  end)

  it("a task role that is not a role", function()
    fails_with('ecs.FargateTaskDefinition(stack, "T", { task_role = "arn:aws:iam::1:role/x" })', 1,
      "FargateTaskDefinition 'T': prop 'task_role' must be an aws_iam.IRole (iam.Role(...) or "
      .. "iam.Role.from_role_arn(...)), got string")
  end)

  it("Fargate in bridge network mode", function()
    fails_with([[
ecs.TaskDefinition(stack, "T", { compatibility = ecs.Compatibility.FARGATE, cpu = "256",
  memory_mib = "512", network_mode = ecs.NetworkMode.BRIDGE })]], 1,
      "Fargate tasks can only have AwsVpc network mode, got: bridge")
  end)

  it("Fargate without cpu", function()
    fails_with([[
ecs.TaskDefinition(stack, "T", { compatibility = ecs.Compatibility.EC2_AND_FARGATE,
  memory_mib = "512" })]], 1,
      "Fargate-compatible tasks require both CPU (undefined) and memory (512) specifications")
  end)

  it("runtime_platform on an EC2 task", function()
    fails_with([[
ecs.TaskDefinition(stack, "T", { compatibility = ecs.Compatibility.EC2,
  runtime_platform = { cpu_architecture = ecs.CpuArchitecture.ARM64 } })]], 1,
      "Cannot specify runtime_platform in non-Fargate and non-Managed Instances compatible "
      .. "tasks")
  end)

  it("containers using more cpu than the task", function()
    fails_with('fargate:add_container("big", { image = image, cpu = 512 })', 1,
      "The sum of all container cpu values cannot be greater than the value of the task cpu")
  end)

  it("a host port that differs in awsvpc mode", function()
    fails_with([[
fargate:add_container("p", { image = image,
  port_mappings = { { container_port = 80, host_port = 8080 } } })]], 1,
      "The host port must be left out or must be the same as the container port for AwsVpc "
      .. "or Host network mode.")
  end)

  it("an EC2 container without memory", function()
    fails_with([[
local td = ecs.Ec2TaskDefinition(stack, "NoMem")
td:add_container("c", { image = image })]], 2,
      "ECS Container c must have at least one of 'memory_limit_mib' or "
      .. "'memory_reservation_mib' specified")
  end)

  it("aws_logs with a log group and a retention", function()
    fails_with([[
ecs.LogDrivers.aws_logs({ stream_prefix = "x", log_retention = 7,
  log_group = require("sfl.aws_logs").LogGroup(stack, "G") })]], 1,
      "LogDrivers.aws_logs: cannot specify both `log_group` and `log_retention`.")
  end)

  it("an image that is not a ContainerImage", function()
    fails_with('fargate:add_container("x", { image = "busybox" })', 1,
      "ContainerDefinition 'x': prop 'image' must be an ecs.ContainerImage "
      .. "(ContainerImage.from_registry(name)), got string")
  end)
end)

describe("EcsRunTask errors", function()
  local target = "launch_target = tasks.EcsFargateLaunchTarget()"

  it("WAIT_FOR_TASK_TOKEN without the token in an environment", function()
    fails_with(([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate, %s,
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })]]):format(target), 1,
      "Task Token is required in at least one `container_overrides.environment` for callback. "
      .. "Use JsonPath.task_token to set the token.")
  end)

  it("a task definition without an essential container", function()
    fails_with(([[
local td = ecs.FargateTaskDefinition(stack, "Empty")
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = td, %s })]]):format(target),
      2, "A TaskDefinition must have at least one essential container")
  end)

  it("an EC2 task definition on Fargate", function()
    fails_with(([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = bridge, %s })]])
      :format(target), 1, "Supplied TaskDefinition is not compatible with Fargate")
  end)

  it("a Fargate task definition on EC2", function()
    fails_with([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate,
  launch_target = tasks.EcsEc2LaunchTarget() })]], 1,
      "Supplied TaskDefinition is not compatible with EC2")
  end)

  it("EC2 on a new cluster (no capacity)", function()
    fails_with([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = bridge,
  launch_target = tasks.EcsEc2LaunchTarget() })]], 1,
      "Cluster for this service needs Ec2 capacity: sfl cannot add capacity to a new Cluster, "
      .. "so import one that has it with ecs.Cluster.from_cluster_attributes(...)")
  end)

  it("subnets with a bridge task definition", function()
    fails_with([[
local imported = ecs.Cluster.from_cluster_attributes(stack, "I", { cluster_name = "c",
  vpc = vpc })
tasks.EcsRunTask(stack, "T", { cluster = imported, task_definition = bridge,
  launch_target = tasks.EcsEc2LaunchTarget(), subnets = { subnet_type = ec2.SubnetType.PUBLIC } })]],
      3, "Supplied TaskDefinition must have 'network_mode' of 'AWS_VPC' to use 'subnets' and "
      .. "'security_groups'. Received: bridge")
  end)

  -- CDK checks subnets !== undefined: an empty selection counts as given.
  it("an empty subnets table with a bridge task definition", function()
    fails_with([[
local imported = ecs.Cluster.from_cluster_attributes(stack, "I", { cluster_name = "c",
  vpc = vpc })
tasks.EcsRunTask(stack, "T", { cluster = imported, task_definition = bridge,
  launch_target = tasks.EcsEc2LaunchTarget(), subnets = {} })]],
      3, "Supplied TaskDefinition must have 'network_mode' of 'AWS_VPC' to use 'subnets' and "
      .. "'security_groups'. Received: bridge")
  end)

  it("overrides for a container of another task definition", function()
    fails_with(([[
local other = ecs.FargateTaskDefinition(stack, "Other")
local c = other:add_container("elsewhere", { image = image })
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate, %s,
  container_overrides = { { container_definition = c } } })]]):format(target), 3,
      "Overrides mention container with name 'elsewhere', but no such container in task "
      .. "definition")
  end)

  it("default subnets the VPC does not have", function()
    fails_with(([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate, %s })]])
      :format(target), 1,
      "There are no 'Private' subnet groups in this VPC. Available types: Public")
  end)

  it("a subnet group name the VPC does not have", function()
    fails_with(([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate, %s,
  subnets = { subnet_group_name = "db" } })]]):format(target), 1,
      "There are no subnet groups with name 'db' in this VPC. Available names: Public")
  end)

  it("both a subnet type and a group name", function()
    fails_with(([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate, %s,
  subnets = { subnet_group_name = "Public", subnet_type = ec2.SubnetType.PUBLIC } })]])
      :format(target), 1,
      "Only one of 'subnetType,subnetGroupName' can be supplied to subnet selection.")
  end)

  it("a capacity provider strategy of 0 or 21 providers", function()
    fails_with("tasks.CapacityProviderOptions.custom({})", 1,
      "Capacity provider strategy must contain between 1 and 20 capacity providers, got 0")
    fails_with([[
local many = {}
for i = 1, 21 do many[i] = { capacity_provider = "p" .. i } end
tasks.CapacityProviderOptions.custom(many)]], 3,
      "Capacity provider strategy must contain between 1 and 20 capacity providers, got 21")
    fails_with('tasks.CapacityProviderOptions.custom({ { weight = 1 } })', 1,
      "CapacityProviderOptions.custom item 1: missing required prop 'capacity_provider'")
  end)

  it("a security group that is not one", function()
    fails_with(([[
tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate, %s,
  security_groups = { "sg-1" }, assign_public_ip = true })]]):format(target), 1,
      "EcsRunTask 'T': prop 'security_groups': item 1 must be an ec2.SecurityGroup, got string")
  end)

  it("subnets by group name and a security group made by the task", function()
    local t = synth(([[
local sm = sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(
  tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = fargate, %s,
    subnets = { subnet_group_name = "Public" } })) })]]):format(target))
    local sg
    for id, r in pairs(t.Resources) do
      if r.Type == "AWS::EC2::SecurityGroup" then sg = id end
    end
    assert.are.equal("S/T/SecurityGroup", t.Resources[sg].Properties.GroupDescription)
  end)
end)

describe("EcsRunTask IAM", function()
  it("runs the task definition itself under the feature flag fixRunEcsTaskPolicy", function()
    -- The same app in CDK (context flag true) gives {"Ref": "TD49C78F36"}.
    local _, dir = h.write_app([[
local cdk   = require "sfl"
local ec2   = require "sfl.aws_ec2"
local ecs   = require "sfl.aws_ecs"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local app = cdk.App({ context = { ["@aws-cdk/aws-stepfunctions-tasks:fixRunEcsTaskPolicy"] = true } })
local stack = cdk.Stack(app, "S")
local vpc = ec2.Vpc.from_vpc_attributes(stack, "Vpc", { vpc_id = "v", availability_zones = { "a" },
  private_subnet_ids = { "s" } })
local cluster = ecs.Cluster(stack, "C", { vpc = vpc })
local td = ecs.FargateTaskDefinition(stack, "TD")
td:add_container("c", { image = ecs.ContainerImage.from_registry("x") })
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(
  tasks.EcsRunTask(stack, "T", { cluster = cluster, task_definition = td,
    launch_target = tasks.EcsFargateLaunchTarget() })) })]])
    local stdout, stderr, status = h.sfl_run({ "synth", "app.lua", "-o", dir .. "/out" }, dir)
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
    local t = h.decode(stdout)
    local policy
    for _, r in pairs(t.Resources) do
      if r.Type == "AWS::IAM::Policy" then policy = r end
    end
    assert.are.same({ Action = "ecs:RunTask", Effect = "Allow", Resource = { Ref = "TD49C78F36" } },
                    policy.Properties.PolicyDocument.Statement[1])
  end)
end)
