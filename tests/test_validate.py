"""The SHACL shapes accept the built graphs and name what is wrong in broken ones."""

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

import graph
from graph import (
    ValidationError,
    build_dataset,
    build_graph,
    entity_iri,
    load_corpus,
    shacl,
    source_iri,
    statement_iri,
    validate,
)
from graph.checked import load_checked
from graph.namespaces import APG, OA, RDF, XSD
from graph.rdf import union_graph
from graph.validate import (
    ValidationCache,
    ValidationReport,
    Violation,
    check_graph,
    cross_source_violations,
    query_cross_source_violations,
    reference_report,
    validate_dataset,
    validate_graph,
)
from tests.factories import (
    SANCTIONS_TEXT,
    edit_annotation,
    sanctions_annotation,
    three_tiny_sources,
    tiny_variant,
)

BLAME = statement_iri("tiny", "ruritania-blames-freedonia")


@pytest.fixture
def tiny_graph(make_source) -> Graph:
    return build_graph(load_corpus(make_source()))


def test_seed_graph_conforms(seed_graph):
    report = validate_graph(seed_graph)
    assert report.conforms, report.violations
    assert report.violations == ()


def test_tiny_graph_conforms(tiny_graph):
    assert validate_graph(tiny_graph).conforms


def _violations(graph: Graph) -> str:
    report = validate_graph(graph)
    assert not report.conforms
    return "\n".join(str(v) for v in report.violations)


def test_missing_quote(tiny_graph):
    tiny_graph.remove((BLAME, APG.quote, None))
    assert "no quote" in _violations(tiny_graph).lower()


def test_blame_aimed_at_a_position(tiny_graph):
    position = entity_iri("self-defence")
    tiny_graph.add((entity_iri("ruritania"), APG.blames, position))
    tiny_graph.set((BLAME, RDF.object, position))
    assert "blames: the object must be an actor" in _violations(tiny_graph)


def test_bad_iso_code(tiny_graph):
    tiny_graph.add((entity_iri("ruritania"), APG.iso3166, Literal("rus")))
    assert "iso3166" in _violations(tiny_graph)


def test_hedge_that_contradicts_the_modality(tiny_graph):
    tiny_graph.set((BLAME, APG.hedged, Literal(True)))
    assert "hedged" in _violations(tiny_graph)


def test_missing_plain_triple(tiny_graph):
    tiny_graph.remove((entity_iri("ruritania"), APG.blames, entity_iri("freedonia")))
    assert "plain triple" in _violations(tiny_graph)


def test_offsets_that_do_not_select_the_quote(tiny_graph):
    selector = next(
        s
        for s in tiny_graph.objects(tiny_graph.value(BLAME, APG.evidence), OA.hasSelector)
        if (s, RDF.type, OA.TextPositionSelector) in tiny_graph
    )
    tiny_graph.set((selector, OA.start, Literal(1, datatype=XSD.nonNegativeInteger)))
    assert "offsets" in _violations(tiny_graph)


def test_check_graph_raises_with_every_violation(tiny_graph):
    tiny_graph.remove((BLAME, APG.quote, None))
    tiny_graph.set((BLAME, APG.hedged, Literal(True)))
    with pytest.raises(ValidationError) as caught:
        check_graph(tiny_graph)
    assert len(caught.value.violations) >= 2
    assert "graph does not conform to the shapes" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("relation", "subject", "obj", "message"),
    [
        ("causedBy", "ruritania", "freedonia", "caused_by: the subject must be an event"),
        ("codifies", "ruritania", "self-defence", "codifies: the subject must be a document"),
        ("concernedAbout", "ruritania", "self-defence", "concerned_about: the object must be"),
    ],
)
def test_domain_and_range_of_added_relations(tiny_graph, relation, subject, obj, message):
    tiny_graph.add((entity_iri(subject), APG[relation], entity_iri(obj)))
    assert message in _violations(tiny_graph)


