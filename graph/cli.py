"""The ``apg`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gc
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import collector
from .errors import BuildError, ValidationError
from .sparql.defaults import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    FORMATS,
    STORE_DIR,
)

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apg", description="Build a knowledge graph of actors and their positions."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_cmd = commands.add_parser(
        "build", help="build the graph of every annotated source and write it to the output"
    )
    build_cmd.add_argument("--data", default="data", help="folder of annotated sources")
    build_cmd.add_argument("--out", default="output", help="folder to write the graph to")
    build_cmd.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="check and write in N processes at once (default: one per CPU; 1: none)",
    )
    build_cmd.add_argument(
        "--no-cache",
        action="store_true",
        help="validate every source again, ignoring and not writing OUT/.cache/",
    )

    render_cmd = commands.add_parser(
        "render", help="write an interactive HTML page of the graph or of a part of it"
    )
    render_cmd.add_argument("--data", default="data", help="folder of annotated sources")
    render_cmd.add_argument("--focus", metavar="ENTITY", help="id, label or alias to centre on")
    render_cmd.add_argument(
        "--depth", type=int, default=1, metavar="N", help="steps from the focus (default 1)"
    )
    render_cmd.add_argument(
        "--relations", type=_names, metavar="R1,R2", help="keep only these relations"
    )
    render_cmd.add_argument("--types", type=_names, metavar="T1,T2", help="keep only these types")
    render_cmd.add_argument("--out", default="output/graph.html", help="the HTML file to write")
    _build_cache_options(render_cmd)

    analyze_cmd = commands.add_parser(
        "analyze", help="print the camps, the polarisation and the most prominent actors"
    )
    analyze_cmd.add_argument("--data", default="data", help="folder of annotated sources")
    analyze_cmd.add_argument(
        "--level",
        choices=("actor", "state"),
        default="actor",
        help="actors as coded, or rolled up to the states and bodies they speak for",
    )
    analyze_cmd.add_argument("--format", choices=("table", "json"), default="table")
    analyze_cmd.add_argument(
        "--no-hedged",
        dest="hedged",
        action="store_false",
        help="leave out alleged, implicit and speculative statements",
    )
    analyze_cmd.add_argument(
        "--window",
        type=_window,
        metavar="year|month|DAYS",
        help="one analysis per calendar year, month, or run of DAYS days",
    )
    analyze_cmd.add_argument(
        "--window-start",
        type=_date,
        metavar="YYYY-MM-DD",
        help="where the first run of DAYS starts (default: the earliest statement)",
    )
    analyze_cmd.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help="processes that check and analyse the graph (default: one per CPU)",
    )
    _build_cache_options(analyze_cmd)

    query_cmd = commands.add_parser(
        "query", help="run a SPARQL query: a bundled one by name, a .rq file, or text"
    )
    query_cmd.add_argument("query", metavar="QUERY", help="bundled query name, .rq file or SPARQL")
    query_cmd.add_argument("--format", choices=FORMATS, default="table", help="output format")
    query_cmd.add_argument("--endpoint", metavar="URL", help="a SPARQL 1.1 endpoint to ask")
    query_cmd.add_argument(
        "--store", default=f"output/{STORE_DIR}", help="the store `apg build` wrote"
    )

    serve_cmd = commands.add_parser(
        "serve", help="serve the graph as a read-only SPARQL endpoint (and a query page)"
    )
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    serve_cmd.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    serve_cmd.add_argument("--store", default=f"output/{STORE_DIR}", help="the store to serve")
    serve_cmd.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds a query may run"
    )
    serve_cmd.add_argument(
        "--max-rows", type=int, default=DEFAULT_MAX_ROWS, help="rows a query may return"
    )
    serve_cmd.add_argument(
        "--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="bytes an answer may take"
    )
    serve_cmd.add_argument(
        "--workers", type=int, default=2, help="processes that run queries at once (default 2)"
    )
    serve_cmd.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host header is NAME (e.g. behind a proxy)",
    )

    push_cmd = commands.add_parser(
        "push", help="load the graph into a SPARQL store (Graph Store Protocol), per source"
    )
    push_cmd.add_argument("url", metavar="URL", help="the store's Graph Store Protocol endpoint")
    push_cmd.add_argument("--graph", metavar="IRI", help="put everything in this one graph")
    push_cmd.add_argument("--data", default="data", help="folder of annotated sources")
    push_cmd.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    _build_cache_options(push_cmd, network=False)

    extract_cmd = commands.add_parser(
        "extract",
        help="draft an annotation of a raw article, or of many into --data (every item to be "
        "reviewed)",
    )
    extract_cmd.add_argument(
        "article",
        metavar="ARTICLE",
        nargs="+",
        help="the article as UTF-8 text (or an HTML page); several, a folder or a glob "
        "pattern drafts each into a folder of --data (docs/batch-drafting.md)",
    )
    extract_cmd.add_argument(
        "--meta", metavar="META", help="YAML file of source fields: id, title, url, date, ..."
    )
    extract_cmd.add_argument(
        "-o",
        "--out",
        metavar="DRAFT",
        help="write the draft here and the article body beside it as article.txt "
        "(default: print the draft)",
    )
    extract_cmd.add_argument(
        "--data", default="data", help="annotated sources whose entities to link to"
    )
    extract_cmd.add_argument("--model", metavar="NAME", help="an installed spaCy pipeline")
    extract_cmd.add_argument(
        "--without-rule",
        metavar="NAME",
        action="append",
        default=[],
        help="switch a statement rule off (repeatable; the rules: docs/extraction.md)",
    )
    extract_cmd.add_argument(
        "--force", action="store_true", help="overwrite DRAFT; in a batch, draft again what is"
    )
    extract_cmd.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="a batch: draft in N processes (default 1; with --dask, N workers)",
    )
    extract_cmd.add_argument(
        "--dask", action="store_true", help="a batch: draft on a Dask cluster started here"
    )
    extract_cmd.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="a batch: draft on the Dask cluster of this scheduler (tcp://host:8786)",
    )
    extract_cmd.add_argument(
        "--log",
        default="output/extract.log",
        metavar="FILE",
        help="a batch: write its failures here (default output/extract.log)",
    )
    extract_cmd.add_argument("-q", "--quiet", action="store_true", help="a batch: no progress bar")

    review_cmd = commands.add_parser(
        "review",
        help="review drafts and code statements in the browser (a local web app)",
    )
    review_cmd.add_argument(
        "source",
        nargs="?",
        metavar="SOURCE",
        help="the source to open: its folder under --data (name or path), or a raw article "
        "(text or HTML page), drafted first into a new folder of --data",
    )
    review_cmd.add_argument("--data", default="data", help="folder of annotated sources")
    review_cmd.add_argument(
        "--coder",
        default=None,
        help="your name, recorded as coded_by on what you accept or add (default: $USER)",
    )
    review_cmd.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    review_cmd.add_argument(
        "--port", type=int, default=7879, help="port (default 7879; 0: any free port)"
    )
    review_cmd.add_argument(
        "--no-browser", action="store_true", help="print the address, do not open a browser"
    )
    review_cmd.add_argument(
        "--meta", metavar="META", help="for a raw article: YAML file of source fields"
    )

    evaluate_cmd = commands.add_parser(
        "evaluate",
        help="score a draft annotation against a curated (gold) one of the same text, "
        "or a folder of drafts against a folder of gold sources, or (--agreement) measure "
        "how far two coders' annotations of one text agree",
    )
    evaluate_cmd.add_argument(
        "draft", metavar="DRAFT", help="the draft annotation (or its folder), or a folder of them"
    )
    evaluate_cmd.add_argument(
        "gold", metavar="GOLD", help="the gold annotation (or its folder), or a folder of them"
    )
    evaluate_cmd.add_argument("--format", choices=("table", "json"), default="table")
    evaluate_cmd.add_argument(
        "--agreement",
        action="store_true",
        help="DRAFT and GOLD are two coders' annotations of one text: print their agreement "
        "(Krippendorff's alpha) per relation and overall",
    )
    evaluate_cmd.add_argument(
        "--missing",
        choices=("refuse", "zero"),
        help="folders: a gold source with no draft is refused (default), or scored as a "
        "draft that found nothing",
    )
    return parser


def _build_cache_options(command: argparse.ArgumentParser, *, network: bool = True) -> None:
    """``--build-cache OUT`` and ``--no-cache``, for a command that checks the sources
    (and, with ``network``, that can take the statement network a build kept)."""
    kept = (
        "; when none changed, take the network it kept instead of reading them" if network else ""
    )
    command.add_argument(
        "--build-cache",
        default="output",
        metavar="OUT",
        help="skip the parsing and the checks of sources unchanged since a build into OUT "
        f"read them{kept} "
        "(default: output; its cache is read, never written)",
    )
    command.add_argument(
        "--no-cache",
        action="store_true",
        help="read and check every source, not reading OUT/.cache/",
    )


def _build_cache(arguments: argparse.Namespace) -> str | None:
    return None if arguments.no_cache else arguments.build_cache


def _window(value: str) -> int | str:
    if value in ("year", "month"):
        return value
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise argparse.ArgumentTypeError(f"{value!r}: expected year, month or a number of days")


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _names(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("expected names separated by commas")
    return names


def _build(arguments: argparse.Namespace) -> None:
    from .pipeline import build

    if arguments.jobs is not None and arguments.jobs < 1:
        raise BuildError(f"--jobs must be 1 or more, got {arguments.jobs}")
    result = build(arguments.data, arguments.out, cache=not arguments.no_cache, jobs=arguments.jobs)
    print(
        f"built {len(result.corpus.sources)} source(s), "
        f"{len(result.corpus.entities)} entities, "
        f"{len(result.corpus.statements)} statements, {result.triples} triples"
    )
    folders: dict[str, int] = {}
    for name in sorted(result.files):
        folder, _, rest = name.partition("/")
        if rest:
            folders[folder] = folders.get(folder, 0) + 1
        else:
            print(f"wrote {result.files[name]}")
    for folder, count in folders.items():
        print(f"wrote {Path(arguments.out) / folder}/ ({count} files)")
    for warning in result.corpus.warnings():
        print(f"warning: {warning}", file=sys.stderr)


def _render(arguments: argparse.Namespace) -> None:
    from .pipeline import render

    written = render(
        arguments.data,
        arguments.out,
        focus=arguments.focus,
        depth=arguments.depth,
        relations=arguments.relations,
        types=arguments.types,
        build_cache=_build_cache(arguments),
    )
    print(f"wrote {written}")


def _analyze(arguments: argparse.Namespace) -> None:
    from .networks.analysis import analysis_document, format_analysis
    from .pipeline import analyse_data

    if arguments.window_start is not None and not isinstance(arguments.window, int):
        raise BuildError("--window-start needs --window DAYS")
    if arguments.jobs is not None and arguments.jobs < 1:
        raise BuildError(f"--jobs must be 1 or more, got {arguments.jobs}")
    analyses = analyse_data(
        arguments.data,
        arguments.level,
        hedged=arguments.hedged,
        window=arguments.window,
        window_start=arguments.window_start,
        jobs=arguments.jobs,
        build_cache=_build_cache(arguments),
    )
    if arguments.format == "json":
        documents = [
            {"window": window, **analysis_document(analysis)} for window, analysis in analyses
        ]
        sys.stdout.write(json.dumps(documents, ensure_ascii=False, indent=2) + "\n")
        return
    for number, (window, analysis) in enumerate(analyses):
        if arguments.window is not None:
            sys.stdout.write(("\n" if number else "") + f"window: {window}\n")
        sys.stdout.write(format_analysis(analysis, "table"))


def _query(arguments: argparse.Namespace) -> None:
    from .output import reading
    from .sparql.query import format_result, load_query, query_form, run_query, run_remote
    from .sparql.store import open_store

    sparql = load_query(arguments.query)
    query_form(sparql)  # refuse an update before opening anything
    if arguments.endpoint:
        result = run_remote(sparql, arguments.endpoint)
    else:
        with reading(arguments.store) as store:  # this build, even if another lands
            result = run_query(sparql, open_store(store))
    sys.stdout.write(format_result(result, arguments.format))


def _serve(arguments: argparse.Namespace) -> None:
    from .sparql.serve import Stopped, serve

    if arguments.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"apg: warning: serving on {arguments.host}, beyond this machine", file=sys.stderr)
    try:
        serve(
            arguments.store,
            host=arguments.host,
            port=arguments.port,
            timeout=arguments.timeout,
            max_rows=arguments.max_rows,
            max_bytes=arguments.max_bytes,
            workers=arguments.workers,
            allowed_hosts=arguments.allow_host,
            announce=lambda line: print(line, flush=True),
        )
    except KeyboardInterrupt:  # while starting
        print("apg: stopped serving (interrupted)", file=sys.stderr, flush=True)
        raise SystemExit(130) from None
    except Stopped as stopped:
        if stopped.signal_number == signal.SIGINT:
            print("apg: stopped serving (interrupted)", file=sys.stderr, flush=True)
            raise SystemExit(130) from None
        print("apg: stopped serving", file=sys.stderr, flush=True)


def _push(arguments: argparse.Namespace) -> None:
    from .sparql.push import push

    for pushed in push(
        arguments.data,
        arguments.url,
        graph=arguments.graph,
        timeout=arguments.timeout,
        build_cache=_build_cache(arguments),
    ):
        note = f"; {pushed.note}" if pushed.note else ""
        print(f"pushed {pushed.triples} triples to <{pushed.graph}> (HTTP {pushed.status}{note})")


def _extract(arguments: argparse.Namespace) -> None:
    if _is_batch(arguments):
        _extract_batch(arguments)
        return
    arguments.article = arguments.article[0]
    from .extraction.draft import (
        TEXT_FILE,
        annotated_corpus,
        draft_yaml,
        extract_file,
        read_meta,
        write_draft,
    )
    from .extraction.quotes import MAX_WIDENING

    meta = read_meta(arguments.meta) if arguments.meta else None
    corpus = annotated_corpus(arguments.data)
    draft = extract_file(
        arguments.article, meta, corpus, arguments.model, without_rules=arguments.without_rule
    )
    warnings = []
    if draft.article.html:
        where = "written beside the draft as" if arguments.out else "which -o writes as"
        warnings.append(
            f"{arguments.article}: read as an HTML page; the draft quotes the text it shows "
            f"(scripts, styles and navigation left out), {where} {TEXT_FILE}"
        )
    ambiguous = Counter((name, tuple(entity_ids)) for name, entity_ids in draft.ambiguous)
    for (name, entity_ids), count in ambiguous.items():  # once a name, however often used
        times = f" ({count} times)" if count > 1 else ""
        warnings.append(f"{name!r} could be {' or '.join(entity_ids)}; left unlinked{times}")
    # an HTML file is not the text the quotes are from: they refer to the body alone
    whole_file = arguments.out is None and not draft.article.html
    left_out = len(draft.left_out(whole_file=whole_file))
    if left_out:
        warnings.append(
            f"{arguments.article}: {left_out} statement{'s' * (left_out > 1)} left out: "
            f"{'their quotes occur' if left_out > 1 else 'its quote occurs'} more than once in "
            f"the text, even widened by up to {MAX_WIDENING} characters on each side"
        )
    for warning in warnings:
        print(f"apg: warning: {warning}", file=sys.stderr)
    if arguments.out is None:
        # a source text is read by a relative path, from the annotation's own folder
        reference = TEXT_FILE if draft.article.html else Path(arguments.article).name
        sys.stdout.write(f"# Save it beside {reference}: the draft names its text so.\n")
        sys.stdout.write(draft_yaml(draft, reference, whole_file=whole_file))
        return
    written = write_draft(draft, arguments.out, force=arguments.force)
    linked = sum(1 for entity in draft.entities if entity.origin)
    print(
        f"wrote {written[0]}: {len(draft.entities)} entities ({linked} already known), "
        f"{len(draft.statements) - left_out} statements, all unreviewed"
    )
    skipped = len(draft.article.text) - len(draft.article.body)
    note = f"; {skipped} characters around the body left out" if draft.article.trimmed else ""
    print(f"wrote {written[1]}: the article body{note}")


def _is_batch(arguments: argparse.Namespace) -> bool:
    """Whether ``apg extract`` drafts a batch into --data rather than one article."""
    if len(arguments.article) > 1 or arguments.dask or arguments.scheduler:
        return True
    if arguments.jobs is not None:
        return True
    only = Path(arguments.article[0])
    return only.is_dir() or (not only.exists() and bool(set("*?[") & set(str(only))))


def _extract_batch(arguments: argparse.Namespace) -> None:
    from .extraction.batch import Batch, Outcome, draft_corpus

    for option, given in (("-o", arguments.out), ("--meta", arguments.meta)):
        if given is not None:
            raise BuildError(
                f"{option} is for one article; a batch drafts each into a folder of --data "
                "with the fields its text gives"
            )
    jobs = arguments.jobs if arguments.jobs is not None else 1
    if jobs < 1:
        raise BuildError(f"--jobs must be 1 or more, got {jobs}")
    log = Path(arguments.log)
    quiet = arguments.quiet or not sys.stderr.isatty()
    bar: Any = None

    def planned(batch: Batch) -> None:
        nonlocal bar
        from tqdm import tqdm

        bar = tqdm(
            total=len(batch.tasks), unit="article", desc="drafting", disable=quiet,
            file=sys.stderr, dynamic_ncols=True,
        )  # fmt: skip

    def drafted(outcome: Outcome) -> None:
        bar.update(1)

    with _dask_client(arguments, jobs) as dask:
        try:
            batch = draft_corpus(
                arguments.article, arguments.data, force=arguments.force, jobs=jobs,
                dask=dask, model=arguments.model, without_rules=arguments.without_rule,
                on_plan=planned, on_outcome=drafted,
            )  # fmt: skip
        finally:
            if bar is not None:
                bar.close()
    _batch_summary(batch, log)
    if batch.interrupted:
        raise KeyboardInterrupt
    if batch.failures:
        raise _BatchFailed


class _BatchFailed(BuildError):
    """Some articles of a batch were not drafted: the summary said which."""


@contextlib.contextmanager
def _dask_client(arguments: argparse.Namespace, jobs: int) -> Any:
    """The Dask client of ``--scheduler``, or of a local cluster of ``jobs`` workers for
    ``--dask``; None for neither."""
    if not (arguments.dask or arguments.scheduler):
        yield None
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise BuildError("--dask and --scheduler need Dask: pip install dask distributed") from None
    if arguments.scheduler:
        try:
            client = Client(arguments.scheduler, timeout=30)
        except OSError as error:
            raise BuildError(f"--scheduler {arguments.scheduler}: {error}") from None
        with client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _batch_summary(batch: Any, log: Path) -> None:
    """Print what a batch did, then each failure on a line of its own, and write the
    failures to ``log``."""
    stopped = " before it was interrupted" if batch.interrupted else ""
    print(
        f"drafted {len(batch.drafted)} article{'s' * (len(batch.drafted) != 1)} into "
        f"{batch.data_dir}{stopped}; {len(batch.skipped)} already drafted (skipped); "
        f"{len(batch.failures)} failed"
    )
    lines = [str(failure) for failure in batch.failures]
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        where = f"; listed in {log}"
    except OSError as error:
        where = f"; not written to {log}: {error.strerror or error}"
    for line in lines:
        print(f"apg: error: {line}", file=sys.stderr)
    if lines:
        print(f"apg: {len(lines)} of the articles not drafted{where}", file=sys.stderr)
    if batch.interrupted:
        print("apg: run the same command again to draft the rest", file=sys.stderr)


def _review(arguments: argparse.Namespace) -> None:
    from .review import KnownName, serve_review, source_folder

    data = Path(arguments.data)
    name = None
    if arguments.source is not None:
        found = source_folder(data, arguments.source)
        if found is None:  # not a source folder: an article to draft first
            from .extraction.draft import draft_source, read_meta

            meta = read_meta(arguments.meta) if arguments.meta else None
            found, drafted = draft_source(arguments.source, data, meta)
            print(f"{'drafted' if drafted else 'already drafted'}: {found}", flush=True)
        name = found.name
    from .extraction.gazetteer import base_gazetteer

    known = [
        KnownName(e.id, e.type, e.label, e.aliases, e.wikidata, e.iso3166, e.origin)
        for e in base_gazetteer().entities.values()
    ]
    if arguments.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"apg: warning: serving on {arguments.host}, beyond this machine", file=sys.stderr)
    serve_review(
        data,
        coder=arguments.coder or os.environ.get("USER") or "coder",
        source=name,
        host=arguments.host,
        port=arguments.port,
        known=known,
        open_browser=not arguments.no_browser,
        announce=lambda line: print(line, flush=True),
    )


def _evaluate(arguments: argparse.Namespace) -> None:
    from .extraction import scoring
    from .extraction.evaluation import evaluate, evaluation_document, format_evaluation

    if arguments.agreement:
        _agreement(arguments)
        return
    if scoring.holds_sources(arguments.draft) or scoring.holds_sources(arguments.gold):
        _evaluate_corpus(arguments)
        return
    if arguments.missing is not None:
        raise BuildError("--missing is for two folders of source folders")
    evaluation = evaluate(arguments.draft, arguments.gold)
    _write_scores(arguments.format, evaluation, evaluation_document, format_evaluation)


def _write_scores(
    output_format: str, result: Any, document: Callable[[Any], object], table: Callable[[Any], str]
) -> None:
    """Print a result of ``apg evaluate`` as JSON, or as its table."""
    if output_format == "json":
        sys.stdout.write(json.dumps(document(result), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(table(result))


def _agreement(arguments: argparse.Namespace) -> None:
    from .extraction import scoring
    from .extraction.agreement import agreement_document, format_agreement, measure_agreement

    for path in (arguments.draft, arguments.gold):
        if scoring.holds_sources(path):
            raise BuildError(
                f"{path}: --agreement compares two annotations of one text: name an "
                "annotation file, or the folder holding its annotation.yaml"
            )
    if arguments.missing is not None:
        raise BuildError("--missing is for two folders of source folders, not --agreement")
    result = measure_agreement(arguments.draft, arguments.gold)
    _write_scores(arguments.format, result, agreement_document, format_agreement)


def _evaluate_corpus(arguments: argparse.Namespace) -> None:
    from .extraction import scoring

    result = scoring.evaluate_corpus(
        arguments.draft, arguments.gold, missing=arguments.missing or "refuse"
    )
    _write_scores(
        arguments.format,
        result,
        scoring.corpus_evaluation_document,
        scoring.format_corpus_evaluation,
    )


COMMANDS = {
    "build": _build,
    "render": _render,
    "analyze": _analyze,
    "query": _query,
    "serve": _serve,
    "push": _push,
    "extract": _extract,
    "evaluate": _evaluate,
    "review": _review,
}


PAUSED = frozenset({"build", "render", "analyze", "push"})
"""The commands run with the cycle collector paused from start to end (see
``graph.collector``): each makes a corpus's graph, millions of objects that live to the
end of the command. Paused only while the graph was made, the collector's first run
after it walked them all (6 s after an analysis of 30,000 statements) for nothing to
free. Commands that serve, review or draft batch after batch keep it running."""


def main(argv: Sequence[str] | None = None, *, ending: bool = False) -> int:
    """Run the command line; return the exit status.

    With ``ending`` (the process ends with the command: ``run``), a command of
    ``PAUSED`` leaves the cycle collector off. Turned on again, it would run at the
    next object made and walk every object the command made since it was paused (0.6 s
    after a rebuild of 30,000 statements), only for the process to end.
    """
    arguments = _parser().parse_args(argv)
    paused = arguments.command in PAUSED
    if paused and ending:
        gc.disable()  # then ``collector.paused`` leaves it as it found it: off
    try:
        with collector.paused() if paused else contextlib.nullcontext():
            COMMANDS[arguments.command](arguments)
    except ValidationError as error:
        print(f"apg: error: {error}", file=sys.stderr)
        if len(error.violations) > 1:
            for violation in error.violations:
                print(f"  {violation}", file=sys.stderr)
        return 1
    except BuildError as error:
        if not isinstance(error, _BatchFailed):  # its summary said it all
            print(f"apg: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("apg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of the output went away (`apg query ... | head`): nothing to say
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (closed when the process ends)
        return 1
    except OSError as error:
        # a file-system or system error that no stage turned into a BuildError
        print(f"apg: error: {_system_problem(error)}", file=sys.stderr)
        return 1
    return 0


def run() -> NoReturn:
    """The ``apg`` program: run the command line, then end the process with its status.

    What a command made is left to the operating system when the process ends. A
    corpus's graph is millions of objects held in reference cycles (graphs, stores and
    namespace managers refer to each other), which only the cycle collector frees: its
    last walk over them, on the way out, took seconds (6 s after a build of 30,000
    statements) to free memory the process was about to give back anyway.
    """
    status = main(ending=True)
    gc.freeze()  # no collection looks at what exists now, the last one included
    sys.exit(status)


def _system_problem(error: OSError) -> str:
    """One line for an ``OSError``: the file it concerns, then the system's reason."""
    reason = error.strerror or str(error) or type(error).__name__
    where = error.filename if error.filename is not None else None
    return f"{where}: {reason}" if where is not None else " ".join(reason.split())


if __name__ == "__main__":
    run()
