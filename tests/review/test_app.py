"""The review app's requests: the token, the host, the sources, and changes saved to disk."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from graph.annotations import load_source
from graph.review import KnownName, create_app
from graph.review.app import TOKEN_COOKIE, TOKEN_HEADER
from tests.factories import tiny_annotation

TOKEN = "test-token-0123456789"


def draft_annotation() -> dict:
    """The tiny source with its statements as unreviewed drafts of a rule."""
    annotation = tiny_annotation()
    for item in annotation["statements"]:
        item.update(reviewed=False, confidence=0.7, note="rule: frame-blames")
    return annotation


@pytest.fixture
def data(make_source) -> Path:
    return make_source(draft_annotation())


@pytest.fixture
def client(data):
    known = [KnownName("ruritania-navy", "institution", "Ruritanian Navy", ("the navy",))]
    app = create_app(data, coder="alice", token=TOKEN, known=known)
    app.config["TESTING"] = True
    client = app.test_client()
    client.set_cookie(TOKEN_COOKIE, TOKEN, domain="localhost")
    return client


def annotation_of(data: Path) -> dict:
    return yaml.safe_load((data / "tiny" / "annotation.yaml").read_text(encoding="utf-8"))


def post(client, path: str, payload=None):
    return client.post(path, json=payload, headers={TOKEN_HEADER: TOKEN})


def test_a_request_without_the_token_is_forbidden(data):
    app = create_app(data, coder="alice", token=TOKEN)
    bare = app.test_client()
    assert bare.get("/").status_code == 403
    assert bare.get("/api/source/tiny").status_code == 403
    assert bare.get("/api/source/tiny?token=wrong").status_code == 403
    assert (
        bare.post("/api/source/tiny/statements/ruritania-blames-freedonia/accept").status_code
        == 403
    )


def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(data):
    app = create_app(data, coder="alice", token=TOKEN)
    client = app.test_client()
    answer = client.get(f"/source/tiny?token={TOKEN}")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/source/tiny"
    cookie = answer.headers["Set-Cookie"]
    assert f"{TOKEN_COOKIE}={TOKEN}" in cookie and "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert client.get("/source/tiny").status_code == 200


def test_a_change_needs_the_token_header_not_only_the_cookie(client, data):
    before = (data / "tiny" / "annotation.yaml").read_bytes()
    answer = client.post("/api/source/tiny/statements/ruritania-blames-freedonia/accept")
    assert answer.status_code == 403
    assert (data / "tiny" / "annotation.yaml").read_bytes() == before


def test_another_host_is_refused(client):
    # a page on another name that resolves to this machine (DNS rebinding)
    answer = client.get("/api/source/tiny", headers={"Host": "attacker.example:7879"})
    assert answer.status_code == 403


def test_a_host_with_another_port_is_refused(data):
    # the port the request came in on, as waitress gives it (SERVER_PORT)
    app = create_app(data, coder="alice", token=TOKEN)
    served = app.test_client()
    page = f"/api/source/tiny?token={TOKEN}"
    base = "http://127.0.0.1:7879"
    assert served.get(page, base_url=base, headers={"Host": "127.0.0.1:7879"}).status_code == 303
    refused = served.get(page, base_url=base, headers={"Host": "127.0.0.1:7880"})
    assert refused.status_code == 403 and b"127.0.0.1:7880" in refused.data
    assert served.get(page, base_url=base, headers={"Host": "localhost"}).status_code == 403


def test_the_page_forbids_inline_scripts_and_framing(client):
    answer = client.get("/source/tiny")
    policy = answer.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_sources_list_gives_each_source_and_its_progress(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="/source/tiny"' in page
    assert "0 of 3" in page


def test_an_unknown_source_is_not_found(client):
    assert client.get("/api/source/nothing").status_code == 404
    assert client.get("/api/source/..").status_code == 404


def test_the_source_data_gives_statements_with_offsets_rule_and_draft_mark(client, data):
    payload = client.get("/api/source/tiny").get_json()
    text = payload["source"]["text"]
    blames = next(s for s in payload["statements"] if s["id"] == "ruritania-blames-freedonia")
    assert (
        text[blames["start"] : blames["end"]] == "Ruritania blamed Freedonia for the failed talks"
    )
    assert blames["rule"] == "frame-blames"
    assert blames["reviewed"] is False
    assert "sanctions" in payload["relations"] and "reported" in payload["modalities"]


def test_accept_saves_at_once_and_records_the_coder(client, data):
    answer = post(client, "/api/source/tiny/statements/ruritania-blames-freedonia/accept")
    assert answer.status_code == 200
    assert answer.get_json()["statement"]["reviewed"] is True
    saved = annotation_of(data)["statements"][0]
    assert "reviewed" not in saved
    assert saved["coded_by"] == "alice"


def test_reject_then_undo_restores_the_statement(client, data):
    before = (data / "tiny" / "annotation.yaml").read_bytes()
    post(client, "/api/source/tiny/statements/vogel-represents-ruritania/reject")
    ids = [s["id"] for s in annotation_of(data)["statements"]]
    assert "vogel-represents-ruritania" not in ids and len(ids) == 2
    assert post(client, "/api/source/tiny/undo").get_json() == {"undone": True}
    assert (data / "tiny" / "annotation.yaml").read_bytes() == before


def test_a_change_that_would_break_the_build_is_refused_with_the_loaders_message(client, data):
    before = (data / "tiny" / "annotation.yaml").read_bytes()
    answer = post(
        client,
        "/api/source/tiny/statements/ruritania-blames-freedonia",
        {"object": "atlantis"},
    )
    assert answer.status_code == 422
    refusal = answer.get_json()
    assert refusal["field"] == "object"
    assert "unknown entity 'atlantis'" in refusal["error"]
    assert (data / "tiny" / "annotation.yaml").read_bytes() == before


def test_an_unknown_field_is_refused(client):
    answer = post(client, "/api/source/tiny/statements/ruritania-blames-freedonia", {"colour": 1})
    assert answer.status_code == 422
    assert answer.get_json()["field"] == "colour"


def test_a_statement_coded_from_a_passage_is_saved_and_loads(client, data):
    answer = post(
        client,
        "/api/source/tiny/statements",
        {
            "subject": "anna-vogel",
            "relation": "supports_position",
            "object": "self-defence",
            "modality": "reported",
            "quote": "the right of self-defence applies online",
        },
    )
    assert answer.status_code == 200
    added = answer.get_json()["statement"]
    corpus = load_source(data / "tiny" / "annotation.yaml")
    statement = next(s for s in corpus.statements if s.id == added["id"])
    assert statement.quote == "the right of self-defence applies online"
    assert (statement.evidence.start, statement.evidence.end) == (added["start"], added["end"])


def test_a_new_entity_is_added_and_offered_by_the_picker(client, data):
    answer = post(
        client, "/api/source/tiny/entities", {"label": "Freedonian Army", "type": "institution"}
    )
    assert answer.status_code == 200
    entity_id = answer.get_json()["entity"]["id"]
    found = client.get("/api/source/tiny/names?q=army").get_json()
    assert [e["id"] for e in found] == [entity_id]
    assert entity_id in {
        e.id for e in load_source(data / "tiny" / "annotation.yaml").entities.values()
    }


def test_the_picker_offers_the_gazetteer_and_other_sources(client, data, make_source):
    other = tiny_annotation()
    other["source"]["id"] = "other"
    other["entities"].append(
        {"id": "freedonian-army", "type": "institution", "label": "Freedonian Army"}
    )
    make_source(other, folder="other")
    found = {e["id"]: e["origin"] for e in client.get("/api/source/tiny/names?q=navy").get_json()}
    assert found == {"ruritania-navy": "gazetteer"}
    found = {e["id"]: e["origin"] for e in client.get("/api/source/tiny/names?q=army").get_json()}
    assert found == {"freedonian-army": "other"}


def test_an_edit_on_disk_by_someone_else_is_read_again(client, data):
    client.get("/api/source/tiny")
    path = data / "tiny" / "annotation.yaml"
    annotation = annotation_of(data)
    annotation["statements"] = annotation["statements"][:1]
    path.write_text(yaml.safe_dump(annotation, sort_keys=False), encoding="utf-8")
    payload = client.get("/api/source/tiny").get_json()
    assert [s["id"] for s in payload["statements"]] == ["ruritania-blames-freedonia"]


def test_another_coders_statements_are_given_beside(client, data):
    other = draft_annotation()
    other["statements"] = other["statements"][:1]
    (data / "tiny" / "annotation.bob.yaml").write_text(
        yaml.safe_dump(other, sort_keys=False), encoding="utf-8"
    )
    payload = client.get("/api/source/tiny").get_json()
    assert [s["id"] for s in payload["others"]["bob"]] == ["ruritania-blames-freedonia"]


def test_a_relation_the_shapes_refuse_for_these_entities_is_refused(client, data):
    # a position cannot blame: apg build's shapes would fail
    before = (data / "tiny" / "annotation.yaml").read_bytes()
    answer = post(
        client,
        "/api/source/tiny/statements/vogel-supports-self-defence",
        {"relation": "blames"},
    )
    assert answer.status_code == 422
    refusal = answer.get_json()
    assert refusal["field"] == "relation"
    assert "blames: the object must be an actor" in refusal["error"]
    assert (data / "tiny" / "annotation.yaml").read_bytes() == before


def test_accepting_a_statement_accepts_its_draft_entities_and_one_undo_takes_all_back(
    make_source,
):
    annotation = draft_annotation()
    for entity in annotation["entities"]:
        entity.update(reviewed=False, confidence=0.9)
    data = make_source(annotation)
    path = data / "tiny" / "annotation.yaml"
    before = path.read_bytes()
    client = create_app(data, coder="alice", token=TOKEN).test_client()
    client.set_cookie(TOKEN_COOKIE, TOKEN, domain="localhost")
    post(client, "/api/source/tiny/statements/ruritania-blames-freedonia/accept")
    entities = {e["id"]: e for e in annotation_of(data)["entities"]}
    assert entities["ruritania"]["coded_by"] == "alice" and "reviewed" not in entities["ruritania"]
    assert entities["freedonia"]["coded_by"] == "alice"
    assert entities["anna-vogel"]["reviewed"] is False  # not named by the statement
    assert post(client, "/api/source/tiny/undo").get_json() == {"undone": True}
    assert path.read_bytes() == before
    assert post(client, "/api/source/tiny/undo").get_json() == {"undone": False}


def test_a_statement_that_breaks_a_rule_opens_and_its_accept_is_refused(client, data):
    path = data / "tiny" / "annotation.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("relation: blames", "relation: likes"))
    assert client.get("/source/tiny").status_code == 200
    # opening checks the source and entities; a statement's own rules run on its change,
    # so the page still opens and shows the statement to correct
    statements = client.get("/api/source/tiny").get_json()["statements"]
    assert statements[0]["relation"] == "likes"
    refusal = post(client, "/api/source/tiny/statements/ruritania-blames-freedonia/accept")
    assert refusal.status_code == 422
    assert "unknown relation 'likes'" in refusal.get_json()["error"]
