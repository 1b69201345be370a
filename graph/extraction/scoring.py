"""Score a folder of drafts against a folder of gold annotations: per source and in total.

Each folder holds one folder per source, with its ``annotation.yaml``. A draft and a gold
annotation are paired by source id, else by folder name, and scored with ``evaluate``.
The totals are micro-averaged: the draft, gold and matched counts are summed over the
sources, and precision, recall and F1 are computed from the sums, so a long article
weighs more than a short one. The rules are in docs/evaluation.md.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

from ..annotations import ANNOTATION_FILE
from ..corpus import MODALITIES, Corpus
from ..errors import AnnotationError
from .evaluation import (
    Evaluation,
    Score,
    Scores,
    evaluate,
    evaluation_document,
    format_summary,
    format_table,
    load_for_evaluation,
    score_document,
    share,
)

__all__ = [
    "CONFIDENCE_BANDS",
    "KEY_RELATIONS",
    "MISSING_DRAFTS",
    "Band",
    "CorpusEvaluation",
    "Hedges",
    "SourceEvaluation",
    "corpus_evaluation_document",
    "evaluate_corpus",
    "format_corpus_evaluation",
    "holds_sources",
]

KEY_RELATIONS = ("attributed_to", "blames", "denies", "represents", "sanctions")
"""Relations the totals always show, with 0 where neither side has one: the drafting's
quality targets are set on them."""

MISSING_DRAFTS = ("refuse", "zero")
"""What to do with a gold source that has no draft: refuse, or score an empty draft."""

CONFIDENCE_BANDS = (0.9, 0.8, 0.6, 0.4, 0.0)
"""The lower bounds of the bands of confidence the reliability table counts, highest
first; a band reaches up to the next higher bound (the first to 1)."""

# at most this many sources named in a pairing error, so it stays one readable line
_NAMED = 5


@dataclass(frozen=True)
class Hedges:
    """How a draft marks hedges (alleged, implicit, speculative) against the gold.

    ``gold_hedged``: gold statements with a hedged modality, matched or not;
    ``matched_hedged``: those matched with a draft statement; ``marked_hedged``: of
    those, the ones the draft gives a hedged modality (any of the three).
    ``matched_plain``: matched statements that the gold does not hedge;
    ``false_hedges``: of those, the ones the draft hedges. ``unmatched_draft_hedged``:
    hedged draft statements that match no gold statement.
    """

    gold_hedged: int = 0
    matched_hedged: int = 0
    marked_hedged: int = 0
    matched_plain: int = 0
    false_hedges: int = 0
    unmatched_draft_hedged: int = 0

    @property
    def marked_share(self) -> float:
        """The share of matched hedged gold statements that the draft hedges (0 if none)."""
        return share(self.marked_hedged, self.matched_hedged)

    def __add__(self, other: Hedges) -> Hedges:
        return Hedges(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Hedges)))


@dataclass(frozen=True)
class Band:
    """The draft statements whose confidence lies in ``[low, high)`` (the top band
    includes 1), and how many of them the gold holds (``right``).

    Adding two bands adds their counts and keeps the bounds of the first.
    """

    low: float
    high: float
    drafted: int = 0
    right: int = 0
    confidence_sum: float = 0.0

    @property
    def share(self) -> float:
        """The share of the band's statements that are right (0 for an empty band)."""
        return share(self.right, self.drafted)

    @property
    def mean_confidence(self) -> float:
        """The mean confidence the draft gave the band's statements (0 for an empty band)."""
        return share(self.confidence_sum, self.drafted)

    def __add__(self, other: Band) -> Band:
        return Band(
            self.low,
            self.high,
            self.drafted + other.drafted,
            self.right + other.right,
            self.confidence_sum + other.confidence_sum,
        )


@dataclass(frozen=True)
class SourceEvaluation:
    """The score of one source's draft; ``draft_path`` is None when it had no draft and
    was scored as drafting nothing."""

    source: str
    gold_path: Path
    draft_path: Path | None
    evaluation: Evaluation
    hedges: Hedges
    reliability: tuple[Band, ...]


