"""The README's example runs and says what it claims."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_example_scores_as_its_comments_say() -> None:
    text = README.read_text(encoding="utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", text, re.S)
    namespace: dict[str, object] = {"print": lambda *args: None}
    exec(compile(code, str(README), "exec"), namespace)
    result = namespace["result"]
    assert result.total.score == Decimal("6.00")  # type: ignore[attr-defined]
    assert "3 step(s) of 2" in result.explain("en")  # type: ignore[attr-defined]


def test_readme_quick_start_has_exactly_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", quick, re.S)
    assert commands == [
        ("python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/rubric score "
         "rulesets/xiangtan-kgxj-2023/ruleset.yaml rulesets/xiangtan-kgxj-2023/facts.yaml"),
        'python3 -m venv .venv && .venv/bin/pip install -q ".[test]" && .venv/bin/python -m pytest',
    ]
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci
