"""The HTTP service: rubric's scoring, audit, batch and check over JSON, for callers that are
not Python (``rubric serve``; docs/service.md).

``create_app`` builds a FastAPI application over the rulesets under one directory
(``service.registry``). The endpoints are thin: they read the body with the service's
limits (``service.limits``), call the library in a worker thread under a time limit, and
return what the CLI would print (``rubric score --format json``, ``rubric audit --json``,
``rubric score --batch … --output-format jsonl``). Invalid input is a 4xx with
``{"error", "location", "fields"}``; anything else is a 500 carrying an error id that is
also in the log, never a traceback. Errors are English unless the request asks for
Chinese with ``Accept-Language: zh`` (or ``rubric serve --lang zh`` makes Chinese the
default, ``Accept-Language: en`` then asking for English): ``error`` and
``fields.expected`` then come from ``RubricError.text("zh")`` and the catalog of
``rubric.i18n``, a batch's row errors too.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import hmac
import io
import json
import logging
import os
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from ..audit import Claimed, audit
from ..audit.claimed import printed_value
from ..batch import batch_columns, row_record, score_batch
from ..engine.evaluation import evaluate
from ..errors import RubricError, RulesetError
from ..i18n import translate
from ..io.loader import load_ruleset
from ..io.tabular import write_records
from ..present.render import render_json
from ..verify.check import Finding, check_ruleset, load_findings
from ..version import __version__
from ..whatif import result_dict
from .describe import describe_ruleset, summary
from .limits import (
    DEFAULT_MAX_BODY,
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT,
    ClientError,
    error_body,
    facts_of,
    lang_of,
    object_at,
    parse_json,
    parse_json_line,
    what_if_of,
)
from .registry import Entry, Registry
from .result_schema import openapi_components

__all__ = ["check_text", "create_app"]

log = logging.getLogger("rubric.service")

T = TypeVar("T")

_ERROR_SCHEMA = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "string"},
                   "location": {"type": ["string", "null"]},
                   "fields": {"type": "object"},
                   "error_id": {"type": "string"}},
}
_ERROR = {"description": "invalid input (the message the CLI prints)",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_FACTS_BODY = {
    "type": "object", "required": ["facts"],
    "properties": {"facts": {"type": "object", "description": "fact name -> value (or "
                             "{value, source}); GET /rulesets/{id} has the facts' schema"},
                   "lang": {"enum": ["zh", "en"], "default": "zh"}},
}
_SCORE_BODY = {
    **_FACTS_BODY,
    "properties": {**_FACTS_BODY["properties"],  # type: ignore[dict-item]
                   "what_if": {"type": "boolean", "default": False,
                               "description": "add the what-if (what would raise each row, "
                               "the way to the next grade) under what_if; docs/result-format.md"}},
}
_AUDIT_BODY = {
    "type": "object", "required": ["facts", "claimed"],
    "properties": {**_FACTS_BODY["properties"],  # type: ignore[dict-item]
                   "claimed": {"type": "object", "properties": {
                       "scores": {"type": "object"}, "maxima": {"type": "object"},
                       "total": {"type": ["number", "string", "null"]}}},
                   "findings_only": {"type": "boolean", "default": False}},
}


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True,
                            "content": {"application/json": {"schema": schema}}}}


#: the language of this request's errors (``_ErrorLanguage``)
_ERRORS_IN: contextvars.ContextVar[str] = contextvars.ContextVar("errors_in", default="en")


def _error(exc: ClientError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    body = exc.body
    if _ERRORS_IN.get() == "zh":
        fields = dict(body["fields"])
        if isinstance(fields.get("expected"), str):
            fields["expected"] = translate(fields["expected"], "zh")
        body = {**body, "error": exc.zh or translate(body["error"], "zh"), "fields": fields}
    return JSONResponse(body, status_code=exc.status, headers=headers)


class _ErrorLanguage:
    """Sets the language of a request's errors: ``Accept-Language`` (its first tag, zh or
    en), else the service's default."""

    def __init__(self, app: ASGIApp, default: str) -> None:
        self.app = app
        self.default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        lang = self.default
        for name, value in scope.get("headers", ()) if scope["type"] == "http" else ():
            if name == b"accept-language":
                first = value.decode("latin-1").split(",")[0].split(";")[0].strip().lower()
                lang = "zh" if first.startswith("zh") else "en" if first.startswith("en") \
                    else lang
        token = _ERRORS_IN.set(lang)
        try:
            await self.app(scope, receive, send)
        finally:
            _ERRORS_IN.reset(token)


