"""The review web app: one source's text and statements, reviewed and coded in the browser.

A Flask application (served by waitress, see ``graph.review.server``). Every request
must carry the run's token: in the URL of the first page (it is then kept in an
HTTP-only, same-site cookie, and the page drops it from the address bar), and in the
``X-Review-Token`` header of every change, which another web page cannot send. Requests
whose ``Host`` is not this server's (DNS rebinding, ``graph.hosts``) are refused. Sources
are found by their folder's name among ``DATA/*/annotation.yaml``: no path is ever built
from a URL.
Every label and quote reaches the page as JSON and is put in it as text.
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, abort, jsonify, redirect, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from ..annotations import ANNOTATION_FILE, coder_files
from ..corpus import MODALITIES
from ..errors import AnnotationError
from ..hosts import ServedHost
from ..names import normalise_name
from ..ontology import vocabulary
from .annotation_file import AnnotationFile, EditRefused
from .shapes import REFERENCES

__all__ = ["TOKEN_COOKIE", "TOKEN_HEADER", "KnownName", "ReviewApp", "create_app", "new_token"]

TOKEN_HEADER = "X-Review-Token"
TOKEN_COOKIE = "apg_review_token"
MAX_BODY_BYTES = 1_000_000
MAX_SUGGESTIONS = 20
_RULE_NOTE = re.compile(r"\Arule: ([a-z0-9_-]+)")
_STATEMENT_FIELDS = (
    "id", "subject", "relation", "object", "modality", "quote", "claimed_by", "about",
    "where", "when", "role", "former", "note", "reviewed", "confidence", "coded_by",
)  # fmt: skip
_ENTITY_FIELDS = ("id", "type", "label", "aliases", "wikidata", "iso3166", "description")


def new_token() -> str:
    """A random token for one run of the app (as Jupyter's)."""
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class KnownName:
    """An entity the pickers offer beyond the source's own: from the gazetteer."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    iso3166: str | None = None
    origin: str = "gazetteer"


@dataclass
class ReviewApp:
    """What the app serves: the data folder, the coder, the run's token and its host names."""

    data_dir: Path
    coder: str
    token: str
    served: ServedHost  # the names a request's Host may give
    known: Sequence[KnownName] = ()
    lock: threading.RLock = field(default_factory=threading.RLock)
    # by source, how many file changes each of the coder's actions made, for undo
    steps: dict[str, list[int]] = field(default_factory=dict)
    # each open file, with the modification time it had when this app last read or wrote it
    _open: dict[str, tuple[AnnotationFile, int]] = field(default_factory=dict)

    def folders(self) -> dict[str, Path]:
        """The sources, by the name of their folder, in sorted order."""
        return {
            folder.name: folder
            for folder in sorted(self.data_dir.iterdir())
            if folder.is_dir() and (folder / ANNOTATION_FILE).is_file()
        }

    def annotation(self, name: str) -> AnnotationFile:
        """The open annotation of the source in folder ``name`` (404 if there is none)."""
        folder = self.folders().get(name)
        if folder is None:
            abort(404, description=f"no source {name!r} in {self.data_dir}")
        path = folder / ANNOTATION_FILE
        known = self._open.get(name)
        if known is not None and known[1] == _mtime(path):
            return known[0]
        # first use, or changed on disk by someone else (an editor): read it again
        opened = AnnotationFile.open(path, data_dir=self.data_dir)
        self._open[name] = (opened, _mtime(path))
        self.steps.pop(name, None)  # what a former reading could undo is gone with it
        return opened

    def wrote(self, name: str) -> None:
        """Note that this app has just changed the file of source ``name``."""
        opened, _ = self._open[name]
        self._open[name] = (opened, _mtime(opened.path))

    def other_coders(self, name: str) -> dict[str, AnnotationFile]:
        """Other coders' annotations of the source in folder ``name``, by coder."""
        found = {}
        for coder, path in coder_files(self.folders()[name]).items():
            try:
                found[coder] = AnnotationFile.open(path, data_dir=self.data_dir)
            except AnnotationError:
                continue  # shown as absent: the review of one's own file goes on
        return found


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


def create_app(
    data_dir: Path | str,
    *,
    coder: str,
    token: str,
    known: Iterable[KnownName] = (),
    host: str = "127.0.0.1",
    allowed_hosts: Iterable[str] = (),
) -> Flask:
    """The review app for the sources of ``data_dir``, coded by ``coder``.

    ``host`` is the address served. A request's ``Host`` must name the port it came in on
    and an IP address, ``localhost``, ``host`` or one of ``allowed_hosts``
    (``graph.hosts``, the rule of ``apg serve``).
    """
    served = ServedHost.bound_to(host, allowed_hosts)
    review = ReviewApp(Path(data_dir).resolve(), coder, token, served, tuple(known))
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.extensions["review"] = review

    @app.before_request
    def guard() -> BaseResponse | None:
        if not review.served.admits_request(request.environ):
            host = request.headers["Host"]
            abort(403, description=f"this server does not answer for the host {host!r}")
        if request.method == "GET":
            given = request.args.get("token") or request.cookies.get(TOKEN_COOKIE, "")
        else:  # a change: only the page's script can send this header
            given = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), review.token.encode()):
            abort(403, description="a valid token is needed: open the address apg review printed")
        if request.method == "GET" and "token" in request.args:
            # keep it in a cookie and out of the address bar, the history and any referrer
            others = [(k, v) for k, v in request.args.items(multi=True) if k != "token"]
            target = request.path + ("?" + urlencode(others) if others else "")
            response = redirect(target, code=303)
            response.set_cookie(
                TOKEN_COOKIE, review.token, httponly=True, samesite="Strict", path="/"
            )
            return response
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(AnnotationError)
    def unreadable(error: AnnotationError) -> tuple[Response, int]:
        return jsonify(error=str(error), field=None), 422

    @app.errorhandler(EditRefused)
    def refused(error: EditRefused) -> tuple[Response, int]:
        return jsonify(error=error.message, field=error.field), 422

    @app.get("/")
    def sources() -> str:
        rows: list[dict[str, Any]] = []
        with review.lock:
            for name in review.folders():
                try:
                    opened = review.annotation(name)
                except AnnotationError as error:
                    rows.append({"name": name, "error": str(error)})
                    continue
                statements = opened.statements()
                unreviewed = sum(1 for s in statements if s.get("reviewed") is False)
                rows.append({
                    "name": name,
                    "title": opened.source.title,
                    "statements": len(statements),
                    "reviewed": len(statements) - unreviewed,
                })  # fmt: skip
        return render_template("sources.html", rows=rows, data_dir=str(review.data_dir))

    @app.get("/source/<name>")
    def page(name: str) -> str:
        with review.lock:
            try:
                title = review.annotation(name).source.title
            except AnnotationError:
                title = name  # the page shows the loader's message in its place
        return render_template(
            "review.html", name=name, title=title, coder=review.coder, token=review.token
        )

    @app.get("/api/source/<name>")
    def source_data(name: str) -> Response:
        with review.lock:
            return jsonify(_payload(review, name))

    @app.get("/api/source/<name>/names")
    def names(name: str) -> Response:
        with review.lock:
            return jsonify(_suggestions(review, name, request.args.get("q", "")))

    def change(name: str, action: Callable[[AnnotationFile], dict[str, Any]]) -> Response:
        """Run one action of the coder's; ``undo`` takes back all its file changes."""
        with review.lock:
            opened = review.annotation(name)
            depth = opened.changes
            try:
                answer = action(opened)
            finally:
                review.wrote(name)
                if opened.changes > depth:
                    review.steps.setdefault(name, []).append(opened.changes - depth)
            return jsonify(answer)

    @app.post("/api/source/<name>/statements/<statement_id>/accept")
    def accept(name: str, statement_id: str) -> Response:
        def action(opened: AnnotationFile) -> dict[str, Any]:
            opened.accept(statement_id, coder=review.coder)
            _accept_entities(opened, statement_id, review.coder)
            return {"statement": _statement(opened, statement_id)}

        return change(name, action)

    @app.post("/api/source/<name>/statements/<statement_id>/reject")
    def reject(name: str, statement_id: str) -> Response:
        def action(opened: AnnotationFile) -> dict[str, Any]:
            opened.reject(statement_id)
            return {"removed": statement_id}

        return change(name, action)

    @app.post("/api/source/<name>/statements/<statement_id>")
    def update(name: str, statement_id: str) -> Response:
        changes = _fields(request.get_json(silent=True), _STATEMENT_FIELDS)

        def action(opened: AnnotationFile) -> dict[str, Any]:
            opened.update(statement_id, changes, coder=review.coder)
            _accept_entities(opened, statement_id, review.coder)
            return {"statement": _statement(opened, statement_id)}

        return change(name, action)

    @app.post("/api/source/<name>/statements")
    def add_statement(name: str) -> Response:
        fields = _fields(request.get_json(silent=True), _STATEMENT_FIELDS)

        def action(opened: AnnotationFile) -> dict[str, Any]:
            statement_id = opened.add_statement(fields, coder=review.coder)
            return {"statement": _statement(opened, statement_id)}

        return change(name, action)

    @app.post("/api/source/<name>/entities")
    def add_entity(name: str) -> Response:
        fields = _fields(request.get_json(silent=True), _ENTITY_FIELDS)

        def action(opened: AnnotationFile) -> dict[str, Any]:
            entity_id = opened.add_entity(fields, coder=review.coder)
            entity = opened.entity(entity_id)
            assert entity is not None
            return {"entity": _entity(entity, "source")}

        return change(name, action)

    @app.post("/api/source/<name>/undo")
    def undo(name: str) -> Response:
        with review.lock:
            opened = review.annotation(name)
            steps = review.steps.get(name)
            count = steps.pop() if steps else 1
            try:
                undone = all(opened.undo() for _ in range(count))
            finally:
                review.wrote(name)
            return jsonify(undone=undone)

    return app


