"""Every exception agentkit raises on purpose, grouped by what the caller should do.

``AgentkitError`` is the root.  Under it, four families:

- ``UserError`` -- a mistake in what was written or asked (a spec, an input, a model
  name, a file): fix it and try again.  The CLI prints the message (exit status 2,
  no traceback); a node's ``retry:`` never retries it; a tool call a model makes
  that fails this way comes back to the model as the tool's result.
- ``RunStopped`` -- a run ended by a rule, not by a fault: a budget crossed, an
  approval rejected.  The run keeps its checkpoint; ``retry:`` never retries it.
- ``TransientError`` -- a fault that may pass by itself: a server that cannot be
  reached, a database another process holds.  ``retry:`` retries it; the CLI says
  so, without a traceback.
- ``RunFault`` -- something failed while a run worked (a node ran past its timeout,
  the model's output cannot be used, a replay asked something never recorded).
  ``retry:`` retries it.

Tools refuse a call with ``ToolError`` (a langchain-core ``ToolException``): an
``agent`` or ``plan_execute`` node hands the message back to its model.

Each message says where the problem is and what would be valid.  Errors raised
while a chat model is constructed deliberately do not derive from ``ValueError``:
pydantic would wrap those in a ``ValidationError``.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.tools import ToolException

__all__ = [
    # families
    "AgentkitError",
    "UserError",
    "RunStopped",
    "TransientError",
    "RunFault",
    "ToolError",
    # specs and graphs
    "SpecIssue",
    "SpecError",
    "GraphBuildError",
    "ExpressionError",
    "InputError",
    "MissingExtraError",
    # models
    "ModelNotFoundError",
    "ModelPackageMissingError",
    "ModelFileError",
    "ModelIntegrityError",
    "ContextSizeError",
    "ContextOverflowError",
    "ToolSchemaError",
    "ModelOutputError",
    "ToolCallTruncatedError",
    "ModelServerError",
    "ModelServerUnreachableError",
    # runs
    "UnknownRunError",
    "IncompatibleSpecError",
    "RunInUseError",
    "RunDatabaseError",
    "DatabaseLockedError",
    "DatabaseUnreachableError",
    "BudgetExceededError",
    "ApprovalRejectedError",
    "NodeTimeoutError",
    "ReplayMissError",
    # user files
    "UserFileError",
    "NotRegularFileError",
    "FileOutsideRootsError",
    "FileTooLargeError",
    # media and charts
    "MediaError",
    "MediaAccessError",
    "ChartError",
    # evaluation
    "DatasetError",
    "EvalInterrupted",
    # memory
    "COLLECTION_NAME_RULE",
    "MemoryStoreError",
    "MemoryStoreDamagedError",
    "InvalidCollectionNameError",
    "CollectionNotFoundError",
    "MemoryLockedError",
    "MemoryServerError",
    # MCP servers
    "McpServerError",
    "McpTimeoutError",
]


class AgentkitError(Exception):
    """Base class of every error agentkit raises on purpose."""


# -- the four families -------------------------------------------------------------------


class UserError(AgentkitError):
    """A mistake in what was written or asked; fix it and try again (shown without a traceback)."""


class RunStopped(AgentkitError):
    """A run ended by one of its rules (a budget, a rejection); its checkpoint stays."""


class TransientError(AgentkitError):
    """A fault that may pass (a server unreachable, a database busy): ``retry:`` retries it."""


class RunFault(AgentkitError, RuntimeError):
    """A failure while a run worked (a timeout, unusable model output): ``retry:`` retries it."""


class ToolError(AgentkitError, ToolException):
    """A tool refusing a call; the message goes back to the model that made it."""


# -- specs and graphs ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class SpecIssue:
    """One problem in a spec: where (field path, line) and what would be valid."""

    path: str
    line: int | None
    message: str

    def format(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.path or '(top level)'}: {self.message}"


class SpecError(UserError):
    """A spec that cannot be loaded or built; ``issues`` lists every problem found."""

    def __init__(self, issues: list[SpecIssue], source: str) -> None:
        self.issues = issues
        self.source = source
        noun = "problem" if len(issues) == 1 else "problems"
        super().__init__(f"{len(issues)} {noun} in {source}:\n" + "\n".join(
            "  " + issue.format(source) for issue in issues))


class GraphBuildError(UserError):
    """A node that cannot be built (an unknown tool or function, a subgraph cycle).

    ``key`` names the node's key that caused it, so the compiler can locate it."""

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class ExpressionError(UserError):
    """A router expression outside the allowed subset, or one that failed on the state."""


