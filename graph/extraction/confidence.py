"""How far to trust what ``apg extract`` drafts: per statement rule and per way of finding
an entity, (matched + 1) / (drafted + 2) over the drafts of the seed and of the two fixture
articles scored against their curated annotations (``python3 scripts/rule_precision.py``
measures them). The rules were written while looking at these texts: on a new article,
expect less."""

from __future__ import annotations

__all__ = ["ENTITY_CONFIDENCE", "RULE_CONFIDENCE"]

RULE_CONFIDENCE = {
    "unnamed-target": 0.9,
    "apposition": 0.89,
    "participation": 0.87,
    "attribution": 0.86,
    "speaking": 0.86,
    "view": 0.83,
    "quotation": 0.83,
    "affiliation": 0.8,
    "location": 0.8,
    "membership": 0.8,
    "part": 0.8,
    "meeting": 0.7,
    "blame-verb": 0.8,
    "stance-verb": 0.8,
    "relative-clause": 0.75,
    "organ": 0.71,
    "cause": 0.67,
    "editor": 0.67,
    "reported-speech": 0.62,
    "target": 0.6,
    "speaker-state": 0.25,
    # not yet measured, a cautious guess: victims, hacking groups' links
    "victim": 0.6,
    "group-link": 0.6,
    # the frames (graph/extraction/frames/): not yet measured, a cautious guess
    "deny-frame": 0.6,
    "sanction-frame": 0.6,
    "attribution-frame": 0.6,
    "blame-frame": 0.6,
    "suspicion-frame": 0.5,
    "finding-frame": 0.5,
    # a title before a name: not yet measured
    "title": 0.75,
    "concern-frame": 0.6,
    "endorse-frame": 0.6,
    "codify-frame": 0.6,
}

# how an entity of a draft was found (``DraftEntity.found_by``)
ENTITY_CONFIDENCE = {
    "known-name": 0.94,  # a name of the gazetteer or of an annotated source
    "person": 0.94,  # a person the recogniser found
    "phrase": 0.83,  # a group, event, incident or document named by a noun phrase
    "organisation": 0.76,  # another name the recogniser found
    "name": 0.76,  # a name typed by the words around it ("the NotPetya attack"): a guess
    "organ": 0.69,  # a state's organ ("Russian intelligence")
    "demonym": 0.67,  # a state named by its people ("the Russians")
    "known-surname": 0.67,  # a surname that one known person has (not seen in the texts)
    "position": 0.67,  # the words that state a proposition
}
