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
    (
        "The Emberwolf wiper spread across Europe in May. Victims included the Spanish bank "
        "Banco Lumen and the Polish airline Wisla Air.\n",
        ("emberwolf", "targets", "wisla-air", "victim"),
    ),
    (
        "The Emberwolf malware spread in May. The Bank of Lithuania was hit hard.\n",
        ("emberwolf", "targets", "bank-of-lithuania", "victim"),
    ),
    (
        "The Emberwolf malware spread in May. Latvia and Estonia, whose railways were hit, "
        "protested.\n",
        ("emberwolf", "targets", "estonia", "victim"),
    ),
    (
        "The Emberwolf malware spread in May. Lithuanian officials said Baltrail had been "
        "among Emberwolf's victims.\n",
        ("emberwolf", "targets", "baltrail", "victim"),
    ),
    (
        "The Emberwolf malware spread in May. It was a reckless attack, aimed at Latvia, "
        "that spread further.\n",
        ("emberwolf", "targets", "latvia", "victim"),
    ),
    (
        "Operation Silent Lantern, which targeted the Estonian foreign ministry, ran for a year.\n",
        ("operation-silent-lantern", "targets", "estonian-foreign-ministry", "victim"),
    ),
    (
        "Analysts blamed a hacking group it calls Grey Heron, which is believed to be a unit "
        "of the SVR.\n",
        ("grey-heron", "part_of", "svr", "group-link"),
    ),
    (
        "The data was stolen by UNC4321, which operates on behalf of the FSB.\n",
        ("unc4321", "represents", "fsb", "group-link"),
    ),
    (
        "The agency traced the attack to a group it calls Dusk Wren, which it said operates "
        "on behalf of Russia's FSB.\n",
        ("dusk-wren", "represents", "fsb", "group-link"),
    ),
    (
        "The EU listed the GRU unit known as Rust Finch.\n",
        ("rust-finch", "part_of", "gru", "group-link"),
    ),
    (
        "Iranian hacking group Pale Lynx broke into the network.\n",
        ("pale-lynx", "affiliated_with", "iran", "group-link"),
    ),
    (
        "North Korean hacking group Lazarus stole 81 million dollars.\n",
        ("lazarus-group", "affiliated_with", "north-korea", "group-link"),
    ),
    (
        "APT28, a unit of Russia's GRU, hacked the party.\n",
        ("apt28", "part_of", "gru", "group-link"),
    ),
    (
        "A Tehran-based company, Pars Data Systems, built the servers.\n",
        ("pars-data-systems", "located_in", "iran", "location"),
    ),
    (
        "A ransomware attack crippled two clinics last week. The attack encrypted patient "
        "files at the Vilnius Heart Institute and the Kaunas Regional Hospital.\n",
        ("ransomware-attack", "targets", "kaunas-regional-hospital", "target"),
    ),
    (
        "Ostra Vind, a Danish wind-farm operator, lost power.\n",
        ("ostra-vind", "located_in", "denmark", "location"),
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


@pytest.mark.parametrize(
    "text",
    [
        "The Emberwolf malware spread in May. The ministry was hit by sanctions.\n",
        "Victims included the Spanish bank Banco Lumen.\n",  # no operation named before
    ],
)
def test_no_victim_without_an_operation(text_facts, text):
    assert not [fact for fact in text_facts(text) if fact[1] == "targets"]


def test_a_believed_unit_is_alleged(draft_text):
    draft = draft_text(
        "Analysts blamed a hacking group it calls Grey Heron, which is believed to be a unit "
        "of the SVR.\n"
    )
    [link] = [s for s in draft.statements if s.rule == "group-link"]
    assert link.modality == "alleged"


PLACE_AND_PART_CASES = [
    (
        "Kestrel Point, a Singapore security firm, traced the malware.\n",
        ("kestrel-point", "located_in", "singapore", "location"),
    ),
    (
        "A Lisbon-based company, Verde Systems, was named in the report.\n",
        ("verde-systems", "located_in", "portugal", "location"),
    ),
    (
        "The Brazilian embassy in London declined to comment.\n",
        ("brazilian-embassy", "located_in", "united-kingdom", "location"),
    ),
    (
        "Sandworm, which is believed to be a unit of the GRU, struck again.\n",
        ("sandworm", "part_of", "gru", "group-link"),
    ),
    (
        "The General Assembly held a special session on cybercrime on Monday.\n",
        ("special-session", "part_of", "un-general-assembly", "meeting"),
    ),
    (
        "The General Assembly held a special session on cybercrime on Monday. The "
        "representative of Chile said the treaty was overdue.\n",
        ("chile", "speaks_at", "special-session", "meeting"),
    ),
    (
        "The General Assembly held a special session on cybercrime on Monday. Kenya's "
        "representative cautioned against haste.\n",
        ("kenya", "speaks_at", "special-session", "meeting"),
    ),
    (
        "Lu Wei told a regular news briefing that the claims were groundless.\n",
        ("lu-wei", "speaks_at", "regular-news-briefing", "meeting"),
    ),
]


@pytest.mark.parametrize(("text", "fact"), PLACE_AND_PART_CASES)
def test_a_place_part_or_meeting_fact_and_without_its_rule_none(text_facts, text, fact):
    rule = fact[3]
    assert fact in text_facts(text)
    assert not [f for f in text_facts(text, without={rule}) if f[3] == rule]


def test_a_unit_believed_to_be_part_of_a_body_is_alleged(draft_text):
    draft = draft_text("Sandworm, which is believed to be a unit of the GRU, struck again.\n")
    [unit] = [s for s in draft.statements if s.subject == "sandworm"]
    assert (unit.rule, unit.modality) == ("group-link", "alleged")


def test_a_representative_speaks_at_no_meeting_when_none_was_held(text_facts):
    facts = text_facts("The representative of France said that the talks had stalled.\n")
    assert not [f for f in facts if f[1] == "speaks_at"]


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "The Philippine Coast Guard said the intrusion had been contained.\n",
            {("coast-guard", "part_of", "philippines")},
        ),
        (
            "Canada's foreign ministry summoned the ambassador.\n",
            {
                ("canada-s-foreign-ministry", "part_of", "canada"),
                ("canada-s-foreign-ministry", "represents", "canada"),
            },
        ),
        (
            "The Dutch shipping company said its systems were restored.\n",
            {("dutch-shipping-company", "located_in", "netherlands")},
        ),
    ],
)
def test_a_body_named_with_its_state_relates_to_it_by_what_it_is(text_facts, text, facts):
    found = {f[:3] for f in text_facts(text) if f[3] == "organ"}
    assert found == facts


