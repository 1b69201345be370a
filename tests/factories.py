"""Small annotated sources for tests, built by functions so each test gets a fresh copy."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED_ID = "un-gge-talks-collapse-2017"
SEED_SOURCE = REPO / "tests" / "fixtures" / "seed" / SEED_ID
"""The seed as the README describes it, kept with the tests: the project's ``data/``, where a
user adds sources and reviews the seed itself, is never read by the tests."""


def _copied_seed() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="apg-tests-seed-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return Path(shutil.copytree(SEED_SOURCE, folder / "data" / SEED_ID))


def _empty_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="apg-tests-cwd-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


WORKDIR = _empty_folder()
"""An empty temporary folder, where the tests start ``python -m graph`` and other
processes: a path option left out resolves there (``data``, ``output``), never in the
project's own folders, and a user's new source cannot change what a test sees."""

SEED_DIR = _copied_seed()
"""A copy of the seed, in a temporary ``data/`` folder of its own: what tests read of the
seed (its text, its annotation as gold or ``--meta``); tests must not change it."""


def readme_seed_sentence(entity_types: Mapping[str, int], modalities: Mapping[str, int]) -> str:
    """The README's sentence on the seed: its entities by type, its statements by modality.

    Line breaks are spaces in it: compare it with the README's words joined by spaces.
    """
    kinds, said = Counter(entity_types), Counter(modalities)
    return (
        f"The article yields {kinds.total()} entities ({kinds['state']} states, "
        f"{kinds['group']} groups, {kinds['official']} officials and {kinds['person']} other "
        f"persons, {kinds['institution']} institutions, {kinds['incident']} incidents, "
        f"{kinds['event']} events, {kinds['document']} documents, {kinds['position']} "
        f"positions) and {said.total()} statements, of which {said['asserted']} are asserted "
        f"by the article, {said['reported']} report what an actor said or did, "
        f"{said['alleged']} are alleged, {said['implicit']} implicit and "
        f"{said['speculative']} speculative."
    )


TINY_TEXT = (
    "Ruritania blamed Freedonia for the failed talks. "
    "The Ruritanian envoy, Anna Vogel, said the right of self-defence applies online.\n"
)


def entity(entity_id: str, label: str, entity_type: str = "state", **fields: Any) -> dict[str, Any]:
    """An entity of an annotation, as its YAML gives it."""
    return {"id": entity_id, "type": entity_type, "label": label, **fields}


def statement(
    statement_id: str,
    subject: str,
    relation: str,
    obj: str,
    quote: str,
    modality: str = "reported",
    **fields: Any,
) -> dict[str, Any]:
    """A statement of an annotation, as its YAML gives it."""
    return {
        "id": statement_id,
        "subject": subject,
        "relation": relation,
        "object": obj,
        "modality": modality,
        "quote": quote,
        **fields,
    }


def tiny_annotation(**overrides: Any) -> dict[str, Any]:
    """A small valid annotation of TINY_TEXT; keyword arguments replace top-level parts."""
    annotation: dict[str, Any] = {
        "source": {
            "id": "tiny",
            "text": "article.txt",
            "title": "Tiny",
            "url": "https://example.org/tiny",
            "date": "2020-01-02",
        },
        "entities": [
            {"id": "ruritania", "type": "state", "label": "Ruritania"},
            {"id": "freedonia", "type": "state", "label": "Freedonia"},
            {"id": "anna-vogel", "type": "official", "label": "Anna Vogel"},
            {"id": "self-defence", "type": "position", "label": "Self-defence applies online"},
        ],
        "statements": [
            {
                "id": "ruritania-blames-freedonia",
                "subject": "ruritania",
                "relation": "blames",
                "object": "freedonia",
                "modality": "reported",
                "quote": "Ruritania blamed Freedonia for the failed talks",
            },
            {
                "id": "vogel-represents-ruritania",
                "subject": "anna-vogel",
                "relation": "represents",
                "object": "ruritania",
                "modality": "asserted",
                "quote": "The Ruritanian envoy, Anna Vogel",
                "role": "envoy",
            },
            {
                "id": "vogel-supports-self-defence",
                "subject": "anna-vogel",
                "relation": "supports_position",
                "object": "self-defence",
                "modality": "reported",
                "quote": "said the right of self-defence applies online",
                "when": "2020-01",
            },
        ],
    }
    annotation.update(overrides)
    return annotation


SANCTIONS_TEXT = (
    "Ruritania blamed Freedonia for the Blackout attack on its power grid. "
    "Ruritanian investigators said the attack was carried out by the Freedonian military "
    "intelligence service, the FIS. "
    "The Freedonian foreign minister, Boris Kral, denied any involvement. "
    "Freedonia also rejected claims that it was behind the Harbour hack, which no government "
    "has attributed. "
    "The Northern Union imposed sanctions on the FIS and on its chief, Colonel Ivo Marek, "
    "over the Blackout attack. "
    "Ruritania is reported to have frozen the assets of the Grey Fox group.\n"
)


def sanctions_annotation() -> dict[str, Any]:
    """A valid annotation of SANCTIONS_TEXT: attributions of an incident, denials, sanctions.

    The Blackout attack is attributed to Freedonia (by Ruritania) and to its intelligence
    service, the FIS (by Ruritanian investigators); Freedonia's foreign minister denies
    it. Freedonia denies the Harbour hack, which nobody attributes. The Northern Union
    sanctions the FIS and its chief over the Blackout attack; Ruritania is said to sanction
    the Grey Fox group (alleged, for no incident named). Rolled up to states, the minister,
    the FIS and its chief speak for Freedonia.
    """
    quote_union = (
        "The Northern Union imposed sanctions on the FIS and on its chief, Colonel Ivo Marek, "
        "over the Blackout attack"
    )
    statements = [
        ("ruritania-blames-freedonia", "ruritania", "blames", "freedonia", "reported",
         "Ruritania blamed Freedonia for the Blackout attack", {"about": "blackout-attack"}),
        ("blackout-attributed-to-freedonia", "blackout-attack", "attributed_to", "freedonia",
         "reported", "Ruritania blamed Freedonia for the Blackout attack",
         {"claimed_by": "ruritania"}),
        ("blackout-attributed-to-fis", "blackout-attack", "attributed_to", "fis", "reported",
         "the attack was carried out by the Freedonian military intelligence service",
         {"claimed_by": "ruritanian-investigators"}),
        ("fis-part-of-freedonia", "fis", "part_of", "freedonia", "asserted",
         "the Freedonian military intelligence service, the FIS", {}),
        ("kral-represents-freedonia", "boris-kral", "represents", "freedonia", "asserted",
         "The Freedonian foreign minister, Boris Kral", {"role": "foreign minister"}),
        ("kral-denies-blackout", "boris-kral", "denies", "blackout-attack", "reported",
         "Boris Kral, denied any involvement", {}),
        ("freedonia-denies-harbour-hack", "freedonia", "denies", "harbour-hack", "reported",
         "Freedonia also rejected claims that it was behind the Harbour hack", {}),
        ("union-sanctions-fis", "northern-union", "sanctions", "fis", "asserted", quote_union,
         {"about": "blackout-attack"}),
        ("union-sanctions-marek", "northern-union", "sanctions", "ivo-marek", "asserted",
         quote_union, {"about": "blackout-attack"}),
        ("marek-leads-fis", "ivo-marek", "leads", "fis", "asserted",
         "its chief, Colonel Ivo Marek", {"role": "chief"}),
        ("ruritania-sanctions-grey-fox", "ruritania", "sanctions", "grey-fox", "alleged",
         "Ruritania is reported to have frozen the assets of the Grey Fox group", {}),
    ]  # fmt: skip
    return {
        "source": {
            "id": "sanctions",
            "text": "article.txt",
            "title": "Sanctions over the Blackout attack",
            "url": "https://example.org/sanctions",
            "date": "2021-05-06",
        },
        "entities": [
            {"id": entity_id, "type": entity_type, "label": label}
            for entity_id, entity_type, label in (
                ("ruritania", "state", "Ruritania"),
                ("freedonia", "state", "Freedonia"),
                ("fis", "institution", "Freedonian military intelligence service"),
                ("boris-kral", "official", "Boris Kral"),
                ("ivo-marek", "official", "Ivo Marek"),
                ("northern-union", "institution", "Northern Union"),
                ("ruritanian-investigators", "institution", "Ruritanian investigators"),
                ("grey-fox", "group", "Grey Fox"),
                ("blackout-attack", "incident", "Blackout attack"),
                ("harbour-hack", "incident", "Harbour hack"),
            )
        ],
        "statements": [
            statement(statement_id, subject, relation, obj, quote, modality, **extra)
            for statement_id, subject, relation, obj, modality, quote, extra in statements
        ],
    }


ENTITY_REFERENCES = ("subject", "object", "about", "where", "claimed_by")


def tiny_variant(
    source_id: str,
    rename: dict[str, str] | None = None,
    entities: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``tiny_annotation`` as the source ``source_id``, for corpora of several sources.

    ``rename`` maps entity ids to new ones, in the entities and in every statement field
    that names an entity; ``entities`` maps (new) entity ids to fields to set on them,
    e.g. ``{"ruritania": {"same_as": ["rur"], "wikidata": "Q1"}}``.
    """
    rename = rename or {}
    annotation = tiny_annotation()
    annotation["source"]["id"] = source_id
    for entity in annotation["entities"]:
        entity["id"] = rename.get(entity["id"], entity["id"])
        entity.update((entities or {}).get(entity["id"], {}))
    for statement in annotation["statements"]:
        for key in ENTITY_REFERENCES:
            if key in statement:
                statement[key] = rename.get(statement[key], statement[key])
    return annotation


