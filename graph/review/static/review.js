// apg review: one source's text and statements, reviewed with single keys.
// Every label and quote comes from an untrusted article: it is put in the page with
// textContent only, never as HTML.
"use strict";

const body = document.body;
const NAME = body.dataset.source;
const TOKEN = document.querySelector('meta[name="review-token"]').content;
const API = "/api/source/" + encodeURIComponent(NAME);

const state = {
  data: null, // the payload of GET /api/source/<name>
  selected: null, // id of the selected statement
  editing: null, // null, {mode: "edit", id} or {mode: "new"}
  offered: new Map(), // entities the pickers offered from other sources and the gazetteer
  selection: null, // {start, end, text} of the text selected in the article
};

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "className") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
};

async function call(method, path, payload) {
  const options = { method, headers: { "X-Review-Token": TOKEN } };
  if (payload !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(payload);
  }
  const response = await fetch(API + path, options);
  let answer = {};
  try {
    answer = await response.json();
  } catch (error) {
    answer = { error: response.status + " " + response.statusText, field: null };
  }
  if (!response.ok) {
    const refusal = new Error(answer.error || response.statusText);
    refusal.field = answer.field;
    throw refusal;
  }
  return answer;
}

function say(text, kind = "info") {
  const message = $("message");
  message.textContent = text;
  message.className = kind;
}

// --- loading ---------------------------------------------------------------------------

async function load(keep) {
  state.data = await call("GET", "");
  const { relations, modalities, entity_types } = state.data;
  fillSelect($("filter-relation"), relations, true);
  fillSelect($("f-relation"), relations, true);
  fillSelect($("f-modality"), modalities);
  fillSelect($("e-type"), entity_types);
  $("others-toggle").hidden = Object.keys(state.data.others).length === 0;
  fillNames(state.data.entities);
  if (!keep || !byId(state.selected)) state.selected = null;
  render();
}

function fillSelect(select, values, keepFirst) {
  const first = keepFirst ? select.options[0] : null;
  select.replaceChildren(...(first ? [first] : []));
  for (const value of values) select.append(el("option", { value }, value.replaceAll("_", " ")));
}

function fillNames(entities) {
  $("names").replaceChildren(
    ...entities.map((e) => el("option", { value: e.id }, `${e.label} (${e.type}, ${e.origin})`)),
  );
}

const byId = (id) => state.data.statements.find((s) => s.id === id);

// --- what is shown ---------------------------------------------------------------------

function visible() {
  const relation = $("filter-relation").value;
  const reviewed = $("filter-reviewed").value;
  const confidence = parseFloat($("filter-confidence").value) || 0;
  return state.data.statements
    .filter((s) => !relation || s.relation === relation)
    .filter((s) => !reviewed || (reviewed === "reviewed") === s.reviewed)
    .filter((s) => confidence <= 0 || (s.confidence ?? 1) >= confidence)
    .sort((a, b) => (a.start ?? Infinity) - (b.start ?? Infinity) || a.id.localeCompare(b.id));
}

function others() {
  if (!$("show-others").checked) return [];
  return Object.entries(state.data.others).flatMap(([coder, statements]) =>
    statements.map((s) => ({ ...s, coder })),
  );
}

function render() {
  renderText();
  renderList();
  const all = state.data.statements;
  const drafts = all.filter((s) => !s.reviewed).length;
  $("progress").textContent = `${all.length - drafts} of ${all.length} reviewed`;
}

let labels = null; // entity id -> label, made again when the entities change
function entityLabel(id) {
  if (!labels || labels.size !== state.data.entities.length) {
    labels = new Map(state.data.entities.map((e) => [e.id, e.label]));
  }
  return labels.get(id) ?? id;
}

// the list is drawn a chunk at a time, as it is scrolled (or a statement further down is
// selected), so that a source of thousands of statements opens at once
const CHUNK = 150;
const listed = { rows: [], drawn: 0 };

function renderList() {
  listed.rows = [...visible().map((s) => [s, false]), ...others().map((s) => [s, true])];
  listed.drawn = 0;
  $("statements").replaceChildren();
  drawRows(CHUNK);
  markSelected();
}

function drawRows(count) {
  const upTo = Math.min(listed.rows.length, listed.drawn + count);
  const rows = listed.rows.slice(listed.drawn, upTo).map(([s, other]) => statementRow(s, other));
  $("statements").append(...rows);
  listed.drawn = upTo;
  $("more").hidden = listed.drawn >= listed.rows.length;
}

function drawUntil(id) {
  const at = listed.rows.findIndex(([s, other]) => !other && s.id === id);
  if (at >= listed.drawn) drawRows(at - listed.drawn + CHUNK);
}

function statementRow(s, other) {
  const row = el(
    "li",
    {
      className: `statement rel-${s.relation}` + (s.reviewed ? "" : " draft") + (other ? " other" : ""),
      dataset: { id: s.id },
      tabindex: "-1",
    },
    el("span", { className: "subject" }, entityLabel(s.subject)),
    el("span", { className: "relation" }, s.relation.replaceAll("_", " ")),
    el("span", { className: "object" }, entityLabel(s.object)),
  );
  const details = [s.modality];
  if (s.claimed_by) details.push("claimed by " + entityLabel(s.claimed_by));
  if (s.when) details.push(String(s.when));
  if (s.confidence !== undefined && s.confidence !== null) details.push("confidence " + s.confidence);
  if (s.rule) details.push("rule " + s.rule);
  if (other) details.push("coded by " + s.coder);
  else if (s.coded_by) details.push("coded by " + s.coded_by);
  if (!s.reviewed) details.push("draft");
  row.append(el("span", { className: "details" }, details.join(" · ")));
  row.append(el("q", { className: "quote" }, s.quote ?? ""));
  if (!other) row.addEventListener("click", () => select(s.id, true));
  return row;
}

function renderText() {
  // the text as one block per line (a browser lays out only the blocks on screen), each
  // cut at every quote's start and end; each piece knows the quotes over it
  const text = state.data.source.text;
  const shown = [...visible(), ...others()].filter((s) => s.start !== null && s.start !== undefined);
  const cuts = new Set([0, text.length]);
  const lineStarts = new Set([0]);
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) {
    cuts.add(at + 1);
    lineStarts.add(at + 1);
  }
  for (const s of shown) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const starting = new Map();
  for (const s of shown) {
    if (!starting.has(s.start)) starting.set(s.start, []);
    starting.get(s.start).push(s);
  }
  const open = [];
  const blocks = [];
  let block = null;
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    if (lineStarts.has(from) || !block) {
      block = el("div", { className: "line" });
      blocks.push(block);
    }
    for (const s of starting.get(from) || []) open.push(s);
    for (let j = open.length - 1; j >= 0; j--) if (open[j].end <= from) open.splice(j, 1);
    const piece = text.slice(from, to);
    if (!open.length) {
      block.append(piece);
      continue;
    }
    const first = open.find((s) => !s.coder) || open[0];
    const mark = el("mark", {
      className:
        `rel-${first.relation}` +
        (open.some((s) => !s.reviewed && !s.coder) ? " draft" : "") +
        (open.every((s) => s.coder) ? " other" : ""),
      dataset: { ids: open.filter((s) => !s.coder).map((s) => s.id).join(" ") },
    }, piece);
    mark.title = open.map((s) => `${entityLabel(s.subject)} ${s.relation} ${entityLabel(s.object)}`).join("\n");
    block.append(mark);
  }
  $("text").replaceChildren(...blocks);
}

function markSelected() {
  for (const node of document.querySelectorAll(".selected")) node.classList.remove("selected");
  if (!state.selected) return;
  const row = document.querySelector(`#statements li[data-id="${CSS.escape(state.selected)}"]`);
  if (row) row.classList.add("selected");
  for (const mark of document.querySelectorAll("#text mark")) {
    if (mark.dataset.ids.split(" ").includes(state.selected)) mark.classList.add("selected");
  }
}

function select(id, fromList) {
  state.selected = id;
  drawUntil(id);
  markSelected();
  const row = document.querySelector(`#statements li[data-id="${CSS.escape(id)}"]`);
  const mark = document.querySelector("#text mark.selected");
  if (row && !fromList) row.scrollIntoView({ block: "nearest" });
  if (mark) mark.scrollIntoView({ block: "nearest" });
}

function step(direction, onlyDrafts) {
  const rows = visible().filter((s) => !onlyDrafts || !s.reviewed);
  if (!rows.length) return;
  const all = visible();
  const here = all.findIndex((s) => s.id === state.selected);
  if (here === -1) return select((direction > 0 ? rows[0] : rows[rows.length - 1]).id);
  for (let i = here + direction; i >= 0 && i < all.length; i += direction) {
    if (!onlyDrafts || !all[i].reviewed) return select(all[i].id);
  }
}

// --- changes ---------------------------------------------------------------------------

function replaceStatement(statement) {
  const list = state.data.statements;
  const at = list.findIndex((s) => s.id === statement.id);
  if (at === -1) list.push(statement);
  else list[at] = statement;
}

async function accept() {
  const id = state.selected;
  if (!id) return;
  try {
    const answer = await call("POST", `/statements/${encodeURIComponent(id)}/accept`);
    replaceStatement(answer.statement);
    say(`accepted ${id}`);
    render();
    select(id);
    step(1, true);
  } catch (error) {
    say(error.message, "error");
  }
}

async function reject() {
  const id = state.selected;
  if (!id) return;
  const all = visible();
  const here = all.findIndex((s) => s.id === id);
  try {
    await call("POST", `/statements/${encodeURIComponent(id)}/reject`);
    state.data.statements = state.data.statements.filter((s) => s.id !== id);
    say(`rejected ${id} (u to undo)`);
    const next = all[here + 1] || all[here - 1];
    state.selected = next ? next.id : null;
    render();
    if (state.selected) select(state.selected);
  } catch (error) {
    say(error.message, "error");
  }
}

async function undo() {
  try {
    const answer = await call("POST", "/undo");
    say(answer.undone ? "undone" : "nothing to undo");
    await load(true);
    if (state.selected) select(state.selected);
  } catch (error) {
    say(error.message, "error");
  }
}

// --- the editor ------------------------------------------------------------------------

const EDITED = [
  "subject", "relation", "object", "modality", "claimed_by", "about", "where", "role", "former",
  "when", "quote", "note",
];

function clearProblems(form) {
  for (const problem of form.querySelectorAll(".problem")) problem.textContent = "";
}

function showProblem(form, error) {
  const spot =
    form.querySelector(`.problem[data-for="${CSS.escape(error.field || "")}"]`) ||
    form.querySelector('.problem[data-for=""]');
  spot.textContent = error.message;
  const input = form.querySelector(`[name="${CSS.escape(error.field || "")}"]`);
  if (input) input.focus();
}

function openEditor(statement) {
  const form = $("editor");
  clearProblems(form);
  $("entity-editor").hidden = true;
  state.editing = statement ? { mode: "edit", id: statement.id } : { mode: "new" };
  $("editor-title").textContent = statement ? `Statement ${statement.id}` : "New statement";
  const values = statement || { modality: "reported", quote: state.selection ? state.selection.text : "" };
  for (const name of EDITED) form.elements[name].value = values[name] === true ? "true" : values[name] ?? "";
  if (!statement) form.elements.relation.value = "";
  form.hidden = false;
  form.elements.subject.focus();
}

function closeEditors() {
  $("editor").hidden = true;
  $("entity-editor").hidden = true;
  state.editing = null;
}

