"""The local stack: every AWS service the cloud backend uses, at one loopback endpoint.

``LocalStack`` serves, on 127.0.0.1 only, moto's S3, DynamoDB and KMS (in this process) plus
Lambda's Invoke API and Bedrock agent runtime's InvokeAgent, both served by calling the
action functions' handler here (moto cannot run Lambda code without Docker and has no
InvokeAgent). At start it provisions the dataset bucket (SSE-KMS by default), the history
table, a symmetric KMS key for the bucket and an ECC_NIST_P256 SIGN_VERIFY key for manifest
signatures, and returns their names as ``StackSettings``. ``synthdata backend serve`` runs
one until Ctrl-C; tests use it as a context manager::

    with LocalStack() as stack:            # port 0: a free port
        s3 = stack.client("s3")
        stack.settings.endpoint_url        # http://127.0.0.1:<port>

moto keeps its state in memory, per process, in the same backends ``mock_aws`` uses: one
stack at a time per process, its state reset at start and stop, and no ``mock_aws`` while it
runs. Nothing persists across restarts.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar

from synthdata_sdk.backends import LOCAL_HINT
from synthdata_sdk.cloud.local.agent_api import Agent, AgentApi
from synthdata_sdk.cloud.local.lambda_api import LambdaApi
from synthdata_sdk.cloud.local.runner import Function, Handler, Runner
from synthdata_sdk.cloud.local.settings import ACCOUNT_ID, SETTINGS_FILE, StackSettings
from synthdata_sdk.cloud.local.wsgi import Dispatcher
from synthdata_sdk.errors import RequestError

DEFAULT_PORT = 4570
DEFAULT_REGION = "us-east-1"
DEFAULT_BUCKET = "synthdata-local"
DEFAULT_PREFIX = "synthdata"
DEFAULT_TABLE = "synthdata-history"
DEFAULT_FUNCTION = "synthdata-actions"
AGENT_ID = "SYNTHDATA1"
AGENT_ALIAS_ID = "LOCALALIAS"
RETURN_CONTROL_ALIAS_ID = "RETURNCTRL"
KMS_KEY_ALIAS = "alias/synthdata"
SIGNING_KEY_ALIAS = "alias/synthdata-signing"
#: what the stack's own clients sign with; the stack accepts any credentials
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
#: the extra that brings moto's server


class LocalStack:
    """The local stack on ``host`` (a loopback address) and ``port`` (0: a free one).

    ``handler`` replaces the action functions' handler (a Lambda handler,
    ``(event, context) -> answer``), as a test injecting a failure does; it can also be
    swapped while the stack runs (``stack.handler = ...``). ``data_dir``, if given, receives
    ``stack.json`` (the settings) at start, removed again at stop.
    """

    _running: ClassVar[LocalStack | None] = None
    _guard: ClassVar[threading.Lock] = threading.Lock()

    def __init__(
        self,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        region: str = DEFAULT_REGION,
        bucket: str = DEFAULT_BUCKET,
        prefix: str = DEFAULT_PREFIX,
        table: str = DEFAULT_TABLE,
        function_name: str = DEFAULT_FUNCTION,
        data_dir: Path | str | None = None,
        handler: Handler | None = None,
        log_requests: bool = False,
    ) -> None:
        self.host = loopback(host)
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise RequestError(f"port {port!r} is not a port number (0 to 65535; 0: a free one)")
        self.port = port
        self.region = region
        self.bucket = bucket
        self.prefix = prefix
        self.table = table
        self.function_name = function_name
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.log_requests = log_requests
        self._handler = handler
        self._settings: StackSettings | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._runner: Runner | None = None
        self._session: Any = None

    # lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> LocalStack:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> StackSettings:
        """Listen, provision the resources and return their settings."""
        with LocalStack._guard:
            if LocalStack._running is not None:
                raise RequestError(
                    "a local stack already runs in this process (moto keeps one state per "
                    f"process): {LocalStack._running.endpoint_url}; stop it first"
                )
            LocalStack._running = self
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        assert self._settings is not None
        return self._settings

    def stop(self) -> None:
        """Stop serving, free the port and forget every resource; a second call does nothing."""
        if LocalStack._running is not self:
            return
        try:
            if self._thread is not None:  # serving: shutdown() waits for the loop to end
                self._server.shutdown()
                self._thread.join()
            if self._server is not None:
                self._server.server_close()
            if self._runner is not None:
                self._runner.close()
            self._remove_settings_file()
            if self._session is not None:  # moto was there to start with
                _reset_moto()
        finally:
            self._server = self._thread = self._runner = self._session = None
            with LocalStack._guard:
                LocalStack._running = None

    # what it serves --------------------------------------------------------------------------

    @property
    def settings(self) -> StackSettings:
        """The endpoint and the provisioned resources (only while running)."""
        if self._settings is None or LocalStack._running is not self:
            raise RequestError("the local stack is not running; start() it first")
        return self._settings

    @property
    def endpoint_url(self) -> str:
        """The one URL of every service."""
        return self.settings.endpoint_url

    @property
    def handler(self) -> Handler:
        """The Lambda handler the Invoke and InvokeAgent APIs call."""
        if self._runner is None:
            raise RequestError("the local stack is not running; start() it first")
        return self._runner.handler

    @handler.setter
    def handler(self, handler: Handler) -> None:
        if self._runner is None:
            raise RequestError("the local stack is not running; start() it first")
        self._runner.handler = handler

    def client(self, service: str, **options: Any) -> Any:
        """A boto3 client of ``service`` for this stack (its endpoint, region, test
        credentials, S3 in path style, standard retries); ``options`` go to ``client()``."""
        from botocore.config import Config

        endpoint = self.endpoint_url  # a RequestError when the stack is not running
        config = Config(s3={"addressing_style": "path"}, retries={"mode": "standard"})
        if "config" in options:
            config = config.merge(options.pop("config"))
        return self._session.client(service, endpoint_url=endpoint, config=config, **options)

    def wait_for_events(self) -> None:
        """Return once every queued asynchronous (``Event``) invocation has run."""
        if self._runner is not None:
            self._runner.wait_for_events()

    # ---------------------------------------------------------------------------------------

    def _start(self) -> None:
        try:
            import boto3
            from moto.moto_server.werkzeug_app import (
                DomainDispatcherApplication,
                MotoRequestHandler,
            )
            from moto.moto_server.werkzeug_app import create_backend_app as moto_app
            from werkzeug.serving import make_server
        except ModuleNotFoundError as error:
            raise RequestError(
                f"the local stack needs moto's server ({error.name} is not installed): {LOCAL_HINT}"
            ) from None
        session = boto3.Session(region_name=self.region, **CREDENTIALS)
        regions = set(session.get_available_regions("kms")) & set(
            session.get_available_regions("dynamodb")
        )
        if self.region not in regions:
            raise RequestError(
                f"region {self.region!r} is not an AWS region with KMS and DynamoDB "
                f"(for example {', '.join(sorted(regions)[:4])}, ...)"
            )
        _reset_moto()
        self._session = session
        function = Function(
            name=self.function_name,
            arn=f"arn:aws:lambda:{self.region}:{ACCOUNT_ID}:function:{self.function_name}",
        )
        self._runner = Runner(function, _not_ready)
        agent = Agent(AGENT_ID, AGENT_ALIAS_ID, RETURN_CONTROL_ALIAS_ID)
        app = Dispatcher(
            [LambdaApi(self._runner), AgentApi(self._runner, agent)],
            DomainDispatcherApplication(moto_app),
        )
        quiet = not self.log_requests

        class RequestHandler(MotoRequestHandler):
            def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
                if not quiet:
                    super().log_request(code, size)

        # bound here, so a port in use is our error to report (werkzeug would exit)
        with _listening(self.host, self.port) as listener:
            self._server = make_server(
                self.host,
                self.port,
                app,
                threaded=True,
                request_handler=RequestHandler,
                fd=listener.fileno(),
            )
        port = int(self._server.port)
        shown = f"[{self.host}]" if ":" in self.host else self.host
        endpoint = f"http://{shown}:{port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="synthdata-local-stack", daemon=True
        )
        self._thread.start()
        self._settings = self._provision(endpoint, function, agent)
        self._runner.handler = self._handler or self._default_handler(self._settings)
        if self.data_dir is not None:
            self._settings.write(self.data_dir)

    def _provision(self, endpoint: str, function: Function, agent: Agent) -> StackSettings:
        from synthdata_sdk.cloud.local.provision import provision

        made = provision(
            self._session,
            endpoint,
            bucket=self.bucket,
            prefix=self.prefix,
            table=self.table,
            kms_alias=KMS_KEY_ALIAS,
            signing_alias=SIGNING_KEY_ALIAS,
        )
        return StackSettings(
            endpoint_url=endpoint,
            region=self.region,
            bucket=self.bucket,
            prefix=self.prefix,
            table=self.table,
            kms_key_id=made.kms_key_id,
            kms_key_alias=KMS_KEY_ALIAS,
            signing_key_id=made.signing_key_id,
            signing_key_alias=SIGNING_KEY_ALIAS,
            function_name=function.name,
            function_arn=function.arn,
            agent_id=agent.agent_id,
            agent_alias_id=agent.alias_id,
            return_control_alias_id=agent.return_control_alias_id,
        )

    def _default_handler(self, settings: StackSettings) -> Handler:
        from synthdata_sdk.cloud.config import BackendSettings
        from synthdata_sdk.cloud.handler import make_handler
        from synthdata_sdk.cloud.services import services_for

        storage = BackendSettings(
            bucket=settings.bucket,
            prefix=settings.prefix,
            table=settings.table,
            kms_key_id=settings.kms_key_id,
            endpoint_url=settings.endpoint_url,
            # a request split into partitions invokes this function, here, asynchronously
            function_name=settings.function_name,
        )
        return make_handler(services_for(storage, session=self._session))

    def _remove_settings_file(self) -> None:
        if self.data_dir is None or self._settings is None:
            return
        target = self.data_dir / SETTINGS_FILE
        try:
            ours = StackSettings.read(target) == self._settings
        except RequestError:
            return
        if ours and target.is_file() and not target.is_symlink():
            target.unlink()


def loopback(host: str) -> str:
    """``host`` if it is a literal loopback address; a RequestError otherwise.

    The stack accepts any credentials and serves every dataset it holds, so it never listens
    where another machine could reach it.
    """
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise RequestError(
            f"host {host!r} is not an IP address; the local stack listens on a loopback "
            "address only (127.0.0.1 or ::1)"
        ) from None
    if not address.is_loopback:
        raise RequestError(
            f"host {host} is not a loopback address; the local stack accepts any credentials, "
            "so it listens on 127.0.0.1 or ::1 only"
        )
    return str(address)


def _listening(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port``; a RequestError if it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(128)
    except OSError as error:
        listener.close()
        raise RequestError(
            f"cannot listen on {host}:{port}: {error.strerror or error} "
            "(another port, or 0 for a free one)"
        ) from None
    return listener


def _reset_moto() -> None:
    from moto.moto_api._internal.models import moto_api_backend

    moto_api_backend.reset()


def _not_ready(event: Any, context: Any) -> Any:
    raise RuntimeError("the local stack is still starting")
