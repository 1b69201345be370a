"""A rebuild's page made from the page before, where only titles of sources changed.

The page of a corpus (``render_page``) is a function of its statement network, the
network's camps and layout, and the sources' titles, which show in two kinds of place
only: the heading (a corpus of one source is titled by it) and the JSON of each
statement (its tooltip and its row name its source's title). At 100,000 statements the
page is 87 MB and takes about 4 s to make; a retitled source changes the JSON of its
own statements alone.

A build that makes the page keeps, beside the network files' records
(``graph.networks.kept``), under a key made of all the page is a function of but the
titles (``page_key``): the page's size and SHA-256, the heading and where it stands,
and, for each run of statements of one source in the page's order, the source, the
title its statements were written with and where the run stands (``page_record``). The
next build whose page has the same key reads the page before, checks its SHA-256, and
copies it but the heading and the runs of the sources whose title changed, which it
writes from the network (``spliced_page``). The page is byte for byte the one a build
into a new folder writes; where the record or the page before is missing or not as
kept, the page is made whole.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from itertools import groupby
from typing import Any

from .render import HEADING, PageText

__all__ = ["page_key", "page_record", "spliced_page"]

_FORMAT = "apg page 1"

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
    made_by = []
    for package in ("pyvis", "jinja2", "markupsafe"):
        try:
            made_by.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            made_by.append(f"{package} -")
    placed = sorted((node, list(place)) for node, place in layout.items())
    text = json.dumps(
        [_FORMAT, made_by, network_digest, [list(camp) for camp in camps], placed, edge_label_limit]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def page_record(page: PageText, titles: Mapping[str, str]) -> tuple[bytes, dict[str, Any]]:
    """The bytes of ``page`` and what to keep of it for ``spliced_page``: its size and
    SHA-256, its heading and where it stands, and where each run of statements of one
    source stands, with the source's title (``titles``, by source IRI) then."""
    pieces: list[bytes] = [page.fixed[0].encode()]
    at = len(pieces[0])
    headings: list[list[int]] = []
    runs: list[list[Any]] = []
    heading = page.heading.encode()
    for place, fixed in zip(page.places, page.fixed[1:], strict=True):
        if place == HEADING:
            headings.append([at, at + len(heading)])
            pieces.append(heading)
            at += len(heading)
        else:
            pieces.append(b"[")
            at += 1
            statements = zip(page.statements, page.sources, strict=True)
            for number, (source, run) in enumerate(groupby(statements, key=lambda s: s[1])):
                if number:
                    pieces.append(b", ")
                    at += 2
                texts = [text for text, _ in run]
                text = ", ".join(texts).encode()
                runs.append([source, titles.get(source), at, at + len(text), len(texts)])
                pieces.append(text)
                at += len(text)
            pieces.append(b"]")
            at += 1
        encoded = fixed.encode()
        pieces.append(encoded)
        at += len(encoded)
    data = b"".join(pieces)
    record = {
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "heading": page.heading,
        "headings": headings,
        "runs": runs,
    }
    return data, record


def spliced_page(
    before: bytes,
    record: object,
    heading: str,
    titles: Mapping[str, str],
    remade: Remade,
) -> tuple[bytes, dict[str, Any]] | None:
    """The page of ``record`` (``page_record`` of ``before``, the page before, checked
    already) with the heading ``heading`` (as the page writes it) and each source
    titled as ``titles`` says: the runs of the sources whose title changed written
    from ``remade``, the rest copied. None where ``record`` does not describe
    ``before``."""
    found = _record(record, len(before))
    if found is None:
        return None
    headings, runs = found
    changed = {source for source, title, *_ in runs if titles.get(source) != title}
    made = iter(remade(changed) if changed else [])
    spans = sorted(
        [(start, end, None) for start, end in headings]
        + [(start, end, (source, count)) for source, _, start, end, count in runs]
    )
    pieces: list[bytes] = []
    new_headings: list[list[int]] = []
    new_runs: list[list[Any]] = []
    at = size = 0
    new_heading = heading.encode()
    for start, end, run in spans:
        if start < at:
            return None  # overlapping places: not a record of this page
        pieces.append(before[at:start])
        size += start - at
        if run is None:
            text = new_heading
            new_headings.append([size, size + len(text)])
        else:
            source, count = run
            if source in changed:
                texts = [_next_of(made, source) for _ in range(count)]
                if None in texts:
                    return None
                text = ", ".join(t for t in texts if t is not None).encode()
            else:
                text = before[start:end]
            new_runs.append([source, titles.get(source), size, size + len(text), count])
        pieces.append(text)
        size += len(text)
        at = end
    pieces.append(before[at:])
    if next(made, None) is not None:
        return None  # statements of a changed source the page before did not hold
    data = b"".join(pieces)
    new_record = {
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "heading": heading,
        "headings": new_headings,
        "runs": new_runs,
    }
    return data, new_record


def _next_of(made: Any, source: str) -> str | None:
    """The next statement's JSON of ``made``, if it is of ``source``."""
    found = next(made, None)
    if found is None or found[1] != source:
        return None
    return str(found[0])


def _record(
    record: object, size: int
) -> tuple[list[tuple[int, int]], list[tuple[str, str | None, int, int, int]]] | None:
    """The places of ``record``, where it is a record of a page of ``size`` bytes."""
    if not (isinstance(record, dict) and record.get("size") == size):
        return None
    headings, runs = record.get("headings"), record.get("runs")
    if not (isinstance(headings, list) and isinstance(runs, list)):
        return None
    places: list[tuple[int, int]] = []
    for place in headings:
        if not (isinstance(place, list) and len(place) == 2 and _span(place[0], place[1], size)):
            return None
        places.append((place[0], place[1]))
    found: list[tuple[str, str | None, int, int, int]] = []
    for run in runs:
        if not (isinstance(run, list) and len(run) == 5):
            return None
        source, title, start, end, count = run
        if not (isinstance(source, str) and (title is None or isinstance(title, str))):
            return None
        if not (_span(start, end, size) and type(count) is int and count > 0):
            return None
        found.append((source, title, start, end, count))
    return places, found


def _span(start: object, end: object, size: int) -> bool:
    return type(start) is int and type(end) is int and 0 <= start <= end <= size
