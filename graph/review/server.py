"""Run the review app on this machine: waitress on loopback, the address with its token."""

from __future__ import annotations

import logging
import webbrowser
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import quote

from ..errors import BuildError
from ..hosts import url_host
from .app import KnownName, create_app, new_token

__all__ = ["ReviewError", "review_address", "serve_review"]


class ReviewError(BuildError):
    """The review app cannot run (the address is taken, the data folder is missing)."""


def review_address(host: str, port: int, token: str, source: str | None = None) -> str:
    """The address to open: the source's page (or the list of sources), with the token."""
    shown = url_host(host)
    path = f"/source/{quote(source, safe='')}" if source else "/"
    return f"http://{shown}:{port}{path}?token={token}"


def serve_review(
    data_dir: Path | str,
    *,
    coder: str,
    source: str | None = None,
    host: str = "127.0.0.1",
    port: int = 7879,
    known: Iterable[KnownName] = (),
    open_browser: bool = True,
    token: str | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the review of ``data_dir``'s sources until interrupted (Ctrl-C).

    ``source`` is the folder name of the source to open first. Only requests whose
    ``Host`` names this server and the port it bound are answered (``graph.hosts``).
    """
    import waitress

    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise ReviewError(f"{data_dir}: data folder not found")
    token = token or new_token()
    app = create_app(data_dir, coder=coder, token=token, known=known, host=host)
    try:
        server = waitress.create_server(app, host=host, port=port, ident="apg", threads=4)
    except OSError as error:
        raise ReviewError(f"cannot serve on {host} port {port}: {error.strerror}") from None
    bound = server.effective_port
    address = review_address(host, int(bound), token, source)
    announce(f"reviewing {data_dir} as {coder!r} at {address} (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(address)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        logging.getLogger("waitress").setLevel(logging.CRITICAL)
        server.close()
