"""Real HTTP servers on 127.0.0.1 for the transfer tests: moto's S3 server, and a proxy in
front of it that drops a connection part-way through an answer."""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from moto.server import ThreadedMotoServer

#: headers that belong to one connection, not to the answer
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "content-length"})


@contextmanager
def moto_server() -> Iterator[str]:
    """moto's S3 (and every other service) over HTTP on 127.0.0.1; yields its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class Seen:
    """One request the proxy forwarded: method, path (without the query) and Range header."""

    method: str
    path: str
    range: str | None


@dataclass
class DroppingProxy:
    """Forwards to ``upstream``; the answer to the first GET of a path ending with a key of
    ``drops`` is cut after that many body bytes, by closing the connection (its headers still
    announce the whole length). Every later answer is forwarded whole, unless ``after_drop``
    is set: then every later GET of a path that was cut is answered with that HTTP status and
    no body (a run that stops after the break)."""

    upstream: str
    drops: dict[str, int] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    after_drop: int | None = None
    dropped: set[str] = field(default_factory=set)
    seen: list[Seen] = field(default_factory=list)
    url: str = ""

    def gets(self, suffix: str) -> list[Seen]:
        """The GETs of paths ending with ``suffix``, in order."""
        return [one for one in self.seen if one.method == "GET" and one.path.endswith(suffix)]

    @contextmanager
    def running(self) -> Iterator[DroppingProxy]:
        lock = threading.Lock()
        proxy = self
        host, port = self.upstream.removeprefix("http://").split(":")

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _forward(self) -> None:
                path = self.path.split("?", 1)[0]
                with lock:
                    proxy.seen.append(Seen(self.command, path, self.headers.get("Range")))
                    drop = None
                    forced = next(
                        (code for end, code in proxy.status.items() if path.endswith(end)), None
                    )
                    cut_before = any(path.endswith(suffix) for suffix in proxy.dropped)
                    if self.command == "GET" and proxy.after_drop is not None and cut_before:
                        forced = proxy.after_drop
                    for suffix, after in list(proxy.drops.items()):
                        if self.command == "GET" and path.endswith(suffix):
                            drop = after
                            del proxy.drops[suffix]
                            proxy.dropped.add(suffix)
                if forced is not None:
                    self.send_response(forced)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
                    connection.request(self.command, self.path, body=body, headers=headers)
                    answer = connection.getresponse()
                    data = answer.read()
                finally:
                    connection.close()
                self.send_response(answer.status)
                for name, value in answer.getheaders():
                    if name.lower() not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if drop is None or self.command == "HEAD":
                    self.wfile.write(data)
                    return
                self.wfile.write(data[:drop])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)

            do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _forward  # noqa: N815

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
