"""The records of a corpus (graph.corpus): what a digest of them is made of."""

from dataclasses import replace

from graph.corpus import Entity, Statement, record_bytes
from graph.evidence import Evidence


def _statement(**changed: object) -> Statement:
    quote = Evidence("Ruritania blamed Borduria", 0, 25, "", ".")
    made = Statement("s1", "tiny", "rur", "blames", "bor", "asserted", quote, confidence=0.5)
    return replace(made, **changed)


def test_equal_records_give_the_same_bytes_whichever_objects_hold_their_values():
    one = _statement(note="".join(["a", "side", " note"]))  # a string made apart
    other = _statement(note="aside note")
    assert one.note is not other.note
    assert record_bytes([one, other], Statement) == record_bytes([other, one], Statement)


def test_records_that_differ_in_any_value_or_its_type_give_other_bytes():
    kept = record_bytes([_statement()], Statement)
    changed = [
        _statement(modality="alleged"),
        _statement(evidence=Evidence("Ruritania blamed Borduria", 1, 26, "", ".")),
        _statement(confidence=0.25),
        _statement(former=False),  # not None
        _statement(note=""),  # not None
        _statement(id="s1 "),
    ]
    found = {record_bytes([statement], Statement) for statement in changed}
    assert kept not in found and len(found) == len(changed)
    # the records in another order, or one more, are other records
    two = [_statement(), _statement(id="s2")]
    assert record_bytes(two, Statement) != record_bytes(two[::-1], Statement)
    assert record_bytes(two, Statement) != record_bytes(two[:1], Statement)


def test_an_entity_s_values_are_its_bytes_and_a_value_marshal_cannot_write_its_repr():
    entity = Entity("rur", "state", "Ruritania", aliases=("Ruritanian Republic",))
    assert record_bytes([entity], Entity) != record_bytes(
        [replace(entity, aliases=("Ruritanian republic",))], Entity
    )

    class Label(str):  # a string of a type of its own: marshal writes no such value
        pass

    odd = replace(entity, label=Label("Ruritania"))
    assert record_bytes([odd], Entity) == b"R" + repr(odd).encode()
    assert record_bytes([odd], Entity) != record_bytes([entity], Entity)