@pytest.mark.parametrize(
    ("predicate", "values", "message"),
    [
        (APG.confidence, [Literal("1.5", datatype=XSD.decimal)], "`confidence` is not an"),
        (APG.confidence, [Literal("-0.1", datatype=XSD.decimal)], "`confidence` is not an"),
        (APG.confidence, [Literal("high")], "`confidence` is not an xsd:decimal"),
        (
            APG.confidence,
            [Literal("0.5", datatype=XSD.decimal), Literal("0.6", datatype=XSD.decimal)],
            "more than one `confidence`",
        ),
        (APG.reviewed, [Literal("no")], "`reviewed` is not an xsd:boolean"),
        (APG.reviewed, [Literal(True), Literal(False)], "more than one `reviewed`"),
    ],
)
def test_bad_review_state_or_confidence(tiny_graph, predicate, values, message):
    for value in values:
        tiny_graph.add((BLAME, predicate, value))
    assert message in _violations(tiny_graph)


def test_sanctions_and_denials_of_the_right_kinds_conform(make_source):
    checked = load_checked(make_source(sanctions_annotation(), text=SANCTIONS_TEXT))
    assert checked.report.conforms
    relations = [s.relation for s in checked.corpus.statements]
    assert relations.count("sanctions") == 3 and relations.count("denies") == 2
    union, fis, blackout = (
        entity_iri("northern-union"),
        entity_iri("fis"),
        entity_iri("blackout-attack"),
    )
    assert (union, APG.sanctions, fis) in checked.graph
    assert (entity_iri("boris-kral"), APG.denies, blackout) in checked.graph
    sanction = statement_iri("sanctions", "union-sanctions-fis")
    assert checked.graph.value(sanction, APG.about) == blackout


@pytest.mark.parametrize(
    ("statement", "field", "entity", "message"),
    [
        # sanctions on an incident, not on an actor
        ("union-sanctions-fis", "object", "harbour-hack", "sanctions: the object must be an actor"),
        # an incident cannot impose sanctions
        (
            "union-sanctions-fis",
            "subject",
            "harbour-hack",
            "sanctions: the subject must be an actor",
        ),
        # a denial is of an incident, not of a state
        ("kral-denies-blackout", "object", "freedonia", "denies: the object must be an incident"),
        (
            "kral-denies-blackout",
            "subject",
            "blackout-attack",
            "denies: the subject must be an actor",
        ),
    ],
)
def test_sanctions_or_denial_of_the_wrong_kind_is_one_line_naming_file_and_statement(
    make_source, statement, field, entity, message
):
    annotation = sanctions_annotation()
    (coded,) = [s for s in annotation["statements"] if s["id"] == statement]
    coded[field] = entity
    data = make_source(annotation, text=SANCTIONS_TEXT)
    with pytest.raises(ValidationError) as caught:
        load_checked(data)
    error = str(caught.value)
    assert "\n" not in error
    assert f"{data / 'tiny' / 'annotation.yaml'}: statement {statement!r}: {message}" in error


# --- validation per source (validate_dataset) gives the union's violations


def _two_sources(make_source) -> Path:
    """``tiny`` declares the entities; ``other`` codes statements about them alone."""
    make_source()
    other = tiny_variant("other")
    other["entities"] = []  # every entity it names is declared by tiny
    other["statements"][1]["claimed_by"] = "ruritania"
    return make_source(other, folder="other")


def _retype(dataset: Dataset, entity: str, entity_type: URIRef | None) -> None:
    node = entity_iri(entity)
    for named in dataset.graphs():
        if (node, RDF.type, None) in named:
            named.remove((node, RDF.type, None))
            if entity_type is not None:
                named.add((node, RDF.type, entity_type))


def _other(dataset: Dataset) -> Graph:
    return dataset.graph(source_iri("other"))


OTHER_BLAME = statement_iri("other", "ruritania-blames-freedonia")
OTHER_REPRESENTS = statement_iri("other", "vogel-represents-ruritania")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda dataset: None, None),
        # a type declared in one source breaks a range checked in another
        (lambda d: _retype(d, "freedonia", APG.Position), "blames: the object must be an actor"),
        (lambda d: _retype(d, "anna-vogel", APG.Position), "represents: the subject must be an"),
        (lambda d: _retype(d, "ruritania", None), "Statement subject is not an entity"),
        (lambda d: _retype(d, "ruritania", APG.Incident), "`claimed_by` is not an actor"),
        (
            lambda d: _other(d).add((OTHER_BLAME, APG.about, Literal("talks"))),
            "Statement `about` is not an entity",
        ),
        (
            lambda d: _other(d).add((OTHER_BLAME, APG.where, APG.Asserted)),
            "Statement `where` is not an entity",
        ),
        # checks inside one source
        (lambda d: _other(d).remove((OTHER_BLAME, APG.quote, None)), "Statement has no quote"),
        (lambda d: _other(d).set((OTHER_REPRESENTS, APG.hedged, Literal(True))), "hedged flag"),
        # both sources state the plain triple: gone from both, the statement of each fails
        (lambda d: d.remove((entity_iri("ruritania"), APG.blames, None, None)), "plain triple"),
    ],
)
def test_validation_per_source_gives_the_violations_of_the_union(make_source, change, expected):
    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    change(dataset)
    union = reference_report(union_graph(dataset))  # pyshacl over the union
    per_source = validate_dataset(dataset)
    assert (
        per_source.violations == union.violations == validate_graph(union_graph(dataset)).violations
    )
    assert query_cross_source_violations(dataset) == cross_source_violations(dataset)
    assert per_source.conforms is union.conforms is (expected is None)
    if expected is not None:
        assert any(expected in violation.message for violation in per_source.violations)


