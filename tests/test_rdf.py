"""Facts of the seed article, asked of the built graph in SPARQL."""

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from graph import build_graph, load_corpus, source_iri, statement_iri, validate_graph
from graph.digests import graph_digest
from graph.namespaces import APG, ENT, OA, PREFIXES, PROV, RDF, RDFS, SKOS, XSD
from graph.rdf import (
    BuiltInPart,
    build_dataset,
    by_subject,
    each_triple,
    graph_inputs,
    graph_sizes,
    partial_graphs,
    union_graph,
    union_size,
    union_view,
)
from tests.factories import SEED_ID, TINY_TEXT, tiny_annotation, tiny_variant

PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())


def ask(graph, query: str) -> bool:
    return bool(graph.query(PROLOGUE + query).askAnswer)


def select(graph, query: str) -> list[tuple]:
    return [tuple(row) for row in graph.query(PROLOGUE + query)]


def test_khramov_represents_russia_and_blames_the_west_for_the_impasse(seed_graph):
    assert ask(seed_graph, "ASK { ent:oleg-khramov apg:represents ent:russia }")
    rows = select(
        seed_graph,
        """
        SELECT ?quote ?modality ?about WHERE {
            ?s rdf:subject ent:oleg-khramov ; rdf:predicate apg:blames ;
               rdf:object ent:western-countries ; apg:quote ?quote ;
               apg:modality ?modality ; apg:about ?about .
        }""",
    )
    assert len(rows) == 1
    quote, modality, about = rows[0]
    assert "blamed western countries for the impasse" in str(quote)
    assert modality == APG.Reported
    assert about == ENT["gge-collapse"]
    assert ask(
        seed_graph,
        """ASK { ?s rdf:subject ent:oleg-khramov ;
        rdf:predicate apg:speaksAt ; rdf:object ?conference .
        ?conference apg:locatedIn ent:israel }""",
    )


def test_rodriguez_represents_cuba_and_opposes_self_defence(seed_graph):
    assert ask(
        seed_graph,
        """ASK {
        ent:miguel-rodriguez apg:represents ent:cuba ;
            apg:opposesPosition ent:self-defence-applies-in-cyberspace .
        ent:miguel-rodriguez a apg:Official ; rdfs:label "Miguel Rodríguez" .
    }""",
    )
    (quote,) = select(
        seed_graph,
        """SELECT ?q WHERE {
        ?s rdf:subject ent:miguel-rodriguez ; rdf:predicate apg:opposesPosition ;
           rdf:object ent:self-defence-applies-in-cyberspace ; apg:quote ?q }""",
    )[0]
    assert "recognising self-defence rights in cyber-space" in str(quote)


def test_dnc_hack_is_attributed_to_russian_intelligence_and_marked_alleged(seed_graph):
    rows = select(
        seed_graph,
        """
        SELECT ?modality ?hedged ?quote WHERE {
            ent:dnc-hack-2016 a apg:Incident .
            ?s rdf:subject ent:dnc-hack-2016 ; rdf:predicate apg:attributedTo ;
               rdf:object ent:russian-intelligence ; apg:modality ?modality ;
               apg:hedged ?hedged ; apg:quote ?quote .
        }""",
    )
    assert rows == [
        (APG.Alleged, Literal(True), rows[0][2]),
    ]
    assert "allegedly coordinated by Russian intelligence" in str(rows[0][2])
    assert ask(
        seed_graph, "ASK { ent:dnc-hack-2016 apg:targets ent:democratic-national-committee }"
    )


def test_schmitt_is_affiliated_with_exeter_and_formerly_with_the_air_force(seed_graph):
    rows = select(
        seed_graph,
        """
        SELECT ?institution ?role ?former WHERE {
            ?s rdf:subject ent:mike-schmitt ; rdf:predicate apg:affiliatedWith ;
               rdf:object ?i ; apg:role ?role .
            ?i rdfs:label ?institution .
            OPTIONAL { ?s apg:former ?former }
        } ORDER BY ?institution""",
    )
    assert [(str(i), str(r), f) for i, r, f in rows] == [
        ("US Air Force", rows[0][1].value, Literal(True)),
        ("University of Exeter", rows[1][1].value, None),
    ]
    assert "professor of international law" in str(rows[1][1])
    assert "lawyer" in str(rows[0][1])


