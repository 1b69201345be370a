import copy
from pathlib import Path

import pytest
import yaml

import graph.annotations
from graph import Ambiguity, AnnotationError, load_corpus
from graph.annotations import (
    coder_files,
    coder_name,
    load_source,
    read_source_digest,
    source_digest,
)
from graph.merging import UnknownSameAs
from tests.factories import TINY_TEXT, statement, tiny_annotation, tiny_variant, watched_run_all


def _error(make_source, **kwargs) -> str:
    data = make_source(**kwargs)
    with pytest.raises(AnnotationError) as caught:
        load_corpus(data)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _with(change) -> dict:
    annotation = copy.deepcopy(tiny_annotation())
    change(annotation)
    return annotation


def test_tiny_source_loads_with_computed_offsets(make_source):
    corpus = load_corpus(make_source())
    statement = next(s for s in corpus.statements if s.id == "vogel-represents-ruritania")
    assert TINY_TEXT[statement.evidence.start : statement.evidence.end] == statement.quote
    assert statement.evidence.start == TINY_TEXT.index("The Ruritanian envoy")
    assert statement.role == "envoy"
    assert corpus.entities["anna-vogel"].type == "official"
    assert corpus.sources[0].date.isoformat() == "2020-01-02"


def test_malformed_yaml_names_file_and_line(make_source):
    message = _error(make_source, raw="source:\n  id: tiny\n  title: [unclosed\n")
    assert "annotation.yaml" in message
    assert "line 4" in message or "line 3" in message
    assert "malformed YAML" in message


def test_unknown_entity_names_the_statement(make_source):
    def change(a):
        a["statements"][0]["object"] = "atlantis"

    message = _error(make_source, annotation=_with(change))
    assert "statement 'ruritania-blames-freedonia'" in message
    assert "unknown entity 'atlantis' in field 'object'" in message


def test_unknown_relation(make_source):
    def change(a):
        a["statements"][0]["relation"] = "praises"

    assert "unknown relation 'praises'" in _error(make_source, annotation=_with(change))


def test_unknown_type(make_source):
    def change(a):
        a["entities"][1]["type"] = "planet"

    message = _error(make_source, annotation=_with(change))
    assert "entity 'freedonia'" in message and "unknown type 'planet'" in message


def test_unknown_modality(make_source):
    def change(a):
        a["statements"][0]["modality"] = "rumoured"

    assert "unknown modality 'rumoured'" in _error(make_source, annotation=_with(change))


def test_duplicate_entity_id(make_source):
    def change(a):
        a["entities"].append({"id": "freedonia", "type": "state", "label": "Freedonia bis"})

    message = _error(make_source, annotation=_with(change))
    assert "entity 'freedonia'" in message and "duplicate entity id" in message


def test_duplicate_statement_id(make_source):
    def change(a):
        a["statements"][1]["id"] = a["statements"][0]["id"]

    assert "duplicate statement id" in _error(make_source, annotation=_with(change))


def test_duplicate_yaml_key(make_source):
    raw = "source:\n  id: tiny\n  id: other\n"
    assert "duplicate key 'id'" in _error(make_source, raw=raw)


def test_quote_not_in_text(make_source):
    def change(a):
        a["statements"][0]["quote"] = "Ruritania praised Freedonia"

    message = _error(make_source, annotation=_with(change))
    assert "statement 'ruritania-blames-freedonia'" in message
    assert "quote not found" in message and "article.txt" in message


def test_ambiguous_quote(make_source):
    def change(a):
        a["statements"][0]["quote"] = "Ruritania"

    assert "occurs 2 times" in _error(make_source, annotation=_with(change))


def test_missing_source_text(make_source):
    def change(a):
        a["source"]["text"] = "missing.txt"

    message = _error(make_source, annotation=_with(change))
    assert "source text not found" in message and "missing.txt" in message


def test_non_utf8_text(make_source):
    message = _error(make_source, text=b"caf\xe9 blamed")
    assert "article.txt" in message and "not UTF-8" in message


def test_empty_text(make_source):
    assert "source text is empty" in _error(make_source, text="  \n")


def test_missing_data_folder(tmp_path):
    with pytest.raises(AnnotationError, match="data folder not found"):
        load_corpus(tmp_path / "nowhere")


def test_empty_data_folder(tmp_path):
    with pytest.raises(AnnotationError, match=r"no \*/annotation\.yaml"):
        load_corpus(tmp_path)