@pytest.mark.parametrize("check", [cross_source_violations, query_cross_source_violations])
def test_cross_source_checks_find_a_range_broken_by_another_source(make_source, check):
    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    _retype(dataset, "freedonia", APG.Position)
    found = check(dataset)
    blames = [v for v in found if v.message.startswith("blames: the object")]
    assert blames == [
        Violation(
            focus=str(entity_iri("freedonia")),
            message="blames: the object must be an actor (a state, a person, an official, "
            "an institution or a group)",
            value=str(entity_iri("freedonia")),
        )
    ]


def test_the_error_of_a_source_names_its_file_and_statement(make_source):
    data = make_source()
    other = tiny_variant("other")
    other["entities"] = []
    other["statements"][0]["object"] = "self-defence"  # a position, declared by tiny
    make_source(other, folder="other")
    with pytest.raises(ValidationError) as caught:
        load_checked(data)
    assert (
        f"{data / 'other' / 'annotation.yaml'}: statement 'ruritania-blames-freedonia': "
        "blames: the object must be an actor"
    ) in str(caught.value)


def test_a_cached_source_is_not_validated_again(make_source, tmp_path, monkeypatch):
    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    cache = ValidationCache(tmp_path / "cache")
    first = validate_dataset(dataset, cache)
    cache.save()
    # each source's violations and its share of what the cross-source shapes read, and
    # the cross-source violations
    assert len(list((tmp_path / "cache").glob("*.json"))) == 5

    def no_validation(*arguments):
        raise AssertionError("validated again")

    monkeypatch.setattr(shacl.CompiledShapes, "validate_many", no_validation)
    monkeypatch.setattr(validate, "cross_source_violations", no_validation)
    assert validate_dataset(dataset, ValidationCache(tmp_path / "cache")) == first


def test_a_damaged_cache_entry_is_validated_again(make_source, tmp_path):
    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    _other(dataset).remove((OTHER_BLAME, APG.quote, None))
    expected = validate_dataset(dataset)
    cache = ValidationCache(tmp_path / "cache")
    validate_dataset(dataset, cache)
    cache.save()
    for entry in (tmp_path / "cache").glob("*.json"):
        document = json.loads(entry.read_text())
        document["content"] = []  # claims the source conforms, without its hash
        entry.write_text(json.dumps(document))
    assert validate_dataset(dataset, ValidationCache(tmp_path / "cache")) == expected
    for entry in (tmp_path / "cache").glob("*.json"):
        entry.write_bytes(entry.read_bytes()[:20])  # cut short
    assert validate_dataset(dataset, ValidationCache(tmp_path / "cache")) == expected


def test_a_cache_entry_of_another_graph_is_never_used(make_source, tmp_path):
    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    cache = ValidationCache(tmp_path / "cache")
    validate_dataset(dataset, cache)
    cache.save()
    _other(dataset).remove((OTHER_BLAME, APG.quote, None))
    report = validate_dataset(dataset, ValidationCache(tmp_path / "cache"))
    assert [v.message for v in report.violations] == ["Statement has no quote"]


