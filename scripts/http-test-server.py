#!/usr/bin/env python3
"""A small HTTP/1.1 keep-alive server on 127.0.0.1 for DevPayHTTP's tests and benchmarks.

Serves HTTPS when given --cert/--key, plain HTTP otherwise. Prints "PORT <n>" once listening and exits when its
standard input closes, so a test process that dies never leaves it behind.

Routes (query parameters in brackets):
  GET  /hello                  "hello"
  GET  /bytes [n]              n bytes of a repeating pattern
  GET  /chunked [n]            n bytes in chunked encoding (no Content-Length)
  GET  /stream [mb]            mb MiB, written 1 MiB at a time
  GET  /slow [delay]           waits delay seconds, then "late"
  GET  /status [code]          that status, header x-test: status, body "error body"
  GET  /reset                  reads the request, then resets the connection (RST)
  GET|POST /headers                the request's header names and values, one per line
  GET  /connections            how many TCP connections the server has accepted
  GET  /trickle [n]            announces n bytes, then sends one byte per second
  GET  /echo-path/...          the request target exactly as received (dot segments included)
  ANY  /hostile-s3/...         an S3 error whose Message holds CR, LF, U+009B (CSI) and a bidi override
  PUT|POST /upload             reads the body (Content-Length or chunked); answers "<length> <adler32>"
  CONNECT host:port            a tunnel to host:port (the server doubles as an HTTPS proxy)
"""
import argparse
import http.server
import select
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import urllib.parse
import zlib

accepted = 0
accepted_lock = threading.Lock()
PATTERN = bytes(range(256)) * 4096  # 1 MiB


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, headers=()):
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def hostile_s3_error(self):
        message = "denied&#13;&#10;devpay: everything is fine \u009b31m\u202egnirts"
        body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>InvalidRequest</Code>"
                f"<Message>{message}</Message><RequestId>r1</RequestId></Error>").encode()
        self.reply(400, body, [("Content-Type", "application/xml")])

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path.startswith("/hostile-s3/"):
            return self.hostile_s3_error()
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/hello":
            self.reply(200, b"hello")
        elif url.path == "/bytes":
            n = int(query.get("n", "0"))
            self.reply(200, (PATTERN * (n // len(PATTERN) + 1))[:n])
        elif url.path == "/chunked":
            n = int(query.get("n", "0"))
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            sent = 0
            while sent < n:
                piece = PATTERN[: min(65536, n - sent)]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            self.wfile.write(b"0\r\n\r\n")
        elif url.path == "/stream":
            mb = int(query.get("mb", "1"))
            self.send_response(200)
            self.send_header("Content-Length", str(mb * len(PATTERN)))
            self.end_headers()
            for _ in range(mb):
                self.wfile.write(PATTERN)
        elif url.path == "/slow":
            time.sleep(float(query.get("delay", "1")))
            self.reply(200, b"late")
        elif url.path == "/status":
            self.reply(int(query.get("code", "500")), b"error body", [("x-test", "status")])
        elif url.path == "/reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif url.path == "/headers":
            lines = "".join(f"{name.lower()}: {value}\n" for name, value in self.headers.items())
            self.reply(200, lines.encode())
        elif url.path == "/trickle":
            n = int(query.get("n", "60"))
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for _ in range(n):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1)
        elif self.path.startswith("/echo-path/"):
            self.reply(200, self.path.encode())
        elif url.path == "/connections":
            with accepted_lock:
                count = accepted
            self.reply(200, str(count).encode())
        else:
            self.reply(404, b"not found")

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()

    def read_body(self):
        checksum = 1
        length = 0
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                remaining = size
                while remaining:
                    data = self.rfile.read(min(remaining, 1 << 20))
                    checksum = zlib.adler32(data, checksum)
                    remaining -= len(data)
                    length += len(data)
                self.rfile.readline()
        else:
            remaining = int(self.headers.get("Content-Length", "0"))
            while remaining:
                data = self.rfile.read(min(remaining, 1 << 20))
                if not data:
                    break
                checksum = zlib.adler32(data, checksum)
                remaining -= len(data)
                length += len(data)
        return length, checksum

    def do_PUT(self):
        length, checksum = self.read_body()
        if self.path.startswith("/hostile-s3/"):
            return self.hostile_s3_error()
        if self.path.startswith("/headers"):
            return self.do_GET()
        self.reply(200, f"{length} {checksum}".encode())

    do_POST = do_PUT

    def do_CONNECT(self):
        host, port = self.path.rsplit(":", 1)
        upstream = socket.create_connection((host, int(port)))
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        ends = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(ends, [], [], 30)
                if not readable:
                    return
                for end in readable:
                    data = end.recv(65536)
                    if not data:
                        return
                    (upstream if end is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # Tests abort connections on purpose (cancellation, caps, wrong CA); their tracebacks are noise.
        pass

    def get_request(self):
        connection, address = super().get_request()
        global accepted
        with accepted_lock:
            accepted += 1
        return connection, address


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    arguments = parser.parse_args()
    server = Server(("127.0.0.1", arguments.port), Handler)
    if arguments.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(arguments.cert, arguments.key)
        # The handshake runs in the connection's thread, so one slow or failing client never blocks accept().
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdin.read()  # returns at EOF: the parent is gone or wants us gone
    server.shutdown()


if __name__ == "__main__":
    main()
