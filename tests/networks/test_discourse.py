import datetime

import networkx as nx
import pytest

from graph.networks.discourse import (
    affiliation_network,
    attribution_network,
    blame_network,
    calendar_windows,
    conflict_network,
    congruence_network,
    sanctions_network,
    speakers,
    stances,
    time_windows,
)


def coded(*statements, types=None):
    """A statement multigraph by hand: (subject, relation, object[, attributes])."""
    network = nx.MultiDiGraph()
    for node, kind in (types or {}).items():
        network.add_node(node, type=kind, label=node.title())
    for number, (subject, relation, obj, *extra) in enumerate(statements):
        attributes = {
            "relation": relation,
            "statement": f"s{number}",
            "modality": "reported",
            "hedged": False,
            "date": "2017-06-23",
            **(extra[0] if extra else {}),
        }
        network.add_edge(subject, obj, key=f"s{number}", **attributes)
    return network


TYPES = {
    "ana": "official",
    "ben": "official",
    "cy": "person",
    "ruritania": "state",
    "freedonia": "state",
    "delegation": "institution",
    "p1": "position",
    "p2": "position",
    "charter": "document",
    "hack": "incident",
}


@pytest.fixture
def debate():
    return coded(
        ("ana", "supports_position", "p1"),  # s0
        ("ana", "supports_position", "p1", {"modality": "speculative", "hedged": True}),  # s1
        ("ben", "supports_position", "p1"),  # s2
        ("cy", "opposes_position", "p1"),  # s3
        ("ben", "opposes_position", "p2"),  # s4
        ("cy", "opposes_position", "p2"),  # s5
        ("ana", "endorses", "charter"),  # s6: a document, not a stance
        ("ben", "endorses", "p2"),  # s7: a position, a stance (ben is on both sides of p2)
        ("ana", "represents", "ruritania"),  # s8
        ("ben", "leads", "delegation"),  # s9
        ("delegation", "represents", "freedonia"),  # s10
        ("cy", "represents", "freedonia", {"former": True}),  # s11
        ("ana", "blames", "ben"),  # s12
        ("ana", "blames", "cy", {"modality": "implicit", "hedged": True}),  # s13
        ("hack", "attributed_to", "ben", {"modality": "alleged", "hedged": True}),  # s14
        types=TYPES,
    )


def test_stances_count_supports_opposes_and_endorsed_positions_only(debate):
    found = {(s.actor, s.position, s.side, s.statement) for s in stances(debate)}
    assert ("ben", "p2", "supports", "s7") in found
    assert not any(s.position == "charter" for s in stances(debate))
    assert len(found) == 7


def test_stances_filter_by_modality(debate):
    firm = stances(debate, modalities={"reported"})
    assert "s1" not in {s.statement for s in firm}
    assert len(firm) == 6


def test_affiliation_network_is_signed_and_weighted(debate):
    two_mode = affiliation_network(debate)
    assert nx.is_bipartite(two_mode)
    assert two_mode.nodes["p1"]["bipartite"] == 1 and two_mode.nodes["ana"]["bipartite"] == 0
    ana = two_mode.edges["ana", "p1"]
    assert (ana["supports"], ana["opposes"], ana["weight"], ana["sign"]) == (2, 0, 2, 1)
    assert ana["statements"] == ["s0", "s1"]
    assert two_mode.edges["cy", "p1"]["sign"] == -1
    ben = two_mode.edges["ben", "p2"]
    assert (ben["supports"], ben["opposes"], ben["sign"]) == (1, 1, 0)


def test_congruence_joins_actors_on_the_same_side(debate):
    agree = congruence_network(debate)
    assert sorted(agree.edges) == [("ana", "ben"), ("ben", "cy")]
    assert agree.edges["ana", "ben"]["positions"] == ["p1"]
    assert agree.edges["ana", "ben"]["statements"] == ["s0", "s1", "s2"]
    assert agree.edges["ben", "cy"]["positions"] == ["p2"]
    assert agree.edges["ana", "ben"]["weight"] == 1