def test_shapes_run_by_pyshacl_in_several_processes_give_the_engine_s_violations(
    make_source, monkeypatch
):
    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    _other(dataset).remove((OTHER_BLAME, APG.quote, None))
    _retype(dataset, "freedonia", APG.Position)
    by_engine = validate_dataset(dataset)
    monkeypatch.setattr(validate, "_engine", lambda whole: None)  # as for shapes it cannot read
    monkeypatch.setattr(validate, "_PARALLEL_TRIPLES", 0)
    in_processes = validate_dataset(dataset, jobs=2)
    assert in_processes == validate_dataset(dataset, jobs=1) == by_engine
    assert {v.message.split(":")[0] for v in in_processes.violations} >= {
        "Statement has no quote",
        "blames",
    }


def test_sources_checked_by_the_engine_in_two_workers_give_the_same_violations(
    make_source, monkeypatch
):
    from graph import forked

    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    _other(dataset).remove((OTHER_BLAME, APG.quote, None))
    _other(dataset).set((OTHER_REPRESENTS, APG.hedged, Literal(True)))
    in_one = validate_dataset(dataset, jobs=1)
    monkeypatch.setattr(validate, "_ENGINE_PARALLEL_TRIPLES", 0)
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    assert validate_dataset(dataset, jobs=2) == in_one
    assert {v.message.split(":")[0] for v in in_one.violations} >= {
        "Statement has no quote",
        f"Statement {OTHER_REPRESENTS.rsplit('/', 1)[1]}",
    }


def test_entries_found_by_workers_are_kept_as_used(make_source, tmp_path, monkeypatch):
    # the workers look the sources up in the cache; the build process must still count
    # those entries as used, or the build would drop them at its end
    from graph import forked

    monkeypatch.setattr(validate, "_ENGINE_PARALLEL_TRIPLES", 0)
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    cache = ValidationCache(tmp_path / "cache")
    first = validate_dataset(dataset, cache, jobs=2)
    cache.save()
    again = ValidationCache(tmp_path / "cache")
    monkeypatch.setattr(shacl.CompiledShapes, "validate_many", _not_called)
    assert validate_dataset(dataset, again, jobs=2) == first
    again.keep_only_used()
    assert len(list((tmp_path / "cache").glob("*.json"))) == 5


def test_the_cross_source_checks_are_kept_by_the_shares_of_the_triples_they_read(
    make_source, tmp_path, monkeypatch
):
    from graph import forked
    from graph.rdf import graph_inputs

    monkeypatch.setattr(validate, "_ENGINE_PARALLEL_TRIPLES", 0)  # checked in workers
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    data = _two_sources(make_source)

    def checked(**patched: object) -> ValidationReport:
        corpus = load_corpus(data)
        cache = ValidationCache(tmp_path / "cache")
        with monkeypatch.context() as patch:
            for name, value in patched.items():
                patch.setattr(validate, name, value)
            dataset = build_dataset(corpus)
            report = validate_dataset(dataset, cache, jobs=2, inputs=graph_inputs(corpus))
        cache.save()
        cache.keep_only_used()
        return report

    first = checked()
    assert first.conforms
    share_of = validate._share_digest

    def share_of_other(part: Graph) -> str:  # the unchanged source's share is looked up
        assert part.identifier == source_iri("other")
        return share_of(part)

    # a title and a hedge: triples the cross-source shapes do not read
    edit_annotation(data, "other", lambda document: document["source"].update(title="New"))
    assert checked(cross_source_violations=_not_called, _share_digest=share_of_other) == first
    edit_annotation(
        data, "other", lambda document: document["statements"][1].update(modality="alleged")
    )
    # kept by the build before, which kept the unchanged source's share it looked up
    again = checked(cross_source_violations=_not_called, _share_digest=share_of_other)
    assert again.conforms

    # an object the shapes read, declared as a position by the other source
    def blame_a_position(document):
        document["statements"][0]["object"] = "self-defence"

    edit_annotation(data, "other", blame_a_position)
    with pytest.raises(AssertionError, match="validated again"):
        checked(cross_source_violations=_not_called)
    report = checked()
    assert not report.conforms
    assert any(v.message.startswith("blames: the object") for v in report.violations)


def _not_called(*arguments):
    raise AssertionError("validated again")


