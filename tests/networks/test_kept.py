"""The network files and the page's drawing of the build before, taken where their network
did not change: the same bytes as a build into a new folder, and no network made twice."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import networkx as nx
import pytest

import graph
from graph import forked, pipeline
from graph.annotations import load_corpus
from graph.buildcache import cache_folder
from graph.networks import exchange, kept as keptfiles
from graph.networks.exchange import each_network
from graph.networks.kept import KeptFiles, ReadDigests, keep_records, network_digest
from graph.networks.projection import corpus_digest
from graph.output import CURRENT_LINK, IDENTITIES
from graph.sparql.store import STORE_DIR
from tests.factories import edit_annotation, three_tiny_sources

STEMS = [stem for stem, _ in each_network(nx.MultiDiGraph())]


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The stems of the networks whose files were made (not taken), in this process."""
    monkeypatch.setattr(forked, "_can_fork", lambda: False)
    stems: list[str] = []

    def counted(original):
        def counting(stem, network):
            stems.append(stem)
            return original(stem, network)

        return counting

    # the files of a projection are written whole, the statement network's spliced
    monkeypatch.setattr(keptfiles, "each_file_of", counted(keptfiles.each_file_of))
    monkeypatch.setattr(keptfiles, "each_document_of", counted(keptfiles.each_document_of))
    return stems


@pytest.fixture
def projected(monkeypatch) -> list[str]:
    """The stems of the projections made (to write their files, or to compare them)."""
    stems: list[str] = []
    for name, project in exchange.NETWORKS.items():

        def counting(network, level, *arguments, _name=name, _project=project, **options):
            stems.append(f"networks/{level}/{_name}")
            return _project(network, level, *arguments, **options)

        monkeypatch.setitem(exchange.NETWORKS, name, counting)
    return stems


@pytest.fixture
def drawn(monkeypatch) -> list[str]:
    """What the page worked out afresh: its signed network, its camps, its layout."""
    calls: list[str] = []
    signed, camps, layout = (
        pipeline.signed_network,
        pipeline.signed_camp_members,
        pipeline.layout_positions,
    )

    def counted_signed(*arguments, **options):
        calls.append("signed")
        return signed(*arguments, **options)

    def counted_camps(*arguments, **options):
        calls.append("camps")
        return camps(*arguments, **options)

    def counted_layout(*arguments, **options):
        calls.append("layout")
        return layout(*arguments, **options)

    monkeypatch.setattr(pipeline, "signed_network", counted_signed)
    monkeypatch.setattr(pipeline, "signed_camp_members", counted_camps)
    monkeypatch.setattr(pipeline, "layout_positions", counted_layout)
    return calls


def _retitle(document) -> None:
    document["source"]["title"] = "Second, revised"


def _new_role(document) -> None:
    (represents,) = (s for s in document["statements"] if s["relation"] == "represents")
    represents["role"] = "ambassador"


def _alleged_blame(document) -> None:
    (blames,) = (s for s in document["statements"] if s["relation"] == "blames")
    blames["modality"] = "alleged"


def _opposed(document) -> None:
    (supports,) = (s for s in document["statements"] if s["relation"] == "supports_position")
    supports["relation"] = "opposes_position"


def _supports_instead(document) -> None:
    (blames,) = (s for s in document["statements"] if s["relation"] == "blames")
    blames.update(relation="supports_position", object="self-defence")


def _blames_another(document) -> None:
    (blames,) = (s for s in document["statements"] if s["relation"] == "blames")
    blames.update(subject="freedonia", object="anna-vogel")


def _built(out: Path) -> Path:
    return (out / CURRENT_LINK).resolve()


def _files(out: Path) -> dict[str, bytes]:
    folder = _built(out)
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
        and STORE_DIR not in path.relative_to(folder).parts
        and path.name != IDENTITIES  # what the file system says of each file
    }


def _network_inodes(out: Path) -> dict[str, int]:
    folder = _built(out)
    return {
        str(path.relative_to(folder)): path.stat().st_ino
        for path in sorted((folder / "networks").rglob("*"))
        if path.is_file()
    }


def _same_as_a_new_build(data: Path, out: Path, tmp_path: Path) -> None:
    graph.build(data, tmp_path / "fresh", cache=False)
    assert _files(out) == _files(tmp_path / "fresh")


