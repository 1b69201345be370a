"""Draft an annotation from a raw article: entities, statements, quotes and offsets.

The stage that ``apg extract`` calls: read the article (``article``), parse it
(``language``), find and link its entities (``mentions``), apply the statement rules
(``rules``), then write the draft. Every item of the draft is marked ``reviewed: false``
with a confidence: for a statement, how often its rule was right when scored against the
curated annotations (module ``confidence``), not a calibrated probability.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..annotations import ANNOTATION_FILE, ID_PATTERN, SOURCE_KEYS, load_corpus
from ..corpus import Corpus
from ..errors import AnnotationError, ExtractionError
from ..export import stage_file
from ..inputs import read_yaml
from ..names import normalise_name
from .article import Article, read_article
from .confidence import RULE_CONFIDENCE
from .gazetteer import Gazetteer, base_gazetteer, slug
from .language import load_pipeline, parse
from .mentions import DraftEntity, Mentions, find_mentions
from .operations import name_operations
from .quotes import unique_spans, whole_words
from .rules import DraftStatement, apply_rules, checked_rule_names

__all__ = [
    "TEXT_FILE",
    "Draft",
    "DraftStatement",
    "annotated_corpus",
    "draft_document",
    "draft_files",
    "draft_parsed",
    "draft_source",
    "draft_yaml",
    "extract",
    "extract_file",
    "read_meta",
    "source_fields",
    "write_draft",
    "write_draft_files",
]


@dataclass
class Draft:
    """A draft annotation of one article, ready to be written as YAML."""

    article: Article
    source: dict[str, Any]
    entities: list[DraftEntity]
    statements: list[DraftStatement]
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    _widened: dict[tuple[Any, ...], list[tuple[int, int] | None]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def quote(self, statement: DraftStatement) -> str:
        return self.article.body[statement.start : statement.end]

    def unique_quotes(self, *, whole_file: bool = False) -> list[tuple[int, int] | None]:
        """Each statement's quote widened until it occurs once, as a span of the body;
        None for a statement whose quote repeats however far it is widened (see
        ``graph.extraction.quotes``), which the written draft leaves out. In the order of
        ``statements``; unique in the body, or in the whole file when ``whole_file``."""
        key = (whole_file, *((s.start, s.end) for s in self.statements))
        if key not in self._widened:
            offset = self.article.body_start if whole_file else 0
            spans = unique_spans(
                self.article.text if whole_file else self.article.body,
                [(s.start + offset, s.end + offset) for s in self.statements],
                bounds=(offset, offset + len(self.article.body)),
            )
            bounds = (offset, offset + len(self.article.body))
            text = self.article.text if whole_file else self.article.body
            # a quote widened to be unique is cut to whole words ("ency, the GRU, and two ")
            spans = [
                whole_words(text, span, (s.start + offset, s.end + offset), bounds)
                if span is not None and span != (s.start + offset, s.end + offset)
                else span
                for span, s in zip(spans, self.statements, strict=True)
            ]
            self._widened[key] = [
                None if span is None else (span[0] - offset, span[1] - offset) for span in spans
            ]
        return self._widened[key]

    def left_out(self, *, whole_file: bool = False) -> list[DraftStatement]:
        """The statements the written draft leaves out: their quotes cannot be made unique."""
        spans = self.unique_quotes(whole_file=whole_file)
        return [statement for statement, span in zip(self.statements, spans, strict=True)
                if span is None]  # fmt: skip


# --- entry points ---------------------------------------------------------------------


def extract_file(
    path: Path | str,
    meta: Mapping[str, Any] | None = None,
    corpus: Corpus | None = None,
    model: str | None = None,
    *,
    without_rules: Iterable[str] = (),
) -> Draft:
    """Read an article file and draft its annotation (see ``extract``)."""
    without_rules = checked_rule_names(without_rules)
    return extract(read_article(path), meta, corpus, model, without_rules=without_rules)


def extract(
    article: Article,
    meta: Mapping[str, Any] | None = None,
    corpus: Corpus | None = None,
    model: str | None = None,
    *,
    without_rules: Iterable[str] = (),
) -> Draft:
    """Draft the annotation of ``article``.

    ``meta`` gives the source fields (id, title, url, date, ...). ``corpus`` holds the
    sources already annotated: their entities are linked by id, label, alias or Wikidata
    id; a source with the same id as ``meta['id']`` is left out, so that an article is
    never linked to its own curated annotation. The statement rules named in
    ``without_rules`` are switched off (see ``graph.extraction.rules``); a name that no
    rule has raises ``BuildError`` before the article is parsed.
    """
    without_rules = checked_rule_names(without_rules)
    source = source_fields(article, meta or {})
    gazetteer = base_gazetteer(corpus, exclude_source=source["id"])
    nlp = load_pipeline(model)
    doc = parse(nlp, article.body)
    return draft_parsed(article, source, gazetteer, doc, nlp.make_doc, without_rules)


def draft_parsed(
    article: Article,
    source: dict[str, Any],
    gazetteer: Gazetteer,
    doc: Any,
    make_doc: Any,
    without_rules: Iterable[str] = (),
) -> Draft:
    """Draft ``article`` from its body already parsed as ``doc`` (see ``extract``).

    ``source`` holds its source fields (``source_fields``), ``gazetteer`` the entities to
    link to, which drafting may change: give each article a copy of its own. ``make_doc``
    is the pipeline's tokenizer; ``without_rules`` must be checked already
    (``rules.checked_rule_names``).
    """
    mentions = find_mentions(doc, gazetteer, make_doc)
    name_operations(mentions)
    statements = apply_rules(mentions, without_rules)
    entities = _used_entities(mentions, statements)
    return Draft(
        article=article,
        source=source,
        entities=entities,
        statements=statements,
        ambiguous=mentions.ambiguous,
    )


def source_fields(
    article: Article, meta: Mapping[str, Any], *, url: str | None = None
) -> dict[str, Any]:
    """The source fields of ``article``: those of ``meta``, and for those it lacks the id
    made of the file name, the headline (else the file name), the first date in the text
    and ``url``, else the file's address. Raises ``ExtractionError`` when no date is found.
    """
    source: dict[str, Any] = {"id": slug(article.path.stem, 12)}
    if article.title:
        source["title"] = article.title
    else:
        source["title"] = article.path.stem
    source.update({key: value for key, value in meta.items() if value is not None})
    if "date" not in source:
        found = _find_date(article.text[: article.body_start + 2000])
        if found is None:
            raise ExtractionError(
                article.path,
                "no publication date found; give one with --meta (a YAML file with "
                "source fields: id, title, url, date)",
            )
        source["date"] = found
    if "url" not in source:
        source["url"] = url or article.path.resolve().as_uri()
    return source


_MONTHS = {name: number for number, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}  # fmt: skip


def _find_date(text: str) -> dt.date | None:
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    candidates = []
    if iso:
        candidates.append((iso.start(), int(iso[1]), int(iso[2]), int(iso[3])))
    for match in re.finditer(r"\b(\d{1,2}) ([A-Z][a-z]+),? (\d{4})\b", text):
        month = _MONTHS.get(match[2].lower())
        if month:
            candidates.append((match.start(), int(match[3]), month, int(match[1])))
    for match in re.finditer(r"\b([A-Z][a-z]+) (\d{1,2}),? (\d{4})\b", text):
        month = _MONTHS.get(match[1].lower())
        if month:
            candidates.append((match.start(), int(match[3]), month, int(match[2])))
    for _, year, month, day in sorted(candidates):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


# the ways of finding an entity that give it a name ("NotPetya", "Tallinn Manual"), not a
# phrase ("the attack") that matters only where a statement uses it
NAMED = ("known-name", "organisation", "name")


def _used_entities(mentions: Mentions, statements: list[DraftStatement]) -> list[DraftEntity]:
    """Every named entity mentioned, and every other entity a statement uses."""
    used = {s.subject for s in statements} | {s.object for s in statements}
    used |= {s.claimed_by for s in statements if s.claimed_by}
    used |= {s.about for s in statements if s.about}
    keep = [
        entity
        for entity in mentions.entities.values()
        if entity.id in used
        or entity.type in ("state", "person", "official", "institution")
        or entity.found_by in NAMED
    ]
    return sorted(keep, key=lambda e: (_TYPE_ORDER.get(e.type, 9), e.id))


_TYPE_ORDER = {
    "state": 0, "group": 1, "official": 2, "person": 3, "institution": 4, "incident": 5,
    "event": 6, "document": 7, "position": 8,
}  # fmt: skip


# --- writing --------------------------------------------------------------------------


def draft_document(
    draft: Draft, text_reference: str, *, whole_file: bool = False
) -> dict[str, Any]:
    """The draft as an annotation document whose ``source.text`` is ``text_reference``.

    That text is the article body, or the whole file when ``whole_file``; each quote is
    widened until it occurs once in it, and a statement whose quote cannot be made unique
    (``Draft.left_out``) is left out.
    """
    body = draft.article.body
    widened = draft.unique_quotes(whole_file=whole_file)
    source = {"id": draft.source["id"], "text": text_reference}
    for key, value in draft.source.items():
        if key not in ("id", "text"):
            source[key] = value.isoformat() if isinstance(value, dt.date) else value
    entities = []
    for entity in draft.entities:
        item: dict[str, Any] = {"id": entity.id, "type": entity.type, "label": entity.label}
        aliases = [a for a in entity.aliases if normalise_name(a) != normalise_name(entity.label)]
        if aliases:
            item["aliases"] = aliases
        if entity.wikidata:
            item["wikidata"] = entity.wikidata
        if entity.iso3166 and entity.type == "state":
            item["iso3166"] = entity.iso3166
        item["reviewed"] = False
        item["confidence"] = round(entity.confidence, 2)
        entities.append(item)
    statements = []
    ids: dict[str, int] = {}

    def order(index: int) -> tuple[int, str, str]:
        statement = draft.statements[index]
        return statement.start, statement.subject, statement.relation

    for index in sorted(range(len(draft.statements)), key=order):
        statement, span = draft.statements[index], widened[index]
        if span is None:
            continue
        start, end = span
        base = slug(f"{statement.subject} {statement.relation} {statement.object}", 12)
        ids[base] = ids.get(base, 0) + 1
        item = {
            "id": base if ids[base] == 1 else f"{base}-{ids[base]}",
            "subject": statement.subject,
            "relation": statement.relation,
            "object": statement.object,
            "modality": statement.modality,
            "quote": body[start:end],
        }
        if statement.role:
            item["role"] = statement.role
        if statement.former:
            item["former"] = True
        if statement.claimed_by:
            item["claimed_by"] = statement.claimed_by
        if statement.about:
            item["about"] = statement.about
        item["reviewed"] = False
        item["confidence"] = RULE_CONFIDENCE.get(statement.rule, 0.5)
        item["note"] = f"rule: {statement.rule}"
        statements.append(item)
    return {"source": source, "entities": entities, "statements": statements}


def draft_files(draft: Draft) -> tuple[bytes, bytes]:
    """The bytes ``write_draft`` writes: the article body (ending in a line break) and the
    draft, which names the body as ``TEXT_FILE``."""
    body = draft.article.body
    if not body.endswith("\n"):
        body += "\n"
    return body.encode("utf-8"), draft_yaml(draft, TEXT_FILE).encode("utf-8")


def write_draft(draft: Draft, path: Path | str, *, force: bool = False) -> list[Path]:
    """Write the draft as ``path`` and the article body beside it as ``article.txt``.

    Both are written to temporary files first and then renamed, so a failure leaves
    neither behind. An existing file is not overwritten unless ``force``, but an
    ``article.txt`` that already holds this body is reused. Raises ``ExtractionError``
    naming the path for these refusals and for errors of the file system.
    """
    body, annotation = draft_files(draft)
    return write_draft_files(path, body, annotation, force=force)


def write_draft_files(
    path: Path | str, body: bytes, annotation: bytes, *, force: bool = False
) -> list[Path]:
    """Write ``annotation`` as ``path`` and ``body`` beside it as ``article.txt`` (see
    ``write_draft``); the body is renamed into place first, so a draft file is never
    there without its text."""
    path = Path(path)
    text_path = path.parent / TEXT_FILE
    if path.name == TEXT_FILE:
        raise ExtractionError(path, f"the draft cannot be named {TEXT_FILE}: the body goes there")
    same_body = text_path.is_file() and text_path.read_bytes() == body
    for target in (path, text_path):
        if target.exists() and not force and not (target == text_path and same_body):
            raise ExtractionError(target, "exists already; choose another path or use --force")
    staged: list[tuple[Path, Path]] = []
    written: list[Path] = []
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staged.append((stage_file(text_path, body), text_path))
        staged.append((stage_file(path, annotation), path))
        for temporary, target in staged:
            os.replace(temporary, target)
            written.append(target)
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for target in written:
            if not (target == text_path and same_body):
                target.unlink(missing_ok=True)
        raise ExtractionError(
            getattr(error, "filename", None) or path, error.strerror or str(error)
        ) from None
    return [path, text_path]


def annotated_corpus(data_dir: Path | str, *, leave_out: Collection[str] = ()) -> Corpus | None:
    """The sources annotated under ``data_dir``, whose entities a draft links to, but for
    the source folders named in ``leave_out``; None when there is no such folder or it
    holds no other annotation yet."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir() or not any(
        path.parent.name not in leave_out for path in data_dir.glob(f"*/{ANNOTATION_FILE}")
    ):
        return None
    return load_corpus(data_dir, leave_out=leave_out)


