"""CloudFormation for the fake endpoint (Query API, 2010-05-15): change sets, stacks that
move through their real statuses one resource per poll, events, outputs, rollbacks.

Every DescribeStacks or DescribeStackEvents naming a stack (or listing all) first advances
each in-progress stack by one step: one resource created, updated or deleted (two events,
IN_PROGRESS then COMPLETE or FAILED), or one stack status change. A change set shows
CREATE_IN_PROGRESS to its first DescribeChangeSet and its outcome from the second on.
A resource whose Properties hold "FakeFail": "reason" fails with that reason.
"""
import base64
import datetime
import json
import re
import secrets
import string
import time
import uuid
from urllib.parse import unquote, urlsplit

import awswire
import intrinsics
from awswire import AwsError, members

MAX_BODY = 51200
MAX_URL_TEMPLATE = 1000000
NO_CHANGES = ("The submitted information didn't contain changes. Submit different "
              "information to create a change set.")
NAME_RE = re.compile(r"^[a-zA-Z][-a-zA-Z0-9]*$")
IAM_TYPES = {"AWS::IAM::Role": "RoleName", "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
             "AWS::IAM::User": "UserName", "AWS::IAM::Group": "GroupName",
             "AWS::IAM::InstanceProfile": "InstanceProfileName", "AWS::IAM::Policy": None,
             "AWS::IAM::AccessKey": None, "AWS::IAM::UserToGroupAddition": None}
UPDATABLE = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE",
             "UPDATE_FAILED", "CREATE_FAILED", "IMPORT_COMPLETE", "IMPORT_ROLLBACK_COMPLETE")


def validation(message):
    return AwsError(400, "ValidationError", message)


def _rand(n):
    return "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(n))


# {============ resource types: names, Ref and Fn::GetAtt values

# type -> (name property, what Ref gives: "name" | "arn" | "url" | "id", ARN pattern)
TYPES = {
    "AWS::S3::Bucket": ("BucketName", "name", "arn:aws:s3:::{name}"),
    "AWS::SSM::Parameter": ("Name", "name",
                            "arn:aws:ssm:{region}:{account}:parameter/{bare}"),
    "AWS::IAM::Role": ("RoleName", "name", "arn:aws:iam::{account}:role/{name}"),
    "AWS::IAM::ManagedPolicy": ("ManagedPolicyName", "arn",
                                "arn:aws:iam::{account}:policy/{name}"),
    "AWS::IAM::User": ("UserName", "name", "arn:aws:iam::{account}:user/{name}"),
    "AWS::Lambda::Function": ("FunctionName", "name",
                              "arn:aws:lambda:{region}:{account}:function:{name}"),
    "AWS::StepFunctions::StateMachine": ("StateMachineName", "arn",
                                         "arn:aws:states:{region}:{account}:stateMachine:{name}"),
    "AWS::StepFunctions::Activity": ("Name", "arn",
                                     "arn:aws:states:{region}:{account}:activity:{name}"),
    "AWS::Logs::LogGroup": ("LogGroupName", "name",
                            "arn:aws:logs:{region}:{account}:log-group:{name}:*"),
    "AWS::SNS::Topic": ("TopicName", "arn", "arn:aws:sns:{region}:{account}:{name}"),
    "AWS::SQS::Queue": ("QueueName", "url", "arn:aws:sqs:{region}:{account}:{name}"),
    "AWS::DynamoDB::Table": ("TableName", "name",
                             "arn:aws:dynamodb:{region}:{account}:table/{name}"),
    "AWS::ECR::Repository": ("RepositoryName", "name",
                             "arn:aws:ecr:{region}:{account}:repository/{name}"),
    "AWS::Events::EventBus": ("Name", "name", "arn:aws:events:{region}:{account}:event-bus/{name}"),
    "AWS::Events::Rule": ("Name", "name", "arn:aws:events:{region}:{account}:rule/{name}"),
    "AWS::KMS::Key": (None, "id", "arn:aws:kms:{region}:{account}:key/{name}"),
}
# Attributes other than Arn, by type: attribute -> pattern.
ATTRIBUTES = {
    "AWS::S3::Bucket": {"DomainName": "{name}.s3.amazonaws.com",
                        "RegionalDomainName": "{name}.s3.{region}.amazonaws.com",
                        "WebsiteURL": "http://{name}.s3-website-{region}.amazonaws.com"},
    "AWS::SQS::Queue": {"QueueName": "{name}",
                        "QueueUrl": "https://sqs.{region}.amazonaws.com/{account}/{name}"},
    "AWS::SNS::Topic": {"TopicName": "{name}", "TopicArn": "{arn}"},
    "AWS::StepFunctions::StateMachine": {"Name": "{name}"},
    "AWS::KMS::Key": {"KeyId": "{name}"},
    "AWS::IAM::Role": {"RoleId": "AROA{upper}"},
    "AWS::ECR::Repository": {"RepositoryUri": "{account}.dkr.ecr.{region}.amazonaws.com/{name}"},
}


def generated_name(stack, logical, rtype):
    if rtype == "AWS::KMS::Key":
        return str(uuid.uuid4())
    if rtype == "AWS::SSM::Parameter":
        return "CFN-%s-%s" % (logical, _rand(12))
    name = "%s-%s-%s" % (stack.name, logical, _rand(12))
    return name.lower() if rtype == "AWS::S3::Bucket" else name


def _fill(pattern, res, stack):
    name = res["name"]
    return pattern.format(name=name, bare=name.lstrip("/"), region=stack.region,
                          account=stack.account, arn=arn_of(res, stack),
                          upper=re.sub(r"[^A-Z0-9]", "", name.upper())[:17])