def test_a_rebuild_that_left_the_network_as_it_was_takes_every_file_and_the_drawing(
    make_source, tmp_path, made, drawn
):
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    assert made == STEMS and drawn == ["signed", "camps", "layout"]
    before = _network_inodes(out)
    made.clear(), drawn.clear()
    edit_annotation(data, "second", _retitle)
    graph.build(data, out)
    assert made == [] and drawn == []
    # the files of the build before, not copies
    assert _network_inodes(out) == before and len(before) == 52
    assert "Second, revised" in _files(out)["graph.html"].decode()
    _same_as_a_new_build(data, out, tmp_path)


_STANCES = ["affiliation", "congruence", "conflict"]


def _stems(level: str, *names: str) -> list[str]:
    return [f"networks/{level}/{name}" for name in names]


@pytest.mark.parametrize(
    ("change", "remade", "networks", "redrawn"),
    [
        # the roles of the envoy's represents statement: read at the level of states only
        # (who speaks for whom), and by no projection's edges: only the statement
        # network's files change; no stance, no pair of nodes: camps and layout taken
        (_new_role, _stems("state", *exchange.NETWORKS), ["networks/statements"], []),
        # blame ties weigh hedged claims apart; no other projection reads a blame
        (
            _alleged_blame,
            ["networks/actor/blame", "networks/state/blame"],
            ["networks/statements", "networks/actor/blame", "networks/state/blame"],
            [],
        ),
        # a stance turned, by the one actor who takes sides: the stance networks made
        # again, and the signed network; no tie between actors changes
        (
            _opposed,
            _stems("actor", *_STANCES) + _stems("state", *_STANCES),
            ["networks/statements", "networks/actor/affiliation", "networks/state/affiliation"],
            ["signed"],
        ),
        # a blame of another: a new pair of nodes to lay out, no stance
        (
            _blames_another,
            ["networks/actor/blame", "networks/state/blame"],
            ["networks/statements", "networks/actor/blame", "networks/state/blame"],
            ["layout"],
        ),
        # a second actor takes a side (the envoy's state, which rolls her up): ties
        # between actors, so the camps, and a new pair to lay out
        (
            _supports_instead,
            _stems("actor", *_STANCES, "blame") + _stems("state", *_STANCES, "blame"),
            [
                "networks/statements",
                "networks/actor/affiliation",
                "networks/actor/congruence",
                "networks/actor/conflict",
                "networks/actor/blame",
                "networks/state/affiliation",
                "networks/state/blame",
            ],
            ["signed", "camps", "layout"],
        ),
    ],
)
def test_a_changed_statement_writes_the_networks_it_changed_and_takes_the_others(
    make_source, tmp_path, made, projected, drawn, change, remade, networks, redrawn
):
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    before = _network_inodes(out)
    made.clear(), projected.clear(), drawn.clear()
    edit_annotation(data, "second", change)
    graph.build(data, out)
    # the projections that read a statement or a node that changed are made again
    assert projected == remade
    # and the files of those that changed are written
    written = {name for name, inode in _network_inodes(out).items() if before.get(name) != inode}
    assert sorted({name.rsplit(".", 1)[0] for name in written}) == sorted(networks)
    assert made == networks
    assert drawn == redrawn
    _same_as_a_new_build(data, out, tmp_path)


def test_what_a_rebuild_took_is_kept_for_the_next(make_source, tmp_path, made, projected, drawn):
    """A rebuild that took every network file and the whole drawing by the statement
    network keeps what they read (the statements of their relations; the stances, the
    pairs of nodes): a later edit that changes none of that takes them still, and makes
    only the projections it reaches."""
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    edit_annotation(data, "second", _retitle)
    projected.clear()
    graph.build(data, out)
    assert projected == []
    made.clear(), drawn.clear()
    edit_annotation(data, "second", _alleged_blame)
    graph.build(data, out)
    assert projected == ["networks/actor/blame", "networks/state/blame"]
    assert drawn == [] and made == [
        "networks/statements",
        "networks/actor/blame",
        "networks/state/blame",
    ]
    _same_as_a_new_build(data, out, tmp_path)


def test_a_file_of_the_build_before_that_was_changed_is_written_again(make_source, tmp_path, made):
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    edited = _built(out) / "networks" / "actor" / "blame.csv"
    os.chmod(edited, 0o644)
    edited.write_bytes(edited.read_bytes().replace(b"ruritania", b"ruritanix"))
    made.clear()
    edit_annotation(data, "second", _retitle)
    graph.build(data, out)
    assert made == ["networks/actor/blame"]
    _same_as_a_new_build(data, out, tmp_path)


