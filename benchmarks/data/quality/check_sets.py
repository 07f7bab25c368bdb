"""Check the quality sets' facts against their own documents and pictures (best effort).

    .venv/bin/python benchmarks/data/quality/check_sets.py                 # every set: documents only
    .venv/bin/python benchmarks/data/quality/check_sets.py dev --pictures  # also run OCR/QR/faces/EXIF
    .venv/bin/python benchmarks/data/quality/check_sets.py --retrieval     # also search memory for each question

It reads the documents exactly as `agentkit memory ingest` does (agentkit.memory.ingest.read_pages),
so a PDF is checked through its extracted text. What it checks, per case:

- format: the keys and values EVAL_FORMAT.md allows, unique ids, the split named after the set,
  known tags, `sources` naming files of docs/, images that exist;
- document cases: every `contains` item, at least one `contains_any` item and the `number`
  value occur in the cited document(s); each `evidence: "..."` phrase of the note occurs in a
  cited document -- and a phrase found more than once in the whole set is reported, because
  then the question has more than one place to be answered from; expected answers that also
  occur in other documents are counted (listed for dev only);
- abstain cases: no `absent: "...", "..."` phrase of the note occurs in any document (a best
  effort that the documents do not answer them: the phrases are the words an answer would need);
- arithmetic cases: the note's `calc: EXPR = RESULT` evaluates to RESULT, RESULT equals the
  `number` check within its tolerance, and every number in EXPR occurs in the question or the
  cited documents or is listed after `given:` (a count the question states in words);
- retrieval (with --retrieval): the documents are ingested into a throw-away workspace and each
  document and arithmetic question is searched (k=3, as the assistant's retrieval step does); it
  reports how many find their cited source(s). It prints the missing ids for dev only, counts for
  heldout (so running it does not show heldout questions);
- picture cases (with --pictures): each `evidence:` phrase and every `contains`/`contains_any`/
  `number` expectation occurs in what agentkit's vision tools read from the picture (OCR text,
  QR payloads, "faces: N", EXIF values, dominant colour names).

Text is compared case-insensitively with whitespace collapsed and markdown/table marks removed;
words match on word boundaries and numbers as numbers, as `agentkit eval` compares answers.
Exit status 1 when anything fails; warnings do not fail.
"""

from __future__ import annotations

import argparse
import ast
import json
import operator
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SETS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6", "heldout7", "heldout8",
        "heldout9")
# the split each set's cases carry
SPLIT = {"dev": "dev", "heldout": "heldout", "heldout2": "heldout", "heldout3": "heldout", "heldout4": "heldout",
         "heldout5": "heldout", "heldout6": "heldout", "heldout7": "heldout", "heldout8": "heldout",
         "heldout9": "heldout"}
TAGS = {"documents", "yes-no", "abstain", "arithmetic", "picture", "receipt", "poster", "screenshot", "photo",
        "scan", "routing-trap"}
CHECK_KEYS = {"contains", "contains_any", "not_contains", "regex", "number", "json", "sources", "ran", "not_ran",
              "tools", "abstain"}
CASE_KEYS = {"id", "inputs", "checks", "tags", "split", "field", "note"}
NUMBER = re.compile(r"(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|(?<![\w.])\d+(?:\.\d+)?(?!\d)")


def normalise(text: str) -> str:
    text = re.sub(r"[*|#`]", " ", text)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s+([.,;:)!?])", r"\1", text)
    return text.strip().lower()


def occurrences(term: str, text: str) -> int:
    """How often ``term`` occurs in ``text`` (both normalised), on word boundaries."""
    term = normalise(term)
    if not term:
        return 0
    return len(re.findall(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text))


def numbers(text: str) -> list[float]:
    return [float(n.replace(",", "")) for n in NUMBER.findall(text)]


def has_number(value: float, text: str, tolerance: float = 1e-9) -> bool:
    return any(abs(n - value) <= tolerance + 1e-9 for n in numbers(text))


