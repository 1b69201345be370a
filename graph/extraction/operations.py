"""Name the cyber operations, malware and hacking groups an article mentions.

The recogniser takes "Brushfire" for an organisation and "Ash Raven" for a person. The words
around a name say what it is: "the NotPetya attack", "Operation Cloud Hopper", "Brushfire,
the wiper ...", "ransomware called X" name an incident (an operation, a campaign or its
malware); "a hacking group it calls X", "a group known as X", "hacking group X", "X, a unit
of ...", "APT28" name a group. A name so typed is one entity in all its mentions in the
article. ``draft`` runs it once ``mentions.find_mentions`` has found the names.
Businesses the recogniser took for people ("the security firm Kuura Labs",
"Harwick Pharmaceuticals") become institutions.
"""

from __future__ import annotations

import re
from typing import Any

from ..names import QUOTE_MARKS, normalise_name
from .lexicon import (
    ATTACK_NOUNS,
    COMPANY_NOUNS,
    COMPANY_WORDS,
    DATE_WORDS,
    GROUP_MODIFIERS,
    GROUP_NOUNS,
    MALWARE_NOUNS,
    NAMING_VERBS,
    PRODUCT_NOUNS,
)
from .mentions import DraftEntity, Mentions

__all__ = ["GROUP_CODE", "name_operations"]

GROUP_CODE = re.compile(r"^(?:APT|UNC|TA|FIN|TEMP|DEV|Storm)-?\d{1,5}$")
"""The codes that threat-intelligence firms give hacking groups: "APT28", "UNC1234", "TA-917"."""

_OPERATION_NOUNS = MALWARE_NOUNS | ATTACK_NOUNS
# the nouns a name before names: "the NotPetya attack"; but a name before "campaign" is
# often a candidate's, and before "hack" or "breach" the victim's ("the Bundestag hack")
_NAMED_BEFORE = MALWARE_NOUNS | {"attack", "cyber-attack", "cyberattack"}
_MAX_WORDS = 5
# words between a naming verb and the name: "known as", "calling itself", "also tracked as"
_BEFORE_NAME = {"as", "itself", "themselves", "also", "simply", "to", "the"}
# naming verbs that need "as" ("known as X", "tracked as X", "referred to as X")
_NEEDS_AS = {"know", "track", "refer"}
_LIST_WORDS = {",", "and", "or"}
_PLACES = ("GPE",)


def name_operations(mentions: Mentions) -> None:
    """Type the names of operations, malware and hacking groups, and the businesses the
    recogniser took for people."""
    named: dict[str, DraftEntity] = {}
    for start, end, entity_type in dict.fromkeys(_cued_names(mentions)):
        entity = _name(mentions, start, end, entity_type, named)
        if entity is not None:
            named.setdefault(normalise_name(entity.label), entity)
    _other_mentions(mentions, named.values())
    _businesses(mentions)


def _cued_names(mentions: Mentions) -> list[tuple[int, int, str]]:
    """The (start, end, type) of each name that the words around it type."""
    doc = mentions.doc
    found: list[tuple[int, int, str]] = []
    for token in doc:
        lemma = token.lemma_.lower()
        if token.text == "Operation" and token.i + 1 < len(doc):
            end = _name_end(doc, token.i + 1)
            if end > token.i + 1:
                found.append((token.i, end, "incident"))
        elif GROUP_CODE.match(token.text):
            found.append((token.i, token.i + 1, "group"))
        elif lemma in NAMING_VERBS and token.pos_ == "VERB":
            found.extend(_after_naming_verb(mentions, token))
        elif lemma in GROUP_NOUNS and token.pos_ == "NOUN" and _hacking(token):
            end = _name_end(doc, token.i + 1)
            if end > token.i + 1:
                found.append((token.i + 1, end, "group"))
        if lemma in _NAMED_BEFORE and token.pos_ == "NOUN":
            found.extend(
                (s, e, "incident")
                for s, e in _names_before(doc, token.i)
                if not _place(mentions, doc[s:e])
            )
        if token.dep_ == "appos" and token.pos_ == "NOUN":
            found.extend(_apposition(doc, token))
    return found


def _place(mentions: Mentions, span: Any) -> bool:
    """ "the Paris attack", "the Tallinn attack": where it struck, not what it was."""
    return span[0].ent_type_ in _PLACES or bool(mentions.gazetteer.lookup(span.text))


def _hacking(noun: Any) -> bool:
    """Whether a group noun is one of hackers ("hacking group", "hackers", "APT group")."""
    if noun.lemma_.lower() in ("hacker", "hackers"):
        return True
    doc = noun.doc
    before = {doc[i].lower_ for i in range(max(noun.i - 3, 0), noun.i)}
    modifiers = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound")}
    return bool((before | modifiers) & GROUP_MODIFIERS)


