"""graph.errors: errors that name the file, the item and the problem, and that a worker
process can send back whole."""

import pickle

from graph.errors import AnnotationError, ExtractionError, ValidationError


def test_an_annotation_error_sent_from_a_worker_keeps_its_parts(tmp_path):
    path = tmp_path / "tiny" / "annotation.yaml"  # named, never read
    error = AnnotationError(path, "no such entity", "statement 's1'")
    error = AnnotationError(error.path, error.problem, error.item, field="subject")
    error.add_note("raised in a worker")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is AnnotationError
    assert str(back) == f"{path}: statement 's1': no such entity"
    assert (back.path, back.item, back.problem, back.field) == (
        error.path,
        "statement 's1'",
        "no such entity",
        "subject",
    )
    assert back.__notes__ == ["raised in a worker"]


def test_a_validation_error_sent_from_a_worker_keeps_its_parts():
    validation = pickle.loads(pickle.dumps(ValidationError("the report", ["one", "two"])))
    assert validation.report == "the report" and validation.violations == ["one", "two"]
    assert str(validation) == "graph does not conform to the shapes: one (and 1 more)"


def test_an_extraction_error_sent_from_a_worker_keeps_its_parts(tmp_path):
    extraction = pickle.loads(pickle.dumps(ExtractionError(tmp_path / "a.html", "no main text")))
    assert str(extraction) == f"{tmp_path / 'a.html'}: no main text"
    assert extraction.path == tmp_path / "a.html" and extraction.problem == "no main text"