@dataclass(frozen=True)
class CorpusEvaluation(Scores):
    """Each source's score and the totals over all of them (counts summed).

    ``sources`` are in the order of their gold source ids. ``relations`` holds every
    relation of either side and each of ``KEY_RELATIONS``; ``modality_confusion``
    counts matched statements by ``(gold modality, draft modality)``.
    """

    drafts_dir: Path
    gold_dir: Path
    sources: tuple[SourceEvaluation, ...]
    hedges: Hedges
    reliability: tuple[Band, ...] = ()

    @property
    def missing_drafts(self) -> tuple[str, ...]:
        """The ids of the gold sources that had no draft (scored as drafting nothing)."""
        return tuple(s.source for s in self.sources if s.draft_path is None)


def holds_sources(path: Path | str) -> bool:
    """Whether ``path`` is a folder of source folders: a folder with no annotation of its own.

    An annotation file, or a folder holding ``annotation.yaml``, is one source; a path that
    does not exist is neither (``evaluate`` then says it is not found).
    """
    path = Path(path)
    return path.is_dir() and not (path / ANNOTATION_FILE).exists()


def evaluate_corpus(
    drafts: Path | str,
    gold: Path | str,
    *,
    missing: Literal["refuse", "zero"] = "refuse",
) -> CorpusEvaluation:
    """Score each draft source in ``drafts`` against its gold source in ``gold``.

    Both are folders of source folders (``*/annotation.yaml``), each annotation valid on
    its own. A draft and a gold source are paired by source id, then, among those left,
    by folder name. Raises ``AnnotationError`` in one line for a folder that is not a
    folder of sources, a gold folder with no source, two sources of one side with the
    same id, a draft with no gold source, and a gold source with no draft unless
    ``missing`` is ``"zero"`` (it is then scored as a draft of no entity and no
    statement); and as ``evaluate`` does for a pair (an invalid file, different texts).
    """
    drafts_dir, gold_dir = Path(drafts), Path(gold)
    if missing not in MISSING_DRAFTS:
        raise ValueError(f"missing must be one of {MISSING_DRAFTS}, got {missing!r}")
    _check_folder(drafts_dir, gold_dir)
    _check_folder(gold_dir, drafts_dir)
    gold_sources = _sources(gold_dir)
    if not gold_sources:
        raise AnnotationError(gold_dir, f"no source folder in it (none holds {ANNOTATION_FILE})")
    draft_sources = _sources(drafts_dir)
    pairs, no_draft, no_gold = _pair(draft_sources, gold_sources)
    if no_gold or (no_draft and missing == "refuse"):
        raise AnnotationError(drafts_dir, _pairing_problem(no_draft, no_gold, gold_dir, missing))
    scored = [_score_source(draft, gold_source) for draft, gold_source in pairs]
    scored += [_score_source(None, gold_source) for gold_source in no_draft]
    scored.sort(key=lambda s: s.source)
    return _totals(drafts_dir, gold_dir, scored)


# --- pairing --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Loaded:
    folder: str
    corpus: Corpus

    @property
    def id(self) -> str:
        return self.corpus.sources[0].id

    @property
    def path(self) -> Path:
        return self.corpus.sources[0].annotation_path


def _check_folder(folder: Path, other: Path) -> None:
    if folder.is_dir() and (folder / ANNOTATION_FILE).exists():
        raise AnnotationError(
            folder,
            f"is one source (it holds {ANNOTATION_FILE}) while {other} is a folder of "
            "sources: give two annotations, or two folders of source folders",
        )
    if not folder.exists():
        raise AnnotationError(folder, "folder not found")
    if not folder.is_dir():
        raise AnnotationError(
            folder, f"is a file while {other} is a folder of sources: give two of a kind"
        )


def _sources(folder: Path) -> list[_Loaded]:
    """Every source folder of ``folder``, loaded, in the order of the folder names."""
    loaded = [
        _Loaded(path.parent.name, load_for_evaluation(path))
        for path in sorted(folder.glob(f"*/{ANNOTATION_FILE}"))
    ]
    first: dict[str, _Loaded] = {}
    for source in loaded:
        if source.id in first:
            raise AnnotationError(
                folder,
                f"the sources {first[source.id].folder}/ and {source.folder}/ have one id, "
                f"{source.id!r}: each draft is paired with its gold source by id",
            )
        first[source.id] = source
    return loaded