def arn_of(res, stack):
    spec = TYPES.get(res["type"])
    if spec:
        return spec[2].format(name=res["name"], bare=res["name"].lstrip("/"),
                              region=stack.region, account=stack.account)
    service = res["type"].split("::")[1].lower() if res["type"].count("::") == 2 else "fake"
    return "arn:aws:%s:%s:%s:%s/%s" % (service, stack.region, stack.account,
                                       res["type"].split("::")[-1].lower(), res["name"])


def ref_of(res, stack):
    kind = TYPES.get(res["type"], (None, "name", None))[1]
    if kind == "arn":
        return arn_of(res, stack)
    if kind == "url":
        return _fill(ATTRIBUTES["AWS::SQS::Queue"]["QueueUrl"], res, stack)
    return res["name"]


def att_of(res, attribute, stack):
    if attribute == "Arn":
        return arn_of(res, stack)
    pattern = ATTRIBUTES.get(res["type"], {}).get(attribute)
    if pattern:
        return _fill(pattern, res, stack)
    if res["type"] == "AWS::SSM::Parameter" and attribute in ("Value", "Type"):
        return res["props"].get(attribute, "")
    return "%s.%s" % (res["name"], attribute)

# }============


def now_iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc) \
        .strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Template:
    """A parsed template and what CloudFormation checks before accepting it."""

    def __init__(self, text):
        self.text = text
        try:
            doc = json.loads(text)
        except ValueError as e:
            line, col = getattr(e, "lineno", 1), getattr(e, "colno", 1)
            if text.lstrip()[:1] not in ("{", "["):
                raise validation("Template format error: the fake endpoint reads JSON "
                                 "templates only")
            raise validation("Template format error: JSON not well-formed. (line %d, "
                             "column %d)" % (line, col))
        if not isinstance(doc, dict):
            raise validation("Template format error: JSON not well-formed. (line 1, column 1)")
        self.doc = doc
        self.resources = doc.get("Resources") or {}
        if not isinstance(self.resources, dict) or not self.resources:
            raise validation("Template format error: At least one Resources member must be "
                             "defined.")
        for logical, decl in self.resources.items():
            if not isinstance(decl, dict) or "Type" not in decl:
                raise validation("Template format error: [/Resources/%s] Every Resources "
                                 "object must contain a Type member." % logical)
        self.parameters = doc.get("Parameters") or {}
        self.outputs = doc.get("Outputs") or {}
        self.conditions = doc.get("Conditions") or {}
        self.mappings = doc.get("Mappings") or {}
        self.rules = doc.get("Rules") or {}
        self.description = doc.get("Description")
        self.order = self._order()

    def deps(self, logical):
        decl = self.resources[logical]
        out = intrinsics.references(decl.get("Properties", {}))
        depends = decl.get("DependsOn", [])
        out |= set([depends] if isinstance(depends, str) else depends)
        return out

    def _order(self):
        """The resources in creation order: dependencies first, else template order."""
        known = set(self.resources) | set(self.parameters)
        missing = set()
        for logical in self.resources:
            for d in self.deps(logical):
                if d not in known and not d.startswith("AWS::"):
                    missing.add(d)
        if missing:
            raise validation("Template format error: Unresolved resource dependencies [%s] "
                             "in the Resources block of the template" % ", ".join(sorted(missing)))
        unknown = {d for d in intrinsics.references(self.outputs)
                   if d not in known and not d.startswith("AWS::")}
        if unknown:
            raise validation("Template format error: Unresolved resource dependencies [%s] "
                             "in the Outputs block of the template" % ", ".join(sorted(unknown)))
        order, done = [], set()
        pending = list(self.resources)
        while pending:
            ready = [r for r in pending
                     if all(d in done or d not in self.resources for d in self.deps(r))]
            if not ready:
                raise validation("Circular dependency between resources: [%s]"
                                 % ", ".join(pending))
            for r in ready:
                order.append(r)
                done.add(r)
            pending = [r for r in pending if r not in done]
        return order


class ChangeSet:
    def __init__(self, stack, name, kind, template, params, capabilities, description):
        self.stack, self.name, self.kind = stack, name, kind
        self.id = "arn:aws:cloudformation:%s:%s:changeSet/%s/%s" % (
            stack.region, stack.account, name, uuid.uuid4())
        self.template, self.params = template, params
        self.capabilities, self.description = capabilities, description
        self.created = time.time()
        self.status, self.execution, self.reason = "CREATE_PENDING", "UNAVAILABLE", None
        self.outcome = None   # (status, execution status, reason) shown from the 2nd describe
        self.changes = []
        self.polls = 0

    def poll(self):
        self.polls += 1
        if self.status == "CREATE_PENDING":
            self.status = "CREATE_IN_PROGRESS"
        elif self.status == "CREATE_IN_PROGRESS":
            self.status, self.execution, self.reason = self.outcome


