"""Score a draft annotation against a curated (gold) annotation of the same text.

Entities are aligned one to one by id, Wikidata id, ISO 3166 code or a shared
normalised name, and positions also by the quotes of the statements about them;
statements are aligned one to one by relation, aligned subject and object, and the
place of their quotes. The rules are in docs/evaluation.md.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..annotations import ANNOTATION_FILE, load_annotation, load_source
from ..corpus import MODALITIES, Corpus, Entity, Statement
from ..errors import AnnotationError
from ..names import normalise_name

__all__ = [
    "EVIDENCE_KINDS",
    "Evaluation",
    "Score",
    "Scores",
    "agreed_modalities",
    "evaluate",
    "evaluation_document",
    "format_evaluation",
    "format_summary",
    "format_table",
    "load_for_evaluation",
    "normalise_name",
    "score_document",
    "share",
]

# How a draft entity was matched to a gold entity, strongest evidence first
EVIDENCE_KINDS = ("id", "identifier", "label=label", "label=alias", "alias=alias", "quotes")
_POSITION = "position"
# entities that texts describe rather than name: matched also by where they are stated
_DESCRIBED = frozenset({"event", "incident", "group"})


@dataclass(frozen=True)
class Score:
    """Counts of draft and gold items and of those matched, with precision, recall and F1.

    ``matched_draft`` and ``matched_gold`` differ only in a row by entity type, where a
    draft entity and its gold match may have different types. A ratio whose denominator
    is zero is 0.
    """

    draft: int
    gold: int
    matched_draft: int
    matched_gold: int

    @property
    def precision(self) -> float:
        return share(self.matched_draft, self.draft)

    @property
    def recall(self) -> float:
        return share(self.matched_gold, self.gold)

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall (0 when both are 0)."""
        precision, recall = self.precision, self.recall
        total = precision + recall
        return 2 * precision * recall / total if total else 0.0


def agreed_modalities(confusion: Mapping[tuple[str, str], int]) -> int:
    """How many matched statements a (gold, draft) modality confusion counts as agreeing."""
    return sum(n for (gold, draft), n in confusion.items() if gold == draft)


def share(part: float, whole: int) -> float:
    """``part / whole``, or 0 when ``whole`` is 0."""
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class Scores:
    """The scores of a draft against its gold: entities, statements, by relation and type.

    ``modality_confusion`` counts matched statements by ``(gold modality, draft
    modality)``. One source's ``Evaluation`` and a corpus's totals are both scores.
    """

    entities: Score
    entity_types: Mapping[str, Score]
    statements: Score
    statements_with_quotes: Score
    relations: Mapping[str, Score]
    modality_confusion: Mapping[tuple[str, str], int]

    @property
    def modality_agreed(self) -> int:
        """How many matched statements have the same modality in draft and gold."""
        return agreed_modalities(self.modality_confusion)

    @property
    def modality_agreement(self) -> float:
        """The share of matched statements whose modality agrees (0 when none matched)."""
        return share(self.modality_agreed, self.statements.matched_gold)


@dataclass(frozen=True)
class Evaluation(Scores):
    """How well a draft annotation matches a gold annotation of the same text.

    The alignments map draft ids to gold ids; ``entity_evidence`` maps a draft entity id
    to the kind of evidence that aligned it (one of ``EVIDENCE_KINDS``).
    """

    draft_path: Path
    gold_path: Path
    entity_alignment: Mapping[str, str]
    entity_evidence: Mapping[str, str]
    statement_alignment: Mapping[str, str]
    unmatched_draft_entities: tuple[str, ...] = field(default=())
    unmatched_gold_entities: tuple[str, ...] = field(default=())
    unmatched_draft_statements: tuple[str, ...] = field(default=())
    unmatched_gold_statements: tuple[str, ...] = field(default=())