def note_phrases(note: str, label: str) -> list[str]:
    """The quoted phrases after ``label:`` in a note (``evidence: "a", "b"``); repeated labels add up."""
    found: list[str] = []
    for match in re.finditer(label + r':\s*((?:"[^"]*"(?:\s*,\s*)?)+)', note):
        found.extend(re.findall(r'"([^"]*)"', match.group(1)))
    return found


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate(expression: str) -> float:
    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        raise ValueError(f"unsupported expression part {ast.dump(node)}")
    return walk(ast.parse(expression, mode="eval"))


def read_docs(folder: Path) -> dict[str, str]:
    from agentkit.memory.ingest import read_pages

    texts = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            texts[path.name] = normalise("\n".join(page.text for page in read_pages(path)))
    return texts


def picture_text(path: Path) -> str:
    """Everything agentkit's vision tools read from a picture, as one normalised text."""
    from agentkit.vision import read_text, set_image_roots
    from agentkit.vision.analysis import detect_faces, inspect_image, read_qr

    set_image_roots([path.parent])  # the set's own images/ folder, wherever the checker runs from
    seen = read_text(str(path))["text"]
    qr = " ".join(code["text"] for code in read_qr(str(path))["codes"])
    faces = detect_faces(str(path))["count"]
    info = inspect_image(str(path))
    exif = " ".join(str(v) for v in info["exif"].values())
    colours = " ".join(c["name"] for c in info["dominant_colors"])
    return normalise(f"{seen}\n{qr}\nfaces: {faces}\n{exif}\n{colours}")


class Report:
    def __init__(self, name: str) -> None:
        self.name, self.failures, self.warnings, self.checked = name, [], [], Counter()
        self.elsewhere: list[str] = []  # expected answers that also occur in other documents (informative)

    def fail(self, case: str, message: str) -> None:
        self.failures.append(f"{self.name}/{case}: {message}")

    def warn(self, case: str, message: str) -> None:
        self.warnings.append(f"{self.name}/{case}: {message}")


def check_format(case: dict, split: str, folder: Path, docs: dict[str, str], report: Report) -> None:
    cid = case.get("id", "?")
    if set(case) - CASE_KEYS:
        report.fail(cid, f"unknown keys {sorted(set(case) - CASE_KEYS)}")
    for key in ("id", "inputs", "checks", "tags", "split"):
        if key not in case:
            report.fail(cid, f"missing {key!r}")
    if case.get("split") != split:
        report.fail(cid, f"split {case.get('split')!r}, expected {split!r}")
    if set(case.get("tags", [])) - TAGS:
        report.fail(cid, f"unknown tags {sorted(set(case['tags']) - TAGS)}")
    checks = case.get("checks", {})
    if set(checks) - CHECK_KEYS:
        report.fail(cid, f"unknown checks {sorted(set(checks) - CHECK_KEYS)}")
    if "regex" in checks:
        try:
            re.compile(checks["regex"])
        except re.error as exc:
            report.fail(cid, f"bad regex: {exc}")
    for source in checks.get("sources", []):
        if source not in docs:
            report.fail(cid, f"source {source!r} is not a file of docs/")
    image = case.get("inputs", {}).get("image")
    if image and not (folder / image).is_file():
        report.fail(cid, f"image {image!r} does not exist")
    if not case.get("inputs", {}).get("question"):
        report.fail(cid, "no question")


def check_document(case: dict, docs: dict[str, str], report: Report) -> None:
    cid, checks, note = case["id"], case["checks"], case.get("note", "")
    cited = " \n ".join(docs.get(s, "") for s in checks.get("sources", []))
    if not checks.get("sources"):
        report.fail(cid, "a document case names no source")
    for item in checks.get("contains", []):
        if not occurrences(item, cited):
            report.fail(cid, f"expected {item!r} is not in {checks.get('sources')}")
    if "contains_any" in checks and not any(occurrences(i, cited) for i in checks["contains_any"]):
        report.fail(cid, f"none of {checks['contains_any']} is in {checks.get('sources')}")
    if "number" in checks and not has_number(checks["number"]["value"], cited, checks["number"].get("tolerance", 0)):
        report.fail(cid, f"number {checks['number']['value']} is not in {checks.get('sources')}")
    evidence = note_phrases(note, "evidence")
    if not evidence:
        report.fail(cid, "the note has no evidence: \"...\" phrase")
    for phrase in evidence:
        if not occurrences(phrase, cited):
            report.fail(cid, f"evidence {phrase!r} is not in {checks.get('sources')}")
        total = sum(occurrences(phrase, text) for text in docs.values())
        if total > 1:
            report.warn(cid, f"evidence {phrase!r} occurs {total} times in the set's documents")
    for item in checks.get("contains", []) + checks.get("contains_any", [])[:1]:
        elsewhere = sorted(name for name, text in docs.items()
                           if occurrences(item, text) and name not in checks["sources"])
        if elsewhere:
            report.elsewhere.append(f"{cid}: expected {item!r} also occurs in {elsewhere}")
    report.checked["documents"] += 1


