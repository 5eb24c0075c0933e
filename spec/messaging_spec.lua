-- sfl.aws_sns, sfl.aws_sqs, sfl.aws_events and their tasks (SnsPublish, SqsSendMessage,
-- EventBridgePutEvents): each mistake CDK rejects is reported at the user's line with
-- exit status 1. The templates themselves are pinned by fixtures m01..m09.
local h = require "helpers"

local prelude = [[
local cdk   = require "sfl"
local sf    = require "sfl.aws_stepfunctions"
local tasks = require "sfl.aws_stepfunctions_tasks"
local sns   = require "sfl.aws_sns"
local sqs   = require "sfl.aws_sqs"
local events = require "sfl.aws_events"
local app   = cdk.App()
local stack = cdk.Stack(app, "S")
local topic = sns.Topic(stack, "Topic")
local fifo  = sns.Topic(stack, "Fifo", { fifo = true })
]]

local checker = h.app_checker(prelude)
local fails_with, template = checker.fails_with, checker.template

describe("sns.Topic errors", function()
  it("content-based deduplication on a standard topic", function()
    fails_with('sns.Topic(stack, "T", { content_based_deduplication = true })', 1,
      "Content based deduplication can only be enabled for FIFO SNS topics.")
  end)

  it("FIFO-only props on a standard topic", function()
    fails_with('sns.Topic(stack, "T", { message_retention_period_in_days = 3 })', 1,
      "`message_retention_period_in_days` is only valid for FIFO SNS topics.")
    fails_with([[sns.Topic(stack, "T", {
  fifo_throughput_scope = sns.FifoThroughputScope.TOPIC })]], 1,
      "`fifo_throughput_scope` can only be set for FIFO SNS topics.")
  end)

  it("a retention out of range", function()
    fails_with('sns.Topic(stack, "T", { fifo = true, message_retention_period_in_days = 400 })',
      1, "`message_retention_period_in_days` must be an integer between 1 and 365")
  end)

  it("a signature version other than 1 or 2", function()
    fails_with('sns.Topic(stack, "T", { signature_version = "3" })', 1,
      'signature_version must be "1" or "2", received: "3"')
  end)

  it("a display name over 100 characters", function()
    fails_with('sns.Topic(stack, "T", { display_name = ("x"):rep(101) })', 1,
      "display_name must be less than or equal to 100 characters, got 101")
  end)

  it("a KMS master key that is not a key", function()
    fails_with('sns.Topic(stack, "T", { master_key = "alias/aws/sns" })', 1,
      "Topic 'T': prop 'master_key' must be an aws_kms.IKey (a Key, or Key.from_key_arn(...)), "
      .. "got string")
  end)

  it("an unknown throughput scope", function()
    fails_with('sns.Topic(stack, "T", { fifo = true, fifo_throughput_scope = "Queue" })', 1,
      "Topic 'T': prop 'fifo_throughput_scope' must be one of Topic, MessageGroup, got 'Queue'")
  end)

  it("an ARN that is not one", function()
    fails_with('sns.Topic.from_topic_arn(stack, "I", "alerts")', 1,
      'ARNs must start with "arn:" and have at least 6 components: alerts')
    fails_with('sns.Topic.from_topic_arn(stack, "I", "arn:aws:sns:r:a")', 1,
      "The `resource` component (6th component) of an ARN is required: arn:aws:sns:r:a")
    fails_with('sns.Topic.from_topic_arn(stack, "I", 7)', 1,
      "topic_arn must be a string, got number")
  end)

  it("granting to something that is no grantee", function()
    fails_with('topic:grant_publish("role")', 1,
      "bad argument #1 to 'grant_publish' (sfl.aws_iam.IGrantable (a Role, a Function or a "
      .. "StateMachine) expected, got string)")
  end)
end)

