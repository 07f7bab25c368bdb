"""Answers traceable to their evidence (issue 14): grounded_answer, calculate, the router's
measured gates and the picture readings -- with fake models playing the LLM."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import BaseMessage

from agentkit.compile import compile_spec
from agentkit.errors import SpecError
from agentkit.nodes._reading import (
    Sentence,
    asked_measure,
    asks_to_combine,
    content_words,
    implied_counts,
    named_documents,
    numbers_in,
    passage_sentences,
    split_sentences,
)
from agentkit.nodes.calculate import expression_grammar, free_expression
from agentkit.nodes.grounded_answer import (
    NOT_SAID,
    about_the_asked,
    attribute,
    clean_answer,
    closeness,
    excerpt,
    is_yes_no,
    relevance,
    unlisted_code,
    wants_number,
)
from agentkit.spec import parse_spec
from agentkit.testing import FunctionModel

PASSAGES = [
    {"text": "## Error codes\nE3 means the water filter is blocked.\nE4 means the lid is open; close it until it "
             "clicks.\nE5 means the outdoor unit and the controller are not talking to each other.",
     "source": "manual.md", "page": None},
    {"text": "Check-out is by 10:30 on the day you leave. Quiet hours run from 21:00 to 08:00.\nCats and other "
             "pets are not permitted in any apartment.", "source": "rules.html", "page": None},
]

GRAPH = """
name: g
state: {question: {type: str}, passages: {type: list}, answer: {type: str}, sources: {type: list},
        supported: {type: bool}, support: {type: list}, why: {type: list}}
input: [question, passages]
entry: answer
nodes:
  answer: {kind: grounded_answer, question: "{question}", passages: passages, output: answer,
           sources_output: sources, supported_output: supported, support_output: support, why_output: why}
