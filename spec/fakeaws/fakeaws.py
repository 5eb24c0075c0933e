#!/usr/bin/env python3
"""A fake AWS endpoint for sfl's deploy tests (test-only; Python 3 standard library).

One 127.0.0.1 port serves STS and CloudFormation (Query API, XML), S3 (REST, path-style),
SSM (JSON 1.1), container credentials, IMDSv2, and the /_fake/ control endpoints. Every
signed request's SigV4 signature is checked with sigv4.py. See README.md.

    python3 fakeaws.py --port-file FILE [--account 123456789012]

writes the port to FILE once listening and serves until stdin reaches EOF or SIGTERM.
"""
import argparse
import base64
import calendar
import hashlib
import json
import os
import secrets
import signal
import string
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import awswire  # noqa: E402
import cfn  # noqa: E402
import sigv4  # noqa: E402
from awswire import AwsError  # noqa: E402

BASE_KEY = "AKIDEXAMPLE"
BASE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
CONTAINER_TOKEN = "fake-container-token"
INSTANCE_ROLE = "fake-instance-role"
SKEW_SECONDS = 15 * 60
TEMP_SECONDS = 3600
QUERY_SERVICES = ("sts", "cloudformation")


def iso8601(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def http_date(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


def _random(alphabet, n):
    return "".join(secrets.choice(alphabet) for _ in range(n))


# {============ state

class State:
    """Everything the fake remembers. One lock guards it; handlers hold it only while they
    read or change state (never while sleeping for a "slow" fault)."""

    def __init__(self, account):
        self.lock = threading.RLock()
        self.account = account
        self.reset()

    def reset(self):
        with self.lock:
            self.keys = {BASE_KEY: {"secret": BASE_SECRET, "token": None, "expires": None,
                                    "account": self.account,
                                    "arn": "arn:aws:iam::%s:user/fake-user" % self.account,
                                    "user_id": "AIDAFAKEUSER00000001"}}
            self.ssm = {}
            self.buckets = {}
            self.faults = []
            self.log = []
            self.imds_tokens = {}
            self.cfn = cfn.Engine(self)

    def mint(self, seconds, account, arn, user_id):
        """A temporary key (ASIA..., secret, session token) that expires in `seconds`."""
        with self.lock:
            key = "ASIA" + _random(string.ascii_uppercase + string.digits, 16)
            entry = {"secret": _random(string.ascii_letters + string.digits + "+/", 40),
                     "token": base64.b64encode(secrets.token_bytes(96)).decode(),
                     "expires": time.time() + seconds, "account": account, "arn": arn,
                     "user_id": user_id}
            self.keys[key] = entry
            return key, entry

    def take_fault(self, service, action):
        """The first armed fault matching service and action, its count used once."""
        with self.lock:
            for f in self.faults:
                if f.get("service") not in (None, service):
                    continue
                if f.get("action") not in (None, action):
                    continue
                f["count"] -= 1
                if f["count"] <= 0:
                    self.faults.remove(f)
                return f
        return None

    def put_object(self, bucket, key, body, content_type):
        with self.lock:
            self.buckets[bucket][key] = {
                "body": body, "etag": '"%s"' % hashlib.md5(body).hexdigest(),
                "modified": time.time(), "type": content_type or "binary/octet-stream"}

    def put_parameter(self, name, value, kind="String", overwrite=True):
        with self.lock:
            old = self.ssm.get(name)
            if old and not overwrite:
                raise AwsError(400, "ParameterAlreadyExists",
                               "The parameter already exists. To overwrite this value, set "
                               "the overwrite option in the request to true.")
            self.ssm[name] = {"value": value, "type": kind, "modified": time.time(),
                              "version": old["version"] + 1 if old else 1}
            return self.ssm[name]["version"]

    def snapshot(self):
        with self.lock:
            return {
                "stacks": self.cfn.snapshot(),
                "s3": {b: {k: len(o["body"]) for k, o in objs.items()}
                       for b, objs in self.buckets.items()},
                "ssm": {n: p["value"] for n, p in self.ssm.items()},
            }

    def seed(self, data):
        """POST /_fake/state: add SSM parameters, buckets and objects."""
        with self.lock:
            for name, value in (data.get("ssm") or {}).items():
                self.put_parameter(name, value)
            for bucket, objs in (data.get("s3") or {}).items():
                self.buckets.setdefault(bucket, {})
                for key, text in (objs or {}).items():
                    self.put_object(bucket, key, text.encode("utf-8"), None)

# }============


# {============ faults as AWS or the network shows them

def throttle_error(service):
    if service == "s3":
        return AwsError(503, "SlowDown", "Please reduce your request rate.")
    if service == "ssm":
        return AwsError(400, "ThrottlingException", "Rate exceeded")
    return AwsError(400, "Throttling", "Rate exceeded")


def internal_error(service):
    if service == "s3":
        return AwsError(500, "InternalError", "We encountered an internal error. "
                        "Please try again.", sender=False)
    if service == "ssm":
        return AwsError(500, "InternalServerError", "An internal error occurred.",
                        sender=False)
    return AwsError(500, "InternalFailure", "The request processing has failed because of "
                    "an unknown error, exception or failure.", sender=False)

# }============


class Request:
    """One HTTP request as the handlers see it."""

    def __init__(self, method, target, headers, body):
        self.method = method
        parts = urlsplit(target)
        self.path, self.query = parts.path, parts.query
        self.headers, self.body = headers, body
        self.service, self.action, self.access_key = None, None, None
        self.params = {}
        self.identity = None

    def header(self, name):
        return sigv4.header(self.headers, name)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self):
        return "fakeaws"

    def log_message(self, fmt, *args):  # the log is /_fake/log, not stderr
        pass

    def do_GET(self):
        self.serve()

    do_PUT = do_POST = do_HEAD = do_DELETE = do_GET

    # {============ plumbing

    def read_body(self):
        if (self.headers.get("Transfer-Encoding") or "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def send(self, reply, req=None):
        status, headers, body = reply
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if not any(n.lower() == "content-length" for n, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return status

    def arrived(self, req):
        """Logs req as it arrives (status None until answered), so a test reading the log
        right after a call sees every request the fake has received, answered or not."""
        req.entry = {"time": req.time, "service": req.service, "action": req.action,
                     "method": req.method, "path": req.path, "status": None}
        with STATE.lock:
            STATE.log.append(req.entry)

    def answered(self, req, status, fault=None, error=None):
        with STATE.lock:
            req.entry["status"] = status
            if fault:
                req.entry["fault"] = fault
            if error:
                req.entry["error"] = error
            if req.access_key:   # known once the signature has been checked
                req.entry["access_key"] = req.access_key

    def serve(self):
        body = self.read_body()
        headers = list(self.headers.items())
        req = Request(self.command, self.path, headers, body)
        req.time = time.time()
        try:
            self.route(req)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def route(self, req):
        if req.path.startswith("/_fake/") and req.path != "/_fake/container-credentials":
            req.service = "control"
            self.send(self.control(req))
            return
        classify(req)
        self.arrived(req)
        fault = STATE.take_fault(req.service, req.action)
        if fault:   # in the log at once: a test can tell a slow answer is under way
            with STATE.lock:
                req.entry["fault"] = fault["kind"]
        if fault and fault["kind"] == "drop":
            self.answered(req, 0, "drop")
            self.close_connection = True
            return
        if fault and fault["kind"] == "slow":
            time.sleep(fault.get("ms", 1000) / 1000.0)
        err = None
        if fault and fault["kind"] in ("throttle", "500"):
            err = throttle_error(req.service) if fault["kind"] == "throttle" \
                else internal_error(req.service)
            reply = error_reply(req, err)
        else:
            try:
                reply = dispatch(req)
            except AwsError as e:
                err = e
                reply = error_reply(req, e)
        # The status is the answer's, filled in before it is sent: a client that reads the
        # log as soon as it has the answer finds it there.
        self.answered(req, reply[0], fault and fault["kind"], err and err.code)
        try:
            self.send(reply, req)
        except (BrokenPipeError, ConnectionResetError):
            with STATE.lock:
                req.entry["undelivered"] = True
            raise

    # }============

    def control(self, req):
        what = req.path[len("/_fake/"):]
        data = json.loads(req.body or b"{}") if req.method == "POST" else {}
        if what == "fault" and req.method == "POST":
            kinds = ("throttle", "500", "drop", "slow")
            if data.get("kind") not in kinds:
                return awswire.json_reply({"error": "kind must be one of " + ", ".join(kinds)},
                                          400, "application/json")
            fault = {"service": data.get("service"), "action": data.get("action"),
                     "kind": data["kind"], "count": int(data.get("count", 1)),
                     "ms": int(data.get("ms", 1000))}
            with STATE.lock:
                STATE.faults.append(fault)
            return awswire.json_reply(fault, 200, "application/json")
        if what == "log":
            with STATE.lock:
                return awswire.json_reply(list(STATE.log), 200, "application/json")
        if what == "state":
            if req.method == "POST":
                STATE.seed(data)
            return awswire.json_reply(STATE.snapshot(), 200, "application/json")
        if what == "reset" and req.method == "POST":
            STATE.reset()
            return awswire.json_reply({}, 200, "application/json")
        if what == "config" and req.method == "POST":
            with STATE.lock:
                if "events_page_size" in data:
                    STATE.cfn.events_page = max(1, int(data["events_page_size"]))
                if "changes_page_size" in data:
                    STATE.cfn.changes_page = max(0, int(data["changes_page_size"]))
            return awswire.json_reply({"events_page_size": STATE.cfn.events_page,
                                       "changes_page_size": STATE.cfn.changes_page}, 200,
                                      "application/json")
        if what == "credentials" and req.method == "POST":
            seconds = float(data.get("seconds", TEMP_SECONDS))
            key, entry = STATE.mint(seconds, STATE.account,
                                    "arn:aws:iam::%s:user/fake-user" % STATE.account,
                                    "AIDAFAKEUSER00000001")
            return awswire.json_reply(credentials_json(key, entry), 200, "application/json")
        return awswire.json_reply({"error": "no control endpoint %s %s" % (req.method, req.path)},
                                  404, "application/json")


# {============ classification and signatures

def classify(req):
    """Which service and action a request is for."""
    if req.path == "/_fake/container-credentials":
        req.service, req.action = "container", req.method
        return
    if req.path.startswith("/latest/"):
        req.service, req.action = "imds", req.method
        return
    try:
        signed = sigv4.Signed(req.method, req.path, req.query, req.headers, req.body)
        req.service = signed.service
        req.signed = signed
    except sigv4.SignatureError as e:
        req.signed = e
        req.service = guess_service(req)
    if req.service in QUERY_SERVICES:
        params = dict(parse_qsl(req.query, keep_blank_values=True))
        if req.method == "POST":   # the form body (AWS reads it whatever the Content-Type)
            params.update(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        req.params = params
        req.action = params.get("Action")
    elif req.service == "ssm":
        target = req.header("X-Amz-Target") or ""
        req.action = target.split(".", 1)[1] if "." in target else target
    else:
        req.action = req.method


def guess_service(req):
    """The service of an unsigned request (it names none), from its shape."""
    if req.header("X-Amz-Target"):
        return "ssm"
    if req.path == "/" and req.method == "POST":
        params = dict(parse_qsl(req.body.decode("utf-8", "replace")))
        return "sts" if params.get("Action") in ("GetCallerIdentity", "AssumeRole") \
            else "cloudformation"
    return "s3"


def signature_error(service, code, message):
    if service == "ssm":
        codes = {"SignatureDoesNotMatch": "InvalidSignatureException",
                 "InvalidClientTokenId": "UnrecognizedClientException",
                 "ExpiredToken": "ExpiredTokenException",
                 "MissingAuthenticationToken": "MissingAuthenticationTokenException",
                 "IncompleteSignature": "IncompleteSignatureException"}
        return AwsError(400, codes.get(code, code), message)
    if service == "s3":
        s3 = {"InvalidClientTokenId": ("InvalidAccessKeyId", 403, "The AWS Access Key Id you "
                                       "provided does not exist in our records."),
              "ExpiredToken": ("ExpiredToken", 400, "The provided token has expired."),
              "MissingAuthenticationToken": ("AccessDenied", 403, "Access Denied"),
              "InvalidToken": ("InvalidToken", 400, "The provided token is malformed or "
                               "otherwise invalid.")}
        if code in s3:
            c, status, msg = s3[code]
            return AwsError(status, c, msg)
        return AwsError(400 if code != "SignatureDoesNotMatch" else 403, code, message)
    status = 400 if code in ("ExpiredToken", "IncompleteSignature") else 403
    return AwsError(status, code, message)


NO_MATCH = ("The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.")


def authenticate(req):
    """The caller's identity from the request's SigV4 signature, or an AwsError."""
    if isinstance(req.signed, sigv4.SignatureError):
        raise signature_error(req.service, req.signed.code, req.signed.message)
    signed = req.signed
    req.access_key = signed.access_key
    with STATE.lock:
        entry = STATE.keys.get(signed.access_key)
    if entry is None:
        raise signature_error(req.service, "InvalidClientTokenId",
                              "The security token included in the request is invalid.")
    if entry["token"] is not None and signed.token != entry["token"]:
        raise signature_error(req.service, "InvalidClientTokenId" if req.service != "s3"
                              else "InvalidToken",
                              "The security token included in the request is invalid.")
    if entry["expires"] is not None and entry["expires"] < time.time():
        raise signature_error(req.service, "ExpiredToken",
                              "The security token included in the request is expired")
    check_time(req, signed)
    ok, creq, sts = signed.check(entry["secret"])
    if not ok:
        extra = []
        if req.service == "s3":
            extra = [("AWSAccessKeyId", signed.access_key), ("StringToSign", sts),
                     ("CanonicalRequest", creq)]
        err = signature_error(req.service, "SignatureDoesNotMatch", NO_MATCH)
        err.extra = extra
        raise err
    if req.service == "s3":
        check_payload(req, signed)
    return entry


def check_time(req, signed):
    try:
        t = calendar.timegm(time.strptime(signed.amz_date, "%Y%m%dT%H%M%SZ"))
    except ValueError:
        raise signature_error(req.service, "IncompleteSignature",
                              "Date must be in ISO-8601 'basic format'. Got '%s'."
                              % signed.amz_date)
    now = time.time()
    if abs(now - t) <= SKEW_SECONDS:
        return
    if req.service == "s3":
        raise AwsError(403, "RequestTimeTooSkewed", "The difference between the request "
                       "time and the current time is too large.")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    if t < now:
        msg = "Signature expired: %s is now earlier than %s (%s - 15 min.)" % (
            signed.amz_date, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now - SKEW_SECONDS)),
            stamp)
    else:
        msg = "Signature not yet current: %s is still later than %s (%s + 15 min.)" % (
            signed.amz_date, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now + SKEW_SECONDS)),
            stamp)
    raise signature_error(req.service, "SignatureDoesNotMatch", msg)