describe("sns.Topic", function()
  it("reads back its attributes, imported ones split from the ARN", function()
    local t = template([[
local i = sns.Topic.from_topic_arn(stack, "I", "arn:aws:sns:eu-west-1:1:jobs.fifo")
assert(i.fifo and i.topic_name == "jobs.fifo" and not topic.fifo and fifo.fifo)
local j = sns.Topic.from_topic_arn(stack, "J", topic.topic_arn)
sf.StateMachine(stack, "M", { definition_body = sf.DefinitionBody.from_chainable(
  sf.Pass(stack, "P", { parameters = { name = j.topic_name, own = topic.topic_name } })) })]])
    local def = t.Resources.M38C90C7F.Properties.DefinitionString["Fn::Join"][2]
    assert.are.same({ ["Fn::Select"] = { 5, { ["Fn::Split"] = { ":", { Ref = "TopicBFC7AF6E" } } } } },
                    def[2])
    assert.are.same({ ["Fn::GetAtt"] = { "TopicBFC7AF6E", "TopicName" } }, def[4])
  end)
end)

describe("SnsPublish errors", function()
  it("WAIT_FOR_TASK_TOKEN without the token in the message", function()
    fails_with([[
tasks.SnsPublish(stack, "T", { topic = topic, message = sf.TaskInput.from_text("x"),
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })]], 1,
      "Task Token is required in `message` Use JsonPath.task_token to set the token.")
  end)

  it("RUN_JOB", function()
    fails_with([[
tasks.SnsPublish(stack, "T", { topic = topic, message = sf.TaskInput.from_text("x"),
  integration_pattern = sf.IntegrationPattern.RUN_JOB })]], 1,
      "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,"
      .. "WAIT_FOR_TASK_TOKEN. Received: RUN_JOB")
  end)

  it("a FIFO topic without a group or deduplication id", function()
    fails_with('tasks.SnsPublish(stack, "T", { topic = fifo, message = sf.TaskInput.from_text("x") })',
      1, "'message_group_id' is required for FIFO topics")
    fails_with([[
tasks.SnsPublish(stack, "T", { topic = fifo, message = sf.TaskInput.from_text("x"),
  message_group_id = "g" })]], 1,
      "'message_deduplication_id' is required for FIFO topics with "
      .. "'content_based_deduplication' disabled")
  end)

  it("ids over 128 characters", function()
    fails_with([[
tasks.SnsPublish(stack, "T", { topic = fifo, message = sf.TaskInput.from_text("x"),
  message_group_id = ("g"):rep(129) })]], 1,
      "'message_group_id' must be at most 128 characters long, got 129")
    fails_with([[
tasks.SnsPublish(stack, "T", { topic = fifo, message = sf.TaskInput.from_text("x"),
  message_group_id = "g", message_deduplication_id = ("d"):rep(130) })]], 1,
      "'message_deduplication_id' must be at most 128 characters long, got 130")
  end)

  it("a message that is not a TaskInput", function()
    fails_with('tasks.SnsPublish(stack, "T", { topic = topic, message = "hi" })', 1,
      "SnsPublish 'T': prop 'message' must be a sfn.TaskInput (TaskInput.from_object(...), "
      .. "from_json_path_at(...), from_text(...)), got string")
  end)

  it("a topic that is not one", function()
    fails_with('tasks.SnsPublish(stack, "T", { topic = "arn", message = sf.TaskInput.from_text("x") })',
      1, "SnsPublish 'T': prop 'topic' must be an aws_sns.ITopic (a Topic, or "
      .. "Topic.from_topic_arn(...)), got string")
  end)

  it("message attributes whose data type does not fit the value", function()
    local function attr(a)
      return ('tasks.SnsPublish(stack, "T", { topic = topic, message = sf.TaskInput.from_text("x"), '
              .. 'message_attributes = { a = %s } })'):format(a)
    end
    local DT = "tasks.MessageAttributeDataType."
    fails_with(attr("{ value = 3, data_type = " .. DT .. "STRING }"), 1,
      "Requested SNS message attribute type was String but 3 was of type number")
    fails_with(attr("{ value = 'x', data_type = " .. DT .. "NUMBER }"), 1,
      "Requested SNS message attribute type was Number but x was of type string")
    fails_with(attr("{ value = true, data_type = " .. DT .. "NUMBER }"), 1,
      "Requested SNS message attribute type was Number but true was of type boolean")
    fails_with(attr("{ value = { 1, 2 }, data_type = " .. DT .. "NUMBER }"), 1,
      "Requested SNS message attribute type was Number but 1,2 was of type Array")
    fails_with(attr("{ value = { 'a' }, data_type = " .. DT .. "STRING_ARRAY }"), 1,
      "Requested SNS message attribute type was object but Array values must be one of "
      .. "string,boolean,number")
    fails_with(attr("{ value = { k = 1 }, data_type = " .. DT .. "STRING }"), 1,
      "Requested SNS message attribute type was String but [object Object] was of type object")
  end)

  it("message attributes that are not MessageAttributes", function()
    local function attr(a)
      return ('tasks.SnsPublish(stack, "T", { topic = topic, message = sf.TaskInput.from_text("x"), '
              .. 'message_attributes = %s })'):format(a)
    end
    fails_with(attr("'a'"), 1, "SnsPublish 'T': prop 'message_attributes' must be a table of "
      .. "name = MessageAttribute, got string")
    fails_with(attr("{ a = 1 }"), 1, "SnsPublish 'T': message_attributes['a'] must be a "
      .. "MessageAttribute table ({ value = ..., data_type = ... }), got number")
    fails_with(attr("{ a = { valu = 1 } }"), 1, "SnsPublish 'T': message_attributes['a'] has "
      .. "unknown key 'valu' (a MessageAttribute takes value and data_type)")
    fails_with(attr("{ a = { data_type = 'String' } }"), 1,
      "SnsPublish 'T': message_attributes['a'] needs a value")
    fails_with(attr("{ a = { value = 1, data_type = 'Text' } }"), 1,
      "SnsPublish 'T': message_attributes['a'].data_type must be a MessageAttributeDataType "
      .. "(STRING, STRING_ARRAY, NUMBER or BINARY)")
  end)
end)

