"""AWS Signature Version 4 (AWS4-HMAC-SHA256), written for the fake endpoint from the AWS
documentation with hmac and hashlib only: it shares no code with sfl's signer, so each one
checks the other. test_sigv4.py runs it against both editions of the AWS test vectors.

Paths follow the AWS rule every SDK uses: a path is signed as sent, normalized and encoded
once more ("double encoding") for every service but S3, which signs the sent path as it is.
"""
import hashlib
import hmac
import re
from urllib.parse import unquote_to_bytes

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


class SignatureError(Exception):
    """A request that cannot be checked: `code` and `message` are AWS's."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def uri_encode(value, keep_slash=False):
    """Percent-encodes every byte but the unreserved ones, as uppercase %XX."""
    data = value.encode("utf-8") if isinstance(value, str) else value
    out = []
    for byte in data:
        if byte in _UNRESERVED or (keep_slash and byte == 0x2F):
            out.append(chr(byte))
        else:
            out.append("%%%02X" % byte)
    return "".join(out)


def normalize_path(path):
    """RFC 3986 dot-segment removal, plus merging of empty segments ("//")."""
    segments = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if segments:
                segments.pop()
            continue
        segments.append(seg)
    result = "/" + "/".join(segments)
    trailing = path.endswith("/") or path.endswith("/.") or path.endswith("/..")
    if trailing and result != "/":
        result += "/"
    return result


def canonical_uri(path, s3=False, normalize=True):
    if not path:
        return "/"
    if s3:
        return path
    if normalize:
        path = normalize_path(path)
    return uri_encode(path, keep_slash=True)


def parse_query(query):
    """The query's parameters as (name, value) pairs of decoded bytes, in order."""
    pairs = []
    for part in query.split("&") if query else []:
        if part == "":
            continue
        name, _, value = part.partition("=")
        pairs.append((unquote_to_bytes(name), unquote_to_bytes(value)))
    return pairs


def canonical_query(query, leave_out=()):
    pairs = [(uri_encode(n), uri_encode(v)) for n, v in parse_query(query)
             if n.decode("utf-8", "replace") not in leave_out]
    pairs.sort()
    return "&".join("%s=%s" % p for p in pairs)


def _trim(value):
    """A header value as signed: obsolete line folds and runs of spaces become one space."""
    return re.sub(r"[ \t\r\n]+", " ", value).strip()


def canonical_headers(headers, signed):
    """`headers` is the request's (name, value) list in order; repeated names are joined
    with commas in the order they came."""
    values = {}
    for name, value in headers:
        values.setdefault(name.lower(), []).append(_trim(value))
    lines = []
    for name in signed:
        if name not in values:
            raise SignatureError("SignatureDoesNotMatch",
                                 "The request signature we calculated does not match the "
                                 "signature you provided: signed header '%s' is missing" % name)
        lines.append("%s:%s\n" % (name, ",".join(values[name])))
    return "".join(lines)


def canonical_request(method, path, query, headers, signed, payload_hash, s3=False,
                      normalize=True, leave_out=()):
    return "\n".join([
        method,
        canonical_uri(path, s3, normalize),
        canonical_query(query, leave_out),
        canonical_headers(headers, signed),
        ";".join(signed),
        payload_hash,
    ])


def string_to_sign(amz_date, scope, creq):
    return "\n".join([ALGORITHM, amz_date, scope,
                      hashlib.sha256(creq.encode("utf-8")).hexdigest()])


def _hmac(key, msg):
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret, date, region, service):
    key = _hmac(("AWS4" + secret).encode("utf-8"), date)
    key = _hmac(key, region)
    key = _hmac(key, service)
    return _hmac(key, "aws4_request")


def signature(secret, scope, sts):
    date, region, service = scope.split("/")[:3]
    return hmac.new(signing_key(secret, date, region, service), sts.encode("utf-8"),
                    hashlib.sha256).hexdigest()


def header(headers, name):
    """The first value of header `name` (any case), or None."""
    name = name.lower()
    for n, v in headers:
        if n.lower() == name:
            return v
    return None


_AUTH_RE = re.compile(r"^AWS4-HMAC-SHA256\s+(.*)$", re.S)