def _accept_entities(opened: AnnotationFile, statement_id: str, coder: str) -> None:
    """Accept the draft entities that an accepted statement names: the coder has seen
    them in the statement."""
    statement = opened.statement(statement_id) or {}
    for entity_id in sorted({str(statement[key]) for key in REFERENCES if key in statement}):
        entity = opened.entity(entity_id)
        if entity is not None and entity.get("reviewed") is False:
            opened.accept_entity(entity_id, coder=coder)


def _fields(body: Any, allowed: Sequence[str]) -> dict[str, Any]:
    """The fields of a JSON change, refusing anything but an object of known keys."""
    if not isinstance(body, dict):
        raise EditRefused("expected a JSON object of fields")
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise EditRefused(f"unknown field {unknown[0]!r}", unknown[0])
    return body


def _rule(statement: Mapping[str, Any]) -> str | None:
    note = statement.get("note")
    match = _RULE_NOTE.match(note) if isinstance(note, str) else None
    return match.group(1) if match else None


def _statement(opened: AnnotationFile, statement_id: str) -> dict[str, Any]:
    raw = opened.statement(statement_id)
    assert raw is not None
    return _statement_json(opened, raw)


def _statement_json(opened: AnnotationFile, raw: Mapping[str, Any]) -> dict[str, Any]:
    item = {key: _plain(raw[key]) for key in _STATEMENT_FIELDS if key in raw}
    span = opened.span(str(raw.get("id")))
    item["start"], item["end"] = span if span is not None else (None, None)
    item["rule"] = _rule(raw)
    item["reviewed"] = raw.get("reviewed") is not False
    return item


