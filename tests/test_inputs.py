"""Reading what comes in: files that stay in their folder, YAML without aliases, XML characters."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from graph.errors import MAX_PROBLEM_CHARS, AnnotationError
from graph.inputs import (
    RefusedFile,
    illegal_character,
    read_inside,
    read_yaml,
    reference_problem,
)
from tests.factories import REPO, TINY_TEXT, WORKDIR, tiny_annotation

# --- references to a text ---------------------------------------------------------------


@pytest.mark.parametrize(
    "reference", ["article.txt", "texts/article.txt", "./article.txt", "a b/é.txt"]
)
def test_a_relative_path_inside_the_folder_is_a_reference(reference):
    assert reference_problem(reference) is None


@pytest.mark.parametrize(
    ("reference", "problem"),
    [
        ("/etc/passwd", "is an absolute path"),
        ("/proc/self/environ", "is an absolute path"),
        ("../../../../etc/passwd", "goes up a folder"),
        ("texts/../../secret.txt", "goes up a folder"),
        ("texts\\article.txt", "holds a backslash"),
        ("C:/Windows/win.ini", "starts with a drive letter"),
        ("c:secret.txt", "starts with a drive letter"),
        ("texts//article.txt", "has an empty part"),
        ("texts/", "has an empty part"),
        ("", "has an empty part"),
        (".", "names a folder"),
        ("article.txt\0.png", "holds a NUL character"),
    ],
)
def test_a_reference_that_leaves_the_folder_is_refused(reference, problem):
    assert problem in (reference_problem(reference) or "")


# --- reading a file inside a folder -------------------------------------------------------


def _refusal(path: Path, root: Path | None, max_bytes: int = 1000) -> str:
    with pytest.raises(RefusedFile) as caught:
        read_inside(path, root, max_bytes)
    return str(caught.value)


def test_a_regular_file_inside_the_folder_is_read(tmp_path):
    (tmp_path / "article.txt").write_bytes(b"Ruritania blamed Freedonia.")
    assert read_inside(tmp_path / "article.txt", tmp_path, 1000) == b"Ruritania blamed Freedonia."


def test_a_symlink_that_stays_inside_the_folder_is_followed(tmp_path):
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "article.txt").write_bytes(b"shared text")
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "article.txt").symlink_to("../shared/article.txt")
    assert read_inside(tmp_path / "source" / "article.txt", tmp_path, 1000) == b"shared text"


def test_a_symlink_out_of_the_folder_is_refused(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    (tmp_path / "secret.txt").write_bytes(b"secret")
    (root / "article.txt").symlink_to(tmp_path / "secret.txt")
    assert _refusal(root / "article.txt", root) == (
        f"resolves to {tmp_path / 'secret.txt'}, outside {root} (no symlink may lead out of it)"
    )


def test_a_folder_symlink_out_of_the_folder_is_refused(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "article.txt").write_bytes(b"secret")
    (root / "texts").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    assert "outside" in _refusal(root / "texts" / "article.txt", root)


def test_a_dangling_symlink_and_a_loop_are_named(tmp_path):
    (tmp_path / "dangling").symlink_to("missing.txt")
    (tmp_path / "loop").symlink_to("loop")
    assert _refusal(tmp_path / "dangling", tmp_path) == (
        "is a symlink to missing.txt, which does not exist"
    )
    assert _refusal(tmp_path / "loop", tmp_path) == "is a symlink loop"


def test_a_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_inside(tmp_path / "missing.txt", tmp_path, 1000)


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "article.txt")
    assert _refusal(tmp_path / "article.txt", tmp_path) == "is a FIFO, not a regular file"


def test_a_folder_and_a_device_are_refused(tmp_path):
    (tmp_path / "article.txt").mkdir()
    assert _refusal(tmp_path / "article.txt", tmp_path) == "is a folder, not a regular file"
    assert _refusal(Path("/dev/null"), None) == "is a character device, not a regular file"


def test_a_file_under_proc_is_refused_though_it_calls_itself_regular():
    # /proc/self/environ reports a size of 0 and holds the process environment
    assert "reports 0 bytes but holds more" in _refusal(Path("/proc/self/environ"), None)


def test_a_file_larger_than_the_limit_is_refused(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 1001)
    assert _refusal(tmp_path / "big.txt", tmp_path) == "is larger than 1000 bytes (1001 bytes)"
    assert read_inside(tmp_path / "big.txt", tmp_path, 1001) == b"x" * 1001


# --- characters XML cannot carry ----------------------------------------------------------


@pytest.mark.parametrize("character", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe"])
def test_characters_that_xml_cannot_carry_are_found(character):
    assert illegal_character(f"Free{character}donia") == 4


@pytest.mark.parametrize(
    "text", ["tab\tnewline\ncr\r", "\x85\xa0\ufffd", "\u200f\u202e\U0001f600", "\x7f\x9f"]
)
def test_characters_that_xml_carries_pass(text):
    assert illegal_character(text) is None


def test_a_lone_surrogate_is_found():
    assert illegal_character("Free\ud800") == 4


# --- YAML -------------------------------------------------------------------------------


def _yaml_error(tmp_path: Path, content: str | bytes) -> str:
    path = tmp_path / "annotation.yaml"
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    with pytest.raises(AnnotationError) as caught:
        read_yaml(path)
    message = str(caught.value)
    assert "\n" not in message
    return message.removeprefix(f"{path}: ")


def test_yaml_mappings_carry_the_line_of_each_key(tmp_path):
    path = tmp_path / "annotation.yaml"
    path.write_text("source:\n  id: tiny\n\n  title: Tiny\n", encoding="utf-8")
    document = read_yaml(path)
    assert (document["source"].line, document["source"].key_lines) == (2, {"id": 2, "title": 4})


def test_an_anchor_alone_is_harmless(tmp_path):
    path = tmp_path / "annotation.yaml"
    path.write_text("label: &name Ruritania\n", encoding="utf-8")
    assert read_yaml(path) == {"label": "Ruritania"}


def test_an_alias_is_refused_at_its_line(tmp_path):
    content = "label: &name Ruritania\naliases:\n  - *name\n"
    assert _yaml_error(tmp_path, content) == (
        "line 3: YAML alias *name refused: aliases are not allowed (write the value out)"
    )


def test_a_merge_key_is_an_alias_too(tmp_path):
    content = "base: &base {type: state}\nentity:\n  <<: *base\n"
    assert _yaml_error(tmp_path, content).startswith("line 3: YAML alias *base refused")


def test_a_file_larger_than_the_limit_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "annotation.yaml"
    path.write_text("[" * 2000, encoding="utf-8")  # malformed, but never parsed
    with pytest.raises(AnnotationError) as caught:
        read_yaml(path, max_bytes=1000)
    assert str(caught.value) == f"{path}: is larger than 1000 bytes (2000 bytes)"


def test_a_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "annotation.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: tiny\n")
    assert read_yaml(path) == {"id": "tiny"}


def test_a_control_character_is_named_with_its_line_and_column(tmp_path):
    assert _yaml_error(tmp_path, "id: tiny\ntitle: Ti\x0cny\n") == (
        "line 2, column 10: character U+000C (form feed), which XML 1.0 cannot carry; remove it"
    )


def test_a_character_yaml_refuses_is_named_with_its_line(tmp_path):
    assert _yaml_error(tmp_path, "id: tiny\ntitle: Ti\x80ny\n") == (
        "line 2: malformed YAML: character U+0080 is not allowed in YAML"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2020-13-45", "cannot read the value '2020-13-45': month must be in 1..12"),
        ("1" * 5000, "cannot read the value '1111111111"),
        ("2001-12-14t21:59:43.10-99:00", "cannot read the value '2001-12-14t21:59:43.10-99:00'"),
    ],
)
def test_a_value_the_constructor_cannot_build_is_a_yaml_error(tmp_path, value, problem):
    message = _yaml_error(tmp_path, f"id: tiny\ndate: {value}\n")
    assert message.startswith(f"line 2: malformed YAML: {problem}")


def test_a_duplicate_key_is_refused(tmp_path):
    assert _yaml_error(tmp_path, "id: a\nid: b\n") == "line 2: malformed YAML: duplicate key 'id'"


@given(st.text(max_size=400))
def test_any_text_reads_or_gives_one_short_line(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("yaml") / "annotation.yaml"
    path.write_bytes(content.encode("utf-8", "surrogatepass"))
    try:
        read_yaml(path)
    except AnnotationError as error:
        message = str(error)
        assert "\n" not in message
        assert len(message) <= len(str(path)) + 2 + 160 + 2 + MAX_PROBLEM_CHARS


# --- the alias bomb of issue 12 ---------------------------------------------------------


def _bomb(levels: int = 9, width: int = 9) -> str:
    """An annotation whose ``when`` expands to width**levels items through aliases."""
    lines = ["  - &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [
        f"  - &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]"
        for level in range(1, levels)
    ]
    annotation = yaml.safe_dump(tiny_annotation(), sort_keys=False)
    return annotation.replace("  when: 2020-01\n", "  when:\n" + "\n".join(lines) + "\n")


def test_the_alias_bomb_is_refused_quickly_in_little_memory(tmp_path):
    data = tmp_path / "data"
    (data / "bomb").mkdir(parents=True)
    content = _bomb()
    assert len(content.encode()) < 2000
    (data / "bomb" / "annotation.yaml").write_text(content, encoding="utf-8")
    (data / "bomb" / "article.txt").write_text(TINY_TEXT, encoding="utf-8")
    first_alias = content.splitlines().index("  - &l1 [" + ", ".join(["*l0"] * 9) + "]") + 1
    script = textwrap.dedent(
        f"""
        import tracemalloc
        from graph import AnnotationError, load_corpus
        tracemalloc.start()
        try:
            load_corpus({str(data)!r})
        except AnnotationError as error:
            print(error)
        print(tracemalloc.get_traced_memory()[1])
        """
    )
    # a subprocess, so that a regression hangs the test only until the timeout
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-2000:]
    message, peak = completed.stdout.splitlines()
    assert message == (
        f"{data / 'bomb' / 'annotation.yaml'}: line {first_alias}: YAML alias *l0 refused: "
        "aliases are not allowed (write the value out)"
    )
    assert int(peak) < 100 * 1024 * 1024


def test_read_yaml_reads_a_file_anywhere_when_no_folder_is_given(tmp_path):
    path = tmp_path / "meta.yaml"
    path.write_text(yaml.safe_dump({"id": "tiny", "date": "2020-01-02"}), encoding="utf-8")
    link = tmp_path / "elsewhere" / "meta.yaml"
    link.parent.mkdir()
    link.symlink_to(path)
    assert read_yaml(link) == {"id": "tiny", "date": "2020-01-02"}
    with pytest.raises(AnnotationError, match="outside"):
        read_yaml(link, root=link.parent)


def test_a_file_of_too_many_values_is_refused_at_the_first_one_too_many(tmp_path, monkeypatch):
    monkeypatch.setattr("graph.inputs.MAX_YAML_NODES", 5)
    # the mapping, 'id', 'tiny', 'list', the list and 'a' are 6 values
    assert _yaml_error(tmp_path, "id: tiny\nlist:\n  - a\n") == (
        "line 3: more than 5 values (the seed's annotation holds about 2,600): split the source"
    )
    monkeypatch.setattr("graph.inputs.MAX_YAML_NODES", 6)
    assert read_yaml(tmp_path / "annotation.yaml") == {"id": "tiny", "list": ["a"]}


@pytest.mark.parametrize(
    "nesting", ["[" * 100_000, "- " * 100_000 + "x"], ids=["flow lists", "block lists"]
)
def test_deep_nesting_is_an_error_not_a_crash(tmp_path, nesting):
    """PyYAML's C composer (CSafeLoader) recurses on the C stack and kills the process on
    100,000 nested lists; the loader composes in Python and names the problem."""
    annotation = tmp_path / "annotation.yaml"
    annotation.write_text(nesting, encoding="utf-8")
    script = textwrap.dedent(
        f"""
        from graph.errors import AnnotationError
        from graph.inputs import read_yaml
        try:
            read_yaml({str(annotation)!r})
        except AnnotationError as error:
            print(error)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=WORKDIR, timeout=120
    )
    assert done.returncode == 0, done.stderr[-300:]
    assert done.stdout == f"{annotation}: malformed YAML: nesting too deep\n"
