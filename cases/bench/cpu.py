"""CPU per request of each public page, in one process with the production settings.

wrk's figures move with whatever else runs on the machine; the CPU a request costs this
process (`time.process_time`) hardly does: a reader can judge a page on a loaded machine.
Run by `manage.py bench_pages` in a child process with the gunicorn's environment (DEBUG
off, cached template loader, hashed static files from the manifest), so nothing of the
development settings is measured (`main` takes the pages as JSON, ROUNDS and REQUESTS).

Each page is asked anonymously through Django's test client, with the public page cache
off (every request renders): ROUNDS rounds of REQUESTS requests; the figure is the median
round's CPU ms per request (the least disturbed round is `min_ms`). PostgreSQL's own CPU
is not in it (another process); the driver's work on the answers is. It prints one JSON line.
"""

import json
import statistics
import sys
import time

BARE = "/bench/bare/"


def measure(paths: dict[str, str], *, rounds: int, requests: int) -> dict:
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    figures = {}
    for name, path in {"bare": BARE, **paths}.items():
        for _ in range(3):  # warm: templates compiled, translations and reference data read
            answer = client.get(path)
        if answer.status_code != 200:
            raise RuntimeError(f"{path} answered {answer.status_code}")
        per_round = []
        for _ in range(rounds):
            started = time.process_time()
            for _ in range(requests):
                client.get(path)
            per_round.append((time.process_time() - started) * 1000 / requests)
        figures[name] = {
            "path": path,
            "cpu_ms": round(statistics.median(per_round), 2),
            "min_ms": round(min(per_round), 2),
            "bytes": len(answer.content),
        }
    return figures


def main(argv: list[str]) -> None:
    paths, rounds, requests = json.loads(argv[0]), int(argv[1]), int(argv[2])
    sys.stdout.write(json.dumps(measure(paths, rounds=rounds, requests=requests)) + "\n")