def _entity(raw: Mapping[str, Any], origin: str) -> dict[str, Any]:
    item = {key: _plain(raw[key]) for key in _ENTITY_FIELDS if key in raw}
    item["origin"] = origin
    return item


def _plain(value: Any) -> Any:
    """A value as JSON carries it (dates as ISO text)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _payload(review: ReviewApp, name: str) -> dict[str, Any]:
    opened = review.annotation(name)
    vocab = vocabulary()
    statements = [_statement_json(opened, raw) for raw in opened.statements()]
    return {
        "name": name,
        "coder": review.coder,
        "source": {"id": opened.source.id, "title": opened.source.title,
                   "text": opened.source.text},
        "statements": statements,
        "entities": [_entity(e, "source") for e in opened.entities()],
        "relations": list(vocab.relations),
        "entity_types": list(vocab.entity_types),
        "modalities": list(MODALITIES),
        "others": {
            coder: [_statement_json(other, raw) for raw in other.statements()]
            for coder, other in review.other_coders(name).items()
        },
    }  # fmt: skip


def _suggestions(review: ReviewApp, name: str, query: str) -> list[dict[str, Any]]:
    """Entities whose id, label or alias starts with (or holds) ``query``: the source's own
    first, then other sources', then the gazetteer's; one per id."""
    wanted = normalise_name(query)
    if not wanted:
        return []
    found: dict[str, dict[str, Any]] = {}

    def offer(entity: Mapping[str, Any], origin: str) -> None:
        entity_id = str(entity.get("id", ""))
        if entity_id in found or len(found) >= MAX_SUGGESTIONS:
            return
        names = [entity_id, str(entity.get("label", "")), *map(str, entity.get("aliases") or ())]
        if any(wanted in normalise_name(n) for n in names):
            found[entity_id] = _entity(entity, origin)

    for entity in review.annotation(name).entities():
        offer(entity, "source")
    for other_name in review.folders():
        if other_name == name:
            continue
        try:
            other = review.annotation(other_name)
        except AnnotationError:
            continue
        for entity in other.entities():
            offer(entity, other.source.id)
    for known in review.known:
        offer(asdict(known), known.origin)
    return list(found.values())
