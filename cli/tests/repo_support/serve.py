#!/usr/bin/env python3
"""A chart repository server for the tests: serves a directory over HTTP on
127.0.0.1, optionally with basic auth and over TLS, and logs each request
(method, path, Authorization header) as a JSON line, so tests can check
where credentials went.

    serve.py DIR PORTFILE LOGFILE [--auth USER:PASS] [--tls CERT KEY]

It binds a free port and writes it to PORTFILE when ready.
"""
import base64
import functools
import http.server
import json
import ssl
import sys


def main():
    args = sys.argv[1:]
    directory, portfile, logfile = args[:3]
    auth = tls = None
    rest = args[3:]
    while rest:
        if rest[0] == "--auth":
            auth, rest = rest[1], rest[2:]
        elif rest[0] == "--tls":
            tls, rest = (rest[1], rest[2]), rest[3:]
        else:
            sys.exit(f"unknown argument {rest[0]}")
    expected = "Basic " + base64.b64encode(auth.encode()).decode() if auth else None

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            with open(logfile, "a") as log:
                log.write(json.dumps({"method": "GET", "path": self.path,
                                      "authorization": self.headers.get("Authorization", ""),
                                      "user_agent": self.headers.get("User-Agent", "")}) + "\n")
            if expected and self.headers.get("Authorization") != expected:
                self.send_response(401, "Unauthorized")
                self.send_header("WWW-Authenticate", 'Basic realm="charts"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=directory))
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(tls[0], tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
