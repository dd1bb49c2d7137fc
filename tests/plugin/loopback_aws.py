"""A moto server on 127.0.0.1 for plugin runs that span processes (pytest-xdist workers).

moto in-process (``mock_aws``) patches this process only; workers reach this server through
``SYNTHDATA_ENDPOINT_URL``. It is moto's threaded server (``moto.server.ThreadedMotoServer``) with one addition: it notes every
request, so a test can count the calls a run made.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LoopbackAws:
    """moto's S3, KMS... at ``self.url``, each request noted as ``(method, path)``."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        app: WsgiApp = DomainDispatcherApplication(create_backend_app)

        def noting(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
            with self._lock:
                self.requests.append((environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")))
            return app(environ, start_response)

        self._server = make_server(
            "127.0.0.1", 0, noting, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=30)
        self._server.server_close()

    def reset(self) -> None:
        """Empty every service and forget the requests noted."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30):
            pass
        self.reset_requests()

    def reset_requests(self) -> None:
        """Forget the requests noted so far."""
        with self._lock:
            self.requests.clear()

    def gets(self, suffix: str) -> list[str]:
        """The paths of the GET requests for keys ending with ``suffix``."""
        with self._lock:
            return [
                path for method, path in self.requests if method == "GET" and path.endswith(suffix)
            ]
