"""The studio in a real browser: Debian's headless Chromium driven by Selenium through Debian's
chromedriver (both installed by .ci/run; nothing is downloaded).  A shipped graph runs with the
scripted fake model while the page watches it live; the tests open an LLM call, fork from a node,
replay, approve a pending approval, and check that a <script> placed in a document shows as text.

Screenshots of the main views are saved under the test's tmp folder, and copied to
``$AGENTKIT_STUDIO_SCREENSHOTS`` when that is set."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from langchain_core.messages import AIMessage

import agentkit
from agentkit.cli import main
from agentkit.spec import load_spec
from agentkit.studio import StudioSettings, create_app
from agentkit.testing import ScriptedModel, isolated_registry
from tests._needs import missing
from tests._needs import module as needs_module

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
if not (CHROMIUM and CHROMEDRIVER):
    missing("the studio's browser tests need Debian's chromium and chromium-driver (.ci/run installs them: "
            "apt-get install -y chromium chromium-driver)", module=True)

webdriver = needs_module("selenium.webdriver", "dev", module_level=True)
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

# no "__" in the payload: the answer step reads passages with markdown emphasis ("__", "**") removed
XSS = '<script>window.xssRan = 1</script><img src="x" onerror="window.xssRan = 2">'
DOCUMENT = f"Kettle care. Descale the K200 kettle every month. {XSS} Use citric acid.\n"
REPLY = "Descale the K200 kettle every month [1]."
APPROVE = """
name: approve_me
description: Draft a note, then wait for a human before sending it.
entry: draft
state: {topic: {type: str}, draft: {type: str}, sent: {type: str}}
input: [topic]
nodes:
  draft: {kind: llm, description: write the draft, prompt: "Write about {topic}", output: draft}
  send: {kind: python, description: send the draft, function: send, approval: "Send this draft?", output: sent}
edges: [{from: draft, to: send}]
"""


AGENT = """
name: agent_steps
description: An agent works a sum out with the calculator.
entry: solve
state: {q: {type: str}, answer: {type: str}}
input: [q]
nodes:
  solve: {kind: agent, description: a tool loop, prompt: "Work out {q}", tools: [calculator], max_steps: 4,
          output: answer}
"""


PICTURE = """
name: picture
description: Measure an uploaded picture.
entry: size
state: {image: {type: any}, size: {type: int}}
input: [image]
nodes:
  size: {kind: python, description: the file's size in bytes, function: file_size, output: size}
"""


class SlowScripted(ScriptedModel):
    """Streams each word after a pause, so a page can watch the run while it works."""

    delay: float = 0.0

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> Any:
        if run_manager is not None and self.delay:
            original = run_manager.on_llm_new_token

            def slow(token: str, **more: Any) -> Any:
                time.sleep(self.delay)
                return original(token, **more)

            run_manager.on_llm_new_token = slow
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory):
    import uvicorn

    root = tmp_path_factory.mktemp("studio")
    patch = pytest.MonkeyPatch()
    patch.setenv("AGENTKIT_WORKSPACE", str(root / "ws"))
    patch.chdir(root)
    (root / "approve.yaml").write_text(APPROVE)
    (root / "picture.yaml").write_text(PICTURE)
    (root / "agent.yaml").write_text(AGENT)
    docs = root / "docs"
    docs.mkdir()
    (docs / "kettle.md").write_text(DOCUMENT)
    assert main(["memory", "ingest", str(docs)]) == 0  # the document the run retrieves
    registry = isolated_registry()
    registry.__enter__()
    agentkit.register_function("send", lambda state: "sent: " + state["draft"])
    agentkit.register_function("file_size", lambda state: Path(state["image"]).stat().st_size)
    model = SlowScripted(messages=itertools.cycle([AIMessage(REPLY)]), delay=0.0)
    port = _free_port()
    app = create_app(StudioSettings(root=root, port=port, model_factory=lambda name: model))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started, "the studio did not start"
    shots = root / "screenshots"
    shots.mkdir()
    yield SimpleNamespace(url=f"http://127.0.0.1:{port}/", model=model, root=root, shots=shots, state={})
    server.should_exit = True
    thread.join(15)
    registry.__exit__(None, None, None)
    patch.undo()
    copy_to = os.environ.get("AGENTKIT_STUDIO_SCREENSHOTS")
    if copy_to:
        Path(copy_to).mkdir(parents=True, exist_ok=True)
        for shot in shots.glob("*.png"):
            shutil.copy(shot, Path(copy_to) / shot.name)


@pytest.fixture(autouse=True)
def studio_workspace(studio, monkeypatch: pytest.MonkeyPatch) -> None:
    """The studio's runs (in its threads) read memory from the module's workspace, not a test's own."""
    monkeypatch.setenv("AGENTKIT_WORKSPACE", str(studio.root / "ws"))


@pytest.fixture(scope="module")
def browser(studio, tmp_path_factory: pytest.TempPathFactory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download anything
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def _wait(driver: Any, condition: Any, timeout: float = 30, message: str = "") -> Any:
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException

    try:  # the page redraws as events arrive: an element found may be replaced before it is read
        return WebDriverWait(driver, timeout, poll_frequency=0.05,
                             ignored_exceptions=(StaleElementReferenceException,)).until(condition, message)
    except TimeoutException:  # say what the page showed
        text = driver.execute_script("return document.body.innerText")[:3000]
        logs = driver.get_log("browser")
        raise AssertionError(f"{message or condition}: the page shows:\n{text}\nconsole: {logs}") from None


def _css(driver: Any, selector: str, timeout: float = 30) -> Any:
    return _wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, selector), timeout, f"no {selector}")