class Stack:
    def __init__(self, engine, name, region, account):
        self.engine = engine
        self.name, self.region, self.account = name, region, account
        self.id = "arn:aws:cloudformation:%s:%s:stack/%s/%s" % (region, account, name,
                                                                uuid.uuid4())
        self.status, self.reason = None, None
        self.template = None
        self.params = []          # [(key, value, resolved or None)]
        self.capabilities = []
        self.resources = {}       # logical -> {"type", "name", "props", "decl", "status"}
        self.outputs = []
        self.events = []
        self.change_sets = {}
        self.change_set_id = None
        self.created = time.time()
        self.updated = None
        self.deleted = None
        self.disable_rollback = False
        self.operation = None     # a generator: each next() is one step

    # {============ events and statuses

    def event(self, logical, rtype, physical, status, reason=None, props=None):
        t = self.engine.tick()
        if logical == self.name and rtype == "AWS::CloudFormation::Stack":
            event_id = str(uuid.uuid4())
        else:
            event_id = "%s-%s-%s" % (logical, status, now_iso(t))
        self.events.append({"EventId": event_id, "StackId": self.id, "StackName": self.name,
                            "LogicalResourceId": logical, "PhysicalResourceId": physical,
                            "ResourceType": rtype, "Timestamp": t, "ResourceStatus": status,
                            "ResourceStatusReason": reason,
                            "ResourceProperties": json.dumps(props) if props is not None
                            else None})

    def set_status(self, status, reason=None):
        self.status, self.reason = status, reason
        self.event(self.name, "AWS::CloudFormation::Stack", self.id, status, reason)

    def advance(self):
        if self.operation is None:
            return
        try:
            next(self.operation)
        except StopIteration:
            self.operation = None

    def start(self, operation):
        self.operation = operation
        self.advance()

    # }============

    def context(self, params=None, template=None):
        template = template or self.template
        values = {k: (r if r is not None else v) for k, v, r in (params or self.params)}
        for k, decl in (template.parameters.items() if template else []):
            if str(decl.get("Type", "")).startswith("List<") or \
                    decl.get("Type") == "CommaDelimitedList":
                if isinstance(values.get(k), str):
                    values[k] = values[k].split(",")

        def ref(logical):
            res = self.resources.get(logical)
            if res is None or res["name"] is None:
                raise intrinsics.Unresolved(logical)
            return ref_of(res, self)

        def att(logical, attribute):
            res = self.resources.get(logical)
            if res is None or res["name"] is None:
                raise intrinsics.Unresolved(logical)
            return att_of(res, attribute, self)
        return intrinsics.Context(
            self.name, self.id, self.region, self.account, values,
            dict(template.conditions) if template else {},
            template.mappings if template else {}, ref, att, self.engine.exports(self))


