"""The public API: one path for everything (``rubric``), docs that import only from it,
and an overview in ``help(rubric)``."""

from __future__ import annotations

import pickle
import pydoc
import re
from pathlib import Path

import rubric

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTED_SUBPACKAGES = {"rubric", "rubric.testing", "rubric.dask"}  # optional extras


def test_every_public_class_and_function_reports_its_public_path() -> None:
    wrong = {name: obj.__module__ for name in rubric.__all__
             if isinstance(obj := getattr(rubric, name), type) or callable(obj)
             if obj.__module__ != "rubric"}
    assert wrong == {}


def test_public_objects_pickle_by_their_public_path() -> None:
    ruleset = rubric.load_ruleset(ROOT / "rulesets" / "xiangtan-kgxj-2023" / "ruleset.yaml")
    data = pickle.dumps(ruleset)
    assert b"rubric.tree" not in data
    assert pickle.loads(data) == ruleset


def test_docs_import_only_from_the_public_api() -> None:
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for block in re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), re.S):
            for module in re.findall(r"^\s*(?:from|import)\s+(rubric[\w.]*)", block, re.M):
                if module not in DOCUMENTED_SUBPACKAGES:
                    found.append(f"{doc.name}: {module}")
    assert found == []


def test_help_gives_an_overview() -> None:
    text = pydoc.render_doc(rubric, renderer=pydoc.plaintext)
    for name in ("load_ruleset", "evaluate", "score_batch", "check_ruleset", "audit",
                 "what_if", "write_report", "RubricError"):
        assert name in text.split("PACKAGE CONTENTS")[0], name
