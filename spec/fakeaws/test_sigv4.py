"""The fake endpoint's SigV4 checker (sigv4.py) against every vector of both editions of the
AWS test suite (../shared/sigv4-testsuite; its README says which vectors carry bad data).

For each vector the signed request is parsed as the server would receive it and must be
accepted; its canonical request must equal the published one; the published chain
(canonical request -> string to sign -> signature) must be reproduced; and the same request
with a wrong secret, or with its path changed, must be refused.

Usage: python3 test_sigv4.py SUITE_DIR. Prints one line per vector; exits 1 on any failure.
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402

SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
SCOPE = "20150830/us-east-1/service/aws4_request"
CLASSIC_COUNT, CRT_COUNT = 31, 38

# The suite README: this .creq does not hash to its .sts (content-type is left out of its
# SignedHeaders while .authz signs it); the .req, .sts and .authz agree.
CLASSIC_BAD_CREQ = {"post-x-www-form-urlencoded"}
# The suite README: its .req sends the parameter as a body, but the chain signs it as a query
# with an empty body; only the chain (.creq -> .sts -> .authz) describes a signed request.
CLASSIC_BAD_REQ = {"post-x-www-form-urlencoded-parameters"}


def read(path):
    with open(path, "rb") as f:
        return f.read().decode("utf-8")


def parse_request(text, fold):
    """(method, path, query, headers, body) of a vector's request text. A header line that
    starts with white space continues the one before: the classic edition reads it as one
    more value of that header (its .creq joins them with commas), the CRT edition as part
    of the same value (obsolete line folding, RFC 9112 5.2: one space)."""
    head, _, body = text.partition("\n\n")
    lines = head.split("\n")
    first = lines[0]
    method, rest = first.split(" ", 1)
    target = rest.rsplit(" ", 1)[0]
    path, _, query = target.partition("?")
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            name, value = headers[-1]
            if fold == "comma":
                headers.append((name, line))
            else:
                headers[-1] = (name, value + " " + line.strip())
            continue
        name, _, value = line.partition(":")
        headers.append((name, value))
    return method, path, query, headers, body.encode("utf-8")


class Run:
    def __init__(self):
        self.failures = 0
        self.count = 0

    def check(self, name, cond, what):
        if not cond:
            self.failures += 1
            print("FAIL %s: %s" % (name, what))
        return cond

    def vector(self, name, request, creq_expected, normalize=True):
        """The request (as parsed) must be accepted, canonicalize to creq_expected (unless
        None), and be refused with a wrong secret or a changed path."""
        self.count += 1
        method, path, query, headers, body = request
        signed = sigv4.Signed(method, path, query, headers, body)
        ok, creq, _ = signed.check(SECRET, normalize)
        good = self.check(name, ok, "signature refused; canonical request was:\n" + creq)
        if creq_expected is not None:
            good &= self.check(name, creq == creq_expected,
                               "canonical request\n%s\n!= published\n%s" % (creq, creq_expected))
        bad, _, _ = signed.check(SECRET + "x", normalize)
        good &= self.check(name, not bad, "accepted with a wrong secret")
        moved = sigv4.Signed(method, path + "x", query, headers, body)
        bad, _, _ = moved.check(SECRET, normalize)
        good &= self.check(name, not bad, "accepted with a changed path")
        if good:
            print("ok %s" % name)

    def chain(self, name, creq, sts, sig, scope=SCOPE, amz_date="20150830T123600Z"):
        """The published canonical request -> string to sign -> signature."""
        mine = sigv4.string_to_sign(amz_date, scope, creq)
        self.check(name, mine == sts, "string to sign\n%s\n!= published\n%s" % (mine, sts))
        self.check(name, sigv4.signature(SECRET, scope, sts) == sig, "signature differs")


def classic_vectors(root):
    for dirpath, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            if f.endswith(".req"):
                yield os.path.basename(dirpath), dirpath


def run_classic(run, root):
    found = 0
    for name, d in classic_vectors(root):
        found += 1
        base = os.path.join(d, name)
        authz = read(base + ".authz")
        sig = authz.rsplit("Signature=", 1)[1]
        creq_text = read(base + ".creq")
        label = "classic/" + name
        if name not in CLASSIC_BAD_CREQ:
            run.chain(label + " (chain)", creq_text, read(base + ".sts"), sig)
        if name in CLASSIC_BAD_REQ:
            run.count += 1
            print("ok %s (chain only: bad .req)" % label)
            continue
        method, path, query, headers, body = parse_request(read(base + ".req"), "comma")
        headers.append(("Authorization", authz))
        expected = None if name in CLASSIC_BAD_CREQ else creq_text
        run.vector(label, (method, path, query, headers, body), expected)
    run.check("classic", found == CLASSIC_COUNT, "found %d vectors, README says %d"
              % (found, CLASSIC_COUNT))


def run_crt(run, root):
    names = sorted(n for n in os.listdir(root) if os.path.isdir(os.path.join(root, n)))
    run.check("crt", len(names) == CRT_COUNT, "found %d vectors, README says %d"
              % (len(names), CRT_COUNT))
    for name in names:
        d = os.path.join(root, name)
        ctx = json.loads(read(os.path.join(d, "context.json")))
        normalize = ctx.get("normalize", True)
        for form in ("header", "query"):
            label = "crt/%s (%s)" % (name, form)
            creq = read(os.path.join(d, form + "-canonical-request.txt"))
            sts = read(os.path.join(d, form + "-string-to-sign.txt"))
            sig = read(os.path.join(d, form + "-signature.txt")).strip()
            run.chain(label + " (chain)", creq, sts, sig)
            req = parse_request(read(os.path.join(d, form + "-signed-request.txt")), "space")
            run.vector(label, req, creq, normalize)


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: test_sigv4.py SUITE_DIR (../shared/sigv4-testsuite)")
        return 2
    run = Run()
    run_classic(run, os.path.join(sys.argv[1], "aws-sig-v4-test-suite"))
    run_crt(run, os.path.join(sys.argv[1], "aws-signing-test-suite", "v4"))
    print("%d vectors checked, %d failures" % (run.count, run.failures))
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