class Engine:
    def __init__(self, state):
        self.state = state
        self.stacks = []
        self.last_tick = 0.0
        self.events_page = 100
        self.changes_page = 0   # DescribeChangeSet's Changes per page; 0: all in one

    def tick(self):
        """A timestamp for an event, strictly later than the last one."""
        t = max(time.time(), self.last_tick + 0.001)
        self.last_tick = t
        return t

    # {============ lookups

    def find(self, name_or_id, region, live_only=False):
        for s in reversed(self.stacks):
            if s.region != region:
                continue
            if s.id == name_or_id:
                return None if live_only and s.deleted else s
            if s.name == name_or_id and s.deleted is None:
                return s
        return None

    def need(self, name_or_id, region):
        stack = self.find(name_or_id, region)
        if stack is None:
            raise validation("Stack with id %s does not exist" % name_or_id)
        return stack

    def exports(self, exclude):
        out = {}
        for s in self.stacks:
            if s is exclude or s.deleted:
                continue
            for o in s.outputs:
                if o.get("ExportName"):
                    out[o["ExportName"]] = o["OutputValue"]
        return out

    def change_set(self, params, region):
        name = params.get("ChangeSetName")
        if not name:
            raise validation("1 validation error detected: Value null at 'changeSetName' "
                             "failed to satisfy constraint: Member must not be null")
        if name.startswith("arn:"):
            for s in self.stacks:
                for cs in s.change_sets.values():
                    if cs.id == name:
                        return cs
            raise AwsError(404, "ChangeSetNotFound", "ChangeSet [%s] does not exist" % name)
        if not params.get("StackName"):
            raise validation("StackName must be specified if ChangeSetName is not specified "
                             "as an ARN.")
        stack = self.need(params["StackName"], region)
        cs = stack.change_sets.get(name)
        if cs is None:
            raise AwsError(404, "ChangeSetNotFound", "ChangeSet [%s] does not exist" % name)
        return cs

    # }============

    def handle(self, req, identity):
        handler = ACTIONS.get(req.action)
        if handler is None:
            raise AwsError(400, "InvalidAction", "Could not find operation %s for version %s"
                           % (req.action, awswire.VERSIONS["cloudformation"]))
        with self.state.lock:
            result = handler(self, req.params, req.signed.region, identity["account"])
        with_result = result is not None
        return awswire.query_result("cloudformation", req.action, result or [], with_result)

    # {============ CreateChangeSet

    def read_template(self, params, stack):
        body, url = params.get("TemplateBody"), params.get("TemplateURL")
        previous = params.get("UsePreviousTemplate", "").lower() == "true"
        if sum(x is not None and x is not False for x in (body, url, previous or None)) != 1:
            raise validation("Specify exactly one of TemplateBody, TemplateURL or "
                             "UsePreviousTemplate.")
        if previous:
            if stack is None or stack.template is None:
                raise validation("UsePreviousTemplate can only be used with an existing stack")
            return stack.template
        if body is not None:
            if len(body.encode("utf-8")) > MAX_BODY:
                raise validation("1 validation error detected: Value '%s' at 'templateBody' "
                                 "failed to satisfy constraint: Member must have length less "
                                 "than or equal to %d" % (body, MAX_BODY))
            return Template(body)
        return Template(self.fetch_url(url))

    def fetch_url(self, url):
        """A TemplateURL's object in the fake S3: path-style (the endpoint itself, or
        s3[.region].amazonaws.com) or virtual-hosted (BUCKET.s3[.region].amazonaws.com)."""
        parts = urlsplit(url)
        host, path = parts.hostname or "", unquote(parts.path).lstrip("/")
        m = re.match(r"^(.+)\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$", host)
        if m:
            bucket, key = m.group(1), path
        else:
            bucket, _, key = path.partition("/")
        obj = self.state.buckets.get(bucket, {}).get(key)
        if obj is None:
            raise validation("TemplateURL must reference a valid S3 object to which you "
                             "have access.")
        if len(obj["body"]) > MAX_URL_TEMPLATE:
            raise validation("Template may not exceed %d bytes in size." % MAX_URL_TEMPLATE)
        return obj["body"].decode("utf-8")

    def resolve_params(self, template, params, stack):
        """[(key, value, resolved)]: given values, previous ones, defaults; SSM-typed
        parameters read from the fake SSM."""
        given = {}
        i = 1
        while "Parameters.member.%d.ParameterKey" % i in params:
            prefix = "Parameters.member.%d." % i
            key = params[prefix + "ParameterKey"]
            if params.get(prefix + "UsePreviousValue", "").lower() == "true":
                old = dict((k, v) for k, v, _ in (stack.params if stack else []))
                if key not in old:
                    raise validation("Invalid input for parameter key %s. Cannot specify "
                                     "usePreviousValue as true for a parameter key not in the "
                                     "previous template" % key)
                given[key] = old[key]
            else:
                given[key] = params.get(prefix + "ParameterValue", "")
            i += 1
        unknown = [k for k in given if k not in template.parameters]
        if unknown:
            raise validation("Parameters: [%s] do not exist in the template" % ", ".join(unknown))
        out, missing, unfetched = [], [], []
        for key, decl in template.parameters.items():
            value = given.get(key, decl.get("Default"))
            if value is None:
                missing.append(key)
                continue
            value = str(value) if not isinstance(value, str) else value
            resolved = None
            if str(decl.get("Type", "")).startswith("AWS::SSM::Parameter::Value<"):
                p = self.state.ssm.get(value)
                if p is None:
                    unfetched.append(value)
                else:
                    resolved = p["value"]
            out.append((key, value, resolved))
        if missing:
            raise validation("Parameters: [%s] must have values" % ", ".join(missing))
        if unfetched:
            raise validation("Unable to fetch parameters [%s] from parameter store for this "
                             "account." % ",".join(unfetched))
        return out

    def check_capabilities(self, template, capabilities):
        needs = None
        for decl in template.resources.values():
            if decl["Type"] in IAM_TYPES:
                named = IAM_TYPES[decl["Type"]]
                if named and named in (decl.get("Properties") or {}):
                    needs = "CAPABILITY_NAMED_IAM"
                elif needs is None:
                    needs = "CAPABILITY_IAM"
        if needs is None or "CAPABILITY_NAMED_IAM" in capabilities:
            return
        if needs == "CAPABILITY_IAM" and "CAPABILITY_IAM" in capabilities:
            return
        raise AwsError(400, "InsufficientCapabilities", "Requires capabilities : [%s]" % needs)

    def check_rules(self, template, ctx):
        """The Rules section, evaluated as CloudFormation does for the functions
        intrinsics.py knows (Fn::Contains, Fn::Equals, Fn::Not, ...)."""
        for rule in template.rules.values():
            cond = rule.get("RuleCondition")
            if cond is not None and not intrinsics.truth(cond, ctx):
                continue
            for assertion in rule.get("Assertions", []):
                if not intrinsics.truth(assertion.get("Assert"), ctx):
                    raise validation(assertion.get("AssertDescription") or
                                     "Template error: a rule's assertion failed")

    def create_change_set(self, params, region, account):
        stack_name = params.get("StackName")
        name = params.get("ChangeSetName")
        for field, value in (("stackName", stack_name), ("changeSetName", name)):
            if not value:
                raise validation("1 validation error detected: Value null at '%s' failed to "
                                 "satisfy constraint: Member must not be null" % field)
            if not NAME_RE.match(value) or len(value) > 128:
                raise validation("1 validation error detected: Value '%s' at '%s' failed to "
                                 "satisfy constraint: Member must satisfy regular expression "
                                 "pattern: [a-zA-Z][-a-zA-Z0-9]*" % (value, field))
        kind = params.get("ChangeSetType", "UPDATE")
        stack = self.find(stack_name, region)
        if kind == "CREATE":
            if stack is not None and stack.status != "REVIEW_IN_PROGRESS":
                raise validation("Stack [%s] already exists and cannot be created again with "
                                 "the changeSet [%s]." % (stack_name, name))
        elif kind == "UPDATE":
            if stack is None or stack.status == "REVIEW_IN_PROGRESS":
                raise validation("Stack [%s] does not exist" % stack_name)
            if stack.status not in UPDATABLE:
                raise validation("Stack:%s is in %s state and can not be updated."
                                 % (stack.id, stack.status))
        else:
            raise validation("ChangeSetType %s is not supported by the fake endpoint" % kind)
        if stack is not None and name in stack.change_sets:
            raise AwsError(400, "AlreadyExistsException", "ChangeSet [%s] already exists" % name)
        template = self.read_template(params, stack)
        values = self.resolve_params(template, params, stack)
        capabilities = [params[k] for k in sorted(params, key=_member_index)
                        if k.startswith("Capabilities.member.")]
        self.check_capabilities(template, capabilities)
        probe = stack or Stack(self, stack_name, region, account)
        self.check_rules(template, probe.context(values, template))
        if stack is None:
            stack = Stack(self, stack_name, region, account)
            self.stacks.append(stack)
            stack.set_status("REVIEW_IN_PROGRESS", "User Initiated")
        cs = ChangeSet(stack, name, kind, template, values, capabilities,
                       params.get("Description"))
        cs.changes = changes(stack, template, values, kind)
        if cs.changes or kind == "CREATE" or not same(stack, template, values):
            cs.outcome = ("CREATE_COMPLETE", "AVAILABLE", None)
        else:
            cs.outcome = ("FAILED", "UNAVAILABLE", NO_CHANGES)
        stack.change_sets[name] = cs
        return [("Id", cs.id), ("StackId", stack.id)]

    # }============

    def describe_change_set(self, params, region, account):
        cs = self.change_set(params, region)
        cs.poll()
        stack = cs.stack
        shown = cs.changes if cs.status != "CREATE_IN_PROGRESS" else []
        start = page_start(params.get("NextToken"), "changes")
        size = self.changes_page or max(len(shown), 1)
        next_token = page_token("changes", start + size) if start + size < len(shown) else None
        return [
            ("ChangeSetName", cs.name), ("ChangeSetId", cs.id), ("StackId", stack.id),
            ("StackName", stack.name), ("Description", cs.description),
            ("Parameters", members(cs.params, param_items)),
            ("CreationTime", now_iso(cs.created)), ("ExecutionStatus", cs.execution),
            ("Status", cs.status), ("StatusReason", cs.reason), ("NotificationARNs", []),
            ("Capabilities", [("member", c) for c in cs.capabilities]),
            ("Changes", members(shown[start:start + size], change_items)),
            ("NextToken", next_token), ("IncludeNestedStacks", False),
        ]

    def execute_change_set(self, params, region, account):
        cs = self.change_set(params, region)
        stack = cs.stack
        if cs.status != "CREATE_COMPLETE" or cs.execution != "AVAILABLE":
            raise AwsError(400, "InvalidChangeSetStatus", "ChangeSet [%s] cannot be executed "
                           "in its current execution status of [%s]" % (cs.id, cs.execution))
        cs.execution = "EXECUTE_IN_PROGRESS"
        # Executing a change set deletes the stack's other change sets.
        stack.change_sets = {cs.name: cs}
        stack.change_set_id = cs.id
        stack.disable_rollback = params.get("DisableRollback", "").lower() == "true"
        stack.capabilities = cs.capabilities
        if cs.kind == "CREATE":
            stack.start(run_create(stack, cs))
        else:
            stack.start(run_update(stack, cs))
        return []

    def delete_change_set(self, params, region, account):
        try:
            cs = self.change_set(params, region)
        except AwsError as e:
            if e.code == "ChangeSetNotFound" and not params["ChangeSetName"].startswith("arn:"):
                return []   # AWS answers success for a missing change set of a live stack
            raise
        if cs.execution == "EXECUTE_IN_PROGRESS":
            raise AwsError(400, "InvalidChangeSetStatus", "Cannot delete ChangeSet [%s] in "
                           "status EXECUTE_IN_PROGRESS" % cs.id)
        cs.stack.change_sets.pop(cs.name, None)
        return []

    def poll_stacks(self, stacks):
        for s in stacks:
            s.advance()

    def describe_stacks(self, params, region, account):
        name = params.get("StackName")
        if name:
            stacks = [self.need(name, region)]
        else:
            stacks = [s for s in self.stacks if s.region == region and not s.deleted]
        self.poll_stacks(stacks)
        return [("Stacks", members(stacks, stack_items))]

    def describe_stack_events(self, params, region, account):
        stack = self.need(params.get("StackName", ""), region)
        self.poll_stacks([stack])
        events = list(reversed(stack.events))
        start = event_page_start(params.get("NextToken"), events)
        end = start + self.events_page
        next_token = page_token("events", events[end]["EventId"]) if end < len(events) else None
        return [("StackEvents", members(events[start:end], event_items)),
                ("NextToken", next_token)]

    def get_template(self, params, region, account):
        stack = self.need(params.get("StackName", ""), region)
        template = stack.template
        if params.get("ChangeSetName"):
            template = self.change_set(dict(params, StackName=stack.id), region).template
        if template is None:
            raise validation("Stack with id %s does not exist" % params.get("StackName"))
        return [("TemplateBody", template.text),
                ("StagesAvailable", [("member", "Original"), ("member", "Processed")])]

    def delete_stack(self, params, region, account):
        name = params.get("StackName")
        if not name:
            raise validation("1 validation error detected: Value null at 'stackName' failed "
                             "to satisfy constraint: Member must not be null")
        stack = self.find(name, region, live_only=True)
        if stack is None or stack.status in ("DELETE_IN_PROGRESS", "DELETE_COMPLETE"):
            return None
        if stack.status.endswith("_IN_PROGRESS") and stack.status != "REVIEW_IN_PROGRESS":
            raise validation("Stack [%s] cannot be deleted while in status %s"
                             % (stack.name, stack.status))
        stack.start(run_delete(stack))
        return None

    def snapshot(self):
        out = {}
        for s in self.stacks:
            if s.deleted:
                continue
            out[s.name] = {
                "id": s.id, "status": s.status, "reason": s.reason,
                "template": s.template.doc if s.template else None,
                "parameters": {k: v for k, v, _ in s.params},
                "outputs": {o["OutputKey"]: o["OutputValue"] for o in s.outputs},
                "resources": {k: {"type": r["type"], "physical": r["name"],
                                  "status": r["status"]} for k, r in s.resources.items()},
                "change_sets": sorted(s.change_sets),
                "events": len(s.events),
            }
        return out


