"""Push the graph to a remote store through the SPARQL 1.1 Graph Store HTTP Protocol.

Each named graph is sent with one HTTP ``PUT`` to ``ENDPOINT?graph=IRI``, which replaces
whatever the store held under that graph IRI and leaves its other graphs alone. Only the
standard library's ``urllib.request`` is used.
"""

from __future__ import annotations

import decimal
import http.client
import re
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from ..checked import build_checks, build_sources, load_checked
from ..errors import BuildError
from ..rdf import union_graph
from ..turtle import turtle

__all__ = ["PushError", "PushedGraph", "push", "push_dataset"]

SUCCESS = frozenset({200, 201, 204})
TURTLE = "text/turtle; charset=utf-8"
_BODY_SHOWN = 200
_READ_BACK_BYTES = 512 * 1024 * 1024
_IRI_FORBIDDEN = frozenset('<>"{}|\\^`')
_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


class PushError(BuildError):
    """The graph could not be pushed; the message names the endpoint and what went wrong.

    Credentials given in the endpoint URL never appear in the message. ``problem`` is the
    message without the graph and the endpoint.
    """

    def __init__(self, message: str, problem: str | None = None) -> None:
        super().__init__(message)
        self.problem = problem or message


@dataclass(frozen=True)
class PushedGraph:
    """One graph the store took: its IRI, the triples sent, the HTTP status returned.

    ``note`` is set when the PUT got no good answer (it timed out, the connection broke,
    or the store answered with a server error) but a read-back showed that the store holds
    the graph exactly as sent; ``status`` is then the status of the read-back.
    """

    graph: str
    triples: int
    status: int
    note: str | None = None


class _Unsure(PushError):
    """The PUT reached the store, but no good answer came: it may have taken the graph."""


@dataclass(frozen=True)
class _Endpoint:
    """A checked Graph Store endpoint: the URL to send to, the one to show, credentials."""

    url: str
    shown: str
    user: str | None
    password: str


def push(
    data_dir: Path | str,
    url: str,
    *,
    graph: str | None = None,
    timeout: float = 60.0,
    build_cache: Path | str | None = None,
) -> list[PushedGraph]:
    """Build and validate the graph of ``data_dir``, then push it to the store at ``url``.

    Parameters
    ----------
    data_dir
        The folder of annotated sources, as for ``build``.
    url
        The store's Graph Store Protocol endpoint, e.g. ``http://127.0.0.1:7878/store``.
    graph
        When given, push the union of all sources into this one graph IRI instead of one
        named graph per source.
    timeout
        Seconds to wait for the store, per request.
    build_cache
        The output folder of a build: the sources it read and checked that have not
        changed since are neither parsed nor checked again (see
        ``graph.checked.build_checks`` and ``build_sources``).

    Raises ``PushError`` for a bad URL or graph IRI before anything is loaded, and the
    ``BuildError`` of a bad annotation or of a graph that fails the shapes before any
    request is made. See ``push_dataset`` for what is sent.
    """
    _checked(url, graph, timeout)
    dataset = load_checked(
        data_dir, cache=build_checks(build_cache), kept_sources=build_sources(build_cache)
    ).dataset
    return push_dataset(dataset, url, graph=graph, timeout=timeout)


