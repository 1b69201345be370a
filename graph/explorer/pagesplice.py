"""A rebuild's page made from the page before, where titles or statements changed.

The page of a corpus (``render_page``) is a function of its statement network, the
network's camps and layout, and the sources' titles. Where the titles and what the
statements say show is known (``graph.explorer.render.PageText``): the heading (a
corpus of one source is titled by it), the JSON of each statement (its tooltip and its
row name its source's title) and the JSON of the tables and the actor view. The rest,
the page's frame (its scripts, its nodes and their places), is a function of the
network's nodes alone, each with its attributes and the number of statements it takes
part in, of the camps, of the layout and of whether lines are labelled lazily
(``frame_key``). At 100,000 statements the page is 87 MB and takes about 4 s to make; a
retitled source changes the JSON of its own statements alone, and a hedged statement
that of its source's statements and the views.

A build that makes the page keeps, beside the network files' records
(``graph.networks.kept``), under two keys, one made of all the page is a function of but
the titles (``page_key``) and one of its frame (``frame_key``): the page's size and
SHA-256, the heading and where it stands, where the views stand, and, for each run of
statements of one source in the page's order, the source, the title its statements were
written with, where the run stands and the digest of what its statements' JSON is made
of (``graph.explorer.render.statement_digests``; ``page_record``). The next build whose
page has the same key reads the page before, checks its SHA-256, and copies it but the
heading and the runs of the sources whose title changed, which it writes from the
network; one whose page has the same frame copies it but the heading, the views and the
runs of the sources whose title or digest changed (``spliced_page``). The page is byte
for byte the one a build into a new folder writes; where the record or the page before
is missing or not as kept, or a source's statements are new to the page, the page is
made whole.
"""

from __future__ import annotations

import hashlib
import json
import mmap
from collections.abc import Callable, Collection, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from itertools import groupby
from typing import Any

import networkx as nx

from .render import HEADING, STATEMENTS, VIEWS, PageText, node_weights
from .views import Edge

__all__ = ["frame_key", "page_key", "page_record", "spliced_page"]

_FORMAT = "apg page 2"

Remade = Callable[[Collection[str]], list[tuple[str, str]]]
"""Gives the JSON of each statement of the sources named, with its source, in the
page's order (``graph.explorer.render.statement_texts``)."""


def page_key(
    network_digest: str,
    camps: Sequence[Sequence[str]],
    layout: Mapping[str, tuple[float, float]],
    edge_label_limit: int,
) -> str:
    """The key of a page (with today's code and today's pyvis, whose scripts it holds)
    of the statement network of digest ``network_digest`` with ``camps`` and
    ``layout``: all it is a function of but the titles of the sources."""
    text = json.dumps(
        [_FORMAT, _made_by(), network_digest, *_drawn(camps, layout), edge_label_limit]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def frame_key(
    network: nx.MultiDiGraph,
    camps: Sequence[Sequence[str]],
    layout: Mapping[str, tuple[float, float]],
    edge_label_limit: int,
    edges: Sequence[Edge] | None = None,
) -> str | None:
    """The key of the frame of a page (with today's code and packages) of the statement
    network ``network`` (its edges ``edges``, where listed already) with ``camps`` and
    ``layout``: all it is a function of but the titles, the statements' JSON and the
    views (see ``PageText``): the nodes, each with its attributes and its weight
    (``node_weights``), the camps, the layout, and whether the lines are labelled
    lazily. None where a node's attribute is not a value JSON writes."""
    weights = node_weights(network, edges)
    nodes = [[node, data, weights[node]] for node, data in sorted(network.nodes(data=True))]
    count = network.number_of_edges() if edges is None else len(edges)  # counting is a walk
    lazy = count > edge_label_limit
    try:
        text = json.dumps(
            [_FORMAT, "frame", _made_by(), nodes, *_drawn(camps, layout), lazy, edge_label_limit],
            sort_keys=True,
            ensure_ascii=False,
        )
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _made_by() -> list[str]:
    """The versions of the packages a page holds scripts and templates of."""
    made_by = []
    for package in ("pyvis", "jinja2", "markupsafe"):
        try:
            made_by.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            made_by.append(f"{package} -")
    return made_by


def _drawn(
    camps: Sequence[Sequence[str]], layout: Mapping[str, tuple[float, float]]
) -> tuple[list[list[str]], list[tuple[str, list[float]]]]:
    return [list(camp) for camp in camps], sorted((n, list(place)) for n, place in layout.items())


def page_record(
    page: PageText, titles: Mapping[str, str], digests: Mapping[str, str] | None = None
) -> tuple[bytes, dict[str, Any]]:
    """The bytes of ``page`` and what to keep of it for ``spliced_page``: its size and
    SHA-256, its heading and where it stands, where its views stand, and where each run
    of statements of one source stands, with the source's title (``titles``, by source
    IRI) then and the digest of its statements (``digests``, by source IRI, where
    known)."""
    pieces: list[bytes] = [page.fixed[0].encode()]
    at = len(pieces[0])
    record: dict[str, Any] = {"heading": page.heading, "headings": [], "views": [], "runs": []}
    for place, fixed in zip(page.places, page.fixed[1:], strict=True):
        if place == STATEMENTS:
            pieces.append(b"[")
            at += 1
            statements = zip(page.statements, page.sources, strict=True)
            for number, (source, run) in enumerate(groupby(statements, key=lambda s: s[1])):
                if number:
                    pieces.append(b", ")
                    at += 2
                texts = [text for text, _ in run]
                text = ", ".join(texts).encode()
                digest = None if digests is None else digests.get(source)
                record["runs"].append(
                    [source, titles.get(source), at, at + len(text), len(texts), digest]
                )
                pieces.append(text)
                at += len(text)
            pieces.append(b"]")
            at += 1
        else:
            text = page.place_text(place).encode()
            record["headings" if place == HEADING else "views"].append([at, at + len(text)])
            pieces.append(text)
            at += len(text)
        encoded = fixed.encode()
        pieces.append(encoded)
        at += len(encoded)
    data = b"".join(pieces)
    return data, {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), **record}


