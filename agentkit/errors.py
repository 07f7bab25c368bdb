"""The agentkit error families.

``AgentkitError`` is the root.  Errors caused by what a user wrote or asked for
(an unknown model name, a broken file, a prompt too long for the context) derive
from ``UserError`` as well: the CLI prints their message without a traceback.
Each message says where the problem is and what would be valid.

Errors raised while a chat model is constructed deliberately do not derive from
``ValueError``: pydantic would wrap those in a ``ValidationError``.
"""

from __future__ import annotations

__all__ = [
    "AgentkitError",
    "UserError",
    "ModelNotFoundError",
    "ModelPackageMissingError",
    "ModelFileError",
    "ModelIntegrityError",
    "ContextSizeError",
    "ContextOverflowError",
    "ToolSchemaError",
    "ModelOutputError",
    "ToolCallTruncatedError",
    # reading user files, opening stores
    "UserFileError",
    "NotRegularFileError",
    "FileOutsideRootsError",
    "FileTooLargeError",
    "MemoryStoreDamagedError",
]


class AgentkitError(Exception):
    """Base class of every error agentkit raises on purpose."""


class UserError(AgentkitError):
    """A mistake in what the user asked for; shown without a traceback."""


class ModelNotFoundError(UserError, LookupError):
    """A model name that is neither a known model nor a path to a ``.gguf`` file."""


class ModelPackageMissingError(UserError):
    """A known model whose weights package is not installed."""


class ModelFileError(UserError):
    """A model file that is missing, truncated or not GGUF."""


class ModelIntegrityError(AgentkitError):
    """Assembled weights whose sha256 differs from the registry's."""


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


class ModelOutputError(AgentkitError):
    """The model produced output that cannot be used (e.g. cut off mid tool call)."""


class ToolCallTruncatedError(ModelOutputError):
    """The reply hit ``max_tokens`` in the middle of a tool call or structured output."""


# -- Reading user files and opening stores ------------------------------------------
# Added with the hardening of issue 16 (agentkit.files, agentkit.memory.store); kept
# together here until the error families are regrouped.

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


class MemoryStoreDamagedError(UserError):
    """An embedded memory store that Chroma cannot read (damaged, not a Chroma store, or a
    file where its folder should be); agentkit leaves it as it is and says how to recover."""
