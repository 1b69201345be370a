"""The build cache's entries: kept whole, read back as written, damage read as missing."""

from __future__ import annotations

import json

import pytest

from graph.buildcache import EntryFolder

KEY = "a" * 64
CONTENT = {"title": "Négociations “cyber”", "numbers": [1, 2.5, None], "nested": {"b": 1, "a": 2}}


def test_an_entry_reads_back_its_content(tmp_path):
    entries = EntryFolder(tmp_path)
    entries.write(KEY, CONTENT)
    assert entries.read(KEY) == CONTENT
    assert entries.read("b" * 64) is None  # never written
    assert entries.read("not a key") is None


def test_an_entry_is_a_json_document_of_its_key_digest_and_content(tmp_path):
    EntryFolder(tmp_path).write(KEY, CONTENT)
    document = json.loads((tmp_path / f"{KEY}.json").read_bytes())
    assert list(document) == ["key", "sha256", "content"]
    assert document["key"] == KEY and document["content"] == CONTENT


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-5],  # cut short
        lambda data: data.replace("Négociations".encode(), b"Negotiations"),
        lambda data: data.replace(b'"b": 1', b'"b": 7'),
        lambda data: data + b" ",
        lambda data: b"",
        # rewritten as another writer would, the same document: read as missing, never
        # parsed and written again to be checked
        lambda data: json.dumps(json.loads(data)).encode(),
    ],
)
def test_a_damaged_entry_is_read_as_missing(tmp_path, damage):
    entries = EntryFolder(tmp_path)
    entries.write(KEY, CONTENT)
    path = tmp_path / f"{KEY}.json"
    path.write_bytes(damage(path.read_bytes()))
    assert entries.read(KEY) is None


def test_an_entry_under_another_key_is_read_as_missing(tmp_path):
    entries = EntryFolder(tmp_path)
    entries.write(KEY, CONTENT)
    (tmp_path / f"{KEY}.json").rename(tmp_path / f"{'b' * 64}.json")
    assert entries.read("b" * 64) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1],  # cut short
        lambda data: data.replace(b"payload", b"Payload"),  # edited
        lambda data: data.replace(b'"key"', b'"other"'),  # of another key
        lambda data: b"",  # empty
        lambda data: data.split(b"\n", 1)[1],  # no first line
    ],
)
def test_a_keyed_file_reads_back_read_or_mapped_and_damaged_as_missing(tmp_path, damage):
    from graph.buildcache import read_keyed, read_keyed_mapped, write_keyed

    path = tmp_path / f"{'a' * 64}.index"
    write_keyed(path, [b'{"head": 1}\n', b"payload " * 10_000])
    assert read_keyed(path) == b'{"head": 1}\n' + b"payload " * 10_000
    mapped = read_keyed_mapped(path)
    assert isinstance(mapped, memoryview) and bytes(mapped) == read_keyed(path)
    path.write_bytes(damage(path.read_bytes()))
    assert read_keyed(path) is None and read_keyed_mapped(path) is None
