#!/usr/bin/env python3
"""A module proxy on 127.0.0.1 for scripts/bench-proxy.sh: serves a GOPROXY directory over HTTP,
each request (GET or HEAD) answered after a fixed delay, as a distant team proxy would be; many
requests at once, each on its own thread. Prints the port on stdout, then serves until killed.
Each request is counted in COUNT_FILE when given (one line per request).

    python3 scripts/latency_proxy.py DIR DELAY_MS [COUNT_FILE]
"""

import functools
import http.server
import sys
import threading
import time


class Handler(http.server.SimpleHTTPRequestHandler):
    delay = 0.0
    count_file = None
    lock = threading.Lock()

    def _wait(self):
        time.sleep(self.delay)
        if self.count_file:
            with self.lock, open(self.count_file, "a") as f:
                f.write(self.path + "\n")

    def do_GET(self):
        self._wait()
        super().do_GET()

    def do_HEAD(self):
        self._wait()
        super().do_HEAD()

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    # 16 connections at once and more: the default backlog of 5 would refuse some.
    request_queue_size = 256
    daemon_threads = True


def main():
    root, delay_ms = sys.argv[1], float(sys.argv[2])
    Handler.delay = delay_ms / 1000.0
    Handler.count_file = sys.argv[3] if len(sys.argv) > 3 else None
    server = Server(("127.0.0.1", 0), functools.partial(Handler, directory=root))
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
