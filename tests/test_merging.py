"""Three sources built into one graph: the seed and the two fixture articles.

The fixtures (tests/fixtures/README.md, "Merging across sources") share entities with the
seed and with each other under the same id, under another id with the same Wikidata id,
or through ``same_as``; two people share a surname and must stay apart.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Literal

from graph import (
    AnnotationError,
    build,
    load_corpus,
    source_iri,
    statement_iri,
    to_networkx,
    validate_graph,
)
from graph.cli import main
from graph.merging import Ambiguity, LabelConflict, UnknownSameAs
from graph.namespaces import ENT, OWL, PROV, RDF, RDFS, SKOS, WD
from tests.factories import REPO, SEED_DIR, SEED_ID, WORKDIR, tiny_variant

FIXTURES = REPO / "tests" / "fixtures" / "sources"
TALLINN = "tallinn-port-attack-2021"
GENEVA = "un-oewg-geneva-session-2023"
SCHMITT_WARNING = (
    f"the name 'Schmitt' could be mike-schmitt ({SEED_ID}) or anke-schmitt ({GENEVA}); "
    "they are kept apart; add same_as if they are one"
)
FCDO_WARNING = (
    f"{GENEVA}: entity 'fcdo' is same_as 'uk-foreign-office', which no loaded source "
    "declares; kept as it is"
)


def _copy_sources(data: Path, folders: dict[str, Path] | None = None) -> Path:
    """Copy the seed and both fixtures into ``data``, each in a folder named by its id."""
    folders = folders or {
        SEED_ID: SEED_DIR,
        TALLINN: FIXTURES / TALLINN,
        GENEVA: FIXTURES / GENEVA,
    }
    for name, source in folders.items():
        shutil.copytree(source, data / name)
    return data


@pytest.fixture(scope="module")
def three_data(tmp_path_factory) -> Path:
    """A data folder with the seed and both fixtures."""
    return _copy_sources(tmp_path_factory.mktemp("three") / "data")


@pytest.fixture(scope="module")
def three(three_data):
    """``graph.build`` of the seed and both fixtures."""
    return build(three_data, three_data.parent / "out")


@pytest.fixture(scope="module")
def three_network(three):
    return to_networkx(three.graph)


def _sources_of_statements(graph, entity: str) -> set[str]:
    """The source ids of the statements whose subject or object is ``entity``."""
    found = set()
    for end in (RDF.subject, RDF.object):
        for statement in graph.subjects(end, ENT[entity]):
            source = graph.value(statement, PROV.wasDerivedFrom)
            found.add(str(source).removeprefix(str(source_iri(""))))
    return found


def _iri_mentions(graph, entity: str) -> int:
    node = ENT[entity]
    return sum(1 for triple in graph if node in triple)


def test_the_three_sources_build_and_conform(three):
    assert [source.id for source in three.corpus.sources] == [TALLINN, SEED_ID, GENEVA]
    assert three.report.conforms
    assert validate_graph(three.graph).conforms
    assert (len(three.corpus.entities), len(three.corpus.statements)) == (125, 222)


def test_kadri_saar_is_one_node_with_statements_from_both_fixtures(three, three_network):
    graph = three.graph
    saar = ENT["kadri-saar"]
    assert list(graph.objects(saar, RDFS.label)) == [Literal("Kadri Saar")]
    assert set(graph.objects(saar, PROV.wasDerivedFrom)) == {
        source_iri(TALLINN),
        source_iri(GENEVA),
    }
    assert three.corpus.entities["kadri-saar"].merged_ids == ()
    # one statement in Tallinn, one in Geneva, both about the same node
    tallinn = statement_iri(TALLINN, "saar-represents-estonia")
    geneva = statement_iri(GENEVA, "saar-represents-estonia-in-geneva")
    for statement, source in ((tallinn, TALLINN), (geneva, GENEVA)):
        assert graph.value(statement, RDF.subject) == saar
        assert graph.value(statement, RDF.object) == ENT.estonia
        assert graph.value(statement, PROV.wasDerivedFrom) == source_iri(source)
    assert _sources_of_statements(graph, "kadri-saar") == {TALLINN, GENEVA}

    labelled = [n for n, label in three_network.nodes(data="label") if label == "Kadri Saar"]
    assert labelled == ["kadri-saar"]
    edges = list(three_network.out_edges("kadri-saar", data=True))
    by_source: dict[str, int] = {}
    for _, _, edge in edges:
        by_source[edge["source"]] = by_source.get(edge["source"], 0) + 1
    assert by_source == {str(source_iri(TALLINN)): 7, str(source_iri(GENEVA)): 5}
    represents = {
        edge["source"]
        for _, target, edge in edges
        if edge["relation"] == "represents" and target == "estonia"
    }
    assert represents == {str(source_iri(TALLINN)), str(source_iri(GENEVA))}


def test_russia_is_one_node_with_statements_from_all_three_sources(three, three_network):
    graph, corpus = three.graph, three.corpus
    russia = corpus.entities["russia"]
    assert (russia.label, russia.merged_ids) == ("Russia", ("russian-federation",))
    assert russia.sources == (TALLINN, SEED_ID, GENEVA)
    assert corpus.canonical("russian-federation") == "russia"
    assert _iri_mentions(graph, "russian-federation") == 0
    assert list(graph.objects(ENT.russia, RDFS.label)) == [Literal("Russia")]
    assert Literal("Russian Federation") in set(graph.objects(ENT.russia, SKOS.altLabel))
    assert list(graph.objects(ENT.russia, OWL.sameAs)) == [WD.Q159]
    # Geneva's statements about "russian-federation" name the one node
    for statement_id, end in (
        ("belov-represents-russia", RDF.object),
        ("schmitt-accuses-russia", RDF.object),
        ("russia-supports-directory", RDF.subject),
    ):
        node = statement_iri(GENEVA, statement_id)
        assert graph.value(node, end) == ENT.russia
        assert graph.value(node, PROV.wasDerivedFrom) == source_iri(GENEVA)
    assert graph.value(statement_iri(SEED_ID, "khramov-represents-russia"), RDF.object) == (
        ENT.russia
    )
    assert graph.value(statement_iri(TALLINN, "estonia-blames-russia"), RDF.object) == (ENT.russia)
    assert _sources_of_statements(graph, "russia") == {TALLINN, SEED_ID, GENEVA}

    assert "russian-federation" not in three_network
    sources = {
        edge["source"]
        for _, _, edge in three_network.in_edges("russia", data=True)
        if edge["relation"] == "blames"
    }
    assert sources == {str(source_iri(s)) for s in (TALLINN, SEED_ID, GENEVA)}


def test_fcdo_merges_into_the_uk_foreign_office_and_keeps_its_source(three, three_network):
    graph, corpus = three.graph, three.corpus
    office = corpus.entities["uk-foreign-office"]
    assert office.label == "UK Foreign Office"
    assert office.merged_ids == ("fcdo",)
    assert {"Foreign, Commonwealth and Development Office", "FCDO"} <= set(office.aliases)
    assert corpus.canonical("fcdo") == "uk-foreign-office"
    assert corpus.unknown_same_as == ()
    assert _iri_mentions(graph, "fcdo") == 0
    assert list(graph.objects(ENT["uk-foreign-office"], RDFS.label)) == [
        Literal("UK Foreign Office")
    ]
    fcdo_statement = statement_iri(GENEVA, "fcdo-represents-uk")
    assert graph.value(fcdo_statement, RDF.subject) == ENT["uk-foreign-office"]
    assert graph.value(fcdo_statement, RDF.object) == ENT["united-kingdom"]
    assert graph.value(fcdo_statement, PROV.wasDerivedFrom) == source_iri(GENEVA)
    seed_statement = statement_iri(SEED_ID, "uk-foreign-office-represents-uk")
    assert graph.value(seed_statement, PROV.wasDerivedFrom) == source_iri(SEED_ID)
    assert _sources_of_statements(graph, "uk-foreign-office") == {SEED_ID, GENEVA}

    assert "fcdo" not in three_network
    geneva = sorted(
        (edge["relation"], target)
        for _, target, edge in three_network.out_edges("uk-foreign-office", data=True)
        if edge["source"] == str(source_iri(GENEVA))
    )
    assert geneva == [
        ("blames", "russia"),
        ("represents", "united-kingdom"),
        ("supports_position", "no-territory-for-cyber-attacks"),
        ("supports_position", "un-programme-of-action"),
    ]


def test_two_people_called_schmitt_stay_two_nodes(three, three_network):
    graph, corpus = three.graph, three.corpus
    assert corpus.entities["mike-schmitt"].label == "Mike Schmitt"
    assert corpus.entities["anke-schmitt"].label == "Anke Schmitt"
    assert corpus.entities["mike-schmitt"].sources == (SEED_ID,)
    assert corpus.entities["anke-schmitt"].sources == (GENEVA,)
    assert corpus.entities["anke-schmitt"].merged_ids == ()
    assert _sources_of_statements(graph, "mike-schmitt") == {SEED_ID}
    assert _sources_of_statements(graph, "anke-schmitt") == {GENEVA}
    # "Schmitt said" in the Geneva article is Anke Schmitt's
    asks = statement_iri(GENEVA, "schmitt-asks-states-to-act")
    assert graph.value(asks, RDF.subject) == ENT["anke-schmitt"]
    exeter = statement_iri(SEED_ID, "schmitt-affiliated-with-exeter")
    assert graph.value(exeter, RDF.subject) == ENT["mike-schmitt"]

    assert three_network.out_degree("mike-schmitt") == 9
    assert three_network.out_degree("anke-schmitt") == 7
    assert not three_network.has_edge("mike-schmitt", "anke-schmitt")
    assert not three_network.has_edge("anke-schmitt", "mike-schmitt")

    assert corpus.ambiguities == (
        Ambiguity("Schmitt", ("mike-schmitt", "anke-schmitt"), ((SEED_ID,), (GENEVA,))),
    )
    assert corpus.warnings() == [SCHMITT_WARNING]


def test_apg_build_warns_that_schmitt_is_ambiguous_and_succeeds(three_data, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "build", "--data", str(three_data),
         "--out", str(tmp_path / "out")],
        cwd=WORKDIR, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("built 3 source(s), 125 entities, 222 statements")
    assert completed.stderr.splitlines() == [f"warning: {SCHMITT_WARNING}"]
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "ent:anke-schmitt " in turtle and "ent:mike-schmitt " in turtle
    assert "ent:russian-federation" not in turtle and "ent:fcdo" not in turtle


def test_the_merged_ids_do_not_depend_on_folder_names(three, tmp_path):
    # Geneva first, the seed last: the same entities under the same ids and labels
    data = _copy_sources(
        tmp_path / "data",
        {
            "1-geneva": FIXTURES / GENEVA,
            "2-tallinn": FIXTURES / TALLINN,
            "3-seed": SEED_DIR,
        },
    )
    corpus = load_corpus(data)
    assert [source.id for source in corpus.sources] == [GENEVA, TALLINN, SEED_ID]
    assert {e.id: e.label for e in corpus.entities.values()} == {
        e.id: e.label for e in three.corpus.entities.values()
    }
    assert corpus.entities["russia"].merged_ids == ("russian-federation",)
    assert corpus.entities["uk-foreign-office"].merged_ids == ("fcdo",)
    assert corpus.entities["uk-foreign-office"].label == "UK Foreign Office"
    assert corpus.canonical("fcdo") == "uk-foreign-office"


@pytest.mark.parametrize(
    ("fixture", "warnings"),
    [(TALLINN, []), (GENEVA, [FCDO_WARNING])],
)
def test_each_fixture_builds_on_its_own_and_conforms(fixture, warnings, tmp_path, capsys):
    data = _copy_sources(tmp_path / "data", {fixture: FIXTURES / fixture})
    result = build(data, tmp_path / "out")
    assert result.report.conforms
    assert validate_graph(result.graph).conforms
    assert [source.id for source in result.corpus.sources] == [fixture]
    assert result.corpus.warnings() == warnings
    assert (tmp_path / "out" / "graph.ttl").is_file()

    assert main(["build", "--data", str(data), "--out", str(tmp_path / "again")]) == 0
    assert capsys.readouterr().err.splitlines() == [f"warning: {w}" for w in warnings]


def test_the_geneva_fixture_alone_keeps_fcdo_as_it_is(tmp_path):
    data = _copy_sources(tmp_path / "data", {GENEVA: FIXTURES / GENEVA})
    corpus = load_corpus(data)
    assert corpus.unknown_same_as == (UnknownSameAs(GENEVA, "fcdo", "uk-foreign-office"),)
    fcdo = corpus.entities["fcdo"]
    assert fcdo.label == "Foreign, Commonwealth and Development Office"
    assert (fcdo.same_as, fcdo.merged_ids) == (("uk-foreign-office",), ())
    assert "uk-foreign-office" not in corpus.entities
    # Russia is there under Geneva's own id, the only one declared
    assert corpus.entities["russian-federation"].merged_ids == ()
    statements = [s for s in corpus.statements if s.subject == "fcdo"]
    assert sorted(s.id for s in statements) == [
        "fcdo-denounces-russia",
        "fcdo-no-territory",
        "fcdo-represents-uk",
        "fcdo-supports-programme-of-action",
    ]
    assert {s.source for s in statements} == {GENEVA}


# --- a new source that labels or types an existing entity otherwise (issue 12) -----------


def _two_sources(make_source, first: dict, second: dict):
    """Write ``first`` in folder a and ``second`` in folder b (the load order)."""
    make_source(annotation=first, folder="a")
    return make_source(annotation=second, folder="b")


def _relabelled(source_id: str, label: str) -> dict:
    """The tiny annotation as ``source_id``, with Freedonia labelled ``label``."""
    return tiny_variant(source_id, entities={"freedonia": {"label": label}})


@pytest.mark.parametrize("new_folder_first", [False, True])
def test_a_new_label_for_an_existing_id_is_a_warning_naming_both(make_source, new_folder_first):
    seed, new = _relabelled("seed", "Freedonia"), _relabelled("new", "Republic of Freedonia")
    first, second = (new, seed) if new_folder_first else (seed, new)
    corpus = load_corpus(_two_sources(make_source, first, second))
    freedonia = corpus.entities["freedonia"]
    kept, other = (first, second)
    kept_label = kept["entities"][1]["label"]
    other_label = other["entities"][1]["label"]
    # the label is the first declaration's, in load order; the other is an alias
    assert (freedonia.label, freedonia.aliases) == (kept_label, (other_label,))
    assert corpus.label_conflicts == (
        LabelConflict(
            "freedonia",
            kept_label,
            kept["source"]["id"],
            other_label,
            other["source"]["id"],
            "freedonia",
            kept_label,
        ),
    )
    assert corpus.warnings() == [
        f"entity 'freedonia' is labelled {kept_label!r} in {kept['source']['id']} and "
        f"{other_label!r} in {other['source']['id']}; the node keeps {kept_label!r} (the "
        f"first declaration's label) and {other_label!r} as an alias"
    ]


def test_the_same_label_in_two_sources_is_no_warning(make_source):
    corpus = load_corpus(
        _two_sources(make_source, _relabelled("seed", "Freedonia"), _relabelled("new", "Freedonia"))
    )
    assert corpus.label_conflicts == ()
    assert corpus.warnings() == []


def test_a_label_conflict_of_an_id_merged_under_another_names_the_node(make_source):
    # b and c declare "rf" with two labels; a same_as makes "ruritania" the node
    first = tiny_variant("src-a")
    second = tiny_variant(
        "src-b", rename={"ruritania": "rf"}, entities={"rf": {"same_as": ["ruritania"]}}
    )
    third = tiny_variant("src-c", rename={"ruritania": "rf"}, entities={"rf": {"label": "RF"}})
    make_source(annotation=first, folder="a")
    make_source(annotation=second, folder="b")
    corpus = load_corpus(make_source(annotation=third, folder="c"))
    assert corpus.entities["ruritania"].merged_ids == ("rf",)
    assert corpus.warnings() == [
        "entity 'rf' is labelled 'Ruritania' in src-b and 'RF' in src-c; both are aliases "
        "of 'ruritania' ('Ruritania')"
    ]


def test_a_new_type_for_an_existing_id_stays_an_error_naming_both(make_source):
    new = tiny_variant("new", entities={"freedonia": {"type": "group"}})
    data = _two_sources(make_source, tiny_variant("seed"), new)
    with pytest.raises(AnnotationError) as caught:
        load_corpus(data)
    assert str(caught.value) == (
        f"{data / 'b' / 'annotation.yaml'}: entity 'freedonia' (line 11): type 'group' "
        f"contradicts 'state' of entity 'freedonia' (line 11) in {data / 'a' / 'annotation.yaml'} "
        "(the same id)"
    )


def test_apg_build_prints_the_label_warning(make_source, tmp_path, capsys):
    data = _two_sources(
        make_source, _relabelled("seed", "Freedonia"), _relabelled("new", "Freedonia Republic")
    )
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "warning: entity 'freedonia' is labelled 'Freedonia' in seed and 'Freedonia Republic' "
        "in new; the node keeps 'Freedonia' (the first declaration's label) and "
        "'Freedonia Republic' as an alias"
    ]