def _pair(
    drafts: Sequence[_Loaded], gold: Sequence[_Loaded]
) -> tuple[list[tuple[_Loaded, _Loaded]], list[_Loaded], list[_Loaded]]:
    """The (draft, gold) pairs, the gold sources with no draft, the drafts with no gold."""
    draft_by_id = {draft.id: draft for draft in drafts}
    pairs = [(draft_by_id[g.id], g) for g in gold if g.id in draft_by_id]
    paired = {draft.id for draft, _ in pairs}
    left = {draft.folder: draft for draft in drafts if draft.id not in paired}
    no_draft = []
    for gold_source in gold:
        if gold_source.id in paired:
            continue
        draft = left.pop(gold_source.folder, None)
        if draft is None:
            no_draft.append(gold_source)
        else:
            pairs.append((draft, gold_source))
    return pairs, no_draft, list(left.values())


def _pairing_problem(
    no_draft: Sequence[_Loaded], no_gold: Sequence[_Loaded], gold_dir: Path, missing: str
) -> str:
    problems = []
    if no_draft and missing == "refuse":
        problems.append(
            f"no draft for the gold source{'s' * (len(no_draft) > 1)} "
            f"{_named(no_draft)} (by id or folder name; --missing zero scores "
            "a missing draft as drafting nothing)"
        )
    if no_gold:
        problems.append(
            f"no gold source in {gold_dir} for the draft{'s' * (len(no_gold) > 1)} "
            f"{_named(no_gold)} (by id or folder name)"
        )
    return "; ".join(problems)


def _named(sources: Sequence[_Loaded]) -> str:
    """The sources by id and folder, the first few of them, for an error message."""
    names = [f"{s.id!r} ({s.folder}/)" for s in sources[:_NAMED]]
    more = f" and {len(sources) - _NAMED} more" if len(sources) > _NAMED else ""
    return ", ".join(names) + more


# --- scores ---------------------------------------------------------------------------


def _score_source(draft: _Loaded | None, gold: _Loaded) -> SourceEvaluation:
    # a missing draft is a draft of the same text that found nothing
    draft_corpus = draft.corpus if draft else Corpus(sources=gold.corpus.sources, entities={})
    evaluation = evaluate(draft_corpus, gold.corpus)
    return SourceEvaluation(
        source=gold.id,
        gold_path=gold.path,
        draft_path=draft.path if draft else None,
        evaluation=evaluation,
        hedges=_hedges(draft_corpus, gold.corpus, evaluation.statement_alignment),
        reliability=_reliability(draft_corpus, evaluation.statement_alignment),
    )


def _hedges(draft: Corpus, gold: Corpus, alignment: Mapping[str, str]) -> Hedges:
    gold_statements = {s.id: s for s in gold.statements}
    pairs = [(d, gold_statements[alignment[d.id]]) for d in draft.statements if d.id in alignment]
    return Hedges(
        gold_hedged=sum(s.hedged for s in gold.statements),
        matched_hedged=sum(g.hedged for _, g in pairs),
        marked_hedged=sum(d.hedged and g.hedged for d, g in pairs),
        matched_plain=sum(not g.hedged for _, g in pairs),
        false_hedges=sum(d.hedged and not g.hedged for d, g in pairs),
        unmatched_draft_hedged=sum(s.hedged for s in draft.statements if s.id not in alignment),
    )


def _reliability(draft: Corpus, alignment: Mapping[str, str]) -> tuple[Band, ...]:
    """The draft's statements counted by band of confidence (those without one left out)."""
    bands = _empty_bands()
    for statement in draft.statements:
        if statement.confidence is None:
            continue
        index = next(i for i, band in enumerate(bands) if statement.confidence >= band.low)
        right = int(statement.id in alignment)
        bands[index] += Band(0.0, 0.0, 1, right, statement.confidence)
    return tuple(bands)