class InputError(UserError, ValueError):
    """Run inputs that do not fit the graph (a missing input, a value of the wrong kind)."""


class MissingExtraError(UserError, ImportError):
    """A feature whose optional dependencies are not installed; names the ``pip install``."""


# -- models --------------------------------------------------------------------------------


class ModelNotFoundError(UserError, LookupError):
    """A model name that is neither a known model nor a path to a ``.gguf`` file."""


class ModelPackageMissingError(UserError):
    """A known model whose weights package is not installed."""


class ModelFileError(UserError):
    """A model file that is missing, truncated or not GGUF."""


class ModelIntegrityError(UserError):
    """Assembled weights whose sha256 differs from the registry's (reinstall the package)."""


class ContextSizeError(UserError):
    """A context size the model or the machine cannot hold."""


class ContextOverflowError(UserError, ValueError):
    """A prompt (plus the tokens reserved for the reply) longer than the context window."""

    def __init__(self, message: str, *, prompt_tokens: int, n_ctx: int, reserved: int) -> None:
        super().__init__(message)
        self.prompt_tokens = prompt_tokens
        self.n_ctx = n_ctx
        self.reserved = reserved


class ToolSchemaError(UserError, ValueError):
    """A tool or output schema that cannot be turned into a decoding grammar."""


class ModelOutputError(RunFault):
    """The model produced output that cannot be used (e.g. cut off mid tool call)."""


class ModelServerError(UserError):
    """A model server (OpenAI-compatible) that refused a request: its status and message."""


class ModelServerUnreachableError(TransientError):
    """A model server (OpenAI-compatible) that cannot be reached: start it, or wait and try again."""


class ToolCallTruncatedError(ModelOutputError):
    """The reply hit ``max_tokens`` in the middle of a tool call or structured output."""


# -- runs ----------------------------------------------------------------------------------


class UnknownRunError(UserError, LookupError):
    """No run with that thread id in this database."""


class IncompatibleSpecError(UserError):
    """The graph file changed in a way its stored checkpoints cannot follow."""


class RunInUseError(UserError):
    """The run is being driven by another live process (wait for it, or stop it first)."""


class RunDatabaseError(UserError):
    """The run database cannot be used: damaged, or not a database."""


class DatabaseLockedError(TransientError):
    """The run database is held by another process for longer than the wait allowed."""


class DatabaseUnreachableError(TransientError):
    """The run database's server (PostgreSQL) cannot be reached: start it, or wait and try again."""


class BudgetExceededError(RunStopped):
    """A run or node went past one of its limits; the run stopped at a resumable checkpoint."""

    def __init__(self, message: str, *, limit: str, node: str | None, value: float, used: float) -> None:
        super().__init__(message)
        self.limit = limit  # "llm_calls" | "tokens" | "seconds"
        self.node = node  # None: the whole run's limit
        self.value = value
        self.used = used


class ApprovalRejectedError(RunStopped):
    """A human rejected a node that needed approval; the run ended before it."""

    def __init__(self, node: str, reason: str = "") -> None:
        super().__init__(f"node {node!r} was rejected" + (f": {reason}" if reason else ""))
        self.node = node
        self.reason = reason


class NodeTimeoutError(RunFault, TimeoutError):
    """A node ran past its ``timeout_s``."""


class ReplayMissError(RunFault):
    """A replayed run asked the model something the recorded run never asked."""


# -- user files ----------------------------------------------------------------------------


