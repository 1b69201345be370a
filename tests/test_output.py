"""The output folder changes all at once: builds written whole, switched by one rename."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import yaml

from graph import build
from graph.buildcache import CACHE_DIR
from graph.errors import BuildError
from graph.output import (
    BUILDS_DIR,
    CURRENT_LINK,
    IDENTITIES,
    MANIFEST,
    OutputBusy,
    building,
    current_build,
    mapped_before,
    new_file_mode,
    publish,
    reading,
    stage_file,
    stage_linked,
    stage_stream,
)
from graph.sparql.store import open_store
from tests.factories import TINY_TEXT, WORKDIR, tiny_annotation

TOP_LEVEL = ["graph.html", "graph.jsonld", "graph.trig", "graph.ttl", "networks", "store"]
VOGEL = "<https://w3id.org/actor-position-graph/id/anna-vogel>"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
RENAMED = "Anna M. Vogel"


def _data(tmp_path: Path, name: str = "data", *, renamed: bool = False) -> Path:
    """A small source (``tiny_annotation``); ``renamed`` gives Anna Vogel another label."""
    annotation = tiny_annotation()
    if renamed:
        [vogel] = [e for e in annotation["entities"] if e["id"] == "anna-vogel"]
        vogel["label"] = RENAMED
    folder = tmp_path / name / "tiny"
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(TINY_TEXT, encoding="utf-8")
    (folder / "annotation.yaml").write_text(yaml.safe_dump(annotation), encoding="utf-8")
    return tmp_path / name


def _digests(out: Path) -> dict[str, str]:
    """The sha256 of every file reached through the output folder's links."""
    return {
        str(path.relative_to(out)): hashlib.sha256(path.read_bytes()).hexdigest()
        for name in TOP_LEVEL
        if name != "store"
        for path in sorted([out / name] if (out / name).is_file() else (out / name).rglob("*"))
        if path.is_file()
    }


def _label_in_store(out: Path) -> str:
    store = open_store(out / "store")
    [row] = list(store.query(f"SELECT ?l WHERE {{ {VOGEL} {LABEL} ?l }}"))
    return str(row["l"].value)


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory) -> Path:
    """One build of a small source; tests copy it before they change it."""
    tmp = tmp_path_factory.mktemp("seed-output")
    out = tmp / "out"
    build(_data(tmp), out)
    return out


def _copy_output(seed_output: Path, target: Path) -> Path:
    shutil.copytree(seed_output, target, symlinks=True)
    return target


def test_every_name_links_through_current_to_one_finished_build(seed_output):
    out = seed_output
    expected = [*TOP_LEVEL, BUILDS_DIR, CURRENT_LINK, CACHE_DIR]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    assert all(os.readlink(out / name) == f"{CURRENT_LINK}/{name}" for name in TOP_LEVEL)
    [folder] = (out / BUILDS_DIR).iterdir()
    assert os.readlink(out / CURRENT_LINK) == f"{BUILDS_DIR}/{folder.name}"
    assert current_build(out) == folder
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert manifest["store"] == {"folder": True}
    ttl = (out / "graph.ttl").read_bytes()
    assert manifest["graph.ttl"] == {"bytes": len(ttl), "sha256": hashlib.sha256(ttl).hexdigest()}
    assert len([name for name in manifest if name.startswith("networks/")]) == 52
    assert _label_in_store(out) == "Anna Vogel"


def test_a_rebuild_switches_every_name_and_removes_the_old_build(seed_output, tmp_path):
    out = _copy_output(seed_output, tmp_path / "out")
    old = current_build(out)
    build(_data(tmp_path, renamed=True), out)
    new = current_build(out)
    assert new is not None and new != old and not old.exists()
    assert [p.name for p in (out / BUILDS_DIR).iterdir()] == [new.name]
    assert RENAMED in (out / "graph.ttl").read_text(encoding="utf-8")
    assert _label_in_store(out) == RENAMED


def test_a_reader_keeps_its_build_until_it_is_done(seed_output, tmp_path):
    out = _copy_output(seed_output, tmp_path / "out")
    with reading(out / "store") as store_path:
        build(_data(tmp_path, renamed=True), out)
        assert store_path.is_dir() and store_path.parent != current_build(out)
        store = open_store(store_path)  # the old build, whole, while it is held
        [row] = list(store.query(f"SELECT ?l WHERE {{ {VOGEL} {LABEL} ?l }}"))
        assert row["l"].value == "Anna Vogel"
        del store
    assert len(list((out / BUILDS_DIR).iterdir())) == 2
    build(_data(tmp_path, "data-2"), out)  # the next build removes it
    assert [p.name for p in (out / BUILDS_DIR).iterdir()] == [current_build(out).name]