def _shot(studio: Any, driver: Any, name: str) -> None:
    driver.save_screenshot(str(studio.shots / f"{name}.png"))


def _status(driver: Any) -> str:
    return driver.execute_script("return document.body.dataset.runStatus || ''")


def test_graphs_are_listed_and_drawn_with_subgraphs_expandable(studio, browser) -> None:
    browser.get(studio.url + "#/graphs")
    rows = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#graphs tbody tr"))
    names = [row.find_element(By.CSS_SELECTOR, "td").text for row in rows]
    assert {"assistant", "rag_qa", "approve_me"} <= set(names)
    _shot(studio, browser, "01-graphs")
    browser.get(studio.url + "#/graph/shipped/assistant")
    node = _css(browser, 'svg.diagram g[data-node="documents"]')
    shipped = len(load_spec("assistant").nodes)
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.diagram g.node")) == shipped + 2  # nodes, start, end
    node.click()
    panel = _css(browser, ".node-panel h3")
    assert panel.text.startswith("documents")
    assert '"graph": "rag_qa"' in browser.find_element(By.CSS_SELECTOR, ".node-panel pre.settings").text
    browser.find_element(By.CSS_SELECTOR, 'button[data-subgraph="documents"]').click()
    nested = _css(browser, '.subgraph-box[data-parent-node="documents"] svg g[data-node="retrieve"]')
    nested.click()
    _wait(browser, lambda d: "retrieve" in d.find_elements(By.CSS_SELECTOR, ".subgraph-box .node-panel h3")[0].text)
    _shot(studio, browser, "02-graph-with-subgraph-expanded")


def test_a_shipped_graph_runs_live_and_its_llm_call_shows_the_document_as_text(studio, browser) -> None:
    studio.model.delay = 0.5  # each word of the reply half a second apart: time to watch
    browser.get(studio.url + "#/start/shipped/rag_qa")
    _css(browser, "#in-question").send_keys("How often should I descale the kettle?")
    _shot(studio, browser, "03-start-form")
    browser.find_element(By.CSS_SELECTOR, "#start-run").click()
    _wait(browser, lambda d: "#/run/" in d.current_url)
    thread = browser.current_url.rsplit("/", 1)[-1]
    studio.state["rag_thread"] = thread
    # live: tokens arrive while the run is still running
    _wait(browser, lambda d: "Descale" in d.find_element(By.ID, "live-output").text, 30, "no live tokens")
    assert _status(browser) == "running"
    _shot(studio, browser, "04-run-live")
    _wait(browser, lambda d: _status(d) == "done", 60, "the run did not finish")
    studio.model.delay = 0.0
    rows = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .tl-row[data-depth='0']"))
    assert [r.get_attribute("data-node") for r in rows] == ["retrieve", "answer"]
    assert REPLY.split()[0] in browser.find_element(By.ID, "live-output").text
    _shot(studio, browser, "05-run-timeline")
    browser.find_element(By.CSS_SELECTOR, '.tl-step[data-owner="answer"] a.call-chip').click()
    _css(browser, "#call-facts")
    prompt = browser.find_element(By.CSS_SELECTOR, ".message.role-human .content").text
    assert XSS in prompt  # the markup is shown, as text
    assert "How often should I descale the kettle?" in prompt
    assert browser.find_element(By.CSS_SELECTOR, "#reply .content").text == REPLY
    assert browser.execute_script("return window.xssRan") is None  # and never ran
    assert browser.execute_script("return document.scripts.length") == 1  # only the studio's own
    assert browser.execute_script("return document.querySelectorAll('img[src=\"x\"]').length") == 0
    _shot(studio, browser, "06-llm-call")