def page_token(kind, value):
    return base64.b64encode(("%s:%s" % (kind, value)).encode()).decode()


def page_value(token, kind):
    """What a NextToken of ours stands for (None without one)."""
    if not token:
        return None
    try:
        what, value = base64.b64decode(token).decode().split(":", 1)
        if what == kind:
            return value
    except ValueError:
        pass
    raise validation("Invalid NextToken")


def page_start(token, kind):
    """The offset a NextToken of ours stands for (0 without one)."""
    value = page_value(token, kind)
    try:
        return int(value or 0)
    except ValueError:
        raise validation("Invalid NextToken")


def event_page_start(token, events):
    """Where the page a DescribeStackEvents NextToken names starts in events (newest
    first). The token names the page's first event, as AWS's tokens stay valid while new
    events arrive: an offset from the newest would shift by as many events as came since."""
    event_id = page_value(token, "events")
    if event_id is None:
        return 0
    for i, e in enumerate(events):
        if e["EventId"] == event_id:
            return i
    raise validation("Invalid NextToken")


def _member_index(key):
    m = re.search(r"\.(\d+)$", key)
    return int(m.group(1)) if m else 0


# {============ changes

REPLACING = {t: spec[0] for t, spec in TYPES.items() if spec[0]}
SCOPES = ("Metadata", "CreationPolicy", "UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy")