const PICKED = ["subject", "object", "claimed_by", "about", "where"];

function resolveEntity(value) {
  // an id of this source, or of an offered entity; else a label or alias typed in full
  if (state.data.entities.some((e) => e.id === value) || state.offered.has(value)) return value;
  const wanted = value.toLowerCase();
  const named = (e) => [e.label, ...(e.aliases || [])].some((n) => String(n).toLowerCase() === wanted);
  const found = state.data.entities.find(named) || [...state.offered.values()].find(named);
  return found ? found.id : value;
}

async function adopt(id) {
  // an entity of another source or of the gazetteer: declare it here under the same id
  if (state.data.entities.some((e) => e.id === id) || !state.offered.has(id)) return;
  const known = state.offered.get(id);
  const fields = { id, type: known.type, label: known.label };
  for (const key of ["wikidata", "iso3166"]) if (known[key]) fields[key] = known[key];
  const answer = await call("POST", "/entities", fields);
  state.data.entities.push(answer.entity);
}

async function saveEditor(event) {
  event.preventDefault();
  const form = $("editor");
  clearProblems(form);
  const fields = {};
  for (const name of EDITED) {
    let value = form.elements[name].value.trim();
    if (value && PICKED.includes(name)) value = resolveEntity(value);
    if (name === "former") value = value === "true" ? true : "";
    if (value) fields[name] = value;
    else if (state.editing.mode === "edit") fields[name] = null;
  }
  try {
    for (const name of PICKED) if (fields[name]) await adopt(fields[name]);
    let answer;
    if (state.editing.mode === "edit") {
      const original = byId(state.editing.id);
      const changes = {};
      for (const name of EDITED) {
        if ((fields[name] ?? null) !== (original[name] ?? null)) changes[name] = fields[name] ?? null;
      }
      answer = await call("POST", `/statements/${encodeURIComponent(state.editing.id)}`, changes);
    } else {
      answer = await call("POST", "/statements", fields);
    }
    replaceStatement(answer.statement);
    say(`saved ${answer.statement.id}`);
    closeEditors();
    render();
    select(answer.statement.id);
  } catch (error) {
    showProblem(form, error);
  }
}

async function suggest(input) {
  const query = input.value.trim();
  if (query.length < 2) return;
  try {
    const found = await call("GET", "/names?q=" + encodeURIComponent(query));
    const known = new Map(state.data.entities.map((e) => [e.id, e]));
    for (const entity of found) {
      if (known.has(entity.id)) continue;
      known.set(entity.id, entity);
      state.offered.set(entity.id, entity);
    }
    fillNames([...known.values()]);
    return found;
  } catch (error) {
    return [];
  }
}

async function openEntityEditor() {
  const form = $("entity-editor");
  clearProblems(form);
  $("editor").hidden = true;
  form.elements.label.value = state.selection ? state.selection.text.trim() : "";
  form.elements.wikidata.value = "";
  form.elements.iso3166.value = "";
  form.hidden = false;
  form.elements.label.focus();
  await showMatches();
}

async function showMatches() {
  const form = $("entity-editor");
  const list = $("entity-matches");
  list.replaceChildren();
  const found = (await suggest(form.elements.label)) || [];
  for (const entity of found) {
    const use = el("button", { type: "button" }, "use");
    use.addEventListener("click", () => {
      form.elements.type.value = entity.type;
      form.elements.wikidata.value = entity.wikidata || "";
      form.elements.iso3166.value = entity.iso3166 || "";
      if (entity.origin !== "source") form.dataset.reuse = entity.id;
    });
    const where = entity.origin === "source" ? "already in this source" : `from ${entity.origin}`;
    list.append(el("li", {}, `${entity.label} (${entity.type}, ${where}) `, use));
  }
}