def test_unknown_field_catches_typos(make_source):
    def change(a):
        a["statements"][0]["qoute"] = a["statements"][0].pop("quote")

    assert "unknown field 'qoute'" in _error(make_source, annotation=_with(change))


def test_iso_code_only_for_states(make_source):
    def change(a):
        a["entities"][2]["iso3166"] = "RU"

    assert "only for states" in _error(make_source, annotation=_with(change))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("wikidata", "159", "Wikidata id"),
        ("iso3166", "rus", "ISO 3166-1"),
        ("id", "Free Donia", "lower-case words"),
        ("label", "", "is empty"),
        ("aliases", {"a": 1}, "list of text"),
    ],
)
def test_bad_entity_fields(make_source, key, value, expected):
    def change(a):
        a["entities"][1][key] = value

    assert expected in _error(make_source, annotation=_with(change))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("when", "June 2017", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("when", "2017-02-30", "not a real date"),
        ("former", "yes", "true or false"),
        ("about", "atlantis", "unknown entity 'atlantis' in field 'about'"),
    ],
)
def test_bad_statement_qualifiers(make_source, key, value, expected):
    def change(a):
        a["statements"][0][key] = value

    assert expected in _error(make_source, annotation=_with(change))


def test_bad_source_date_and_url(make_source):
    def bad_date(a):
        a["source"]["date"] = "23 August 2017"

    def bad_url(a):
        a["source"]["url"] = "www.example.org"

    assert "date YYYY-MM-DD" in _error(make_source, annotation=_with(bad_date))
    assert "http(s) URL" in _error(make_source, annotation=_with(bad_url))


def test_entity_shared_by_two_sources_is_merged(make_source):
    data = make_source()
    second = tiny_annotation()
    second["source"] = dict(second["source"], id="tiny-two")
    second["entities"][0] = dict(second["entities"][0], aliases=["the Ruritanians"])
    make_source(annotation=second, folder="tiny-two")
    corpus = load_corpus(data)
    ruritania = corpus.entities["ruritania"]
    assert ruritania.sources == ("tiny", "tiny-two")
    assert ruritania.aliases == ("the Ruritanians",)
    assert {s.source for s in corpus.statements} == {"tiny", "tiny-two"}


def test_contradictory_entity_across_sources_is_refused(make_source):
    data = make_source()
    second = tiny_annotation()
    second["source"] = dict(second["source"], id="tiny-two")
    second["entities"][1] = dict(second["entities"][1], type="group")
    make_source(annotation=second, folder="tiny-two")
    with pytest.raises(AnnotationError, match="type 'group' contradicts 'state'") as caught:
        load_corpus(data)
    message = str(caught.value)
    assert message.startswith(str(data / "tiny-two" / "annotation.yaml"))
    assert f"of entity 'freedonia' (line 11) in {data / 'tiny' / 'annotation.yaml'}" in message
    assert message.endswith("(the same id)")


def test_duplicate_source_id_is_refused(make_source):
    data = make_source()
    make_source(folder="copy")
    with pytest.raises(AnnotationError, match="duplicate source id 'tiny'"):
        load_corpus(data)


# --- several sources: merging, ambiguous names ------------------------------------------


def _write(make_source, *annotations) -> Path:
    """Write each annotation in folder a, b, c, ... (the load order); return the data folder."""
    data = None
    for folder, annotation in zip("abcdef", annotations, strict=False):
        data = make_source(annotation=annotation, folder=folder)
    assert data is not None
    return data


def _merge_error(make_source, *annotations) -> str:
    with pytest.raises(AnnotationError) as caught:
        load_corpus(_write(make_source, *annotations))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_declarations_with_one_wikidata_id_are_one_entity(make_source):
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant("src-a", entities={"ruritania": {"wikidata": "Q1"}}),
            tiny_variant(
                "src-b",
                rename={"ruritania": "republic-of-ruritania"},
                entities={
                    "republic-of-ruritania": {"label": "Republic of Ruritania", "wikidata": "Q1"}
                },
            ),
        )
    )
    assert "republic-of-ruritania" not in corpus.entities
    ruritania = corpus.entities["ruritania"]
    assert ruritania.label == "Ruritania"
    assert ruritania.aliases == ("Republic of Ruritania",)
    assert ruritania.merged_ids == ("republic-of-ruritania",)
    assert ruritania.sources == ("src-a", "src-b")
    assert ruritania.wikidata == "Q1"
    assert corpus.canonical("republic-of-ruritania") == "ruritania"
    assert corpus.canonical("ruritania") == "ruritania"
    assert len(corpus.entities) == 4
    assert corpus.ambiguities == ()