def same(stack, template, values):
    return stack.template is not None and stack.template.doc == template.doc and \
        [(k, v) for k, v, _ in stack.params] == [(k, v) for k, v, _ in values]


def changes(stack, template, values, kind):
    """The change set's Changes: Add, Modify (Scope, Details, Replacement) and Remove, in
    template order."""
    old = stack.template.resources if (stack.template and kind != "CREATE") else {}
    old_values = {k: v for k, v, _ in stack.params}
    changed_params = {k for k, v, _ in values if old_values.get(k, v) != v}
    out, replaced = [], set()
    for logical in template.order:
        decl = template.resources[logical]
        if logical not in old or stack.resources.get(logical) is None:
            out.append({"Action": "Add", "LogicalResourceId": logical,
                        "ResourceType": decl["Type"], "Scope": [], "Details": []})
            continue
        change = modify(logical, old[logical], decl, changed_params, replaced)
        if change:
            change["PhysicalResourceId"] = stack.resources[logical]["name"]
            out.append(change)
            if change["Replacement"] == "True":
                replaced.add(logical)
    for logical in old:
        if logical not in template.resources and logical in stack.resources:
            out.append({"Action": "Remove", "LogicalResourceId": logical,
                        "PhysicalResourceId": stack.resources[logical]["name"],
                        "ResourceType": old[logical]["Type"], "Scope": [], "Details": []})
    return out


def modify(logical, old, new, changed_params, replaced):
    """A Modify change, or None. Properties changed in the template are DirectModification;
    those that use a parameter whose value changed, ParameterReference; those that use a
    resource being replaced (its Ref or attributes change), ResourceReference (Dynamic)."""
    scope, details, replace = [], [], False
    old_props, new_props = old.get("Properties") or {}, new.get("Properties") or {}
    names = sorted(set(old_props) | set(new_props))
    causes = {}
    for n in names:
        if old_props.get(n) != new_props.get(n):
            causes[n] = ("DirectModification", None, "Static")
            continue
        used = intrinsics.references(new_props.get(n))
        if used & changed_params:
            causes[n] = ("ParameterReference", sorted(used & changed_params)[0], "Static")
        elif used & replaced:
            causes[n] = ("ResourceReference", sorted(used & replaced)[0], "Dynamic")
    for n, (source, entity, evaluation) in causes.items():
        recreate = REPLACING.get(new["Type"]) == n
        replace = replace or recreate
        details.append({"Target": {"Attribute": "Tags" if n == "Tags" else "Properties",
                                   "Name": None if n == "Tags" else n,
                                   "RequiresRecreation": "Always" if recreate else "Never"},
                        "Evaluation": evaluation, "ChangeSource": source,
                        "CausingEntity": entity})
        s = "Tags" if n == "Tags" else "Properties"
        if s not in scope:
            scope.append(s)
    for s in SCOPES:
        if old.get(s) != new.get(s):
            scope.append(s)
            details.append({"Target": {"Attribute": s, "RequiresRecreation": "Never"},
                            "Evaluation": "Static", "ChangeSource": "DirectModification"})
    if not scope:
        return None
    return {"Action": "Modify", "LogicalResourceId": logical, "ResourceType": new["Type"],
            "Replacement": "True" if replace else "False", "Scope": scope, "Details": details}


def change_items(c):
    detail_items = lambda d: [  # noqa: E731
        ("Target", [(k, d["Target"].get(k)) for k in ("Attribute", "Name", "RequiresRecreation")]),
        ("Evaluation", d["Evaluation"]), ("ChangeSource", d["ChangeSource"]),
        ("CausingEntity", d.get("CausingEntity"))]
    return [("Type", "Resource"), ("ResourceChange", [
        ("Action", c["Action"]), ("LogicalResourceId", c["LogicalResourceId"]),
        ("PhysicalResourceId", c.get("PhysicalResourceId")),
        ("ResourceType", c["ResourceType"]), ("Replacement", c.get("Replacement")),
        ("Scope", [("member", s) for s in c["Scope"]]),
        ("Details", members(c["Details"], detail_items))])]

# }============


# {============ rendering

def param_items(p):
    key, value, resolved = p
    return [("ParameterKey", key), ("ParameterValue", value), ("ResolvedValue", resolved)]


def stack_items(s):
    return [
        ("StackId", s.id), ("StackName", s.name), ("ChangeSetId", s.change_set_id),
        ("Description", s.template.description if s.template else None),
        ("Parameters", members(s.params, param_items)),
        ("CreationTime", now_iso(s.created)),
        ("DeletionTime", now_iso(s.deleted) if s.deleted else None),
        ("LastUpdatedTime", now_iso(s.updated) if s.updated else None),
        ("StackStatus", s.status), ("StackStatusReason", s.reason),
        ("DisableRollback", s.disable_rollback), ("NotificationARNs", []),
        ("Capabilities", [("member", c) for c in s.capabilities]),
        ("Outputs", members(s.outputs, lambda o: [
            (k, o.get(k)) for k in ("OutputKey", "OutputValue", "Description", "ExportName")])),
        ("Tags", []), ("EnableTerminationProtection", False),
        ("DriftInformation", [("StackDriftStatus", "NOT_CHECKED")]),
    ]


def event_items(e):
    return [(k, now_iso(e[k]) if k == "Timestamp" else e[k]) for k in (
        "StackId", "EventId", "StackName", "LogicalResourceId", "PhysicalResourceId",
        "ResourceType", "Timestamp", "ResourceStatus", "ResourceStatusReason",
        "ResourceProperties")]

# }============


# {============ operations: generators, one step per poll

def fail_reason(decl):
    props = decl.get("Properties") or {}
    reason = props.get("FakeFail")
    return str(reason) if reason is not None else None


