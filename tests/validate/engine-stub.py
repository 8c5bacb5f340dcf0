#!/usr/bin/python3
"""A stand-in for the Docker Engine API on a unix socket, for tests.

usage: engine-stub.py SOCKET RECORD

Answers what the docker CLI asks before it creates a container (ping,
version, info) and records the JSON body of each containers/create
request, one per line, in RECORD.  It listens on the unix socket only:
nothing here touches a network.  It exits when its parent goes away or
after 120 seconds, whichever comes first.
"""
import http.server
import json
import os
import socketserver
import sys
import threading

API = "1.41"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Api-Version", API)
        self.send_header("Ostype", "linux")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Api-Version", API)
        self.send_header("Ostype", "linux")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        path = self.path.split("?")[0]
        if path.endswith("/_ping"):
            data = b"OK"
            self.send_response(200)
            self.send_header("Api-Version", API)
            self.send_header("Ostype", "linux")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif path.endswith("/version"):
            self.reply(200, {"ApiVersion": API, "MinAPIVersion": "1.12",
                             "Version": "20.10.24", "Os": "linux",
                             "Arch": "amd64"})
        elif path.endswith("/info"):
            self.reply(200, {"OSType": "linux", "SecurityOptions": [
                "name=apparmor", "name=seccomp,profile=default"]})
        else:
            self.reply(404, {"message": "not in the stub: " + path})

    def do_POST(self):
        path = self.path.split("?")[0]
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        if path.endswith("/containers/create"):
            with open(sys.argv[2], "ab") as rec:
                rec.write(body.replace(b"\n", b"") + b"\n")
            self.reply(201, {"Id": "0" * 64, "Warnings": []})
        else:
            self.reply(404, {"message": "not in the stub: " + path})


class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def get_request(self):
        conn, _ = self.socket.accept()
        # BaseHTTPRequestHandler wants a client address.
        return conn, ("stub", 0)


def main():
    sock = sys.argv[1]
    if os.path.exists(sock):
        os.unlink(sock)
    server = Server(sock, Handler)
    parent = os.getppid()

    def watchdog():
        for _ in range(120):
            if os.getppid() != parent:
                break
            threading.Event().wait(1)
        server.shutdown()

    threading.Thread(target=watchdog, daemon=True).start()
    print("ready", flush=True)
    server.serve_forever()
    os.unlink(sock)


if __name__ == "__main__":
    main()