@pytest.mark.parametrize("engine", ["ours", "pyshacl"])
def test_a_report_made_with_a_cache_gives_the_digest_of_each_graph_s_triples(
    make_source, tmp_path, monkeypatch, engine
):
    import hashlib

    from graph.rdf import each_triple
    from graph.shacl import ntriples_line

    dataset = build_dataset(load_corpus(_two_sources(make_source)))
    if engine == "pyshacl":
        monkeypatch.setattr(validate, "_engine", lambda whole: None)
    assert validate_dataset(dataset).digests == {}  # no cache, no digests
    report = validate_dataset(dataset, ValidationCache(tmp_path / "cache"))
    expected = {}
    for part in dataset.graphs():
        if len(part):
            lines = sorted(map(ntriples_line, each_triple(part)))
            expected[str(part.identifier)] = hashlib.sha256("".join(lines).encode()).hexdigest()
    assert report.digests == expected
    assert len(expected) == 2
    _other(dataset).remove((OTHER_BLAME, APG.quote, None))
    changed = validate_dataset(dataset, ValidationCache(tmp_path / "cache")).digests
    assert [name for name in expected if changed[name] != expected[name]] == [
        str(_other(dataset).identifier)
    ]


# --- a graph made of the records a build before saw is known by the digest it found ------


@pytest.fixture
def read_for_digests(monkeypatch) -> list[str]:
    """The graphs whose triples the checks read to find their digest, in this process."""
    from graph import forked, validate

    monkeypatch.setattr(forked, "_can_fork", lambda: False)
    names: list[str] = []
    original = validate.sorted_lines

    def counting(graph):
        names.append(str(graph.identifier).rsplit("/", 1)[1])
        return original(graph)

    monkeypatch.setattr(validate, "sorted_lines", counting)
    return names


def test_a_rebuild_reads_only_the_graphs_whose_records_changed(
    make_source, tmp_path, read_for_digests
):
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    assert sorted(read_for_digests) == ["second", "third", "tiny"]
    read_for_digests.clear()
    edit_annotation(data, "second", lambda document: document["source"].update(title="Revised"))
    graph.build(data, out)
    assert read_for_digests == ["second"]
    read_for_digests.clear()

    # an alias declared in one source is the merged entity's in every source declaring it
    def alias(document):
        document["entities"][0]["aliases"] = ["Rur"]

    edit_annotation(data, "third", alias)
    graph.build(data, out)
    assert sorted(read_for_digests) == ["second", "third", "tiny"]
    read_for_digests.clear()
    graph.build(data, out)
    assert read_for_digests == []
    graph.build(data, tmp_path / "fresh", cache=False)
    assert (out / "graph.trig").read_bytes() == (tmp_path / "fresh" / "graph.trig").read_bytes()


def test_the_graphs_looked_up_share_a_piece_and_the_changed_one_has_its_own(
    make_source, tmp_path, monkeypatch
):
    """After a change of one source, the others' violations are looked up, not checked:
    they are one piece of work for the workers, not a worker each."""
    from graph.checked import build_checks
    from graph.rdf import graph_inputs

    monkeypatch.setattr(validate, "_ENGINE_PARALLEL_TRIPLES", 0)
    data, out = three_tiny_sources(make_source), tmp_path / "out"
    graph.build(data, out)
    edit_annotation(data, "second", lambda document: document["source"].update(title="Revised"))
    corpus = load_corpus(data)
    dataset = build_dataset(corpus)
    check = validate.DatasetCheck(dataset, build_checks(out), jobs=2, inputs=graph_inputs(corpus))
    assert check.pieces is not None
    runs = [
        [str(part.identifier).rsplit("/", 1)[1] for part in piece.args[1]]
        for piece in check.pieces[1:]
    ]
    assert runs == [["second"], ["third", "tiny"]]


def test_a_digest_kept_for_records_is_taken_only_by_the_same_records(tmp_path):
    cache = ValidationCache(tmp_path / "cache")
    digest = "ab" * 32
    cache.remember_digests({"urn:g": "1" * 64, "urn:h": "2" * 64}, {"urn:g": digest})
    cache.save()
    again = ValidationCache(tmp_path / "cache")
    assert again.known_digests({"urn:g": "1" * 64}) == {"urn:g": digest}
    assert again.known_digests({"urn:g": "3" * 64, "urn:h": "2" * 64}) == {}
    entry = next((tmp_path / "cache").glob("*.json"))
    document = json.loads(entry.read_text(encoding="utf-8"))
    document["content"] = "not a digest"
    entry.write_text(json.dumps(document), encoding="utf-8")
    assert ValidationCache(tmp_path / "cache").known_digests({"urn:g": "1" * 64}) == {}