describe("sqs.Queue errors", function()
  it("props out of range, all in one message", function()
    fails_with([[sqs.Queue(stack, "Q", { delivery_delay = cdk.Duration.seconds(901),
  max_message_size_bytes = 10, retention_period = cdk.Duration.seconds(30),
  receive_message_wait_time = cdk.Duration.seconds(21),
  visibility_timeout = cdk.Duration.hours(13),
  dead_letter_queue = { queue = sqs.Queue(stack, "D"), max_receive_count = 0 } })]], 1,
      "Queue initialization failed due to the following validation error(s):\n"
      .. "- delivery delay must be between 0 and 900 seconds, but 901 was provided\n"
      .. "- maximum message size must be between 1,024 and 1,048,576 bytes, but 10 was provided\n"
      .. "- message retention period must be between 60 and 1,209,600 seconds, but 30 was provided\n"
      .. "- receive wait time must be between 0 and 20 seconds, but 21 was provided\n"
      .. "- visibility timeout must be between 0 and 43,200 seconds, but 46800 was provided\n"
      .. "- dead letter target maximum receive count must be 1 or more, but 0 was provided")
  end)

  it("FIFO names and FIFO-only props", function()
    fails_with('sqs.Queue(stack, "Q", { queue_name = "jobs", fifo = true })', 1,
      "FIFO queue names must end in '.fifo'")
    fails_with('sqs.Queue(stack, "Q", { queue_name = "jobs.fifo", fifo = false })', 1,
      "Non-FIFO queue name may not end in '.fifo'")
    fails_with('sqs.Queue(stack, "Q", { queue_name = "jobs", content_based_deduplication = true })',
      1, "FIFO queue names must end in '.fifo'")
    fails_with('sqs.Queue(stack, "Q", { fifo = false, content_based_deduplication = true })', 1,
      "Content-based deduplication can only be defined for FIFO queues")
    fails_with([[sqs.Queue(stack, "Q", { fifo = false,
  deduplication_scope = sqs.DeduplicationScope.QUEUE })]], 1,
      "Deduplication scope can only be defined for FIFO queues")
    fails_with([[sqs.Queue(stack, "Q", { fifo = false,
  fifo_throughput_limit = sqs.FifoThroughputLimit.PER_QUEUE })]], 1,
      "FIFO throughput limit can only be defined for FIFO queues")
  end)

  it("a KMS key with SQS-managed encryption, or a key that is not one", function()
    fails_with([[sqs.Queue(stack, "Q", { encryption = sqs.QueueEncryption.SQS_MANAGED,
  encryption_master_key = require("sfl.aws_kms").Key(stack, "K") })]], 1,
      "'encryption_master_key' is not supported if encryption type 'SQS_MANAGED' is used")
    fails_with('sqs.Queue(stack, "Q", { encryption_master_key = "k" })', 1,
      "Queue 'Q': prop 'encryption_master_key' must be an aws_kms.IKey (a Key, or "
      .. "Key.from_key_arn(...)), got string")
  end)

  it("a dead-letter queue without its count, or not a queue", function()
    fails_with('sqs.Queue(stack, "Q", { dead_letter_queue = { queue = sqs.Queue(stack, "D") } })',
      1, "Queue 'Q' prop 'dead_letter_queue': missing required prop 'max_receive_count'")
    fails_with('sqs.Queue(stack, "Q", { dead_letter_queue = { queue = topic, max_receive_count = 1 } })',
      1, "Queue 'Q' prop 'dead_letter_queue': prop 'queue' must be an aws_sqs.IQueue, got "
      .. "sfl.aws_sns.Topic")
  end)

  it("an imported queue's ARN that is not one", function()
    fails_with('sqs.Queue.from_queue_arn(stack, "I", "arn:aws:sqs")', 1,
      "The `resource` component (6th component) of an ARN is required: arn:aws:sqs")
  end)
end)

