"""A real SMTP server (aiosmtpd) and a real HTTP receiver, both on loopback, for the alerts."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django_tasks_db.models import DBTaskResult


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the local webhook server got, and what it answers next (status codes in turn,
    the last one repeating); ``on_request`` runs inside the server before it answers."""

    url: str
    requests: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=lambda: [200])
    redirect_to: str = ""
    answer_body: bytes = b""
    on_request: object = None

    def next_status(self) -> int:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@pytest.fixture
def receiver():
    """A real HTTP server in a thread on a free loopback port, recording every POST."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hook")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802  # http.server's hook name
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.requests.append(Received(self.path, dict(self.headers.items()), body))
            if state.on_request is not None:
                state.on_request(self.path)
            if state.redirect_to and self.path == "/hook":
                self.send_response(307)
                self.send_header("Location", state.redirect_to)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = state.next_status()
            answer = state.answer_body or (b'{"ok": true}' if status < 400 else b"Internal trouble")
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def run_queued_tasks(task=None) -> list:
    """Run the tasks waiting in the database queue (only ``task``'s when given), as
    `regie worker` does; their results."""
    results = []
    waiting = DBTaskResult.objects.ready().order_by("enqueued_at")
    if task is not None:
        waiting = waiting.filter(task_path=task.module_path)
    for queued in waiting:
        task = queued.task
        results.append(task.call(*queued.task_result.args, **queued.task_result.kwargs))
        queued.delete()
    return results