def test_declarations_with_one_iso_code_are_one_entity(make_source):
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant("src-a", entities={"freedonia": {"iso3166": "FD"}}),
            tiny_variant(
                "src-b",
                rename={"freedonia": "freedonian-state"},
                entities={"freedonian-state": {"label": "Freedonian State", "iso3166": "FD"}},
            ),
        )
    )
    assert sorted(corpus.entities) == ["anna-vogel", "freedonia", "ruritania", "self-defence"]
    assert corpus.entities["freedonia"].merged_ids == ("freedonian-state",)
    blames = [s for s in corpus.statements if s.relation == "blames"]
    assert [(s.source, s.object) for s in blames] == [
        ("src-a", "freedonia"),
        ("src-b", "freedonia"),
    ]


def test_same_as_merges_transitively_across_three_sources(make_source):
    # b names c, c names a: b reaches a only through c
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant("src-a"),
            tiny_variant(
                "src-b",
                rename={"ruritania": "rur-b"},
                entities={"rur-b": {"label": "Ruritanian Republic", "same_as": "rur-c"}},
            ),
            tiny_variant(
                "src-c",
                rename={"ruritania": "rur-c"},
                entities={"rur-c": {"aliases": ["RR"], "same_as": ["ruritania"]}},
            ),
        )
    )
    ruritania = corpus.entities["ruritania"]
    assert ruritania.merged_ids == ("rur-b", "rur-c")
    assert ruritania.same_as == ("rur-c", "ruritania")
    assert ruritania.sources == ("src-a", "src-b", "src-c")
    assert ruritania.aliases == ("Ruritanian Republic", "RR")
    assert {corpus.canonical(i) for i in ("rur-b", "rur-c", "ruritania")} == {"ruritania"}
    assert not {"rur-b", "rur-c"} & set(corpus.entities)
    # every statement keeps its own source; every reference is to the canonical id
    blames = [s for s in corpus.statements if s.id == "ruritania-blames-freedonia"]
    assert [(s.source, s.subject) for s in blames] == [
        ("src-a", "ruritania"),
        ("src-b", "ruritania"),
        ("src-c", "ruritania"),
    ]
    represents = [s for s in corpus.statements if s.relation == "represents"]
    assert {s.object for s in represents} == {"ruritania"}
    assert corpus.ambiguities == ()


def _kingdom(*, link_in_first: bool) -> list[dict]:
    """Ruritania as ruritania-a (src-a) and ruritania-b (src-b); src-a links to ruritania-b."""
    first = tiny_variant(
        "src-a",
        rename={"ruritania": "ruritania-a"},
        entities={
            "ruritania-a": {
                "label": "Ruritania",
                "aliases": ["Ruritanians", "Strelsau"],
                "same_as": ["ruritania-b"],
            }
        },
    )
    second = tiny_variant(
        "src-b",
        rename={"ruritania": "ruritania-b"},
        entities={
            "ruritania-b": {
                "label": "Kingdom of Ruritania",
                "aliases": ["Strelsau", "Ruritania", "the Kingdom"],
                "description": "A kingdom.",
            }
        },
    )
    return [first, second] if link_in_first else [second, first]


@pytest.mark.parametrize("link_in_first", [True, False])
def test_the_id_named_by_same_as_gives_the_id_and_the_label(make_source, link_in_first):
    # whichever folder sorts first, same_as names the reference entity
    corpus = load_corpus(_write(make_source, *_kingdom(link_in_first=link_in_first)))
    assert "ruritania-a" not in corpus.entities
    ruritania = corpus.entities["ruritania-b"]
    assert ruritania.label == "Kingdom of Ruritania"
    # the kept id's own aliases first, then the other declaration's label and aliases
    assert ruritania.aliases == ("Strelsau", "Ruritania", "the Kingdom", "Ruritanians")
    assert ruritania.description == "A kingdom."
    assert ruritania.merged_ids == ("ruritania-a",)
    assert ruritania.same_as == ("ruritania-b",)
    assert corpus.canonical("ruritania-a") == "ruritania-b"
    represents = next(s for s in corpus.statements if s.source == "src-a" and s.role)
    assert represents.object == "ruritania-b"


