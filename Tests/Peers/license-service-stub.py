#!/usr/bin/env python3
"""A scripted License Service over HTTPS on 127.0.0.1, for DevPayLicenseService's end-to-end tests.

Written apart from the Swift client: it parses queries with urllib and checks SigV1 with Python's hmac.

  license-service-stub.py --cert leaf.pem --key leaf-key.pem --script script.json

script.json: {"secrets": {"<AWSAccessKeyId>": "<secret>"},
              "steps": [{"status": 503, "headers": {"Retry-After": "2"}, "body": "<xml…>"}, …]}
Each request to any path but /__requests takes the next step; when the steps run out it answers 500.
A request with SignatureVersion=1 is checked first: a wrong or missing signature gets a 403
SignatureDoesNotMatch error and takes no step.
GET /__requests answers the requests received so far as JSON: [{"path": …, "params": {…}}, …].
Prints "PORT <n>" once listening; exits when its standard input closes.
"""
import argparse
import base64
import hashlib
import hmac
import http.server
import json
import socketserver
import ssl
import sys
import threading
import urllib.parse

lock = threading.Lock()
received = []
script = {"secrets": {}, "steps": []}

SIGNATURE_MISMATCH = """<?xml version="1.0"?>
<ErrorResponse xmlns="http://ls.amazonaws.com/doc/2008-04-28/">
  <Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>stub: signature mismatch</Message></Error>
  <RequestID>stub-signature</RequestID>
</ErrorResponse>
"""


def signature_ok(params):
    secret = script["secrets"].get(params.get("AWSAccessKeyId", ""))
    if secret is None or "Signature" not in params:
        return False
    signed = {k: v for k, v in params.items() if k != "Signature"}
    text = "".join(k + signed[k] for k in sorted(signed, key=str.lower))
    expected = base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha1).digest()).decode()
    return hmac.compare_digest(expected, params["Signature"])


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=None):
        data = body.encode()
        headers = dict(headers or {})
        # A scripted Date (for an HTTP-date Retry-After) replaces the real one rather than doubling it.
        headers.setdefault("Date", self.date_time_string())
        self.send_response_only(status)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/__requests":
            with lock:
                self.reply(200, json.dumps(received), {"Content-Type": "application/json"})
            return
        # keep_blank_values: an empty parameter is still a parameter the signature covers.
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        with lock:
            received.append({"path": url.path, "params": params})
            if params.get("SignatureVersion") == "1" and not signature_ok(params):
                step = {"status": 403, "body": SIGNATURE_MISMATCH}
            elif script["steps"]:
                step = script["steps"].pop(0)
            else:
                step = {"status": 500, "body": "stub: script exhausted"}
        self.reply(step["status"], step.get("body", ""), step.get("headers"))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--script", required=True)
    arguments = parser.parse_args()
    with open(arguments.script) as file:
        script.update(json.load(file))
    server = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.cert, arguments.key)
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
