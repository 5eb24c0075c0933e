-- sfl.aws_iam: what the golden fixtures i01..i07 do not show: mistakes, reported at the
-- user's line with CDK's own words where CDK has them, and the grantee check.
local h = require "helpers"

local prelude = [[
local cdk     = require "sfl"
local iam     = require "sfl.aws_iam"
local sf      = require "sfl.aws_stepfunctions"
local app     = cdk.App()
local stack   = cdk.Stack(app, "S")
local svc     = iam.ServicePrincipal("lambda.amazonaws.com")
]]
local app = h.app_checker(prelude)
local synth, fails_with, template = app.synth, app.fails_with, app.template

describe("aws_iam errors", function()
  it("a Role needs assumed_by", function()
    fails_with('iam.Role(stack, "R", {})', 1, "Role 'R': missing required prop 'assumed_by'")
  end)

  it("assumed_by must be a principal", function()
    fails_with('iam.Role(stack, "R", { assumed_by = "lambda.amazonaws.com" })', 1,
      "Role 'R': prop 'assumed_by' must be an aws_iam.IPrincipal (e.g. "
      .. 'iam.ServicePrincipal("lambda.amazonaws.com")), got string')
  end)

  it("role names follow IAM's rules", function()
    fails_with('iam.Role(stack, "R", { assumed_by = svc, role_name = "a b" })', 1,
      "Role 'R': Invalid roleName. The name must be a string of characters consisting of upper "
      .. "and lowercase alphanumeric characters with no spaces. You can also include any of the "
      .. "following characters: _+=,.@-. Length must be between 1 and 64 characters.")
  end)

  it("max_session_duration is between one and twelve hours", function()
    fails_with('iam.Role(stack, "R", { assumed_by = svc, max_session_duration = cdk.Duration.minutes(30) })',
      1, "Role 'R': maxSessionDuration is set to 1800, but must be >= 3600sec (1hr) and "
      .. "<= 43200sec (12hrs)")
  end)

  it("role paths are surrounded by slashes", function()
    fails_with('iam.Role(stack, "R", { assumed_by = svc, path = "team" })', 1,
      "Role 'R': Role path must be either a slash or valid characters (alphanumerics and "
      .. "symbols) surrounded by slashes. Valid characters are unicode characters in "
      .. "[\\u0021-\\u007F]. However, team is provided.")
  end)

  it("managed_policies items must be managed policies", function()
    fails_with('iam.Role(stack, "R", { assumed_by = svc, managed_policies = { "ReadOnlyAccess" } })',
      1, "Role 'R': prop 'managed_policies': item 1 must be an aws_iam.IManagedPolicy (e.g. "
      .. 'ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")), got string')
  end)

  it("actions are service:name", function()
    fails_with('iam.PolicyStatement({ actions = { "s3 GetObject" } })', 1,
      "Action 's3 GetObject' is invalid. An action string consists of a service namespace, a "
      .. "colon, and the name of an action. Action names can include wildcards.")
  end)

  it("actions and not_actions do not mix", function()
    fails_with('iam.PolicyStatement({ actions = { "s3:*" }, not_actions = { "iam:*" } })', 1,
      "Cannot add 'NotActions' to policy statement if 'Actions' have been added")
  end)

  it("effect is Allow or Deny", function()
    fails_with('iam.PolicyStatement({ effect = "allow" })', 1,
      "PolicyStatement: prop 'effect' must be one of Allow, Deny, got 'allow'")
  end)

  it("a role's statement names a resource", function()
    fails_with([[
local r = iam.Role(stack, "R", { assumed_by = svc })
r:add_to_policy(iam.PolicyStatement({ actions = { "s3:GetObject" } }))]], 2,
      "Role 'R': A PolicyStatement used in an identity-based policy must specify at least one "
      .. "resource.")
  end)

  it("a role's statement has actions", function()
    fails_with([[
iam.Policy(stack, "P", { statements = { iam.PolicyStatement({ resources = { "*" } }) } })]], 1,
      "Policy 'P': A PolicyStatement must specify at least one 'action' or 'notAction'.")
  end)

  it("a role's statement has no principal", function()
    fails_with([[
local s = iam.PolicyStatement({ actions = { "s3:*" }, resources = { "*" }, principals = { svc } })
iam.Role(stack, "R", { assumed_by = svc, inline_policies = { P = iam.PolicyDocument({ statements = { s } }) } })]],
      2, "Role 'R': A PolicyStatement used in an identity-based policy cannot specify any IAM "
      .. "principals.")
  end)

  it("an empty ManagedPolicy is refused at synthesis", function()
    fails_with('iam.ManagedPolicy(stack, "M")', 1,
      "ManagedPolicy 'M': Managed Policy is empty. You must add statements to the policy")
  end)

  it("a forced Policy must have statements", function()
    fails_with('iam.Policy(stack, "P", { force = true })', 1,
      "Policy created with force=true is empty. You must add statements to the policy")
  end)

  it("from_role_arn takes a role ARN", function()
    fails_with('iam.Role.from_role_arn(stack, "R", "arn:aws:iam::1:user/x")', 1,
      "Role.from_role_arn: 'arn:aws:iam::1:user/x' is not a role ARN: write it as "
      .. "arn:PARTITION:iam::ACCOUNT:role/NAME")
  end)

  it("imported managed policies cannot change", function()
    fails_with([[
local m = iam.ManagedPolicy.from_managed_policy_name(stack, "M", "x")
m:add_statements(iam.PolicyStatement({ actions = { "s3:*" }, resources = { "*" } }))]], 2,
      "an imported managed policy cannot be changed: make an iam.ManagedPolicy(scope, id, "
      .. "{...}) to add statements or roles")
  end)

  it("grants take a Role, a Function or a StateMachine", function()
    fails_with([[
local r = iam.Role(stack, "R", { assumed_by = svc })
r:grant_pass_role("someone")]], 2,
      "bad argument #1 to 'grant_pass_role' (sfl.aws_iam.IGrantable (a Role, a Function or a "
      .. "StateMachine) expected, got string)")
  end)

  it("a StateMachine role must be a role", function()
    fails_with([[
sf.StateMachine(stack, "M", { role = svc,
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })]], 1,
      "StateMachine 'M': prop 'role' must be an aws_iam.IRole (iam.Role(...) or "
      .. "iam.Role.from_role_arn(...)), got sfl.aws_iam.IPrincipal")
  end)
end)

