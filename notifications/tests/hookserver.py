"""A webhook receiver on 127.0.0.1 for tests: answers from a script, records what came.

An answer is a status code, or "hang" (holds the connection past the client's timeout).
"""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HookServer:
    def __init__(self, *answers):
        self.answers, self.calls = list(answers), []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                server.calls.append({"path": self.path, "headers": dict(self.headers), "body": body})
                answer = server.answers.pop(0) if server.answers else 200
                if answer == "hang":
                    time.sleep(2)
                    answer = 200
                with contextlib.suppress(OSError):
                    self.send_response(answer)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
