"""The inline graphs of notebooks/explore.ipynb draw in JupyterLab and Notebook 7 (Chromium).

The server is started as the README says (``jupyter lab notebooks/explore.ipynb``, from the
project folder, so its root is ``notebooks/``) in a copy of the project, and runs a notebook
made of explore.ipynb's first cell and the cells of its section on the interactive graph.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from graph.explorer.subgraph import select_subgraph
from tests.factories import REPO

NOTEBOOK = REPO / "notebooks" / "explore.ipynb"
SECTION = "## The interactive graph"
FRONT_ENDS = {"JupyterLab": "lab/tree", "Notebook 7": "notebooks"}
SERVER_PACKAGES = ("jupyterlab", "notebook")
# a notebook opened before the front end has listed the running kernels may ask which kernel
# to use, and the test would wait on that question; no news pop-up over the outputs either
FRONT_END_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"autoStartDefaultKernel": True},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Server:
    """A running Jupyter server: its address, its token and its log file."""

    url: str
    token: str
    log: Path

    def api(self, path: str, body: dict[str, object] | None = None, method: str = "GET"):
        """Call the server's REST API; return the decoded JSON answer, or None."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/api/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text else None


def probe_notebook() -> nbformat.NotebookNode:
    """explore.ipynb's first code cell (it builds the graph) and the code cells of its
    section on the interactive graph, which display it."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cells = notebook.cells
    heading = next(
        i for i, cell in enumerate(cells) if cell.cell_type == "markdown" and SECTION in cell.source
    )
    shown = []
    for cell in cells[heading + 1 :]:
        if cell.cell_type != "code":
            break
        shown.append(cell)
    setup = next(cell for cell in cells if cell.cell_type == "code")
    assert len(shown) == 2, f"the section {SECTION!r} should have two code cells"
    return nbformat.v4.new_notebook(cells=[setup, *shown], metadata=notebook.metadata)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            server.api("status")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    log = server.log.read_text(encoding="utf-8", errors="replace")
    pytest.fail(f"the Jupyter server did not start:\n{log[-3000:]}")


def wait_until_connected(server: Server, notebook: str) -> None:
    """Wait until a front end holds a connection to the kernel of ``notebook``, idle: run
    before that, a cell is not sent."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for session in server.api("sessions"):
            kernel = session["kernel"]
            connected = kernel["connections"] and kernel["execution_state"] == "idle"
            if session["path"] == notebook and connected:
                return
        time.sleep(0.2)
    pytest.fail(f"no front end connected to the kernel of {notebook}")


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory, seed_data) -> Iterator[Server]:
    """JupyterLab, with Notebook 7 beside it, started in a copy of the project as the
    README says; skipped where they are missing, unless CI is set, where they must be there."""
    missing = [name for name in SERVER_PACKAGES if importlib.util.find_spec(name) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{', '.join(missing)} required in CI (pip install -e '.[test]')")
        pytest.skip(f"{', '.join(missing)} not installed (CI is not set)")
    home = tmp_path_factory.mktemp("jupyter")
    project = home / "project"
    (project / "notebooks").mkdir(parents=True)
    # the notebook finds the project's folder by its pyproject.toml
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    probe = probe_notebook()
    for name in FRONT_ENDS:
        nbformat.write(probe, project / "notebooks" / f"{name.replace(' ', '-')}.ipynb")
    settings = {
        "APG_DATA": str(seed_data),
        "APG_OUTPUT": str(home / "output"),
        # nothing of the user's Jupyter or IPython set-up
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    for plugin, values in FRONT_END_SETTINGS.items():
        path = home / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    port, token = free_port(), secrets.token_hex(16)
    server = Server(f"http://127.0.0.1:{port}", token, home / "server.log")
    command = [
        sys.executable, "-m", "jupyterlab", "notebooks/JupyterLab.ipynb", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", "--allow-root",
    ]  # fmt: skip
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=project, env={**os.environ, **settings}, stdout=log, stderr=log
        )
    try:
        wait_until_up(server, process)
        yield server
        for session in server.api("sessions"):
            server.api(f"sessions/{session['id']}", method="DELETE")  # and so its kernel
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_server_root_is_the_notebooks_folder(jupyter):
    names = {item["name"] for item in jupyter.api("contents")["content"]}
    assert names == {"JupyterLab.ipynb", "Notebook-7.ipynb"}


@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_both_inline_graphs_draw(jupyter, chromium, seed_network, front_end):
    name = f"{front_end.replace(' ', '-')}.ipynb"
    # a session made beforehand: the front end then asks for no kernel
    jupyter.api(
        "sessions", {"path": name, "type": "notebook", "kernel": {"name": "python3"}}, "POST"
    )
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    try:
        page.goto(f"{jupyter.url}/{FRONT_ENDS[front_end]}/{name}?token={jupyter.token}")
        wait_until_connected(jupyter, name)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        outputs = page.locator(".jp-OutputArea-output iframe")
        outputs.nth(1).wait_for(state="attached", timeout=60_000)
        frames = [outputs.nth(n).element_handle().content_frame() for n in range(outputs.count())]
        for frame in frames:
            assert frame is not None
            frame.wait_for_load_state()
        assert [line for line in failed if line.startswith("404 ")] == []
        assert [frame.url for frame in frames] == ["about:srcdoc", "about:srcdoc"]
        drawn = []
        for number, frame in enumerate(frames):
            # a page draws its graph once it is in sight (the browser holds back animation
            # frames of a frame out of sight)
            outputs.nth(number).scroll_into_view_if_needed()
            frame.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)
            assert frame.locator("#graph canvas").count() == 1
            drawn.append(frame.evaluate("apgNetwork.body.nodeIndices.length"))
        focused = select_subgraph(seed_network, focus="Oleg Khramov", depth=1)
        assert drawn == [seed_network.number_of_nodes(), focused.number_of_nodes()]
        # the page's search form works inside its sandbox
        frame.locator("#search").fill("Khramov")
        frame.locator("#search").press("Enter")
        assert frame.locator("#panel h2").text_content(timeout=10_000) == "Oleg Khramov"
    finally:
        context.close()
