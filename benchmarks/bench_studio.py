"""The studio in a real browser (Debian's headless Chromium): page load, and the timeline of a
200-node run rendered.

Sides, each timed in the same browser against the same server, interleaved, several rounds:
- page load: the studio's run page for a 200-node run, from navigation to its timeline drawn,
  against the page's own data alone (the same ``/api/runs/ID`` fetched by a script, no drawing);
- timeline render: the studio drawing the 200-node timeline (``document.body.dataset.timelineMs``,
  measured by the page around its render) against a bare ``<table>`` of the same 200 rows built
  with the same DOM calls (the least any page showing them must do).
Prints medians and ratios.  Needs chromium and chromium-driver (Debian) and the studio extra.

Run: .venv/bin/python benchmarks/bench_studio.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import loadavg_end_line, machine_line

N_NODES = 200

BARE_TABLE = """
const run = await (await fetch('/api/runs/' + arguments[0])).json();
const t = performance.now();
const table = document.createElement('table');
for (const n of run.nodes) {
  const tr = table.insertRow();
  for (const v of [n.node, n.kind, n.status, n.seconds, n.llm_calls, n.tokens]) tr.insertCell().textContent = String(v);
}
document.body.append(table);
table.getBoundingClientRect();  // layout, as the studio's render is followed by one
const ms = performance.now() - t;
table.remove();
return ms;
"""


def chain_spec(n: int) -> str:
    import yaml

    nodes = {f"n{i}": {"kind": "python", "function": "noop"} for i in range(n)}
    edges = [{"from": f"n{i}", "to": f"n{i + 1}"} for i in range(n - 1)]
    return yaml.safe_dump({"name": "chain", "entry": "n0", "state": {"x": {"type": "int"}}, "nodes": nodes,
                           "edges": edges, "recursion_limit": 1000}, sort_keys=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        sys.exit("bench_studio needs Debian's chromium and chromium-driver: "
                 "apt-get install -y chromium chromium-driver")
    import uvicorn
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    import agentkit
    from agentkit.runtime import Runner
    from agentkit.studio import StudioSettings, create_app

    folder = Path(tempfile.mkdtemp(prefix="bench-studio-"))
    os.environ["AGENTKIT_WORKSPACE"] = str(folder / "ws")
    agentkit.register_function("noop", lambda state: {})
    (folder / "chain.yaml").write_text(chain_spec(N_NODES))
    with Runner() as runner:
        thread = runner.start(folder / "chain.yaml", {"x": 1}).thread_id
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(StudioSettings(root=folder, port=port)), host="127.0.0.1",
                                           port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={folder / 'profile'}", "--window-size=1400,1000"):
        options.add_argument(flag)
    os.environ.setdefault("SE_OFFLINE", "true")
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    base = f"http://127.0.0.1:{port}/"
    try:
        load, data, render, bare = [], [], [], []
        for r in range(args.rounds + 1):
            driver.get("about:blank")
            started = time.perf_counter()
            driver.get(base + f"#/run/{thread}")
            WebDriverWait(driver, 60, poll_frequency=0.01).until(
                lambda d: d.execute_script("return document.body.dataset.timelineMs"))
            took = time.perf_counter() - started
            rows = driver.execute_script("return document.querySelectorAll('#timeline .tl-row').length")
            assert rows == N_NODES, rows
            drawn = float(driver.execute_script("return document.body.dataset.timelineMs"))
            started = time.perf_counter()
            driver.execute_script("return fetch('/api/runs/' + arguments[0]).then(r => r.json())", thread)
            fetched = time.perf_counter() - started
            plain = driver.execute_script(f"return (async () => {{ {BARE_TABLE} }})()", thread)
            if r:  # the first round warms up
                load.append(took * 1000)
                data.append(fetched * 1000)
                render.append(drawn)
                bare.append(float(plain))
    finally:
        driver.quit()
        server.should_exit = True
    med = {name: statistics.median(values) for name, values in
           (("load", load), ("data", data), ("render", render), ("bare", bare))}
    print(machine_line())
    print(f"bench_studio: {args.rounds} rounds, a run of {N_NODES} nodes, headless Chromium")
    print(f"{'what':<34} {'studio ms':>10} {'peer ms':>9} {'ratio':>7}")
    print(f"{'run page load -> timeline drawn':<34} {med['load']:>10.1f} {med['data']:>9.1f} "
          f"{med['load'] / med['data']:>7.2f}   (peer: fetching the page's data alone)")
    print(f"{'timeline render, 200 nodes':<34} {med['render']:>10.1f} {med['bare']:>9.1f} "
          f"{med['render'] / med['bare']:>7.2f}   (peer: a bare table of the same rows)")
    print(f"spread: load {min(load):.0f}..{max(load):.0f} ms, render {min(render):.1f}..{max(render):.1f} ms")
    print(loadavg_end_line())


if __name__ == "__main__":
    main()