def check_payload(req, signed):
    given = req.header("x-amz-content-sha256")
    if given is None and not signed.presigned:
        raise AwsError(400, "InvalidRequest", "Missing required header for this request: "
                       "x-amz-content-sha256")
    if given in (None, sigv4.UNSIGNED_PAYLOAD) or given.startswith("STREAMING-"):
        return
    actual = hashlib.sha256(req.body).hexdigest()
    if given != actual:
        raise AwsError(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' "
                       "header does not match what was computed.",
                       extra=[("ClientComputedContentSHA256", given),
                              ("S3ComputedContentSHA256", actual)])

# }============


def error_reply(req, err):
    if req.service in QUERY_SERVICES:
        return awswire.query_error(req.service, err)
    if req.service == "s3":
        return awswire.s3_error(err, req.method == "HEAD")
    if req.service == "ssm":
        return awswire.json_error(err)
    return awswire.json_reply({"code": err.code, "message": err.message}, err.status,
                              "application/json")


def dispatch(req):
    if req.service == "container":
        return container_credentials(req)
    if req.service == "imds":
        return imds(req)
    identity = authenticate(req)
    req.identity = identity
    if req.service in QUERY_SERVICES and not req.action:
        raise AwsError(400, "MissingAction", "Missing Action")
    if req.service == "sts":
        return sts(req, identity)
    if req.service == "cloudformation":
        return STATE.cfn.handle(req, identity)
    if req.service == "ssm":
        return ssm(req, identity)
    if req.service == "s3":
        return s3(req)
    raise AwsError(400, "UnknownService", "The fake endpoint serves no service '%s'"
                   % req.service)


