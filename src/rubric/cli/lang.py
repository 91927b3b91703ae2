"""The language a command writes in: ``--lang``, else ``RUBRIC_LANG``, else its default.

Every command takes ``--lang zh|en`` (``add_lang``). Its output keeps the default it has
always had (``score``, ``audit``, ``diff``: Chinese; ``check``, ``units``: English); errors
and usage errors are English unless ``--lang`` or the environment variable ``RUBRIC_LANG``
asks for Chinese, so a script that reads rubric's English errors keeps reading them.
``RUBRIC_LANG=zh`` sets both for every command, ``--lang`` wins over it.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..errors import UnknownLanguage
from ..i18n import LANGS
from ..i18n.commands import PREFIX

__all__ = ["ENV", "add_lang", "env_lang", "fail_usage", "prefixed", "resolve", "usage_error",
           "usage_lang"]

ENV = "RUBRIC_LANG"


def add_lang(parser: argparse.ArgumentParser, default: str, what: str) -> None:
    """Add ``--lang`` to a command whose ``what`` (output) is in ``default`` unless asked."""
    parser.add_argument(
        "--lang", choices=("zh", "en"), default=None,
        help=f"language of {what} and of errors: zh (中文) or en (default {default} for the "
             f"output, en for errors; or set {ENV})")
    parser.set_defaults(_lang_default=default)


def env_lang() -> str | None:
    """``RUBRIC_LANG`` read: ``zh`` (also ``zh_CN``, ``zh-CN.UTF-8``), ``en``, or None when
    unset or empty; UnknownLanguage for anything else."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    base = value.lower().replace("-", "_").split(".")[0].split("_")[0]
    if base not in LANGS:
        raise UnknownLanguage(value, LANGS, where=ENV)
    return base


def resolve(args: argparse.Namespace) -> str:
    """Settle ``args.lang`` (the output's language) and return the errors' language."""
    explicit = getattr(args, "lang", None)
    try:
        env = env_lang()
    except UnknownLanguage:
        env = None
        if explicit is None:
            raise
    if hasattr(args, "_lang_default"):
        args.lang = explicit or env or args._lang_default
    return str(explicit or env or "en")


def prefixed(kind: str, text: str, lang: Any) -> str:
    """``rubric: error: text`` (``kind`` ``error`` or ``internal``) in ``lang``."""
    en, zh = PREFIX[kind]
    return (zh if lang == "zh" else en).format(text=text)


def usage_error(prog: str, message: str, args: argparse.Namespace) -> str:
    """``prog: error: message``, a usage error, in the errors' language of ``args``."""
    from ..i18n import translate

    lang = getattr(args, "error_lang", "en")
    if lang == "zh":
        return f"{prog}：错误：{translate(message, lang)}"
    return f"{prog}: error: {message}"


def fail_usage(args: argparse.Namespace, message: str) -> int:
    """A usage error of the command ``args`` were parsed for (its parser set as the
    default ``_parser``), reported as argparse does: the command's usage, then
    ``prog: error: message`` in the errors' language, on standard error. Returns 2."""
    parser: argparse.ArgumentParser = args._parser
    parser.print_usage(sys.stderr)
    print(usage_error(parser.prog, message, args), file=sys.stderr)
    return 2


def usage_lang(argv: list[str]) -> str:
    """The errors' language before the arguments are parsed (for argparse's own usage
    errors): ``--lang zh`` / ``--lang=zh`` among ``argv``, else ``RUBRIC_LANG``, else en."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("zh", "en"):
            return argv[i + 1]
        if arg in ("--lang=zh", "--lang=en"):
            return arg.partition("=")[2]
    try:
        return env_lang() or "en"
    except UnknownLanguage:
        return "en"