def test_schmitt_endorses_the_us_intelligence_conclusion(seed_graph):
    assert ask(
        seed_graph,
        """ASK {
        ent:mike-schmitt apg:endorses ?conclusion .
        ent:us-intelligence apg:supportsPosition ?conclusion .
        ?conclusion a apg:Position .
    }""",
    )


def test_markoff_blames_russia_and_china_without_naming_them(seed_graph):
    rows = select(
        seed_graph,
        """
        SELECT ?target ?modality ?quote WHERE {
            ?s rdf:subject ent:michele-markoff ; rdf:predicate apg:blames ;
               rdf:object ?target ; apg:modality ?modality ; apg:quote ?quote .
            FILTER (?target IN (ent:russia, ent:china))
        } ORDER BY ?target""",
    )
    assert [(t, m) for t, m, _ in rows] == [
        (ENT.china, APG.Implicit),
        (ENT.russia, APG.Implicit),
    ]
    assert all("Without naming Russia or China" in str(q) for _, _, q in rows)
    assert ask(seed_graph, "ASK { ent:michele-markoff apg:leads ent:us-gge-delegation }")


def test_sides_on_self_defence(seed_graph):
    def side(relation):
        return {
            str(row[0]).removeprefix(str(ENT))
            for row in select(
                seed_graph,
                f"""SELECT DISTINCT ?actor WHERE {{
                ?actor apg:{relation} ent:self-defence-applies-in-cyberspace .
                ?actor a apg:State }}""",
            )
        }

    assert side("opposesPosition") == {"russia", "china", "cuba"}
    assert side("supportsPosition") == {"united-states"}


def test_the_uk_foreign_office_affirms_international_law(seed_graph):
    assert ask(
        seed_graph,
        """ASK {
        ent:uk-foreign-office apg:represents ent:united-kingdom ;
            apg:supportsPosition ent:international-law-applies-in-cyberspace .
    }""",
    )


def test_speculation_names_who_speculates(seed_graph):
    rows = select(
        seed_graph,
        """SELECT ?s WHERE {
        ?s rdf:subject ent:russia ; rdf:predicate apg:opposesPosition ;
           apg:modality apg:Speculative ; apg:claimedBy ent:mike-schmitt }""",
    )
    assert rows


def test_every_statement_has_evidence_that_selects_its_quote(seed_corpus, seed_graph):
    text = seed_corpus.source(SEED_ID).text
    rows = select(
        seed_graph,
        """
        SELECT ?s ?quote ?start ?end ?exact WHERE {
            ?s a apg:Statement ; apg:quote ?quote ; dcterms:date ?date .
            ?s apg:evidence/oa:hasSelector ?p, ?q .
            ?p oa:start ?start ; oa:end ?end .
            ?q oa:exact ?exact .
        }""",
    )
    assert all(
        ask(
            seed_graph, f"ASK {{ <{s}> prov:wasDerivedFrom ?src ; apg:evidence/oa:hasSource ?src }}"
        )
        for s, *_ in rows
    )
    assert len(rows) == len(seed_corpus.statements)
    for _, quote, start, end, exact in rows:
        assert text[start.toPython() : end.toPython()] == str(quote) == str(exact)


def test_plain_triple_accompanies_every_statement(seed_graph):
    assert not ask(
        seed_graph,
        """ASK {
        ?s a apg:Statement ; rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b .
        FILTER NOT EXISTS { ?a ?p ?b } }""",
    )


def test_entities_link_to_wikidata_and_iso(seed_graph):
    assert ask(
        seed_graph,
        """ASK {
        ent:russia owl:sameAs wd:Q159 ; apg:iso3166 "RU" ; a apg:State .
        ent:united-kingdom apg:iso3166 "GB" .
        ent:western-countries a apg:Group .
    }""",
    )


def test_tiny_source_statement_node(make_source):
    graph = build_graph(load_corpus(make_source()))
    node = statement_iri("tiny", "vogel-supports-self-defence")
    assert (node, RDF.type, APG.Statement) in graph
    assert graph.value(node, APG.when) == Literal("2020-01", datatype=XSD.gYearMonth)
    evidence = graph.value(node, APG.evidence)
    positions = [
        graph.value(selector, OA.start).toPython()
        for selector in graph.objects(evidence, OA.hasSelector)
        if (selector, RDF.type, OA.TextPositionSelector) in graph
    ]
    assert positions == [TINY_TEXT.index("said the right of self-defence")]


