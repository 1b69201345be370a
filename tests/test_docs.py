"""Docs that cannot go stale silently: every relation, type and command is documented."""

from collections import Counter

from graph.cli import _parser
from graph.ontology import vocabulary
from tests.factories import REPO, readme_seed_sentence

FORMAT = (REPO / "docs" / "annotation-format.md").read_text(encoding="utf-8")
MODEL = (REPO / "docs" / "data-model.md").read_text(encoding="utf-8")
ONTOLOGY = (REPO / "docs" / "ontology.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_relation_is_documented():
    for key, iri in vocabulary().relations.items():
        local = str(iri).rsplit("#", 1)[1]
        assert f"`{key}`" in FORMAT, key
        assert f"apg:{local}" in MODEL, local
        assert f"apg:{local}" in ONTOLOGY, local


def test_every_entity_type_is_documented():
    for key, iri in vocabulary().entity_types.items():
        local = str(iri).rsplit("#", 1)[1]
        assert f"`{key}`" in FORMAT, key
        assert f"apg:{local}" in ONTOLOGY, local


def test_every_command_is_in_the_readme():
    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in commands:
        assert f"apg {command}" in README, command


def test_readme_starts_with_the_two_commands():
    block = README.split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert block == [
        "python3 -m pip install -e . && apg build",
        "python3 -m pip install -e '.[test]' && python3 -m pytest",
    ]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert block[1] in ci


def test_readme_counts_match_the_seed(seed_corpus):
    entities, statements = len(seed_corpus.entities), len(seed_corpus.statements)
    assert f"The article yields {entities} entities" in README
    assert f"and {statements} statements" in README
    counts = Counter(s.modality for s in seed_corpus.statements)
    phrases = {
        "asserted": "are asserted by the article",
        "reported": "report what an actor said",
        "alleged": "are alleged",
        "implicit": "implicit",
        "speculative": "speculative",
    }
    for modality, phrase in phrases.items():
        assert f"{counts[modality]} {phrase}" in README, modality
    types = Counter(entity.type for entity in seed_corpus.entities.values())
    assert readme_seed_sentence(types, counts) in " ".join(README.split())


def test_notebook_example_runs(seed_data):
    namespace: dict = {}
    code = (REPO / "notebooks" / "README.md").read_text(encoding="utf-8")
    snippet = code.split("```python\n", 1)[1].split("```", 1)[0]
    assert '"../data"' in snippet
    exec(snippet.replace('"../data"', repr(str(seed_data))), namespace)
    assert namespace["network"].number_of_edges() > 0


def test_readme_shows_what_apg_analyze_prints(capsys, seed_data):
    from graph.cli import main

    assert main(["analyze", "--data", str(seed_data), "--no-cache", "--level", "state"]) == 0
    printed = capsys.readouterr().out
    assert f"$ apg analyze --level state\n{printed}```" in README


def test_every_network_export_is_described():
    from graph.networks.exchange import FORMATS, NETWORKS

    for name in NETWORKS:
        assert f"`{name}`" in README, name
    for extension in FORMATS:
        assert f"`.{extension}`" in README, extension


def test_readme_shows_what_apg_evaluate_prints_for_the_seed_draft(tmp_path, capsys, seed_data):
    from graph.cli import main
    from tests.factories import SEED_DIR, SEED_ID

    page = REPO / "tests" / "fixtures" / "pages" / f"{SEED_ID}.txt"
    draft = tmp_path / "drafts" / "un-gge" / "annotation.yaml"
    meta = SEED_DIR / "annotation.yaml"
    argv = ["extract", str(page), "--meta", str(meta), "-o", str(draft)]
    assert main([*argv, "--data", str(seed_data)]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(draft.parent), str(SEED_DIR)]) == 0
    printed = capsys.readouterr().out
    shown = "$ apg evaluate output/drafts/un-gge data/un-gge-talks-collapse-2017\n"
    assert f"{shown}{printed}```" in README


def test_every_extraction_rule_is_documented():
    from graph.extraction.confidence import RULE_CONFIDENCE

    extraction = (REPO / "docs" / "extraction.md").read_text(encoding="utf-8")
    for rule in RULE_CONFIDENCE:
        assert f"| `{rule}` |" in extraction, rule
