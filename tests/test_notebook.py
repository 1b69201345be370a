"""notebooks/explore.ipynb runs from top to bottom, and its outputs say what they should."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbclient import NotebookClient

from tests.factories import REPO

NOTEBOOK = REPO / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory, seed_data):
    output = tmp_path_factory.mktemp("notebook-output")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("APG_DATA", str(seed_data))
        patch.setenv("APG_OUTPUT", str(output))
        notebook = nbformat.read(NOTEBOOK, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(NOTEBOOK.parent)}},
        )
        client.execute()
    return notebook, output


def _texts(notebook) -> list[str]:
    """Each code cell's outputs as one text (streams and plain-text results)."""
    texts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        parts = []
        for output in cell.get("outputs", []):
            if "text" in output:
                parts.append(output["text"])
            parts.append(output.get("data", {}).get("text/plain", ""))
        texts.append("".join(parts))
    return texts


def _cell_with(notebook, snippet: str) -> int:
    codes = [cell for cell in notebook.cells if cell.cell_type == "code"]
    return next(i for i, cell in enumerate(codes) if snippet in cell.source)


def test_it_builds_the_seed_graph(executed):
    notebook, output = executed
    assert "1 source(s), 58 entities, 113 statements" in _texts(notebook)[0]
    assert (output / "graph.html").is_file()


def test_both_graphs_are_shown_inline_with_the_page_inside_the_output(executed):
    notebook, _ = executed
    codes = [cell for cell in notebook.cells if cell.cell_type == "code"]
    pages = []
    for snippet in ("graph.show(result)", 'graph.show(result, focus="Oleg Khramov"'):
        cell = codes[_cell_with(notebook, snippet)]
        (page,) = [output["data"]["text/html"] for output in cell.outputs if "data" in output]
        assert page.startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;') and "/files/" not in page
        pages.append(page)
    whole, focused = pages
    for page in pages:
        assert "Oleg Khramov" in page and "Western countries" in page
    assert "Democratic National Committee" in whole and "Democratic National" not in focused


def test_queries_come_back_as_tables(executed):
    notebook, _ = executed
    blames = _texts(notebook)[_cell_with(notebook, 'sparql("who-blames-whom")')]
    assert "Oleg Khramov" in blames and "Western countries" in blames
    sides = _texts(notebook)[_cell_with(notebook, 'sparql("position-sides")')]
    assert "opposes" in sides and "Miguel Rodríguez" in sides


def test_it_shows_the_camps_and_the_heat_map(executed):
    notebook, _ = executed
    camps = _texts(notebook)[_cell_with(notebook, "graph.analyse(")]
    east = next(line for line in camps.splitlines() if "Russia" in line)
    assert "Cuba" in east and "China" in east and "United States" not in east
    assert "polarisation 1.00" in camps
    index = _cell_with(notebook, "imshow")
    cell = [c for c in notebook.cells if c.cell_type == "code"][index]
    assert any("image/png" in output.get("data", {}) for output in cell.outputs)
    matrix = _texts(notebook)[index]
    assert [line.split()[-1] for line in matrix.splitlines()[1:]] == ["-3", "-3", "2"]


def test_a_statement_is_followed_back_to_its_words(executed):
    notebook, _ = executed
    trace = _texts(notebook)[_cell_with(notebook, "source.text[")]
    assert "quote:     blamed western countries for the impasse" in trace
    assert "text at those offsets is the quote: True" in trace


def test_a_new_article_joins_the_graph(executed):
    notebook, _ = executed
    sources = _texts(notebook)[_cell_with(notebook, 'sparql("sources", scratch_store)')]
    assert "Ruritania backs self-defence" in sources
    supporters = _texts(notebook)[_cell_with(notebook, 'sparql("position-sides", scratch_store)')]
    assert "'Ruritania'" in supporters and "'United States'" in supporters


def test_it_is_committed_without_outputs():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"


def test_a_raw_article_is_drafted_and_scored(executed):
    notebook, _ = executed
    drafted = _texts(notebook)[_cell_with(notebook, "graph.extract_file(")]
    assert "already known" in drafted
    assert "The Russian delegate, Andrei Belov" in drafted  # his apposition, as quoted
    scored = _texts(notebook)[_cell_with(notebook, "graph.evaluate(written, gold)")]
    precision = float(scored.split("precision ")[1].split(",")[0])
    assert 0.5 <= precision <= 1.0