def evaluate(draft: Corpus | Path | str, gold: Corpus | Path | str) -> Evaluation:
    """Score ``draft`` against ``gold``: two one-source corpora, or their annotation files.

    A path may name an annotation file or the folder holding ``annotation.yaml``; it is
    loaded with ``load_source``, so each must be a valid annotation on its own (else
    ``AnnotationError``), and ties between entities are broken by the order in which the
    file declares them. For a corpus passed in, that order is the order of its
    ``entities`` mapping. Raises ``AnnotationError`` when the two annotate different
    texts, ``ValueError`` for a corpus of more or fewer than one source.
    """
    draft_corpus, gold_corpus = _corpus(draft), _corpus(gold)
    draft_source, gold_source = draft_corpus.sources[0], gold_corpus.sources[0]
    if draft_source.text != gold_source.text:
        raise AnnotationError(
            draft_source.annotation_path,
            f"annotates {draft_source.text_path}, whose text differs from the gold's "
            f"({gold_source.text_path}): offsets cannot be compared",
            "source",
        )
    draft_entities = list(draft_corpus.entities.values())
    gold_entities = list(gold_corpus.entities.values())
    entity_pairs = _align_entities(
        draft_entities, gold_entities, draft_corpus.statements, gold_corpus.statements
    )
    alignment = {d: g for d, (g, _) in entity_pairs.items()}
    draft_types = {e.id: e.type for e in draft_entities}
    gold_types = {e.id: e.type for e in gold_entities}
    statement_pairs = _align_statements(
        draft_corpus.statements, gold_corpus.statements, alignment, draft_types, gold_types
    )
    strict_pairs = _align_statements(
        draft_corpus.statements,
        gold_corpus.statements,
        alignment,
        draft_types,
        gold_types,
        quotes_required=True,
    )
    draft_statements = {s.id: s for s in draft_corpus.statements}
    gold_statements = {s.id: s for s in gold_corpus.statements}
    matched_gold_entities = set(alignment.values())
    matched_gold_statements = set(statement_pairs.values())
    confusion = Counter(
        (gold_statements[g].modality, draft_statements[d].modality)
        for d, g in statement_pairs.items()
    )
    return Evaluation(
        draft_path=draft_source.annotation_path,
        gold_path=gold_source.annotation_path,
        entities=_score(len(draft_entities), len(gold_entities), len(alignment), len(alignment)),
        entity_types={
            kind: _score(
                sum(1 for e in draft_entities if e.type == kind),
                sum(1 for e in gold_entities if e.type == kind),
                sum(1 for e in draft_entities if e.type == kind and e.id in alignment),
                sum(1 for e in gold_entities if e.type == kind and e.id in matched_gold_entities),
            )
            for kind in sorted({*draft_types.values(), *gold_types.values()})
        },
        statements=_score(
            len(draft_statements), len(gold_statements), len(statement_pairs), len(statement_pairs)
        ),
        statements_with_quotes=_score(
            len(draft_statements), len(gold_statements), len(strict_pairs), len(strict_pairs)
        ),
        relations=_relation_scores(
            draft_corpus.statements, gold_corpus.statements, statement_pairs
        ),
        modality_confusion=dict(
            sorted(confusion.items(), key=lambda item: tuple(map(MODALITIES.index, item[0])))
        ),
        entity_alignment=alignment,
        entity_evidence={d: EVIDENCE_KINDS[rank] for d, (_, rank) in entity_pairs.items()},
        statement_alignment=statement_pairs,
        unmatched_draft_entities=tuple(e.id for e in draft_entities if e.id not in alignment),
        unmatched_gold_entities=tuple(
            e.id for e in gold_entities if e.id not in matched_gold_entities
        ),
        unmatched_draft_statements=tuple(s for s in draft_statements if s not in statement_pairs),
        unmatched_gold_statements=tuple(
            s for s in gold_statements if s not in matched_gold_statements
        ),
    )


def _corpus(value: Corpus | Path | str) -> Corpus:
    """A one-source corpus; a path is loaded with its entities in declaration order."""
    if isinstance(value, Corpus):
        if len(value.sources) != 1:
            raise ValueError(f"expected a corpus of one source, got {len(value.sources)}")
        return value
    return load_for_evaluation(value)


def load_for_evaluation(path: Path | str) -> Corpus:
    """Load an annotation file, or the folder holding it, as ``evaluate`` reads a path.

    The corpus of one source that ``load_source`` returns, with its entities in the
    order the file declares them (which breaks ties in the alignment). Raises
    ``AnnotationError`` as ``load_source`` does.
    """
    path = Path(path)
    if path.is_dir():
        path = path / ANNOTATION_FILE
    corpus = load_source(path)
    # load_source orders entities by id; ties are broken by the order of the file
    declared = [entity.id for entity in load_annotation(path).entities]
    order = dict.fromkeys(entity_id for entity_id in declared if entity_id in corpus.entities)
    order.update(dict.fromkeys(corpus.entities))
    return dataclasses.replace(
        corpus, entities={entity_id: corpus.entities[entity_id] for entity_id in order}
    )


def _score(draft: int, gold: int, matched_draft: int, matched_gold: int) -> Score:
    return Score(draft=draft, gold=gold, matched_draft=matched_draft, matched_gold=matched_gold)


# --- entities -------------------------------------------------------------------------


