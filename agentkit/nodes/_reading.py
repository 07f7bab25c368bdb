"""Reading passages the way the grounded node kinds need: sentences, numbers with their units,
and the words that tie a sentence to a question.

Written by hand: no library here splits a retrieved chunk (markdown lists, tables, headings,
half sentences at its edges) into sentences and reads quantities such as ``£1,250.50``,
``8 mm``, ``twelve`` or ``12%`` the way the checks below compare them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from agentkit.words import words

__all__ = [
    "DIMENSION",
    "Quantity",
    "Sentence",
    "asked_measure",
    "asked_words",
    "asks_to_combine",
    "content_words",
    "measures",
    "name_words",
    "named_documents",
    "numbers_in",
    "passage_sentences",
    "quantities",
    "split_sentences",
    "unit_key",
]

_ABBREVIATIONS = ("e.g", "i.e", "etc", "approx", "no", "vs", "mr", "mrs", "ms", "dr", "st", "min", "max", "fig", "tel")
_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
# List bullets: markdown's, and the glyphs PDF text extraction gives for them (pypdf reads reportlab's
# and many fonts' bullet as DEL, "\x7f"; Symbol and Wingdings bullets land in the private use area).
_BULLETS = "-*+\u2022\u2023\u2043\u25aa\u25cf\u25e6\x7f\uf0a7\uf0b7"
_MARKUP = re.compile(rf"^\s*(?:#{{1,6}}\s+|[{_BULLETS}]\s+|\d+[.)]\s+|>\s*)")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_HEADING = re.compile(r"^\s*#{1,6}\s+")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a passage, with the heading it sits under and where it came from."""

    text: str
    heading: str = ""
    source: str | None = None
    page: int | None = None


def _clean(text: str) -> str:
    text = _EMPHASIS.sub("", text).replace("|", " ")
    text = re.sub(r"\.{3,}", " ", text)  # dot leaders in timetables and price lists
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """``text`` as sentences: a line break always ends one (lists, headings, table rows), and
    within a line a sentence ends at . ! ? before an upper-case letter or a digit -- not after
    an initial or a common abbreviation.  Markup is removed; pieces without letters or digits
    are dropped."""
    return [s.text for s in _sentences(text)]


_STRUCTURED = re.compile(rf"^\s*(?:#{{1,6}}\s|[{_BULLETS}]\s|\d+[.)]\s|>|\||\[\d+:\d\d|[A-Z][A-Za-z /&-]{{0,40}}:\s)")


def _logical_lines(text: str) -> list[str]:
    """The text's lines with hard-wrapped ones joined: a line break ends a line only before a
    blank line, a list item, a heading, a table row or a "Label: value" line, or after a line
    that ends a sentence or is short (a title).  A line of a value alone ("14.74", "£6.50") joins the
    label line before it: OCR of a receipt or a form reads a label and its value as two lines."""
    out: list[str] = []
    for raw in str(text).splitlines():
        stripped = raw.strip()
        last = out[-1].strip() if out else ""
        continues = bool(last) and bool(stripped) and not _HEADING.match(out[-1]) and not last.startswith("|")
        value_of_label = (not any(ch.isalpha() for ch in stripped) and any(ch.isdigit() for ch in stripped)
                          and any(ch.isalpha() for ch in last) and not any(ch.isdigit() for ch in last)
                          and len(last) <= 40)
        wrapped = not _STRUCTURED.match(raw) and not re.search(r"[.!?:][\"'\u201d\u2019)\]]*\s*$", last) \
            and len(last) > 40
        if continues and (value_of_label or wrapped):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(raw)
    return out


def _sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    heading = ""
    for raw in _logical_lines(text):
        if not raw.strip() or set(raw.strip()) <= set("|-: "):  # table rules
            continue
        is_heading = bool(_HEADING.match(raw))
        line = _clean(_MARKUP.sub("", raw))
        if not line:
            continue
        if is_heading:
            heading = line
            out.append(Sentence(line, heading=""))
            continue
        start = 0
        for match in _END.finditer(line):
            before = line[start:match.start()].rstrip(".!?").split()
            last = before[-1].lower() if before else ""
            if len(last) == 1 or last.rstrip(".") in _ABBREVIATIONS:
                continue  # an initial or an abbreviation, not a sentence end
            out.append(Sentence(line[start:match.start()].strip(), heading=heading))
            start = match.end()
        out.append(Sentence(line[start:].strip(), heading=heading))
    return [s for s in out if len(s.text) >= 3 and any(ch.isalnum() for ch in s.text)]