# {============ STS

def sts(req, identity):
    action = req.action
    if action == "GetCallerIdentity":
        return awswire.query_result("sts", action, [
            ("Arn", identity["arn"]), ("UserId", identity["user_id"]),
            ("Account", identity["account"])])
    if action == "AssumeRole":
        return assume_role(req)
    raise AwsError(400, "InvalidAction", "Could not find operation %s for version %s"
                   % (action, awswire.VERSIONS["sts"]))


def require(params, name, field):
    value = params.get(name)
    if value is None:
        raise AwsError(400, "ValidationError", "1 validation error detected: Value null at "
                       "'%s' failed to satisfy constraint: Member must not be null" % field)
    return value


def assume_role(req):
    role_arn = require(req.params, "RoleArn", "roleArn")
    session = require(req.params, "RoleSessionName", "roleSessionName")
    seconds = int(req.params.get("DurationSeconds", TEMP_SECONDS))
    if not 900 <= seconds <= 43200:
        bound = "greater than or equal to 900" if seconds < 900 else \
            "less than or equal to 43200"
        raise AwsError(400, "ValidationError", "1 validation error detected: Value '%d' at "
                       "'durationSeconds' failed to satisfy constraint: Member must have "
                       "value %s" % (seconds, bound))
    parts = role_arn.split(":")
    if len(parts) != 6 or not parts[5].startswith("role/"):
        raise AwsError(400, "ValidationError", "%s is invalid" % role_arn)
    account, role = parts[4], parts[5].split("/")[-1]
    role_id = "AROA" + hashlib.sha1(role_arn.encode()).hexdigest()[:17].upper()
    arn = "arn:aws:sts::%s:assumed-role/%s/%s" % (account, role, session)
    key, entry = STATE.mint(seconds, account, arn, "%s:%s" % (role_id, session))
    return awswire.query_result("sts", "AssumeRole", [
        ("Credentials", [("AccessKeyId", key), ("SecretAccessKey", entry["secret"]),
                         ("SessionToken", entry["token"]),
                         ("Expiration", iso8601(entry["expires"]))]),
        ("AssumedRoleUser", [("AssumedRoleId", entry["user_id"]), ("Arn", arn)]),
    ])