def push_dataset(
    dataset: Dataset, url: str, *, graph: str | None = None, timeout: float = 60.0
) -> list[PushedGraph]:
    """PUT each named graph of ``dataset``, in order of name, to ``url?graph=NAME``.

    Parameters
    ----------
    dataset
        Named graphs to push, each sent as Turtle; the default graph must be empty unless
        ``graph`` is given.
    url
        The Graph Store Protocol endpoint (``http`` or ``https``). Credentials may be given
        as ``http://USER:PASSWORD@host/...``; they are sent by HTTP Basic or Digest
        authentication when the store asks for them.
    graph
        When given, the union of all the dataset's graphs is sent, with one PUT, to this
        graph IRI.
    timeout
        Seconds to wait for the store to connect and to answer, per request.

    Returns what the store accepted (HTTP 200, 201 or 204), one entry per PUT.

    Raises ``PushError`` on a URL that is not http(s), a connection that fails or times
    out, a redirect (never followed) or any other HTTP status. Graphs are replaced one by
    one: when a later PUT fails, the earlier ones have already taken effect, and the
    message says how many.
    """
    endpoint = _checked(url, graph, timeout)
    batches = _batches(dataset, graph, endpoint)
    opener = _opener(endpoint)
    pushed: list[PushedGraph] = []
    for name, content in batches:
        body = turtle(content)  # rdflib's bytes, in time linear in the graph
        try:
            try:
                pushed.append(
                    PushedGraph(name, len(content), _put(opener, endpoint, name, body, timeout))
                )
            except _Unsure as error:
                pushed.append(_read_back(opener, endpoint, name, content, timeout, error))
        except PushError as error:
            if pushed:
                raise PushError(f"{error} ({len(pushed)} graph(s) already replaced)") from error
            raise
    return pushed


def _read_back(
    opener: urllib.request.OpenerDirector,
    endpoint: _Endpoint,
    graph: str,
    sent: Graph,
    timeout: float,
    error: _Unsure,
) -> PushedGraph:
    """Ask the store what it holds under ``graph`` after a PUT that got no good answer.

    Returns the graph as pushed when the store holds exactly the triples sent; raises
    ``PushError`` saying whether the store holds something else or cannot be asked.
    """
    separator = "&" if urlsplit(endpoint.url).query else "?"
    request = urllib.request.Request(
        f"{endpoint.url}{separator}{urlencode({'graph': graph})}",
        headers={"Accept": "application/n-triples"},
    )
    try:
        with opener.open(request, timeout=timeout) as response:
            status = int(response.status)
            held = Graph().parse(data=response.read(_READ_BACK_BYTES), format="nt")
    except urllib.error.HTTPError as problem:
        if problem.code != 404:
            raise PushError(
                f"{error}; whether the store took the graph is unknown "
                f"(reading it back: {_http_problem(problem)})"
            ) from None
        raise PushError(f"{error}; the store does not hold the graph") from None
    # any failure to read the graph back is reported in the one line, never raised as is
    except (OSError, http.client.HTTPException, ValueError, SyntaxError) as problem:
        reason = " ".join(str(problem).split())[:_BODY_SHOWN] or type(problem).__name__
        raise PushError(
            f"{error}; whether the store took the graph is unknown (reading it back: {reason})"
        ) from None
    if _as_held(held) != _as_held(sent):
        raise PushError(
            f"{error}; the store does not hold the graph as sent "
            f"({len(sent)} triples sent, {len(held)} held)"
        ) from None
    return PushedGraph(
        graph, len(sent), status, note=f"{error.problem}, but the store holds it as sent"
    )


