"""``rubric serve DIR``: serve the rulesets under DIR over HTTP (docs/service.md).

Thin: parses the options, builds the app with ``rubric.service.create_app`` and runs it
with uvicorn. Both come with the ``server`` extra and are imported only here, when the
command runs. Binds to 127.0.0.1 unless ``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import sys

from .command import add_command

__all__ = ["register"]


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got '{text}'")
    return int(text)


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got '{text}'")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``serve`` sub-command."""
    from ..service.limits import DEFAULT_MAX_BODY, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT

    p = add_command(subparsers, "serve", run)
    p.add_argument("directory", metavar="DIR", help="directory holding ruleset.yaml files")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_positive_int, default=8000, help="port (default 8000)")
    p.add_argument("--token", default=None,
                   help="require 'Authorization: Bearer TOKEN' on every endpoint but /health")
    p.add_argument("--max-body", metavar="BYTES", type=_positive_int, default=DEFAULT_MAX_BODY,
                   help=f"largest request body in bytes (default {DEFAULT_MAX_BODY})")
    p.add_argument("--max-rows", metavar="N", type=_positive_int, default=DEFAULT_MAX_ROWS,
                   help=f"most rows in one batch request (default {DEFAULT_MAX_ROWS})")
    p.add_argument("--timeout", metavar="SECONDS", type=_positive_float, default=DEFAULT_TIMEOUT,
                   help=f"time limit of one request (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--cors", metavar="ORIGIN", nargs="+", default=[],
                   help="let browsers on these origins call the service (default: none)")


def run(args: argparse.Namespace) -> int:
    from ..errors import MissingDependency
    from ..i18n import translate

    try:
        import uvicorn

        from ..service.app import create_app
    except ImportError as exc:
        raise MissingDependency(f"rubric serve needs {exc.name or 'fastapi and uvicorn'}",
                                package=exc.name, expected="pip install 'rubric[server]'"
                                ) from None
    app = create_app(args.directory, token=args.token, max_body=args.max_body,
                     max_rows=args.max_rows, timeout=args.timeout, cors=args.cors,
                     lang=args.lang)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.token:
        print(translate(f"rubric serve: warning: listening on {args.host} without --token",
                        args.error_lang), file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