def test_conflict_joins_actors_on_opposite_sides(debate):
    disagree = conflict_network(debate)
    assert sorted(disagree.edges) == [("ana", "cy"), ("ben", "cy")]
    assert disagree.edges["ben", "cy"]["positions"] == ["p1", "p2"]
    assert disagree.edges["ben", "cy"]["weight"] == 2
    assert disagree.edges["ana", "cy"]["statements"] == ["s0", "s1", "s3"]


def test_jaccard_divides_by_the_positions_either_actor_takes(debate):
    agree = congruence_network(debate, normalise="jaccard")
    assert agree.edges["ana", "ben"]["weight"] == pytest.approx(1 / 2)
    disagree = conflict_network(debate, normalise="jaccard")
    assert disagree.edges["ben", "cy"]["weight"] == pytest.approx(2 / 2)


def test_speakers_follow_represents_and_leads_but_not_former_ties(debate):
    speaking = speakers(debate)
    assert speaking["ana"] == "ruritania"
    assert speaking["ben"] == "freedonia"  # leads the delegation, which represents Freedonia
    assert speaking["delegation"] == "freedonia"
    assert speaking["cy"] == "cy"  # only formerly represented Freedonia
    assert "p1" not in speaking and "hack" not in speaking


def test_speakers_stop_at_a_body_when_no_state_is_reached():
    network = coded(
        ("kim", "represents", "un"),
        ("un-gge", "part_of", "un"),
        types={"kim": "official", "un": "institution", "un-gge": "institution"},
    )
    assert speakers(network) == {"kim": "un", "un": "un", "un-gge": "un-gge"}


def test_roll_up_counts_an_officials_stance_for_the_state_and_keeps_the_statement(debate):
    by_state = stances(debate, level="state")
    assert any(s.actor == "ruritania" and s.via == "ana" and s.statement == "s0" for s in by_state)
    two_mode = affiliation_network(debate, level="state")
    assert two_mode.edges["ruritania", "p1"]["statements"] == ["s0", "s1"]
    assert two_mode.edges["freedonia", "p1"]["sign"] == 1
    assert "ana" not in two_mode and "cy" in two_mode
    disagree = conflict_network(debate, level="state")
    assert sorted(disagree.edges) == [("cy", "freedonia"), ("cy", "ruritania")]


def test_blame_network_rolls_up_both_ends(debate):
    blame = blame_network(debate)
    assert blame.edges["ana", "cy"]["hedged"] is True
    assert blame.edges["ana", "ben"]["modalities"] == ["reported"]
    by_state = blame_network(debate, level="state")
    assert sorted(by_state.edges) == [("ruritania", "cy"), ("ruritania", "freedonia")]
    assert by_state.edges["ruritania", "freedonia"]["statements"] == ["s12"]


def test_attribution_network_goes_from_incident_to_actor(debate):
    attribution = attribution_network(debate)
    assert list(attribution.edges(data="modalities")) == [("hack", "ben", ["alleged"])]
    assert list(attribution_network(debate, level="state").edges) == [("hack", "freedonia")]


STATEMENT = "https://w3id.org/actor-position-graph/source/sanctions/statement/"


def test_sanctions_network_goes_from_sanctioner_to_sanctioned_with_the_incidents(
    sanctions_statements,
):
    sanctions = sanctions_network(sanctions_statements)
    assert sorted(sanctions.edges) == [
        ("northern-union", "fis"),
        ("northern-union", "ivo-marek"),
        ("ruritania", "grey-fox"),
    ]
    fis = sanctions.edges["northern-union", "fis"]
    assert fis["weight"] == 1 and fis["incidents"] == ["blackout-attack"]
    assert fis["statements"] == [STATEMENT + "union-sanctions-fis"]
    assert fis["hedged"] is False and fis["modalities"] == ["asserted"]
    grey_fox = sanctions.edges["ruritania", "grey-fox"]
    assert grey_fox["incidents"] == [] and grey_fox["hedged"] is True
    assert sanctions.nodes["fis"]["label"] == "Freedonian military intelligence service"