_INTEGERS = frozenset(
    XSD[name]
    for name in (
        "integer",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
)
_FAMILIES = {
    **dict.fromkeys(_INTEGERS, "integer"),
    XSD.decimal: "decimal",
    XSD.double: "double",
    XSD.float: "float",
    XSD.boolean: "boolean",
}


def _as_held(graph: Graph) -> set[tuple[Node, Node, object]]:
    """The triples of ``graph`` with each literal a store may rewrite as its value.

    A store writes a literal in its canonical form and may give a derived integer type as
    ``xsd:integer`` (Oxigraph: ``"07"^^xsd:nonNegativeInteger`` comes back as
    ``"7"^^xsd:integer``, ``"0.80"`` as ``"0.8"``): a number or truth value is compared by
    its kind (integer, decimal, double, float, boolean) and its value, every other term as
    it is.
    """
    return {(subject, predicate, _value(obj)) for subject, predicate, obj in graph}


def _value(term: Node) -> object:
    """``(kind, value)`` of a well-formed numeric or boolean literal, else ``term``."""
    if not isinstance(term, Literal) or term.datatype not in _FAMILIES:
        return term
    family = _FAMILIES[term.datatype]
    lexical = str(term).strip()
    if not re.fullmatch(_LEXICAL[family], lexical):
        return term
    if family == "integer":
        return family, int(lexical)
    if family == "decimal":
        return family, decimal.Decimal(lexical)
    if family == "boolean":
        return family, lexical in ("true", "1")
    # every NaN is the same value to a store, unlike to Python's ``==``
    return family, "NaN" if lexical == "NaN" else float(lexical)


_DECIMAL = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
# the lexical forms of XML Schema, which Python's int() and float() go beyond ("1_0", "inf")
_LEXICAL = {
    "integer": r"[+-]?[0-9]+",
    "decimal": _DECIMAL,
    "double": rf"{_DECIMAL}([Ee][+-]?[0-9]+)?|[+-]?INF|NaN",
    "float": rf"{_DECIMAL}([Ee][+-]?[0-9]+)?|[+-]?INF|NaN",
    "boolean": r"true|false|1|0",
}


def _batches(dataset: Dataset, graph: str | None, endpoint: _Endpoint) -> list[tuple[str, Graph]]:
    """The graphs to send, as (graph IRI, content), sorted by IRI."""
    if graph is not None:
        return [(graph, union_graph(dataset))]
    batches = []
    for named in dataset.graphs():
        identifier = named.identifier
        if identifier == DATASET_DEFAULT_GRAPH_ID:
            if len(named):
                raise PushError(
                    f"cannot push to {endpoint.shown}: the dataset's default graph holds "
                    f"{len(named)} triple(s) and only named graphs are pushed; "
                    "give a graph IRI to push everything into one graph"
                )
            continue
        if not isinstance(identifier, URIRef):
            raise PushError(
                f"cannot push to {endpoint.shown}: a named graph is a blank node, "
                "which the Graph Store Protocol cannot address"
            )
        _check_graph_iri(str(identifier), endpoint.shown)
        batches.append((str(identifier), named))
    return sorted(batches, key=lambda batch: batch[0])


def _checked(url: str, graph: str | None, timeout: float) -> _Endpoint:
    """Check the arguments that need no request: the URL, the graph IRI, the timeout."""
    endpoint = _endpoint(url)
    if graph is not None:
        _check_graph_iri(graph, endpoint.shown)
    if not timeout > 0:
        raise PushError(f"cannot push to {endpoint.shown}: the timeout must be positive")
    return endpoint


def _endpoint(url: str) -> _Endpoint:
    """Check that ``url`` is an http(s) URL with a host, and split off its credentials."""
    shown = _USERINFO.sub(r"\1", url)
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number in range)
    except ValueError as error:
        raise PushError(f"cannot push to {shown!r}: not a valid URL ({error})") from None
    if parts.scheme.lower() not in {"http", "https"}:
        scheme = f"not {parts.scheme}:" if parts.scheme else "and this URL has no scheme"
        raise PushError(f"cannot push to {shown}: only http and https URLs are accepted, {scheme}")
    if not parts.hostname:
        raise PushError(f"cannot push to {shown}: the URL has no host")
    if any(character.isspace() or ord(character) < 32 for character in url):
        raise PushError(f"cannot push to {shown!r}: the URL contains spaces or control codes")
    if parts.fragment:
        raise PushError(f"cannot push to {shown}: a Graph Store endpoint has no #fragment")
    host = parts.netloc.rpartition("@")[2]
    return _Endpoint(
        url=urlunsplit((parts.scheme, host, parts.path or "/", parts.query, "")),
        shown=shown,
        user=None if parts.username is None else unquote(parts.username),
        password=unquote(parts.password or ""),
    )