def write_source(
    data: Path,
    annotation: dict[str, Any] | None = None,
    text: str | bytes = TINY_TEXT,
    folder: str = "tiny",
    raw: str | bytes | None = None,
) -> Path:
    """Write an annotated source folder ``folder`` under ``data`` and return ``data``
    (what the ``make_source`` fixture does under ``tmp_path/data``): ``raw`` (bytes or
    text) is written as the annotation file instead of dumping ``annotation``, by
    default the tiny one."""
    source_dir = data / folder
    source_dir.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        (source_dir / "article.txt").write_bytes(text)
    else:
        (source_dir / "article.txt").write_text(text, encoding="utf-8")
    if raw is None:
        raw = yaml.safe_dump(annotation or tiny_annotation(), allow_unicode=True, sort_keys=False)
    target = source_dir / "annotation.yaml"
    if isinstance(raw, bytes):
        target.write_bytes(raw)
    else:
        target.write_text(raw, encoding="utf-8")
    return data


def three_tiny_sources(make_source: Callable[..., Path]) -> Path:
    """Write the tiny source and two variants of it (``second``, ``third``) with the
    ``make_source`` fixture; return the data folder."""
    make_source()
    make_source(tiny_variant("second"), folder="second")
    return make_source(tiny_variant("third"), folder="third")