describe("sqs.Queue", function()
  it("imported queues read back their name, URL and FIFO-ness", function()
    template([[
local i = sqs.Queue.from_queue_arn(stack, "I", "arn:aws:sqs:eu-west-1:1:jobs.fifo")
assert(i.fifo and i.queue_name == "jobs.fifo" and i.queue_arn == "arn:aws:sqs:eu-west-1:1:jobs.fifo")
assert(not sqs.Queue(stack, "Q").fifo and sqs.Queue(stack, "F", { fifo = true }).fifo)]])
  end)
end)

describe("SqsSendMessage errors", function()
  it("WAIT_FOR_TASK_TOKEN without the token in the body", function()
    fails_with([[
tasks.SqsSendMessage(stack, "T", { queue = sqs.Queue(stack, "Q"),
  message_body = sf.TaskInput.from_text("x"),
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN })]], 1,
      "Task Token is required in `message_body` Use JsonPath.task_token to set the token.")
  end)

  it("RUN_JOB", function()
    fails_with([[
tasks.SqsSendMessage(stack, "T", { queue = sqs.Queue(stack, "Q"),
  message_body = sf.TaskInput.from_text("x"), integration_pattern = sf.IntegrationPattern.RUN_JOB })]],
      1, "Unsupported service integration pattern. Supported Patterns: REQUEST_RESPONSE,"
      .. "WAIT_FOR_TASK_TOKEN. Received: RUN_JOB")
  end)

  it("a queue that is not one, a body that is not a TaskInput", function()
    fails_with('tasks.SqsSendMessage(stack, "T", { queue = topic, message_body = sf.TaskInput.from_text("x") })',
      1, "SqsSendMessage 'T': prop 'queue' must be an aws_sqs.IQueue (a Queue, or "
      .. "Queue.from_queue_arn(...)), got sfl.aws_sns.Topic")
    fails_with('tasks.SqsSendMessage(stack, "T", { queue = sqs.Queue(stack, "Q"), message_body = "x" })',
      1, "SqsSendMessage 'T': prop 'message_body' must be a sfn.TaskInput (TaskInput.from_object(...), "
      .. "from_json_path_at(...), from_text(...)), got string")
  end)
end)