async function saveEntity(event) {
  event.preventDefault();
  const form = $("entity-editor");
  clearProblems(form);
  const fields = { label: form.elements.label.value.trim(), type: form.elements.type.value };
  for (const name of ["wikidata", "iso3166"]) {
    const value = form.elements[name].value.trim();
    if (value) fields[name] = value;
  }
  if (form.dataset.reuse) fields.id = form.dataset.reuse;
  delete form.dataset.reuse;
  try {
    const answer = await call("POST", "/entities", fields);
    state.data.entities.push(answer.entity);
    fillNames(state.data.entities);
    say(`added entity ${answer.entity.id}`);
    closeEditors();
    render();
  } catch (error) {
    showProblem(form, error);
  }
}

// --- the text selection ----------------------------------------------------------------

function offsetIn(container, node, offset) {
  // characters of the text before (node, offset): the marks and text nodes hold it all
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let count = 0;
  for (let current = walker.nextNode(); current; current = walker.nextNode()) {
    if (current === node) return count + offset;
    count += current.textContent.length;
  }
  return null;
}

function readSelection() {
  const selection = window.getSelection();
  const container = $("text");
  state.selection = null;
  if (selection.rangeCount && !selection.isCollapsed) {
    const range = selection.getRangeAt(0);
    if (container.contains(range.startContainer) && container.contains(range.endContainer)) {
      const start = offsetIn(container, range.startContainer, range.startOffset);
      const end = offsetIn(container, range.endContainer, range.endOffset);
      if (start !== null && end !== null && end > start) {
        state.selection = { start, end, text: state.data.source.text.slice(start, end) };
      }
    }
  }
  $("selection-bar").hidden = !state.selection;
  $("selection-text").textContent = state.selection ? `“${state.selection.text}”` : "";
}

// --- wiring ----------------------------------------------------------------------------

function typing(event) {
  const target = event.target;
  return target.closest && target.closest("input, select, textarea, dialog[open]");
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    closeEditors();
    return;
  }
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  const actions = {
    j: () => step(1), ArrowDown: () => step(1),
    k: () => step(-1), ArrowUp: () => step(-1),
    a: accept, x: reject, u: undo,
    e: () => state.selected && openEditor(byId(state.selected)),
    n: () => state.selection && openEditor(null),
    m: () => state.selection && openEntityEditor(),
    "?": () => $("help").showModal(),
  };
  const action = actions[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
});

new IntersectionObserver((entries) => {
  if (entries.some((entry) => entry.isIntersecting)) drawRows(CHUNK);
}).observe($("more"));
$("text").addEventListener("click", (event) => {
  const mark = event.target.closest("mark");
  if (!mark || !window.getSelection().isCollapsed) return;
  const ids = mark.dataset.ids.split(" ").filter(Boolean);
  if (!ids.length) return;
  // a second click on the same place moves to the next statement quoted there
  const at = ids.indexOf(state.selected);
  select(ids[(at + 1) % ids.length]);
});
document.addEventListener("selectionchange", readSelection);
for (const id of ["filter-relation", "filter-reviewed", "filter-confidence", "show-others"]) {
  $(id).addEventListener("change", (event) => {
    render();
    event.target.blur(); // the review keys work again at once
  });
}
$("editor").addEventListener("submit", saveEditor);
$("entity-editor").addEventListener("submit", saveEntity);
$("cancel").addEventListener("click", closeEditors);
$("cancel-entity").addEventListener("click", closeEditors);
$("new-statement").addEventListener("click", () => openEditor(null));
$("new-entity").addEventListener("click", openEntityEditor);
$("help-button").addEventListener("click", () => $("help").showModal());
$("help-close").addEventListener("click", () => $("help").close());
for (const name of PICKED) {
  $("f-" + name).addEventListener("input", (event) => suggest(event.target));
}
$("e-label").addEventListener("change", showMatches);

load(false).then(
  () => say("a accept · x reject · e edit · u undo · j/k move · ? keys"),
  (error) => say(error.message, "error"),
);
