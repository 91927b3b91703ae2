"""The Chinese docs (docs/zh/*.md) say what the code does: every whole ruleset in a
```yaml block loads and checks without errors, and every ```sh block of `rubric`
commands runs with exit code 0 from the repository root."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rubric import check_file, check_ruleset, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs" / "zh").glob("*.md"))


def _blocks(language: str) -> list[tuple[str, int, str]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in re.finditer(rf"^```{language}\n(.*?)^```", text, re.S | re.M):
            line = text.count("\n", 0, match.start()) + 1
            found.append((doc.name, line, match.group(1)))
    return found


RULESETS = [b for b in _blocks("yaml") if re.search(r"^rubric: 1\s*$", b[2], re.M)]
COMMANDS = []
for _name, _line, _body in _blocks("sh"):
    if _body.startswith("rubric "):
        _joined = _body.replace("\\\n", " ")
        COMMANDS += [(_name, _line, c) for c in _joined.splitlines() if c.strip()]


def test_the_docs_have_examples() -> None:
    assert {d.name for d in DOCS} >= {"README.md", "ruleset.md", "scoring.md", "audit.md",
                                      "batch.md", "check.md"}
    assert len(RULESETS) >= 10
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize(("doc", "line", "text"), RULESETS,
                         ids=[f"{d}:{n}" for d, n, _ in RULESETS])
def test_ruleset_block_loads_and_checks(doc: str, line: int, text: str,
                                        tmp_path: Path) -> None:
    path = tmp_path / "ruleset.yaml"
    path.write_text(text, encoding="utf-8")
    ruleset = load_ruleset(path)
    errors = [f for f in check_ruleset(ruleset) if f.severity == "error"]
    assert errors == [], f"{doc}:{line}"


def test_commands_run() -> None:
    # One test runs every command (four at a time); each failure names its line.
    env = {**os.environ,
           "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}

    def run(item: tuple[str, int, str]) -> str | None:
        doc, line, command = item
        argv = shlex.split(command)
        if argv[0] != "rubric":
            return f"{doc}:{line}: {command}: not a rubric command"
        done = subprocess.run([sys.executable, "-m", "rubric", *argv[1:]], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            return f"{doc}:{line}: {command}: exit {done.returncode}\n{done.stderr}"
        return None

    with ThreadPoolExecutor(max_workers=4) as pool:
        failures = [f for f in pool.map(run, COMMANDS) if f is not None]
    assert failures == []


def test_the_flawed_example_has_the_findings_check_md_explains() -> None:
    # check.md shows docs/zh/examples/flawed.yaml as a counter-example (a ```text block, so
    # the test above skips it); its findings are the ones the page walks through.
    findings = check_file(ROOT / "docs" / "zh" / "examples" / "flawed.yaml")
    assert sorted(f.code for f in findings) == sorted([
        "band-gap", "direction", "above-max", "min-above-zero", "group-sum",
        "min-above-zero", "unused-fact", "unit-mismatch"])