def test_the_id_declared_by_most_sources_wins_without_same_as(make_source):
    # joined by a Wikidata id only; two sources say "ruritania", the first one does not
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant(
                "src-a",
                rename={"ruritania": "republic-of-ruritania"},
                entities={
                    "republic-of-ruritania": {"label": "Republic of Ruritania", "wikidata": "Q1"}
                },
            ),
            tiny_variant("src-b", entities={"ruritania": {"wikidata": "Q1"}}),
            tiny_variant(
                "src-c", entities={"ruritania": {"label": "Ruritania (C)", "wikidata": "Q1"}}
            ),
        )
    )
    ruritania = corpus.entities["ruritania"]
    assert ruritania.label == "Ruritania"  # the first declaration of the kept id
    # the kept id's declarations come first, in load order, then the others
    assert ruritania.aliases == ("Ruritania (C)", "Republic of Ruritania")
    assert ruritania.merged_ids == ("republic-of-ruritania",)
    assert ruritania.sources == ("src-a", "src-b", "src-c")
    assert corpus.canonical("republic-of-ruritania") == "ruritania"
    subjects = {(s.source, s.subject) for s in corpus.statements if s.relation == "blames"}
    assert subjects == {("src-a", "ruritania"), ("src-b", "ruritania"), ("src-c", "ruritania")}


def test_the_first_id_in_load_order_breaks_a_tie(make_source):
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant(
                "src-a",
                rename={"ruritania": "republic-of-ruritania"},
                entities={
                    "republic-of-ruritania": {"label": "Republic of Ruritania", "wikidata": "Q1"}
                },
            ),
            tiny_variant("src-b", entities={"ruritania": {"wikidata": "Q1"}}),
        )
    )
    assert "ruritania" not in corpus.entities
    assert corpus.entities["republic-of-ruritania"].label == "Republic of Ruritania"
    assert corpus.entities["republic-of-ruritania"].merged_ids == ("ruritania",)


def test_the_end_of_a_same_as_chain_wins_over_an_id_on_the_way(make_source):
    # a: rur-a -> rur-b; b: rur-b -> ruritania; c: ruritania. rur-b and ruritania are both
    # named by same_as, but rur-b itself points on to ruritania
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant(
                "src-a", rename={"ruritania": "rur-a"}, entities={"rur-a": {"same_as": "rur-b"}}
            ),
            tiny_variant(
                "src-b",
                rename={"ruritania": "rur-b"},
                entities={"rur-b": {"label": "Rur B", "same_as": "ruritania"}},
            ),
            tiny_variant("src-c", entities={"ruritania": {"label": "Kingdom of Ruritania"}}),
        )
    )
    ruritania = corpus.entities["ruritania"]
    assert ruritania.label == "Kingdom of Ruritania"
    assert ruritania.merged_ids == ("rur-a", "rur-b")
    assert ruritania.aliases == ("Ruritania", "Rur B")


def test_a_same_as_cycle_falls_back_to_load_order(make_source):
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant(
                "src-a", rename={"ruritania": "rur-a"}, entities={"rur-a": {"same_as": "rur-b"}}
            ),
            tiny_variant(
                "src-b", rename={"ruritania": "rur-b"}, entities={"rur-b": {"same_as": "rur-a"}}
            ),
        )
    )
    assert corpus.entities["rur-a"].merged_ids == ("rur-b",)
    assert "rur-b" not in corpus.entities


def test_qualifiers_refer_to_the_canonical_entity(make_source):
    second = tiny_variant(
        "src-b",
        rename={"anna-vogel": "envoy-vogel", "self-defence": "online-self-defence"},
        entities={
            "envoy-vogel": {"same_as": ["anna-vogel"]},
            "online-self-defence": {"same_as": ["self-defence"]},
        },
    )
    second["statements"][0].update(
        about="online-self-defence", where="envoy-vogel", claimed_by="envoy-vogel"
    )
    corpus = load_corpus(_write(make_source, tiny_variant("src-a"), second))
    statement = next(s for s in corpus.statements if s.source == "src-b" and s.relation == "blames")
    assert (statement.about, statement.where, statement.claimed_by) == (
        "self-defence",
        "anna-vogel",
        "anna-vogel",
    )
    supports = next(s for s in corpus.statements if s.id == "vogel-supports-self-defence")
    assert (supports.subject, supports.object) == ("anna-vogel", "self-defence")


