"""A tiny SMTP server on a free local port that answers as told, so tests see
how delivery handles a mail server refusing, without touching the network."""

import socket
import threading
from contextlib import contextmanager


def _serve(server: socket.socket, rcpt_reply: bytes, stop: threading.Event, hang: bool) -> None:
    server.settimeout(0.2)
    while not stop.is_set():
        try:
            conn, _ = server.accept()
        except TimeoutError:
            continue
        with conn:
            if hang:  # accepts and never greets: the sender waits forever
                stop.wait()
                return
            stream = conn.makefile("rb")
            conn.sendall(b"220 test ESMTP\r\n")
            for line in stream:
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250 test\r\n")
                elif verb == b"RCPT":
                    conn.sendall(rcpt_reply + b"\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    break
                elif verb == b"RSET":
                    conn.sendall(b"250 ok\r\n")
                else:
                    conn.sendall(b"250 ok\r\n")


@contextmanager
def smtp_server(*, rcpt_reply: str = "250 ok", hang: bool = False):
    """Yields the port. `rcpt_reply` such as "550 no such user" or "451 try later"."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(server, rcpt_reply.encode(), stop, hang), daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()


def closed_port() -> int:
    """A local port nobody listens on."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port
