-- Loops and joins CDK users ask for (aws-cdk issues 7920, 9843, 8680, 11159), written
-- without dummy Pass states. Tagged #module: runs in-process with sfl.so.
describe("loops and joins #module", function()
  local cdk = require "sfl"
  local sf  = require "sfl.aws_stepfunctions"
  local stack

  before_each(function()
    stack = cdk.Stack(cdk.App(), "S")
  end)

  local function definition(chain)
    return sf.StateMachine(stack, "M", {
      definition_body = sf.DefinitionBody.from_chainable(chain) }):definition()
  end

  it("continues a chain after a Choice through its default, and loops back (7920)", function()
    local step1, step2 = sf.Pass(stack, "Step1"), sf.Pass(stack, "Step2")
    local check = sf.Choice(stack, "Done?")
      :when(sf.Condition.boolean_equals("$.done", false), step1)
    local asl = definition(sf.Chain.start(step1):next(check):next(step2)
                             :next(sf.Succeed(stack, "Finished")))
    assert.are.equal("Done?", asl.States.Step1.Next)
    assert.are.equal("Step1", asl.States["Done?"].Choices[1].Next)
    assert.are.equal("Step2", asl.States["Done?"].Default)
    assert.are.equal("Finished", asl.States.Step2.Next)
  end)

  it("lets a Choice branch go straight to the state the others join (9843)", function()
    local upload, fargate = sf.Pass(stack, "Upload"), sf.Pass(stack, "Fargate")
    local run1, run2 = sf.Pass(stack, "Run1"), sf.Pass(stack, "Run2")
    local choice = sf.Choice(stack, "Job Type ?")
      :when(sf.Condition.string_equals("$.jobtype", "job_type_1"), upload)
      :otherwise(run1:next(run2))
    local asl = definition(sf.Chain.start(choice:afterwards()):next(upload):next(fargate))
    assert.are.equal("Upload", asl.States["Job Type ?"].Choices[1].Next)
    assert.are.equal("Run1", asl.States["Job Type ?"].Default)
    assert.are.equal("Upload", asl.States.Run2.Next)
    assert.are.equal("Fargate", asl.States.Upload.Next)
    assert.is_true(asl.States.Fargate.End)
  end)

  it("pages through a list API: a Choice loops back, the chain goes on by default (11159)",
     function()
    local list, process = sf.Pass(stack, "List"), sf.Pass(stack, "Process")
    local more = sf.Choice(stack, "NextPageCheck")
      :when(sf.Condition.is_not_null("$.nextToken"), list)
    local asl = definition(list:next(process):next(more):next(sf.Pass(stack, "Cleanup")))
    assert.are.same({ "List", "Process", "NextPageCheck", "Cleanup" },
                    { asl.StartAt, asl.States.List.Next, asl.States.Process.Next,
                      asl.States.NextPageCheck.Default })
    assert.are.equal("List", asl.States.NextPageCheck.Choices[1].Next)
  end)

  it("still refuses to continue after a Choice that has a default", function()
    local c = sf.Choice(stack, "C"):when(sf.Condition.is_present("$.x"), sf.Pass(stack, "A"))
      :otherwise(sf.Pass(stack, "B"))
    local ok, err = pcall(function() sf.Chain.start(c):next(sf.Pass(stack, "D")) end)
    assert.is_false(ok)
    assert.matches("loops_spec.lua:%d+: Cannot add to chain: last state in chain %(C%) does "
                   .. "not allow it$", err)
  end)
end)