def check_abstain(case: dict, docs: dict[str, str], report: Report) -> None:
    cid = case["id"]
    absent = note_phrases(case.get("note", ""), "absent")
    if not absent:
        report.fail(cid, "the note has no absent: \"...\" phrases")
    for phrase in absent:
        where = [name for name, text in docs.items() if occurrences(phrase, text)]
        if where:
            report.fail(cid, f"{phrase!r} occurs in {where}: the documents may answer it")
    if case["checks"].get("abstain") is not True:
        report.fail(cid, "an abstain case without checks.abstain = true")
    report.checked["abstain"] += 1


def check_arithmetic(case: dict, docs: dict[str, str], report: Report) -> None:
    cid, checks, note = case["id"], case["checks"], case.get("note", "")
    match = re.search(r"calc:\s*([^=]+)=\s*(-?[\d.]+)", note)
    if "number" not in checks:
        report.fail(cid, "an arithmetic case without a number check")
        return
    if not match:
        report.fail(cid, "the note has no calc: EXPR = RESULT")
        return
    expression, stated = match.group(1).strip(), float(match.group(2).rstrip("."))
    value, tolerance = checks["number"]["value"], checks["number"].get("tolerance", 0)
    try:
        result = evaluate(expression)
    except (ValueError, SyntaxError, ZeroDivisionError) as exc:
        report.fail(cid, f"calc {expression!r} does not evaluate: {exc}")
        return
    if abs(result - stated) > 1e-6 or abs(result - value) > tolerance + 1e-9:
        report.fail(cid, f"calc {expression} = {result:g}, note says {stated:g}, check expects {value:g}")
    given_match = re.search(r"given:\s*(.*)$", note)
    given = numbers(re.sub(r"\([^)]*\)", "", given_match.group(1))) if given_match else []
    question = normalise(case["inputs"]["question"])
    cited = " \n ".join(docs.get(s, "") for s in checks.get("sources", []))
    for operand in numbers(expression):
        if not (has_number(operand, question) or has_number(operand, cited) or operand in given):
            report.fail(cid, f"operand {operand:g} is in neither the question nor {checks.get('sources')} "
                             f"and not listed as given")
    report.checked["arithmetic"] += 1


def check_picture(case: dict, folder: Path, report: Report, cache: dict[str, str]) -> None:
    cid, checks = case["id"], case["checks"]
    image = case["inputs"]["image"]
    if image not in cache:
        cache[image] = picture_text(folder / image)
    seen = cache[image]
    evidence = note_phrases(case.get("note", ""), "evidence")
    if not evidence:
        report.fail(cid, "the note has no evidence: \"...\" phrase")
    for phrase in evidence:
        if not occurrences(phrase, seen):
            report.fail(cid, f"the vision tools did not read {phrase!r} in {image}")
    for item in checks.get("contains", []):
        if not occurrences(item, seen):
            report.fail(cid, f"the vision tools did not read {item!r} in {image}")
    if "contains_any" in checks and not any(occurrences(i, seen) for i in checks["contains_any"]):
        report.fail(cid, f"the vision tools read none of {checks['contains_any']} in {image}")
    if "number" in checks and not has_number(checks["number"]["value"], seen, checks["number"].get("tolerance", 0)):
        report.fail(cid, f"the vision tools did not read {checks['number']['value']} in {image}")
    report.checked["picture"] += 1