def statement_graph(
    statements: list[tuple[str, str, str]], isolated: tuple[str, ...] = (), reverse: bool = False
) -> Any:
    """A NetworkX MultiDiGraph shaped like ``to_networkx`` output, built by hand.

    ``statements`` are ``(subject, relation, object)`` triples; ``isolated`` adds nodes
    without edges. Node ``type`` is ``position`` for ids starting with ``position-`` and
    ``state`` otherwise. ``reverse`` adds nodes and edges in the opposite order.
    """
    import networkx as nx

    nodes = sorted({n for s, _, o in statements for n in (s, o)} | set(isolated))
    edges = list(enumerate(statements))
    if reverse:
        nodes.reverse()
        edges.reverse()
    graph = nx.MultiDiGraph()
    for node in nodes:
        entity_type = "position" if node.startswith("position-") else "state"
        graph.add_node(node, label=node.replace("-", " ").title(), type=entity_type)
    for number, (subject, relation, obj) in edges:
        graph.add_edge(subject, obj, key=f"s{number}", relation=relation)
    return graph


HOSTILE_SCRIPT = "var headline = 'Russia blamed everyone'; document.write('<p>' + headline);"
"""Words in a page's script that must never reach a draft."""


def html_page(body: str, title: str = "Talks in Geneva split over a treaty") -> str:
    """``body`` (paragraphs separated by blank lines) as a saved web page: entities for
    its quotation marks, apostrophes and ampersands, a title, a script and a style, a
    navigation bar, an aside, a form and a footer around the article."""
    from html import escape

    paragraphs = "\n".join(
        f"<p>{escape(p, quote=True).replace(chr(0x2019), '&rsquo;')}</p>"
        for p in body.split("\n\n")
        if p.strip()
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>p {{ margin: 0 }}</style>\n"
        f"<script>{HOSTILE_SCRIPT}</script></head>\n<body>\n"
        '<header><nav><a href="/">Home</a> | <a href="/world">World &amp; Politics</a>'
        "</nav></header>\n<main><article>\n"
        f"<h1>{escape(title)}</h1>\n{paragraphs}\n</article></main>\n"
        "<aside><h2>Most read</h2><ul><li>Russia blamed for outage</li></ul></aside>\n"
        '<form action="/search"><input name="q"><button>Search</button></form>\n'
        "<footer>&copy; 2023 Example News. All rights reserved.</footer>\n"
        f"<script>{HOSTILE_SCRIPT}</script>\n</body></html>\n"
    )