describe("events.EventBus errors", function()
  it("names CDK refuses", function()
    fails_with('events.EventBus(stack, "B", { event_bus_name = "a", event_source_name = "b" })', 1,
      "'event_bus_name' and 'event_source_name' cannot both be provided")
    fails_with('events.EventBus(stack, "B", { event_bus_name = "default" })', 1,
      "'event_bus_name' must not be 'default'")
    fails_with('events.EventBus(stack, "B", { event_bus_name = "a/b" })', 1,
      "'event_bus_name' must not contain '/'")
    fails_with('events.EventBus(stack, "B", { event_bus_name = "a b" })', 1,
      "'event_bus_name' must satisfy: /^[\\/\\.\\-_A-Za-z0-9]{1,256}$/")
    fails_with('events.EventBus(stack, "B", { event_source_name = "aws.partner/x" })', 1,
      "'event_source_name' must satisfy: /^aws\\.partner(\\/[\\.\\-_A-Za-z0-9]+){2,}$/")
  end)

  it("a description over 512 characters", function()
    fails_with('events.EventBus(stack, "B", { description = ("d"):rep(513) })', 1,
      "description must be less than or equal to 512 characters, got 513")
  end)

  it("a KMS key", function()
    fails_with('events.EventBus(stack, "B", { kms_key = "k" })', 1,
      "EventBus 'B': prop 'kms_key' must be an aws_kms.IKey, and sfl does not encrypt event "
      .. "buses with a customer managed key yet: leave kms_key out, got string")
  end)

  it("an imported bus's ARN that is not one", function()
    fails_with('events.EventBus.from_event_bus_arn(stack, "I", "bus")', 1,
      'ARNs must start with "arn:" and have at least 6 components: bus')
  end)
end)

describe("events.EventBus", function()
  it("imported buses read back their ARN and name", function()
    template([[
local a = events.EventBus.from_event_bus_arn(stack, "A", "arn:aws:events:r:1:event-bus/x")
assert(a.event_bus_name == "x" and a.event_bus_arn == "arn:aws:events:r:1:event-bus/x")
local n = events.EventBus.from_event_bus_name(stack, "N", "y")
assert(n.event_bus_name == "y")]])
  end)
end)

describe("EventBridgePutEvents errors", function()
  it("no entries", function()
    fails_with('tasks.EventBridgePutEvents(stack, "T", { entries = {} })', 1,
      "Value for property `entries` must be a non-empty array.")
  end)

  it("a source starting with aws.", function()
    fails_with([[tasks.EventBridgePutEvents(stack, "T", { entries = {
  { detail = sf.TaskInput.from_text("x"), detail_type = "t", source = "aws.shop" } } })]], 1,
      'Event source cannot start with "aws."')
  end)

  it("WAIT_FOR_TASK_TOKEN without the token in any detail", function()
    fails_with([[tasks.EventBridgePutEvents(stack, "T", {
  integration_pattern = sf.IntegrationPattern.WAIT_FOR_TASK_TOKEN, entries = {
  { detail = sf.TaskInput.from_text("x"), detail_type = "t", source = "s" } } })]], 1,
      "Task Token is required in `entries`. Use JsonPath.task_token to set the token.")
  end)

  it("an entry without its required props, or with a bus that is not one", function()
    fails_with([[tasks.EventBridgePutEvents(stack, "T", { entries = {
  { detail = sf.TaskInput.from_text("x"), source = "s" } } })]], 1,
      "EventBridgePutEvents 'T' prop 'entries': missing required prop 'detail_type'")
    fails_with([[tasks.EventBridgePutEvents(stack, "T", { entries = {
  { detail = sf.TaskInput.from_text("x"), detail_type = "t", source = "s", event_bus = topic } } })]],
      1, "EventBridgePutEvents 'T' prop 'entries': prop 'event_bus' must be an "
      .. "aws_events.IEventBus (an EventBus, or EventBus.from_event_bus_arn/_name(...)), got "
      .. "sfl.aws_sns.Topic")
  end)
end)