def spliced_page(
    before: bytes | mmap.mmap,
    record: object,
    heading: str,
    titles: Mapping[str, str],
    remade: Remade,
    *,
    digests: Mapping[str, str] | None = None,
    views: str | None = None,
) -> tuple[bytes, dict[str, Any]] | None:
    """The page of ``record`` (``page_record`` of ``before``, the page before, checked
    already) with the heading ``heading`` (as the page writes it) and each source
    titled as ``titles`` says: the runs of the sources whose title changed, or (with
    ``digests``, the digest of each source's statements now) whose statements changed,
    written from ``remade``, the rest copied; with ``views``, its views are those. None
    where ``record`` does not describe ``before`` (a source of two runs among them), or
    where a source has statements the page before did not run, or none now."""
    found = _record(record, len(before))
    if found is None:
        return None
    headings, views_at, runs = found
    if views is not None and not views_at:
        return None
    changed = {
        source
        for source, title, _, _, _, digest in runs
        if titles.get(source) != title or (digests is not None and digests.get(source) != digest)
    }
    if digests is not None and set(digests) - {source for source, *_ in runs}:
        return None  # statements of a source new to the page
    made: dict[str, list[str]] = {}
    for json_text, source in remade(changed) if changed else []:
        made.setdefault(source, []).append(json_text)
    spans: list[tuple[int, int, str, _Run | None]] = sorted(
        [(start, end, HEADING, None) for start, end in headings]
        + [(start, end, VIEWS, None) for start, end in views_at]
        + [(run[2], run[3], STATEMENTS, run) for run in runs]
    )
    page = memoryview(before)  # copied from in slices, never read whole into memory
    pieces: list[bytes | memoryview] = []
    new: dict[str, list[Any]] = {"headings": [], "views": [], "runs": []}
    at = size = 0
    for start, end, place, run in spans:
        if start < at:
            return None  # overlapping places: not a record of this page
        pieces.append(page[at:start])
        size += start - at
        text: bytes | memoryview
        if place == HEADING:
            text = heading.encode()
            new["headings"].append([size, size + len(text)])
        elif place == VIEWS:
            text = page[start:end] if views is None else views.encode()
            new["views"].append([size, size + len(text)])
        else:
            assert run is not None
            source, _, _, _, count, digest = run
            if source in changed:
                texts = made.pop(source, [])
                if not texts or (digests is None and len(texts) != count):
                    return None
                text = ", ".join(texts).encode()
                count = len(texts)
                digest = digest if digests is None else digests.get(source)
            else:
                text = page[start:end]
            new["runs"].append([source, titles.get(source), size, size + len(text), count, digest])
        pieces.append(text)
        size += len(text)
        at = end
    pieces.append(page[at:])
    if made:
        return None  # statements of a changed source the page before did not hold
    data = b"".join(pieces)
    new_record = {
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "heading": heading,
        **new,
    }
    return data, new_record


_Run = tuple[str, str | None, int, int, int, str | None]


def _record(
    record: object, size: int
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[_Run]] | None:
    """The places of ``record``, where it is a record of a page of ``size`` bytes: the
    headings', the views' and the runs' (no source with two runs)."""
    if not (isinstance(record, dict) and record.get("size") == size):
        return None
    places: list[list[tuple[int, int]]] = []
    for kind in ("headings", "views"):
        spans = record.get(kind)
        if not isinstance(spans, list):
            return None
        places.append([])
        for place in spans:
            if not (isinstance(place, list) and len(place) == 2):
                return None
            if not _span(place[0], place[1], size):
                return None
            places[-1].append((place[0], place[1]))
    runs = record.get("runs")
    if not isinstance(runs, list):
        return None
    found: list[_Run] = []
    for run in runs:
        if not (isinstance(run, list) and len(run) == 6):
            return None
        source, title, start, end, count, digest = run
        if not (isinstance(source, str) and (title is None or isinstance(title, str))):
            return None
        if not (_span(start, end, size) and type(count) is int and count > 0):
            return None
        if not (digest is None or isinstance(digest, str)):
            return None
        found.append((source, title, start, end, count, digest))
    if len({run[0] for run in found}) != len(found):
        return None
    return places[0], places[1], found


def _span(start: object, end: object, size: int) -> bool:
    return type(start) is int and type(end) is int and 0 <= start <= end <= size
