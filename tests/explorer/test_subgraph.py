import pytest

from graph import SelectionError, find_entity, select_subgraph
from graph.explorer.subgraph import selection_title


def test_find_entity_by_id_label_or_alias(seed_network):
    assert find_entity(seed_network, "oleg-khramov") == "oleg-khramov"
    assert find_entity(seed_network, "Oleg Khramov") == "oleg-khramov"
    assert find_entity(seed_network, "moscow") == "russia"


def test_unknown_name_is_refused(seed_network):
    with pytest.raises(SelectionError, match="no entity has the id, label or alias 'Atlantis'"):
        find_entity(seed_network, "Atlantis")


def test_focus_with_depth_one_keeps_the_neighbours(seed_network):
    selected = select_subgraph(seed_network, focus="Oleg Khramov", depth=1)
    neighbours = set(seed_network.successors("oleg-khramov")) | set(
        seed_network.predecessors("oleg-khramov")
    )
    assert set(selected.nodes) == neighbours | {"oleg-khramov"}
    assert {"russia", "western-countries"} <= set(selected.nodes)
    assert selected.number_of_edges() == seed_network.subgraph(selected.nodes).number_of_edges()


def test_depth_zero_is_the_focus_alone(seed_network):
    selected = select_subgraph(seed_network, focus="russia", depth=0)
    assert list(selected.nodes) == ["russia"]


def test_relations_filter_keeps_only_those_edges(seed_network):
    selected = select_subgraph(seed_network, relations=["blames"])
    assert {d["relation"] for _, _, d in selected.edges(data=True)} == {"blames"}
    assert selected.number_of_nodes() == seed_network.number_of_nodes()


def test_types_filter_keeps_only_those_nodes(seed_network):
    selected = select_subgraph(seed_network, types=["state", "position"])
    assert {d["type"] for _, d in selected.nodes(data=True)} == {"state", "position"}
    assert ("russia", "self-defence-applies-in-cyberspace") in selected.edges()


def test_unknown_relation_or_type_is_refused(seed_network):
    with pytest.raises(SelectionError, match="unknown relation 'praises'"):
        select_subgraph(seed_network, relations=["praises"])
    with pytest.raises(SelectionError, match="unknown type 'planet'"):
        select_subgraph(seed_network, types=["planet"])


def test_the_input_graph_is_left_alone(seed_network):
    before = seed_network.number_of_edges()
    select_subgraph(seed_network, focus="russia", relations=["blames"])
    assert seed_network.number_of_edges() == before


def test_unknown_name_suggests_the_closest_labels(seed_network):
    with pytest.raises(SelectionError) as refused:
        find_entity(seed_network, "Oleg Kramov")
    assert str(refused.value) == (
        "no entity has the id, label or alias 'Oleg Kramov'; did you mean 'Oleg Khramov'?"
    )
    with pytest.raises(SelectionError, match=r"'russa'; did you mean 'Russia'\?$"):
        find_entity(seed_network, "russa")


def test_a_hostile_name_stays_on_one_line(seed_network):
    with pytest.raises(SelectionError) as refused:
        find_entity(seed_network, "Khramov\n<b>")
    assert "\n" not in str(refused.value)


def test_selection_titles_say_what_was_selected(seed_network):
    assert selection_title(seed_network) is None
    assert selection_title(seed_network, focus="oleg-khramov") == "Around Oleg Khramov, 1 step"
    assert selection_title(seed_network, focus="Moscow", depth=2) == "Around Russia, 2 steps"
    assert selection_title(seed_network, relations=["blames"]) == "Blames only"
    assert (
        selection_title(seed_network, relations=["blames", "opposes_position"], types=["person"])
        == "Blames and opposes position only; persons only"
    )


def test_the_nodes_of_a_focus_keep_the_order_of_the_network(seed_network):
    # not the order of a set of names, which changes with the hashes from run to run
    part = select_subgraph(seed_network, focus="russia", depth=1)
    assert 1 < len(part) < len(seed_network) / 2
    assert list(part) == [node for node in seed_network if node in part]
