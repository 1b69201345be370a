"""A second source in the project's ``data/`` breaks none of the checks on the seed.

Tests used to load ``data/`` as a whole and take it for the seed, so that a user who added
a source, as the README says, saw them fail. Here a data folder holding the seed (the copy
``tests.factories`` made) and a second source, a fixture, is built and queried, and the
checks that broke (the seed's entities, statements, quotes, camps and the README's counts)
hold on the seed's own named graph. The project's own ``data/`` is never read: what a
user keeps there cannot break this test.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from graph import build, load_source, source_iri, statement_iri
from graph.cli import main
from graph.namespaces import APG
from graph.ontology import vocabulary
from graph.pipeline import BuildResult
from graph.rdf import MODALITY_CONCEPTS
from tests.factories import REPO, SEED_DIR, SEED_ID, readme_seed_sentence

FIXTURE_SOURCES = REPO / "tests" / "fixtures" / "sources"
README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory) -> tuple[Path, Path, BuildResult]:
    """A data folder of the seed and a fixture source, built: the data folder, the added
    source and the build."""
    data = tmp_path_factory.mktemp("project") / "data"
    shutil.copytree(SEED_DIR, data / SEED_ID)
    added = sorted(FIXTURE_SOURCES.iterdir())[0]
    shutil.copytree(added, data / added.name)
    return data, added, build(data, data.parent / "output")


def _named_graph(result: BuildResult, source_id: str) -> Graph:
    return result.dataset.graph(source_iri(source_id))


def _entities(graph: Graph) -> Counter[str]:
    """The entities a source's named graph describes, counted by type."""
    types = {iri: key for key, iri in vocabulary().entity_types.items()}
    return Counter(types[o] for o in graph.objects(None, RDF.type) if o in types)


def _modalities(graph: Graph) -> Counter[str]:
    """The statements of a source's named graph, counted by modality."""
    concepts = {concept: key for key, concept in MODALITY_CONCEPTS.items()}
    return Counter(concepts[o] for o in graph.objects(None, APG.modality))


def _statements(graph: Graph) -> set[URIRef]:
    return {URIRef(s) for s in graph.subjects(RDF.type, APG.Statement)}


def test_the_seed_keeps_its_entities_and_statements_beside_a_second_source(two_sources):
    _, added, result = two_sources
    assert {SEED_ID, added.name} <= {source.id for source in result.corpus.sources}
    seed = _named_graph(result, SEED_ID)
    assert _entities(seed).total() == 58
    assert _statements(seed) == {
        statement_iri(SEED_ID, s.id) for s in load_source(SEED_DIR / "annotation.yaml").statements
    }
    assert len(_statements(seed)) == 113
    own = load_source(added / "annotation.yaml")
    second = _named_graph(result, added.name)
    assert _entities(second).total() == len(own.entities) > 0
    assert _statements(second) == {statement_iri(added.name, s.id) for s in own.statements}
    assert result.report.conforms


def test_the_readme_claims_on_the_seed_hold_in_its_named_graph(two_sources):
    _, _, result = two_sources
    seed = _named_graph(result, SEED_ID)
    sentence = readme_seed_sentence(_entities(seed), _modalities(seed))
    assert sentence in " ".join(README.split())


def test_every_seed_quote_is_at_its_offsets_beside_a_second_source(two_sources):
    _, _, result = two_sources
    text = result.corpus.source(SEED_ID).text
    quoted = [s for s in result.corpus.statements if s.source == SEED_ID]
    assert len(quoted) == 113
    for statement in quoted:
        assert text[statement.evidence.start : statement.evidence.end] == statement.quote


def test_apg_query_counts_each_source_on_its_own(two_sources, capsys):
    data, added, _ = two_sources
    store = data.parent / "output" / "store"
    assert main(["query", "sources", "--store", str(store), "--format", "csv"]) == 0
    rows = {row["source"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    seed = rows[str(source_iri(SEED_ID))]
    assert (seed["entities"], seed["statements"], seed["hedged_statements"]) == ("58", "113", "42")
    own = load_source(added / "annotation.yaml")
    second = rows[str(source_iri(added.name))]
    assert (second["entities"], second["statements"]) == (
        str(len(own.entities)),
        str(len(own.statements)),
    )


def test_apg_analyze_keeps_the_seed_camps_beside_a_second_source(two_sources, capsys):
    data, _, _ = two_sources
    assert main(["analyze", "--data", str(data), "--no-cache", "--level", "state"]) == 0
    camps = [line for line in capsys.readouterr().out.splitlines() if line.startswith("camp ")]
    east = next(line for line in camps if "Russia" in line)
    assert "China" in east and "Cuba" in east and "United States" not in east