# }============


# {============ container credentials and IMDSv2

def credentials_json(key, entry):
    return {"AccessKeyId": key, "SecretAccessKey": entry["secret"], "Token": entry["token"],
            "Expiration": iso8601(entry["expires"])}


def role_credentials(role):
    arn = "arn:aws:sts::%s:assumed-role/%s/fake-session" % (STATE.account, role)
    return STATE.mint(TEMP_SECONDS, STATE.account, arn, "AROAFAKEROLE000000001:fake-session")


def container_credentials(req):
    if req.method != "GET":
        raise AwsError(405, "MethodNotAllowed", "Only GET is served here")
    if req.header("Authorization") != CONTAINER_TOKEN:
        raise AwsError(401, "Unauthorized", "The Authorization header does not hold the "
                       "container's token")
    key, entry = role_credentials("fake-task-role")
    body = dict(credentials_json(key, entry),
                RoleArn="arn:aws:iam::%s:role/fake-task-role" % STATE.account)
    return awswire.json_reply(body, 200, "application/json")


def plain(status, text):
    return status, [("Content-Type", "text/plain")], text.encode("utf-8")


def imds(req):
    if req.path == "/latest/api/token":
        if req.method != "PUT":
            return plain(405, "Method Not Allowed")
        ttl = req.header("X-aws-ec2-metadata-token-ttl-seconds")
        if ttl is None or not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            return plain(400, "Bad Request")
        token = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        with STATE.lock:
            STATE.imds_tokens[token] = time.time() + int(ttl)
        return 200, [("Content-Type", "text/plain"),
                     ("X-aws-ec2-metadata-token-ttl-seconds", ttl)], token.encode()
    token = req.header("X-aws-ec2-metadata-token")
    with STATE.lock:
        valid = token is not None and STATE.imds_tokens.get(token, 0) > time.time()
    if not valid:
        return plain(401, "Unauthorized")
    base = "/latest/meta-data/iam/security-credentials/"
    if req.path == base:
        return plain(200, INSTANCE_ROLE)
    if req.path == base + INSTANCE_ROLE:
        key, entry = role_credentials(INSTANCE_ROLE)
        body = dict(Code="Success", LastUpdated=iso8601(time.time()), Type="AWS-HMAC",
                    **credentials_json(key, entry))
        return awswire.json_reply(body, 200, "text/plain")
    return plain(404, "Not Found")