"""


def _answering(reply: str, polarity: str = "No") -> FunctionModel:
    """A model that writes ``reply``, says what a text says ("The text says so.") and, asked to
    choose, leans to ``polarity`` -- for a yes/no answer, only once it has said it."""

    def play(messages: list[BaseMessage], options: dict[str, Any]) -> Any:
        if options.get("choices") and "Before answering" in str(messages[-1].content):  # the gate: yes
            return {c: (0.45 if c.lower() == "yes" else 0.05) for c in options["choices"]}
        if options.get("choices"):
            assert "Uns" not in options["choices"] or messages[-2].content == "The text says so."
            return {c: (0.9 if c == polarity else 0.1) for c in options["choices"]}
        if "write one short sentence" in str(messages[0].content):
            return "The text says so."
        return reply

    return FunctionModel(function=play)


def _answer(question: str, reply: str, polarity: str = "No", passages: list[dict[str, Any]] = PASSAGES
            ) -> dict[str, Any]:
    graph = compile_spec(parse_spec(GRAPH), model_factory=lambda name: _answering(reply, polarity))
    return graph.invoke({"question": question, "passages": passages})


def test_sentences_join_wrapped_lines_and_keep_list_items_apart() -> None:
    text = ("The warranty does not cover wear and tear, zips broken by force, damage from\nfire or sparks, or "
            "products used for hire.\n\n| Product | Warranty |\n|---|---|\n| Rucksacks | 10 years |\n- Tents\n"
            "- Stoves\nCall Dr. Lee at 10:30. Then leave.")
    assert split_sentences(text) == [
        "The warranty does not cover wear and tear, zips broken by force, damage from fire or sparks, or products "
        "used for hire.", "Product Warranty", "Rucksacks 10 years", "Tents", "Stoves", "Call Dr. Lee at 10:30.",
        "Then leave."]
    sentences = passage_sentences(PASSAGES)
    assert sentences[1].heading == "Error codes" and sentences[1].source == "manual.md"


def test_a_value_read_on_its_own_line_joins_its_label() -> None:
    # OCR reads a receipt's label and value as two lines; a line of text after a value stays apart
    ocr = "HARROWGATE HARDWARE\nKettle descaler\n4.99\nTOTAL\n£14.74\nPaid by card.\n2026\n## Opening hours\n9-17"
    assert split_sentences(ocr) == ["HARROWGATE HARDWARE", "Kettle descaler 4.99", "TOTAL £14.74", "Paid by card.",
                                    "2026", "Opening hours", "9-17"]


def test_the_bullets_pdf_text_extraction_gives_are_list_items() -> None:
    # pypdf reads reportlab's bullet as DEL; a Symbol-font bullet lands in the private use area
    pdf = ("Set the hardness to match your water supply, using the table below for the values\n"
           "\x7f H1: 0 to 6 °dH (no salt needed)\n\x7f H2: 7 to 11 °dH\n\uf0b7 H3: 12 to 17 °dH")
    assert split_sentences(pdf) == ["Set the hardness to match your water supply, using the table below for the values",
                                    "H1: 0 to 6 °dH (no salt needed)", "H2: 7 to 11 °dH", "H3: 12 to 17 °dH"]


def test_numbers_are_read_with_their_units() -> None:
    assert [(v, u) for v, _, u in numbers_in("A £1,250.50 fee, 12% off, 8 mm thick, two adults, twice a day")] == [
        (1250.5, "£"), (12.0, "%"), (8.0, "mm"), (2.0, ""), (2.0, "")]


def test_a_number_keeps_its_unit_however_the_unit_is_spelled() -> None:
    flags = [Sentence("Red: the gauge reads above 1.20 m, or there is fog: no outings at all."),
             Sentence("The outdoor unit is rated at 12 kW.")]
    for spelled in ("1.20 metres", "1.20 meters", "1.20 m", "1.2 M"):
        support, grounded = attribute(f"All rowing is called off above {spelled}.", "At what reading is rowing "
                                      "called off?", flags)
        assert grounded and support is flags[0], spelled
    assert not attribute("It is 12 decibels.", "How loud is the unit?", flags[1:])[1]  # 12 kW is not 12 dB
    assert not attribute("It is 12 dB.", "How loud is the unit?", flags[1:])[1]


def test_times_of_day_are_one_quantity_each() -> None:
    # "10:00" holds no number 0 (an operand a calculation once picked), and "8pm" is "20:00"
    read = numbers_in("Open 10:00 to 20:00; children arrive by 8:15am, pick-up 4 pm or 9.30am")
    assert [(round(v, 2), u) for v, _, u in read] == [(10.0, "time"), (20.0, "time"), (8.25, "time"),
                                                     (16.0, "time"), (9.5, "time")]
    assert numbers_in("12am and 12pm") == [(0.0, "12am", "time"), (12.0, "12pm", "time")]
    assert [v for v, _, _ in numbers_in("£15.80 for 3:2 odds")] == [15.8, 3.0, 2.0]
    opening = [Sentence("Saturday: 07:00 to 20:00.")]
    assert attribute("It opens at 7am.", "When does it open on Saturday?", opening)[1]
    assert not attribute("It opens at 7pm.", "When does it open on Saturday?", opening)[1]


def test_only_units_of_measure_must_agree() -> None:
    hens = [Sentence("Hens may be kept on full plots only, up to 6 birds; cockerels are not allowed.")]
    assert attribute("You can keep up to 6 hens on a full plot.", "How many hens can I keep?", hens)[1]
    weights = [Sentence("The HP-9 weighs 6 kg.")]
    assert not attribute("It weighs 6 lb.", "How heavy is the HP-9?", weights)[1]  # units of measure still must


def test_a_share_does_not_rest_on_an_amount_of_money() -> None:
    assert not attribute("Members get 10% off.", "What discount do members get?",
                         [Sentence("Members pay £10 less for each course.")])[1]
    fees = [Sentence("Members pay £10 less for each course; a late fee of 10% applies after 1 March.")]
    assert attribute("A late fee of 10 per cent is added.", "What is the late fee?", fees)[1]


def test_an_answer_that_adds_nothing_to_the_question_is_not_grounded() -> None:
    effects = [Sentence("Possible side effects"), Sentence("Uncommon (up to 1 in 100 people): dizziness.")]
    assert not attribute("Dizziness is a common side effect.", "How common is dizziness as a side effect?",
                         effects)[1]
    assert attribute("Dizziness is uncommon: up to 1 in 100 people.", "How common is dizziness as a side effect?",
                     effects)[1]
    # a yes or a no adds nothing by nature and still rests on its sentence
    assert attribute("Yes, dizziness is a side effect.", "Is dizziness a side effect?", effects)[1]


def test_the_question_frame_is_not_what_a_question_is_about() -> None:
    day = [Sentence("Please note that the return time is later than the usual end of the school day."),
           Sentence("Children arrive at school, in the school hall 8:15am.")]
    question = "What time does my son need to be at school on the morning of the trip?"
    support, grounded = attribute("Children arrive at school at 8:15am.", question, day)
    assert grounded and support is day[1] and about_the_asked(question, support, day)


def test_a_code_missing_from_a_listed_family_is_not_answered() -> None:
    codes = [{"text": "E1 water is not draining. E2 no water supply. E5 heater fault.",
              "source": "docs/brightwell-dw614-manual.pdf"}]
    assert unlisted_code("What does error code E6 mean on my DW614?", codes) == "E6"
    assert unlisted_code("What does E2 mean on the DW614?", codes) is None  # listed
    assert unlisted_code("What does the DW614 do with hard water?", codes) is None  # its name
    assert unlisted_code("What does code X7 mean?", codes) is None  # no X codes at all: not a family listed here
    result = _answer("What does E6 mean?", "E6 means the outdoor unit overheated.")
    assert result["answer"] == NOT_SAID and result["supported"] is False


def test_relevance_meets_word_forms_and_ignores_the_documents_own_name() -> None:
    rules = [Sentence("Welcome to Ashdown Court.", source="docs/ashdown-court-rules.html"),
             Sentence("Cats and other pets are not permitted.", source="docs/ashdown-court-rules.html")]
    # "cat" meets "Cats"; "Ashdown Court" is the document's name, so it tells its sentences apart no more
    ranks = relevance("Can we bring our cat to Ashdown Court?", rules)
    assert ranks[1] > ranks[0]
    assert content_words("closed closes close") == {"clos"} and "cat" in content_words("cats")
    # a doubled consonant before -ing/-ed goes too ("cutting" meets "cut"), not in a short word ("added")
    assert content_words("cutting cut stopped stop") == {"cut", "stop"}
    assert content_words("added add filled fill") == {"add", "fill"}


def test_question_kinds() -> None:
    assert is_yes_no("We'd like to bring our cat. Is that allowed?") and is_yes_no("Can I take photos?")
    assert not is_yes_no("How long do I get to send it back?")
    assert wants_number("By what time do we have to be out?") and wants_number("How many lives did it save?")
    assert not wants_number("Who deals with subscriptions?")


def test_citation_debris_is_removed_from_answers() -> None:
    assert clean_answer("The warranty lasts 10 years. [1]") == "The warranty lasts 10 years."
    assert clean_answer("E5 means no connection [1, 2]. The passage numbers used are [1] and [2].") == \
        "E5 means no connection."
    assert clean_answer("Answer: 10:30 (passage 2)") == "10:30"
    assert clean_answer("The documents do not say. [1]") == "The documents do not say."  # an abstention stays


def test_a_grounded_answer_cites_the_sentence_that_holds_its_facts() -> None:
    result = _answer("What does E5 mean?", "E5 means the outdoor unit and the controller are not talking. [2]")
    assert result["supported"] is True and "[2]" not in result["answer"]
    assert result["sources"] == [{"source": "manual.md", "page": None}]
    assert result["support"][0]["text"].startswith("E5 means the outdoor unit")
    assert [line.split(":")[0] for line in result["why"]] == ["grounded"] and "manual.md" in result["why"][0]


def test_an_answer_with_a_number_rests_on_the_sentence_that_holds_it() -> None:
    warranty = passage_sentences([{"text": "Our warranty covers the products you buy from us against faults in "
                                           "materials and making.\n| Rucksacks and daypacks | 10 years |\n"
                                           "| Tents | 5 years |", "source": "warranty.md"}])
    question = "How many years does the warranty cover a rucksack like mine for?"
    # "the one you bought" is a pronoun, not the number 1; the sentence holding 10 is the support,
    # although another sentence shares more of the answer's words
    support, grounded = attribute("The warranty for a rucksack like the one you bought covers 10 years.", question,
                                  warranty)
    assert grounded and support is not None and support.text.startswith("Rucksacks")
    # among the sentences holding the number, the one most about the question
    rules = passage_sentences([{"text": "Visitors must leave the apartment building by 10:30 on Sundays when the "
                                        "cleaners come.\nCheck-out on the day you leave is by 10:30.",
                                "source": "rules.md"}])
    support, grounded = attribute("You must leave the apartment by 10:30.", "What time is check-out on the day we "
                                  "leave?", rules)
    assert grounded and support is not None and support.text.startswith("Check-out")


def test_a_neighbouring_fact_is_not_an_answer() -> None:
    # 21:00 is in the passages, but in a sentence about quiet hours, not about leaving
    result = _answer("By what time do we have to be out on the day we leave?", "You have to be out by 21:00.")
    assert result["supported"] is False and result["answer"] == NOT_SAID and result["sources"] == []
    assert [line.split(":")[0] for line in result["why"]] == ["neighbour"], result["why"]
    assert "Quiet hours" in result["why"][0]
    # with a second try, both tries are refused, and say why: from the sentences most about the
    # question (which leave quiet hours out) nothing holds 21:00
    graph = compile_spec(parse_spec(GRAPH.replace("why_output: why}", "why_output: why, second_try: true}")),
                         model_factory=lambda name: _answering("You have to be out by 21:00."))
    again = graph.invoke({"question": "By what time do we have to be out on the day we leave?", "passages": PASSAGES})
    assert [line.split(":")[0] for line in again["why"]] == ["neighbour", "facts"], again["why"]
    assert again["answer"] == NOT_SAID
    ranked, grounded = attribute("Check-out is by 10:30.", "By what time do we have to be out on the day we leave?",
                                 passage_sentences(PASSAGES))
    assert grounded and ranked is not None and "10:30" in ranked.text


def test_the_passages_not_giving_the_answer_is_read_from_the_model() -> None:
    def unsure(messages: list[BaseMessage], options: dict[str, Any]) -> Any:
        if options.get("choices"):
            return {c: (0.3 if c.lower() == "yes" else 0.7) / 2 for c in options["choices"]}
        raise AssertionError("no answer is written when the passages do not give it")

    graph = compile_spec(parse_spec(GRAPH), model_factory=lambda name: FunctionModel(function=unsure))
    result = graph.invoke({"question": "Are there hot showers?", "passages": PASSAGES})
    assert result["answer"] == NOT_SAID and result["supported"] is False
    assert result["why"] == ["gate: P(the passages give the answer) = 0.30 < 0.35"]


def test_an_invented_number_or_a_said_nothing_reply_becomes_not_said() -> None:
    invented = _answer("What does E5 mean?", "E5 means the unit overheated above 75 degrees.")
    assert invented["answer"] == NOT_SAID and invented["why"][0].startswith("facts: no one sentence holds")
    said_nothing = _answer("Are there hot showers?", "The documents do not say.")
    assert said_nothing["supported"] is False and said_nothing["sources"] == []
    assert said_nothing["why"] == ["model: 'The documents do not say.'"]  # no second try: the model declined
    no_passages = _answer("What does E5 mean?", "anything", passages=[])
    assert no_passages["answer"] == NOT_SAID and no_passages["why"] == ["passages: none were given"]


def test_a_yes_no_answer_gets_its_polarity_from_the_model_probabilities() -> None:
    result = _answer("Can we bring our cat to the apartment?", "Cats and other pets are not permitted.")
    assert result["answer"].startswith("No. ") and result["supported"] is True
    # the trace says what was read, and what the model had said instead
    assert [line.split(":")[0] for line in result["why"]] == ["yes-no", "grounded"], result["why"]
    assert result["why"][0].startswith("yes-no: No from the sentence")
    assert "the model's reply was 'Cats and other pets are not permitted.'" in result["why"][0]


def test_a_yes_no_answer_whose_sentence_does_not_say_is_not_given() -> None:
    # the model reads the supporting sentence and finds it does not say (P("Unsaid") 0.82)
    result = _answer("Can we bring our cat to the apartment?", "No. Cats and other pets are not permitted.",
                     polarity="Uns")
    assert result["answer"] == NOT_SAID and result["supported"] is False and result["sources"] == []
    assert result["why"][-1].startswith("unsaid: P(the sentence does not say) = 0.82 >= 0.4")


MUSEUM = [
    {"text": "## Ground floor\nThe ground floor has the front desk, the shop and The Galley, our café.\n\n"
             "## Opening times\nOpen every day, 10:00 to 17:00.", "source": "docs/saltmarsh-museum-guide.md"},
    {"text": "## Other facilities\nThe hot tub is open from 09:00 to 21:00. Please shower before using it.",
     "source": "docs/ashdown-court-house-rules.html"},
    {"text": "## The boathouse\nThe Millbrook boathouse has racks for 40 boats.",
     "source": "docs/millbrook-rowing-club-handbook.md"},
]


def test_a_support_must_hold_the_most_specific_thing_asked_about() -> None:
    sentences = passage_sentences(MUSEUM)
    hours = next(s for s in sentences if "10:00" in s.text)
    # the café is named in one sentence only; the opening hours are the museum's, not the café's
    assert not about_the_asked("What time does The Galley café open in the morning?", hours, sentences)
    assert about_the_asked("What time does the museum open?", hours, sentences)
    # a list item split over two lines: the next line of the same document holds the word
    bins = passage_sentences([{"text": "General waste (grey bin): collected on\nTuesday\nmornings.\n"
                                       "Glass (green box): collected every other Friday.", "source": "rules.html"},
                              {"text": "Tuesday is the museum's quiet day.", "source": "museum.md"}])
    assert about_the_asked("Which bin goes out for the Tuesday collection?", bins[0], bins)
    assert not about_the_asked("Which bin goes out for the Tuesday collection?", bins[3], bins)
    # the answer from the neighbouring sentence becomes "the documents do not say"
    result = _answer("What time does The Galley café open in the morning?", "The Galley café opens at 10:00.",
                     passages=MUSEUM)
    assert result["answer"] == NOT_SAID and result["supported"] is False
    assert _answer("What time does the museum open?", "It opens at 10:00.", passages=MUSEUM)["supported"] is True


def test_a_question_naming_a_document_is_answered_from_that_document() -> None:
    sentences = passage_sentences(MUSEUM)
    shower = next(s for s in sentences if "shower" in s.text)
    racks = next(s for s in sentences if "racks" in s.text)
    assert not about_the_asked("Are there hot showers at the Millbrook boathouse?", shower, sentences)
    assert about_the_asked("Are there hot showers at the apartments?", shower, sentences)
    assert about_the_asked("How many boats fit in the Millbrook boathouse?", racks, sentences)
    result = _answer("Are there hot showers at the Millbrook boathouse?", "Yes, please shower before using it.",
                     polarity="Yes", passages=MUSEUM)
    assert result["answer"] == NOT_SAID and result["sources"] == []


def test_a_yes_no_answer_rests_on_the_sentence_holding_the_most_specific_word() -> None:
    laser = [{"text": "Never leave the laser cutter while it is cutting.\nBook the laser cutter online.\n"
                      "Forbidden materials: PVC and vinyl (cutting them gives off chlorine gas).",
              "source": "docs/makerspace-manual.pdf"}]
    ranks = relevance("Is it OK to cut vinyl sheet on the laser cutter?", passage_sentences(laser))
    assert ranks[0] > ranks[2]  # by shared words alone, "never leave the laser cutter" comes first
    asked = "Is it OK to cut vinyl sheet on the laser cutter?"
    support, grounded = attribute("Yes, it is OK to cut vinyl sheet on the laser cutter.", asked,
                                  passage_sentences(laser))
    assert grounded and support is not None and support.text.startswith("Forbidden materials")
    result = _answer(asked, "Yes, it is OK to cut vinyl sheet on the laser cutter.", polarity="No", passages=laser)
    assert result["answer"].startswith("No. Forbidden materials") and result["supported"] is True
    # a question word meets a longer word it begins: "photos" and "photographs"
    museum = passage_sentences([{"text": "Visitors are asked to leave bags at the desk. You are welcome to take "
                                         "photographs for your own use.", "source": "guide.md"}])
    photo, _ = attribute("Yes.", "Are visitors allowed to take photos?", museum)
    assert photo is not None and "photographs" in photo.text


# -- arithmetic ------------------------------------------------------------------------------------

CALC = """
name: c
state: {question: {type: str}, passages: {type: list}, answer: {type: str}, sources: {type: list},
        supported: {type: bool}, calculation: {type: dict}}
