"""The rows of the explorer's tables and its actor view, on the seed and on a sanctions source."""

from __future__ import annotations

import json
import re

import pytest

from graph import render_html
from graph.explorer import views
from graph.explorer.views import ACTOR_TYPES, actor_view, attribution_rows, statement_rows
from graph.networks import speakers
from graph.networks.discourse import (
    ACTOR_TYPES as DISCOURSE_ACTOR_TYPES,
    blame_network,
    conflict_network,
    congruence_network,
)
from tests.factories import statement_graph


def _ids(seed_corpus, relation: str) -> set[str]:
    return {s.id for s in seed_corpus.statements if s.relation == relation}


def _local(keys) -> set[str]:
    return {key.rsplit("/", 1)[-1] for key in keys}


def test_the_blame_rows_hold_the_seeds_eight_blame_statements(seed_network, seed_corpus):
    rows = statement_rows(seed_network, "blames")
    assert len(rows) == 8
    assert _local(key for row in rows for key in row["statements"]) == _ids(seed_corpus, "blames")
    khramov = next(row for row in rows if row["subject"] == "oleg-khramov")
    assert khramov["object"] == "western-countries"
    assert _local(khramov["statements"]) == {"khramov-blames-west"}
    # sorted by the blamer's label: Michele Markoff, Mike Schmitt, Oleg Khramov, Russia
    assert [row["subject"] for row in rows] == [
        *["michele-markoff"] * 3,
        *["mike-schmitt"] * 3,
        "oleg-khramov",
        "russia",
    ]


def test_the_attribution_rows_hold_the_seeds_attributions(seed_network, seed_corpus):
    rows = attribution_rows(seed_network, speakers(seed_network))
    assert _local(k for row in rows for k in row["statements"]) == _ids(
        seed_corpus, "attributed_to"
    )
    assert {(row["incident"], row["actor"]) for row in rows} == {
        ("dnc-hack-2016", "russia"),
        ("dnc-hack-2016", "russian-intelligence"),
        ("hostile-cyber-operations", "china"),
        ("hostile-cyber-operations", "cuba"),
        ("hostile-cyber-operations", "russia"),
    }
    assert all(row["denials"] == [] for row in rows)


def test_a_denial_sits_beside_the_attribution_it_answers(sanctions_statements):
    rows = {
        (row["incident"], row["actor"]): row
        for row in attribution_rows(sanctions_statements, speakers(sanctions_statements))
    }
    # the foreign minister speaks for Freedonia: his denial answers the attribution to it
    freedonia = rows["blackout-attack", "freedonia"]
    assert _local(freedonia["statements"]) == {"blackout-attributed-to-freedonia"}
    assert _local(freedonia["denials"]) == {"kral-denies-blackout"}
    assert rows["blackout-attack", "fis"]["denials"] == []
    # nobody attributes the Harbour hack: the denial has a row of its own
    harbour = rows["harbour-hack", "freedonia"]
    assert harbour["statements"] == [] and _local(harbour["denials"]) == {
        "freedonia-denies-harbour-hack"
    }
    assert len(rows) == 3


def test_without_speakers_a_denial_answers_only_the_denier(sanctions_statements):
    rows = {(r["incident"], r["actor"]): r for r in attribution_rows(sanctions_statements)}
    assert rows["blackout-attack", "freedonia"]["denials"] == []
    assert _local(rows["blackout-attack", "boris-kral"]["denials"]) == {"kral-denies-blackout"}


def test_the_sanction_rows_list_who_sanctions_whom(sanctions_statements):
    rows = statement_rows(sanctions_statements, "sanctions")
    assert [(row["subject"], row["object"]) for row in rows] == [
        ("northern-union", "fis"),
        ("northern-union", "ivo-marek"),
        ("ruritania", "grey-fox"),
    ]


def test_the_actor_view_holds_only_actors(seed_network):
    for view in (actor_view(seed_network), actor_view(seed_network, speakers(seed_network))):
        assert view is not None
        kept = {node["id"] for node in view["nodes"]}
        assert {seed_network.nodes[n]["type"] for n in kept} <= ACTOR_TYPES
        assert {n for e in view["edges"] for n in (e["from"], e["to"])} == kept
        assert {"russia", "united-states", "china"} <= kept
    assert ACTOR_TYPES == DISCOURSE_ACTOR_TYPES


def _pairs(view, kind: str) -> set[tuple[str, str]]:
    return {(e["from"], e["to"]) for e in view["edges"] if e["kind"] == kind}


@pytest.mark.parametrize("level", ["actor", "state"])
def test_the_actor_view_draws_the_discourse_networks(seed_network, level):
    roll = speakers(seed_network) if level == "state" else None
    view = actor_view(seed_network, roll)
    assert view is not None
    blames = blame_network(seed_network, level)
    assert _pairs(view, "blames") == set(blames.edges)
    for kind, network in (
        ("agrees", congruence_network(seed_network, level)),
        ("disagrees", conflict_network(seed_network, level)),
    ):
        assert _pairs(view, kind) == {tuple(sorted(pair)) for pair in network.edges}