class UserFileError(UserError):
    """A file that a user, a spec or a model named and that agentkit will not read:
    missing, not a regular file, a symbolic-link loop, outside the allowed folders, too large.

    ``path`` is the name as given; ``reason`` says what is wrong with it without the name
    (for listings that show the name already); the message says both."""

    def __init__(self, message: str, *, path: str, reason: str) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason


class NotRegularFileError(UserFileError):
    """A character or block device, a fifo, a socket or a folder where a regular file is read."""


class FileOutsideRootsError(UserFileError):
    """A file whose real location (links followed, as opened) is outside the allowed folders;
    ``real_path`` is where it really is, ``roots`` the folders allowed."""

    def __init__(self, message: str, *, path: str, reason: str, real_path: str, roots: tuple[str, ...]) -> None:
        super().__init__(message, path=path, reason=reason)
        self.real_path = real_path
        self.roots = roots


class FileTooLargeError(UserFileError):
    """A file larger than the reader's limit (checked before reading and while reading)."""


# -- media and charts ----------------------------------------------------------------------


class MediaError(UserError, ValueError):
    """An audio or video file that cannot be used: missing, not an allowed format, named for
    another format, over a duration, resolution or size cap, truncated or corrupt."""


class MediaAccessError(MediaError, PermissionError):
    """A media path outside the allowed folders (the same roots as images)."""


class ChartError(UserError, ValueError):
    """A chart spec that cannot be drawn (values that do not fit its labels, a pie with
    negative slices) or whose values are not in the data it was made from."""


# -- evaluation ----------------------------------------------------------------------------


class DatasetError(UserError):
    """An evaluation dataset that cannot be run as written: every problem found, each at its
    line (``problems``: ``(line or None, message)``), before any case runs."""

    def __init__(self, source: str, problems: list[tuple[int | None, str]]) -> None:
        self.source = source
        self.problems = problems
        where = [f"{source}:{line}: {message}" if line else f"{source}: {message}" for line, message in problems]
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"dataset {source}: {count}; nothing was run\n  " + "\n  ".join(where))


class EvalInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped an evaluation between or inside its cases.  ``report`` (an
    ``agentkit.evaluation.EvalReport``, marked ``interrupted``) holds the cases that finished;
    still a ``KeyboardInterrupt``, so code that does not look for it stops as before."""

    def __init__(self, report: object) -> None:
        self.report = report
        super().__init__("evaluation interrupted")


# -- memory --------------------------------------------------------------------------------

# Chroma's own rule (chromadb.api.segment.check_index_name), which both the
# embedded store and the server enforce.
COLLECTION_NAME_RULE = ("3-63 characters; starts and ends with a letter or digit; otherwise only letters, "
                        "digits, '.', '_' and '-'; no '..'; not an IPv4 address")


class MemoryStoreError(AgentkitError):
    """Base class of the memory store's errors."""


class MemoryStoreDamagedError(MemoryStoreError, UserError):
    """An embedded memory store that Chroma cannot read (damaged, not a Chroma store, or a
    file where its folder should be); agentkit leaves it as it is and says how to recover."""


class InvalidCollectionNameError(MemoryStoreError, UserError):
    """A collection name Chroma would refuse."""


class CollectionNotFoundError(MemoryStoreError, UserError, LookupError):
    """A query or drop of a collection that does not exist."""


class MemoryLockedError(MemoryStoreError, TransientError):
    """Another process is writing to the same embedded store."""


class MemoryServerError(MemoryStoreError, TransientError):
    """The Chroma server cannot be reached (or answered with an error)."""


# -- MCP servers ---------------------------------------------------------------------------


class McpServerError(TransientError):
    """An MCP server that cannot be started or reached, or that stopped in the middle of a call
    (``retry:`` retries; the next call starts the server again).  ``server`` names it."""

    def __init__(self, message: str, *, server: str) -> None:
        super().__init__(message)
        self.server = server


class McpTimeoutError(McpServerError):
    """An MCP tool call that ran past its ``timeout_s`` (the request is cancelled)."""
