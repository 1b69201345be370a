import pytest
from hypothesis import given, strategies as st

from graph.evidence import CONTEXT_CHARS, QuoteError, QuoteIndex, locate_quote

TEXT = "Markoff said: “That is a dangerous and unsupportable view.” He left."


def test_offsets_select_exactly_the_quote():
    evidence = locate_quote(TEXT, "dangerous and unsupportable view")
    assert TEXT[evidence.start : evidence.end] == "dangerous and unsupportable view"
    assert evidence.start == TEXT.index("dangerous")
    assert evidence.prefix == TEXT[: evidence.start][-CONTEXT_CHARS:]
    assert evidence.suffix == ".” He left."


def test_offsets_count_code_points_not_bytes():
    evidence = locate_quote("Rodríguez “said” no", "no")
    assert evidence.start == 17  # í and the curly quotes are one code point each


def test_missing_quote_is_refused():
    with pytest.raises(QuoteError, match="not found"):
        locate_quote(TEXT, "a safe view")


def test_straight_quotes_get_a_hint():
    with pytest.raises(QuoteError, match="quotation marks"):
        locate_quote(TEXT, '"That is a dangerous')


def test_ambiguous_quote_is_refused():
    with pytest.raises(QuoteError, match="occurs 2 times"):
        locate_quote("he said no. she said no.", "said no")


def test_empty_quote_is_refused():
    with pytest.raises(QuoteError, match="empty"):
        locate_quote(TEXT, "  ")


@given(st.text(min_size=1), st.text(min_size=1), st.text())
def test_a_unique_quote_is_found_where_it_is(before, quote, after):
    text = before + quote + after
    if text.count(quote) != 1 or not quote.strip():
        return
    evidence = locate_quote(text, quote)
    assert (evidence.start, evidence.end) == (len(before), len(before) + len(quote))
    assert text[evidence.start : evidence.end] == quote
    assert text.endswith(evidence.suffix, 0, evidence.end + len(evidence.suffix))


@pytest.mark.parametrize(
    ("text", "quote", "how"),
    [
        (
            "Le ministre a d\u00e9clar\u00e9 la fin des pourparlers.",
            "a de\u0301clare\u0301 la fin",
            "the text writes '\u00e9' as one character, U+00E9, the quote as 'e' + U+0301",
        ),
        (
            "Le ministre a de\u0301clare\u0301 la fin des pourparlers.",
            "a d\u00e9clar\u00e9 la fin",
            "the text writes '\u00e9' as 'e' + U+0301, the quote as one character, U+00E9",
        ),
    ],
)
def test_a_quote_in_another_unicode_form_gets_a_hint(text, quote, how):
    with pytest.raises(QuoteError) as caught:
        locate_quote(text, quote)
    assert str(caught.value).startswith(
        f"quote not found in the text (it matches once both are normalised to NFC: {how}; "
        "copy the quote from the text)"
    )


def test_a_long_quote_is_cut_in_the_message():
    with pytest.raises(QuoteError) as caught:
        locate_quote(TEXT, "missing " * 10_000)
    assert len(str(caught.value)) < 200


def _located(locate, text, quote):
    try:
        return locate(text, quote)
    except QuoteError as error:
        return str(error)


# few letters and separators, so that words, keys and quotes recur and overlap
_PIECES = st.text(alphabet="ab .é\n", max_size=40)


@given(
    st.lists(
        st.sampled_from(["Russia blamed the west", "the west blamed", "aa aa aa aa aa", " "])
        | _PIECES,
        max_size=12,
    ),
    st.data(),
)
def test_the_index_locates_a_quote_as_locate_quote_does(parts, data):
    text = "".join(parts)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = data.draw(
        st.sampled_from([text[start:end], text[start:end] + "x", "aa aa aa aa", "the west blamed"])
    )
    index = QuoteIndex(text)
    assert _located(lambda _, quote: index.locate(quote), text, quote) == _located(
        locate_quote, text, quote
    )


def test_the_index_counts_repeats_as_str_count_does():
    text = "Talks failed. Talks failed. Talks failed. Talks failed again."
    with pytest.raises(QuoteError, match="occurs 4 times"):
        QuoteIndex(text).locate("Talks failed")
    with pytest.raises(QuoteError, match="occurs 2 times"):
        QuoteIndex(text).locate("Talks failed. Talks failed")  # 3 overlapping, 2 apart: str.count
    evidence = QuoteIndex(text).locate(" Talks failed again")
    assert (evidence.start, evidence.end) == (41, 60)


def test_the_index_finds_a_quote_among_many_like_it():
    sentences = [f"Statement {n}: actor-{n % 7} blames actor-{n % 5}." for n in range(2000)]
    text = "\n".join(sentences)
    index = QuoteIndex(text)
    evidence = index.locate(sentences[1234])
    assert evidence.start == text.index(sentences[1234])
    assert evidence.suffix.startswith("\nStatement 1235:")
    with pytest.raises(QuoteError, match="occurs 57 times"):
        index.locate("actor-3 blames actor-1.")