input: [question, passages]
entry: compute
nodes:
  compute: {kind: calculate, question: "{question}", passages: passages, output: answer, sources_output: sources,
            supported_output: supported, calculation_output: calculation}
"""
PRICES = [{"text": "A full overhaul costs £85.\nA standard service costs £40 and takes 2 hours.",
           "source": "prices.md", "page": 1}]


def _calculate(expression: str, question: str, passages: list[dict[str, Any]] = PRICES,
               reasoning: str = "The facts give the numbers.") -> tuple[dict, list]:
    """Run the calculate node on a model that reasons ``reasoning`` (with no expression line) and
    then, under the grammar, writes ``expression``; ``seen`` holds each call's options."""
    seen: list[dict[str, Any]] = []

    def play(messages: list[BaseMessage], options: dict[str, Any]) -> str:
        seen.append(options)
        return expression if "grammar" in options else reasoning

    graph = compile_spec(parse_spec(CALC), model_factory=lambda name: FunctionModel(function=play))
    return graph.invoke({"question": question, "passages": passages}), seen


def test_a_calculation_over_document_numbers_names_its_operands() -> None:
    result, seen = _calculate("2 * 85 + 1 * 40", "What do two full overhauls and one standard service cost?")
    assert result["supported"] is True and result["calculation"]["value"] == 210
    assert result["answer"].startswith("£210.00 (2 * 85 + 1 * 40)") and "£85 from prices.md" in result["answer"]
    assert result["sources"] == [{"source": "prices.md", "page": 1}]
    operands = {o["value"]: o for o in result["calculation"]["operands"]}
    assert operands[85]["sentence"] == "A full overhaul costs £85." and operands[2]["source"] is None  # "two" asked
    assert "grammar" not in seen[0] and result["calculation"]["reasoning"] == "The facts give the numbers."
    grammar = seen[1]["grammar"]  # numbers can only be those of the passages and the question
    assert '"85"' in grammar and '"40"' in grammar and '"2"' in grammar and '"7"' in grammar and '"86"' not in grammar


