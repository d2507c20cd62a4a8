"""Running the sandbox under a real HTTP server: waitress, in a background thread.

Strategy: waitress (pure Python, no dependencies) parses HTTP, keeps connections alive, serves
requests from a thread pool (48 threads: more than the 32 at once the sandbox promises), closes a
connection cleanly when the application sends fewer bytes than its ``Content-Length`` or fails
mid-body — which is exactly how the transport faults are acted out. Its event loop runs in a
thread of its own, so the caller (a test, the command line's main thread waiting for a signal)
stays free. :meth:`SandboxServer.close` stops accepting, lets the requests under way finish and
their replies reach the client (the drain), then closes every connection and joins the thread.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import socket
import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

from ._errors import SandboxError, is_str

if TYPE_CHECKING:
    from ._app import Sandbox

DRAIN_SECONDS: Final = 10.0
"""How long :meth:`SandboxServer.close` waits for the requests under way."""


class _QuietFaults(logging.Filter):
    """Drops waitress's own report of a fault the sandbox injected on purpose (the connection
    closed mid-body, a body shorter than its Content-Length): not a server error."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and type(exc).__name__ == "_ClosedMidBody":
            return False
        return "returned too few bytes" not in record.getMessage()


_FILTER: Final = _QuietFaults()


def _waitress() -> Any:
    # Imported by name, on first use: the sandbox imports without the extra, and waitress
    # (untyped) is used through a few attributes only.
    try:
        server = importlib.import_module("waitress.server")
    except ImportError:
        raise SandboxError(
            "serving the sandbox over HTTP needs waitress: pip install 'smsc_wire[sandbox]'"
        ) from None
    logger = logging.getLogger("waitress")
    if _FILTER not in logger.filters:
        logger.addFilter(_FILTER)
    return server


class SandboxServer:
    """A :class:`Sandbox` served over HTTP by waitress, until :meth:`close`.

    Made by :meth:`Sandbox.serve`. ``url`` is the base URL (``http://127.0.0.1:PORT``),
    ``endpoint`` the ``senders.php`` URL.
    """

    def __init__(self, app: Sandbox, host: str, port: int, *, threads: int = 48) -> None:
        if type(port) is not int or not 0 <= port <= 65535:
            raise SandboxError(f"port must be an int from 0 to 65535, not {port!r}")
        if type(threads) is not int or threads < 1:
            raise SandboxError(f"threads must be an int of at least 1, not {threads!r}")
        server = _waitress()
        listener = _bind(host, port)
        try:
            self._server: Any = server.create_server(
                app,
                sockets=[listener],
                threads=threads,
                ident="smsc-wire-sandbox",
                # The sandbox answers what it is asked; it sits behind no proxy.
                clear_untrusted_proxy_headers=True,
                expose_tracebacks=False,
                # Room for a request of the request code's largest size (4 MiB) and then some:
                # a larger body is refused by waitress itself (413) before it is read.
                max_request_body_size=16 * 1024 * 1024,
            )
        except BaseException:
            listener.close()
            raise
        self.host: Final[str] = str(self._server.effective_host)
        self.port: Final[int] = int(self._server.effective_port)  # waitress gives a str
        self._app = app
        self._map: dict[int, Any] = self._server._map
        self._thread = threading.Thread(
            target=self._run, name=f"smsc-wire sandbox :{self.port}", daemon=True
        )
        self._closed = False
        self._close_lock = threading.Lock()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "serving"
        return f"<SandboxServer {state} at {self.url}>"

    @property
    def url(self) -> str:
        """The base URL: ``http://HOST:PORT`` (an IPv6 host in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def endpoint(self) -> str:
        """The ``senders.php`` URL."""
        from ._app import PATH

        return self.url + PATH

    def start(self) -> None:
        """Start serving in the background thread."""
        self._thread.start()

    def _run(self) -> None:
        # The loop ends when close() closes every socket under it; whatever it raises then is
        # of the closing, not of a request.
        with contextlib.suppress(Exception):
            self._server.run()

    def _in_loop(self, thunk: Any) -> None:
        """Run ``thunk`` in the event loop's thread (waitress's trigger), where sockets live."""
        try:
            self._server.trigger.pull_trigger(thunk)
        except OSError:  # the trigger is closed: the loop has ended, nothing races this thread
            thunk()

    def _busy(self) -> bool:
        if self._app.active:
            return True
        for channel in list(self._map.values()):
            if getattr(channel, "requests", None) or getattr(channel, "total_outbufs_len", 0):
                return True
        return False

    def close(self, timeout: float = DRAIN_SECONDS) -> None:
        """Stop accepting, wait (up to ``timeout`` s) for the requests under way and their
        replies, then close every connection and stop the thread. Idempotent."""
        with self._close_lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._in_loop(_stop_accepting(self._server))
            deadline = time.monotonic() + timeout
            while self._busy() and time.monotonic() < deadline:
                time.sleep(0.005)
            dispatcher = getattr(self._server, "task_dispatcher", None)
            if dispatcher is not None:
                dispatcher.shutdown(
                    cancel_pending=True, timeout=max(0.1, deadline - time.monotonic())
                )
            self._in_loop(_close_all(self._map))
            self._thread.join(timeout=5.0)
        finally:
            self._app._forget(self)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _bind(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, for waitress to listen on.

    Bound here rather than by waitress so that a port in use is one clean error: waitress would
    leave its half-made server's pipe and socket open. One address only: a name such as
    localhost may resolve to several, and each would take its own free port.
    """
    if not is_str(host):
        raise SandboxError(f"host must be a str, not {type(host).__name__}")
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:
        raise SandboxError(f"cannot listen on {host}:{port}: {exc}") from None
    listener = socket.socket(info[0], socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(info[4])
    except OSError as exc:
        listener.close()
        raise SandboxError(f"cannot listen on {host}:{port}: {exc}") from None
    return listener


def _stop_accepting(listener: Any) -> Any:
    def thunk() -> None:
        # The loop no longer selects the listening socket: new connections wait in the
        # kernel's backlog and are reset when it is closed with the rest. (Closing it here
        # instead would let a stray event on its fd close the server, trigger included.)
        listener.accepting = False

    return thunk


def _close_all(socket_map: dict[int, Any]) -> Any:
    wasyncore: Any = importlib.import_module("waitress.wasyncore")

    def thunk() -> None:
        wasyncore.close_all(socket_map, ignore_all=True)

    return thunk
