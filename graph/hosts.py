"""Which ``Host`` headers a local web server answers: the rule against DNS rebinding.

A web page on a name made to resolve to this machine (DNS rebinding) can send requests
to a server on loopback, but its ``Host`` header names the page's own name. A server
that answers only its own names, on the port it serves, is safe from it: an IP address
(no DNS name, so nothing to rebind), ``localhost``, the address it was bound to, or a
name the user allowed. ``apg serve`` and ``apg review`` both use this rule.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["LOCAL_NAMES", "WILDCARDS", "ServedHost", "is_address", "split_host", "url_host"]

LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
"""Bind addresses that name no host: the server has no name of its own beyond the local ones."""


@dataclass(frozen=True)
class ServedHost:
    """The host names a server answers for, beside any IP address.

    >>> served = ServedHost.bound_to("127.0.0.1", allowed=["graph.lan"])
    >>> served.admits("graph.lan:7878", port=7878), served.admits("[::1]:7878", port=7878)
    (True, True)
    >>> served.admits("127.0.0.1:7879", port=7878), served.admits("evil.example", port=80)
    (False, False)
    """

    names: frozenset[str]

    @classmethod
    def bound_to(cls, host: str, allowed: Iterable[str] = ()) -> ServedHost:
        """The names of a server bound to ``host``: the local ones, ``host`` (unless it is a
        wildcard such as ``0.0.0.0``) and ``allowed`` (IPv6 with or without brackets)."""
        names = {*LOCAL_NAMES, *(_bare(name) for name in allowed)}
        if host not in WILDCARDS:
            names.add(_bare(host))
        return cls(frozenset(names))

    def admits(self, header: str | None, *, port: int) -> bool:
        """Whether a ``Host`` header names this server, served on ``port``.

        No header at all is admitted: HTTP/1.0 clients send none, browsers always do.
        """
        if header is None:
            return True
        name, named_port = split_host(header)
        return named_port == port and (name in self.names or is_address(name))

    def admits_request(self, environ: Mapping[str, Any]) -> bool:
        """Whether a WSGI request's ``Host`` names this server, on the port the request
        came in on (``SERVER_PORT``: waitress gives the port it bound, so a server started
        on port 0 needs no telling)."""
        return self.admits(environ.get("HTTP_HOST"), port=int(environ["SERVER_PORT"]))


def url_host(host: str) -> str:
    """A host as a URL writes it: an IPv6 address in brackets.

    >>> url_host("::1"), url_host("127.0.0.1")
    ('[::1]', '127.0.0.1')
    """
    return f"[{host}]" if ":" in host else host


def split_host(header: str) -> tuple[str, int | None]:
    """A ``Host`` header's name (lower case, IPv6 without brackets) and port (80 if none,
    None if it is no number).

    >>> split_host("[::1]:7878"), split_host("Example.org."), split_host("a:b")
    (('::1', 7878), ('example.org', 80), ('a', None))
    """
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port_text = header.partition(":")
    if not port_text:
        return name.rstrip("."), 80
    digits = port_text.isascii() and port_text.isdigit()  # not "²", which int() refuses
    return name.rstrip("."), int(port_text) if digits else None


def is_address(name: str) -> bool:
    """Whether a host name is an IP address: no DNS name, so no DNS rebinding."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _bare(name: str) -> str:
    return name.lower().strip("[]")