def test_sanctions_on_an_intelligence_service_and_its_chief_fall_on_their_state(
    sanctions_statements,
):
    by_state = sanctions_network(sanctions_statements, level="state")
    assert sorted(by_state.edges) == [("northern-union", "freedonia"), ("ruritania", "grey-fox")]
    union = by_state.edges["northern-union", "freedonia"]
    assert union["weight"] == 2 and union["incidents"] == ["blackout-attack"]
    assert union["statements"] == [
        STATEMENT + "union-sanctions-fis",
        STATEMENT + "union-sanctions-marek",
    ]
    firm = sanctions_network(sanctions_statements, "state", modalities={"asserted"})
    assert list(firm.edges) == [("northern-union", "freedonia")]


def test_denials_count_against_the_attribution_of_the_state_the_denier_speaks_for(
    sanctions_statements,
):
    by_state = attribution_network(sanctions_statements, level="state")
    blackout = by_state.edges["blackout-attack", "freedonia"]
    # attributed to Freedonia and to the FIS, which is part of it; denied by its minister
    assert (blackout["weight"], blackout["denials"], blackout["net"]) == (2, 1, 1)
    assert blackout["denial_statements"] == [STATEMENT + "kral-denies-blackout"]
    assert blackout["statements"] == [
        STATEMENT + "blackout-attributed-to-fis",
        STATEMENT + "blackout-attributed-to-freedonia",
    ]


def test_a_denial_of_an_incident_nobody_attributes_to_the_denier_is_an_edge_of_its_own(
    sanctions_statements,
):
    by_state = attribution_network(sanctions_statements, level="state")
    harbour = by_state.edges["harbour-hack", "freedonia"]
    assert (harbour["weight"], harbour["denials"], harbour["net"]) == (0, 1, -1)
    assert harbour["statements"] == [] and harbour["modalities"] == []
    assert harbour["hedged"] is False
    assert by_state.nodes["harbour-hack"]["type"] == "incident"
    # statement by statement, the minister's denial is his own, not Freedonia's
    by_actor = attribution_network(sanctions_statements)
    assert by_actor.edges["blackout-attack", "freedonia"]["denials"] == 0
    kral = by_actor.edges["blackout-attack", "boris-kral"]
    assert (kral["weight"], kral["denials"], kral["net"]) == (0, 1, -1)


def test_denials_follow_the_modality_filter(debate):
    debate.add_edge("ben", "hack", key="d1", relation="denies", statement="d1", modality="alleged")
    debate.add_edge("ben", "hack", key="d2", relation="denies", statement="d2", modality="reported")
    edge = attribution_network(debate).edges["hack", "ben"]
    assert (edge["weight"], edge["denials"], edge["net"]) == (1, 2, -1)
    assert edge["denial_statements"] == ["d1", "d2"]
    firm = attribution_network(debate, modalities={"reported"})
    assert list(firm.edges(data="denials")) == [
        ("hack", "ben", 1)
    ]  # the alleged attribution is out
    assert firm.edges["hack", "ben"]["weight"] == 0


def test_seed_has_no_sanctions_and_no_denials(seed_network):
    assert sanctions_network(seed_network).number_of_edges() == 0
    for level in ("actor", "state"):
        attribution = attribution_network(seed_network, level)
        assert attribution.number_of_edges() > 0
        for *_, edge in attribution.edges(data=True):
            assert edge["denials"] == 0 and edge["net"] == edge["weight"] > 0


