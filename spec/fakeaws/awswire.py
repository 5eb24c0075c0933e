"""How AWS services shape their answers on the wire: Query-protocol XML (STS,
CloudFormation), S3's REST XML, and the JSON 1.1 protocol (SSM). Each reply is
(status, headers, body bytes)."""
import json
import uuid
from xml.sax.saxutils import escape

NAMESPACES = {
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
    "cloudformation": "http://cloudformation.amazonaws.com/doc/2010-05-15/",
}
VERSIONS = {"sts": "2011-06-15", "cloudformation": "2010-05-15"}
S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/"


class AwsError(Exception):
    """An AWS error reply: HTTP status, code and message (message None: AWS sends none)."""

    def __init__(self, status, code, message, sender=True, extra=None):
        super().__init__("%s: %s" % (code, message))
        self.status, self.code, self.message = status, code, message
        self.sender = sender
        self.extra = extra or []


def request_id():
    return str(uuid.uuid4())


def xml_items(items):
    """XML text of a list of (name, value) pairs; a value is text, a number, a bool, a
    nested list, or None (the element is left out)."""
    out = []
    for name, value in items:
        if value is None:
            continue
        if isinstance(value, list):
            out.append("<%s>%s</%s>" % (name, xml_items(value), name))
        elif isinstance(value, bool):
            out.append("<%s>%s</%s>" % (name, "true" if value else "false", name))
        else:
            out.append("<%s>%s</%s>" % (name, escape(str(value)), name))
    return "".join(out)


def members(values, render):
    """A Query-protocol list: one <member> per value."""
    return [("member", render(v)) for v in values]


def _xml_reply(status, text, extra_headers=()):
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + text).encode("utf-8")
    return status, [("Content-Type", "text/xml")] + list(extra_headers), body


def query_result(service, action, result, with_result=True):
    """A Query-protocol answer: <ActionResponse><ActionResult>...</ActionResult>
    <ResponseMetadata>; with_result False leaves the Result element out (DeleteStack)."""
    rid = request_id()
    inner = ""
    if with_result:
        inner = "<%sResult>%s</%sResult>" % (action, xml_items(result or []), action)
    text = '<%sResponse xmlns="%s">%s<ResponseMetadata><RequestId>%s</RequestId>' \
           '</ResponseMetadata></%sResponse>' % (action, NAMESPACES[service], inner, rid, action)
    return _xml_reply(200, text, [("x-amzn-RequestId", rid)])


def query_error(service, err):
    rid = request_id()
    error = [("Type", "Sender" if err.sender else "Receiver"), ("Code", err.code),
             ("Message", err.message)] + err.extra
    text = '<ErrorResponse xmlns="%s">%s<RequestId>%s</RequestId></ErrorResponse>' % (
        NAMESPACES.get(service, NAMESPACES["sts"]), xml_items([("Error", error)]), rid)
    return _xml_reply(err.status, text, [("x-amzn-RequestId", rid)])


def s3_error(err, head=False):
    rid = request_id().replace("-", "")[:16].upper()
    items = [("Code", err.code), ("Message", err.message)] + err.extra + \
        [("RequestId", rid), ("HostId", "fakeaws/" + rid)]
    status, headers, body = _xml_reply(err.status, xml_items([("Error", items)]),
                                       [("x-amz-request-id", rid)])
    # A HEAD answer has no body: the status alone tells the error.
    return status, headers, b"" if head else body


def s3_xml(root, items):
    rid = request_id().replace("-", "")[:16].upper()
    text = '<%s xmlns="%s">%s</%s>' % (root, S3_NS, xml_items(items), root)
    return _xml_reply(200, text, [("x-amz-request-id", rid)])


def json_reply(obj, status=200, content_type="application/x-amz-json-1.1"):
    rid = request_id()
    return status, [("Content-Type", content_type), ("x-amzn-RequestId", rid)], \
        json.dumps(obj).encode("utf-8")


def json_error(err):
    """JSON 1.1 errors: {"__type": code, "message": ...}; AWS leaves the message out for
    some codes (SSM's ParameterNotFound)."""
    obj = {"__type": err.code}
    if err.message is not None:
        obj["message"] = err.message
    return json_reply(obj, err.status)
