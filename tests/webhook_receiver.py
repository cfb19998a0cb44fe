"""A real HTTP receiver for webhook tests, on 127.0.0.1 and a port the system picks, that
checks each delivery's signature the way the README tells partners to."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.core.management import call_command

from core.webhooks import signing


@dataclass
class Received:
    headers: dict
    body: bytes
    signature_valid: bool

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    """Answers each request with the next of ``statuses`` (then 200) and records it."""

    secret: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                header = self.headers.get(signing.SIGNATURE_HEADER, "")
                valid = bool(receiver.secret) and signing.verify(receiver.secret, header, body)
                receiver.received.append(Received(dict(self.headers), body, valid))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                reply = b"thanks" if status < 300 else b"receiver is down"
                self.send_response(status)
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def events(self) -> list[tuple[str, str, int]]:
        return [(r.json["event"], r.json["type"], r.json["object_id"]) for r in self.received]


def run_worker() -> None:
    """Run the queued tasks that are due, with the library's own worker, until none is left."""
    call_command(
        "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0",
        verbosity=0,
    )  # fmt: skip