def test_damaged_entries_are_read_as_missing(make_source, tmp_path, made, drawn):
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    entries = sorted(cache_folder(out, "files").glob("*.json"))
    # three keys a projection (what it is made of, what it reads, its own digest), two
    # the statement network, and the elements of its files and of the two blame
    # networks'; the drawing, the camps (by stances and by ties), the layout, the page
    # (by its key and by its frame's)
    assert len(entries) == 3 * (len(STEMS) - 1) + 2 + 3 + 6
    for entry in entries:
        document = json.loads(entry.read_text(encoding="utf-8"))
        document["content"] = {"network": "0" * 64}  # the entry's own digest no longer fits
        entry.write_text(json.dumps(document), encoding="utf-8")
    made.clear(), drawn.clear()
    edit_annotation(data, "second", _retitle)
    graph.build(data, out)
    assert made == STEMS and drawn == ["signed", "camps", "layout"]
    _same_as_a_new_build(data, out, tmp_path)


def test_a_build_without_the_cache_keeps_nothing(make_source, tmp_path, made):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", cache=False)
    assert not cache_folder(tmp_path / "out", "files").exists()


def test_the_files_known_by_the_records_are_taken_without_making_the_statement_network(
    make_source, tmp_path
):
    """A retitle leaves every record the statement network reads as it was: its
    files and its projections' are taken by ``corpus_digest`` alone."""
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    edit_annotation(data, "second", _retitle)

    def unmade():
        raise AssertionError("the statement network was made")

    staging = tmp_path / "staging"
    staging.mkdir()
    kept = KeptFiles(cache_folder(out, "files"), _built(out), staging)
    records = corpus_digest(load_corpus(data))
    names = [name for name, _ in kept.each_file(unmade, unmade, records)]
    assert len(names) == 4 * len(STEMS)
    # an edited statement is another record: the network is asked for
    edit_annotation(data, "second", _alleged_blame)
    kept = KeptFiles(cache_folder(out, "files"), _built(out), staging)
    with pytest.raises(AssertionError, match="the statement network was made"):
        next(kept.each_file(unmade, unmade, corpus_digest(load_corpus(data))))


def test_an_entry_that_lists_other_files_is_not_taken(make_source, tmp_path):
    """An entry naming a file of another network (or of the build: ``graph.ttl``) is
    not taken for this one, whatever the files' bytes."""
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    statements = nx.MultiDiGraph([("a", "b", "k")])
    digest = network_digest(statements)
    assert digest is not None
    ttl = _built(out) / "graph.ttl"
    listed = {"graph.ttl": [ttl.stat().st_size, hashlib.sha256(ttl.read_bytes()).hexdigest()]}
    key = keptfiles._key("made of", "networks/statements", digest)
    staging = tmp_path / "staging"
    staging.mkdir()
    keep_records(cache_folder(out, "files"), {key: {"network": digest, "files": listed}})
    kept = KeptFiles(cache_folder(out, "files"), _built(out), staging)
    each = kept.each_file(lambda: statements, lambda: digest, digest, ["statements"])
    names = [name for name, _ in each]
    assert names == [f"networks/statements.{kind}" for kind in ("graphml", "gexf", "json", "csv")]


# --- the digest of a network ------------------------------------------------------------


def test_network_digest_follows_every_part_of_a_network():
    network = nx.MultiDiGraph()
    network.add_node("a", label="A")
    network.add_edge("a", "b", key="s1", relation="blames", weight=1)
    digest = network_digest(network)
    same = nx.MultiDiGraph()
    same.add_node("a", label="A")
    same.add_edge("a", "b", key="s1", relation="blames", weight=1)
    assert network_digest(same) == digest
    changes = []
    for change in (
        lambda n: n.nodes["a"].update(label="B"),
        lambda n: n.edges["a", "b", "s1"].update(weight=1.0),  # a float is not an int
        lambda n: n.edges["a", "b", "s1"].update(weight=True),  # nor a boolean
        lambda n: n.add_node("c"),
        lambda n: n.add_edge("a", "b", key="s2"),
    ):
        changed = network.copy()
        change(changed)
        changes.append(network_digest(changed))
    assert digest not in changes and len(set(changes)) == len(changes)
    reordered = nx.MultiDiGraph()
    reordered.add_node("b")
    reordered.add_node("a", label="A")
    reordered.add_edge("a", "b", key="s1", relation="blames", weight=1)
    assert network_digest(reordered) != digest  # the files list the nodes in order
    assert network_digest(nx.Graph(network)) != digest