LABEL_QUERY = "SELECT ?label WHERE { <http://x/build> <http://x/label> ?label }"
"""What ``labelled_store`` answers: the label it was made with."""


def labelled_store(path: Path, label: str, size: int = 2000) -> Path:
    """An Oxigraph store at ``path`` of ``size`` triples, and one that names it ``label``.

    Three unconstrained patterns over 2,000 triples are 8e9 solutions: a query that runs
    until its time limit.
    """
    import pyoxigraph

    store = pyoxigraph.Store(str(path))
    node = pyoxigraph.NamedNode
    store.extend(
        pyoxigraph.Quad(node(f"http://x/{n}"), node("http://x/p"), pyoxigraph.Literal(n))
        for n in range(size)
    )
    label_quad = (node("http://x/build"), node("http://x/label"), pyoxigraph.Literal(label))
    store.add(pyoxigraph.Quad(*label_quad))
    store.flush()
    del store  # closes the database
    return path


DEEP_QUERIES = {
    "3,000 braces": ("SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, "deeper than 128"),
    "100,000 parentheses": (
        "ASK { FILTER(" + "(" * 100_000 + "1" + ")" * 100_000 + ") }",
        "deeper than 128",
    ),
    "30,000 unions": (
        "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * 30_000) + " }",
        "50,000 tokens",
    ),
}
"""Queries that ended the engine with signal 11, and the limit named when each is refused."""


def synthetic_annotation(source_id: str, statements: int) -> tuple[dict[str, Any], str]:
    """An annotation of ``statements`` statements and its text, with ids of every shape the
    graph's IRIs take (digits first, hyphens, one letter) and entities that other sources
    of the ``synthetic_dataset`` fixture share."""
    actors = [
        entity(f"actor-{n}", f"Actor {n}", ("state", "official", "group")[n % 3]) for n in range(7)
    ]
    actors += [entity("2017-talks", "The 2017 talks", "event"), entity("x", "X", "institution")]
    positions = [entity(f"position-{n}", f"Position ({n})", "position") for n in range(3)]
    sentences, coded = [], []
    for n in range(statements):
        subject = actors[n % len(actors)]["id"]
        if n % 3 == 0:
            relation, obj = "supports_position", positions[n % 3]["id"]
        elif n % 3 == 1:
            relation, obj = "opposes_position", positions[(n + 1) % 3]["id"]
        else:
            relation, obj = "blames", actors[(n + 2) % len(actors)]["id"]
        sentence = f"In {source_id}, sentence {n} says {subject} {relation} {obj}."
        sentences.append(sentence)
        ids = (f"s{n}", f"{n}-{source_id}", f"{source_id}-statement-{n}")
        extra = {"note": f"note ({n}) 100%"} if n % 5 == 0 else {}
        coded.append(
            statement(ids[n % 3], subject, relation, obj, sentence, when="2017-08", **extra)
        )
    annotation = {
        "source": {
            "id": source_id,
            "text": "article.txt",
            "title": f"Synthetic {source_id}",
            "url": f"https://example.org/{source_id}",
            "date": "2020-01-02",
        },
        "entities": actors + positions,
        "statements": coded,
    }
    return annotation, "\n".join(sentences) + "\n"


