#!/usr/bin/python3
"""http-sink: a local HTTP receiver for notify's tests.
    http-sink.py PORTFILE LOG
Listens on a free loopback port (written to PORTFILE), appends one JSON
line per POST to LOG: {"path", "headers", "body"}.  The reply's status is
the path's: /ok 200, /refuse 400, /busy 503, /slow sleeps 3 s then 200."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n)
        code = {"/refuse": 400, "/busy": 503}.get(self.path, 200)
        if self.path == "/slow":
            time.sleep(3)
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps({"path": self.path,
                                "headers": dict(self.headers),
                                "status": code,
                                "body": body.decode("utf-8")}) + "\n")
        self.send_response(code)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
srv.serve_forever()
