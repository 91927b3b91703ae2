"""``rubric check``: prove rulesets sane before they score anyone.

Thin: loads each RULESET with ``check.check_file`` and prints one line per finding,
``file:line: error|warning|note: message [indicator path]``, then a summary; or, with
``--format json``, one JSON document of the findings and the summary, or with
``--format sarif`` a SARIF 2.1.0 log for code-scanning tools. Exit 1 when any error was
found (or any warning, with ``--strict``), else 0. ``--lang zh`` prints every finding (and
the summary) in Chinese, from the message catalog ``verify.messages``; English is the
default.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..verify.messages import Lang

from .command import add_command

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``check`` sub-command."""
    p = add_command(subparsers, "check", run)
    p.add_argument("rulesets", metavar="RULESET", nargs="+", help="ruleset file(s) to check")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                   help="text (default: one line per finding and a summary), json (the "
                        "findings and the summary) or sarif (SARIF 2.1.0, for code scanning)")


def run(args: argparse.Namespace) -> int:
    from ..errors import FileError
    from ..io.files import check_text_file
    from ..verify.check import Finding, check_file, finding
    from ..verify.messages import Free, msg

    fmt = getattr(args, "format", "text")
    lang: Lang = "zh" if getattr(args, "lang", "en") == "zh" else "en"
    errors = warnings = notes = 0
    found: list[tuple[str, Finding]] = []
    for name in args.rulesets:
        try:
            path = check_text_file(name)
        except FileError as exc:  # this file cannot be read: say so, check the others
            findings = [finding("error", msg("file", message=Free(exc.message)), None,
                                exc.where or name)]
        else:
            findings = check_file(path)
        for one in findings:
            found.append((name, one))
            if fmt == "text":
                print(one.format(lang))
            if one.severity == "error":
                errors += 1
            elif one.severity == "warning":
                warnings += 1
            else:
                notes += 1
    failed = errors > 0 or (args.strict and warnings > 0)
    if fmt == "json":
        print(json.dumps({"findings": [_json(name, f, lang) for name, f in found],
                          "summary": {"rulesets": len(args.rulesets), "errors": errors,
                                      "warnings": warnings, "notes": notes}},
                         ensure_ascii=False, indent=2))
        return 1 if failed else 0
    if fmt == "sarif":
        print(json.dumps(_sarif(found, lang), ensure_ascii=False, indent=2))
        return 1 if failed else 0

    def count(what: str, n: int) -> Any:
        return msg("cli", what if n != 1 else f"{what}-1", n=n)

    print(msg("cli", "summary", rulesets=count("rulesets", len(args.rulesets)),
              errors=count("errors", errors), warnings=count("warnings", warnings),
              notes=count("notes", notes)).render(lang))
    return 1 if failed else 0


def _json(name: str, f: Any, lang: Lang = "en") -> dict[str, Any]:
    out = {"file": name, "severity": f.severity, "code": f.code, "message": f.text(lang),
           "indicator": f.indicator, "where": f.where, "line": f.line, "key": f.key,
           "key_where": f.key_where, "key_line": f.key_line}
    if lang != "en":  # the English text too, for tools that match on it
        out["message_en"] = f.message
    return out


def _location(where: str, line: int | None, fallback: str) -> dict[str, Any]:
    file = where.rsplit(":", 1)[0] if line is not None else where
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(file or fallback)}}
    if line is not None:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _uri(file: str) -> str:
    path = Path(file)
    return path.resolve().as_uri() if path.is_absolute() or path.exists() else file


def _sarif(found: list[tuple[str, Any]], lang: Lang = "en") -> dict[str, Any]:
    """A SARIF 2.1.0 log: one run of the tool ``rubric``, one result per finding, located at
    the key at fault when known (the row then a related location), else at the row."""
    from ..verify.messages import msg
    from ..version import __version__

    results = []
    for name, f in found:
        result: dict[str, Any] = {"ruleId": f.code or "check", "level": f.severity,
                                  "message": {"text": f.text(lang)}}
        at = f.key_where or f.where
        if at is not None:
            location = _location(at, f.key_line if f.key_where else f.line, name)
            if f.indicator:
                location["logicalLocations"] = [{"fullyQualifiedName": f.indicator,
                                                 "kind": "member"}]
            result["locations"] = [location]
            if f.key_where and f.where:
                related = _location(f.where, f.line, name)
                related["id"] = 1
                related["message"] = {"text": msg("cli", "row").render(lang)}
                result["relatedLocations"] = [related]
        results.append(result)
    rules = sorted({r["ruleId"] for r in results})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "rubric", "version": __version__,
                "rules": [{"id": r} for r in rules]}},
            "results": results,
        }],
    }
