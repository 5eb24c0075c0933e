"""CloudFormation intrinsic functions and condition/rule functions, evaluated the way
CloudFormation does for the values the fake needs: resource properties it acts on (bucket
and parameter names), Outputs, Conditions and Rules.

A Context answers Ref and Fn::GetAtt; anything it cannot answer raises Unresolved, and
functions the fake does not know are left as they are (evaluate returns them unchanged).
"""
import base64
import json
import re

NO_VALUE = object()  # AWS::NoValue: the property is left out


class Unresolved(Exception):
    """A Ref or Fn::GetAtt to something that has no value (yet)."""


class Context:
    """Values for Ref and Fn::GetAtt. `params` maps names to resolved values; `resource_ref`
    and `resource_att` are callables (logical id[, attribute]) -> value or raise Unresolved."""

    def __init__(self, stack_name, stack_id, region, account, params=None, conditions=None,
                 mappings=None, resource_ref=None, resource_att=None, exports=None):
        self.pseudo = {
            "AWS::AccountId": account, "AWS::Region": region, "AWS::StackName": stack_name,
            "AWS::StackId": stack_id, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
            "AWS::NotificationARNs": [],
        }
        self.params = params or {}
        self.conditions = conditions or {}
        self.mappings = mappings or {}
        self.resource_ref = resource_ref
        self.resource_att = resource_att
        self.exports = exports or {}

    def ref(self, name):
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.params:
            return self.params[name]
        if self.resource_ref is None:
            raise Unresolved(name)
        return self.resource_ref(name)

    def att(self, logical, attribute):
        if self.resource_att is None:
            raise Unresolved(logical)
        return self.resource_att(logical, attribute)


def _sub(template, variables, ctx):
    def one(m):
        name = m.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return _text(evaluate(variables[name], ctx))
        if "." in name and not name.startswith("AWS::"):
            logical, attribute = name.split(".", 1)
            return _text(ctx.att(logical, attribute))
        return _text(ctx.ref(name))
    return re.sub(r"\$\{([^}]*)\}", one, template)


def _text(value):
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fn_if(args, ctx):
    name, yes, no = args
    return evaluate(yes if condition(name, ctx) else no, ctx)


def _fn_getatt(args, ctx):
    logical, attribute = args.split(".", 1) if isinstance(args, str) else args
    return ctx.att(logical, evaluate(attribute, ctx))


def _fn_find_in_map(args, ctx):
    name, key1, key2 = [evaluate(a, ctx) for a in args]
    try:
        return ctx.mappings[name][key1][key2]
    except KeyError:
        raise Unresolved("Fn::FindInMap %s/%s/%s" % (name, key1, key2))


def _fn_import(args, ctx):
    name = evaluate(args, ctx)
    if name not in ctx.exports:
        raise Unresolved("No export named %s found." % name)
    return ctx.exports[name]


def _fn_sub(args, ctx):
    if isinstance(args, list):
        return _sub(args[0], args[1], ctx)
    return _sub(args, {}, ctx)


FUNCTIONS = {
    "Ref": lambda a, ctx: ctx.ref(a),
    "Fn::GetAtt": _fn_getatt,
    "Fn::Join": lambda a, ctx: a[0].join(_text(v) for v in evaluate(a[1], ctx)
                                         if v is not NO_VALUE),
    "Fn::Sub": _fn_sub,
    "Fn::Select": lambda a, ctx: evaluate(a[1], ctx)[int(evaluate(a[0], ctx))],
    "Fn::Split": lambda a, ctx: evaluate(a[1], ctx).split(a[0]),
    "Fn::If": _fn_if,
    "Fn::Base64": lambda a, ctx: base64.b64encode(_text(evaluate(a, ctx)).encode()).decode(),
    "Fn::GetAZs": lambda a, ctx: [ctx.pseudo["AWS::Region"] + z for z in "abc"],
    "Fn::FindInMap": _fn_find_in_map,
    "Fn::ImportValue": _fn_import,
    "Fn::ToJsonString": lambda a, ctx: json.dumps(evaluate(a, ctx), separators=(",", ":")),
    "Fn::Length": lambda a, ctx: len(evaluate(a, ctx)),
}


def evaluate(value, ctx):
    """The value with every known intrinsic function evaluated."""
    if isinstance(value, list):
        return [v for v in (evaluate(x, ctx) for x in value) if v is not NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (fn, args), = value.items()
        if fn in FUNCTIONS:
            return FUNCTIONS[fn](args, ctx)
        if fn in CONDITION_FUNCTIONS:
            return truth(value, ctx)
    out = {}
    for k, v in value.items():
        v = evaluate(v, ctx)
        if v is not NO_VALUE:
            out[k] = v
    return out


# {============ conditions and rules

def _equals(a, ctx):
    return evaluate(a[0], ctx) == evaluate(a[1], ctx)


def _contains(a, ctx):
    return evaluate(a[1], ctx) in evaluate(a[0], ctx)


def _each_member_equals(a, ctx):
    return all(v == evaluate(a[1], ctx) for v in evaluate(a[0], ctx))


def _each_member_in(a, ctx):
    allowed = evaluate(a[1], ctx)
    return all(v in allowed for v in evaluate(a[0], ctx))


CONDITION_FUNCTIONS = {
    "Fn::Equals": _equals,
    "Fn::Not": lambda a, ctx: not truth(a[0], ctx),
    "Fn::And": lambda a, ctx: all(truth(x, ctx) for x in a),
    "Fn::Or": lambda a, ctx: any(truth(x, ctx) for x in a),
    "Condition": lambda a, ctx: condition(a, ctx),
    "Fn::Contains": _contains,
    "Fn::EachMemberEquals": _each_member_equals,
    "Fn::EachMemberIn": _each_member_in,
}


def truth(value, ctx):
    """A condition or rule expression's truth. Unknown functions count as true, so a
    template the fake cannot judge is not refused."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.lower() == "true"
    if isinstance(value, dict) and len(value) == 1:
        (fn, args), = value.items()
        if fn in CONDITION_FUNCTIONS:
            return CONDITION_FUNCTIONS[fn](args, ctx)
        return truth(evaluate(value, ctx), ctx) if fn in FUNCTIONS else True
    return True


def condition(name, ctx):
    """A named condition of the template (Conditions section), evaluated once."""
    cached = ctx.conditions.get(name)
    if isinstance(cached, bool):
        return cached
    if cached is None:
        raise Unresolved("Condition %s" % name)
    result = truth(cached, ctx)
    ctx.conditions[name] = result
    return result

# }============


def references(value, out=None):
    """Every logical id or parameter name `value` refers to (Ref, Fn::GetAtt, Fn::Sub)."""
    out = set() if out is None else out
    if isinstance(value, list):
        for v in value:
            references(v, out)
    elif isinstance(value, dict):
        if len(value) == 1:
            (fn, args), = value.items()
            if fn == "Ref" and isinstance(args, str):
                out.add(args)
                return out
            if fn == "Fn::GetAtt":
                out.add(args.split(".", 1)[0] if isinstance(args, str) else args[0])
                return out
            if fn == "Fn::Sub":
                text, variables = (args[0], args[1]) if isinstance(args, list) else (args, {})
                for name in re.findall(r"\$\{([^}!][^}]*)\}", text):
                    if name not in variables:
                        out.add(name.split(".", 1)[0] if "." in name and
                                not name.startswith("AWS::") else name)
                references(variables, out)
                return out
        for v in value.values():
            references(v, out)
    return out