def _internal(exc: BaseException) -> JSONResponse:
    error_id = uuid.uuid4().hex[:12]
    log.error("internal error %s", error_id, exc_info=exc)
    return JSONResponse({"error": "internal error", "location": None, "fields": {},
                         "error_id": error_id}, status_code=500)


class _BearerAuth:
    """Refuses every request but ``/health`` (and CORS preflights, answered outside) without
    ``Authorization: Bearer TOKEN``."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health" or self.allows(scope):
            await self.app(scope, receive, send)
            return
        response = _error(ClientError(401, "missing or wrong bearer token",
                                      fields={"expected": "Authorization: Bearer TOKEN"}))
        await response(scope, receive, send)

    def allows(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", ()):
            if name == b"authorization":
                scheme, _, given = value.partition(b" ")
                return scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(),
                                                                           self.token)
        return False


class _Service:
    """What the endpoints share: the registry, the limits, the worker threads."""

    def __init__(self, registry: Registry, *, token: str | None, max_body: int, max_rows: int,
                 timeout: float, workers: int) -> None:
        self.registry = registry
        self.token = token
        self.max_body = max_body
        self.max_rows = max_rows
        self.timeout = timeout
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="rubric-service")

    async def body(self, request: Request) -> bytes:
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            raise self.too_large()
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise self.too_large()
            chunks.append(chunk)
        return b"".join(chunks)

    def too_large(self) -> ClientError:
        return ClientError(413, f"the request body is larger than {self.max_body} bytes",
                           fields={"expected": f"at most {self.max_body} bytes (rubric serve "
                                               "--max-body)"})

    def entry(self, ruleset_id: str) -> Entry:
        entry = self.registry.get(ruleset_id)
        if entry is None:
            known = ", ".join(e.id for e in self.registry.entries()) or "none"
            raise ClientError(404, f"no ruleset '{ruleset_id}'", location="ruleset",
                              fields={"expected": f"one of: {known}"})
        return entry

    async def work(self, fn: Callable[[], T]) -> T:
        """``fn()`` in a worker thread under the time limit (503 when it runs over; the
        thread finishes on its own, its answer is dropped)."""
        future = asyncio.get_running_loop().run_in_executor(self.executor, fn)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            raise ClientError(503, f"the request ran over the time limit of {self.timeout:g} s",
                              fields={"expected": "a smaller request, or a larger limit "
                                                  "(rubric serve --timeout)"}) from None

    def authorized(self, request: Request) -> bool:
        if self.token is None:
            return True
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(),
                                                                  self.token.encode())


async def _guard(run: Awaitable[Response]) -> Response:
    try:
        return await run
    except ClientError as exc:
        return _error(exc)
    except Exception as exc:  # noqa: BLE001 - a bug in rubric: a 500 with an id, logged
        return _internal(exc)


def _library(fn: Callable[[], T]) -> Callable[[], T]:
    """``fn`` with the library's errors turned into 422s (what the CLI reports as invalid)."""

    @functools.wraps(fn)
    def call() -> T:
        try:
            return fn()
        except RubricError as exc:
            raise ClientError(422, zh=exc.text("zh"), **_split(error_body(exc))) from None
        except ArithmeticError as exc:  # decimal limits reached by extreme input values
            log.warning("arithmetic error on client input: %r", exc)
            raise ClientError(422, f"the values cannot be computed exactly ({type(exc).__name__})",
                              fields={"expected": "values of a sensible size"}) from None
    return call


def _split(body: dict[str, Any]) -> dict[str, Any]:
    return {"message": body["error"], "location": body["location"], "fields": body["fields"]}


def _json_response(text: str) -> Response:
    return Response(text, media_type="application/json")


def _finding(finding: Finding, lang: str = "en") -> dict[str, Any]:
    out = {"severity": finding.severity, "code": finding.code,
           "message": finding.text("zh" if lang == "zh" else "en"),
           "indicator": finding.indicator, "where": finding.where, "line": finding.line,
           "text": finding.format("zh" if lang == "zh" else "en")}
    if lang == "zh":  # the English text too, for callers that match on it (as rubric check)
        out["message_en"] = finding.message
    return out


def check_text(text: str, lang: str = "en") -> dict[str, Any]:
    """``POST /check``: load a ruleset document (never a path) and check it; ``lang`` the
    findings' language (the request's ``Accept-Language``, or the service's default)."""
    if "\n" not in text:
        text += "\n"  # the loader reads a one-line string naming a file as that file
    try:
        findings = check_ruleset(load_ruleset(text, filename="<request>"))
    except RulesetError as exc:
        findings = load_findings(exc, "<request>")
    except RecursionError:
        raise ClientError(422, "the ruleset document is nested too deeply") from None
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "note")}
    return {"ok": counts["error"] == 0, "counts": counts,
            "findings": [_finding(f, lang) for f in findings]}


