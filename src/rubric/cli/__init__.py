"""The ``rubric`` command: thin argument parsing over the public API.

Each sub-command lives in its own module of this package exposing ``register(subparsers)``,
which adds its parser (its help from ``cli.help.HELP``) and sets ``func(args) -> int``.
Exit codes: 0 success, 1 invalid input or a failed check (message on stderr, never a
traceback), 2 usage error.

Errors print in English unless ``--lang zh`` or ``RUBRIC_LANG=zh`` asks for Chinese
(``cli.lang``): ``RubricError.text(lang)``, through the catalog of ``rubric.i18n``.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Sequence

from ..errors import FileError, RubricError
from ..version import __version__
from . import audit, check, diff, new, parse, report, schema, score, serve, test, units
from .lang import prefixed, resolve, usage_error, usage_lang

__all__ = ["main"]

# Sub-command modules, in the order `rubric --help` lists them.
_MODULES = (score, diff, audit, report, check, test, new, parse, schema, units, serve)
COMMANDS: tuple[str, ...] = tuple(m.__name__.rpartition(".")[2] for m in _MODULES)


#: the language of argparse's usage errors: ``--lang`` in the arguments, else RUBRIC_LANG
_USAGE_LANG = ["en"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, usage_error(self.prog, message, argparse.Namespace(
            error_lang=_USAGE_LANG[0])) + "\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="rubric",
        description="Score, verify and audit performance-evaluation rubrics (绩效评价指标体系).",
    )
    parser.add_argument("--version", action="version", version=f"rubric {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _MODULES:
        module.register(sub)
    return parser


def _output_is_no_input(args: argparse.Namespace) -> None:
    """Refuse an ``-o`` file that is also one of the command's file arguments (the same
    file by any name): the output would replace the input, whose data would be lost."""
    output = getattr(args, "output", None)
    if output is None or os.fspath(output) in ("", "-"):
        return
    try:
        info = os.stat(output)
    except (OSError, ValueError):  # a new file (or a name the command refuses itself)
        return
    if not stat.S_ISREG(info.st_mode):
        return
    for name, value in vars(args).items():
        if name == "output":
            continue
        for given in value if isinstance(value, list) else [value]:
            if not isinstance(given, (str, os.PathLike)) or os.fspath(given) in ("", "-"):
                continue
            try:
                other = os.stat(given)
            except (OSError, ValueError):
                continue
            if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
                raise FileError(f"is also an input of the command ('{os.fspath(given)}'); "
                                "the output would replace it", file=os.fspath(output),
                                expected="an output file other than the inputs",
                                example="scores.csv")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    _USAGE_LANG[0] = usage_lang(list(sys.argv[1:] if argv is None else argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        lang = resolve(args)
    except RubricError as exc:  # RUBRIC_LANG names no language rubric writes
        print(prefixed("error", str(exc), "en"), file=sys.stderr)
        return 2
    args.error_lang = lang
    try:
        _output_is_no_input(args)
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        # The reader went away (``rubric score ... | head -1``): not an error of ours.
        # Python's documented pattern (library/signal.html, "Note on SIGPIPE"): point
        # stdout at devnull so the flush at exit does not fail again, and stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except RubricError as exc:
        print(prefixed("error", exc.text(lang), lang), file=sys.stderr)
        return 1
    except (OSError, UnicodeDecodeError) as exc:
        print(prefixed("error", str(exc), lang), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug in rubric: say so briefly unless --debug
        if getattr(args, "debug", False):
            raise
        print(prefixed("internal", f"{type(exc).__name__}: {exc}", lang), file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