def passage_sentences(passages: Any, limit: int = 200) -> list[Sentence]:
    """The sentences of retrieved passages (dicts with ``text``, ``source``, ``page``), in order,
    each sentence once."""
    out: list[Sentence] = []
    seen: set[str] = set()
    for passage in passages or []:
        if not isinstance(passage, dict):
            continue
        for s in _sentences(passage.get("text", "")):
            if s.text not in seen:
                seen.add(s.text)
                out.append(Sentence(s.text, heading=s.heading, source=passage.get("source"), page=passage.get("page")))
    return out[:limit]


# -- numbers ----------------------------------------------------------------------------------

_WORDS: dict[str, float] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
    "half": 0.5, "once": 1, "twice": 2,
}
_NUMBER = re.compile(r"(?<![\w.])(?P<currency>[£$€])?\s?(?P<value>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                     r"(?P<unit>\s?(?:%|per ?cent\b|[a-zA-Z]{1,12}\b)?)")
_WORD_NUMBER = re.compile(r"\b(" + "|".join(sorted(_WORDS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_UNIT_STOP = {"and", "or", "to", "of", "the", "a", "an", "in", "on", "at", "by", "for", "is", "are", "was", "per"}


@dataclass(frozen=True)
class Quantity:
    """A number read from text: its value, how it was written, its unit (``£``, ``%``,
    ``mm``, ``days``...; "" if none) and the sentence it came from."""

    value: float
    text: str
    unit: str
    sentence: Sentence

    @property
    def literal(self) -> str:
        """The value as an expression writes it (``1250.5``, ``12``)."""
        return f"{self.value:g}" if abs(self.value) < 1e15 else str(self.value)


def _unit(currency: str | None, unit: str) -> str:
    unit = unit.strip().lower()
    if currency:
        return currency
    if unit in ("%", "percent", "per cent", "pc"):
        return "%"
    return "" if unit in _UNIT_STOP or unit.isdigit() else unit


# Spelled-out units and their symbols, so "1.20 metres" and "1.20 m" are one quantity.
_UNIT_NAMES: dict[str, str] = {
    **dict.fromkeys(("m", "metre", "meter"), "m"), **dict.fromkeys(("cm", "centimetre", "centimeter"), "cm"),
    **dict.fromkeys(("mm", "millimetre", "millimeter"), "mm"), **dict.fromkeys(("km", "kilometre", "kilometer"), "km"),
    **dict.fromkeys(("ft", "foot", "feet"), "ft"), **dict.fromkeys(("mi", "mile"), "mi"),
    **dict.fromkeys(("kg", "kilo", "kilogram", "kilogramme"), "kg"), **dict.fromkeys(("g", "gram", "gramme"), "g"),
    **dict.fromkeys(("lb", "lbs"), "lb"), **dict.fromkeys(("oz", "ounce"), "oz"),
    **dict.fromkeys(("l", "litre", "liter"), "l"), **dict.fromkeys(("ml", "millilitre", "milliliter"), "ml"),
    **dict.fromkeys(("s", "sec", "second"), "s"), **dict.fromkeys(("min", "minute"), "min"),
    **dict.fromkeys(("h", "hr", "hour"), "h"), **dict.fromkeys(("wk", "week"), "week"),
    **dict.fromkeys(("yr", "year"), "year"), **dict.fromkeys(("kw", "kilowatt"), "kw"),
    **dict.fromkeys(("w", "watt"), "w"), **dict.fromkeys(("db", "decibel"), "db"),
    **dict.fromkeys(("mph", "mile per hour"), "mph"),
}


# What each unit measures (by its ``unit_key``).  Units not listed (hens, people, "working") measure
# nothing known: a number of hens is not a number of birds for a reader, but no unit tells it.
DIMENSION: dict[str, str] = {
    **dict.fromkeys(("m", "cm", "mm", "km", "ft", "mi"), "length"), **dict.fromkeys(("kg", "g", "lb", "oz"), "mass"),
    **dict.fromkeys(("l", "ml"), "volume"), **dict.fromkeys(("kw", "w"), "power"), "kwh": "energy", "db": "loudness",
    **dict.fromkeys(("s", "min", "h", "day", "week", "month", "year"), "time"),
    **dict.fromkeys(("£", "$", "€"), "money"), "%": "share", "mph": "speed", "time": "time of day",
}


def measures(unit: str) -> str:
    """What ``unit`` measures ("length", "money", "time of day"...), "" when it is no known unit."""
    return DIMENSION.get(unit_key(unit), "")


def unit_key(unit: str) -> str:
    """A unit as a comparison key: lower-cased, singular, symbol for a spelled-out name (``metres``
    and ``m``, ``mins`` and ``minutes``, ``Days`` and ``day``)."""
    unit = unit.strip().lower()
    if unit in _UNIT_NAMES:
        return _UNIT_NAMES[unit]
    singular = unit[:-1] if len(unit) > 2 and unit.endswith("s") and not unit.endswith("ss") else unit
    return _UNIT_NAMES.get(singular, singular)


_TIME = re.compile(r"(?<![\w.:])(?P<hour>\d{1,2})(?::(?P<minute>\d\d)(?!\d)\s?(?P<half>[ap]\.?m\b\.?)?|"
                   r"\.(?P<minute2>\d\d)\s?(?P<half2>[ap]\.?m\b\.?)|\s?(?P<half3>[ap]\.?m\b\.?))", re.IGNORECASE)


def _times(text: str) -> list[tuple[float, str, str, tuple[int, int]]]:
    """Times of day (``8:15am``, ``20:00``, ``7 pm``, ``9.30am``) as hours after midnight (``8.25``),
    with unit ``time``: "8pm" and "20:00" are one time, and "10:00" holds no number 0."""
    found = []
    for m in _TIME.finditer(text):
        hour, minute = int(m.group("hour")), int(m.group("minute") or m.group("minute2") or 0)
        half = (m.group("half") or m.group("half2") or m.group("half3") or "").lower()[:1]
        if hour > 24 or minute > 59 or (half and not 1 <= hour <= 12):
            continue
        if half == "p" and hour < 12:
            hour += 12
        elif half == "a" and hour == 12:
            hour = 0
        found.append((hour + minute / 60, m.group(0).strip(), "time", m.span()))
    return found


def numbers_in(text: str) -> list[tuple[float, str, str]]:
    """``(value, written form, unit)`` of every number in ``text``: digits (``1,200``, ``4.5``,
    ``£85``, ``12%``, ``8 mm``), times of day (``8:15am`` is 8.25 with unit ``time``) and number
    words (``three``, ``twenty``, ``twice``)."""
    times = _times(text)
    found: list[tuple[float, str, str]] = [(value, written, unit) for value, written, unit, _ in times]
    for m in _NUMBER.finditer(text):
        if any(start <= m.start("value") < end for *_, (start, end) in times):
            continue
        value = float(m.group("value").replace(",", ""))
        found.append((value, m.group(0).strip(), _unit(m.group("currency"), m.group("unit") or "")))
    for m in _WORD_NUMBER.finditer(text):
        word = m.group(1).lower()
        if word in ("once", "half") and not re.search(rf"\b{word}\b\s+(?:a|an|per|the|every)\b", text, re.I):
            continue  # "once" and "half" are numbers only in "once a week", "half the fee"...
        found.append((float(_WORDS[word]), m.group(1), ""))
    return found


# Words that ask to combine or compare facts ("how much more", "together", "instead of", "once
# the fees are added", "over a year"); "total" and "per" are not among them: "the total number of
# cars" and "the charge per day" are facts as written.
_COMBINING = re.compile(r"\b(?:(?<!any )(?<!no )more|less|fewer|longer|shorter|heavier|lighter|cheaper|dearer|"
                        r"saves?|saving|difference|than|together|altogether|in all|combined|counting|"
                        r"left|extra|instead|added|adding|plus|on top|over a (?:year|month|week|day))\b|"
                        r"\bfrom(?: [\w'-]+){1,4} to\b", re.IGNORECASE)
_LABEL = re.compile(r"(?:\b[A-Z][A-Za-z]*|[A-Za-z]-)\s?$")  # "Year 5", "Band 2", "Eco 50", "HP-12": names, not counts
_LISTING = re.compile(r"\b\w+(?: \w+)*, (?:\w+ )*\w+(?:,? and | or )", re.IGNORECASE)  # "a sofa, a wardrobe and ..."


def asks_to_combine(question: str) -> bool:
    """Whether ``question`` gives quantities of its own or asks to combine or compare facts:
    a count, an amount or a measure ("two adults", "£60", "12 litres", "my partner and I"; not
    "one", a time of day or a number that names something, as in "Year 5"), a list of several
    things ("a sofa, a wardrobe and a mattress"), or a word that combines ("more than", "together",
    "instead of", "from ... to", "over a year").  What a question that needs arithmetic has, and
    most lookups have not: a cheap first test before a model's judgement (measured:
    benchmarks/data/quality/README.md)."""
    times = [span for *_, span in _times(question)]
    for m in _NUMBER.finditer(question):
        value = float(m.group("value").replace(",", ""))
        unit = _unit(m.group("currency"), m.group("unit") or "")
        in_time = any(start <= m.start("value") < end for start, end in times)
        if not in_time and (value >= 2 or unit) and not _LABEL.search(question[:m.start()]):
            return True
    if any(_WORDS[m.group(1).lower()] >= 2 for m in _WORD_NUMBER.finditer(question)) or implied_counts(question):
        return True
    return bool(_COMBINING.search(question) or _LISTING.search(question))


# Two people or things named without a number: "both", "twins", "a pair of", "my partner and I",
# "me and my sister".
_PAIR = re.compile(r"\b(?:both|twins|a pair of|(?:my|our) [a-z]+(?: [a-z]+)? and I|me and my [a-z]+)\b", re.IGNORECASE)


def implied_counts(text: str) -> list[tuple[float, str, str]]:
    """``(2.0, words, "")`` for each pair that ``text`` names without a number ("both of us",
    "my twins", "my partner and I"): a count a calculation may use although no digit or number
    word states it (in ``numbers_in``'s form)."""
    return [(2.0, m.group(0), "") for m in _PAIR.finditer(text)]


# What a question asks for, by its frame: a share ("what percent of my fee"), an amount of money
# ("what will it cost", "how much do we pay"), or a count of a unit ("how many minutes", "how many km").
_ASKS_SHARE = re.compile(r"\b(?:what|which|how many|how much of a)\s+(?:percent|per cent|percentage|proportion|"
                         r"share)\b|\bwhat\s+%", re.IGNORECASE)
_ASKS_MONEY = re.compile(r"\bhow much\b(?:(?!\?).)*\b(?:cost|costs|pay|paying|charge|charged|spend|owe|refund|"
                         r"get back|come to|comes to)\b|\bhow much (?:money|extra|more) (?:do|does|is|will|would)\b|"
                         r"\bwhat(?:'s| is| are| will| would| does| do)?\b(?:(?!\?).){0,40}\b(?:cost|costs|price|"
                         r"fee|fees|charge|bill|fare|fares|rate|pay)\b", re.IGNORECASE)
_ASKS_UNIT = re.compile(r"\bhow many\s+(?:more |fewer |extra )?([a-z]+)", re.IGNORECASE)


def asked_measure(question: str) -> str:
    """What the answer to ``question`` measures (a ``DIMENSION`` value), as its frame says: "share"
    for "what percent of ...", "money" for "how much will it cost", the unit's for "how many
    minutes"; "" when the frame does not say ("How long ...?" may ask a time or a length)."""
    if _ASKS_SHARE.search(question):
        return "share"
    unit = _ASKS_UNIT.search(question)
    if unit and measures(unit.group(1)):
        return measures(unit.group(1))
    return "money" if _ASKS_MONEY.search(question) else ""


def quantities(sentences: list[Sentence]) -> list[Quantity]:
    """Every number in ``sentences``, with its unit and sentence."""
    return [Quantity(value, written, unit, s) for s in sentences for value, written, unit in numbers_in(s.text)]


# -- words ------------------------------------------------------------------------------------

# the stop words, as a sentence of words (easier to read and extend than a list)
_STOP = set(
    "a an the of to in on for and or is are be do does did i my me we you your it its at by with from this that "  # noqa: SIM905
    "these those what which who whom how when where why can could should would will may might must our us they "
    "them their there than then so if as not no yes any all some much many more most up out about into over after "
    "before get got have has had was were been being am just also only very please tell know want need like done "
    "doing".split()
)


# "What time", "which day": the question's frame, not what it is about ("What time does the café
# open?" is about the café, and a sentence saying "at any time" is no nearer to it).
_FRAME = re.compile(r"\b(?:what|which)\s+(?:time|times|day|days|date|dates|year|month)\b", re.IGNORECASE)


def asked_words(question: str) -> set[str]:
    """The content words of a question, without its frame ("what time", "which day")."""
    return content_words(_FRAME.sub(" ", question))


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its content: lower-cased, light suffixes removed
    (``descaled`` and ``descale`` meet, ``cats`` and ``cat``), stop words and one-letter words dropped; numbers and
    codes (``e5``, ``0508``, ``10:30``) kept as written."""
    return set(words(text, _STOP))


def name_words(source: str | None) -> set[str]:
    """The content words of a document's file name ("millbrook-rowing-club-handbook.md": millbrook, rowing...)."""
    return content_words(PurePosixPath(str(source or "")).stem.replace("_", " ").replace("-", " "))


def named_documents(question: str, sentences: list[Sentence]) -> set[str]:
    """The sources among ``sentences`` that ``question`` names: a word of their file names that not
    every source's name has and the other sources' sentences do not use ("the maritime museum", "the
    Millbrook boathouse"; not "membership" of coworking-membership-terms.md when a climbing wall's
    sentences speak of memberships too); empty when it names none, or when there is only one source."""
    names = {s.source: name_words(s.source) for s in sentences if s.source}
    if len(names) < 2:
        return set()
    asked, shared = asked_words(question), set.intersection(*names.values())
    used: dict[str, set[str]] = {}
    for s in sentences:
        if s.source:
            used.setdefault(s.source, set()).update(content_words(f"{s.heading} {s.text}"))

    def names_it(source: str, words: set[str]) -> bool:
        elsewhere = set().union(*(u for other, u in used.items() if other != source))
        return bool(asked & (words - shared) - elsewhere)

    return {source for source, words in names.items() if names_it(source, words)}
