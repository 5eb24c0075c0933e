#!/usr/bin/env python3
"""A small signing HTTP client for the fake endpoint's own tests (spec/fakeaws_spec.lua).

    python3 client.py URL [--service S] [--method M] [--path P] [--query Q]
        [--header 'Name: value']... [--body TEXT] [--action A [--param k=v]...]
        [--target AmazonSSM.GetParameter] [--key K --secret S --token T]
        [--date YYYYMMDDTHHMMSSZ] [--no-sign] [--tamper] [--timeout SECONDS]
    python3 client.py URL --stdio

--action sends a Query-protocol request (form body Action=A&Version=...&k=v...);
--target a JSON 1.1 one. Prints one JSON object: {"status", "headers", "body"}, with
status 0 and "error" when the connection failed or closed without an answer. With
--stdio it reads requests as JSON objects (the same options by name, params as an object,
headers as a list of "Name: value"), one a line, and writes one reply a line.
"""
import argparse
import http.client
import json
import os
import socket
import sys
import time
from urllib.parse import quote, urlsplit

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigv4  # noqa: E402

VERSIONS = {"sts": "2011-06-15", "cloudformation": "2010-05-15"}


def form(params):
    return "&".join("%s=%s" % (quote(k, safe=""), quote(v, safe="")) for k, v in params)


def build(r):
    """(method, path, query, headers, body) of the request to send."""
    headers = []
    body = (r.get("body") or "").encode("utf-8")
    method = r.get("method")
    service = r.get("service", "sts")
    if r.get("action"):
        params = [("Action", r["action"]), ("Version", VERSIONS.get(service, ""))]
        params += sorted((r.get("params") or {}).items())
        body = form(params).encode("utf-8")
        headers.append(("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"))
        method = method or "POST"
    if r.get("target"):
        headers.append(("X-Amz-Target", r["target"]))
        headers.append(("Content-Type", "application/x-amz-json-1.1"))
        method = method or "POST"
    for h in r.get("headers") or []:
        name, _, value = h.partition(":")
        headers.append((name.strip(), value.strip()))
    return method or "GET", r.get("path") or "/", r.get("query") or "", headers, body


def send(url, r):
    """Sends request `r` (a dict of the options above, by name) and returns the reply."""
    url = urlsplit(url)
    method, path, query, headers, body = build(r)
    headers.insert(0, ("Host", url.netloc))
    if body or method in ("POST", "PUT"):
        headers.append(("Content-Length", str(len(body))))
    if not r.get("no_sign"):
        date = r.get("date") or time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        headers += sigv4.sign_headers(
            method, path, query, headers, body, r.get("key") or "AKIDEXAMPLE",
            r.get("secret") or "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            r.get("region") or "us-east-1", r.get("service") or "sts", date, r.get("token"))
    if r.get("tamper"):
        body = body[:-1] + (b"X" if body[-1:] != b"X" else b"Y")
    conn = http.client.HTTPConnection(url.hostname, url.port,
                                      timeout=float(r.get("timeout") or 30))
    try:
        conn.putrequest(method, path + ("?" + query if query else ""), skip_host=True,
                        skip_accept_encoding=True)
        for name, value in headers:
            conn.putheader(name, value)
        conn.endheaders(body if body else None)
        resp = conn.getresponse()
        data = resp.read()
        return {"status": resp.status, "headers": {k.lower(): v for k, v in resp.getheaders()},
                "body": data.decode("utf-8", "replace")}
    except (http.client.RemoteDisconnected, ConnectionError, socket.timeout) as e:
        return {"status": 0, "error": "%s: %s" % (type(e).__name__, e)}
    finally:
        conn.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--stdio", action="store_true",
                    help="read one JSON request a line, answer one JSON reply a line")
    for name in ("service", "region", "method", "path", "query", "body", "action", "target",
                 "key", "secret", "token", "date", "timeout"):
        ap.add_argument("--" + name)
    ap.add_argument("--header", dest="headers", action="append", default=[])
    ap.add_argument("--param", action="append", default=[])
    ap.add_argument("--no-sign", action="store_true")
    ap.add_argument("--tamper", action="store_true", help="change the body after signing")
    args = ap.parse_args()
    if args.stdio:
        for line in sys.stdin:
            sys.stdout.write(json.dumps(send(args.url, json.loads(line))) + "\n")
            sys.stdout.flush()
        return
    r = {k: v for k, v in vars(args).items() if v is not None}
    r["params"] = dict(p.split("=", 1) for p in args.param)
    json.dump(send(args.url, r), sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