def check_retrieval(name: str, folder: Path, cases: list[dict], k: int = 3) -> None:
    """Ingest docs/ into a fresh workspace and count the questions whose cited sources come back."""
    import os
    import tempfile

    with tempfile.TemporaryDirectory(prefix="quality-retrieval-") as workspace:
        os.environ["AGENTKIT_WORKSPACE"] = workspace
        from agentkit.memory import get_store, ingest

        store = get_store(path=Path(workspace) / "memory")
        ingest([str(folder / "docs")], "memory", store=store)
        found, asked, missing = 0, 0, []
        for case in cases:
            if {"documents", "arithmetic"} & set(case["tags"]) and case["checks"].get("sources"):
                hits = store.query("memory", case["inputs"]["question"], k=k)
                names = {Path(hit.source or "").name for hit in hits}
                asked += 1
                if set(case["checks"]["sources"]) <= names:
                    found += 1
                else:
                    missing.append(case["id"])
    print(f"   retrieval: cited source(s) in the top {k} for {found} of {asked} questions"
          + (f"; missed: {', '.join(missing)}" if missing and name == "dev" else ""))


def check_set(name: str, pictures: bool, retrieval: bool = False) -> Report:
    folder = HERE / name
    report = Report(name)
    lines = (folder / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    if set(header) != {"setup"} or header["setup"].get("ingest") != ["docs/"]:
        report.fail("header", "the first line must be {\"setup\": {\"ingest\": [\"docs/\"], ...}}")
    docs = read_docs(folder / "docs")
    cases = [json.loads(line) for line in lines[1:] if line.strip()]
    ids = Counter(case.get("id") for case in cases)
    for cid, n in ids.items():
        if n > 1:
            report.fail(cid, f"id used {n} times")
    tags: Counter[str] = Counter()
    cache: dict[str, str] = {}
    for case in cases:
        check_format(case, SPLIT[name], folder, docs, report)
        tags.update(case.get("tags", []))
        kinds = set(case.get("tags", []))
        if "abstain" in kinds:
            check_abstain(case, docs, report)
        elif "arithmetic" in kinds:
            check_arithmetic(case, docs, report)
        elif "picture" in kinds:
            if pictures:
                check_picture(case, folder, report, cache)
        elif "documents" in kinds:
            check_document(case, docs, report)
        else:
            report.fail(case.get("id", "?"), "no kind tag (documents, abstain, arithmetic, picture)")
    words = {doc: len(text.split()) for doc, text in docs.items()}
    pictures_folder = folder / "images"
    n_pictures = len(list(pictures_folder.iterdir())) if pictures_folder.is_dir() else 0
    print(f"== {name}: {len(cases)} cases, {len(docs)} documents, {n_pictures} pictures")
    print("   tags:", ", ".join(f"{tag} {n}" for tag, n in sorted(tags.items())))
    print("   words per document:", ", ".join(f"{doc} {n}" for doc, n in words.items()))
    print("   checked:", dict(report.checked))
    if report.elsewhere:
        print(f"   {len(report.elsewhere)} expected answer(s) also occur in another document (the evidence decides)"
              + (":" if name == "dev" else " (details shown for dev only)"))
        if name == "dev":
            for line in report.elsewhere:
                print("     ", line)
    if retrieval:
        check_retrieval(name, folder, cases)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", metavar="SET", help=f"any of {', '.join(SETS)} (default: all)")
    parser.add_argument("--pictures", action="store_true", help="also run the vision tools on every picture case")
    parser.add_argument("--retrieval", action="store_true",
                        help="also ingest the documents into a temporary workspace and search each question")
    args = parser.parse_args(argv)
    for name in args.sets:
        if name not in SETS:
            parser.error(f"unknown set {name!r}; choose from {', '.join(SETS)}")
    failures = 0
    for name in args.sets or SETS:
        report = check_set(name, args.pictures, args.retrieval)
        for line in report.warnings:
            print("   warning:", line)
        for line in report.failures:
            print("   FAIL:", line)
        failures += len(report.failures)
    print("all checks passed" if not failures else f"{failures} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