def resolved_props(stack, decl, ctx):
    try:
        return intrinsics.evaluate(decl.get("Properties") or {}, ctx)
    except (intrinsics.Unresolved, LookupError, TypeError, ValueError, AttributeError):
        return decl.get("Properties") or {}


def active(stack, template, ctx, logical):
    cond = template.resources[logical].get("Condition")
    if cond is None:
        return True
    try:
        return intrinsics.condition(cond, ctx)
    except intrinsics.Unresolved:
        return True


def materialize(stack, res, previous=None):
    """Makes an S3 bucket or SSM parameter resource exist in the fake (or changes it);
    returns a failure reason or None."""
    state = stack.engine.state
    props = res["props"]
    if res["type"] == "AWS::S3::Bucket":
        if previous is not None and previous["name"] == res["name"]:
            return None
        if res["name"] in state.buckets:
            return "%s already exists" % res["name"]
        state.buckets[res["name"]] = {}
    elif res["type"] == "AWS::SSM::Parameter":
        if previous is None and res["name"] in state.ssm:
            return "%s already exists in stack %s" % (res["name"], stack.id)
        state.put_parameter(res["name"], str(props.get("Value", "")),
                            props.get("Type", "String"))
        if previous is not None and previous["name"] != res["name"]:
            state.ssm.pop(previous["name"], None)
    return None


def dematerialize(stack, res):
    """Deletes what materialize made; returns a failure reason or None."""
    state = stack.engine.state
    if res["type"] == "AWS::S3::Bucket" and res["name"] in state.buckets:
        if state.buckets[res["name"]]:
            return ("The bucket you tried to delete is not empty (Service: S3, Status Code: "
                    "409, Request ID: %s)" % _rand(16))
        del state.buckets[res["name"]]
    elif res["type"] == "AWS::SSM::Parameter":
        state.ssm.pop(res["name"], None)
    return None


def new_resource(stack, logical, decl, ctx):
    props = resolved_props(stack, decl, ctx)
    name_prop = TYPES.get(decl["Type"], (None,))[0]
    name = props.get(name_prop) if name_prop else None
    if not isinstance(name, str):
        name = generated_name(stack, logical, decl["Type"])
    return {"type": decl["Type"], "name": name, "props": props, "decl": decl,
            "status": "CREATE_IN_PROGRESS"}


def create_one(stack, logical, decl, ctx, verb="CREATE"):
    """One resource created: (ok, resource). The failed one is kept without a name."""
    stack.event(logical, decl["Type"], "", verb + "_IN_PROGRESS")
    reason = fail_reason(decl)
    res = new_resource(stack, logical, decl, ctx)
    if reason is None:
        reason = materialize(stack, res)
    if reason is not None:
        res["status"] = verb + "_FAILED"
        stack.event(logical, decl["Type"], "", verb + "_FAILED", reason)
        return False, res
    res["status"] = verb + "_COMPLETE"
    stack.resources[logical] = res
    stack.event(logical, decl["Type"], res["name"], verb + "_COMPLETE", None,
                decl.get("Properties"))
    return True, res


def delete_one(stack, logical, res):
    """Deletes one resource; returns a failure reason or None."""
    policy = res["decl"].get("DeletionPolicy")
    if policy == "Retain":
        stack.event(logical, res["type"], res["name"], "DELETE_SKIPPED")
        stack.resources.pop(logical, None)
        return None
    stack.event(logical, res["type"], res["name"], "DELETE_IN_PROGRESS")
    reason = dematerialize(stack, res)
    if reason is not None:
        res["status"] = "DELETE_FAILED"
        stack.event(logical, res["type"], res["name"], "DELETE_FAILED", reason)
        return reason
    stack.event(logical, res["type"], res["name"], "DELETE_COMPLETE")
    stack.resources.pop(logical, None)
    return None


def finish_outputs(stack):
    ctx = stack.context()
    outs = []
    for key, decl in stack.template.outputs.items():
        if "Condition" in decl:
            try:
                if not intrinsics.condition(decl["Condition"], ctx):
                    continue
            except intrinsics.Unresolved:
                pass
        value = _resolved(decl.get("Value"), ctx)
        export = decl.get("Export", {}).get("Name") if isinstance(decl.get("Export"), dict) \
            else None
        outs.append({"OutputKey": key, "OutputValue": value,
                     "Description": decl.get("Description"),
                     "ExportName": _resolved(export, ctx) if export is not None else None})
    stack.outputs = outs


def _resolved(value, ctx):
    try:
        v = intrinsics.evaluate(value, ctx)
    except (intrinsics.Unresolved, LookupError, TypeError, ValueError, AttributeError):
        return json.dumps(value)
    if isinstance(v, (dict, list)):
        return ",".join(map(str, v)) if isinstance(v, list) else json.dumps(v)
    return str(v)


def run_create(stack, cs):
    stack.template, stack.params = cs.template, cs.params
    stack.set_status("CREATE_IN_PROGRESS", "User Initiated")
    yield
    ctx = stack.context()
    done, failed = [], None
    for logical in cs.template.order:
        if not active(stack, cs.template, ctx, logical):
            continue
        ok, res = create_one(stack, logical, cs.template.resources[logical], ctx)
        if not ok:
            failed = (logical, res)
            break
        done.append(logical)
        yield
    if failed is None:
        finish_outputs(stack)
        stack.set_status("CREATE_COMPLETE")
        cs.execution = "EXECUTE_COMPLETE"
        return
    yield
    reason = "The following resource(s) failed to create: [%s]. " % failed[0]
    cs.execution = "EXECUTE_FAILED"
    if stack.disable_rollback:
        stack.set_status("CREATE_FAILED", reason)
        return
    stack.set_status("ROLLBACK_IN_PROGRESS", reason + "Rollback requested by user.")
    yield
    logical, res = failed
    stack.event(logical, res["type"], "", "DELETE_COMPLETE")
    for logical in reversed(done):
        yield
        delete_one(stack, logical, stack.resources[logical])
    yield
    stack.set_status("ROLLBACK_COMPLETE")