def _empty_bands() -> list[Band]:
    """One empty band for each of ``CONFIDENCE_BANDS``, highest first."""
    highs = (1.0, *CONFIDENCE_BANDS[:-1])
    return [Band(low, high) for low, high in zip(CONFIDENCE_BANDS, highs, strict=True)]


def _totals(
    drafts_dir: Path, gold_dir: Path, scored: Sequence[SourceEvaluation]
) -> CorpusEvaluation:
    evaluations = [s.evaluation for s in scored]
    confusion: Counter[tuple[str, str]] = Counter()
    hedges = Hedges()
    reliability = _empty_bands()
    for source in scored:
        confusion.update(source.evaluation.modality_confusion)
        hedges += source.hedges
        reliability = [a + b for a, b in zip(reliability, source.reliability, strict=True)]
    return CorpusEvaluation(
        drafts_dir=drafts_dir,
        gold_dir=gold_dir,
        sources=tuple(scored),
        entities=_summed(e.entities for e in evaluations),
        entity_types=_summed_by_name((e.entity_types for e in evaluations), ()),
        statements=_summed(e.statements for e in evaluations),
        statements_with_quotes=_summed(e.statements_with_quotes for e in evaluations),
        relations=_summed_by_name((e.relations for e in evaluations), KEY_RELATIONS),
        modality_confusion=dict(
            sorted(confusion.items(), key=lambda item: tuple(map(MODALITIES.index, item[0])))
        ),
        hedges=hedges,
        reliability=tuple(reliability),
    )


def _summed(scores: Iterable[Score]) -> Score:
    """One score whose four counts are the sums of the counts of ``scores``."""
    counts = [0, 0, 0, 0]
    for score in scores:
        counts = [
            total + count
            for total, count in zip(
                counts,
                (score.draft, score.gold, score.matched_draft, score.matched_gold),
                strict=True,
            )
        ]
    return Score(*counts)


def _summed_by_name(
    tables: Iterable[Mapping[str, Score]], always: Iterable[str]
) -> dict[str, Score]:
    """Per name, the summed scores of every table; the names ``always`` even if absent."""
    rows: dict[str, list[Score]] = {name: [] for name in always}
    for table in tables:
        for name, score in table.items():
            rows.setdefault(name, []).append(score)
    return {name: _summed(rows[name]) for name in sorted(rows)}


# --- output ---------------------------------------------------------------------------


def corpus_evaluation_document(result: CorpusEvaluation) -> dict[str, object]:
    """Return a corpus evaluation as plain data, ready for ``json.dumps``.

    ``totals`` holds the micro-averaged figures; ``sources`` one document per source,
    as ``evaluation_document`` makes it, with ``source`` (its id), ``hedges``, and
    ``draft`` null for a source scored without a draft.
    """
    return {
        "drafts": str(result.drafts_dir),
        "gold": str(result.gold_dir),
        "missing_drafts": list(result.missing_drafts),
        "totals": {
            "sources": len(result.sources),
            "entities": score_document(result.entities),
            "statements": score_document(result.statements),
            "statements_with_quotes": score_document(result.statements_with_quotes),
            "modality": _modality_document(result),
            "hedges": _hedges_document(result.hedges),
            "reliability": [_band_document(band) for band in result.reliability],
            "relations": {r: score_document(s) for r, s in result.relations.items()},
            "entity_types": {t: score_document(s) for t, s in result.entity_types.items()},
        },
        "sources": [_source_document(source) for source in result.sources],
    }


def _source_document(source: SourceEvaluation) -> dict[str, object]:
    document: dict[str, object] = {"source": source.source}
    document.update(evaluation_document(source.evaluation))
    document["draft"] = None if source.draft_path is None else str(source.draft_path)
    document["hedges"] = _hedges_document(source.hedges)
    return document


def _modality_document(result: CorpusEvaluation) -> dict[str, object]:
    confusion: dict[str, dict[str, int]] = {}
    for (gold, draft), count in result.modality_confusion.items():
        confusion.setdefault(gold, {})[draft] = count
    return {
        "matched": result.statements.matched_gold,
        "agreed": result.modality_agreed,
        "agreement": result.modality_agreement,
        "confusion": confusion,  # gold modality -> draft modality -> statements
    }