@pytest.mark.parametrize("modality", ["alleged", "implicit", "speculative"])
def test_hedged_modalities_are_flagged(seed_corpus, modality):
    statements = [s for s in seed_corpus.statements if s.modality == modality]
    assert statements and all(s.hedged for s in statements)


def test_merged_entity_is_one_node_and_statements_keep_their_sources(make_source):
    make_source(annotation=tiny_variant("src-a"), folder="a")
    data = make_source(
        annotation=tiny_variant(
            "src-b",
            rename={"ruritania": "rur"},
            entities={"rur": {"label": "Ruritanian Republic", "same_as": ["ruritania"]}},
        ),
        folder="b",
    )
    graph = build_graph(load_corpus(data))
    assert validate_graph(graph).conforms
    assert not any(ENT.rur in triple for triple in graph)
    assert graph.value(ENT.ruritania, RDFS.label) == Literal("Ruritania")
    assert set(graph.objects(ENT.ruritania, SKOS.altLabel)) == {Literal("Ruritanian Republic")}
    assert set(graph.objects(ENT.ruritania, PROV.wasDerivedFrom)) == {
        source_iri("src-a"),
        source_iri("src-b"),
    }
    for source_id in ("src-a", "src-b"):
        node = statement_iri(source_id, "ruritania-blames-freedonia")
        assert graph.value(node, RDF.subject) == ENT.ruritania
        assert graph.value(node, PROV.wasDerivedFrom) == source_iri(source_id)
    assert (ENT["anna-vogel"], APG.represents, ENT.ruritania) in graph


def test_draft_statements_carry_reviewed_and_confidence_and_conform(make_source):
    annotation = tiny_annotation()
    annotation["statements"][0].update(reviewed=False, confidence=0.875)
    annotation["statements"][1].update(reviewed=True, confidence=1)
    graph = build_graph(load_corpus(make_source(annotation=annotation)))
    draft = statement_iri("tiny", "ruritania-blames-freedonia")
    checked = statement_iri("tiny", "vogel-represents-ruritania")
    by_hand = statement_iri("tiny", "vogel-supports-self-defence")
    assert graph.value(draft, APG.reviewed) == Literal(False)
    assert graph.value(draft, APG.confidence) == Literal(Decimal("0.88"), datatype=XSD.decimal)
    assert graph.value(checked, APG.reviewed) == Literal(True)
    assert str(graph.value(checked, APG.confidence)) == "1.00"
    assert graph.value(by_hand, APG.reviewed) is None
    assert graph.value(by_hand, APG.confidence) is None
    assert validate_graph(graph).conforms
    turtle = graph.serialize(format="turtle")
    assert "apg:confidence 0.88" in turtle and "apg:reviewed false" in turtle


def test_a_term_is_one_object_in_every_graph_that_holds_it(make_source):
    # the store then finds a term by identity, and holds an IRI named by many triples once
    make_source(annotation=tiny_variant("src-a"), folder="a")
    data = make_source(annotation=tiny_variant("src-b"), folder="b")
    dataset = build_dataset(load_corpus(data))
    labels = [
        subject for subject, _, _, _ in dataset.quads((ENT.ruritania, RDFS.label, None, None))
    ]
    assert len(labels) == 2 and labels[0] is labels[1]
    types = {
        id(o) for _, p, o, _ in dataset.quads((None, RDF.type, None, None)) if o == APG.Statement
    }
    assert len(types) == 1


def test_an_entity_declared_by_two_sources_is_in_both_graphs_once(make_source):
    make_source(annotation=tiny_variant("src-a"), folder="a")
    data = make_source(annotation=tiny_variant("src-b"), folder="b")
    dataset = build_dataset(load_corpus(data))
    holders = sorted(
        str(graph) for *_, graph in dataset.quads((ENT.ruritania, RDFS.label, None, None))
    )
    assert holders == [str(source_iri("src-a")), str(source_iri("src-b"))]


# a dataset built in part: of some graphs, only what other graphs may share -------------