def _align_entities(
    draft: Sequence[Entity],
    gold: Sequence[Entity],
    draft_statements: Sequence[Statement],
    gold_statements: Sequence[Statement],
) -> dict[str, tuple[str, int]]:
    """Map each aligned draft entity id to its gold entity id and the evidence rank."""
    overlaps = _position_overlaps(draft, gold, draft_statements, gold_statements)
    candidates: list[tuple[int, int, int, int]] = []  # rank, -overlap, gold index, draft index
    for g_index, gold_entity in enumerate(gold):
        gold_label, gold_aliases = _names(gold_entity)
        for d_index, draft_entity in enumerate(draft):
            rank = _evidence_rank(draft_entity, gold_entity, gold_label, gold_aliases)
            overlap = overlaps.get((draft_entity.id, gold_entity.id), 0)
            if rank is None and overlap:
                rank = EVIDENCE_KINDS.index("quotes")
            if rank is not None:
                # the overlap orders only the pairs that quotes alone align
                tie = -overlap if EVIDENCE_KINDS[rank] == "quotes" else 0
                candidates.append((rank, tie, g_index, d_index))
    aligned: dict[str, tuple[str, int]] = {}
    taken: set[int] = set()
    for rank, _, g_index, d_index in sorted(candidates):
        draft_id = draft[d_index].id
        if draft_id in aligned or g_index in taken:
            continue
        aligned[draft_id] = (gold[g_index].id, rank)
        taken.add(g_index)
    return aligned


def _evidence_rank(
    draft: Entity, gold: Entity, gold_label: str, gold_aliases: frozenset[str]
) -> int | None:
    """The strongest kind of evidence that the two are one entity, as an index, or None."""
    if draft.id == gold.id:
        return 0
    if (draft.wikidata and draft.wikidata == gold.wikidata) or (
        draft.iso3166 and draft.iso3166 == gold.iso3166
    ):
        return 1
    draft_label, draft_aliases = _names(draft)
    if draft_label and draft_label == gold_label:
        return 2
    if (draft_label and draft_label in gold_aliases) or (
        gold_label and gold_label in draft_aliases
    ):
        return 3
    if draft_aliases & gold_aliases:
        return 4
    return None


def _names(entity: Entity) -> tuple[str, frozenset[str]]:
    """The normalised label and aliases of an entity (empty names left out)."""
    aliases = {normalise_name(alias) for alias in entity.aliases}
    aliases.discard("")
    return normalise_name(entity.label), frozenset(aliases)


def _position_overlaps(
    draft: Iterable[Entity],
    gold: Iterable[Entity],
    draft_statements: Sequence[Statement],
    gold_statements: Sequence[Statement],
) -> dict[tuple[str, str], int]:
    """Characters of quote overlap that link two described entities.

    Positions: statements whose objects are the two positions. Events, incidents and
    groups: statements of the same relation in which the two stand in the same place
    (both subjects or both objects).
    """
    draft_types = {e.id: e.type for e in draft}
    gold_types = {e.id: e.type for e in gold}
    overlaps: Counter[tuple[str, str]] = Counter()
    for gold_statement in gold_statements:
        for draft_statement in draft_statements:
            overlap = _overlap(draft_statement, gold_statement)
            if not overlap:
                continue
            pairs = [(draft_statement.object, gold_statement.object, True)]
            if draft_statement.relation == gold_statement.relation:
                pairs.append((draft_statement.subject, gold_statement.subject, False))
            for draft_id, gold_id, is_object in pairs:
                kind, gold_kind = draft_types.get(draft_id), gold_types.get(gold_id)
                if (kind == gold_kind == _POSITION and is_object) or (
                    kind in _DESCRIBED
                    and kind == gold_kind
                    and draft_statement.relation == gold_statement.relation
                ):
                    overlaps[draft_id, gold_id] += overlap
    return dict(overlaps)


def _overlap(draft: Statement, gold: Statement) -> int:
    """How many characters the two statements' quotes share (0 when they are apart)."""
    start = max(draft.evidence.start, gold.evidence.start)
    end = min(draft.evidence.end, gold.evidence.end)
    return max(0, end - start)


# --- statements -----------------------------------------------------------------------


def _align_statements(
    draft: Sequence[Statement],
    gold: Sequence[Statement],
    entities: Mapping[str, str],
    draft_types: Mapping[str, str],
    gold_types: Mapping[str, str],
    *,
    quotes_required: bool = False,
) -> dict[str, str]:
    """Map each aligned draft statement id to its gold statement id, one to one."""
    candidates: list[tuple[bool, int, int, int]] = []  # apart, distance, gold, draft index
    for g_index, gold_statement in enumerate(gold):
        for d_index, draft_statement in enumerate(draft):
            if draft_statement.relation != gold_statement.relation:
                continue
            if entities.get(draft_statement.subject) != gold_statement.subject:
                continue
            overlapping = _overlap(draft_statement, gold_statement) > 0
            if quotes_required and not overlapping:
                continue
            same_object = entities.get(draft_statement.object) == gold_statement.object
            positions = (
                draft_types[draft_statement.object] == _POSITION
                and gold_types[gold_statement.object] == _POSITION
            )
            if not (same_object or (positions and overlapping)):
                continue
            distance = abs(draft_statement.evidence.start - gold_statement.evidence.start)
            candidates.append((not overlapping, distance, g_index, d_index))
    aligned: dict[str, str] = {}
    taken: set[int] = set()
    for _, _, g_index, d_index in sorted(candidates):
        draft_id = draft[d_index].id
        if draft_id in aligned or g_index in taken:
            continue
        aligned[draft_id] = gold[g_index].id
        taken.add(g_index)
    return aligned