def waits_then_marks(marker: Path, pid_file: Path | None = None) -> Callable[[], str]:
    """A piece of work that waits up to a minute (for nothing), then leaves ``marker``: a
    piece that is stopped in time leaves none. With ``pid_file``, it first writes there
    the id of the process that runs it."""

    def piece() -> str:
        import os
        import select

        if pid_file is not None:
            pid_file.write_text(str(os.getpid()))
        reading, _ = os.pipe()
        select.select([reading], [], [], 60)
        marker.write_text("finished")
        return "late"

    return piece


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie has), as Linux's
    ``/proc`` says."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def counted_calls(monkeypatch: Any, owner: object, name: str) -> list[int]:
    """Count the calls of ``owner.name`` in this process (a one for each), through
    ``monkeypatch``: the list the calls are counted in."""
    calls: list[int] = []
    function = getattr(owner, name)

    def counted(*arguments: Any, **options: Any) -> Any:
        calls.append(1)
        return function(*arguments, **options)

    monkeypatch.setattr(owner, name, counted)
    return calls


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Look at ``condition`` every hundredth of a second until it holds; after 30 s,
    fail saying ``what`` never happened."""
    import threading

    for _ in range(3000):
        if condition():
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"never: {what}")


def watched_run_all(monkeypatch: Any, module: Any) -> list[list[Any]]:
    """Have ``module.run_all`` keep each list of work it is given, then run it as
    ``graph.forked.run_all`` does; returns the lists, in the order they were given."""
    from graph import forked

    handed: list[list[Any]] = []

    def watching(work: Any, *arguments: Any, **options: Any) -> Any:
        handed.append(list(work))
        return forked.run_all(work, *arguments, **options)

    monkeypatch.setattr(module, "run_all", watching)
    return handed


def assert_same_network(made: Any, expected: Any) -> None:
    """``made`` has the nodes and edges of ``expected`` in the same order, each with the
    same attributes in the same order and of the same types (a bool is no int)."""

    def described(network: Any) -> tuple[list[Any], list[Any]]:
        nodes = [(n, [(k, type(v), v) for k, v in d.items()]) for n, d in network.nodes(data=True)]
        edges = [
            (u, v, key, [(k, type(x), x) for k, x in d.items()])
            for u, v, key, d in network.edges(keys=True, data=True)
        ]
        return nodes, edges

    made_nodes, made_edges = described(made)
    nodes, edges = described(expected)
    assert made_nodes == nodes
    assert made_edges == edges


def edit_annotation(data: Path, folder: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to the annotation of the source folder ``folder`` under ``data``
    (its YAML document, changed in place) and write it back."""
    annotation = data / folder / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    change(document)
    annotation.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def read_only(network: Any, relations: Collection[str]) -> Any:
    """A copy of the statement network ``network`` with the statements of ``relations``
    alone, and of its nodes' attributes the ``NODE_FIELDS`` alone: what a network made of
    those relations' statements reads (``graph.networks.discourse.relations_read``)."""
    import networkx as nx

    from graph.networks.discourse import NODE_FIELDS

    reduced = nx.MultiDiGraph()
    for node, data in network.nodes(data=True):
        reduced.add_node(node, **{field: data[field] for field in NODE_FIELDS if field in data})
    for u, v, key, data in network.edges(keys=True, data=True):
        if data["relation"] in relations:
            reduced.add_edge(u, v, key=key, **data)
    return reduced