def test_representatives_in_a_clause_take_part_in_the_meeting(text_facts):
    text = (
        "The General Assembly held a debate on cybercrime. She proposed a fund, an idea the "
        "representatives of Ghana and Peru supported.\n"
    )
    facts = text_facts(text)
    assert {("ghana", "participates_in", "debate", "meeting"),
            ("peru", "participates_in", "debate", "meeting")} <= facts  # fmt: skip
    assert not [f for f in facts if f[1] == "speaks_at"]


@pytest.mark.parametrize(
    ("text", "not_target"),
    [
        # the members of a parliament, a clinic in a city, the campaign of a senator: the
        # people or the body hit are not the parliament, the city or the senate
        ("The 2022 hacking of the email accounts of members of the Storting leaked files.\n",
         "storting"),
        ("Prosecutors described a 2021 attack on a clinic in Tartu.\n", "tartu"),
        ("Officials investigated the hack of the campaign of Senate candidate Ann Lowe.\n",
         "senate"),
        ("They condemned the attacks on the water agencies of Chile and Peru.\n", "chile"),
    ],
)  # fmt: skip
def test_a_body_within_is_no_target_of_its_owner(text_facts, text, not_target):
    assert not [f for f in text_facts(text) if f[1] == "targets" and f[2] == not_target]


@pytest.mark.parametrize(
    "text",
    [
        "States that carry out cyber-attacks against Norway will face consequences.\n",
        "The Emberwolf wiper spread in May. Finland was among the main targets of "
        "cyberattacks last year.\n",
    ],
)
def test_attacks_of_a_kind_target_no_one_operation(text_facts, text):
    assert not [fact for fact in text_facts(text) if fact[1] == "targets"]
