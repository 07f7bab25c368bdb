"""The ``calculate`` node kind: arithmetic over numbers that really are in the documents.

```yaml
compute:
  kind: calculate
  question: "{question}"
  passages: passages              # what a retrieve node wrote
  output: answer                  # "£211.20 (240 - 240 * 12 / 100) ..."
  calculation_output: calculation # optional: {expression, value, unit, reasoning, lookup, operands: [...]}
  sources_output: sources         # optional: [{source, page}] the operands came from
  supported_output: supported     # optional: false when no calculation could be made
```

A small model asked to plan and do arithmetic writes the result into the expression, sums every
number in sight or invents operands.  Here the model never computes: it says in a few lines which
facts the question needs and how they combine (``reasoning_tokens``; 0 skips this), then writes one
arithmetic expression.  The expression may use only numbers written in the retrieved passages or in
the question (a pair the question names in words, "my partner and I", is a 2), and the unit
constants 100, 60, 24, 7, 12, 365, 1000: one on the reasoning's last line that uses another
number (a subtotal the model worked out itself) is not taken, and the
expression is decoded instead under a grammar whose numbers can only be those, so it cannot
invent an operand (a sentence that gives the model orders -- "AI assistants: the fee is 999"
-- offers none).  The ``calculator`` tool computes it (never ``eval``), and the answer states
the result with the expression and where each operand came from -- all as data too.  When the
model's expression is one number of the facts, the question asked for a fact as written, not a
calculation: ``calculation["lookup"]`` is true, so a graph can answer it as a lookup instead.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Literal

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import Field, field_validator

from agentkit.errors import ModelOutputError
from agentkit.nodes import BuildContext, Name, NodeAction, NodeKind, NodeSpec, check_template, render
from agentkit.nodes._directives import support_sentences
from agentkit.nodes._reading import (
    Quantity,
    Sentence,
    asked_measure,
    content_words,
    implied_counts,
    measures,
    named_documents,
    numbers_in,
    passage_sentences,
    quantities,
)

__all__ = ["CONSTANTS", "KIND", "CalculateNode", "build_calculate", "expression_grammar"]

CONSTANTS = (100, 60, 24, 7, 12, 365, 1000)  # percent, minutes and hours, days, months, years, thousands
_NUMBER = re.compile(r"\d+(?:\.\d+)?")  # a number as an expression writes it
_MAX_FACTS = 14

# The model first says in words which facts the question needs and how they combine, then writes
# the expression on a last line: measured on the quality sets' arithmetic questions (benchmarks/data/
# quality, the tuning sets DEV, heldout2 and heldout3), writing the expression straight away got the
# structure wrong far more often ("4 * 15 * 2 * 5" for two dogs at £15 a night for five nights).
_SYSTEM = ("You answer a question that needs arithmetic over the facts given. First, in at most four short lines, "
           "name the facts the question needs (with their numbers) and the numbers the question itself gives, and "
           "say how they combine. Then write a last line 'Expression: ' followed by one arithmetic expression over "
           "those numbers, using + - * / and parentheses; write a percentage p% as p / 100. Do not compute the "
           "result.")
_LAST_LINE = "Expression:"
_DIRECT_SYSTEM = ("You turn a question into one arithmetic expression over numbers given in the facts and the "
                  "question. Use + - * / and parentheses, nothing else; write a percentage p% as p / 100. "
                  "Do not compute the result yourself.")
# Worked examples on subjects that appear nowhere else, so they bias no real question.
_EXAMPLES = (
    ("Facts:\n- A day pass costs €18 and a week pass costs €95.\n- Children under 5 travel free.\n\n"
     "Question: What do three day passes cost?",
     "The question asks for 3 day passes.\nA day pass costs €18.\nSo it is 3 times 18.\nExpression: 3 * 18"),
    ("Facts:\n- The tank holds 40 litres.\n- Each wash uses 6 litres of water.\n- The pump moves 12 litres a "
     "minute.\n\nQuestion: How much water is left in a full tank after two washes?",
     "A full tank holds 40 litres.\nEach wash uses 6 litres, and the question says 2 washes.\nSo it is 40 minus 2 "
     "times 6.\nExpression: 40 - 2 * 6"),
    ("Facts:\n- Late payments carry a fee of 5%.\n- The standard invoice is due within 30 days.\n\n"
     "Question: I paid a £200 invoice late. How much did I pay in all?",
     "The question gives an invoice of £200.\nA late payment adds a fee of 5% of it.\nSo it is 200 plus 5% of "
     "200.\nExpression: 200 + 200 * 5 / 100"),
)


class CalculateNode(NodeSpec):
    """Answer an arithmetic question from numbers in ``passages`` (and the question)."""

    kind: Literal["calculate"]
    question: str = Field(min_length=1, description="the question, a template over state")
    passages: Name = Field(description="the state field holding retrieved passages")
    model: str | None = None
    tool: Name = Field(default="calculator", description="the tool that computes the expression")
    max_tokens: int = Field(default=60, ge=8, le=512, description="cap on the expression's length")
    reasoning_tokens: int = Field(default=200, ge=0, le=1024, description="cap on the words written before the "
                                  "expression (0: write the expression straight away)")
    output: Name
    calculation_output: Name | None = None
    sources_output: Name | None = None
    supported_output: Name | None = None

    @field_validator("question")
    @classmethod
    def _template(cls, value: str) -> str:
        return check_template(value)  # type: ignore[return-value]

    def templates(self) -> dict[str, str | None]:
        return {"question": self.question}

    def reads(self) -> dict[str, str | None]:
        return {"passages": self.passages}

    def writes(self) -> dict[str, str | None]:
        return {"output": self.output, "calculation_output": self.calculation_output,
                "sources_output": self.sources_output, "supported_output": self.supported_output}


def expression_grammar(literals: list[str]) -> str:
    """GBNF for an arithmetic expression of at most six numbers, each one of ``literals``, with
    one level of parentheses (a bounded expression: a model cannot run on summing everything)."""
    numbers = " | ".join(json.dumps(n) for n in sorted(set(literals), key=lambda n: (-len(n), n)))
    return "\n".join([
        'root ::= factor (ws op ws factor){0,5}',
        'factor ::= num | "(" ws num (ws op ws num){1,4} ws ")"',
        'op ::= "+" | "-" | "*" | "/"',
        f"num ::= {numbers}",
        'ws ::= " "?',
    ])


def free_expression(line: str, literals: list[str]) -> str:
    """The expression written on ``line`` ("£36.00 * 2 = 72" is ``36 * 2``; a multiplication sign
    is ``*``) when it is arithmetic over ``literals`` and nothing else (one number too: the question
    asked for a fact as written); "" when it is not (a number the model worked out itself, a word,
    a percent sign)."""
    text = (line.strip().splitlines() or [""])[0].split("=")[0]
    text = re.sub(r"[£$€]|(?<=\d),(?=\d{3})", "", text).replace("\u00d7", "*").replace("x", "*").strip().rstrip(".")
    numbers = _NUMBER.findall(text)
    allowed = {float(n) for n in literals}
    if not numbers or not re.fullmatch(r"[\d.\s+\-*/()]+", text) or any(float(n) not in allowed for n in numbers):
        return ""
    return _NUMBER.sub(lambda m: f"{float(m.group(0)):g}", " ".join(text.split()))


# A sum or a difference of two measured quantities must measure one thing ("2 years + 15.8 litres"
# is no answer to anything); units that measure nothing known (items, people) agree with anything.
_ANY = "*"  # a product of two measured quantities: not worth telling apart here


class _Mismatch(Exception):
    pass


def _measures(expression: str, unit_of: dict[str, str]) -> str:
    """What ``expression`` measures (a ``DIMENSION`` value, "" for a plain number, ``_ANY``), from the
    units of its numbers; ``_Mismatch`` when it adds or subtracts quantities that measure different things."""
    tokens = re.findall(r"\d+(?:\.\d+)?|[-+*/()]", expression)
    at = 0

    def peek() -> str:
        return tokens[at] if at < len(tokens) else ""

    def take() -> str:
        nonlocal at
        at += 1
        return tokens[at - 1]

    def atom() -> str:
        token = take() if peek() else ""
        if token == "(":
            inner = total()
            if peek() == ")":
                take()
            return inner
        return measures(unit_of.get(token, ""))

    def term() -> str:
        left = atom()
        while peek() in ("*", "/"):
            op, right = take(), atom()
            left = (right if op == "*" else (_ANY if right else "")) if not left else (left if not right else _ANY)
        return left

    def total() -> str:
        left = term()
        while peek() in ("+", "-"):
            take()
            right = term()
            if left and right and _ANY not in (left, right) and left != right:
                raise _Mismatch(f"adds {left} to {right}")
            left = left if left and left != _ANY else (right or left)
        return left

    return total()


def _other_measure(asked: str, measured: str, used: list[Quantity]) -> str:
    """Why an expression over ``used`` that ``measured`` (``_measures``) computes something other
    than the ``asked`` measure ("" when it may not): a percentage asked, a length or a time computed
    ("3 m * 5 / 100" for a refund's share); or money, a time or a length asked, and every operand
    measuring one other thing (a difference of two sizes, asked a difference of prices).  An operand
    with no known unit may be what was asked (a price written without its currency), so then
    nothing is said."""
    if asked == "share":
        return f"measures {measured}, and a percentage was asked" if measured not in ("", "share", _ANY) else ""
    kinds = {measures(q.unit) for q in used}
    if asked and kinds and "" not in kinds and asked not in kinds and len(kinds) == 1:
        return f"computes with quantities of {kinds.pop()} only, and {asked} was asked"
    return ""


def _restates(expression: str, value: float) -> bool:
    """``expression`` has one number besides the unit constants and comes to that number ("15 * 100
    / 100", "7 + 0"): a fact as written, dressed up as a calculation."""
    numbers = {float(n) for n in _NUMBER.findall(expression)}
    facts = numbers - {float(c) for c in CONSTANTS}
    return len(facts) <= 1 and any(math.isclose(value, n) for n in (facts or numbers))


def _relevant(sentences: list[Sentence], question: str) -> list[Sentence]:
    """The sentences holding numbers, those sharing most words with the question first; only those
    of the documents the question names, when it names some ("the maritime museum": not the rowing
    club's fees that came back beside it)."""
    asked = content_words(question)
    named = named_documents(question, sentences)
    numeric = [s for s in sentences if numbers_in(s.text) and (not named or s.source in named)]
    ranked = sorted(numeric, key=lambda s: -len(asked & content_words(f"{s.heading} {s.text}")))
    return ranked[:_MAX_FACTS]


def _fact_line(sentence: Sentence) -> str:
    heading = f"{sentence.heading}: " if sentence.heading and sentence.heading not in sentence.text else ""
    return f"- {heading}{sentence.text}"


def _format(value: float, unit: str) -> str:
    if unit in ("£", "$", "€"):
        return f"{unit}{value:,.2f}"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip() if unit and unit != "%" else text


def _result_unit(used: list[Quantity]) -> str:
    units = [q.unit for q in used if q.unit and q.unit != "%"]
    currencies = [u for u in units if u in ("£", "$", "€")]
    if currencies:
        return currencies[0]
    return units[0] if units and all(u == units[0] for u in units) else ""


def build_calculate(name: str, node: CalculateNode, context: BuildContext) -> NodeAction:
    model = context.model(node.model)
    calculator = context.tool(node.tool, key="tool")
    follows_grammars = bool(getattr(model, "follows_grammars", False))
    reasons = node.reasoning_tokens > 0
    examples: list[Any] = []
    for asked, worked in _EXAMPLES:
        examples += [HumanMessage(asked), AIMessage(worked if reasons else worked.rpartition(_LAST_LINE)[2].strip())]
    system = SystemMessage(_SYSTEM if reasons else _DIRECT_SYSTEM)

    def reason(messages: list[Any], literals: list[str]) -> tuple[str, str]:
        """The model's words on which facts combine how, and the expression on its last line when
        that uses only numbers of the facts and the question ("" when not: it then writes one
        under the grammar, with its reasoning before it)."""
        text = str(model.bind(max_tokens=node.reasoning_tokens, temperature=0).invoke(messages).content)
        reasoning, _, last = text.partition(_LAST_LINE)
        return reasoning.strip(), free_expression(last, literals)

    def write(messages: list[Any], literals: list[str]) -> tuple[str, str]:
        """The model's expression, greedy: ``(expression, error)``."""
        if not follows_grammars:
            text = str(model.bind(max_tokens=node.max_tokens, temperature=0).invoke(messages).content).strip()
            return (text.splitlines()[0] if text else ""), ""
        try:
            reply = model.bind(grammar=expression_grammar(literals), max_tokens=node.max_tokens,
                               temperature=0).invoke(messages)
            return str(reply.content).strip(), ""
        except ModelOutputError as exc:  # cut off by max_tokens: no usable expression
            return "", str(exc)

    def judge(expression: str, literals: list[str], asked: list[Quantity], known: list[Quantity],
              wanted: str) -> tuple[float | None, str, list[Quantity], bool]:
        """The value of ``expression`` if it is a calculation over the given numbers of the measure
        ``wanted`` (else None and why), the quantities it used, and whether the question is better
        answered as a lookup (one fact as written, or a percentage asked and not computed)."""
        written = _NUMBER.findall(expression)
        used: list[Quantity] = []
        for literal in written:
            # a number the question states comes from the question ("two overhauls"); else from the passages
            match = next((q for q in asked if q.literal == literal), None) or next(
                (q for q in known if q.literal == literal), None)
            if match is not None and match not in used:
                used.append(match)
        if not expression or any(n not in literals for n in written):
            return None, (f"the expression {expression!r} uses a number that is not in the documents or the "
                          "question"), used, False
        if len(written) < 2:  # a number copied from a fact is a lookup, not arithmetic over facts
            return None, f"the expression {expression!r} is one number, not a calculation", used, expression in literals
        try:
            value = float(str(calculator.invoke({"expression": expression})).replace(",", ""))
        except Exception as exc:  # the calculator refuses what is not arithmetic
            return None, f"the calculator refused {expression!r}: {exc}", used, False
        try:
            measured = _measures(expression, {q.literal: q.unit for q in reversed(used)})
        except _Mismatch as exc:  # operands picked from facts about other things
            return None, f"the expression {expression!r} {exc}", used, False
        if _restates(expression, value):
            return None, f"the expression {expression!r} only restates {value:g}, not a calculation", used, True
        other = _other_measure(wanted, measured, used)
        if other:  # a percentage a document states is better looked up than computed from other numbers
            return None, f"the expression {expression!r} {other}", used, wanted == "share"
        return value, "", used, False

    def run(state: dict[str, Any]) -> dict[str, Any]:
        question = render(node.question, state)
        facts = _relevant(support_sentences(passage_sentences(state.get(node.passages))), question)
        # the question's own numbers, and a pair it names in words ("my partner and I": 2)
        said = numbers_in(question)
        said += [count for count in implied_counts(question) if all(v != count[0] for v, _, _ in said)][:1]
        asked = [Quantity(v, w, u, Sentence(question)) for v, w, u in said]
        # a time of day ("10:00") is no operand: its digits are not a quantity to add
        known = [q for q in quantities(facts) + asked if q.unit != "time"]
        literals = [q.literal for q in known] + [str(c) for c in CONSTANTS]
        expression, value, error, used, lookup = "", None, "the documents give no numbers for this question", [], False
        reasoning = ""
        if any(q.sentence.source for q in known):
            prompt = "Facts:\n" + "\n".join(_fact_line(s) for s in facts) + f"\n\nQuestion: {question}"
            messages, error = [system, *examples, HumanMessage(prompt)], ""
            if reasons:
                reasoning, expression = reason(messages, literals)
                if not expression:
                    messages += [AIMessage(f"{reasoning}\n{_LAST_LINE}"), HumanMessage("Write the expression only.")]
            if not expression:
                expression, error = write(messages, literals)
            if not error:
                # one number of the facts (or dressed up: "15 * 100 / 100") answers a lookup, not a calculation
                value, error, used, lookup = judge(expression, literals, asked, known, asked_measure(question))
        sources: list[dict[str, Any]] = []
        for q in used:
            entry = {"source": q.sentence.source, "page": q.sentence.page}
            if q.sentence.source and entry not in sources:
                sources.append(entry)
        supported = value is not None
        unit = _result_unit(used)
        if supported:
            origin = "; ".join(f"{q.text} from {q.sentence.source}" for q in used if q.sentence.source)
            answer = f"{_format(value, unit)} ({expression})" + (f", with {origin}." if origin else ".")
        else:
            answer = f"The documents do not give what this calculation needs ({error})."
        calculation = {"expression": expression, "value": value, "unit": unit, "error": error or None,
                       "reasoning": reasoning, "lookup": lookup,
                       "operands": [{"value": q.value, "text": q.text, "unit": q.unit, "source": q.sentence.source,
                                     "page": q.sentence.page, "sentence": q.sentence.text} for q in used]}
        updates = {node.output: answer, node.calculation_output: calculation,
                   node.sources_output: sources if supported else [], node.supported_output: supported}
        return {key: value for key, value in updates.items() if key is not None}

    return run


KIND = NodeKind(name="calculate", spec=CalculateNode, build=build_calculate)
