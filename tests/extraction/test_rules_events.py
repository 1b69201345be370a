"""The rules of events and incidents (graph/extraction/rules/events.py): targets,
locations, parts and causes, and the incidents an article names."""

from __future__ import annotations

import pytest

CASES = [
    (
        "The cyber-attack, which struck the cargo-handling systems of Nordbalt Terminals, "
        "halted the port.\n",
        ("cyber-attack", "targets", "nordbalt-terminals", "target"),
    ),
    (
        "He recalled the 2016 hacking of the US Democratic National Committee's (DNC) computers.\n",
        (
            "2016-hacking-of-the-us-democratic-national-committee",
            "targets",
            "democratic-national-committee",
            "target",
        ),
    ),
    (
        "Speaking at a cyber-security conference in Israel, Oleg Khramov said the talks had "
        "stalled.\n",
        ("cyber-security-conference-in-israel", "located_in", "israel", "location"),
    ),
    (
        "The two-day informal session of the OEWG was hosted by Switzerland.\n",
        ("two-day-informal-session-of-the-oewg", "located_in", "switzerland", "location"),
    ),
    (
        "The two-day meeting, which is hosted by the Estonian foreign ministry, opened.\n",
        ("estonian-foreign-ministry", "participates_in", "two-day-meeting", "location"),
    ),
    (
        "Article 51 of the UN Charter allows self-defence.\n",
        ("article-51", "part_of", "un-charter", "part"),
    ),
    (
        "Mike Schmitt has been monitoring the UN GGE discussions.\n",
        ("un-gge-discussions", "part_of", "un-gge", "part"),
    ),
    (
        "The talks collapsed in June due to an acrimonious dispute.\n",
        ("collapse-of-talks", "caused_by", "acrimonious-dispute", "cause"),
    ),
]


@pytest.mark.parametrize(("text", "fact"), CASES)
def test_an_event_fact_and_without_its_rule_none(text_facts, text, fact):
    rule = fact[3]
    assert fact in text_facts(text)
    assert not [f for f in text_facts(text, without={rule}) if f[3] == rule]


def test_that_break_in_is_the_operation_named_before(text_facts):
    text = (
        "The 2021 cyber-attack on the port of Muuga halted traffic. That break-in was "
        "allegedly coordinated by Grey Lynx.\n"
    )
    assert ("2021-cyber-attack-on-the-port-of-muuga", "attributed_to", "grey-lynx",
            "attribution") in text_facts(text)  # fmt: skip