def test_the_expression_on_the_reasoning_last_line_is_taken_when_its_numbers_are_given() -> None:
    reasoning = "Two overhauls at £85 and one service at £40.\nExpression: 2 * £85.00 + 40 = 210"
    result, seen = _calculate("1 + 1", "What do two full overhauls and one standard service cost?",
                              reasoning=reasoning)
    assert len(seen) == 1 and result["calculation"]["expression"] == "2 * 85 + 40"
    assert result["calculation"]["value"] == 210 and result["supported"] is True
    # a subtotal the model worked out itself is no operand: the grammar writes the expression instead
    result, seen = _calculate("2 * 85 + 40", "What do two overhauls and a service cost?",
                              reasoning="Two overhauls cost £170.\nExpression: 170 + 40")
    assert len(seen) == 2 and "grammar" in seen[1] and result["calculation"]["expression"] == "2 * 85 + 40"
    assert free_expression(" 3 \u00d7 1.70.", ["3", "1.7"]) == "3 * 1.7"
    assert free_expression("85", ["85"]) == "85" and free_expression("85 * 12%", ["85", "12"]) == ""
    assert free_expression("170 + 40", ["85", "40"]) == "" and free_expression("two * 85", ["2", "85"]) == ""


def test_a_question_naming_a_document_computes_with_that_document_s_numbers_only() -> None:
    passages = [{"text": "An adult ticket costs £12.50.", "source": "docs/maritime-museum-guide.md"},
                {"text": "A full member pays £36 a month.", "source": "docs/rowing-club-handbook.md"}]
    result, seen = _calculate("2 * 12.5", "What do two adult tickets to the museum cost?", passages=passages)
    assert result["calculation"]["value"] == 25 and result["sources"] == [
        {"source": "docs/maritime-museum-guide.md", "page": None}]
    assert '"12.5"' in seen[1]["grammar"] and '"36"' not in seen[1]["grammar"]  # the club's fee is no operand