def test_checkpoints_show_each_step_with_its_diff(studio, browser) -> None:
    thread = studio.state["rag_thread"]
    browser.get(studio.url + f"#/run/{thread}/checkpoints")
    steps = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#checkpoints li"))
    assert len(steps) >= 4
    steps[2].click()  # after retrieve: the passages arrived
    detail = _css(browser, "#checkpoint-detail")
    _wait(browser, lambda d: "after retrieve" in d.find_element(By.ID, "checkpoint-detail").text)
    diff = detail.find_element(By.CSS_SELECTOR, "table.diff").text
    assert "passages" in diff and "added" in diff and "<script>window.xssRan = 1</script>" in diff  # JSON: as text
    assert browser.execute_script("return window.xssRan") is None
    _shot(studio, browser, "07-checkpoints-diff")


def test_fork_from_a_node_and_replay(studio, browser) -> None:
    thread = studio.state["rag_thread"]
    browser.get(studio.url + f"#/run/{thread}")
    _css(browser, '#timeline .tl-row[data-node="retrieve"] button[data-fork="retrieve"]').click()
    _wait(browser, lambda d: "#/run/" in d.current_url and not d.current_url.endswith(thread))
    _wait(browser, lambda d: _status(d) == "done", 60, "the fork did not finish")
    rows = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .tl-row[data-depth='0']"))
    assert [r.get_attribute("data-node") for r in rows] == ["answer"]  # only what follows retrieve
    facts = browser.find_element(By.CSS_SELECTOR, "dl.facts").text
    assert f"forked from\n{thread} after retrieve" in facts
    _shot(studio, browser, "08-fork")
    browser.get(studio.url + f"#/run/{thread}")
    _css(browser, "#replay").click()
    _wait(browser, lambda d: not d.current_url.endswith(thread))
    _wait(browser, lambda d: _status(d) == "done", 60, "the replay did not finish")
    assert "replay of" in browser.find_element(By.CSS_SELECTOR, "dl.facts").text


def test_a_pending_approval_is_approved_from_the_page(studio, browser) -> None:
    browser.get(studio.url + "#/start/workspace/approve.yaml")
    _css(browser, "#in-topic").send_keys("kettles")
    browser.find_element(By.CSS_SELECTOR, "#start-run").click()
    _wait(browser, lambda d: _status(d) == "awaiting_approval", 60, "the run did not wait for approval")
    approve = _css(browser, "#approve-send")
    assert "Send this draft?" in browser.find_element(By.CSS_SELECTOR, ".approval").text
    _shot(studio, browser, "09-approval")
    approve.click()
    _wait(browser, lambda d: _status(d) == "done", 60, "the approved run did not finish")
    rows = browser.find_elements(By.CSS_SELECTOR, "#timeline .tl-row[data-node]")  # nodes, not their steps
    nodes = [r.get_attribute("data-node") for r in rows]
    assert nodes == ["draft", "send"]


def test_runs_are_listed_and_filtered(studio, browser) -> None:
    browser.get(studio.url + "#/runs")
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#runs tbody tr")) >= 4)
    Select(browser.find_element(By.ID, "filter-graph")).select_by_value("approve_me")
    _wait(browser, lambda d: all("approve_me" in r.text for r in d.find_elements(By.CSS_SELECTOR, "#runs tbody tr")))
    Select(browser.find_element(By.ID, "filter-graph")).select_by_value("")
    Select(browser.find_element(By.ID, "filter-status")).select_by_value("done")
    _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#runs tbody tr") and all(
        "done" in r.text for r in d.find_elements(By.CSS_SELECTOR, "#runs tbody tr")))
    Select(browser.find_element(By.ID, "filter-status")).select_by_value("")
    _wait(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#runs tbody tr")) >= 4)
    _shot(studio, browser, "10-runs")
    logs = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert not logs, logs  # no script error, no refused resource, on any page


def test_an_image_is_uploaded_from_the_start_form(studio, browser, tmp_path: Path) -> None:
    from PIL import Image

    picture = tmp_path / "photo.png"
    Image.new("RGB", (40, 30), "teal").save(picture)
    browser.get(studio.url + "#/start/shipped/assistant")  # a shipped graph's form: a question and a picture
    _css(browser, "#in-question")
    assert browser.find_element(By.CSS_SELECTOR, "#in-image").get_attribute("type") == "file"
    _shot(studio, browser, "11-start-form-with-image")
    browser.get(studio.url + "#/start/workspace/picture.yaml")
    _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "main h1").text == "Run picture")  # not the last form
    _css(browser, "#in-image").send_keys(str(picture))
    browser.find_element(By.CSS_SELECTOR, "#start-run").click()
    _wait(browser, lambda d: _status(d) == "done", 60, "the picture run did not finish")
    uploaded = list((studio.root / "ws" / "uploads").glob("*-photo.png"))
    assert len(uploaded) == 1 and uploaded[0].read_bytes() == picture.read_bytes()  # inside the workspace
    browser.get(browser.current_url + "/checkpoints")
    expected = ["size", "added", str(picture.stat().st_size)]  # the graph read the uploaded file
    _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "table.diff tbody tr").text.split() == expected)