def test_a_second_build_into_the_same_folder_is_refused(seed_output, tmp_path):
    out = _copy_output(seed_output, tmp_path / "out")
    before = _digests(out)
    with building(out), pytest.raises(OutputBusy) as raised:
        build(_data(tmp_path, renamed=True), out)
    assert str(raised.value) == (
        f"{out}: another `apg build` is writing here; "
        "wait for it to finish, or build into another --out"
    )
    assert _digests(out) == before


def test_a_second_apg_build_process_is_refused_in_one_line(seed_output, tmp_path):
    out = _copy_output(seed_output, tmp_path / "out")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD.format(out=str(out))],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        second = _apg(["build", "--data", str(_data(tmp_path)), "--out", str(out)])
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 1
    assert second.stderr == f"apg: error: {out}: another `apg build` is writing here; " + (
        "wait for it to finish, or build into another --out\n"
    )


_HOLD = textwrap.dedent(
    """
    import time
    from graph.output import building
    with building({out!r}):
        print("holding", flush=True)
        time.sleep(120)
    """
)


def _apg(arguments: list[str], **options) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", *arguments],
        cwd=WORKDIR,
        capture_output=True,
        text=True,
        timeout=300,
        **options,
    )


def test_what_a_killed_build_left_is_removed_by_the_next(seed_output, tmp_path):
    out = _copy_output(seed_output, tmp_path / "out")
    (out / BUILDS_DIR / "20000101T000000-1-abcdef").mkdir()  # unfinished: no manifest
    (out / BUILDS_DIR / "20000101T000000-1-abcdef" / "graph.ttl").write_text("half")
    (out / ".store-new-x1y2").mkdir()  # from the layout before build folders
    (out / ".store-old-123").mkdir()
    (out / ".graph.ttl.1a2b.link.tmp").symlink_to("current/graph.ttl")
    (out / ".1a2b3c4d.staging.tmp" / "store").mkdir(parents=True)  # a store made by a worker
    stale = out / ".graph.ttl.abcd1234.tmp"
    stale.write_text("old temporary")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    fresh = out / ".page.html.abcd1234.tmp"  # maybe `apg render` writing right now
    fresh.write_text("being written")
    build(_data(tmp_path), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*TOP_LEVEL, BUILDS_DIR, CURRENT_LINK, CACHE_DIR, fresh.name]
    )
    assert [p.name for p in (out / BUILDS_DIR).iterdir()] == [current_build(out).name]


def test_an_output_folder_of_the_earlier_layout_is_taken_over(tmp_path):
    out = tmp_path / "out"
    (out / "networks").mkdir(parents=True)
    (out / "networks" / "blame.csv").write_text("old")
    (out / "store").mkdir()
    (out / "graph.ttl").write_text("old")
    (out / "drafts").mkdir()  # not the build's: left alone
    build(_data(tmp_path), out)
    assert all((out / name).is_symlink() for name in TOP_LEVEL)
    assert b"anna-vogel" in (out / "graph.ttl").read_bytes()
    assert (out / "drafts").is_dir()
    assert _label_in_store(out) == "Anna Vogel"


def test_a_full_disk_leaves_the_previous_build_whole_and_says_so(
    seed_output, tmp_path, monkeypatch
):
    out = _copy_output(seed_output, tmp_path / "out")
    before = _digests(out)
    import graph.output

    real_write = graph.output._write_file
    written: list[Path] = []

    def write_until_full(path: Path, content: bytes, mode: int) -> None:
        if len(written) == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written.append(path)
        real_write(path, content, mode)

    monkeypatch.setattr(graph.output, "_write_file", write_until_full)
    with pytest.raises(BuildError) as raised:
        build(_data(tmp_path, renamed=True), out)
    assert str(raised.value) == (
        f"{out}: cannot write the build: no space left on the device; "
        "the previous build is left as it was"
    )
    assert _digests(out) == before
    assert [p.name for p in (out / BUILDS_DIR).iterdir()] == [current_build(out).name]


