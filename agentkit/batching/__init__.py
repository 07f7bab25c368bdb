"""Batch runs: one graph over many inputs (a JSONL file), each input a durable run.

``batch(graph, inputs, output, workers=..., ray=..., database=...)`` runs them in this process,
in local worker processes, or as Ray actors, writes one JSON line per input to ``output`` and
returns a ``BatchSummary``; a re-run skips what is done and resumes what is not.  The CLI's
``agentkit batch`` is a thin layer over it.
"""

from agentkit.batching.engines import MAX_WORKER_DEATHS, Engine, InlineEngine, ProcessEngine, RayEngine
from agentkit.batching.inputs import BatchItem, input_key, read_inputs, thread_for
from agentkit.batching.results import ResultsFile
from agentkit.batching.running import BatchSummary, batch
from agentkit.batching.worker import BatchWorker

__all__ = [
    # running
    "batch",
    "BatchSummary",
    # inputs and results
    "BatchItem",
    "ResultsFile",
    "input_key",
    "read_inputs",
    "thread_for",
    # engines and workers
    "BatchWorker",
    "Engine",
    "InlineEngine",
    "ProcessEngine",
    "RayEngine",
    "MAX_WORKER_DEATHS",
]
