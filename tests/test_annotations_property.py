"""Random and mutated annotation files: the loader answers with AnnotationError, never a crash."""

import copy
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from graph import AnnotationError, load_corpus
from tests.factories import SEED_DIR as SEED
from tests.factories import TINY_TEXT, tiny_annotation

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["state", "blames", "russia", "reported", "2017-06", ""]),
)
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=12) | st.sampled_from(["id", "type", "quote"]), children, max_size=4
        )
    ),
    max_leaves=20,
)


def _load(raw: bytes, text: bytes = TINY_TEXT.encode()) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "data" / "one"
        source.mkdir(parents=True)
        (source / "article.txt").write_bytes(text)
        (source / "annotation.yaml").write_bytes(raw)
        try:
            load_corpus(Path(folder) / "data")
        except AnnotationError as error:
            assert str(error).startswith(str(source / "annotation.yaml")) or "article.txt" in str(
                error
            )
            assert "\n" not in str(error)


@given(st.binary(max_size=300))
def test_random_bytes(raw):
    _load(raw)


@given(st.text(max_size=300))
def test_random_text(raw):
    _load(raw.encode("utf-8"))


@given(values)
def test_random_yaml_structures(document):
    _load(yaml.safe_dump(document, allow_unicode=True).encode("utf-8"))


@given(st.dictionaries(st.sampled_from(["source", "entities", "statements"]), values))
def test_random_top_level_parts(document):
    base = tiny_annotation()
    base.update(document)
    _load(yaml.safe_dump(base, allow_unicode=True).encode("utf-8"))


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*prefix, index))


def _mutate(document, data):
    document = copy.deepcopy(document)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(document) if p]
        path = data.draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["delete", "replace", "swap"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "replace":
            parent[path[-1]] = data.draw(values)
        else:
            other = data.draw(st.sampled_from(paths))
            holder = document
            try:
                for step in other:
                    holder = holder[step]
            except (KeyError, IndexError, TypeError):
                continue
            parent[path[-1]] = copy.deepcopy(holder)
    return document


@given(st.data())
def test_mutated_tiny_annotation(data):
    _load(yaml.safe_dump(_mutate(tiny_annotation(), data), allow_unicode=True).encode())


@given(st.data())
def test_mutated_seed_annotation(data):
    seed = yaml.safe_load((SEED / "annotation.yaml").read_text(encoding="utf-8"))
    mutated = _mutate(seed, data)
    _load(yaml.safe_dump(mutated, allow_unicode=True).encode(), (SEED / "article.txt").read_bytes())