def test_same_as_within_one_source(make_source):
    annotation = tiny_annotation()
    annotation["entities"].append(
        {"id": "vogel", "type": "official", "label": "Ms Vogel", "same_as": "anna-vogel"}
    )
    corpus = load_corpus(make_source(annotation=annotation))
    assert "vogel" not in corpus.entities
    assert corpus.entities["anna-vogel"].aliases == ("Ms Vogel",)
    assert corpus.entities["anna-vogel"].sources == ("tiny",)


def test_same_as_to_an_undeclared_id_is_a_warning_and_the_entity_is_kept(make_source):
    annotation = tiny_variant("src-a", entities={"freedonia": {"same_as": ["atlantis"]}})
    annotation["statements"][0].update(reviewed=False)
    corpus = load_corpus(_write(make_source, annotation))
    freedonia = corpus.entities["freedonia"]
    assert (freedonia.label, freedonia.same_as, freedonia.merged_ids) == (
        "Freedonia",
        ("atlantis",),
        (),
    )
    assert "atlantis" not in corpus.entities
    assert sorted(corpus.entities) == ["anna-vogel", "freedonia", "ruritania", "self-defence"]
    assert corpus.unknown_same_as == (UnknownSameAs("src-a", "freedonia", "atlantis"),)
    blames = next(s for s in corpus.statements if s.relation == "blames")
    assert blames.object == "freedonia"
    assert corpus.warnings() == [
        "src-a: entity 'freedonia' is same_as 'atlantis', which no loaded source declares; "
        "kept as it is",
        "src-a: 1 of 3 statements are unreviewed drafts",
    ]


def test_same_as_warnings_follow_ambiguities_and_a_known_link_still_merges(make_source):
    second = tiny_variant(
        "src-b",
        rename={"anna-vogel": "karl-vogel", "ruritania": "rur"},
        entities={
            "karl-vogel": {"label": "Karl Vogel", "same_as": ["k-vogel", "karl-v"]},
            "rur": {"same_as": ["ruritania"]},
        },
    )
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant("src-a", entities={"anna-vogel": {"same_as": "vogel"}}),
            second,
        )
    )
    assert corpus.entities["ruritania"].merged_ids == ("rur",)
    assert [(u.source, u.entity, u.other) for u in corpus.unknown_same_as] == [
        ("src-a", "anna-vogel", "vogel"),
        ("src-b", "karl-vogel", "k-vogel"),
        ("src-b", "karl-vogel", "karl-v"),
    ]
    assert corpus.warnings() == [
        "the name 'Vogel' could be anna-vogel (src-a) or karl-vogel (src-b); "
        "they are kept apart; add same_as if they are one",
        "src-a: entity 'anna-vogel' is same_as 'vogel', which no loaded source declares; "
        "kept as it is",
        "src-b: entity 'karl-vogel' is same_as 'k-vogel', which no loaded source declares; "
        "kept as it is",
        "src-b: entity 'karl-vogel' is same_as 'karl-v', which no loaded source declares; "
        "kept as it is",
    ]


def test_same_as_must_be_an_id(make_source):
    # a malformed id stays an error, even though an unknown one is only a warning
    message = _merge_error(
        make_source, tiny_variant("src-a", entities={"freedonia": {"same_as": ["Atlantis"]}})
    )
    assert "a/annotation.yaml: entity 'freedonia' (line " in message
    assert message.endswith(
        "field 'same_as'[0] must be an entity id (lower-case words joined by '-'), got 'Atlantis'"
    )


def test_a_type_contradiction_through_same_as_names_both_files(make_source):
    message = _merge_error(
        make_source,
        tiny_variant("src-a"),
        tiny_variant(
            "src-b",
            rename={"freedonia": "freedonians"},
            entities={"freedonians": {"type": "group", "same_as": ["freedonia"]}},
        ),
    )
    assert "b/annotation.yaml: entity 'freedonians' (line " in message
    assert "type 'group' contradicts 'state' of entity 'freedonia' (line " in message
    assert "a/annotation.yaml (merged with it by same_as)" in message


def test_two_wikidata_ids_joined_by_same_as_are_refused(make_source):
    message = _merge_error(
        make_source,
        tiny_variant("src-a", entities={"ruritania": {"wikidata": "Q1"}}),
        tiny_variant(
            "src-b",
            rename={"ruritania": "rur"},
            entities={"rur": {"wikidata": "Q2", "same_as": ["ruritania"]}},
        ),
    )
    assert "b/annotation.yaml: entity 'rur' (line " in message
    assert "wikidata 'Q2' contradicts 'Q1' of entity 'ruritania' (line " in message
    assert "a/annotation.yaml (merged with it by same_as)" in message