def _claimed(body: Any) -> Claimed:
    data = object_at(body, "claimed")
    unknown = sorted(set(data) - {"scores", "maxima", "total", "printed"})
    if unknown:
        raise ClientError(422, f"unknown key '{unknown[0]}' in claimed", location="$.claimed",
                          fields={"expected": "scores, maxima, total or printed"})
    parts: dict[str, Any] = {}
    blank: set[str] = set()  # 得分 printed empty (null): not scored, as the claimed file's
    for key in ("scores", "maxima", "printed"):
        value = data.get(key) or {}
        if not isinstance(value, dict):
            raise ClientError(422, f"claimed.{key} maps node ids to numbers",
                              location=f"$.claimed.{key}", fields={"example": '{"预算调整率": 5}'})
        value = dict(value)
        for node_id, number in list(value.items()):
            if number is None and key != "printed":
                blank.update([node_id] if key == "scores" else [])
                del value[node_id]
            elif isinstance(number, bool) or not isinstance(number, (int, Decimal, str)):
                raise ClientError(422, f"claimed.{key}.{node_id} must be a number",
                                  location=f"$.claimed.{key}.{node_id}")
        parts[key] = value
    total = data.get("total")
    if isinstance(total, (bool, dict, list)):
        raise ClientError(422, "claimed.total must be a number", location="$.claimed.total")
    try:
        printed = {k: printed_value(v) for k, v in parts["printed"].items()}
    except (ValueError, RubricError):
        raise ClientError(422, "claimed.printed maps facts to printed values",
                          location="$.claimed.printed",
                          fields={"example": '{"预算执行率": "86%"}'}) from None
    return Claimed(parts["scores"], parts["maxima"], total, blank=blank,
                   total_blank="total" in data and total is None, printed=printed)


