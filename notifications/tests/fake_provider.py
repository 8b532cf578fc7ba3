"""A messaging provider played by a small HTTP server on 127.0.0.1.

It records every request (method, path, headers, raw body) and answers from a
script: queued answers first (status, JSON body, delay before answering to make
a timeout), then the default answer. Tests point WHATSAPP_API_BASE,
TWILIO_API_BASE or a push endpoint at `server.url`."""

import json
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)

    def form(self) -> dict:
        return {key: values[0] for key, values in parse_qs(self.body.decode(), keep_blank_values=True).items()}


@dataclass
class FakeProvider:
    url: str = ""
    requests: list = field(default_factory=list)
    answers: list = field(default_factory=list)
    default: tuple = (200, {"messaging_product": "whatsapp", "messages": [{"id": "wamid.TEST"}]}, 0.0)
    lock: threading.Lock = field(default_factory=threading.Lock)
    number_ids: bool = False  # answer wamid.1, wamid.2 … instead of the default's id

    def answer(self, status: int, body: dict | None = None, delay: float = 0.0, times: int = 1) -> None:
        with self.lock:
            self.answers.extend([(status, body or {}, delay)] * times)

    def next_answer(self) -> tuple:
        with self.lock:
            return self.answers.pop(0) if self.answers else self.default


@contextmanager
def fake_provider(default: tuple | None = None):
    provider = FakeProvider()
    if default is not None:
        provider.default = default

    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            provider.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
            status, payload, delay = provider.next_answer()
            if provider.number_ids and "messages" in payload:
                payload = {**payload, "messages": [{"id": f"wamid.{len(provider.requests)}"}]}
            if delay:
                time.sleep(delay)
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                pass

        do_POST = do_GET = do_DELETE = _handle

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()


def meta_signature(body: bytes, secret: str) -> str:
    import hashlib
    import hmac

    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def whatsapp_event(*, messages=(), statuses=()) -> dict:
    """A webhook payload as Meta posts it (one entry, one change)."""
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550001111", "phone_number_id": "1234"},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "Huda"}, "wa_id": messages[0]["from"]}]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"value": value, "field": "messages"}]}],
    }


def text_message(sender: str, text: str, message_id: str = "wamid.IN1") -> dict:
    return {"from": sender, "id": message_id, "timestamp": "1767225600", "type": "text", "text": {"body": text}}