def draft_source(
    article: Path | str,
    data_dir: Path | str,
    meta: Mapping[str, Any] | None = None,
    model: str | None = None,
) -> tuple[Path, bool]:
    """Draft ``article`` as a new source folder of ``data_dir``, linked to its sources.

    The folder is named by the source id (from ``meta``, else from the file name). When
    that folder already holds an annotation, it is kept as it is (a draft under review
    is never overwritten). Returns the folder and whether a draft was written.
    """
    data_dir = Path(data_dir)
    draft = extract_file(article, meta, annotated_corpus(data_dir), model)
    folder = data_dir / draft.source["id"]
    if (folder / ANNOTATION_FILE).exists():
        return folder, False
    write_draft(draft, folder / ANNOTATION_FILE)
    return folder, True


TEXT_FILE = "article.txt"


_HEADER = (
    "# Draft annotation written by `apg extract`: every item is unreviewed.\n"
    "# Check each one against the text, delete what is wrong, then remove its\n"
    "# `reviewed: false` (or set it to true). Format: docs/annotation-format.md.\n"
)


def draft_yaml(draft: Draft, text_reference: str, *, whole_file: bool = False) -> str:
    """The draft as the text of an annotation file (see ``draft_document``)."""
    return _HEADER + _dump_yaml(draft_document(draft, text_reference, whole_file=whole_file))


