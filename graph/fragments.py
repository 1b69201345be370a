"""Each source's share of Turtle, TriG and JSON-LD, kept for the next build.

Turtle, TriG and JSON-LD are written over every triple of the corpus, and a rebuild
that changed one source of a hundred wrote them all again. Most of their text is the statements of
subjects that one source alone describes (its statements, their evidence and
selectors, the entities only it declares): the same triples give the same text. A
build keeps, in ``OUT/.cache/texts/``, for each source's graph (by the SHA-256 of its
triples and of the code), the text each writer wrote for each of its subjects and the
prefixes its triples use. The next build's writers take the text of every subject of
an unchanged graph (for Turtle and JSON-LD, of a subject that no other graph
describes) and neither read nor name its triples; Turtle and TriG still count the
references to every subject, which order their documents, and JSON-LD places each node
by its ``@id``, so the bytes are those of a write of every triple
(``graph.turtle.Reuse``, ``graph.jsonld.NodeReuse``). Turtle with TriG, and JSON-LD,
are made by different workers, and keep their texts apart (``rdf/``, ``jsonld/``).

An entry's first line holds its key and the SHA-256 of the rest: an entry cut short or
edited is read as missing, and its graph written in full. Where a write generated a
prefix (``ns1``) or renamed one, the names depend on the order of the triples: nothing
is taken from, or kept for, another build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import IO, Any, Literal, cast

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from .buildcache import code_digest, read_keyed, write_keyed, write_whole
from .digests import SharedDigests, digest_function
from .jsonld import NodePlaces, NodeReuse, write_jsonld
from .jsonldsplice import index_file, index_of
from .namespaces import PREFIX_IRIS
from .rdf import each_triple
from .rdfsplice import (
    index_file as text_index_file,
    index_of as text_index_of,
)
from .spliceindex import keep_encoded
from .turtle import Reuse, TextPlaces, write_trig, write_turtle

__all__ = ["KeptTexts", "keep_spliced", "move_staged"]

_FORMAT = "apg kept texts 4"


_TRIG_INDENT = "\n    "
"""What begins each line of a subject's text in TriG, inside its graph's braces, where
Turtle's begins with a newline alone: rdflib's indent is four spaces a level. Only a
text with no literal across lines (written between triple quotes) has no other line."""


@dataclass(frozen=True)
class _Part:
    """A named graph of the dataset, the SHA-256 of its triples, and its subjects."""

    graph: Graph
    digest: str
    subjects: set[Node]

    @property
    def name(self) -> Node:
        return self.graph.identifier


class KeptTexts:
    """The texts kept in ``folder`` for the Turtle and TriG (``kind`` "rdf") or the
    JSON-LD (``kind`` "jsonld") of ``dataset``, whose union is ``union``: taken by the
    writers of ``writers`` and kept anew by ``keep``.

    With ``digests``, the digest of each graph is taken from that board where another
    process made it already (see ``graph.digests``).

    With ``staged``, the new entries are written there instead, with the names of all
    the entries of this dataset, for ``move_staged`` to move into ``folder`` once the
    graph has passed the shapes: a build that fails them leaves the output folder as it
    was (and a first one, no folder).
    """

    def __init__(
        self,
        folder: Path,
        kind: Literal["rdf", "jsonld"],
        dataset: Dataset,
        union: Graph,
        *,
        staged: Path | None = None,
        digests: SharedDigests | None = None,
    ) -> None:
        self.folder = folder / kind
        self._into = self.folder if staged is None else staged / kind
        self.kind = kind
        self._dataset, self._union = dataset, union
        digest_of = digest_function(digests)
        self._parts = [
            _Part(graph, digest_of(graph), set(map(itemgetter(0), each_triple(graph))))
            for graph in sorted(dataset.graphs(), key=lambda graph: str(graph.identifier))
            if len(graph)
        ]
        describers: Counter[Node] = Counter()  # how many graphs describe each subject
        for part in self._parts:
            describers.update(part.subjects)
        # the graph that alone describes a subject, by subject: the graph's own name, so
        # that it is known by ``is`` (rdflib's == is Python's)
        self._only: dict[Node, Node] = {}
        # the graphs that describe each subject several describe, in the order of
        # their names: their digests are what its text is kept by (``_shared_key``)
        self._sharers: dict[Node, list[_Part]] = {}
        for part in self._parts:
            ours = []
            for subject in part.subjects:
                if describers[subject] == 1:
                    ours.append(subject)
                else:
                    self._sharers.setdefault(subject, []).append(part)
            self._only.update(dict.fromkeys(ours, part.name))
        self._by_name = {part.name: part for part in self._parts}
        self._entries = {part.name: self._read(part) for part in self._parts}
        self._shared = self._read_shared()
        self._taken_shared: dict[Node, tuple[str, ...]] = {}  # kept texts taken again
        self._made_prefixes: dict[Node, set[tuple[str, str]]] = {}  # of graphs TriG kept
        if kind == "rdf":
            self._turtle, self._trig = self._turtle_reuse(), self._trig_reuse()
        else:
            self._nodes = self._node_reuse()

    def writers(self) -> dict[str, Callable[[IO[bytes]], None]]:
        """The writers of the files of this kind, taking the kept texts."""
        if self.kind == "jsonld":
            nodes = self._nodes
            return {
                "graph.jsonld": lambda stream: write_jsonld(self._union, PREFIX_IRIS, stream, nodes)
            }
        return {"graph.ttl": self._write_turtle, "graph.trig": self._write_trig}

    def _write_turtle(self, stream: IO[bytes]) -> None:
        first = self._trig.namer is None  # else TriG went first: see _write_trig
        write_turtle(self._union, stream, self._turtle if first else None)

    def _write_trig(self, stream: IO[bytes]) -> None:
        """TriG, taking and keeping texts only after a plain write of Turtle: a prefix
        Turtle generates is bound in the dataset's namespaces, and names IRIs that the
        texts kept before wrote in full."""
        plain = self._turtle.namer is not None and self._turtle.plain
        write_trig(self._dataset, stream, self._trig if plain else None)

    def keep(self, *documents: tuple[int, str]) -> None:
        """Keep the texts of the graphs that had none, once the writers have written;
        remove the entries of graphs no longer in the dataset. A failure to write is no
        error: the next build writes those graphs in full. With ``documents``, the size
        and SHA-256 of each document written (JSON-LD's; Turtle's and TriG's), keep their
        index too, for the next build to splice them (see ``graph.jsonldsplice``,
        ``graph.rdfsplice``)."""
        names = {self._file(part).name for part in self._parts}
        if self.kind == "rdf":  # each graph's texts were kept as TriG wrote it
            if not (self._turtle.plain and self._trig.plain):
                return
            if len(documents) == 2:
                names.update(self._keep_text_index(documents[0], documents[1]))
        else:
            if not self._nodes.plain:
                return
            for part in self._parts:
                if self._entries[part.name] is None:
                    self._write(part, self._jsonld_content(part))
            if len(documents) == 1:
                names.update(self._keep_index(documents[0]))
        names.add(self._keep_shared())
        if self._into == self.folder:
            _keep_only(self.folder, names)
        else:
            _list_staged(self._into, names)

    def _trig_done(self, name: Node, texts: dict[Node, str]) -> None:
        """Keep the texts TriG wrote for the graph ``name``, if it had none kept: the
        text of each subject, and the prefixes of its triples. Turtle's text of a
        subject that the graph alone describes is this one less one level of indent
        (``_TRIG_INDENT``), but where a literal spans lines (written between triple
        quotes, whose lines are not indented): that text is kept as Turtle wrote it
        (``_long``), when Turtle wrote it in one piece."""
        part = self._by_name.get(name)
        namer = self._trig.namer
        if part is None or self._entries[name] is not None or namer is None:
            return
        if not namer.plain():
            return
        prefixes = namer.prefixes_of(each_triple(part.graph))
        self._made_prefixes[name] = prefixes
        turtle_made = self._turtle.made.get(self._union.identifier, {})
        turtle = {}
        for subject, text in texts.items():
            if _long(text) and self._only.get(subject) == name and subject in turtle_made:
                turtle[str(subject)] = turtle_made.pop(subject)
        content = {
            "prefixes": sorted(map(list, prefixes)),
            "trig": {str(subject): text for subject, text in texts.items()},
            "turtle": turtle,
        }
        self._write(part, content)

    def _keep_index(self, document: tuple[int, str]) -> list[str]:
        """Keep the index of the JSON-LD written, where it was written a node at a time;
        the name of its file, or none."""
        places = self._nodes.places
        if places is None or not len(places):
            return []
        number = {part.name: place for place, part in enumerate(self._parts)}
        only, sharers = self._only, self._sharers

        def owners(subject: Node) -> list[int]:
            found = only.get(subject)
            if found is not None:
                return [number[found]]
            return [number[part.name] for part in sharers[subject]]

        graphs = [(str(part.name), part.digest) for part in self._parts]
        path = index_file(self.folder)
        if not keep_encoded(self._into / path.name, index_of(places, graphs, owners, document)):
            return []
        return [path.name]

    def _keep_text_index(self, turtle: tuple[int, str], trig: tuple[int, str]) -> list[str]:
        """Keep the index of the Turtle and TriG written, where they were written a
        subject at a time; the name of its file, or none."""
        namer = self._trig.namer
        turtle_places, trig_places = self._turtle.places, self._trig.places
        if namer is None or turtle_places is None or trig_places is None:
            return []
        graphs = []
        for part in self._parts:
            entry = self._entries[part.name]
            prefixes = self._made_prefixes.get(part.name) if entry is None else entry.prefixes
            if prefixes is None:
                return []
            graphs.append((str(part.name), part.digest, part.graph, sorted(prefixes)))
        namespaces = {prefix: str(iri) for prefix, iri in namer.namespaces.items()}  # type: ignore[attr-defined]
        index = text_index_of(
            graphs, self._dataset, turtle_places, trig_places, namespaces, (turtle, trig)
        )
        path = text_index_file(self.folder)
        if index is None or not keep_encoded(self._into / path.name, index):
            return []
        return [path.name]

    def _keep_shared(self) -> str:
        """Keep the texts of the subjects several graphs describe, each by the digests
        of those graphs (``_shared_key``): those taken from the texts kept before, and
        those written afresh. The name of the file they are kept in."""
        path = self._shared_file()
        sharers = self._sharers
        made: dict[Node, tuple[str, ...]]
        if self.kind == "rdf":
            turtle = self._turtle.made.get(self._union.identifier, {})
            made = {s: (text,) for s, text in turtle.items() if s in sharers}
        else:
            nodes = self._nodes.made
            made = {s: nodes[s] for s in sharers if s in nodes}
        if not made and len(self._taken_shared) == len(self._shared):
            return path.name  # the same texts as kept before
        texts = {**self._taken_shared, **made}
        ordered = sorted(texts, key=str)
        keyed = {str(s): (_shared_key(sharers[s]), *texts[s]) for s in ordered}
        write_keyed(self._into / path.name, _encoded({"shared": keyed}))
        return path.name

    def _take_shared(self) -> dict[Node, tuple[str, ...]]:
        """The texts kept before of the subjects several graphs describe, taken again
        where those graphs are the ones the texts were written from (the same
        digests, in the same order) and each has its own texts kept: the text of a
        subject is made from its triples in those graphs alone, and the prefixes it
        uses are among theirs. By subject, the texts (Turtle's; or JSON-LD's ``@id``
        and node)."""
        taken: dict[Node, tuple[str, ...]] = {}
        shared, entries = self._shared, self._entries
        if not shared:
            return taken
        for subject, parts in self._sharers.items():
            kept = shared.get(str(subject))
            if kept is None or kept[0] != _shared_key(parts):
                continue
            if all(entries[part.name] is not None for part in parts):
                taken[subject] = kept[1:]
        self._taken_shared = taken
        return taken

    def _shared_file(self) -> Path:
        key = f"{_FORMAT}\n{self.kind}\n{code_digest()}\nshared"
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def _read_shared(self) -> dict[str, tuple[str, ...]]:
        """The texts kept of the subjects several graphs describe, by subject (read as
        text) and with the key of each first; none when they are damaged."""
        payload = read_keyed(self._shared_file())
        if payload is None:
            return {}
        try:
            return _shared_of(payload, 2 if self.kind == "rdf" else 3)
        except (ValueError, TypeError, KeyError):
            return {}

    def _jsonld_content(self, part: _Part) -> dict[str, Any]:
        made = self._nodes.made
        return {
            "nodes": {
                str(s): made[s]
                for s in part.subjects
                if s in made and self._only.get(s) is part.name
            }
        }

    def _turtle_reuse(self) -> Reuse:
        """The kept texts of the subjects that one unchanged graph alone describes;
        Turtle's texts with a literal across lines are captured, for ``_trig_done``."""
        kept = _TurtleTexts()
        sharers = self._sharers
        reuse = Reuse(
            captured=lambda subject, text: subject in sharers or _long(text), places=TextPlaces()
        )
        only = self._only
        for part in self._parts:
            name = part.name
            entry = self._entries[name]
            if entry is None:
                continue
            texts, turtle = entry.trig, entry.turtle  # Turtle's own: texts across lines
            short = [s for s in texts if only.get(s) is name and '"""' not in texts[s]]
            long = [s for s in turtle if only.get(s) is name]
            kept.take(short, texts, from_trig=True)
            kept.take(long, turtle, from_trig=False)
            if short or long:
                reuse.prefixes.update(entry.prefixes)
        shared = self._take_shared()
        kept.take(list(shared), {s: texts[0] for s, texts in shared.items()}, from_trig=False)
        for subject in shared:  # each graph's prefixes, those of the subject's text among them
            for part in sharers[subject]:
                if (entry := self._entries[part.name]) is not None:  # each has one
                    reuse.prefixes.update(entry.prefixes)
        if kept:
            reuse.kept[self._union.identifier] = cast(dict[Node, str], kept)
        return reuse

    def _trig_reuse(self) -> Reuse:
        """The kept texts of the subjects of each unchanged graph."""
        reuse = Reuse(done=self._trig_done, places=TextPlaces())
        for part in self._parts:
            entry = self._entries[part.name]
            if entry is not None and entry.trig:
                reuse.kept[part.name] = entry.trig
                reuse.prefixes.update(entry.prefixes)
                if len(entry.trig) == len(part.subjects):  # keyed by the graph's subjects
                    reuse.whole.add(part.name)
        return reuse

    def _node_reuse(self) -> NodeReuse:
        """The kept nodes of the subjects that one unchanged graph alone describes."""
        reuse = NodeReuse(places=NodePlaces())
        only = self._only
        for part in self._parts:
            name = part.name
            entry = self._entries[name]
            if entry is not None:
                nodes = entry.nodes
                reuse.kept.update({s: nodes[s] for s in nodes if only.get(s) is name})
        shared = self._take_shared()
        reuse.kept.update({s: (node_id, node) for s, (node_id, node) in shared.items()})
        return reuse

    def _file(self, part: _Part) -> Path:
        key = f"{_FORMAT}\n{self.kind}\n{code_digest()}\n{part.name}\n{part.digest}"
        return self.folder / f"{hashlib.sha256(key.encode()).hexdigest()}.json"

    def _read(self, part: _Part) -> _Entry | None:
        """The texts kept for ``part``, or None when there are none or they are damaged."""
        payload = read_keyed(self._file(part))
        if payload is None:
            return None
        try:
            entry = _Entry.of(payload)
        except (ValueError, TypeError, KeyError):
            return None
        return entry.keyed_by(part.subjects)

    def _write(self, part: _Part, content: dict[str, Any]) -> None:
        write_keyed(self._into / self._file(part).name, _encoded(content))


def _shared_key(parts: list[_Part]) -> str:
    """What the text of a subject that ``parts`` describe is kept by: the digests of
    their triples, in the order of their names."""
    joined = " ".join(part.digest for part in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


def _long(text: str) -> bool:
    """Whether a subject's text has a literal across lines (between triple quotes)."""
    return '"""' in text


class _TurtleTexts(dict):
    """Turtle's kept text of each subject, made from the text TriG kept for it when the
    writer asks for it (``kept[subject]``), so that the texts are held once, as TriG's
    (at 100,000 statements, about 0.15 GiB each way); or kept as Turtle wrote it.

    A dictionary of the texts (a graph's) that hold each subject's, whose
    ``kept[subject]`` gives the subject's Turtle text: the writer asks ``subject in
    kept`` of every triple it reads, which a dictionary answers without a call in Python.
    """

    def __init__(self) -> None:
        super().__init__()
        self._from_trig: set[int] = set()  # the texts that are TriG's

    def take(self, subjects: list[Node], texts: dict[Node, str], *, from_trig: bool) -> None:
        """Keep the Turtle text of each of ``subjects``: its text in ``texts``, a
        graph's TriG texts (``from_trig``) or Turtle's."""
        if not subjects:
            return
        dict.update(self, dict.fromkeys(subjects, texts))
        if from_trig:
            self._from_trig.add(id(texts))

    def __getitem__(self, subject: Node) -> str:
        texts: dict[Node, str] = dict.__getitem__(self, subject)
        text = texts[subject]
        return text.replace(_TRIG_INDENT, "\n") if id(texts) in self._from_trig else text


_NAMES = "entries.txt"
"""The names of the entries of a dataset, staged beside its new entries."""


def keep_spliced(
    folder: Path, kind: str, name: str, keep: Callable[[Path], bool], *, staged: Path | None = None
) -> None:
    """Keep in ``folder`` (or stage, as ``KeptTexts`` does) the index, named ``name``, of
    the documents of ``kind`` ("rdf", "jsonld") that a splice wrote, by ``keep`` (given
    where to write it; whether it could); the texts kept by graph stay as they are, for
    a build that cannot splice."""
    kept = folder / kind
    into = kept if staged is None else staged / kind
    if not keep(into / name) or staged is None:
        return
    try:
        names = {entry.name for entry in kept.iterdir() if not entry.name.startswith(".")}
    except OSError:
        names = set()
    _list_staged(into, {*names, name})


def _list_staged(staged: Path, names: set[str]) -> None:
    """Name, beside the entries staged in ``staged``, all the entries of the dataset,
    for ``move_staged``."""
    listed = "".join(f"{name}\n" for name in sorted(names))
    write_whole(staged / _NAMES, listed.encode())


def move_staged(staged: Path, folder: Path) -> None:
    """Move the entries ``KeptTexts(folder, ..., staged=staged)`` staged into ``folder``,
    and remove there the entries of graphs no longer in the dataset. A failure is no
    error: the next build writes those graphs in full."""
    for kind in ("rdf", "jsonld"):
        try:
            names = set((staged / kind / _NAMES).read_text(encoding="utf-8").split())
        except OSError:
            continue  # nothing kept: a write made a prefix, or the piece did not end
        with contextlib.suppress(OSError):
            (folder / kind).mkdir(parents=True, exist_ok=True)
            for path in (staged / kind).iterdir():
                if path.name in names:
                    os.replace(path, folder / kind / path.name)
        _keep_only(folder / kind, names)


def _keep_only(folder: Path, names: set[str]) -> None:
    with contextlib.suppress(OSError):
        for path in list(folder.iterdir()):
            if path.name not in names:
                with contextlib.suppress(OSError):
                    path.unlink()


@dataclass(frozen=True)
class _Entry:
    """What is kept for a graph: its prefixes and the text TriG wrote of each subject,
    or the ``@id`` and text of each subject's node (JSON-LD)."""

    prefixes: set[tuple[str, str]] = field(default_factory=set)
    trig: dict[Node, str] = field(default_factory=dict)
    nodes: dict[Node, tuple[str, str]] = field(default_factory=dict)
    turtle: dict[Node, str] = field(default_factory=dict)  # where TriG's cannot give it

    def keyed_by(self, subjects: set[Node]) -> _Entry:
        """This entry with each subject (read as text: ``of``) the term of ``subjects``
        (its graph's own) of that text: a writer asks for the subject of every triple it
        reads, and a term that is not the key itself is compared in Python (rdflib's
        ``__eq__``), about a second for the Turtle and TriG of a rebuild at 30,000
        statements; and a term read from the file would be made in Python too."""

        def keyed(kept: dict[Any, Any]) -> dict[Node, Any]:
            if not kept:
                return {}
            return {
                s: kept[text] for s in subjects if type(s) is URIRef and (text := str(s)) in kept
            }

        return _Entry(self.prefixes, keyed(self.trig), keyed(self.nodes), keyed(self.turtle))

    @staticmethod
    def of(payload: bytes) -> _Entry:
        """The entry a file holds (``_encoded``); raises ``ValueError``, ``TypeError`` or
        ``KeyError`` when it is not one."""
        head, all_texts = _head_and_texts(payload)
        lengths, texts = head["lengths"], iter(all_texts)
        if "nodes" in head:
            each = zip(texts, texts, texts, strict=False)  # the texts three at a time
            nodes: dict[Any, tuple[str, str]] = {s: (i, node) for s, i, node in each}
            if len(nodes) != head["nodes"] or 3 * len(nodes) != len(lengths):
                raise ValueError("not the nodes counted")
            return _Entry(nodes=nodes)
        pairs: list[tuple[Any, str]] = list(zip(texts, texts, strict=False))  # two at a time
        counted = head["trig"]
        counts_all = 2 * len(pairs) == len(lengths)
        if not (counts_all and type(counted) is int and 0 <= counted <= len(pairs)):
            raise ValueError("not the texts counted")
        prefixes = {(str(prefix), str(namespace)) for prefix, namespace in head["prefixes"]}
        return _Entry(prefixes, dict(pairs[:counted]), turtle=dict(pairs[counted:]))


def _head_and_texts(payload: bytes) -> tuple[dict[str, Any], list[str]]:
    """The line of JSON and the texts of a file written by ``_encoded``; raises
    ``ValueError``, ``TypeError`` or ``KeyError`` when it is not one."""
    line, _, rest = payload.partition(b"\n")
    head = json.loads(line)
    lengths, text = head["lengths"], rest.decode()
    if not (isinstance(lengths, list) and all(type(n) is int and n >= 0 for n in lengths)):
        raise TypeError("not a list of lengths")
    if sum(lengths) != len(text):
        raise ValueError("the lengths are not those of the texts")
    ends = list(accumulate(lengths))
    return head, [text[start:end] for start, end in zip([0, *ends], ends, strict=False)]


def _shared_of(payload: bytes, width: int) -> dict[str, tuple[str, ...]]:
    """The texts of the subjects several graphs describe that a file holds
    (``_encoded``), ``width`` of them after each subject (its key first); raises
    ``ValueError``, ``TypeError`` or ``KeyError`` when it is not one."""
    head, texts = _head_and_texts(payload)
    counted = head["shared"]
    if not (type(counted) is int and counted * (width + 1) == len(texts)):
        raise ValueError("not the texts counted")
    step = width + 1
    return {texts[at]: tuple(texts[at + 1 : at + step]) for at in range(0, len(texts), step)}


def _encoded(content: dict[str, Any]) -> bytes:
    """What is kept of a graph (``KeptTexts._write``'s content) as written in its file: a
    line of JSON (the prefixes, how many texts of each kind, the length of each text),
    then every text, one after the other, in UTF-8: read back without unescaping a text
    (``_Entry.of``)."""
    texts: list[str]
    if "shared" in content:
        shared = content["shared"]
        texts = [each for s, values in shared.items() for each in (s, *values)]
        head: dict[str, Any] = {"shared": len(shared)}
    elif "nodes" in content:
        nodes = content["nodes"]
        texts = [each for s, (node_id, node) in nodes.items() for each in (s, node_id, node)]
        head = {"nodes": len(nodes)}
    else:
        trig, turtle = content["trig"], content["turtle"]
        texts = [each for kept in (trig, turtle) for pair in kept.items() for each in pair]
        head = {"prefixes": content["prefixes"], "trig": len(trig)}
    head["lengths"] = [len(each) for each in texts]
    line = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    return f"{line}\n".encode() + "".join(texts).encode()