def test_two_iso_codes_joined_through_a_wikidata_id_are_refused(make_source):
    message = _merge_error(
        make_source,
        tiny_variant("src-a", entities={"ruritania": {"wikidata": "Q1", "iso3166": "RR"}}),
        tiny_variant(
            "src-b",
            rename={"ruritania": "rur"},
            entities={"rur": {"wikidata": "Q1", "iso3166": "RU"}},
        ),
    )
    assert "iso3166 'RU' contradicts 'RR'" in message
    assert "a/annotation.yaml (merged with it by the same wikidata id)" in message


def test_two_people_with_one_surname_stay_apart_and_the_surname_is_ambiguous(make_source):
    second = tiny_variant("src-b", rename={"anna-vogel": "karl-vogel"})
    second["entities"][2]["label"] = "Karl Vogel"
    corpus = load_corpus(
        _write(
            make_source,
            tiny_variant("src-a", entities={"anna-vogel": {"aliases": ["Vogel"]}}),
            second,
        )
    )
    assert corpus.entities["anna-vogel"].label == "Anna Vogel"
    assert corpus.entities["karl-vogel"].label == "Karl Vogel"
    assert corpus.entities["anna-vogel"].merged_ids == ()
    assert corpus.ambiguities == (
        Ambiguity("Vogel", ("anna-vogel", "karl-vogel"), (("src-a",), ("src-b",))),
    )
    assert corpus.warnings() == [
        "the name 'Vogel' could be anna-vogel (src-a) or karl-vogel (src-b); "
        "they are kept apart; add same_as if they are one"
    ]


def test_a_name_of_two_entities_is_ambiguous_after_the_and_quotes_are_dropped(make_source):
    second = tiny_variant("src-b", rename={"freedonia": "freedonia-fc"})
    second["entities"][1].update(
        type="group", label="Freedonia FC", aliases=["The \u2018Freedonia\u2019"]
    )
    corpus = load_corpus(_write(make_source, tiny_variant("src-a"), second))
    assert [(a.name, a.entities) for a in corpus.ambiguities] == [
        ("Freedonia", ("freedonia", "freedonia-fc"))
    ]


def test_a_person_and_a_state_sharing_a_surname_word_are_not_ambiguous(make_source):
    # only a whole name, or a surname shared by two people, is ambiguous
    annotation = tiny_annotation()
    annotation["entities"][2]["label"] = "Anna Freedonia"
    assert load_corpus(make_source(annotation=annotation)).ambiguities == ()


def test_the_seed_has_no_ambiguous_name(seed_corpus):
    assert seed_corpus.ambiguities == ()
    assert seed_corpus.warnings() == []


def test_unreviewed_statements_are_counted_per_source(make_source):
    annotation = tiny_annotation()
    annotation["statements"][0].update(reviewed=False, confidence=0.4)
    annotation["statements"][1].update(reviewed=True)
    corpus = load_corpus(make_source(annotation=annotation))
    assert [s.reviewed for s in corpus.statements] == [False, True, None]
    assert corpus.warnings() == ["tiny: 1 of 3 statements are unreviewed drafts"]


def test_canonical_of_an_undeclared_id_raises_key_error(make_source):
    corpus = load_corpus(make_source())
    with pytest.raises(KeyError):
        corpus.canonical("atlantis")


def test_load_source_keeps_same_as_to_another_source_unresolved(make_source):
    annotation = tiny_variant("src-a", entities={"freedonia": {"same_as": ["elsewhere"]}})
    data = make_source(annotation=annotation, folder="a")
    corpus = load_source(data / "a" / "annotation.yaml")
    assert corpus.entities["freedonia"].same_as == ("elsewhere",)
    assert corpus.entities["freedonia"].merged_ids == ()


# --- input that reached a traceback or broke an output (issue 12) -----------------------


