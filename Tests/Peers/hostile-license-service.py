#!/usr/bin/env python3
"""A hostile License Service over HTTPS on 127.0.0.1, for DevPayAdversarialTests.

  hostile-license-service.py --cert leaf.pem --key leaf-key.pem

The first path segment of the request picks the behaviour (the client's endpoint is https://127.0.0.1:PORT/<mode>/):
  ok          a valid ActivateDesktopProduct answer (the control case)
  slowloris   status line and headers promise 4 KiB, then one body byte every 0.5 s, forever
  slowheaders one byte of the status line every 0.5 s, forever
  huge        a 10 MiB XML body with Content-Length (written 64 KiB at a time)
  hugechunked a 10 MiB XML body, chunked, no Content-Length
  bomb        a "billion laughs" entity expansion bomb (small on the wire)
  quadratic   one 50 KB entity referenced 50 000 times
  xxe         an external entity pointing at file:///etc/passwd and at this server's /__canary
  html        200 text/html, an HTML error page instead of XML
  reset       reads the request, then resets the connection (TCP RST)
  close       reads the request, then closes the connection without a byte
  status503   503 with an HTML body, forever
GET /__canary counts hits (an XML parser fetching the external entity would hit it); GET /__stats answers
"<canary hits> <requests>". Prints "PORT <n>" once listening; exits when its standard input closes.
"""
import argparse
import http.server
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time

lock = threading.Lock()
stats = {"canary": 0, "requests": 0}
port = 0

OK = b"""<?xml version="1.0"?>
<ActivateDesktopProductResponse xmlns="http://ls.amazonaws.com/doc/2008-04-28/">
  <ActivateDesktopProductResult>
    <UserToken>{UserToken}AAAAHostileControl=</UserToken>
    <AWSAccessKeyId>AKIAHOSTILE000000001</AWSAccessKeyId>
    <SecretAccessKey>hostileControlSecret/0123456789abcdefghij</SecretAccessKey>
  </ActivateDesktopProductResult>
  <ResponseMetadata><RequestId>hostile-ok</RequestId></ResponseMetadata>
</ActivateDesktopProductResponse>
"""

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ActivateDesktopProductResponse><ActivateDesktopProductResult><UserToken>{UserToken}&lol9;</UserToken>
<AWSAccessKeyId>AKIA</AWSAccessKeyId><SecretAccessKey>s</SecretAccessKey></ActivateDesktopProductResult>
</ActivateDesktopProductResponse>
"""


def quadratic():
    entity = b"A" * 50_000
    return (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "' + entity + b'">]>\n'
            b"<ActivateDesktopProductResponse><ActivateDesktopProductResult><UserToken>{UserToken}"
            + b"&a;" * 50_000 + b"</UserToken></ActivateDesktopProductResult></ActivateDesktopProductResponse>\n")


def xxe():
    return (b'<?xml version="1.0"?>\n<!DOCTYPE r [\n <!ENTITY file SYSTEM "file:///etc/passwd">\n'
            b' <!ENTITY remote SYSTEM "https://127.0.0.1:%d/__canary">\n]>\n'
            b"<ActivateDesktopProductResponse><ActivateDesktopProductResult>"
            b"<UserToken>{UserToken}&file;&remote;</UserToken><AWSAccessKeyId>AKIA</AWSAccessKeyId>"
            b"<SecretAccessKey>s</SecretAccessKey></ActivateDesktopProductResult>"
            b"</ActivateDesktopProductResponse>\n" % port)


HUGE = 10 << 20
FILLER = b"<Filler>" + b"x" * (65536 - 19) + b"</Filler>\n"  # 65536 bytes


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body, content_type="text/xml"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def trickle(self, data):
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(0.5)

    def do_GET(self):
        segment = self.path.lstrip("/").split("/", 1)[0].split("?", 1)[0]
        with lock:
            stats["requests"] += 1
            if segment == "__canary":
                stats["canary"] += 1
        try:
            self.serve(segment)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.close_connection = True

    def serve(self, segment):
        if segment == "__stats":
            with lock:
                self.reply(200, b"%d %d" % (stats["canary"], stats["requests"]), "text/plain")
        elif segment in ("ok", "__canary"):
            self.reply(200, OK)
        elif segment == "slowloris":
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", "4096")
            self.end_headers()
            self.wfile.flush()
            self.trickle(OK * 20)
        elif segment == "slowheaders":
            self.trickle(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n" + b"X-Slow: " + b"z" * 4096)
        elif segment in ("huge", "hugechunked"):
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            chunked = segment == "hugechunked"
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            for _ in range(HUGE // len(FILLER)):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(FILLER), FILLER) if chunked else FILLER)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        elif segment == "bomb":
            self.reply(200, BOMB)
        elif segment == "quadratic":
            self.reply(200, quadratic())
        elif segment == "xxe":
            self.reply(200, xxe())
        elif segment == "html":
            self.reply(200, b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
                            b"<body><h1>Bad Gateway</h1><p>nginx</p></body></html>\n", "text/html")
        elif segment == "status503":
            self.reply(503, b"<html><body>Service Unavailable</body></html>", "text/html")
        elif segment == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
        elif segment == "close":
            self.connection.close()
            self.close_connection = True
        else:
            self.reply(404, b"not found", "text/plain")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main():
    global port
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    arguments = parser.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.cert, arguments.key)
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