def graphs_dataset(graphs: Mapping[str, list[tuple[Any, Any, Any]]]) -> Any:
    """A dataset held as a build holds it (``TripleSets``, the project's prefixes), one
    named graph (``SRC[name]``) for each of ``graphs``, added in the order of their
    names as a build adds its sources' graphs: where a subject has two values of a key
    in JSON-LD and the first is false (``""``, ``0``), the union's order says which
    stays."""
    from rdflib import Dataset

    from graph.namespaces import SRC, bind_prefixes
    from graph.triplesets import TripleSets

    dataset = Dataset(store=TripleSets())
    bind_prefixes(dataset)
    for name, triples in sorted(graphs.items()):
        graph = dataset.graph(SRC[name])
        for triple in triples:
            graph.add(triple)
    return dataset


def kept_texts_graphs() -> dict[str, list[tuple[Any, Any, Any]]]:
    """Three small graphs for the texts a build keeps: an entity that two describe, a
    statement whose quote spans lines, a literal with a language (not a plain node in
    JSON-LD)."""
    from rdflib import Literal
    from rdflib.namespace import RDF, RDFS

    from graph.namespaces import APG, ENT

    return {
        "a": [
            (ENT.ruritania, RDF.type, APG.State),
            (ENT.ruritania, RDFS.label, Literal("Ruritania")),
            (APG["s1"], APG.blames, ENT.freedonia),
            # a literal across lines, one of them indented as TriG indents a subject's lines
            (APG["s1"], APG.quote, Literal('said:\n    "no" ""\nthen left"')),
        ],
        "b": [
            (ENT.freedonia, RDF.type, APG.State),
            (ENT.ruritania, RDFS.label, Literal("Ruritania")),  # described by a and b
            (APG["s2"], APG.blames, ENT.ruritania),
        ],
        "c": [(APG["s3"], APG.quote, Literal("a quote", lang="en"))],
    }


def damage_kept(folder: Path, damage: str, document: Path, index: Path) -> None:
    """Damage what a splice reads in ``folder``: ``document`` (the document before) edited,
    or replaced by a symbolic link to the same bytes ("link"); ``index`` edited or
    removed ("gone")."""
    if damage == "document":
        document.write_bytes(document.read_bytes().replace(b"Ruritania", b"Rurit\xc3\xa0nia"))
    elif damage == "index":
        data = bytearray(index.read_bytes())
        data[-3] ^= 1
        index.write_bytes(bytes(data))
    elif damage == "gone":
        index.unlink()
    else:
        moved = folder / f"elsewhere{document.suffix}"
        document.rename(moved)
        document.symlink_to(moved)


def splice_corpora() -> Any:
    """Random datasets of a few graphs (as ``graphs_dataset`` takes them) for the
    property tests of the splices: a few subjects, predicates and objects, among them
    values that are false (JSON-LD keeps the next), a literal across lines, a literal
    with a language, and a blank node (the documents are then written as before)."""
    from hypothesis import strategies as st
    from rdflib import BNode, Literal
    from rdflib.namespace import RDF, RDFS, XSD

    from graph.namespaces import APG, ENT

    subjects = [ENT.ruritania, ENT.freedonia, APG["s1"], APG["s2"], APG["s3"]]
    predicates = [RDF.type, RDFS.label, APG.blames, APG.confidence, APG.quote]
    objects = [
        *subjects,
        APG.State,
        Literal("one"),
        Literal(""),
        Literal(0),
        Literal(3),
        Literal("two", lang="en"),
        Literal('across\n    lines "'),
        Literal("2017-08-23", datatype=XSD.date),
        BNode("b1"),
    ]
    triples = st.lists(
        st.tuples(st.sampled_from(subjects), st.sampled_from(predicates), st.sampled_from(objects)),
        max_size=8,
    )
    return st.dictionaries(st.sampled_from("abcde"), triples, min_size=1, max_size=5)


def check_splices(before: Any, after: Any, first: Any, spliced: Any, in_full: Any) -> None:
    """Write ``before`` in full (``first(folder, graphs)``, which keeps what a splice
    reads), then splice ``before`` with ``after``'s graphs changed or added, then
    ``after`` alone (the rest gone): each splice (``spliced``, None where it is not
    made) gives the bytes of a write in full (``in_full``)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        first(folder, before)
        for graphs in ({**before, **after}, after):
            made = spliced(folder, graphs)
            if made is None:
                first(folder, graphs)
            else:
                assert made == in_full(graphs)
