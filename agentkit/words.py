"""Word forms: the one light stemmer that lets a question's words meet a document's, and the one
way text is cut into such words (the word index's terms, the grounding checks' content words).

Written by hand: a full stemmer (Porter, Snowball) merges words a reader keeps apart ("news"
and "new", "university" and "universe") and needs a dependency; matching questions to
passages needs only plurals and tenses to meet.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["stem", "words"]

_WORD = re.compile(r"[^\W_]+(?:[.:][0-9]+)*")


def stem(word: str) -> str:
    """``word`` (lower-case letters) with a light suffix removed: "cats" and "cat", "closed",
    "closes" and "close", "cutting" and "cut" meet."""
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed") and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "cutting" and "cut", "stopped" and "stop" meet
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]  # "close", "closed" and "closes" meet
    return word


def words(text: str, stop: Collection[str]) -> list[str]:
    """The words of ``text`` in order: lower-cased, hyphens as spaces, light suffixes removed
    (``stem``), words in ``stop`` and one-letter words dropped; numbers and codes ("e5", "12",
    "10:30") kept as written."""
    out: list[str] = []
    for word in _WORD.findall(str(text).lower().replace("-", " ")):
        if word in stop or (len(word) == 1 and not word.isdigit()):
            continue
        out.append(stem(word) if word.isalpha() else word)
    return out
