"""Word forms: the one light stemmer that lets a question's words meet a document's.

Written by hand: a full stemmer (Porter, Snowball) merges words a reader keeps apart ("news"
and "new", "university" and "universe") and needs a dependency; matching questions to
passages needs only plurals and tenses to meet.
"""

from __future__ import annotations

__all__ = ["stem"]


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