def test_rolled_up_officials_speak_for_their_states(seed_network):
    view = actor_view(seed_network, speakers(seed_network))
    assert view is not None
    kept = {node["id"] for node in view["nodes"]}
    assert "oleg-khramov" not in kept and "michele-markoff" not in kept
    west = next(e for e in view["edges"] if e["id"] == "blames russia western-countries")
    assert _local(west["statements"]) == {"khramov-blames-west", "russia-blames-west-per-khramov"}
    # attributions are drawn from the one who claims them: US intelligence speaks for the US
    assert ("united-states", "russia") in _pairs(view, "attributes")


def test_agreement_lists_the_positions_and_both_sides_statements(seed_network):
    view = actor_view(seed_network)
    assert view is not None
    link = next(e for e in view["edges"] if e["id"] == "disagrees miguel-rodriguez united-states")
    assert link["positions"] == ["self-defence-applies-in-cyberspace"]
    assert {seed_network.edges[s, o, k]["relation"] for s, o, k in _edges(seed_network, link)} == {
        "supports_position",
        "opposes_position",
    }


def _edges(network, link):
    wanted = set(link["statements"])
    return [(s, o, k) for s, o, k in network.edges(keys=True) if k in wanted]


def test_the_actor_view_opens_the_same_way_every_time(seed_network):
    first = actor_view(seed_network, speakers(seed_network))
    assert first == actor_view(seed_network, speakers(seed_network))
    assert first is not None
    places = [(node["x"], node["y"]) for node in first["nodes"]]
    assert len(set(places)) == len(places)  # no two actors drawn on the same spot


def test_no_actor_view_above_the_limit(seed_network, monkeypatch):
    monkeypatch.setattr(views, "ACTOR_VIEW_LIMIT", 5)
    assert actor_view(seed_network) is None


@pytest.mark.parametrize("level", ["actor", "state"])
def test_an_actor_view_of_as_many_actors_as_the_limit_is_made(seed_network, monkeypatch, level):
    """The view stops as soon as the actors linked so far pass the limit: one at the
    limit, whose last actors come late among the statements, is still made whole."""
    roll = speakers(seed_network) if level == "state" else None
    view = actor_view(seed_network, roll)
    assert view is not None
    shown = len(view["nodes"])
    monkeypatch.setattr(views, "ACTOR_VIEW_LIMIT", shown)
    assert actor_view(seed_network, roll) == view
    monkeypatch.setattr(views, "ACTOR_VIEW_LIMIT", shown - 1)
    assert actor_view(seed_network, roll) is None


def test_an_actor_view_of_blames_alone_is_made_up_to_the_limit(monkeypatch):
    """Every actor shown is one of a blame: the view gives up only past the limit."""
    blames = statement_graph([("alpha", "blames", "beta"), ("beta", "blames", "gamma")])
    monkeypatch.setattr(views, "ACTOR_VIEW_LIMIT", 3)
    view = actor_view(blames)
    assert view is not None
    assert [node["id"] for node in view["nodes"]] == ["alpha", "beta", "gamma"]
    monkeypatch.setattr(views, "ACTOR_VIEW_LIMIT", 2)
    assert actor_view(blames) is None


def test_the_page_carries_the_tables_and_the_actor_views(seed_network):
    html = render_html(seed_network, "Seed", {}, speakers=speakers(seed_network))
    match = re.search(r'<script type="application/json" id="data-views">(.*?)</script>', html)
    assert match
    carried = json.loads(match.group(1))
    assert len(carried["tables"]["blames"]) == 8
    assert set(carried["actors"]) == {"actor", "state"}
    assert set(carried["linkColours"]) == {"blames", "agrees", "disagrees", "attributes"}
    without = render_html(seed_network, "Seed", {})
    match = re.search(r'<script type="application/json" id="data-views">(.*?)</script>', without)
    assert match and set(json.loads(match.group(1))["actors"]) == {"actor"}


def test_the_views_walk_the_edges_they_are_given_once_for_all(seed_network, monkeypatch):
    """The page walks the graph's edges once and hands them to every view: the same
    views as each view walking the graph itself."""
    roll = speakers(seed_network)
    walked = views.explorer_views(seed_network, roll)
    edges = list(seed_network.edges(keys=True, data=True))

    class Unwalked(type(seed_network)):
        def edges(self, *args, **options):
            raise AssertionError("the views walked the graph's edges")

    frozen = Unwalked(seed_network)
    assert views.explorer_views(frozen, roll, edges=edges) == walked