def test_a_pair_the_question_names_in_words_is_a_count_it_gives() -> None:
    overhaul = [{"text": "A full overhaul costs £85.", "source": "prices.md"}]  # no 2 in the facts
    result, seen = _calculate("2 * 85", "My partner and I both want a full overhaul. What will we pay?", overhaul)
    assert result["supported"] is True and result["calculation"]["value"] == 170
    assert '"2"' in seen[1]["grammar"]
    operands = {o["value"]: o for o in result["calculation"]["operands"]}
    assert operands[2]["text"] == "My partner and I" and operands[2]["source"] is None  # from the question
    # no pair named: 2 is no number the calculation may use
    result, seen = _calculate("2 * 85", "What will a full overhaul cost me?", overhaul)
    assert result["supported"] is False and '"2"' not in seen[1]["grammar"]
    assert [count for count, _, _ in implied_counts("Me and my sister, and both dogs")] == [2, 2]
    assert implied_counts("Is the Plus plan worth it?") == []


def test_an_invented_operand_or_no_numbers_is_not_supported() -> None:
    result, _ = _calculate("2 * 86", "What do two overhauls cost?")
    assert result["supported"] is False and "not in the documents" in result["calculation"]["error"]
    result, seen = _calculate("1 + 1", "How much is it?", passages=[{"text": "No prices here.", "source": "x.md"}])
    assert result["supported"] is False and result["sources"] == [] and seen == []  # the model was never asked


def test_one_number_copied_from_the_facts_is_not_a_calculation() -> None:
    result, _ = _calculate("85", "How much does a personal training session cost?")
    assert result["supported"] is False and "one number" in result["calculation"]["error"]
    assert result["calculation"]["lookup"] is True  # a fact as written: a graph can look it up instead
    result, _ = _calculate("85 * 100 / 100", "How much does a full overhaul cost?")  # 85, dressed up
    assert result["supported"] is False and result["calculation"]["lookup"] is True
    result, _ = _calculate("2 * 86", "What do two overhauls cost?")
    assert result["calculation"]["lookup"] is False