describe("aws_iam behaviour", function()
  it("an unattached or empty Policy is not written (CfnPolicyConditional)", function()
    local t = template([[
iam.Policy(stack, "Empty", { roles = { iam.Role(stack, "R", { assumed_by = svc }) } })
iam.Policy(stack, "Loose", { statements = {
  iam.PolicyStatement({ actions = { "s3:*" }, resources = { "*" } }) } })]])
    local names = {}
    for k in pairs(t.Resources) do names[#names + 1] = k end
    table.sort(names)
    assert.are.same({ "RC21A1702" }, names)
  end)

  it("a StateMachine grants to a Role", function()
    local t = template([[
local r = iam.Role(stack, "R", { assumed_by = svc })
local m = sf.StateMachine(stack, "M", {
  definition_body = sf.DefinitionBody.from_chainable(sf.Pass(stack, "P")) })
m:grant_start_execution(r)]])
    local doc = t.Resources.RDefaultPolicy0707467B.Properties.PolicyDocument
    assert.are.same({ { Action = "states:StartExecution", Effect = "Allow",
                        Resource = { Ref = "M38C90C7F" } } }, doc.Statement)
  end)

  it("PolicyStatement:to_json renders the statement", function()
    local _, stderr, status = synth([[
local s = iam.PolicyStatement({ actions = { "s3:GetObject", "s3:GetObject" }, resources = { "*" } })
s:add_condition("Bool", { ["aws:SecureTransport"] = "false" })
local j = s:to_json()
assert(j.Action == "s3:GetObject" and j.Effect == "Allow" and j.Resource == "*")
assert(j.Condition.Bool["aws:SecureTransport"] == "false")]])
    assert.are.equal("", stderr)
    assert.are.equal(0, status)
  end)
end)