def test_a_network_holding_what_does_not_pickle_has_no_digest():
    network = nx.Graph()
    network.add_node("a", made_by=lambda: None)
    assert network_digest(network) is None
    network = nx.Graph(name=lambda: None)  # nor one whose attributes JSON cannot write
    assert network_digest(network) is None


def test_read_digests_follow_the_statements_of_the_relations_read_and_the_nodes():
    network = nx.MultiDiGraph()
    network.add_node("a", label="A", type="state", description="one")
    network.add_node("b", label="B", type="state")
    network.add_edge("a", "b", key="s1", relation="blames", modality="asserted")
    network.add_edge("b", "a", key="s2", relation="represents")
    digest = ReadDigests(network).of({"blames"})
    assert digest is not None and len(digest) == 64
    assert ReadDigests(network).of({"blames", "represents"}) != digest

    def after(change) -> str | None:
        changed = network.copy()
        change(changed)
        return ReadDigests(changed).of({"blames"})

    # what a blame network does not read
    assert after(lambda n: n.edges["b", "a", "s2"].update(role="envoy")) == digest
    assert after(lambda n: n.nodes["a"].update(description="another")) == digest
    assert after(lambda n: n.add_edge("a", "b", key="s3", relation="represents")) == digest
    # what it reads
    changes = [
        after(lambda n: n.edges["a", "b", "s1"].update(modality="alleged")),
        after(lambda n: n.nodes["a"].update(label="Another")),
        after(lambda n: n.nodes["b"].update(type="group")),
        after(lambda n: n.add_edge("b", "a", key="s3", relation="blames")),
        after(lambda n: n.add_node("c")),
    ]
    assert digest not in changes and len(set(changes)) == len(changes)
    # no statement of a relation is not the same as no relation asked for
    assert ReadDigests(network).of({"sanctions"}) != ReadDigests(network).of(set())


def test_a_read_digest_of_what_does_not_pickle_is_none():
    network = nx.MultiDiGraph()
    network.add_edge("a", "b", key="s1", relation="blames", when=lambda: None)
    assert ReadDigests(network).of({"blames"}) is None
    assert ReadDigests(network).of({"sanctions"}) is not None


@pytest.fixture
def spliced(monkeypatch) -> list[tuple[str, bool]]:
    """For each file of a network written (not taken): its stem, and whether it was made
    from the file of the build before (see ``graph.networks.documents.splice``)."""
    monkeypatch.setattr(forked, "_can_fork", lambda: False)
    found: list[tuple[str, bool]] = []
    stem = []
    written, original = KeptFiles._written, keptfiles.splice

    def writing(self, name, network, digests):
        stem[:] = [name]
        return written(self, name, network, digests)

    def splicing(document, digests, before):
        made = original(document, digests, before)
        found.append((stem[0], made is not None))
        return made

    monkeypatch.setattr(KeptFiles, "_written", writing)
    monkeypatch.setattr(keptfiles, "splice", splicing)
    return found


def test_a_hedged_statement_makes_the_statement_network_s_files_from_those_before(
    make_source, tmp_path, spliced
):
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    assert spliced == []  # a first build has no file before
    edit_annotation(data, "second", _retitle)
    graph.build(data, out)  # takes every network's files, and keeps their elements
    edit_annotation(data, "second", _alleged_blame)
    graph.build(data, out)
    assert [made for stem, made in spliced if stem == "networks/statements"] == [True] * 4
    # a blame hedged changes the blame networks: theirs too (the others are taken)
    blame = ["networks/actor/blame", "networks/state/blame"]
    assert sorted({stem for stem, _ in spliced}) == sorted(["networks/statements", *blame])
    assert all(made for stem, made in spliced)
    _same_as_a_new_build(data, out, tmp_path)


def test_a_statement_network_file_edited_since_is_written_whole(make_source, tmp_path, spliced):
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    edited = _built(out) / "networks" / "statements.graphml"
    os.chmod(edited, 0o644)
    edited.write_bytes(edited.read_bytes().replace(b"ruritania", b"ruritanix"))
    edit_annotation(data, "second", _alleged_blame)
    graph.build(data, out)
    statements = [made for stem, made in spliced if stem == "networks/statements"]
    assert statements == [True] * 3  # GEXF, JSON and CSV: the GraphML before was not taken
    _same_as_a_new_build(data, out, tmp_path)