def _check_graph_iri(iri: str, shown_url: str) -> None:
    """Refuse a graph name that is not an absolute IRI: the store could not name it."""
    scheme = urlsplit(iri).scheme if iri else ""
    bad = not scheme or any(c in _IRI_FORBIDDEN or c.isspace() or ord(c) < 32 for c in iri)
    if bad:
        raise PushError(f"cannot push to {shown_url}: {iri!r} is not an absolute graph IRI")


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """Turn every redirect into an ``HTTPError``: a PUT is never re-sent elsewhere."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: object,
        code: int,
        msg: str,
        headers: object,
        newurl: str,
    ) -> None:
        return None


def _opener(endpoint: _Endpoint) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_RefuseRedirects()]
    if endpoint.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        parts = urlsplit(endpoint.url)
        passwords.add_password(
            None, f"{parts.scheme}://{parts.netloc}/", endpoint.user, endpoint.password
        )
        handlers += [
            urllib.request.HTTPDigestAuthHandler(passwords),
            urllib.request.HTTPBasicAuthHandler(passwords),
        ]
    return urllib.request.build_opener(*handlers)


def _put(
    opener: urllib.request.OpenerDirector,
    endpoint: _Endpoint,
    graph: str,
    body: bytes,
    timeout: float,
) -> int:
    """PUT ``body`` as the content of ``graph``; return the HTTP status or raise PushError."""
    separator = "&" if urlsplit(endpoint.url).query else "?"
    target = f"{endpoint.url}{separator}{urlencode({'graph': graph})}"
    request = urllib.request.Request(
        target, data=body, method="PUT", headers={"Content-Type": TURTLE}
    )
    where = f"cannot push graph <{graph}> to {endpoint.shown}"
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as error:
        problem = _http_problem(error)
        if error.code >= 500:  # the store may have taken the graph before failing
            raise _Unsure(f"{where}: {problem}", problem) from None
        raise PushError(f"{where}: {problem}") from None
    except urllib.error.URLError as error:
        problem = _network_problem(error.reason, timeout)
        if _may_have_arrived(error.reason):
            raise _Unsure(f"{where}: {problem}", problem) from None
        raise PushError(f"{where}: {problem}") from None
    except (OSError, http.client.HTTPException) as error:
        problem = _network_problem(error, timeout)
        if _may_have_arrived(error):
            raise _Unsure(f"{where}: {problem}", problem) from None
        raise PushError(f"{where}: {problem}") from None
    except ValueError as error:  # urllib's auth handlers on a scheme they do not know
        raise PushError(f"{where}: {error}") from None
    if status not in SUCCESS:
        raise PushError(f"{where}: unexpected HTTP status {status}")
    return status


def _may_have_arrived(reason: object) -> bool:
    """Whether a failed request may still have reached the store whole.

    A refused connection, an unknown host or a TLS failure means the request never
    arrived; a timeout or a connection that broke while waiting for the answer does not.
    """
    never = (ConnectionRefusedError, socket.gaierror, ssl.SSLError)
    return not isinstance(reason, never) and isinstance(
        reason, (TimeoutError, ConnectionError, http.client.HTTPException, OSError)
    )


def _http_problem(error: urllib.error.HTTPError) -> str:
    """Describe an HTTP error status: the status, then a redirect's target or the body."""
    status = f"HTTP {error.code} {error.reason}".rstrip()
    if 300 <= error.code < 400:
        location = error.headers.get("Location") if error.headers else None
        target = f" to {location}" if location else ""
        return f"{status}: the store redirects{target}; a PUT is not followed, use that URL"
    try:
        text = error.read(4 * _BODY_SHOWN).decode("utf-8", errors="replace")
    except (OSError, http.client.HTTPException):
        text = ""
    finally:
        error.close()
    text = " ".join(text.split())[:_BODY_SHOWN]
    if error.code == 401 and not text:
        text = "the store asks for credentials (give them as http://USER:PASSWORD@host/...)"
    return f"{status}: {text}" if text else status


def _network_problem(reason: object, timeout: float) -> str:
    """Describe why no HTTP answer came: refused, unknown host, timeout, TLS or other."""
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s (timed out)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the store running and listening there?)"
    if isinstance(reason, socket.gaierror):
        return f"unknown host ({reason.strerror or reason})"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason})"
    if isinstance(reason, ConnectionError):
        return f"connection failed ({reason.strerror or type(reason).__name__})"
    text = str(reason) or type(reason).__name__
    return f"unreachable ({text})"
