"""The error catalog (``rubric.i18n``) is complete: every message a raise site writes has
its Chinese, and the Chinese of every entry reads the same values as its English.

The source of ``src/rubric`` is walked with ``ast``: every call building an error
(``RubricError(...)`` and its subclasses, ``Problem(...)``, a loader's ``problem(...)``, the
service's ``ClientError(status, ...)``, a formula's ``_invalid(text, what, why)``, the CLI's
``_usage_error(args, ...)``, a case's ``fail(line, ...)``, an item appended to a list of
``problems``) whose message is a literal, an f-string or a sum of them, a
message assigned to a variable before the call, and every ``expected=``, ``example=``
(when it has words) and ``what=`` text. Each is compared with the catalog by its shape:
the literal text with every placeholder as one hole. A missing one fails the test with
the line to add, e.g. ``("fact '{name}' is declared twice", ""),  # src/rubric/tree.py:312``.
Run this file with python to print every missing line at once.
"""

from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "rubric"
sys.path.insert(0, str(SRC))

from rubric.i18n import ENTRIES, translate  # noqa: E402
from rubric.i18n.catalog import literal, placeholders  # noqa: E402

ERRORS = {"RubricError", "RulesetError", "UnitError", "FormulaError", "FactError",
          "EvaluationError", "FileError", "MissingDependency", "Problem", "problem",
          "LoadError", "error"}
#: calls whose message is not their first argument: name -> its position
POSITION = {"ClientError": 1, "_invalid": 2, "fail_usage": 1, "translate": 0, "usage_error": 1,
            "fail": 1, "_problem": 1, "report": 0}
#: lists of problems whose items become one error's message (``problems.append(f"...")``)
PROBLEM_LISTS = {"problems"}
KEYWORDS = ("expected", "example", "what")
#: calls taking ``expected`` by position: name -> its position
EXPECTED_AT = {"_error": 1}
#: functions whose returned text goes into messages (a value described, a number's fault)
FRAGMENTS = {"describe", "problem", "text_problem", "_in_unit"}
HOLE = "\0"
_LETTERS = re.compile(r"[A-Za-z]{2,}")
_HINT = " (did you mean '"


class Site:
    """One message text in the source: where, its template (holes named after the source
    expressions) and its shape."""

    def __init__(self, file: Path, line: int, parts: list[str | ast.expr]) -> None:
        self.file, self.line = file, line
        names: list[str] = []
        text = []
        for part in parts:
            if isinstance(part, str):
                text.append(part.replace("{", "{{").replace("}", "}}"))
            else:
                words = re.findall(r"[A-Za-z_]\w*", ast.unparse(part)) or ["value"]
                name = words[-1].strip("_") or "value"
                while name in names:
                    name += "_"
                names.append(name)
                text.append("{" + name + "}")
        self.template = "".join(text)
        hint = self.template.find(_HINT)
        if hint > 0 and self.template.endswith("'?)"):  # the catalog's frame
            self.template = self.template[:hint]
        self.shape = shape_of(self.template)

    @property
    def where(self) -> str:
        return f"{self.file.relative_to(SRC.parent)}:{self.line}"


def shape_of(template: str) -> str:
    """The literal text of a template with each placeholder one hole."""
    out = []
    for text, name, _spec, _conv in string.Formatter().parse(template):
        out.append(text)
        if name is not None:
            out.append(HOLE)
    return "".join(out)