# }============


# {============ SSM (JSON 1.1)

def ssm(req, identity):
    try:
        body = json.loads(req.body or b"{}")
    except ValueError:
        raise AwsError(400, "SerializationException", None)
    name = body.get("Name")
    if req.action in ("GetParameter", "PutParameter", "DeleteParameter") and not name:
        raise AwsError(400, "ValidationException", "1 validation error detected: Value null "
                       "at 'name' failed to satisfy constraint: Member must not be null")
    region = req.signed.region
    if req.action == "GetParameter":
        with STATE.lock:
            p = STATE.ssm.get(name)
        if p is None:
            raise AwsError(400, "ParameterNotFound", None)
        return awswire.json_reply({"Parameter": {
            "ARN": "arn:aws:ssm:%s:%s:parameter/%s" % (region, identity["account"],
                                                       name.lstrip("/")),
            "DataType": "text", "LastModifiedDate": p["modified"], "Name": name,
            "Type": p["type"], "Value": p["value"], "Version": p["version"]}})
    if req.action == "PutParameter":
        version = STATE.put_parameter(name, body.get("Value", ""), body.get("Type", "String"),
                                      bool(body.get("Overwrite")))
        return awswire.json_reply({"Tier": "Standard", "Version": version})
    if req.action == "DeleteParameter":
        with STATE.lock:
            if STATE.ssm.pop(name, None) is None:
                raise AwsError(400, "ParameterNotFound", None)
        return awswire.json_reply({})
    raise AwsError(400, "UnknownOperationException", None)