def run_update(stack, cs):
    old_template, old_params = stack.template, stack.params
    old_resources = dict(stack.resources)
    stack.template, stack.params = cs.template, cs.params
    stack.updated = time.time()
    stack.set_status("UPDATE_IN_PROGRESS", "User Initiated")
    yield
    ctx = stack.context()
    plan = {c["LogicalResourceId"]: c for c in cs.changes}
    added, modified, replaced, failed = [], [], [], None
    for logical in cs.template.order:
        change = plan.get(logical)
        if change is None or change["Action"] == "Remove":
            continue
        decl = cs.template.resources[logical]
        if change["Action"] == "Add":
            ok, res = create_one(stack, logical, decl, ctx)
            if not ok:
                failed = (logical, "create")
                break
            added.append(logical)
        else:
            reason = update_one(stack, logical, decl, ctx, change, replaced)
            if reason is not None:
                failed = (logical, "update")
                break
            modified.append(logical)
        yield
    if failed is None:
        removes = [c["LogicalResourceId"] for c in cs.changes if c["Action"] == "Remove"]
        if removes or replaced:
            stack.set_status("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
            for logical in reversed(removes):
                yield
                delete_one(stack, logical, old_resources[logical])
            for logical, res in replaced:
                yield
                stack.event(logical, res["type"], res["name"], "DELETE_IN_PROGRESS")
                dematerialize(stack, res)
                stack.event(logical, res["type"], res["name"], "DELETE_COMPLETE")
            yield
        finish_outputs(stack)
        stack.set_status("UPDATE_COMPLETE")
        cs.execution = "EXECUTE_COMPLETE"
        return
    yield
    logical, verb = failed
    reason = "The following resource(s) failed to %s: [%s]. " % (verb, logical)
    cs.execution = "EXECUTE_FAILED"
    if stack.disable_rollback:
        stack.set_status("UPDATE_FAILED", reason)
        return
    stack.set_status("UPDATE_ROLLBACK_IN_PROGRESS", reason)
    yield
    stack.template, stack.params = old_template, old_params
    restore = modified + ([logical] if verb == "update" else [])
    discard = []   # physical resources made by the update, deleted at cleanup
    for name in reversed(restore):
        old, current = old_resources[name], stack.resources.get(name)
        stack.event(name, old["type"], old["name"], "UPDATE_IN_PROGRESS")
        if current is not old and current["name"] != old["name"]:
            discard.append((name, current))
        elif current is not old:
            materialize(stack, old, current)
        stack.resources[name] = old
        old["status"] = "UPDATE_COMPLETE"
        stack.event(name, old["type"], old["name"], "UPDATE_COMPLETE")
        yield
    stack.set_status("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    for name in reversed(added):
        yield
        delete_one(stack, name, stack.resources[name])
    for name, res in discard:
        yield
        stack.event(name, res["type"], res["name"], "DELETE_IN_PROGRESS")
        dematerialize(stack, res)
        stack.event(name, res["type"], res["name"], "DELETE_COMPLETE")
    if verb == "create":
        yield
        stack.event(logical, cs.template.resources[logical]["Type"], "", "DELETE_COMPLETE")
    yield
    finish_outputs(stack)
    stack.set_status("UPDATE_ROLLBACK_COMPLETE")


def update_one(stack, logical, decl, ctx, change, replaced):
    """One resource updated (or replaced: a new physical resource, the old one deleted at
    cleanup); returns a failure reason or None."""
    old = stack.resources[logical]
    stack.event(logical, decl["Type"], old["name"], "UPDATE_IN_PROGRESS")
    reason = fail_reason(decl)
    res = new_resource(stack, logical, decl, ctx)
    if change.get("Replacement") != "True":
        res["name"] = old["name"]
    else:
        stack.event(logical, decl["Type"], old["name"], "UPDATE_IN_PROGRESS",
                    "Requested update requires the creation of a new physical resource; "
                    "hence creating one.")
    if reason is None:
        reason = materialize(stack, res, old if change.get("Replacement") != "True" else None)
    if reason is not None:
        old["status"] = "UPDATE_FAILED"
        stack.event(logical, decl["Type"], old["name"], "UPDATE_FAILED", reason)
        return reason
    if change.get("Replacement") == "True":
        replaced.append((logical, old))
    res["status"] = "UPDATE_COMPLETE"
    stack.resources[logical] = res
    stack.event(logical, decl["Type"], res["name"], "UPDATE_COMPLETE", None,
                decl.get("Properties"))
    return None


def run_delete(stack):
    stack.set_status("DELETE_IN_PROGRESS", "User Initiated")
    yield
    order = stack.template.order if stack.template else []
    failed = []
    for logical in reversed(order):
        res = stack.resources.get(logical)
        if res is None:
            continue
        if delete_one(stack, logical, res) is not None:
            failed.append(logical)
        yield
    if failed:
        stack.set_status("DELETE_FAILED", "The following resource(s) failed to delete: [%s]. "
                         % ", ".join(failed))
        return
    stack.set_status("DELETE_COMPLETE")
    stack.deleted = time.time()
    stack.change_sets = {}

# }============


ACTIONS = {
    "CreateChangeSet": Engine.create_change_set,
    "DescribeChangeSet": Engine.describe_change_set,
    "ExecuteChangeSet": Engine.execute_change_set,
    "DeleteChangeSet": Engine.delete_change_set,
    "DescribeStacks": Engine.describe_stacks,
    "DescribeStackEvents": Engine.describe_stack_events,
    "GetTemplate": Engine.get_template,
    "DeleteStack": Engine.delete_stack,
}