def read_meta(path: Path | str) -> dict[str, Any]:
    """Read source fields (id, title, url, date, ...) from a YAML file.

    The file holds the fields, or a ``source:`` mapping of them (so a curated
    annotation can serve). It is read as annotations are (``graph.inputs.read_yaml``:
    bounded in size, YAML aliases refused). Raises ``ExtractionError`` naming the file
    and the problem.
    """
    path = Path(path)
    try:
        document = read_yaml(path)  # bounded, no aliases: the file may come from anyone
    except AnnotationError as error:
        problem = f"{error.item}: {error.problem}" if error.item else error.problem
        raise ExtractionError(path, problem) from None
    if isinstance(document, dict) and isinstance(document.get("source"), dict):
        document = document["source"]
    if not isinstance(document, dict):
        raise ExtractionError(path, "expected a mapping of source fields (id, title, url, date)")
    unknown = sorted(str(key) for key in document if key not in SOURCE_KEYS)
    if unknown:
        raise ExtractionError(
            path, f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(SOURCE_KEYS))})"
        )
    source_id = document.get("id")
    if source_id is not None and (
        not isinstance(source_id, str) or not ID_PATTERN.match(source_id)
    ):
        raise ExtractionError(
            path, f"field 'id' must be lower-case words joined by '-', got {source_id!r}"
        )
    return {key: value for key, value in document.items() if key != "text"}


# libyaml's emitter when PyYAML has it: five times faster on a long draft, and the same
# text but for where a double-quoted quote with escapes is folded
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump_yaml(document: Mapping[str, Any]) -> str:
    return yaml.dump(
        dict(document),
        Dumper=_DUMPER,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