# }============


# {============ S3 (REST, path-style)

def s3_target(req):
    parts = req.path.lstrip("/").split("/", 1)
    bucket = unquote(parts[0])
    key = unquote(parts[1]) if len(parts) > 1 and parts[1] else None
    return bucket, key


def no_bucket(bucket):
    return AwsError(404, "NoSuchBucket", "The specified bucket does not exist",
                    extra=[("BucketName", bucket)])


def s3(req):
    bucket, key = s3_target(req)
    with STATE.lock:
        objs = STATE.buckets.get(bucket)
        obj = objs.get(key) if objs is not None and key else None
    if not bucket:
        raise AwsError(501, "NotImplemented", "A header you provided implies functionality "
                       "that is not implemented")
    if key is None:
        return s3_bucket(req, bucket, objs)
    if objs is None:
        raise no_bucket(bucket)
    if req.method == "PUT":
        check_md5(req)
        STATE.put_object(bucket, key, req.body, req.header("Content-Type"))
        with STATE.lock:
            etag = STATE.buckets[bucket][key]["etag"]
        return 200, [("ETag", etag)], b""
    if req.method in ("GET", "HEAD"):
        if obj is None:
            raise AwsError(404, "NoSuchKey", "The specified key does not exist.",
                           extra=[("Key", key)])
        headers = [("ETag", obj["etag"]), ("Last-Modified", http_date(obj["modified"])),
                   ("Content-Type", obj["type"]), ("Content-Length", str(len(obj["body"])))]
        return 200, headers, obj["body"]
    if req.method == "DELETE":
        with STATE.lock:
            objs.pop(key, None)
        return 204, [], b""
    raise AwsError(405, "MethodNotAllowed", "The specified method is not allowed against "
                   "this resource.")