def parts_of(node: ast.expr) -> list[str | ast.expr] | None:
    """A message expression as literal text and placeholder expressions; None when it is
    not built from literals (a variable, a call)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out: list[str | ast.expr] = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                out.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                out.append(value.value)
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = parts_of(node.left)
        if left is None:
            return None
        right = node.right
        if isinstance(right, ast.IfExp) and _HINT in ast.unparse(right.body):
            return left  # the "did you mean" suffix is the catalog's frame
        tail = parts_of(right)
        return [*left, *(tail if tail is not None else [right])]
    return None


def _is_hint(node: ast.expr) -> bool:
    return _HINT in ast.unparse(node)


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def sites() -> list[Site]:
    """Every message text of the source (see the module docstring)."""
    found: list[Site] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        assigned: dict[str, list[tuple[int, list[str | ast.expr]]]] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                    and isinstance(node.targets[0], ast.Name):
                parts = parts_of(node.value)
                if parts is not None:
                    assigned.setdefault(node.targets[0].id, []).append((node.lineno, parts))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in FRAGMENTS:
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Return) and inner.value is not None:
                        parts = parts_of(inner.value)
                        if parts is not None:
                            found.append(Site(path, inner.lineno, parts))
            if not isinstance(node, ast.Call):
                continue
            at = EXPECTED_AT.get(_name(node.func) or "")
            if at is not None and len(node.args) > at:
                parts = parts_of(node.args[at])
                if parts is not None:
                    found.append(Site(path, node.lineno, parts))
            name = _name(node.func)
            if (name == "append" and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id in PROBLEM_LISTS and node.args):
                parts = parts_of(node.args[0])
                if parts is not None:
                    found.append(Site(path, node.lineno, parts))
            if name in ERRORS or name in POSITION:
                position = POSITION.get(name or "", 0)
                if len(node.args) > position:
                    arg = node.args[position]
                    parts = parts_of(arg)
                    if parts is not None:
                        found.append(Site(path, node.lineno, parts))
                    elif isinstance(arg, ast.Name) and arg.id in ("message", "why", "text"):
                        found.extend(Site(path, line, p) for line, p in assigned.get(arg.id, ()))
            for keyword in node.keywords:
                if keyword.arg in KEYWORDS and (name in ERRORS or name in POSITION
                                                or keyword.arg == "what"):
                    value = keyword.value
                    for branch in ((value.body, value.orelse) if isinstance(value, ast.IfExp)
                                   else (value,)):
                        parts = parts_of(branch)
                        if parts is not None:
                            found.append(Site(path, branch.lineno, parts))
    return [s for s in found if _LETTERS.search(s.shape.replace(HOLE, " "))
            and not _is_code(s.shape)]


def _is_code(shape: str) -> bool:
    """An example that is code or data (``points: [7, 9]``, ``Band(4, 0, 10)``), not words:
    no run of three English words."""
    if shape.startswith(("rubric ", "pip ")):
        return True
    prose = re.sub(r"'[^']*'|\"[^\"]*\"", "", shape)
    return not re.search(r"[A-Za-z]+[ ,]+[A-Za-z]+[ ,]+[A-Za-z]+", prose)


def missing() -> list[Site]:
    known = {shape_of(en) for en, _zh in ENTRIES}
    out: dict[str, Site] = {}
    for site in sites():
        if site.shape not in known:
            out.setdefault(site.shape, site)
    return list(out.values())


def test_every_message_of_the_source_has_its_chinese() -> None:
    lines = [f"    ({site.template!r}, \"\"),  # {site.where}" for site in missing()]
    assert not lines, (f"{len(lines)} messages have no Chinese in rubric.i18n; add each "
                       "to the ENTRIES of its area (rubric/i18n/*.py):\n" + "\n".join(lines))


def test_the_walk_sees_the_raise_sites() -> None:
    shapes = {site.shape for site in sites()}
    assert shape_of("fact '{name}' is declared twice") in shapes  # a raise
    assert shape_of("column {i} has no header") in shapes  # a Problem
    assert shape_of("unknown key '{key}' in {what}") in shapes  # a did-you-mean sum
    assert shape_of("it is empty") in shapes  # a formula's reason, _invalid(...)
    assert shape_of("a fact declared under facts") in shapes  # expected=
    assert len(shapes) > 300


def test_every_entry_reads_the_same_values_in_both_languages() -> None:
    wrong = [(en, zh) for en, zh in ENTRIES
             if sorted(set(placeholders(en))) != sorted(set(placeholders(zh))) or not zh]
    assert not wrong


def test_every_entry_has_words_and_is_listed_once() -> None:
    bare = [en for en, _zh in ENTRIES if len(literal(en).strip()) < 2]  # would match anything
    assert not bare, bare
    shapes = [shape_of(en) for en, _zh in ENTRIES]
    twice = sorted({s for s in shapes if shapes.count(s) > 1})
    assert not twice, twice


def test_every_entry_translates() -> None:
    # a placeholder such as {exc.key} is no regex group name: translating any message the
    # entry's words matched raised re.error, a traceback in place of the error
    from rubric.i18n.catalog import _compile

    for en, _zh in ENTRIES:
        for strict in (False, True):
            _compile(en, strict)
    assert translate("key '预算数' is given twice", "zh") == "键“预算数”出现了两次"


def test_the_chinese_has_no_english_sentence_left() -> None:
    left = [zh for _en, zh in ENTRIES if english_sentence(zh)]
    assert not left, left


def english_sentence(text: str) -> str | None:
    """A run of three or more English words outside quoted values, code and paths, or None."""
    prose = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”|`[^`]*`|\{[^{}]*\}|\S*[/\\.]\S*", " ", text)
    match = re.search(r"[A-Za-z]+(?:[ ,]+[A-Za-z]+){2,}", prose)
    return match.group() if match else None


if __name__ == "__main__":
    for site in missing():
        print(f"    ({site.template!r}, \"\"),  # {site.where}")