def _set(path: tuple, value):
    def change(a):
        holder = a
        for step in path[:-1]:
            holder = holder[step]
        holder[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("entities", 0, "id"), "ruritania\n", "field 'id' must be lower-case words"),
        (("source", "id"), "tiny\n", "field 'id' must be lower-case words"),
        (("statements", 0, "id"), "blames\n", "field 'id' must be lower-case words"),
        (("entities", 0, "wikidata"), "Q1\n", "field 'wikidata' must be a Wikidata id"),
        (("entities", 0, "iso3166"), "RU\n", "field 'iso3166' must be an ISO 3166-1"),
        (("entities", 0, "same_as"), ["freedonia\n"], "field 'same_as'[0] must be an entity id"),
        (("statements", 0, "when"), "2020\n", "field 'when' must be a date"),
        (("source", "url"), "https://example.org/\n", "field 'url' must be an http(s) URL"),
    ],
)
def test_a_value_with_a_trailing_newline_does_not_pass_a_pattern(
    make_source, path, value, expected
):
    message = _error(make_source, annotation=_with(_set(path, value)))
    assert expected in message
    assert "\\n'" in message  # the value is shown with its newline


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (("entities", 1, "label"), "field 'label'"),
        (("entities", 1, "aliases"), "field 'aliases'[0]"),
        (("entities", 1, "description"), "field 'description'"),
        (("statements", 0, "note"), "field 'note'"),
        (("statements", 1, "role"), "field 'role'"),
        (("source", "title"), "field 'title'"),
        (("source", "author"), "field 'author'[0]"),
    ],
)
def test_a_control_character_in_a_text_field_is_refused(make_source, path, field):
    value = "Free\x01donia"
    if field.endswith("[0]"):
        value = [value]
    data = make_source(annotation=_with(_set(path, value)))
    annotation_file = data / "tiny" / "annotation.yaml"
    line = next(
        number
        for number, text in enumerate(annotation_file.read_text("utf-8").splitlines(), 1)
        if "\\x01" in text or (field.endswith("[0]") and f"{path[-1]}:" in text)
    )
    with pytest.raises(AnnotationError) as caught:
        load_corpus(data)
    message = str(caught.value)
    assert message.startswith(f"{annotation_file}: ")
    assert f": {field} (line " in message
    assert message.endswith("holds the character U+0001, which XML 1.0 cannot carry; remove it")
    key_line = int(message.split(f"{field} (line ")[1].split(")")[0])
    assert key_line == line


def test_a_lone_surrogate_in_a_label_is_refused(make_source):
    raw = yaml.safe_dump(tiny_annotation(), sort_keys=False).replace(
        "label: Freedonia", 'label: "Free\\udc80donia"'
    )
    message = _error(make_source, raw=raw).split("annotation.yaml: ")[1]
    # libyaml refuses the escape itself; PyYAML's own parser lets it through to the check
    assert message in (
        "line 13: malformed YAML: found invalid Unicode character escape code",
        "entity 'freedonia' (line 11): field 'label' (line 13) holds the character U+DC80 "
        "(a lone surrogate), which XML 1.0 cannot carry; remove it",
    )


def test_a_form_feed_in_the_text_is_refused_with_its_line_and_column(make_source):
    text = TINY_TEXT.replace(" The Ruritanian", "\n\x0cThe Ruritanian")
    message = _error(make_source, text=text)
    assert message.endswith(
        "article.txt: line 2, column 1: character U+000C (form feed), which XML 1.0 cannot "
        "carry; remove it (a form feed often comes from a PDF's page breaks)"
    )


def test_a_byte_order_mark_before_the_text_is_dropped_and_offsets_follow_it(make_source):
    corpus = load_corpus(make_source(text="\ufeff" + TINY_TEXT))
    assert corpus.sources[0].text == TINY_TEXT
    statement = next(s for s in corpus.statements if s.id == "vogel-represents-ruritania")
    assert statement.evidence.start == TINY_TEXT.index("The Ruritanian envoy")


def test_a_byte_order_mark_before_the_annotation_is_dropped(make_source):
    raw = "\ufeff" + yaml.safe_dump(tiny_annotation(), sort_keys=False)
    assert load_corpus(make_source(raw=raw)).sources[0].id == "tiny"


def test_a_long_value_is_cut_in_the_message(make_source):
    message = _error(make_source, annotation=_with(_set(("statements", 0, "when"), "x" * 10**6)))
    assert len(message) < 400
    assert message.endswith(f"got '{'x' * 78}…")


def test_a_huge_number_in_a_text_field_is_refused(make_source):
    raw = yaml.safe_dump(tiny_annotation(), sort_keys=False).replace(
        "label: Freedonia", "label: 0x" + "f" * 5000
    )
    assert "field 'label' must be text, got a number of 20000 bits" in _error(make_source, raw=raw)