def _after_naming_verb(mentions: Mentions, verb: Any) -> list[tuple[int, int, str]]:
    """ "a hacking group it calls Ash Raven", "a campaign known as Operation X": the name
    after the verb, typed by the noun it names; "X, which researchers also track as
    TA-917": another name of X."""
    doc = verb.doc
    index = verb.i + 1
    words_between = set()
    while index < len(doc) and (doc[index].lower_ in _BEFORE_NAME or doc[index].text in "\"'"
                                + QUOTE_MARKS):  # fmt: skip
        words_between.add(doc[index].lower_)
        index += 1
    if verb.lemma_.lower() in _NEEDS_AS and "as" not in words_between:
        return []
    end = _name_end(doc, index)
    if end == index:
        return []
    owner = _owner_noun(verb)
    if owner is None:
        named = mentions.entity_at(verb.head) if verb.dep_ == "relcl" else None
        if named is not None and named.type in ("group", "incident", "person", "institution"):
            mentions.add(named, index, end, doc[index:end].text)
        return []
    lemma = owner.lemma_.lower()
    return [(index, end, "group" if lemma in GROUP_NOUNS else "incident")]


def _owner_noun(verb: Any) -> Any:
    """The group or operation noun a naming verb names, at most six words before it."""
    doc = verb.doc
    stop = max(verb.sent.start, verb.i - 7)
    for index in range(verb.i - 1, stop - 1, -1):
        token = doc[index]
        if token.text in (",", ";", ":") and index < verb.i - 1:
            return None
        if token.pos_ == "NOUN" and token.lemma_.lower() in GROUP_NOUNS | _OPERATION_NOUNS:
            return token
    return None


def _apposition(doc: Any, noun: Any) -> list[tuple[int, int, str]]:
    """ "Brushfire, the wiper that ...", "APT28, a unit of Russia's GRU": the name beside
    a noun of malware, of an operation or of a hacking group."""
    head = noun.head
    if head.pos_ != "PROPN" or head.i > noun.i:
        return []
    lemma = noun.lemma_.lower()
    if lemma in _OPERATION_NOUNS and lemma not in ("operation", "campaign"):
        entity_type = "incident"
    elif lemma in GROUP_NOUNS and (lemma == "unit" or _hacking(noun)):
        entity_type = "group"
    else:
        return []
    end = head.i + 1
    start = head.i
    while start > 0 and start > head.i - _MAX_WORDS and _name_word(doc[start - 1]):
        start -= 1
    return [(start, end, entity_type)]


def _names_before(doc: Any, noun_index: int) -> list[tuple[int, int]]:
    """The names right before an operation noun, a list of them included: "the WannaCry,
    NotPetya and Operation Cloud Hopper attacks"."""
    names: list[tuple[int, int]] = []
    end = noun_index
    while end > 1 and doc[end - 1].text == "-" and doc[end - 2].lower_ == "cyber":
        end -= 2  # "the NotPetya cyber-attack", split at the hyphen
    while end > 0:
        start = end
        while start > 0 and end - start < _MAX_WORDS and _name_word(doc[start - 1]):
            start -= 1
        if start == end:
            break
        names.append((start, end))
        before = start - 1
        while before >= 0 and doc[before].lower_ in _LIST_WORDS:
            before -= 1
        if before == start - 1 or before < 0 or not _name_word(doc[before]):
            break
        end = before + 1
    return names


def _name_end(doc: Any, start: int) -> int:
    """The end of the name that starts at ``start`` (``start`` itself if none does)."""
    end = start
    while end < len(doc) and end - start < _MAX_WORDS and _name_word(doc[end]):
        end += 1
    return end


