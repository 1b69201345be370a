"""Quotes are widened as the step-by-step search always did, and given up on a text that
repeats itself instead of being widened without end."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from graph.evidence import locate_quote
from graph.extraction.quotes import MAX_WIDENING, STEP, unique_spans, whole_words
from tests.factories import REPO, SEED_DIR

BODIES = [
    SEED_DIR / "article.txt",
    *sorted((REPO / "tests" / "fixtures" / "sources").glob("*/article.txt")),
]


def widened_step_by_step(
    text: str, start: int, end: int, bounds: tuple[int, int], limit: int | None = None
) -> tuple[int, int] | None:
    """The search as it was: widen by ``STEP`` and count the whole text again each time;
    with ``limit``, give up past ``limit`` characters on each side."""
    low, high = bounds
    step = 0
    while text.count(text[start:end]) > 1:
        if (start, end) == (low, high) or (limit is not None and step * STEP >= limit):
            return None
        start, end = max(low, start - STEP), min(high, end + STEP)
        step += 1
    return start, end


@pytest.mark.parametrize("body", BODIES, ids=lambda path: path.parent.name)
def test_every_word_of_an_article_widens_as_before(body):
    """In ordinary prose every quote is made unique well within the limit, at the same
    span as the search that counted the whole text at every step."""
    text = body.read_text(encoding="utf-8")
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    spans = unique_spans(text, words)
    expected = [widened_step_by_step(text, start, end, (0, len(text))) for start, end in words]
    assert spans == expected
    assert None not in spans
    assert sum(span != word for span, word in zip(spans, words, strict=True)) > 50  # widened


def test_a_quote_within_a_longer_file_widens_inside_the_body_only():
    body = "He said no. She said yes. He said no."
    text = f"He said no.\n\n{body}\n\nHe said no."
    offset = text.index(body)
    quote = (offset + 3, offset + 7)  # the first "said" of the body
    bounds = (offset, offset + len(body))
    (span,) = unique_spans(text, [quote], bounds=bounds)
    assert span == widened_step_by_step(text, *quote, bounds)
    assert span is not None and bounds[0] <= span[0] and span[1] <= bounds[1]
    locate_quote(text, text[span[0] : span[1]])  # occurs once: the loader takes it


def test_once_means_what_the_annotation_loader_counts():
    """Overlapping occurrences count once, as ``str.count`` (and the loader) count them."""
    text = "xx ababa yy"
    assert text.count("aba") == 1
    assert unique_spans(text, [(3, 6)]) == [(3, 6)]
    locate_quote(text, "aba")


def test_a_sentence_repeated_on_one_line_is_given_up():
    sentence = "Russia blamed western countries for the collapse of the talks. "
    text = sentence * 200
    first = text.index("western")
    middle = text.index("western", len(text) // 2)
    spans = unique_spans(text, [(first, first + 7), (middle, middle + 7)])
    assert spans == [None, None]


def test_a_repeated_text_is_given_up_at_the_limit_not_at_its_ends():
    """The old search widened a repeated quote to the ends of the text; now it stops."""
    unit = "The talks failed. Delegates blamed each other. "
    text = unit * 40
    middle = text.index("failed", len(text) // 2)
    quote = (middle, middle + 6)
    assert widened_step_by_step(text, *quote, (0, len(text))) is not None  # the whole text
    assert unique_spans(text, [quote]) == [None]
    assert widened_step_by_step(text, *quote, (0, len(text)), limit=MAX_WIDENING) is None


def test_a_quote_made_unique_by_a_change_in_the_repetition():
    unit = "The talks failed. "
    text = unit * 30 + "Then Cuba left. " + unit * 30
    near = text.index("failed", text.index("Cuba") - 30)
    (span,) = unique_spans(text, [(near, near + 6)])
    assert span is not None and "Then" in text[span[0] : span[1]]
    assert span == widened_step_by_step(text, near, near + 6, (0, len(text)))


def test_spans_outside_the_bounds_are_refused():
    with pytest.raises(ValueError, match="not within"):
        unique_spans("some text", [(0, 4)], bounds=(2, 9))


texts = st.one_of(
    st.text(alphabet="ab c", max_size=120),
    st.builds(
        lambda unit, times, tail: unit * times + tail,
        st.text(alphabet="ab c.", min_size=1, max_size=9),
        st.integers(1, 40),
        st.text(alphabet="abx", max_size=5),
    ),
)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), text=texts, limit=st.sampled_from([0, 10, 30, 300]))
def test_unique_spans_widen_as_the_bounded_step_by_step_search(data, text, limit):
    low = data.draw(st.integers(0, len(text)), label="low")
    high = data.draw(st.integers(low, len(text)), label="high")
    spans = []
    for _ in range(data.draw(st.integers(1, 5), label="count")):
        start = data.draw(st.integers(low, high), label="start")
        end = data.draw(st.integers(start, min(high, start + 30)), label="end")
        spans.append((start, end))
    expected = [widened_step_by_step(text, s, e, (low, high), limit) for s, e in spans]
    assert unique_spans(text, spans, bounds=(low, high), limit=limit) == expected


@pytest.mark.parametrize(
    ("text", "quote", "widened", "whole"),
    [
        # narrowed to whole words when that stays unique
        ("he said no. she said yes.", "said", (0, 17), "he said no. she"),
        ("he said no. she said yes.", "said", (6, 25), "no. she said yes."),
        # widened to whole words when the narrower one repeats
        ("ab cd ab cd abx cd", "cd", (14, 18), "abx cd"),
        # never a space at an end
        ("one two\nthree two\nfour", "two", (7, 17), "three two"),
    ],
)
def test_a_widened_quote_is_cut_to_whole_words(text, quote, widened, whole):
    start = text.index(quote, widened[0])
    found = whole_words(text, widened, (start, start + len(quote)), (0, len(text)))
    assert text[slice(*found)] == whole
    assert text.count(whole) == 1