def _band_document(band: Band) -> dict[str, object]:
    return {
        "low": band.low,
        "high": band.high,
        "drafted": band.drafted,
        "right": band.right,
        "share": band.share,
        "mean_confidence": band.mean_confidence,
    }


def _hedges_document(hedges: Hedges) -> dict[str, object]:
    document: dict[str, object] = {f.name: getattr(hedges, f.name) for f in fields(Hedges)}
    document["marked_share"] = hedges.marked_share
    return document


def format_corpus_evaluation(result: CorpusEvaluation) -> str:
    """Render a corpus evaluation as plain text: a row per source, then the totals."""
    statements = result.statements
    hedges = result.hedges
    names = [*result.relations, *result.entity_types]
    width = max([20, *(len(name) + 2 for name in names)])
    count = len(result.sources)
    lines = [
        *_source_rows(result),
        "",
        f"totals over {count} source{'s' * (count != 1)}, micro-averaged "
        "(counts summed over the sources, then the ratios)",
        format_summary("entities", result.entities),
        format_summary("statements", statements),
        format_summary("  with quotes", result.statements_with_quotes),
        f"modality agrees on {result.modality_agreed} of {statements.matched_gold} "
        f"matched statements ({result.modality_agreement:.2f})",
        f"hedges: {hedges.marked_hedged} of {hedges.matched_hedged} matched statements "
        f"hedged in the gold are hedged in the draft ({hedges.marked_share:.2f}); "
        f"{hedges.gold_hedged} hedged in the gold",
        f"false hedges: {hedges.false_hedges} of {hedges.matched_plain} matched statements "
        f"not hedged in the gold are hedged in the draft; {hedges.unmatched_draft_hedged} "
        "hedged draft statements match none",
        "",
        *format_table("relation", result.relations, width),
        "",
        *format_table("entity type", result.entity_types, width),
        *_reliability_rows(result.reliability),
    ]
    return "\n".join(lines) + "\n"


def _reliability_rows(bands: Sequence[Band]) -> list[str]:
    """The reliability table: per band of confidence, the draft statements and the share
    that is right; nothing when no draft statement has a confidence."""
    if not any(band.drafted for band in bands):
        return []
    lines = [
        "",
        "reliability of the draft statements, by the confidence the draft gives them",
        f"{'confidence':<12}{'drafted':>7}{'right':>7}{'share':>7}{'mean confidence':>17}",
    ]
    for band in bands:
        bounds = f"{band.low:.1f}-{band.high:.1f}"
        lines.append(
            f"{bounds:<12}{band.drafted:>7}{band.right:>7}{band.share:>7.2f}"
            f"{band.mean_confidence:>17.2f}"
        )
    return lines


def _source_rows(result: CorpusEvaluation) -> list[str]:
    """The table of sources: precision, recall and F1 of entities, statements and the
    statements with quotes, then the same for the totals."""
    width = max([8, *(len(s.source) + 2 for s in result.sources)])
    groups = ("entities", "statements", "with quotes")
    lines = [
        " " * width + "".join(f"{group:<18}" for group in groups).rstrip(),
        f"{'source':<{width}}" + "  ".join(["P     R     F1  "] * len(groups)).rstrip(),
    ]
    rows: list[tuple[str, tuple[Score, ...], str]] = [
        (
            source.source,
            _row_scores(source.evaluation),
            " (no draft)" if source.draft_path is None else "",
        )
        for source in result.sources
    ]
    rows.append(("TOTALS", _row_scores(result), ""))
    for name, scores, note in rows:
        figures = "  ".join(
            f"{score.precision:.2f}  {score.recall:.2f}  {score.f1:.2f}" for score in scores
        )
        lines.append(f"{name:<{width}}{figures}{note}")
    return lines


def _row_scores(scored: Evaluation | CorpusEvaluation) -> tuple[Score, ...]:
    return scored.entities, scored.statements, scored.statements_with_quotes