def parse_authorization(value):
    """{'credential', 'signed', 'signature'} from an Authorization header value."""
    m = _AUTH_RE.match(value.strip())
    if not m:
        raise SignatureError("IncompleteSignature",
                             "Authorization header requires the AWS4-HMAC-SHA256 algorithm")
    fields = {}
    for part in m.group(1).split(","):
        key, _, val = part.strip().partition("=")
        fields[key] = val
    missing = [k for k in ("Credential", "SignedHeaders", "Signature") if k not in fields]
    if missing:
        raise SignatureError("IncompleteSignature",
                             "Authorization header requires '%s' parameter." % missing[0])
    return {"credential": fields["Credential"], "signed": fields["SignedHeaders"].split(";"),
            "signature": fields["Signature"]}


def split_credential(credential):
    """(access key id, scope) from 'AKID/20150830/us-east-1/service/aws4_request'."""
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise SignatureError("IncompleteSignature",
                             "Credential should be scoped to a valid region. ")
    return parts[0], "/".join(parts[1:])


class Signed:
    """What a signed request says about itself: who signed it, for which scope and service,
    when, and the signature; then check(secret) recomputes it."""

    def __init__(self, method, path, query, headers, body):
        self.method, self.path, self.query = method, path, query
        self.headers, self.body = headers, body
        params = dict((n.decode(), v.decode("utf-8", "replace"))
                      for n, v in parse_query(query))
        self.presigned = "X-Amz-Signature" in params
        if self.presigned:
            try:
                self.access_key, self.scope = split_credential(params["X-Amz-Credential"])
                self.signed = params["X-Amz-SignedHeaders"].split(";")
                self.signature = params["X-Amz-Signature"]
                self.amz_date = params["X-Amz-Date"]
            except KeyError as e:
                raise SignatureError("AuthorizationQueryParametersError",
                                     "Query-string authentication version 4 requires the "
                                     "X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                                     "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires "
                                     "parameters. (%s is missing)" % e.args[0])
            self.token = params.get("X-Amz-Security-Token")
        else:
            auth = header(headers, "Authorization")
            if auth is None:
                raise SignatureError("MissingAuthenticationToken",
                                     "Request is missing Authentication Token")
            fields = parse_authorization(auth)
            self.access_key, self.scope = split_credential(fields["credential"])
            self.signed, self.signature = fields["signed"], fields["signature"]
            self.amz_date = header(headers, "X-Amz-Date")
            if self.amz_date is None:
                raise SignatureError("IncompleteSignature",
                                     "Authorization header requires existence of either a "
                                     "'X-Amz-Date' or a 'Date' header.")
            self.token = header(headers, "X-Amz-Security-Token")
        self.service = self.scope.split("/")[2]
        self.region = self.scope.split("/")[1]

    def payload_hash(self):
        given = header(self.headers, "x-amz-content-sha256")
        if given is not None:
            return given
        if self.presigned and self.service == "s3":
            return UNSIGNED_PAYLOAD
        return hashlib.sha256(self.body).hexdigest()

    def canonical_request(self, normalize=True, leave_out=()):
        if self.presigned:
            leave_out = ("X-Amz-Signature",) + tuple(leave_out)
        return canonical_request(self.method, self.path, self.query, self.headers, self.signed,
                                 self.payload_hash(), self.service == "s3", normalize,
                                 leave_out)

    def check(self, secret, normalize=True):
        """(ok, canonical request, string to sign). A presigned URL may carry its session
        token unsigned (added after signing, as the CRT signer's omit_session_token does):
        that form is tried when the signed one does not match."""
        forms = [()]
        if self.presigned and self.token is not None:
            forms.append(("X-Amz-Security-Token",))
        for leave_out in forms:
            creq = self.canonical_request(normalize, leave_out)
            sts = string_to_sign(self.amz_date, self.scope, creq)
            ok = hmac.compare_digest(signature(secret, self.scope, sts), self.signature)
            if ok:
                break
        return ok, creq, sts


def sign_headers(method, path, query, headers, body, access_key, secret, region, service,
                 amz_date, token=None):
    """The headers a client adds to sign a request in the Authorization-header form
    (X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256 for S3, Authorization)."""
    added = [("X-Amz-Date", amz_date)]
    if token:
        added.append(("X-Amz-Security-Token", token))
    payload = hashlib.sha256(body).hexdigest()
    if service == "s3":
        added.append(("x-amz-content-sha256", payload))
    every = list(headers) + added
    signed = sorted(set(n.lower() for n, _ in every))
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    creq = canonical_request(method, path, query, every, signed, payload, service == "s3")
    sig = signature(secret, scope, string_to_sign(amz_date, scope, creq))
    added.append(("Authorization", "%s Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, scope, ";".join(signed), sig)))
    return added