def test_a_coder_s_file_is_named_for_the_coder_and_left_out_of_the_build(make_source):
    data = make_source()
    (data / "tiny" / "annotation.alice.yaml").write_text(
        yaml.safe_dump(tiny_annotation(), sort_keys=False), "utf-8"
    )
    (data / "tiny" / "annotation.Not A Coder.yaml").write_text("{}", "utf-8")
    assert coder_files(data / "tiny") == {"alice": data / "tiny" / "annotation.alice.yaml"}
    assert coder_name("annotation.yaml") is None
    # alice's file declares the same source id: read by the build, it would be a duplicate
    assert len(load_corpus(data).statements) == len(tiny_annotation()["statements"])


def test_the_quotes_of_a_source_are_located_without_scanning_its_text_for_each(
    make_source, monkeypatch
):
    """Each quote was found by scanning the whole text twice (``locate_quote``), so a source
    of n statements took time in n times its length; one index of the text serves them all."""
    sentences = [f"Ruritania blamed Freedonia for round {n} of the talks." for n in range(300)]
    annotation = tiny_annotation(
        statements=[
            statement(f"s{n}", "ruritania", "blames", "freedonia", sentence)
            for n, sentence in enumerate(sentences)
        ]
    )
    data = make_source(annotation=annotation, text=" ".join(sentences) + "\n")
    scans = []
    monkeypatch.setattr(graph.annotations, "locate_quote", lambda text, quote: scans.append(quote))
    corpus = load_corpus(data)
    assert scans == []
    last = corpus.statements[-1].evidence
    assert (last.start, last.exact) == (" ".join(sentences).index(sentences[-1]), sentences[-1])
    assert last.prefix == "Freedonia for round 298 of the talks. "[-32:]


# Reading a large corpus in worker processes ---------------------------------------------


def _sources(make_source, count: int) -> Path:
    data = None
    for number in range(count):
        name = f"source-{number:02d}"
        data = make_source(annotation=tiny_variant(name), folder=name)
    assert data is not None
    return data


@pytest.fixture
def read_apart(monkeypatch):
    """Every corpus read by workers, however small (they are forked for it)."""
    from graph import forked

    monkeypatch.setattr(graph.annotations, "READ_APART_BYTES", 0)
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    return watched_run_all(monkeypatch, graph.annotations)


def test_a_corpus_read_by_workers_is_the_one_read_in_this_process(make_source, read_apart):
    data = _sources(make_source, 9)
    alone = load_corpus(data)
    assert read_apart == []  # no workers unless asked for
    together = load_corpus(data, jobs=2)
    assert [len(work) for work in read_apart] == [8]  # four runs a worker
    assert together == alone
    assert [s.id for s in together.sources] == [f"source-{n:02d}" for n in range(9)]


def test_the_first_bad_file_in_order_is_the_one_named_whichever_worker_read_it(
    make_source, read_apart
):
    data = _sources(make_source, 9)
    for name in ("source-06", "source-02"):
        (data / name / "annotation.yaml").write_text("statements: [oops\n", encoding="utf-8")
    with pytest.raises(AnnotationError) as in_process:
        load_corpus(data)
    with pytest.raises(AnnotationError) as by_workers:
        load_corpus(data, jobs=2)
    assert str(by_workers.value) == str(in_process.value)
    assert "source-02" in str(by_workers.value) and by_workers.value.path == in_process.value.path


def test_a_source_read_from_files_carries_the_digest_of_both(make_source):
    data = make_source()
    source = load_corpus(data).sources[0]
    annotation = (data / "tiny" / "annotation.yaml").read_text(encoding="utf-8")
    assert source.digest == source_digest(annotation, TINY_TEXT)
    assert (
        read_source_digest(data / "tiny" / "annotation.yaml", "article.txt", data) == source.digest
    )
    assert source.digest != source_digest(annotation, TINY_TEXT + " ")


def test_the_digest_of_a_source_is_not_read_outside_its_data_folder(make_source, tmp_path):
    data = make_source()
    annotation = data / "tiny" / "annotation.yaml"
    outside = tmp_path / "outside.txt"
    outside.write_text(TINY_TEXT, encoding="utf-8")
    assert read_source_digest(annotation, "../../outside.txt", data) is None
    (data / "tiny" / "article.txt").unlink()
    (data / "tiny" / "article.txt").symlink_to(outside)
    assert read_source_digest(annotation, "article.txt", data) is None
    assert read_source_digest(annotation, "missing.txt", data) is None