def _name_word(token: Any) -> bool:
    """A word of a name: capitalised or a code ("Ash", "WannaCry", "APT28", "TA-917")."""
    text = token.text
    if not text[:1].isupper() or token.is_punct or token.lower_ in DATE_WORDS:
        return False
    if token.pos_ in ("DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "VERB", "PART"):
        return False
    return token.is_sent_start is not True or token.pos_ == "PROPN" or bool(GROUP_CODE.match(text))


def _name(
    mentions: Mentions, start: int, end: int, entity_type: str, named: dict[str, DraftEntity]
) -> DraftEntity | None:
    """Make tokens ``start``..``end`` a mention of an entity of ``entity_type``: the
    entity that the recogniser made of them retyped, or a new one."""
    doc = mentions.doc
    span = doc[start:end]
    text = " ".join(span.text.split()).strip("\"'" + QUOTE_MARKS)
    key = normalise_name(text)
    if not key or (len(span) == 1 and mentions.state_of(span[0]) is not None):
        return None
    candidates = mentions.gazetteer.lookup(text)
    if len(candidates) == 1:
        known = candidates[0]
        if known.type not in ("group", "incident"):
            return None  # "the Bundestag hack": a known body, the target
        return mentions.add(mentions.linked(known), start, end, text)
    overlapping = {
        mentions.token_entity[i] for i in range(start, end) if i in mentions.token_entity
    }
    entity: DraftEntity | None = named.get(key)
    for entity_id in overlapping:
        other = mentions.entities.get(entity_id)
        if other is None or other is entity:
            continue
        if other.origin is not None or other.type == "state":
            return None  # a known entity's name, not the operation's
        other_key = normalise_name(other.label)
        if other_key == key:
            mentions.retype(other, entity_type)
            other.found_by = "name"
            entity = other
        elif other_key in key:
            # "Cloud Hopper" of "Operation Cloud Hopper": the same, named in part
            entity = entity or mentions.declare(_new(mentions, entity_type, text))
            mentions.merge(entity, other)
        elif key in other_key:
            mentions.forget(other)  # "NotPetya and Operation Cloud Hopper": two names
        elif entity is None:
            # another name of it ("Cinder Moth, which researchers track as TA-917")
            mentions.retype(other, entity_type)
            other.found_by = "name"
            return mentions.add(other, start, end, text)
    if entity is None:
        same = mentions.with_label(text)
        entity = same[0] if same else _new(mentions, entity_type, text)
        if same and same[0].origin is None:
            mentions.retype(entity, entity_type)
            entity.found_by = "name"
        elif same:
            return None
    return mentions.add(entity, start, end, text)


def _new(mentions: Mentions, entity_type: str, text: str) -> DraftEntity:
    return mentions.new_entity(entity_type, text, "name")


def _other_mentions(mentions: Mentions, entities: Any) -> None:
    """Every other place an operation or group is named by its label."""
    from spacy.matcher import PhraseMatcher

    doc = mentions.doc
    labels = {entity.label: entity for entity in entities}
    if not labels:
        return
    matcher = PhraseMatcher(doc.vocab, attr="ORTH")
    for label in labels:
        matcher.add(label, [_tokens(doc, label)])
    for match_id, start, end in matcher(doc):
        entity = labels[doc.vocab.strings[match_id]]
        if start in mentions.token_entity:
            continue  # named there already, as this or as another entity
        mentions.add(entity, start, end, doc[start:end].text)


def _tokens(doc: Any, text: str) -> Any:
    from spacy.tokens import Doc

    return Doc(doc.vocab, words=text.split())


def _businesses(mentions: Mentions) -> None:
    """ "the Finnish security firm Kuura Labs", "Harwick Pharmaceuticals", "Vestkyst Vind, a
    Danish wind-farm operator": a business the recogniser took for a person; a product
    ("Kalyna Ledger, an accounting program") is no entity."""
    doc = mentions.doc
    for entity in list(mentions.entities.values()):
        if entity.origin is not None or entity.type not in ("person", "institution"):
            continue
        if _product(mentions, entity):
            mentions.forget(entity)  # "Kalyna Ledger, an accounting program": no actor
            continue
        if entity.type != "person":
            continue
        words = entity.label.split()
        business = len(words) > 1 and words[-1].casefold() in COMPANY_WORDS
        for start, end in mentions.spans.get(entity.id, ()):
            if business:
                break
            before = doc[start - 1] if start > 0 else None
            head = doc[end - 1]
            beside = [head.head] if head.dep_ == "appos" else []
            beside += [c for c in head.children if c.dep_ == "appos"]
            business = (
                before is not None
                and before.pos_ == "NOUN"
                and before.lemma_.lower() in COMPANY_NOUNS
            ) or any(
                t.pos_ == "NOUN" and (t.lemma_.lower() in COMPANY_NOUNS or _business_noun(t))
                for t in beside
            )
        if business:
            mentions.retype(entity, "institution")


def _product(mentions: Mentions, entity: DraftEntity) -> bool:
    """Whether a name the recogniser took for a person's is a product's, by the noun beside
    it ("Kalyna Ledger, an accounting program")."""
    doc = mentions.doc
    for _, end in mentions.spans.get(entity.id, ()):
        head = doc[end - 1]
        beside = [c for c in head.children if c.dep_ == "appos"]
        if any(t.lemma_.lower() in PRODUCT_NOUNS for t in beside):
            return True
    return False


def _business_noun(noun: Any) -> bool:
    """ "a Danish wind-farm operator": a noun whose last part names a business."""
    return noun.lower_.rsplit("-", 1)[-1] in COMPANY_NOUNS