def test_a_file_size_limit_hit_by_apg_build_is_one_line(seed_output, tmp_path):
    """A real failure of the operating system, not a patched function: RLIMIT_FSIZE."""
    out = _copy_output(seed_output, tmp_path / "out")
    before = _digests(out)
    limited = textwrap.dedent(
        """
        import resource, signal, sys
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write instead of the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))
        from graph.cli import main
        sys.exit(main(sys.argv[1:]))
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", limited, "build", "--data", str(_data(tmp_path)), "--out", str(out)],
        cwd=WORKDIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 1
    assert completed.stderr == (
        f"apg: error: {out}: cannot write the build: File too large; "
        "the previous build is left as it was\n"
    )
    assert _digests(out) == before
    assert [p.name for p in (out / BUILDS_DIR).iterdir()] == [current_build(out).name]


def test_something_in_the_way_of_the_current_link_is_named(tmp_path):
    out = tmp_path / "out"
    (out / CURRENT_LINK).mkdir(parents=True)
    with pytest.raises(BuildError, match="in the way of the link to the current build"):
        publish(out, {"graph.ttl": b"x"})
    assert sorted(p.name for p in out.iterdir()) == [CURRENT_LINK]


# --- kill -9 at many points of a build --------------------------------------------------

# Runs in its own process: computes the outputs of A and B once, then forks a child for
# each publication, so that the parent never opens a store (RocksDB's threads do not
# survive a fork). Publishes A into reference-a and B into reference-b, counting B's
# changes to the file system; then for each point K copies reference-a to killed-K and
# publishes B there in a child that kills itself with SIGKILL at its K-th change. Prints
# the number of changes a whole publication makes, and the digests of A's and B's files.
_KILLER = textwrap.dedent(
    """
    import hashlib, json, os, shutil, signal, sys
    from pathlib import Path
    from graph import output, pipeline

    data_a, data_b, base = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    outputs = {
        "a": pipeline.build_outputs(pipeline.load_checked(data_a)),
        "b": pipeline.build_outputs(pipeline.load_checked(data_b)),
    }
    digests = {
        side: {n: hashlib.sha256(c).hexdigest() for n, c in files.items()}
        for side, (files, _) in outputs.items()
    }
    CHANGES = ("open", "write", "fsync", "mkdir", "rmdir", "symlink", "replace", "rename",
               "unlink", "ftruncate")
    calls = [0]
    kill_at = [0]
    def counting(name, real):
        def change(*args, **kwargs):
            if name == "open" and not args[1] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                return real(*args, **kwargs)
            calls[0] += 1
            if calls[0] == kill_at[0]:
                os.kill(os.getpid(), signal.SIGKILL)
            return real(*args, **kwargs)
        return change
    real_write = os.write
    for name in CHANGES:
        setattr(os, name, counting(name, getattr(os, name)))

    def in_child(side, out, point=0):
        reader, writer = os.pipe()
        child = os.fork()
        if child == 0:
            kill_at[0], calls[0] = point, 0
            output.publish(out, *outputs[side])
            real_write(writer, str(calls[0]).encode())
            os._exit(0)
        os.close(writer)
        _, status = os.waitpid(child, 0)
        count = os.read(reader, 100)
        os.close(reader)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        return killed, int(count or 0)

    in_child("a", base / "reference-a")
    _, total = in_child("b", base / "reference-b")
    points = sorted({max(1, round(i * total / 20)) for i in range(1, 21)})
    for point in points:
        out = base / f"killed-{point}"
        shutil.copytree(base / "reference-a", out, symlinks=True)
        killed, _ = in_child("b", out, point)
        if not killed:
            print(f"point {point}: not killed", file=sys.stderr)
    print(json.dumps({"total": total, "points": points, "digests": digests}))
    """
)


def test_kill_9_at_twenty_points_leaves_the_old_or_the_new_output_whole(tmp_path):
    base = tmp_path / "runs"
    base.mkdir()
    data_a, data_b = _data(tmp_path, "data-a"), _data(tmp_path, "data-b", renamed=True)
    completed = subprocess.run(
        [sys.executable, "-c", _KILLER, str(data_a), str(data_b), str(base)],
        cwd=WORKDIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""  # every child was killed at its point
    report = json.loads(completed.stdout)
    assert report["total"] > 100 and len(report["points"]) == 20
    digests = report["digests"]
    sides = {"a": 0, "b": 0}
    for point in report["points"]:
        out = base / f"killed-{point}"
        side = _whole_side(out, digests)
        assert side is not None, f"killed at change {point} of {report['total']}: mixed output"
        assert _label_in_store(out) == ("Anna Vogel" if side == "a" else RENAMED)
        sides[side] += 1
        with building(out):  # the next build's start removes what the killed one left
            pass
        assert [p.name for p in (out / BUILDS_DIR).iterdir()] == [current_build(out).name]
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
    assert sides["a"] > 0 and sides["b"] > 0  # kills before and after the switch


def _whole_side(out: Path, digests: dict[str, dict[str, str]]) -> str | None:
    """``a`` or ``b`` when every file under the output's links is that build's, else None."""
    found = _digests(out)
    for side, expected in digests.items():
        if found == {name: digest for name, digest in expected.items()}:
            return side
    return None


def test_a_staging_folder_lies_in_the_output_folder_and_is_gone_after_the_block(tmp_path):
    out = tmp_path / "new" / "out"  # made by the staging, as by a publish
    with building(out) as output:
        with output.staging() as staging:
            assert staging.parent == out and staging.is_dir()
            assert list(staging.iterdir()) == []
            (staging / "store").mkdir()
            (staging / "store" / "data").write_text("made by a worker")
        assert not staging.exists()
        with pytest.raises(RuntimeError), output.staging() as failed:
            (failed / "half").write_text("half")
            raise RuntimeError("a piece failed")
        assert not failed.exists()
        # a second build is refused while the first holds the folder
        with pytest.raises(OutputBusy), building(out):
            pass
        assert os.listdir(out) == []
    # a build that published nothing removes the folders it made, and only those
    assert not (tmp_path / "new").exists() and tmp_path.is_dir()


def test_the_build_before_is_removed_while_the_caller_goes_on_and_by_the_end_of_the_block(
    tmp_path, monkeypatch
):
    import graph.output

    out = tmp_path / "out"
    publish(out, {"a.txt": b"first"})
    before = current_build(out)
    removing, go_on = threading.Event(), threading.Event()
    clean = graph.output.clean_stale

    def held_clean(folder: Path, **options) -> None:
        removing.set()
        assert go_on.wait(10)
        clean(folder, **options)

    left = out / ".0badc0de.staging.tmp"  # what a killed build left
    left.mkdir()
    with building(out) as output, output.staging() as staging:
        (staging / "kept").write_text("moved once the build is published")
        monkeypatch.setattr(graph.output, "clean_stale", held_clean)
        output.publish({"a.txt": b"second"})
        assert removing.wait(10)  # begun on a thread of its own: publish has returned
        assert before is not None and before.is_dir()
        assert (out / "a.txt").read_bytes() == b"second"
        go_on.set()
        output.cleaned()
        assert not before.exists() and not left.exists()
        assert (staging / "kept").is_file()  # the build's own staging folder is still in use
    assert not staging.exists()
    assert [p.name for p in (out / BUILDS_DIR).iterdir()] == [current_build(out).name]


def test_what_stops_the_removal_of_the_build_before_is_raised_and_the_folder_unlocked(
    tmp_path, monkeypatch
):
    import graph.output

    out = tmp_path / "out"
    publish(out, {"a.txt": b"first"})

    def failing(folder: Path, **options) -> None:
        raise PermissionError(13, "Permission denied", str(folder))

    with pytest.raises(PermissionError, match="Permission denied"), building(out) as output:
        monkeypatch.setattr(graph.output, "clean_stale", failing)
        output.publish({"a.txt": b"second"})
    assert (out / "a.txt").read_bytes() == b"second"  # published all the same
    monkeypatch.undo()
    with building(out):  # the lock was given back
        pass


def test_a_build_that_publishes_nothing_keeps_a_folder_that_was_there(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with building(out) as output, output.staging():
        pass
    assert out.is_dir()
    (out / "kept").write_text("not ours")
    with building(tmp_path / "out" / "deeper" / "still") as output, output.staging():
        pass
    assert sorted(os.listdir(out)) == ["kept"]


def test_a_staged_file_is_moved_into_the_build_with_its_digest(tmp_path):
    out = tmp_path / "out"
    content = b"made by a worker\n"
    with building(out) as output, output.staging() as staging:
        staged = stage_file(staging, content)
        assert staged.path.parent == staging and staged.path.read_bytes() == content
        assert oct(staged.path.stat().st_mode & 0o777) == oct(new_file_mode())
        paths = output.publish({"networks/made.csv": staged, "plain.txt": b"written here"})
        assert not staged.path.exists()  # moved, not copied
    assert paths["networks/made.csv"].read_bytes() == content
    manifest = json.loads((current_build(out) / MANIFEST).read_text())["files"]
    assert manifest["networks/made.csv"] == {
        "bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert manifest["plain.txt"]["bytes"] == len(b"written here")


def test_a_file_that_cannot_be_staged_is_a_build_error_naming_the_output(tmp_path, monkeypatch):
    import graph.output

    def full(path, content, mode):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(graph.output, "_write_file", full)
    out = tmp_path / "out"
    with building(out) as output, output.staging() as staging, pytest.raises(BuildError) as raised:
        stage_file(staging, b"too much")
    assert str(raised.value) == (
        f"{out}: cannot write the build: no space left on the device; "
        "the previous build is left as it was"
    )


def test_a_streamed_file_is_staged_as_written_with_its_size_and_digest(tmp_path):
    out = tmp_path / "out"
    pieces = [b"@prefix ex: <http://example.org/> .\n", b"", "ex:caf\u00e9 a ex:T .\n".encode()]

    def write(stream):
        for piece in pieces:
            stream.write(piece)

    with building(out) as output, output.staging() as staging:
        staged = stage_stream(staging, write)
        content = b"".join(pieces)
        assert staged.path.parent == staging and staged.path.read_bytes() == content
        assert (staged.size, staged.sha256) == (len(content), hashlib.sha256(content).hexdigest())
        assert oct(staged.path.stat().st_mode & 0o777) == oct(new_file_mode())
        paths = output.publish({"graph.ttl": staged})
    assert paths["graph.ttl"].read_bytes() == content
    manifest = json.loads((current_build(out) / MANIFEST).read_text())["files"]
    assert manifest["graph.ttl"]["sha256"] == hashlib.sha256(content).hexdigest()


def test_a_stream_that_fails_leaves_no_file_and_names_the_output(tmp_path):
    def full(stream):
        stream.write(b"half of it")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def broken(stream):
        stream.write(b"half of it")
        raise ValueError("the writer's own error")

    out = tmp_path / "out"
    with building(out) as output, output.staging() as staging:
        with pytest.raises(BuildError) as raised:
            stage_stream(staging, full)
        assert str(raised.value) == (
            f"{out}: cannot write the build: no space left on the device; "
            "the previous build is left as it was"
        )
        with pytest.raises(ValueError, match="the writer's own error"):
            stage_stream(staging, broken)
        assert list(staging.iterdir()) == []


# --- a file of a build before, staged as a second name of the same file ------------------


def test_a_file_of_a_build_before_is_staged_as_a_link_once_its_bytes_are_checked(tmp_path):
    before, staging = tmp_path / "before.csv", tmp_path / "staging"
    staging.mkdir()
    before.write_bytes(b"source,target\na,b\n")
    sha256 = hashlib.sha256(before.read_bytes()).hexdigest()
    staged = stage_linked(staging, before, before.stat().st_size, sha256)
    assert staged is not None and staged.sha256 == sha256 and staged.size == 18
    assert staged.path.parent == staging and staged.path.stat().st_ino == before.stat().st_ino
    staged.path.unlink()
    # another size, other bytes of the same size, a link, a missing file: nothing staged
    assert stage_linked(staging, before, 17, sha256) is None
    assert stage_linked(staging, before, 18, hashlib.sha256(b"x").hexdigest()) is None
    (tmp_path / "link.csv").symlink_to(before)
    assert stage_linked(staging, tmp_path / "link.csv", 18, sha256) is None
    assert stage_linked(staging, tmp_path / "gone.csv", 18, sha256) is None
    assert list(staging.iterdir()) == []


# --- a file of a build before known by the record of what the build wrote ---------------


def _published_before(tmp_path: Path, content: bytes) -> tuple[Path, Path]:
    """A build of one network file, published, and a staging folder of the next build;
    the file's modification time set a second before the record's, so that it is not
    taken as written in the same tick of the clock as the record."""
    out = tmp_path / "out"
    with building(out) as output:
        output.publish({"networks/made.csv": content})
    build = current_build(out)
    assert build is not None
    path = build / "networks" / "made.csv"
    recorded = json.loads((build / IDENTITIES).read_text())["files"]["networks/made.csv"]
    earlier = recorded[3] - 1_000_000_000
    os.utime(path, ns=(earlier, earlier))
    recorded[3] = earlier
    (build / IDENTITIES).write_text(json.dumps({"files": {"networks/made.csv": recorded}}))
    staging = tmp_path / "staging"
    staging.mkdir()
    return path, staging


def test_a_build_records_each_file_it_wrote_with_its_identity_and_digest(tmp_path):
    out = tmp_path / "out"
    with building(out) as output, output.staging() as staging:
        staged = stage_file(staging, b"made by a worker\n")
        output.publish({"networks/made.csv": staged, "plain.txt": b"written here"})
    build = current_build(out)
    assert build is not None
    recorded = json.loads((build / IDENTITIES).read_text())["files"]
    manifest = json.loads((build / MANIFEST).read_text())["files"]
    assert sorted(recorded) == ["networks/made.csv", "plain.txt"]
    for name, (device, inode, size, modified, sha256) in recorded.items():
        found = (build / name).stat()
        assert (device, inode, size, modified) == (
            found.st_dev,
            found.st_ino,
            found.st_size,
            found.st_mtime_ns,
        )
        assert sha256 == manifest[name]["sha256"]


def test_a_recorded_file_is_taken_by_its_record_and_one_written_since_is_read(tmp_path):
    content = b"source,target\na,b\n"
    path, staging = _published_before(tmp_path, content)
    sha256 = hashlib.sha256(content).hexdigest()
    # other bytes, the file's identity put back as recorded: taken by the record, unread
    same = path.stat().st_mtime_ns
    path.write_bytes(b"source,target\nb,a\n")
    os.utime(path, ns=(same, same))
    mapped = mapped_before(path, len(content), sha256)
    assert mapped is not None and mapped[:] == b"source,target\nb,a\n"
    mapped.close()
    linked = stage_linked(staging, path, len(content), sha256)
    assert linked is not None and linked.path.read_bytes() == b"source,target\nb,a\n"
    linked.path.unlink()
    # written since (a later modification time): read, and refused
    os.utime(path, ns=(same + 5_000_000_000, same + 5_000_000_000))
    assert mapped_before(path, len(content), sha256) is None
    assert stage_linked(staging, path, len(content), sha256) is None
    # put back as it was, read: taken
    path.write_bytes(content)
    assert mapped_before(path, len(content), sha256) is not None
    assert stage_linked(staging, path, len(content), sha256) is not None


def test_a_file_modified_in_the_tick_of_its_record_or_of_a_damaged_record_is_read(tmp_path):
    content = b"source,target\na,b\n"
    path, _ = _published_before(tmp_path, content)
    sha256 = hashlib.sha256(content).hexdigest()
    record = path.parent.parent / IDENTITIES
    written = record.stat().st_mtime_ns
    path.write_bytes(b"source,target\nb,a\n")  # as if in the same tick as the record
    os.utime(path, ns=(written, written))
    entry = json.loads(record.read_text())["files"]["networks/made.csv"]
    entry[3] = written
    record.write_text(json.dumps({"files": {"networks/made.csv": entry}}))
    os.utime(record, ns=(written, written))
    assert mapped_before(path, len(content), sha256) is None
    record.write_text("{damaged")
    os.utime(path, ns=(written - 10**9, written - 10**9))
    assert mapped_before(path, len(content), sha256) is None


def test_a_large_staged_file_is_handed_to_the_disk_as_it_is_written(tmp_path, monkeypatch):
    import graph.output

    handed: list[int] = []
    start = graph.output.start_writeback

    def counted(descriptor):
        handed.append(os.fstat(descriptor).st_size)
        start(descriptor)

    monkeypatch.setattr(graph.output, "start_writeback", counted)
    content = bytes(range(256)) * (80 * 1024)  # 20 MiB

    def write(stream):
        for at in range(0, len(content), 1 << 20):
            stream.write(content[at : at + (1 << 20)])

    with building(tmp_path / "out") as output, output.staging() as staging:
        streamed = stage_stream(staging, write)
        assert streamed.path.read_bytes() == content
        assert streamed.sha256 == hashlib.sha256(content).hexdigest()
        assert handed == [8 << 20, 16 << 20]  # what was written so far, each time
        handed.clear()
        staged = stage_file(staging, content)
        assert staged.path.read_bytes() == content
        assert handed == [8 << 20, 16 << 20, 20 << 20]