SIZES = [{"text": "A standard chalet is 1.2 m wide and costs £18 a night. A garden suite is 1.8 m wide and costs "
                  "£26 a night.\nCancel 14 days ahead for a 50% refund; a course runs 3 weeks of 4 sessions.",
          "source": "lodge.md", "page": None}]


@pytest.mark.parametrize(("question", "measure"), [
    ("What percent of my fee comes back if I cancel?", "share"),
    ("What percentage of the deposit is kept?", "share"),
    ("What will it cost to have it fired twice?", "money"),
    ("How much do two adults pay for a week?", "money"),
    ("What's the hire fee after their discount?", "money"),
    ("How many more kilometres does Tour mode get than Sport?", "length"),
    ("How many minutes does the whole course take?", "time"),
    ("How long is the warranty?", ""),  # a time or a length: the frame does not say
    ("How much water is left after two washes?", ""),
    ("How many people can the hall seat?", ""),
])
def test_what_a_question_asks_for_is_read_from_its_frame(question: str, measure: str) -> None:
    assert asked_measure(question) == measure


def test_a_calculation_of_another_measure_than_was_asked_is_not_an_answer() -> None:
    # a percentage asked, a time computed: the percentage is looked up instead
    result, _ = _calculate("3 * 4", "What percent of my fee comes back if I cancel 10 days ahead?", SIZES)
    assert result["supported"] is False and result["calculation"]["lookup"] is True
    assert "measures time, and a percentage was asked" in result["calculation"]["error"]
    # a difference of prices asked, a difference of widths computed
    result, _ = _calculate("1.8 - 1.2", "What is the price difference between a suite and a chalet?", SIZES)
    assert result["supported"] is False and result["calculation"]["lookup"] is False
    assert "length only, and money was asked" in result["calculation"]["error"]
    # the right measure passes; so does a calculation with an operand of no known unit
    assert _calculate("26 - 18", "What is the price difference between a suite and a chalet?", SIZES)[0]["supported"]
    assert _calculate("50 / 100 * 4", "What percent of the sessions is that?", SIZES)[0]["supported"]


def test_a_calculation_adding_quantities_that_measure_different_things_is_not_supported() -> None:
    # "2 hours" + "£85": operands picked from facts about other things
    result, _ = _calculate("2 + 85", "How long does a full overhaul take?")
    assert result["supported"] is False and result["sources"] == []
    assert "adds time to money" in result["calculation"]["error"] and result["answer"].startswith("The documents")
    # money times a count plus money is money; a constant or a count agrees with anything
    result, _ = _calculate("2 * 85 + 40", "What do two overhauls and a service cost?")
    assert result["supported"] is True and result["calculation"]["value"] == 210
    result, _ = _calculate("2 * 60", "How many minutes does a standard service take?")
    assert result["supported"] is True and result["calculation"]["value"] == 120


def test_the_expression_grammar_is_bounded() -> None:
    grammar = expression_grammar(["85", "40"])
    assert "{0,5}" in grammar and "{1,4}" in grammar and 'num ::= "40" | "85"' in grammar


# -- routers ---------------------------------------------------------------------------------------

GATE = """
name: r
state: {question: {type: str}, out: {type: str}}
input: [question]
entry: gate
nodes:
  gate:
    kind: router
    system: Decide whether the question needs arithmetic. Reply yes or no.
    examples: [{prompt: "Question: How much do four tickets cost?", label: "yes"}]
    prompt: "Question: {question}"
    routes: {"yes": calc, "no": look}
    threshold: {"yes": 0.6}
  calc: {kind: python, function: mark_calc}
  look: {kind: python, function: mark_look}
"""


@pytest.mark.parametrize(("p_yes", "route"), [(0.7, "calc"), (0.55, "look"), (0.3, "look")])
def test_a_gate_router_chooses_by_probability_and_threshold(p_yes: float, route: str, agentkit_registry: None) -> None:
    import agentkit

    agentkit.register_function("mark_calc", lambda s: {"out": "calc"})
    agentkit.register_function("mark_look", lambda s: {"out": "look"})
    asked: list[list[BaseMessage]] = []

    def play(messages: list[BaseMessage], options: dict[str, Any]) -> dict[str, float]:
        asked.append(messages)
        split = {"yes": p_yes / 2, "Yes": p_yes / 2, "no": (1 - p_yes) / 2, "No": (1 - p_yes) / 2}
        return {c: split[c] for c in options["choices"]}

    graph = compile_spec(parse_spec(GATE), model_factory=lambda name: FunctionModel(function=play))
    assert graph.invoke({"question": "What do 3 adults pay?"})["out"] == route
    kinds = [m.type for m in asked[0]]
    assert kinds == ["system", "human", "ai", "human"] and asked[0][-1].content == "Question: What do 3 adults pay?"


