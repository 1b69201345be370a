"""The seed source: verbatim text without boilerplate, complete metadata."""

import pytest

from tests.factories import REPO, SEED_DIR, SEED_ID

SEED_FILE = REPO.parent / "shared" / "seeds" / f"{SEED_ID}.txt"


def test_article_is_a_verbatim_part_of_the_seed_without_boilerplate():
    if not SEED_FILE.exists():
        pytest.skip(f"{SEED_FILE} is not beside the checkout")
    article = (SEED_DIR / "article.txt").read_text(encoding="utf-8")
    seed = SEED_FILE.read_text(encoding="utf-8")
    assert article in seed
    assert article.startswith("Thirteen years of negotiations")
    assert article.rstrip().endswith("free, open, peaceful and secure cyber-space.”")
    for boilerplate in ("You Might Also Read", "Directory of Suppliers", "DigitalStakeout"):
        assert boilerplate not in article


def test_seed_metadata(seed_corpus):
    source = seed_corpus.source(SEED_ID)
    assert source.publisher == "The Guardian"
    assert source.site == "Cyber Security Intelligence"
    assert source.authors == ("Owen Bowcott",)
    assert source.date.isoformat() == "2017-08-23"
    assert source.url.startswith("https://www.cybersecurityintelligence.com/")
    assert source.title == "UN Cyber Warfare Talks Collapse"


def test_every_quote_is_in_the_text_at_its_offsets(seed_corpus):
    text = seed_corpus.source(SEED_ID).text
    assert seed_corpus.statements
    for statement in seed_corpus.statements:
        assert text.count(statement.quote) == 1, statement.id
        assert text[statement.evidence.start : statement.evidence.end] == statement.quote


def test_every_entity_takes_part_in_a_statement(seed_corpus):
    used = set()
    for statement in seed_corpus.statements:
        used |= {statement.subject, statement.object, statement.about, statement.where}
    assert set(seed_corpus.entities) <= used
