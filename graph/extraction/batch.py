"""Draft a corpus: many articles, each into a source folder of the data folder.

What ``apg extract`` does with several articles, a folder or a glob. Each article becomes
``DATA/<id>/`` with its body (``article.txt``) and its draft (``annotation.yaml``), as
``draft.draft_source`` writes one. The articles are parsed in chunks with spaCy's
``nlp.pipe``, in this process, in ``jobs`` worker processes, or on a Dask cluster
(``dask``); wherever they are drafted, the files are written here, by this process, so
every way gives the same bytes.

A draft that is there already (its ``annotation.yaml``) is skipped unless ``force``, so a
batch that was stopped drafts only what is missing when run again: the body is renamed
into place before the draft, and a folder without its draft counts as not done. One
article that cannot be read or drafted is one ``Failure`` and never stops the others.

Every article of a batch is linked to the sources of the data folder other than those of
the batch itself, so a draft does not depend on which articles were drafted before it, in
which order, or in how many runs.
"""

from __future__ import annotations

import contextlib
import glob
import os
import signal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..annotations import ANNOTATION_FILE
from ..errors import ExtractionError
from .article import Article, article_of_bytes, read_article
from .draft import (
    TEXT_FILE,
    annotated_corpus,
    draft_files,
    draft_parsed,
    source_fields,
    write_draft_files,
)
from .gazetteer import Gazetteer, base_gazetteer, slug
from .language import LONG_TEXT, load_pipeline, parse
from .rules import checked_rule_names

__all__ = [
    "ARTICLE_SUFFIXES",
    "CHUNK",
    "Batch",
    "Failure",
    "Outcome",
    "Task",
    "article_paths",
    "draft_articles",
    "draft_corpus",
    "plan_batch",
]

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml"})
"""The files of a folder given to ``apg extract`` that are drafted: text and HTML pages."""

CHUNK = 8
"""Articles parsed together by one ``nlp.pipe`` call and sent to a worker as one task."""

_GLOB_MARKS = frozenset("*?[")