def check_md5(req):
    """A Content-MD5 header must be the base64 MD5 of the body, as S3 checks it."""
    given = req.header("Content-MD5")
    if given is None:
        return
    actual = base64.b64encode(hashlib.md5(req.body).digest()).decode()
    if given.strip() != actual:
        try:
            ok = len(base64.b64decode(given, validate=True)) == 16
        except ValueError:
            ok = False
        if not ok:
            raise AwsError(400, "InvalidDigest", "The Content-MD5 you specified was invalid.",
                           extra=[("Content-MD5", given)])
        raise AwsError(400, "BadDigest", "The Content-MD5 you specified did not match what "
                       "we received.", extra=[("ExpectedDigest", given),
                                              ("CalculatedDigest", actual)])


def s3_bucket(req, bucket, objs):
    if req.method == "PUT":
        with STATE.lock:
            if bucket in STATE.buckets:
                raise AwsError(409, "BucketAlreadyOwnedByYou", "Your previous request to "
                               "create the named bucket succeeded and you already own it.",
                               extra=[("BucketName", bucket)])
            STATE.buckets[bucket] = {}
        return 200, [("Location", "/" + bucket)], b""
    if objs is None:
        raise no_bucket(bucket)
    if req.method == "HEAD":
        return 200, [("x-amz-bucket-region", req.signed.region)], b""
    if req.method == "GET":
        params = dict(parse_qsl(req.query, keep_blank_values=True))
        prefix = params.get("prefix", "")
        with STATE.lock:
            keys = sorted(k for k in objs if k.startswith(prefix))
            contents = [("Contents", [("Key", k), ("LastModified", iso8601(objs[k]["modified"])),
                                      ("ETag", objs[k]["etag"]), ("Size", len(objs[k]["body"])),
                                      ("StorageClass", "STANDARD")]) for k in keys]
        return awswire.s3_xml("ListBucketResult", [
            ("Name", bucket), ("Prefix", prefix), ("KeyCount", len(keys)),
            ("MaxKeys", 1000), ("IsTruncated", False)] + contents)
    if req.method == "DELETE":
        with STATE.lock:
            if objs:
                raise AwsError(409, "BucketNotEmpty", "The bucket you tried to delete is not "
                               "empty", extra=[("BucketName", bucket)])
            del STATE.buckets[bucket]
        return 204, [], b""
    raise AwsError(405, "MethodNotAllowed", "The specified method is not allowed against "
                   "this resource.")

# }============


STATE = None


def main():
    global STATE
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--account", default="123456789012")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    STATE = State(args.account)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)

    def stop(*_):
        raise SystemExit(0)
    signal.signal(signal.SIGTERM, stop)
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