def test_evaluation_reports_are_shown_side_by_side(studio, browser) -> None:
    import json

    folder = studio.root / "ws" / "evals"
    folder.mkdir(parents=True, exist_ok=True)
    for name, results in (("before.json", [True, False]), ("after.json", [True, True])):
        (folder / name).write_text(json.dumps({"cases": [{"id": f"q{i}", "passed": ok} for i, ok in
                                                         enumerate(results, 1)]}))
    browser.get(studio.url + "#/evals")
    table = _css(browser, "section.card table.list")
    assert "before.json" in table.text and "after.json" in table.text
    cells = [c.text for c in table.find_elements(By.CSS_SELECTOR, "tbody td")]
    assert cells[:3] == ["q1", "pass", "pass"] and sorted(cells[3:]) == ["fail", "pass", "q2"]
    _shot(studio, browser, "12-evaluations")


def test_an_agents_llm_and_tool_calls_are_nested_under_its_node_in_the_timeline(studio, browser) -> None:
    """The tool loop in order, one level under the agent node: call, tool, call, refused tool, call."""
    def call(expression: str, n: int) -> AIMessage:
        return AIMessage("", tool_calls=[{"name": "calculator", "args": {"expression": expression}, "id": f"c{n}"}])

    studio.model.messages = itertools.chain([call("6*7", 1), call("6*", 2), AIMessage("It is 42.")],
                                            itertools.cycle([AIMessage(REPLY)]))
    browser.get(studio.url + "#/start/workspace/agent.yaml")
    _wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "main h1").text == "Run agent_steps")
    _css(browser, "#in-q").send_keys("six sevens")
    browser.find_element(By.CSS_SELECTOR, "#start-run").click()
    _wait(browser, lambda d: "#/run/" in d.current_url)
    _wait(browser, lambda d: _status(d) == "done", 60, "the agent run did not finish")
    rows = _wait(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#timeline .tl-row"))
    shape = [(r.get_attribute("data-node") or r.get_attribute("data-step"), r.get_attribute("data-depth"),
              r.get_attribute("data-owner")) for r in rows]
    assert shape == [("solve", "0", None),
                     ("llm", "1", "solve"), ("tool", "1", "solve"),
                     ("llm", "1", "solve"), ("tool", "1", "solve"),
                     ("llm", "1", "solve")]
    tools = browser.find_elements(By.CSS_SELECTOR, '#timeline .tl-step[data-step="tool"]')
    assert [t.get_attribute("data-tool") for t in tools] == ["calculator", "calculator"]
    assert "row-ok" in tools[0].get_attribute("class") and "row-error" in tools[1].get_attribute("class")
    tools[0].find_element(By.CSS_SELECTOR, "summary").click()
    assert tools[0].find_element(By.CSS_SELECTOR, "pre.args").text == '{"expression": "6*7"}'
    assert tools[0].find_element(By.CSS_SELECTOR, "pre.output").text == "42"
    tools[1].find_element(By.CSS_SELECTOR, "summary").click()
    assert "not an arithmetic expression" in tools[1].find_element(By.CSS_SELECTOR, "pre.output").text
    # each step's bar starts where the step did: inside the node's bar, in order
    lefts = browser.execute_script(
        "return [...document.querySelectorAll('#timeline .tl-row .bar')].map((b) => parseFloat(b.dataset.left))")
    assert lefts[1:] == sorted(lefts[1:]) and lefts[0] <= lefts[1]
    _shot(studio, browser, "13-agent-steps-nested")
    llm_calls = browser.find_elements(By.CSS_SELECTOR, '#timeline .tl-step[data-step="llm"] a.call-chip')
    assert "calls calculator" in llm_calls[0].text
    llm_calls[2].click()
    _css(browser, "#call-facts")
    assert browser.find_element(By.CSS_SELECTOR, "#reply .content").text == "It is 42."
