import json

import networkx as nx
import pytest

from graph.networks.analysis import analyse, camps, format_analysis, polarisation, signed_network
from graph.networks.discourse import conflict_network


def two_camps():
    """Red and Rose support p and q; Blue and Navy oppose them; Navy also agrees with Rose on r."""
    network = nx.MultiDiGraph()
    for actor in ("red", "rose", "blue", "navy"):
        network.add_node(actor, type="state", label=actor.title())
    for position in ("p", "q", "r"):
        network.add_node(position, type="position", label=position.upper())
    stances = [
        ("red", "supports_position", "p"),
        ("rose", "supports_position", "p"),
        ("red", "supports_position", "q"),
        ("rose", "supports_position", "q"),
        ("blue", "opposes_position", "p"),
        ("navy", "opposes_position", "p"),
        ("blue", "opposes_position", "q"),
        ("navy", "opposes_position", "q"),
        ("navy", "supports_position", "r"),
        ("rose", "supports_position", "r"),
        ("blue", "blames", "red"),
    ]
    for number, (subject, relation, obj) in enumerate(stances):
        network.add_edge(
            subject, obj, relation=relation, statement=f"s{number}", modality="reported"
        )
    return network


def test_signed_network_is_congruence_minus_conflict():
    signed = signed_network(two_camps())
    assert signed.edges["red", "rose"] == {"congruence": 2, "conflict": 0, "weight": 2}
    assert signed.edges["red", "blue"] == {"congruence": 0, "conflict": 2, "weight": -2}
    assert signed.edges["navy", "rose"] == {"congruence": 1, "conflict": 2, "weight": -1}


def test_agreeing_actors_without_conflict_stay_one_camp():
    network = two_camps()
    network.remove_nodes_from(["blue", "navy"])
    network.add_node("green", type="state", label="Green")
    network.add_edge("green", "r", relation="supports_position", statement="g", modality="reported")
    # Red-Rose on p and q, Rose-Green on r: a chain, not two camps
    assert camps(signed_network(network)) == [frozenset({"red", "rose", "green"})]


def test_camps_and_polarisation_of_a_known_split():
    signed = signed_network(two_camps())
    groups = camps(signed)
    assert groups == [frozenset({"blue", "navy"}), frozenset({"red", "rose"})]
    polar, balance = polarisation(signed, groups)
    assert polar == 1.0  # all 8 conflict ties run between the camps
    # explained: 2 + 2 congruence inside, 8 conflict between; the Navy-Rose agreement is not
    assert balance == pytest.approx(12 / 13)


def test_polarisation_is_zero_when_the_camps_do_not_match_the_conflict():
    signed = signed_network(two_camps())
    polar, _ = polarisation(signed, [frozenset({"red", "blue"}), frozenset({"rose", "navy"})])
    assert polar == pytest.approx(4 / 8)


def test_analysis_ranks_blame_and_bridges():
    analysis = analyse(two_camps())
    assert analysis.rankings["blames"] == (("blue", 1.0),)
    assert analysis.rankings["blamed"] == (("red", 1.0),)
    assert analysis.rankings["bridges"] == ()  # Navy and Rose disagree more than they agree
    red_camp = next(c for c in analysis.camps if "red" in c.members)
    assert red_camp.supports == ("p", "q") and red_camp.opposes == ()
    blue_camp = next(c for c in analysis.camps if "blue" in c.members)
    assert blue_camp.opposes == ("p", "q") and blue_camp.labels == ("Blue", "Navy")


def test_analysis_ranks_who_imposes_sanctions_and_who_is_sanctioned(sanctions_statements):
    by_state = analyse(sanctions_statements, level="state")
    assert by_state.rankings["sanctions"] == (("northern-union", 2.0), ("ruritania", 1.0))
    assert by_state.rankings["sanctioned"] == (("freedonia", 2.0), ("grey-fox", 1.0))
    # denials do not make an attribution: the Harbour hack attributes nothing to Freedonia
    assert by_state.rankings["attributed"] == (("freedonia", 2.0),)
    by_actor = analyse(sanctions_statements)
    assert by_actor.rankings["sanctioned"] == (("fis", 1.0), ("grey-fox", 1.0), ("ivo-marek", 1.0))
    table = format_analysis(by_state)
    assert "sanctions:  Northern Union (2), Ruritania (1)\n" in table
    assert "sanctioned: Freedonia (2), Grey Fox (1)\n" in table


def test_seed_camps_at_state_level_split_russia_china_cuba_from_the_west(seed_network):
    analysis = analyse(seed_network, level="state")
    east = next(c for c in analysis.camps if "russia" in c.members)
    west = next(c for c in analysis.camps if "united-states" in c.members)
    assert east is not west
    assert {"russia", "china", "cuba"} <= set(east.members)
    assert {"united-states", "united-kingdom", "western-countries"} <= set(west.members)
    assert "self-defence-applies-in-cyberspace" in east.opposes
    assert "self-defence-applies-in-cyberspace" in west.supports
    assert "international-law-applies-in-cyberspace" in west.supports
    assert analysis.polarisation == 1.0
    # the DNC hack (through Russian intelligence) and hostile cyber operations
    assert analysis.rankings["attributed"][0] == ("russia", 3.0)


def test_seed_edges_behind_the_camps(seed_network):
    signed = signed_network(seed_network, level="state")
    # Cuba (through Rodríguez) and Russia both oppose self-defence in cyberspace
    assert signed.edges["cuba", "russia"]["congruence"] >= 1
    assert signed.edges["cuba", "russia"]["conflict"] == 0
    # the United States (through Markoff) and Russia are on opposite sides of three positions
    assert signed.edges["russia", "united-states"]["conflict"] == 3
    disagree = conflict_network(seed_network, level="state")
    assert disagree.edges["russia", "united-states"]["positions"] == [
        "international-law-applies-in-cyberspace",
        "self-defence-applies-in-cyberspace",
        "states-free-to-act-without-limits",
    ]
    assert signed.edges["cuba", "western-countries"]["weight"] < 0


def test_seed_actor_level_keeps_officials_apart_from_their_states(seed_network):
    analysis = analyse(seed_network, level="actor")
    members = {m for camp in analysis.camps for m in camp.members}
    assert {"miguel-rodriguez", "michele-markoff"} <= members
    russian = next(c for c in analysis.camps if "russia" in c.members)
    assert "miguel-rodriguez" in russian.members


def test_hedged_statements_can_be_left_out(seed_network):
    firm = analyse(seed_network, level="state", modalities={"asserted", "reported"})
    # Russia's and China's stances are implicit or speculative but one: Russia's reported
    # stance is shared with nobody, China has none left; the West is one camp
    assert "russia" in firm.unaligned
    assert "china" not in signed_network(seed_network, "state", {"asserted", "reported"})
    assert [c.members for c in firm.camps] == [
        ("mike-schmitt", "un-gge", "united-kingdom", "united-states")
    ]


def test_format_analysis_as_table_and_json(seed_network):
    analysis = analyse(seed_network, level="state")
    table = format_analysis(analysis)
    assert "polarisation: 1.00" in table
    assert any(line.startswith("camp ") and "Cuba" in line for line in table.splitlines())
    document = json.loads(format_analysis(analysis, "json"))
    assert document["level"] == "state"
    assert any("cuba" in camp["members"] for camp in document["camps"])
    assert document["rankings"]["blamed"][0]["actor"] in {"china", "russia", "western-countries"}