def test_a_router_can_write_its_probabilities_for_a_later_node(agentkit_registry: None) -> None:
    import agentkit

    agentkit.register_function("mark_calc", lambda s: {"out": "calc"})
    agentkit.register_function("mark_look", lambda s: {"out": "look"})
    spec = GATE.replace("{question: {type: str}, out: {type: str}}",
                        "{question: {type: str}, out: {type: str}, p: {type: dict}}").replace(
        'threshold: {"yes": 0.6}', 'threshold: {"yes": 0.6}\n    output: p')

    def play(messages: list[BaseMessage], options: dict[str, Any]) -> dict[str, float]:
        return {c: {"yes": 0.2, "Yes": 0.2, "no": 0.3, "No": 0.3}[c] for c in options["choices"]}

    graph = compile_spec(parse_spec(spec), model_factory=lambda name: FunctionModel(function=play))
    result = graph.invoke({"question": "What do 3 adults pay?"})
    assert result["out"] == "look" and result["p"] == pytest.approx({"yes": 0.4, "no": 0.6})
    # an expression router has no probabilities to write: said where
    bad = GATE.replace("{question: {type: str}, out: {type: str}}",
                       "{question: {type: str}, out: {type: str}, p: {type: dict}}").replace(
        "  calc: {kind: python", "  pick: {kind: router, expression: \"'calc'\", routes: {calc: calc}, output: p}\n"
                                 "  calc: {kind: python")
    with pytest.raises(SpecError, match=r"nodes\.pick\.output.*only an LLM router"):
        parse_spec(bad)


def test_gate_mistakes_are_located() -> None:
    with pytest.raises(SpecError) as info:
        parse_spec(GATE.replace('threshold: {"yes": 0.6}', 'threshold: {"maybe": 0.6}')
                   .replace('label: "yes"', 'label: "sure"'))
    paths = {issue.path for issue in info.value.issues}
    assert {"nodes.gate.examples.0.label", "nodes.gate.threshold.maybe"} <= paths


def test_the_picture_facts_say_what_was_not_found_too() -> None:
    from agentkit.vision.readings import image_facts

    readings = {"info": {"format": "PNG", "width": 640, "height": 480, "brightness": 0.8,
                         "dominant_colors": [{"name": "white"}, {"name": "navy"}], "exif": {}},
                "faces": {"count": 0}, "codes": {"codes": [{"text": "https://example.org/fair"}]},
                "text": {"lines": [{"text": "Doors open 19:30"}, {"text": "Tickets £5"}]}}
    facts = image_facts(readings)
    assert "No faces were found in the picture." in facts
    assert "A QR code in the picture links to: https://example.org/fair" in facts
    assert facts[-2:] == ["Doors open 19:30", "Tickets £5"]
    assert json.dumps(facts)  # plain data


def test_the_assistant_remembers_only_answers_that_rest_on_the_documents(tmp_path: Any) -> None:
    from agentkit.memory import ingest, remembered_answers
    from agentkit.runtime import load

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kettle.md").write_text("# Care\nDescale the K200 kettle every four weeks in hard-water areas.\n"
                                    "The K200 holds 1.7 litres.\n")
    ingest([str(docs)], "memory")
    replies = {"How often should the K200 be descaled?": "Descale it every four weeks.",
               "What colour is the K200 lid?": "The lid is red with 3 stripes."}

    def play(messages: list[BaseMessage], options: dict[str, Any]) -> Any:
        if options.get("choices"):  # the arithmetic gate: no; do the passages answer it: yes
            yes = "Before answering" in str(messages[-1].content)
            return {c: (0.9 if (c.lower() == "yes") == yes else 0.1 / 3) for c in options["choices"]}
        question = str(messages[-1].content).rsplit("Question: ", 1)[-1]
        return replies[question]

    graph = load("assistant", model_factory=lambda name: FunctionModel(function=play))
    good = graph.invoke({"question": "How often should the K200 be descaled?"})
    assert good["supported"] is True and good["sources"][0]["source"] == "docs/kettle.md"
    bad = graph.invoke({"question": "What colour is the K200 lid?"})
    assert bad["supported"] is False and bad["answer"] == NOT_SAID and bad["sources"] == []
    assert [h.metadata["answer"] for h in remembered_answers("How often should the K200 be descaled?")] == \
        ["Descale it every four weeks."]
    assert remembered_answers("What colour is the K200 lid?") == []
    again = graph.invoke({"question": "How often should the K200 be descaled?"})  # answered from memory
    assert again["answer"] == "Descale it every four weeks."


def test_research_answers_a_question_for_one_fact_as_a_lookup(tmp_path: Any) -> None:
    from agentkit.memory import ingest
    from agentkit.runtime import load

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hire.md").write_text("# Mileage\nEach hire includes 200 miles a day; extra miles cost 25p each.\n")
    ingest([str(docs)], "memory")

    def play(messages: list[BaseMessage], options: dict[str, Any]) -> Any:
        if options.get("choices"):  # do the passages answer it: yes
            return {c: (0.9 if c.lower() == "yes" else 0.1 / 3) for c in options["choices"]}
        if "arithmetic" in str(messages[0].content):  # calculate: the reasoning ends in one number
            return "The hire includes 200 miles a day.\nExpression: 200"
        return "You can drive 200 miles a day."

    result = load("research", model_factory=lambda name: FunctionModel(function=play)).invoke(
        {"question": "How many miles a day can I drive before I pay extra?"})
    assert result["calculation"]["lookup"] is True and result["supported"] is True
    assert result["answer"] == "You can drive 200 miles a day." and result["sources"][0]["source"] == "docs/hire.md"
    assert "200 miles a day" in result["support"][0]["text"]


LONG = [{"text": "## Opening times\nThe café opens at 09:00 and closes at 17:00.\nThe shop opens at 10:00.\n"
                 "## Tours\nFree tours leave the front desk at 11:00 and 14:30.\nThey last about 50 minutes.\n"
                 "## Parking\nThe car park costs £1.80 an hour.\nIt is free after 18:00.\n"
                 "## History\nThe harbour was built in 1820 by the town's fishermen.",
         "source": "guide.md", "page": None}]


