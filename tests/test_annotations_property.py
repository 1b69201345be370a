"""Random and mutated annotation files: the loader answers with AnnotationError, never a crash."""

import copy
import re
import tempfile
from pathlib import Path
from xml.etree import ElementTree

import yaml
from hypothesis import given, settings, strategies as st

from graph import AnnotationError, build_dataset, load_corpus, to_networkx
from graph.networks.exchange import to_graphml
from graph.networks.projection import corpus_network
from graph.rdf import union_graph, union_view
from graph.sparql.store import memory_store
from tests.factories import SEED_DIR as SEED, TINY_TEXT, assert_same_network, tiny_annotation

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
            corpus = load_corpus(Path(folder) / "data")
        except AnnotationError as error:
            assert str(error).startswith(str(source / "annotation.yaml")) or "article.txt" in str(
                error
            )
            assert "\n" not in str(error)
            return
    # what loads projects the same from its records as from its graph
    assert_same_network(corpus_network(corpus), to_networkx(union_view(build_dataset(corpus))))


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


@settings(max_examples=20)  # each example loads the whole seed (about 0.4 s)
@given(st.data())
def test_mutated_seed_annotation(data):
    seed = yaml.safe_load((SEED / "annotation.yaml").read_text(encoding="utf-8"))
    mutated = _mutate(seed, data)
    _load(yaml.safe_dump(mutated, allow_unicode=True).encode(), (SEED / "article.txt").read_bytes())


# --- hostile YAML tokens in place of a value: a load error, or a corpus that builds -------

HOSTILE_VALUES = [
    '"ruritania\\n"',
    '"Free\\x01donia"',
    '"Free\\x0cdonia"',
    '"\\ud800"',
    '"x\\udc80"',
    '"\\uFFFE"',
    '"\\0"',
    '"\\N"',
    "2020-13-45",
    "2001-12-14t21:59:43.10-99:00",
    "0x" + "f" * 5000,
    "1" * 5000,
    "190:20:30:10:10:10:10:10:10:10",
    "*nowhere",
    "&anchor anchored",
    "!!binary aGVsbG8=",
    "!!binary not-base64!",
    "!!python/object/apply:os.system [id]",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!timestamp 2020-02-30",
    "[a, {b: c}]",
    "{a: b}",
    "? [a, b]",
    ".nan",
    "-.inf",
    "1e400",
    "~",
    "yes",
    "''",
    '" "',
    '"/etc/passwd"',
    '"../../etc/passwd"',
    '"/proc/self/environ"',
    '"article.txt\\n"',
    '"https://example.org/\\n"',
    '"Q1\\n"',
    '"RU\\n"',
    '"2020\\n"',
    '"' + "x" * 100_000 + '"',
]
_FIELD_LINE = re.compile(r"^(\s*(?:- )?[a-z_0-9]+: ).+$")


def _loads_and_builds(raw: bytes, text: bytes) -> None:
    """Load ``raw``; a load error must be one short AnnotationError line, and a corpus that
    loads must go into the store and GraphML without an error."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "data" / "one"
        source.mkdir(parents=True)
        (source / "article.txt").write_bytes(text)
        (source / "annotation.yaml").write_bytes(raw)
        try:
            corpus = load_corpus(Path(folder) / "data")
        except AnnotationError as error:
            assert "\n" not in str(error)
            assert len(str(error)) < 1000
            return
    dataset = build_dataset(corpus)
    memory_store(
        dataset.serialize(format="trig").encode(),
        union_graph(dataset).serialize(format="turtle").encode(),
    )
    network = to_networkx(union_graph(dataset))
    ElementTree.fromstring(to_graphml(network))
    assert_same_network(corpus_network(corpus), network)


@given(st.data())
def test_hostile_values_in_the_tiny_annotation(data):
    lines = yaml.safe_dump(tiny_annotation(), sort_keys=False).splitlines()
    fields = [number for number, line in enumerate(lines) if _FIELD_LINE.match(line)]
    for _ in range(data.draw(st.integers(1, 2))):
        number = data.draw(st.sampled_from(fields))
        key = _FIELD_LINE.match(lines[number]).group(1)  # type: ignore[union-attr]
        lines[number] = key + data.draw(st.sampled_from(HOSTILE_VALUES))
    _loads_and_builds(
        ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"), TINY_TEXT.encode()
    )