def _three_sources(make_source):
    make_source(annotation=tiny_variant("src-a"), folder="a")
    make_source(annotation=tiny_variant("src-b"), folder="b")
    corpus = load_corpus(make_source(annotation=tiny_variant("src-c"), folder="c"))
    return corpus, [str(source_iri(name)) for name in ("src-a", "src-b", "src-c")]


def test_a_graph_built_in_part_holds_the_triples_of_its_entities_in_their_order(make_source):
    corpus, (a, b, c) = _three_sources(make_source)
    whole, part = build_dataset(corpus), build_dataset(corpus, partial=[a, c])
    assert partial_graphs(part) == {a, c} and partial_graphs(whole) == frozenset()
    for name in (a, b, c):
        triples = list(each_triple(whole.graph(URIRef(name))))
        # of a graph built in part, the triples whose subject is an entity: the entities'
        # descriptions and the plain triples of the statements
        kept = [t for t in triples if name == b or t[0].startswith(str(ENT))]
        assert len(kept) == len(triples) if name == b else 0 < len(kept) < len(triples)
        assert sorted(each_triple(part.graph(URIRef(name)))) == sorted(kept)
    # the union's triples in the same order, but those the graphs built in part leave out
    left_out = {
        t
        for name in (a, c)
        for t in each_triple(whole.graph(URIRef(name)))
        if not t[0].startswith(str(ENT))
    }
    union = list(each_triple(union_view(whole)))
    assert [t for t in union if t not in left_out] == list(each_triple(union_view(part)))
    # the triples several graphs hold: all among those of the entities
    assert list(whole.store.held_by_several()) == list(part.store.held_by_several())
    assert list(part.store.held_by_several())


def test_a_graph_built_in_part_is_never_read_as_whole(make_source):
    corpus, (a, b, _) = _three_sources(make_source)
    part = build_dataset(corpus, partial=[a])
    with pytest.raises(BuiltInPart, match="src-a"):
        graph_digest(part.graph(URIRef(a)))
    assert graph_digest(part.graph(URIRef(b))) == graph_digest(
        build_dataset(corpus).graph(URIRef(b))
    )


def test_the_union_of_a_dataset_built_in_part_is_counted_as_whole(make_source):
    corpus, (a, b, c) = _three_sources(make_source)
    whole = build_dataset(corpus)
    sizes = graph_sizes(whole, {})
    assert sizes == {name: len(whole.graph(URIRef(name))) for name in (a, b, c)}
    part = build_dataset(corpus, partial=[b, c])
    assert graph_sizes(part, sizes) == sizes
    assert graph_sizes(part, {b: sizes[b]}) is None  # the size of c not known
    assert union_size(part, sizes) == len(union_view(whole)) == union_size(whole, {})
    assert len(union_view(part)) < len(union_view(whole))


# each_triple: a graph's triples in the order iterating it gives -------------------------


def test_each_triple_gives_every_graph_of_a_dataset_as_iterating_it_does(seed_corpus):
    dataset = build_dataset(seed_corpus)
    view = union_view(dataset)
    assert list(each_triple(view)) == list(view)
    for graph in dataset.graphs():
        assert list(each_triple(graph)) == list(graph), graph.identifier


def test_each_triple_follows_removals_and_additions(seed_corpus):
    dataset = build_dataset(seed_corpus)
    view = union_view(dataset)
    graph = dataset.graph(source_iri(SEED_ID))
    for triple in list(graph)[::3]:
        graph.remove(triple)
    graph.add((ENT.ruritania, RDFS.label, Literal("Ruritania")))
    assert list(each_triple(graph)) == list(graph)
    assert list(each_triple(view)) == list(view)
    assert list(each_triple(dataset.graph(source_iri("unknown")))) == []


def test_each_triple_reads_other_graphs_by_iterating_them(seed_graph):
    class Wrapped(Graph):
        pass

    wrapped = Wrapped()
    for triple in list(seed_graph)[:50]:
        wrapped.add(triple)
    simple = Graph(store="SimpleMemory")
    simple.add((ENT.ruritania, RDFS.label, Literal("Ruritania")))
    for graph in (seed_graph, wrapped, simple):
        assert list(each_triple(graph)) == list(graph)