def test_an_excerpt_keeps_the_sentences_most_about_the_question_within_the_budget() -> None:
    sentences = passage_sentences(LONG)
    question = "When do the free tours leave?"
    shown = excerpt(question, sentences, 20)
    texts = [s.text for s in shown]
    assert "Free tours leave the front desk at 11:00 and 14:30." in texts
    assert "They last about 50 minutes." in texts  # the sentence after one of the most relevant comes along
    assert sum(len(t.split()) for t in texts) <= 20
    assert [s for s in sentences if s in shown] == shown  # in the passage's order
    assert excerpt(question, sentences, 500) == sentences  # all of them when they fit


def test_closeness_in_meaning_ranks_a_paraphrase_that_shares_no_word() -> None:
    rules = passage_sentences([{"text": "Guests sign in at reception.\nThe car park closes at 22:00.\n"
                                        "Children under 12 must be accompanied.\nPets are welcome if kept on a lead.",
                                "source": "rules.md", "page": None}])
    question = "Is my dog allowed in?"
    meaning = closeness(question, rules)
    assert meaning[rules[3].text] == pytest.approx(1.0) and min(meaning.values()) == pytest.approx(0.0)
    assert relevance(question, rules) == [0, 0, 0, 0]  # no word in common
    by_both = relevance(question, rules, meaning)
    assert by_both.index(max(by_both)) == 3  # dog ~ pets
    assert [s.text for s in excerpt(question, rules, 8, meaning)] == [rules[3].text]
    assert closeness(question, rules, weight=0) == {} and closeness(question, []) == {}


def test_among_sentences_holding_the_answer_s_facts_the_question_s_words_decide() -> None:
    rows = passage_sentences([{"text": "## Weekdays\nLeave Holm: 08:10, 12:40, 16:25\n## Sunday\n"
                                       "Leave Holm: 10:00, 16:25", "source": "ferry.md", "page": None}])
    question = "What's the last boat off Holm on a Sunday?"
    support, grounded = attribute("The last boat leaves at 16:25.", question, rows, closeness(question, rows))
    assert grounded and support == rows[3]  # the row under "Sunday", though both hold 16:25


def test_the_sentence_most_about_a_question_by_words_and_meaning_is_about_it() -> None:
    library = passage_sentences([{"text": "You may keep books for three weeks.\nDVD loans run for one week.\n"
                                          "Trolleys go back to the entrance.\nKeep your card safe.\n"
                                          "The library opens at 9:00.", "source": "library.txt", "page": None}])
    question = "How long can I keep a novel before it has to go back?"  # "go back" is the rarest, and incidental
    meaning = closeness(question, library)
    assert not about_the_asked(question, library[0], library)
    assert about_the_asked(question, library[0], library, meaning)
    assert not about_the_asked(question, library[4], library, meaning)  # the opening hours are still not


def test_a_file_name_word_the_other_documents_use_names_no_document() -> None:
    sentences = [Sentence("Members may bring one guest a day.", source="docs/hollins-coworking-membership-terms.md"),
                 Sentence("A monthly membership has a joining fee of £20, waived in January.",
                          source="docs/cragworks-climbing-prices.html")]
    assert named_documents("When should I join to skip the membership joining fee?", sentences) == set()
    assert named_documents("How many guests may coworking members bring?", sentences) == {
        "docs/hollins-coworking-membership-terms.md"}


def test_with_a_word_budget_the_model_reads_only_the_excerpt() -> None:
    seen: list[str] = []

    def play(messages: list[BaseMessage], options: dict[str, Any]) -> Any:
        seen.append(str(messages[-1].content))
        if options.get("choices"):
            return {c: (0.9 if c.lower() == "yes" else 0.1) for c in options["choices"]}
        return "Free tours leave at 11:00 and 14:30."

    spec = GRAPH.replace("why_output: why}", "why_output: why, max_passage_words: 20}")
    graph = compile_spec(parse_spec(spec), model_factory=lambda name: FunctionModel(function=play))
    out = graph.invoke({"question": "When do the free tours leave?", "passages": LONG})
    assert out["supported"] and out["sources"] == [{"source": "guide.md", "page": None}]
    assert "Passage from guide.md:\nTours\nFree tours leave" in seen[0]  # its heading once, above it
    assert "1820" not in seen[0] and "£1.80" not in seen[0]


@pytest.mark.parametrize(("question", "combines"), [
    ("What will two adults pay for the ferry?", True),            # a count of its own
    ("I paid £60 for it. How much comes back?", True),             # an amount
    ("How much more does the large room cost than the small one?", True),
    ("What do a kayak, a paddle and a wetsuit cost together?", True),
    ("For how many years did the mill run, from its opening to its closure?", True),
    ("What's the total number of cars the ferry takes?", False),  # "total" alone: a fact as written
    ("What does the hire firm charge per day for a roof box?", False),
    ("How long does the Quick 35 programme take?", False),       # a number that names something
    ("When does the last ferry leave after 8:15pm?", False),     # a time of day is no quantity
    ("I can't come any more. What is the charge to change my ticket?", False),
    ("How long is one session?", False),
    ("What will my husband and I pay for the spa each month?", True),   # a pair named in words
    ("What's my yearly bill once the water charge is added?", True),
    ("How many kWh does the weekly cycle use over a year?", True),
])
def test_a_question_that_may_need_arithmetic_gives_quantities_or_combines(question: str, combines: bool) -> None:
    assert asks_to_combine(question) is combines