def _relation_scores(
    draft: Sequence[Statement], gold: Sequence[Statement], aligned: Mapping[str, str]
) -> dict[str, Score]:
    draft_counts = Counter(s.relation for s in draft)
    gold_counts = Counter(s.relation for s in gold)
    matched = Counter(s.relation for s in draft if s.id in aligned)
    return {
        relation: _score(
            draft_counts[relation], gold_counts[relation], matched[relation], matched[relation]
        )
        for relation in sorted({*draft_counts, *gold_counts})
    }


# --- output ---------------------------------------------------------------------------


def evaluation_document(evaluation: Evaluation) -> dict[str, object]:
    """Return an evaluation as plain data, ready for ``json.dumps``."""
    confusion: dict[str, dict[str, int]] = {}
    for (gold, draft), count in evaluation.modality_confusion.items():
        confusion.setdefault(gold, {})[draft] = count
    return {
        "draft": str(evaluation.draft_path),
        "gold": str(evaluation.gold_path),
        "entities": score_document(evaluation.entities),
        "statements": score_document(evaluation.statements),
        "statements_with_quotes": score_document(evaluation.statements_with_quotes),
        "modality": {
            "matched": evaluation.statements.matched_gold,
            "agreed": evaluation.modality_agreed,
            "agreement": evaluation.modality_agreement,
            "confusion": confusion,  # gold modality -> draft modality -> statements
        },
        "relations": {r: score_document(s) for r, s in evaluation.relations.items()},
        "entity_types": {t: score_document(s) for t, s in evaluation.entity_types.items()},
        "aligned_entities": [
            {"draft": draft, "gold": gold, "evidence": evaluation.entity_evidence[draft]}
            for draft, gold in evaluation.entity_alignment.items()
        ],
        "aligned_statements": [
            {"draft": draft, "gold": gold} for draft, gold in evaluation.statement_alignment.items()
        ],
        "unmatched": {
            "draft_entities": list(evaluation.unmatched_draft_entities),
            "gold_entities": list(evaluation.unmatched_gold_entities),
            "draft_statements": list(evaluation.unmatched_draft_statements),
            "gold_statements": list(evaluation.unmatched_gold_statements),
        },
    }


def score_document(score: Score) -> dict[str, object]:
    """Return a score as plain data: its counts, precision, recall and F1."""
    return {
        "draft": score.draft,
        "gold": score.gold,
        "matched_draft": score.matched_draft,
        "matched_gold": score.matched_gold,
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
    }


def format_evaluation(evaluation: Evaluation) -> str:
    """Render an evaluation as a compact plain-text report.

    In the tables, ``matched`` reads ``D/G`` where the matched draft and gold counts
    differ (an entity type that draft and gold assign differently).
    """
    statements = evaluation.statements
    names = [*evaluation.relations, *evaluation.entity_types]
    width = max([20, *(len(name) + 2 for name in names)])
    lines = [
        format_summary("entities", evaluation.entities),
        format_summary("statements", statements),
        format_summary("  with quotes", evaluation.statements_with_quotes),
        f"modality agrees on {evaluation.modality_agreed} of {statements.matched_gold} "
        f"matched statements ({evaluation.modality_agreement:.2f})",
        "",
        *format_table("relation", evaluation.relations, width),
        "",
        *format_table("entity type", evaluation.entity_types, width),
    ]
    return "\n".join(lines) + "\n"


def format_summary(name: str, score: Score) -> str:
    """One line: the precision, recall and F1 of ``score``, then its counts."""
    return (
        f"{name:<14}precision {score.precision:.2f}  recall {score.recall:.2f}  "
        f"f1 {score.f1:.2f}   (draft {score.draft}, gold {score.gold}, "
        f"matched {_matched(score)})"
    )


def format_table(heading: str, rows: Mapping[str, Score], width: int) -> list[str]:
    """The lines of a table of scores, one row a name, the names ``width`` wide."""
    lines = [
        f"{heading:<{width}}draft  gold  matched  precision  recall    f1",
    ]
    for name, score in rows.items():
        lines.append(
            f"{name:<{width}}{score.draft:>5}{score.gold:>6}{_matched(score):>9}"
            f"{score.precision:>11.2f}{score.recall:>8.2f}{score.f1:>6.2f}"
        )
    return lines


def _matched(score: Score) -> str:
    if score.matched_draft == score.matched_gold:
        return str(score.matched_gold)
    return f"{score.matched_draft}/{score.matched_gold}"
