"""How long ``agentkit run --trace otlp`` takes to exit, with no collector and with one on loopback.

Each case runs the real CLI in a subprocess (a one-node graph: the calculator tool, no model),
several times, interleaved; the median wall time from start to exit is printed, and what
tracing adds over the same run untraced:
- ``untraced``: no ``--trace``;
- ``otlp, no collector``: ``OTEL_EXPORTER_OTLP_ENDPOINT`` names a loopback port nobody listens on;
- ``otlp, collector``: a small OTLP/HTTP receiver in this process (loopback) that decodes what
  it gets; the spans it received are counted, so a fast exit that lost the spans would show.

Run: .venv/bin/python benchmarks/bench_trace_exit.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import http.server
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks._common import loadavg_end_line, machine_line

GRAPH = """name: calc
entry: add
state: {a: {type: str}}
nodes:
  add: {kind: tool, tool: calculator, args: {expression: "2+3"}, output: a}
"""


def collector() -> tuple[http.server.HTTPServer, list[int]]:
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

    received: list[int] = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            request = ExportTraceServiceRequest()
            request.ParseFromString(self.rfile.read(int(self.headers["Content-Length"])))
            received.append(sum(len(s.spans) for r in request.resource_spans for s in r.scope_spans))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, received


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    agentkit = str(Path(sys.executable).with_name("agentkit"))
    server, received = collector()
    cases = {
        "untraced": ([], {}),
        "otlp, no collector": (["--trace", "otlp"], {"OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{closed_port()}"}),
        "otlp, collector": (["--trace", "otlp"], {"OTEL_EXPORTER_OTLP_ENDPOINT":
                                                  f"http://127.0.0.1:{server.server_port}"}),
    }
    print(machine_line())
    times: dict[str, list[float]] = {case: [] for case in cases}
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "calc.yaml").write_text(GRAPH)
        base = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "AGENTKIT_TRACE"))}
        base["AGENTKIT_WORKSPACE"] = folder
        for _ in range(args.rounds):
            for case, (flags, env) in cases.items():
                started = time.perf_counter()
                done = subprocess.run([agentkit, "run", "calc.yaml", *flags], cwd=folder, env={**base, **env},
                                      capture_output=True, text=True, timeout=120)
                times[case].append(time.perf_counter() - started)
                if done.returncode != 0:
                    sys.exit(f"{case}: exit {done.returncode}\n{done.stderr}")
    server.shutdown()
    untraced = statistics.median(times["untraced"])
    print(f"bench_trace_exit: {args.rounds} interleaved rounds of `agentkit run` (one tool node), median s")
    print(f"{'case':<20} {'seconds':>8} {'added':>7}  runs")
    for case, values in times.items():
        median = statistics.median(values)
        print(f"{case:<20} {median:>8.2f} {median - untraced:>+7.2f}  {', '.join(f'{v:.2f}' for v in values)}")
    print(f"spans the loopback collector received: {sum(received)} in {len(received)} request(s) "
          f"({args.rounds} runs of 3 spans: the workflow, its node, the tool call)")
    print(loadavg_end_line())


if __name__ == "__main__":
    main()
