"""Pieces of decoding that need no model: prompt-lookup drafts and the text stream."""

from __future__ import annotations

import numpy as np

from agentkit.llm.decoding import PromptLookup, _TextStream


def test_a_draft_copies_what_followed_the_last_ngram_earlier() -> None:
    history = np.array([5, 1, 2, 3, 8, 9, 10, 11, 12, 13, 7, 1, 2, 3], dtype=np.intc)
    assert PromptLookup(draft_tokens=4).draft(history, limit=10) == [8, 9, 10, 11]
    assert PromptLookup(draft_tokens=10).draft(history, limit=5) == [8, 9, 10, 11, 12]


def test_no_draft_without_a_long_enough_match_or_budget() -> None:
    history = np.array([1, 2, 3, 4, 9, 2, 3], dtype=np.intc)  # only the 2-gram (2, 3) recurs
    assert PromptLookup(min_ngram=3).draft(history, limit=10) == []
    assert PromptLookup(min_ngram=2, max_ngram=3).draft(history, limit=10) == [4, 9, 2, 3]
    repeat = np.array([1, 2, 3, 4, 5, 6, 1, 2, 3], dtype=np.intc)
    assert PromptLookup(min_draft=4).draft(repeat, limit=3) == []  # too short a draft never pays


class _Bytes:
    """Detokenizes token ids that index into a list of byte strings."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = pieces

    def detokenize(self, tokens: list[int]) -> bytes:
        return b"".join(self.pieces[t] for t in tokens)


def test_text_stream_joins_split_utf8_and_cuts_at_a_stop_string() -> None:
    pieces = [b"caf", b"\xc3", b"\xa9 ", b"EN", b"D", b" more"]
    stream = _TextStream(_Bytes(pieces), ["END"])
    out = [stream.add(t) for t in range(5)]
    assert [text for text, _ in out] == ["caf", "", "\u00e9 ", "", ""]  # "EN" is held back: it may start "END"
    assert out[-1][1] is True and stream.flush() == ""


def test_text_stream_releases_held_text_that_was_not_a_stop() -> None:
    stream = _TextStream(_Bytes([b"a", b"E", b"x"]), ["END"])
    assert stream.add(0) == ("a", False)
    assert stream.add(1) == ("", False)
    assert stream.add(2) == ("Ex", False)
    assert stream.flush() == ""