def test_each_triple_reads_the_index_it_names_in_the_pinned_rdflib(seed_corpus):
    # without it, each_triple is right but as slow as iterating for a graph of rdflib's
    # memory store: this says so when rdflib renames it
    store = union_graph(build_dataset(seed_corpus)).store
    assert isinstance(store, Memory) and isinstance(store._Memory__contextTriples, dict)


def test_by_subject_groups_the_triples_in_their_order(seed_corpus):
    view = union_view(build_dataset(seed_corpus))
    described = by_subject(view)
    assert described[ENT.russia][RDFS.label] == [Literal("Russia")]
    expected: dict = {}
    for subject, predicate, obj in view:
        expected.setdefault(subject, {}).setdefault(predicate, []).append(obj)
    assert list(described) == list(expected)
    for subject, values in expected.items():
        assert list(described[subject].items()) == list(values.items()), subject


def test_graph_inputs_change_with_the_records_of_their_graph_only(make_source):
    make_source()
    make_source(tiny_variant("second"), folder="second")
    data = make_source(tiny_variant("third"), folder="third")
    before = graph_inputs(load_corpus(data))
    assert sorted(before) == [str(source_iri(s)) for s in ("second", "third", "tiny")]
    assert len(set(before.values())) == 3
    # a statement of one source: that source's records only
    annotation = tiny_variant("third")
    annotation["statements"][0]["modality"] = "alleged"
    make_source(annotation, folder="third")
    changed = graph_inputs(load_corpus(data))
    assert [n for n in before if before[n] != changed[n]] == [str(source_iri("third"))]
    # an entity's description: every source that declares the merged entity
    annotation["entities"][0]["description"] = "A state"
    make_source(annotation, folder="third")
    described = graph_inputs(load_corpus(data))
    assert all(described[n] != changed[n] for n in before)


def test_graph_inputs_are_those_of_the_records_whatever_the_order_of_the_entities(make_source):
    from dataclasses import replace

    make_source()
    corpus = load_corpus(make_source(tiny_variant("second"), folder="second"))
    assert len(corpus.entities) > 1
    reversed_entities = dict(reversed(list(corpus.entities.items())))
    assert graph_inputs(replace(corpus, entities=reversed_entities)) == graph_inputs(corpus)


def test_graph_inputs_are_those_of_the_records_wherever_the_files_are(
    make_source, tmp_path, monkeypatch
):
    import shutil

    make_source()
    data = make_source(tiny_variant("second"), folder="second")
    before = graph_inputs(load_corpus(data))
    moved = shutil.copytree(data, tmp_path / "elsewhere" / "data")
    (moved / "second" / "annotation.yaml").write_text(
        "# a comment\n" + (moved / "second" / "annotation.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    assert graph_inputs(load_corpus(moved)) == before
    monkeypatch.chdir(moved.parent)
    assert graph_inputs(load_corpus("data")) == before  # named by a relative path
    (moved / "second" / "article.txt").write_text(TINY_TEXT + " More.", encoding="utf-8")
    changed = graph_inputs(load_corpus(moved))
    assert [n for n in before if changed[n] != before[n]] == [str(source_iri("second"))]


@pytest.mark.parametrize(
    "text",
    ["", "x", "Ruritania", "é ü 中文", "a\nb\r\nc", "  spaced  ", "123", "true", "2017-06-23",
     "\ud800 lone surrogate", '"quoted" <angled> & \\ backslash', "x" * 10_000],
)  # fmt: skip
def test_a_plain_literal_is_the_one_rdflib_makes_of_a_string(text):
    from rdflib import URIRef

    from graph.rdf import _beneath, _plain

    made, expected = _plain(text), Literal(text)
    assert type(made) is Literal and made == expected and hash(made) == hash(expected)
    for slot in Literal.__slots__:
        assert getattr(made, slot) == getattr(expected, slot), slot
    assert made.n3() == expected.n3() and made.value == expected.value
    node = URIRef("https://example.org/statement/s1")
    assert _beneath(node, "/evidence") == URIRef("https://example.org/statement/s1/evidence")
    assert type(_beneath(node, "/evidence")) is URIRef


def test_a_plain_literal_of_anything_but_a_string_is_rdflib_s():
    from graph.rdf import _plain

    assert _plain(2017) == Literal(2017) and _plain(2017).datatype == Literal(2017).datatype