def test_time_windows_cut_statements_by_date():
    network = coded(
        ("a", "blames", "b", {"date": "2017-01-10"}),
        ("a", "blames", "b", {"date": "2017-02"}),
        ("a", "blames", "b", {"date": "2017-03-05"}),
        ("a", "blames", "b", {"date": ""}),
    )
    windows = list(time_windows(network, days=31))
    assert [(str(first), str(last)) for first, last, _ in windows] == [
        ("2017-01-10", "2017-02-09"),
        ("2017-02-10", "2017-03-12"),
    ]
    assert [sorted(k for *_, k in w.edges(keys=True)) for *_, w in windows] == [
        ["s0", "s1"],
        ["s2"],
    ]
    assert all(w.number_of_nodes() == 2 for *_, w in windows)
    sliding = list(time_windows(network, days=31, step=10))
    assert sliding[0][0] == datetime.date(2017, 1, 10) and len(sliding) == 6
    assert blame_network(windows[1][2]).edges["a", "b"]["weight"] == 1


def test_time_windows_can_start_on_a_given_day():
    network = coded(
        ("a", "blames", "b", {"date": "2016-12-20"}),
        ("a", "blames", "b", {"date": "2017-06"}),
    )
    windows = list(time_windows(network, days=365, start=datetime.date(2017, 1, 1)))
    assert [(str(first), str(last)) for first, last, _ in windows] == [("2017-01-01", "2017-12-31")]
    assert [k for *_, k in windows[0][2].edges(keys=True)] == ["s1"]  # 2016 is before


def test_time_windows_refuse_a_zero_length():
    with pytest.raises(ValueError, match="at least one day"):
        list(time_windows(nx.MultiDiGraph(), days=0))


def test_seed_state_level_puts_cuba_against_self_defence(seed_graph):
    from graph import to_networkx

    two_mode = affiliation_network(to_networkx(seed_graph), level="state")
    cuba = two_mode.edges["cuba", "self-defence-applies-in-cyberspace"]
    assert cuba["sign"] == -1
    # Rodríguez's own statement counts for Cuba, and stays traceable
    assert any(s.endswith("/statement/rodriguez-opposes-self-defence") for s in cuba["statements"])


def test_calendar_windows_cover_whole_months_that_hold_statements():
    network = coded(
        ("a", "blames", "b", {"date": "2016-02-29"}),
        ("a", "blames", "b", {"date": "2016-02"}),
        ("a", "blames", "b", {"date": "2016-12-31"}),
    )
    months = [
        (str(first), str(last), w.number_of_edges())
        for first, last, w in calendar_windows(network, "month")
    ]
    assert months == [("2016-02-01", "2016-02-29", 2), ("2016-12-01", "2016-12-31", 1)]
    with pytest.raises(ValueError, match="year' or 'month"):
        list(calendar_windows(network, "week"))


_PROJECTIONS = (
    affiliation_network,
    congruence_network,
    conflict_network,
    blame_network,
    sanctions_network,
    attribution_network,
)


@pytest.mark.parametrize("modalities", [None, {"asserted", "reported"}])
def test_networks_made_with_what_they_share_are_the_networks_made_alone(
    synthetic_dataset, seed_network, modalities
):
    from graph.networks.discourse import Shared
    from graph.networks.projection import to_networkx
    from graph.rdf import union_view

    for network in (seed_network, to_networkx(union_view(synthetic_dataset))):
        shared = Shared(network)
        for level in ("actor", "state"):
            for project in _PROJECTIONS:
                alone = nx.node_link_data(project(network, level, modalities), edges="edges")
                made = project(network, level, modalities, shared=shared)
                # the same nodes, edges, attributes and order: the same files
                assert nx.node_link_data(made, edges="edges") == alone
            assert shared.stances(level, modalities) == stances(network, level, modalities)
        assert shared.speakers() == speakers(network)
    assert shared.statements_of("blames")
    assert all(data["relation"] == "blames" for *_, data in shared.statements_of("blames"))
