"""The paraphrase retrieval set under benchmarks/data cannot rot silently: every question
points at a real passage, is worded unlike it, and recall is computed as documented."""

from __future__ import annotations

import re

import pytest

from agentkit.memory.ingest import read_pages
from benchmarks.bench_memory_recall import (
    CORPUS,
    Chunk,
    Question,
    answers,
    load_questions,
    recall_at_k,
)

STOPWORDS = set(["a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "do", "does", "did", "i", "my", "me", "we", "you", "your", "it", "its", "at", "by", "with", "from", "this", "that", "what", "which", "who", "how", "when", "where", "why", "can", "should", "must", "there", "their", "they", "them", "up", "as", "get", "got", "into", "out", "than", "then", "so"])  # noqa: E501 (data)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS}


def test_the_set_has_enough_distinct_questions_over_every_document() -> None:
    questions = load_questions()
    assert len(questions) >= 40
    assert len({q.id for q in questions}) == len(questions)
    assert len({q.question for q in questions}) == len(questions)
    assert {q.source for q in questions} == {p.name for p in CORPUS.iterdir()}


def test_each_evidence_is_verbatim_in_its_source_exactly_once() -> None:
    texts = {p.name: " ".join(" ".join(page.text for page in read_pages(p)).split()) for p in CORPUS.iterdir()}
    for q in load_questions():
        assert texts[q.source].count(" ".join(q.evidence.split())) == 1, q.id


def test_questions_are_worded_unlike_their_evidence() -> None:
    for q in load_questions():
        asked, evidence = _words(q.question), _words(q.evidence)
        shared = asked & evidence
        assert len(shared) <= 2 and len(shared) < len(asked) / 2, (q.id, sorted(shared))


def test_recall_at_k_counts_a_question_found_when_an_answering_chunk_ranks_within_k() -> None:
    q1 = Question(id="a", question="?", source="doc.md", evidence="the  answer")
    q2 = Question(id="b", question="?", source="other.md", evidence="fact")
    right = Chunk(source="corpus/doc.md", text="here is the answer.")
    wrong_source = Chunk(source="corpus/else.md", text="the answer")
    noise = Chunk(source="corpus/other.md", text="nothing")
    assert answers(right, q1) and not answers(wrong_source, q1)
    rankings = [[noise, wrong_source, right], [noise, noise, noise]]
    assert recall_at_k(rankings, [q1, q2], 3) == 0.5
    assert recall_at_k(rankings, [q1, q2], 2) == 0.0
    with pytest.raises(ValueError):
        recall_at_k(rankings, [q1], 3)