def create_app(directory: str | os.PathLike[str], *, token: str | None = None,
               max_body: int = DEFAULT_MAX_BODY, max_rows: int = DEFAULT_MAX_ROWS,
               timeout: float = DEFAULT_TIMEOUT, cors: Sequence[str] = (),
               reload_interval: float = 1.0, workers: int | None = None,
               lang: str = "en") -> FastAPI:
    """The service over every ``ruleset.yaml`` under ``directory`` (see docs/service.md).

    ``token``: require ``Authorization: Bearer TOKEN`` (all but ``/health``);
    ``max_body`` bytes per request, ``max_rows`` lines per batch, ``timeout`` seconds per
    request; ``cors``: origins allowed to call from a browser (none by default);
    ``reload_interval``: how often (seconds) the directory is looked at for changes;
    ``lang``: the language of errors when a request's ``Accept-Language`` does not say.
    """
    registry = Registry(directory, interval=reload_interval)
    service = _Service(registry, token=token, max_body=max_body, max_rows=max_rows,
                       timeout=timeout, workers=workers or min(8, os.cpu_count() or 1))
    app = FastAPI(title="rubric", version=__version__, docs_url=None, redoc_url=None,
                  description="Score, audit and check performance-evaluation rubrics "
                              "(绩效评价指标体系). See docs/service.md.")
    app.state.service = service

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse({"error": str(exc.detail), "location": None, "fields": {}},
                            status_code=exc.status_code, headers=exc.headers)

    @app.get("/health")
    async def health(request: Request) -> Response:
        async def run() -> Response:
            problems = await service.work(registry.problems)
            entries = registry.entries()
            out: dict[str, Any] = {"status": "degraded" if problems else "ok"}
            if service.authorized(request):
                out["version"] = __version__
                out["rulesets"] = [{"id": e.id, "version": e.version, "path": e.path}
                                   for e in entries]
                out["errors"] = [{"path": p.path, "error": p.error, "serving": p.serving}
                                 for p in problems]
            return JSONResponse(out)
        return await _guard(run())

    @app.get("/rulesets")
    async def rulesets() -> Response:
        async def run() -> Response:
            entries = await service.work(registry.entries)
            return JSONResponse({"rulesets": [summary(e.ruleset, e.id) for e in entries]})
        return await _guard(run())

    @app.get("/rulesets/{ruleset_id}")
    async def ruleset(ruleset_id: str) -> Response:
        async def run() -> Response:
            entry = service.entry(ruleset_id)
            return JSONResponse(await service.work(
                lambda: describe_ruleset(entry.ruleset, entry.id)))
        return await _guard(run())

    @app.post("/rulesets/{ruleset_id}/score", openapi_extra=_json_body(_SCORE_BODY),
              responses={200: {"description": "the result (docs/result-format.md)",
                               "content": {"application/json": {
                                   "schema": {"$ref": "#/components/schemas/Result"}}}},
                         404: _ERROR, 422: _ERROR})
    async def score(ruleset_id: str, request: Request) -> Response:
        async def run() -> Response:
            entry = service.entry(ruleset_id)
            body = parse_json(await service.body(request))
            facts, lang, asked = facts_of(body), lang_of(body), what_if_of(body)

            def work() -> str:
                result = evaluate(entry.ruleset, facts)
                if not asked:
                    return render_json(result, lang=lang)
                return json.dumps(result_dict(result, lang), ensure_ascii=False, indent=2)

            text = await service.work(_library(work))
            return _json_response(text)
        return await _guard(run())

    @app.post("/rulesets/{ruleset_id}/audit", openapi_extra=_json_body(_AUDIT_BODY),
              responses={404: _ERROR, 422: _ERROR})
    async def audit_claims(ruleset_id: str, request: Request) -> Response:
        async def run() -> Response:
            entry = service.entry(ruleset_id)
            body = parse_json(await service.body(request))
            facts, lang = facts_of(body), lang_of(body)
            all_nodes = not (isinstance(body, dict) and body.get("findings_only") is True)

            def work() -> str:
                report = audit(entry.ruleset, facts, _claimed(body), lang=lang)
                return json.dumps(report.to_dict(all_nodes=all_nodes), ensure_ascii=False,
                                  indent=2)
            return _json_response(await service.work(_library(work)))
        return await _guard(run())

    @app.post("/rulesets/{ruleset_id}/batch", responses={404: _ERROR, 413: _ERROR},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/x-ndjson": {"schema": {"type": "string", "description":
                                           "one JSON object of facts per line"}}}}})
    async def batch(ruleset_id: str, request: Request) -> Response:
        async def run() -> Response:
            entry = service.entry(ruleset_id)
            raw = await service.body(request)
            try:
                lines = raw.decode("utf-8-sig").split("\n")
            except UnicodeDecodeError as exc:
                raise ClientError(400, f"the request body is not UTF-8 text ({exc.reason} at "
                                  f"byte {exc.start})") from None
            rows = sum(1 for line in lines if line.strip())
            if rows > service.max_rows:
                raise ClientError(413, f"the batch has {rows} rows, more than {service.max_rows}",
                                  fields={"expected": f"at most {service.max_rows} rows "
                                                      "(rubric serve --max-rows)"})
            return StreamingResponse(_batch_lines(entry, lines, service.timeout,
                                                  _ERRORS_IN.get()),
                                     media_type="application/x-ndjson")
        return await _guard(run())

    @app.post("/check", openapi_extra={"requestBody": {"required": True, "content": {
        "application/yaml": {"schema": {"type": "string"}}}}})
    async def check(request: Request) -> Response:
        async def run() -> Response:
            raw = await service.body(request)
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ClientError(400, f"the ruleset is not UTF-8 text ({exc.reason} at byte "
                                  f"{exc.start})") from None
            lang = _ERRORS_IN.get()  # Accept-Language, or the service's default
            return JSONResponse(await service.work(lambda: check_text(text, lang)))
        return await _guard(run())

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(openapi_components("Result"))
            components["Error"] = _ERROR_SCHEMA
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    if token:
        app.add_middleware(_BearerAuth, token=token)
    app.add_middleware(_ErrorLanguage, default=lang)  # outside the token check: its 401 too
    if cors:
        app.add_middleware(CORSMiddleware, allow_origins=list(cors), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    return app


def _batch_lines(entry: Entry, lines: list[str], timeout: float, lang: str = "en"
                 ) -> Iterator[str]:
    """The JSON Lines answer of a batch: one line per input row, errors in place."""
    deadline = time.monotonic() + timeout
    columns = batch_columns(entry.ruleset)
    try:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            if time.monotonic() > deadline:
                yield json.dumps({"row": number, "error": f"time limit of {timeout:g} s reached; "
                                  "this row and the rest were not scored"},
                                 ensure_ascii=False) + "\n"
                return
            data = parse_json_line(line, number)
            try:
                records = [row_record(r) for r in score_batch(entry.ruleset, [(number, data)],
                                                                  lang=lang)]
            except ArithmeticError as exc:
                records = [{"row": number, "error": f"the values cannot be computed exactly "
                                                    f"({type(exc).__name__})"}]
            out = io.StringIO()
            write_records(records, columns, None, "jsonl", stream=out)
            yield out.getvalue()
    except Exception as exc:  # headers are sent: report in the stream
        error_id = uuid.uuid4().hex[:12]
        log.error("internal error %s", error_id, exc_info=exc)
        yield json.dumps({"error": "internal error", "error_id": error_id}) + "\n"
