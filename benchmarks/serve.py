"""Latency of the local page: POST api/scan of a one-paragraph draft once the model is loaded, over real
HTTP (uvicorn on 127.0.0.1 in a thread), median of 20, beside the check alone for the overhead.

    python -m benchmarks.serve
"""
from __future__ import annotations

import http.client
import json
import statistics
import threading
import time

from phiguard import serve

REQUESTS = 20
PARAGRAPH = ("Our patient John Smith, MRN 12345678, was discharged from room 4B on March 3, 2025. His family thanked "
             "the night nurses on 5 West for the care and the pudding, and he is looking forward to getting back "
             "to his garden in Springfield. Remember: wash your hands and get your flu shot this October. "
             "Call 555-201-3344 to book a visit at the Elm Street clinic.")


def main() -> None:
    started = time.perf_counter()
    session = serve.page_session()
    load = time.perf_counter() - started
    server, sock, url = serve.make_server(session)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    port, token = sock.getsockname()[1], url.rstrip("/").rsplit("/", 1)[1]
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {serve.TOKEN_HEADER: token, "Content-Type": "application/json"}

    def post(i: int) -> float:
        body = json.dumps({"text": f"{PARAGRAPH} ({i})"})
        t = time.perf_counter()
        conn.request("POST", f"/{token}/api/scan", body, headers)
        response = conn.getresponse()
        data = json.loads(response.read())
        elapsed = time.perf_counter() - t
        assert response.status == 200 and data["verdict"] == "blocked", data
        return elapsed

    post(-1)  # first-call costs (lazy imports, the first pipe)
    http_ms = [post(i) * 1000 for i in range(REQUESTS)]
    check_ms = []
    for i in range(REQUESTS):
        t = time.perf_counter()
        serve.check_text(session, f"{PARAGRAPH} [{i}]")
        check_ms.append((time.perf_counter() - t) * 1000)
    conn.close()
    server.should_exit = True
    thread.join(10)
    print(f"model and rules: {load:.2f} s (once, at start)")
    print(f"POST api/scan, {len(PARAGRAPH)}-character paragraph, {REQUESTS} requests: "
          f"median {statistics.median(http_ms):.1f} ms (min {min(http_ms):.1f}, max {max(http_ms):.1f})")
    print(f"the check alone: median {statistics.median(check_ms):.1f} ms")


if __name__ == "__main__":
    main()