@dataclass(frozen=True)
class Failure:
    """An input that was not drafted, and why, in one line: ``PATH: PROBLEM``."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


@dataclass(frozen=True)
class Task:
    """One article to draft: its file, the id and address of its source, and, for a
    worker that cannot read the file, its bytes."""

    path: Path
    source_id: str
    url: str
    raw: bytes | None = None


@dataclass(frozen=True)
class Outcome:
    """What drafting one article gave: the bytes of its body and draft, or a problem."""

    task: Task
    body: bytes = b""
    annotation: bytes = b""
    entities: int = 0
    statements: int = 0
    problem: str | None = None


@dataclass
class Batch:
    """The inputs of a batch sorted out: what to draft, what is drafted already, what
    cannot be, and the gazetteer every article of the batch is linked with."""

    data_dir: Path
    tasks: list[Task]
    skipped: list[Path]
    failures: list[Failure]
    drafted: list[Path] = field(default_factory=list)
    interrupted: bool = False


# --- inputs ---------------------------------------------------------------------------


def article_paths(inputs: Iterable[Path | str]) -> tuple[list[Path], list[Failure]]:
    """The article files that ``inputs`` name, and the inputs that name none.

    An input is a file (taken whatever its name), a folder (its files with an
    ``ARTICLE_SUFFIXES`` suffix, in its subfolders too, hidden ones left out) or a glob
    pattern (``news/*.html``, ``**`` for any depth). Paths come in sorted order, each once.
    """
    found: dict[Path, None] = {}
    failures: list[Failure] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            matches = _folder_articles(path)
            if not matches:
                failures.append(Failure(path, "a folder with no .txt or .html file"))
        elif path.exists():
            matches = [path]
        elif _GLOB_MARKS & set(str(given)):
            matches = sorted(
                Path(name) for name in glob.glob(str(given), recursive=True) if Path(name).is_file()
            )
            if not matches:
                failures.append(Failure(path, "no file matches this pattern"))
        else:
            failures.append(Failure(path, "file not found"))
            matches = []
        found.update(dict.fromkeys(matches))
    return sorted(found), failures


def _folder_articles(folder: Path) -> list[Path]:
    articles = []
    for root, folders, files in os.walk(folder):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        articles += [
            Path(root, name)
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in ARTICLE_SUFFIXES
        ]
    return sorted(articles)


def plan_batch(inputs: Iterable[Path | str], data_dir: Path | str, *, force: bool = False) -> Batch:
    """Sort the articles that ``inputs`` name (``article_paths``) into what to draft.

    An article's source id comes from its file name, as for one article; a second
    article with the id of another is a failure. An article whose folder under
    ``data_dir`` holds an annotation already is skipped, unless ``force``.
    """
    data_dir = Path(data_dir)
    paths, failures = article_paths(inputs)
    owners: dict[str, Path] = {}
    tasks: list[Task] = []
    skipped: list[Path] = []
    for path in paths:
        source_id = slug(path.stem, 12)
        if source_id in owners:
            failures.append(
                Failure(
                    path,
                    f"its source id {source_id!r} is that of {owners[source_id]}; "
                    "rename one of them",
                )
            )
            continue
        owners[source_id] = path
        if not force and (data_dir / source_id / ANNOTATION_FILE).exists():
            skipped.append(path)
        else:
            tasks.append(Task(path, source_id, path.resolve().as_uri()))
    return Batch(data_dir, tasks, skipped, failures)


def batch_gazetteer(batch: Batch) -> Gazetteer:
    """The entities every article of ``batch`` may be linked to: the states and bodies,
    and the sources of its data folder that are not drafts of this batch."""
    own = {task.source_id for task in batch.tasks}
    own |= {slug(path.stem, 12) for path in batch.skipped}
    corpus = annotated_corpus(batch.data_dir, leave_out=own)  # folders are named by id
    return base_gazetteer(corpus, exclude_source=own)


# --- drafting (in this process, a worker process or a Dask worker) ----------------------


def draft_articles(
    tasks: Sequence[Task],
    gazetteer: Gazetteer,
    model: str | None = None,
    without_rules: Sequence[str] = (),
) -> list[Outcome]:
    """Draft each article of ``tasks``, parsed together with ``nlp.pipe``; one outcome a
    task, in their order, with the bytes that ``draft.write_draft`` would write.

    Reads a task's file unless it carries its bytes. A problem with one article (it
    cannot be read, has no date, drafting it fails) is its outcome's ``problem``; the
    others are drafted all the same. Only ``KeyboardInterrupt`` and the like stop it.
    """
    nlp = load_pipeline(model)
    outcomes: dict[int, Outcome] = {}
    readable: list[tuple[int, Article, dict[str, Any]]] = []
    for index, task in enumerate(tasks):
        try:
            article = (
                read_article(task.path)
                if task.raw is None
                else article_of_bytes(task.path, task.raw)
            )
            source = source_fields(article, {"id": task.source_id}, url=task.url)
        except ExtractionError as error:
            outcomes[index] = Outcome(task, problem=error.problem)
            continue
        readable.append((index, article, source))
    short = [item for item in readable if len(item[1].body) <= LONG_TEXT]
    docs = nlp.pipe((article.body for _, article, _ in short), batch_size=max(1, len(short)))
    parsed = [(item, doc) for item, doc in zip(short, docs, strict=True)]
    for item in readable:
        if len(item[1].body) > LONG_TEXT:  # in pieces, as one article is, but no children
            parsed.append((item, parse(nlp, item[1].body, processes=1)))
    for (index, article, source), doc in parsed:
        outcomes[index] = _drafted(tasks[index], article, source, gazetteer, doc, nlp.make_doc,
                                   without_rules)  # fmt: skip
    return [outcomes[index] for index in range(len(tasks))]


def _drafted(
    task: Task,
    article: Article,
    source: dict[str, Any],
    gazetteer: Gazetteer,
    doc: Any,
    make_doc: Any,
    without_rules: Sequence[str],
) -> Outcome:
    try:
        draft = draft_parsed(
            article, source, gazetteer.with_corpus(None), doc, make_doc, without_rules
        )
        body, annotation = draft_files(draft)
    except ExtractionError as error:
        return Outcome(task, problem=error.problem)
    except Exception as error:  # a fault of one article's drafting must not stop a corpus
        return Outcome(task, problem=f"drafting failed: {type(error).__name__}: {error}")
    kept = len(draft.statements) - len(draft.left_out())
    return Outcome(task, body, annotation, len(draft.entities), kept)


# --- running a batch ------------------------------------------------------------------


def draft_corpus(
    inputs: Iterable[Path | str],
    data_dir: Path | str,
    *,
    force: bool = False,
    jobs: int = 1,
    dask: Any = None,
    model: str | None = None,
    without_rules: Iterable[str] = (),
    chunk: int = CHUNK,
    on_outcome: Callable[[Outcome], None] | None = None,
    on_plan: Callable[[Batch], None] | None = None,
) -> Batch:
    """Draft every article ``inputs`` name into ``data_dir`` (see ``plan_batch``).

    ``jobs`` worker processes parse and draft (1: this process); or ``dask``, a
    ``distributed.Client`` or a scheduler's address, runs them on a Dask cluster, whose
    workers need this package and the pipeline installed but not the files: they are
    read here and sent. Either way the drafts are written here, each atomically, and
    are byte for byte those of a run in this process.

    ``chunk`` articles are parsed together and sent to a worker as one task (the drafts
    do not depend on it). ``on_plan`` is called with the batch before drafting starts,
    ``on_outcome`` with each article's outcome once its draft is written (or failed).
    Stopped by ``KeyboardInterrupt``, it returns the batch marked ``interrupted``: what
    was written is whole, and a new run drafts the rest. Raises ``BuildError`` for an unknown rule
    name or pipeline, or a data folder that cannot be loaded, before drafting anything.
    """
    rules = tuple(checked_rule_names(without_rules))
    batch = plan_batch(inputs, data_dir, force=force)
    if on_plan is not None:
        on_plan(batch)
    if not batch.tasks:
        return batch
    gazetteer = batch_gazetteer(batch)
    if dask is None:
        load_pipeline(model)  # an unknown pipeline fails here, not in every worker
    size = max(1, chunk)
    chunks = [batch.tasks[start : start + size] for start in range(0, len(batch.tasks), size)]
    if dask is not None:
        results = _on_dask(dask, chunks, gazetteer, model, rules, jobs)
    elif jobs > 1:
        results = _in_processes(chunks, gazetteer, model, rules, jobs)
    else:
        results = (draft_articles(chunk, gazetteer, model, rules) for chunk in chunks)
    try:
        for outcomes in results:
            for outcome in outcomes:
                _write(batch, outcome, force=force)
                if on_outcome is not None:
                    on_outcome(outcome)
    except KeyboardInterrupt:
        batch.interrupted = True
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()
    return batch


def _write(batch: Batch, outcome: Outcome, *, force: bool) -> None:
    task = outcome.task
    if outcome.problem is not None:
        batch.failures.append(Failure(task.path, outcome.problem))
        return
    folder = batch.data_dir / task.source_id
    _remove_staged(folder)
    try:
        write_draft_files(folder / ANNOTATION_FILE, outcome.body, outcome.annotation, force=force)
    except ExtractionError as error:
        batch.failures.append(Failure(task.path, str(error)))
        return
    batch.drafted.append(folder)


def _remove_staged(folder: Path) -> None:
    """Remove the temporary files a stopped run left in a folder it was writing."""
    for name in (ANNOTATION_FILE, TEXT_FILE):
        for staged in folder.glob(f".{name}.*.tmp"):
            staged.unlink(missing_ok=True)


def _in_processes(
    chunks: list[list[Task]],
    gazetteer: Gazetteer,
    model: str | None,
    without_rules: tuple[str, ...],
    jobs: int,
) -> Iterator[list[Outcome]]:
    """Draft the chunks in ``jobs`` new processes, each with one thread for BLAS: two
    processes of one thread parse faster than one of two threads.

    A worker that dies (killed for its memory, a crash in a compiled library) costs no
    more than its article. A broken pool ends every chunk it was drafting, and which
    worker died is not known: the articles of those chunks are drafted again one at a
    time, each alone in a new worker, and an article whose worker dies then is a failure.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    stopped = "the process drafting it stopped (out of memory, or a crash)"
    # (chunk, alone) taken from the end, in order; alone: drafted with nothing beside it
    waiting = [(chunk, False) for chunk in reversed(chunks)]
    while waiting:
        alone = waiting[-1][1]
        most = 1 if alone else 2 * jobs
        with _environment(OMP_NUM_THREADS="1"):
            executor = ProcessPoolExecutor(
                1 if alone else min(jobs, len(waiting)),
                mp_context=multiprocessing.get_context("spawn"),  # no copy of our threads
                initializer=_start_worker,
                initargs=(gazetteer, model, without_rules),
            )
        running: dict[Future[list[Outcome]], list[Task]] = {}
        lost: list[list[Task]] = []
        try:
            while (waiting or running) and not lost:
                while waiting and len(running) < most and waiting[-1][1] == alone:
                    chunk, _ = waiting.pop()
                    running[executor.submit(_draft_in_worker, chunk)] = chunk
                if not running:
                    break  # the next chunks are drafted the other way
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    chunk = running.pop(future)
                    error = future.exception()
                    if error is None:
                        yield future.result()
                    elif isinstance(error, BrokenProcessPool):
                        lost.append(chunk)
                    else:
                        problem = f"drafting failed: {type(error).__name__}: {error}"
                        yield [Outcome(task, problem=problem) for task in chunk]
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
        lost += running.values()  # a broken pool ends every chunk it was drafting
        if alone:
            yield [Outcome(task, problem=stopped) for chunk in lost for task in chunk]
        else:
            waiting += [([task], True) for chunk in lost for task in chunk][::-1]


_WORKER: dict[str, Any] = {}


def _start_worker(gazetteer: Gazetteer, model: str | None, without_rules: tuple[str, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the batch's process stops the workers
    _WORKER.update(gazetteer=gazetteer, model=model, without_rules=without_rules)
    load_pipeline(model)


def _draft_in_worker(tasks: list[Task]) -> list[Outcome]:
    return draft_articles(tasks, _WORKER["gazetteer"], _WORKER["model"], _WORKER["without_rules"])


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _on_dask(
    dask: Any,
    chunks: list[list[Task]],
    gazetteer: Gazetteer,
    model: str | None,
    without_rules: tuple[str, ...],
    jobs: int,
) -> Iterator[list[Outcome]]:
    """Draft the chunks on a Dask cluster, a few tasks ahead of the results, so that the
    articles read here and sent are never the whole corpus at once."""
    from distributed import Client, as_completed  # deferred: only a batch on Dask needs it

    client = dask if isinstance(dask, Client) else Client(dask)
    try:
        shared = client.scatter(gazetteer, broadcast=True)
        ahead = 2 * max(1, len(client.scheduler_info().get("workers", {})), jobs)
        waiting = iter(chunks)
        running = as_completed()

        def send(count: int) -> Iterator[list[Outcome]]:
            """Send the next ``count`` chunks that have a file to draft."""
            while count > 0:
                chunk = next(waiting, None)
                if chunk is None:
                    return
                sent, unread = _read_here(chunk)
                if sent:
                    running.add(
                        client.submit(
                            draft_articles, sent, shared, model, without_rules, pure=False
                        )
                    )
                    count -= 1
                if unread:
                    yield unread

        yield from send(ahead)
        for future in running:
            outcomes = future.result()
            yield from send(1)
            yield outcomes
    finally:
        if client is not dask:
            client.close()


def _read_here(chunk: list[Task]) -> tuple[list[Task], list[Outcome]]:
    """The tasks of ``chunk`` with their files' bytes, for a worker that has not the
    files, and the outcomes of those that cannot be read."""
    sent: list[Task] = []
    unread: list[Outcome] = []
    for task in chunk:
        try:
            raw = task.path.read_bytes()
        except OSError:
            try:  # read_article says what is wrong as for one article
                read_article(task.path)
            except ExtractionError as error:
                unread.append(Outcome(task, problem=error.problem))
            continue
        sent.append(Task(task.path, task.source_id, task.url, raw))
    return sent, unread
