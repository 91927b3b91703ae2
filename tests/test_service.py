"""The HTTP service (``rubric serve``), tested through a real server.

Each fixture starts uvicorn on a free loopback port in a background thread over a copy of
the seed directory and talks to it with httpx, as a Java client would: the answers must be
exactly what the library (and so the CLI) gives, invalid input must be a 4xx with a
message, never a 500, and the server must stay healthy afterwards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
uvicorn = pytest.importorskip("uvicorn")
jsonschema = pytest.importorskip("jsonschema")

import yaml  # noqa: E402

from rubric import Claimed, audit, evaluate, load_claimed, load_facts, load_ruleset, render_json  # noqa: E402
from rubric.service.app import create_app  # noqa: E402
from rubric.service.result_schema import RESULT_SCHEMA_TEXT, result_schema  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"
ID = "xiangtan-kgxj-2023"

Serve = Callable[..., httpx.Client]


def _copy_seed(base: Path) -> Path:
    directory = base / "rulesets"
    shutil.copytree(SEED, directory / SEED.name)
    return directory


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    """Start a real server over a fresh copy of the seed directory; stopped at the end."""
    running: list[tuple[Any, threading.Thread, httpx.Client]] = []

    def start(directory: Path | None = None, **options: Any) -> httpx.Client:
        if directory is None:
            directory = _copy_seed(tmp_path_factory.mktemp("service"))
        options.setdefault("reload_interval", 0)
        app = create_app(directory, **options)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="critical", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.01)
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10)
        running.append((server, thread, client))
        return client

    yield start
    for server, thread, client in running:
        client.close()
        server.should_exit = True
        thread.join(5)


@pytest.fixture(scope="module")
def client(serve: Serve) -> httpx.Client:
    return serve(max_body=256 * 1024, max_rows=50)


@pytest.fixture(scope="module")
def seed_facts() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SEED / "facts.yaml").read_text(encoding="utf-8"))
    return data


# -- the contract ----------------------------------------------------------------------


def test_shipped_result_schema_is_the_documented_one() -> None:
    text = (ROOT / "docs" / "result-format.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- result-schema -->\s*```json\n(.*?)```", text, re.DOTALL)
    assert block is not None
    assert block.group(1) == RESULT_SCHEMA_TEXT


def test_openapi_references_the_result_schema(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    score = doc["paths"]["/rulesets/{ruleset_id}/score"]["post"]
    ref = score["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/Result"
    schemas = doc["components"]["schemas"]
    assert schemas["Result"]["properties"]["tree"] == {"$ref": "#/components/schemas/Result_node"}
    assert "$defs" not in json.dumps(schemas["Result"])
    assert "/check" in doc["paths"] and "/rulesets/{ruleset_id}/batch" in doc["paths"]


def test_health_and_listing(client: httpx.Client) -> None:
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["errors"] == []
    assert health["rulesets"] == [{"id": ID, "version": "1", "path": f"{ID}/ruleset.yaml"}]
    listing = client.get("/rulesets").json()["rulesets"]
    assert [(r["id"], r["version"], r["total_points"]) for r in listing] == [(ID, "1", "100")]


def test_describe_a_ruleset(client: httpx.Client, seed_facts: dict[str, Any]) -> None:
    body = client.get(f"/rulesets/{ID}").json()
    assert body["metadata"]["id"] == ID and body["metadata"]["fiscal_year"] == 2023
    tree = body["tree"]
    assert tree["points"] == "100"
    assert [c["points"] for c in tree["children"]] == ["55", "45"]
    facts = {f["name"]: f for f in body["facts"]}
    assert facts["预算数"]["unit"] == "万元" and not facts["预算数"]["derived"]
    assert facts["预算调整率"]["derived"]
    schema = body["facts_schema"]
    assert "预算调整率" not in schema["properties"]  # derived: never given
    jsonschema.validate(seed_facts, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"预算调正数": 1}, schema)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_score_is_what_the_library_gives(client: httpx.Client, seed_facts: dict[str, Any],
                                         lang: str) -> None:
    response = client.post(f"/rulesets/{ID}/score", json={"facts": seed_facts, "lang": lang})
    assert response.status_code == 200, response.text
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    expected = render_json(evaluate(ruleset, load_facts(SEED / "facts.yaml", ruleset)), lang=lang)
    assert response.json() == json.loads(expected)
    jsonschema.validate(response.json(), result_schema())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_score_with_what_if_is_what_the_library_gives(client: httpx.Client,
                                                      seed_facts: dict[str, Any],
                                                      lang: str) -> None:
    from rubric.whatif import result_dict

    facts = {**seed_facts, "服务对象满意度": "88%", "供养人数": 120}
    response = client.post(f"/rulesets/{ID}/score",
                           json={"facts": facts, "lang": lang, "what_if": True})
    assert response.status_code == 200, response.text
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    expected = result_dict(evaluate(ruleset, {k: v["value"] if isinstance(v, dict) else v
                                              for k, v in facts.items()
                                              if k != "基本信息"}), lang)  # not a fact
    assert response.json() == json.loads(json.dumps(expected, ensure_ascii=False))
    jsonschema.validate(response.json(), result_schema())
    rows = {r["id"]: r for r in response.json()["what_if"]["rows"]}
    (change,) = rows["服务对象满意度"]["changes"][-1:]
    assert (change["from"], change["to"], change["open"], change["target"]) == (
        "88", "89", True, "full")
    plain = client.post(f"/rulesets/{ID}/score", json={"facts": facts, "what_if": False})
    assert "what_if" not in plain.json()


def test_openapi_describes_what_if(client: httpx.Client) -> None:
    doc = client.get("/openapi.json").json()
    body = doc["paths"]["/rulesets/{ruleset_id}/score"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema["properties"]["what_if"]["type"] == "boolean"
    schemas = doc["components"]["schemas"]
    assert schemas["Result"]["properties"]["what_if"] == {
        "$ref": "#/components/schemas/Result_what_if"}
    assert "Result_what_if_change" in schemas


def test_audit_is_what_the_library_gives(client: httpx.Client,
                                         seed_facts: dict[str, Any]) -> None:
    claimed = yaml.safe_load((SEED / "claimed.yaml").read_text(encoding="utf-8"))
    response = client.post(f"/rulesets/{ID}/audit", json={"facts": seed_facts,
                                                           "claimed": claimed})
    assert response.status_code == 200, response.text
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    facts = load_facts(SEED / "facts.yaml", ruleset)
    given = Claimed(claimed["scores"], claimed["maxima"], claimed.get("total"))
    expected = json.dumps(audit(ruleset, facts, given).to_dict(), ensure_ascii=False)
    assert response.json() == json.loads(expected)
    # the same as from the file, but for `where` (the claimed file's line: there is none)
    from_file = audit(ruleset, facts, load_claimed(SEED / "claimed.yaml")).to_dict()
    for entry in from_file["entries"]:
        entry["where"] = None
    assert response.json() == json.loads(json.dumps(from_file, ensure_ascii=False))


def test_batch_reports_a_bad_line_in_place(client: httpx.Client,
                                           seed_facts: dict[str, Any]) -> None:
    good = {k: (v["value"] if isinstance(v, dict) else v) for k, v in seed_facts.items()
            if k != "基本信息"}  # who the facts are about: a facts file's, not a batch line's
    lines = [json.dumps({"id": "A", **good}, ensure_ascii=False), "{not json",
             json.dumps({"id": "C", "预算数": [1]}, ensure_ascii=False), "",
             json.dumps({"id": "D", "新增规模工业企业": 20}, ensure_ascii=False)]
    response = client.post(f"/rulesets/{ID}/batch", content="\n".join(lines).encode())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    rows = [json.loads(line) for line in response.text.splitlines()]
    assert [(r["row"], r["unit"]) for r in rows] == [(1, "A"), (2, "row 2"), (3, "C"), (5, "D")]
    assert rows[0]["error"] is None and rows[3]["error"] is None
    assert "not valid JSON" in rows[1]["error"] and "预算数" in rows[2]["error"]
    ruleset = load_ruleset(SEED / "ruleset.yaml")
    result = evaluate(ruleset, load_facts(SEED / "facts.yaml", ruleset))
    assert Decimal(rows[0]["total_low"]) == result.low
    assert Decimal(rows[0]["total_high"]) == result.high


def test_batch_size_is_limited(client: httpx.Client) -> None:
    response = client.post(f"/rulesets/{ID}/batch", content=b'{"id": "x"}\n' * 51)
    assert response.status_code == 413 and "51 rows" in response.json()["error"]


BOMB = """rubric: 1
metadata: {id: bomb, version: "1"}
facts:
  x: {unit: "%"}
  y: {unit: "%", formula: "9**9**9**9"}
indicators:
  - id: r
    rule: {kind: bands, fact: y, bands: [{range: ">=0", points: 100}]}
"""

# (method, path, body, status, part of the message)
MALFORMED: list[tuple[str, str, bytes, int, str]] = [
    ("POST", f"/rulesets/{ID}/score", b"{", 400, "not valid JSON"),
    ("POST", f"/rulesets/{ID}/score", b"", 400, "empty"),
    ("POST", f"/rulesets/{ID}/score", b"\xff\xfe{}", 400, "UTF-8"),
    ("POST", f"/rulesets/{ID}/score", b"[1, 2]", 422, "JSON object"),
    ("POST", f"/rulesets/{ID}/score", b'{"facts": "all"}', 422, "'facts' must be"),
    ("POST", f"/rulesets/{ID}/score", b'{"lang": "zh"}', 422, "needs 'facts'"),
    ("POST", f"/rulesets/{ID}/score", b'{"facts": {}, "lang": "fr"}', 422, "unknown language"),
    ("POST", f"/rulesets/{ID}/score", b'{"facts": {}, "what_if": "yes"}', 422,
     "what_if must be true or false"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算调正数": 1}}'.encode(), 422,
     "unknown fact '预算调正数' (did you mean '预算调整数'?)"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算调整率": 5}}'.encode(), 422,
     "derived from a formula"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": [1]}}'.encode(), 422,
     "cannot use value [1]"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": true}}'.encode(), 422,
     "cannot use value True"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": "5 公斤"}}'.encode(), 422, "预算数"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": -5}}'.encode(), 422, "预算数"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"资金结余情况": "很多"}}'.encode(), 422,
     "资金结余情况"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": 1e999999}}'.encode(), 422,
     "refused"),
    ("POST", f"/rulesets/{ID}/score", ('{"facts": {"预算数": ' + "9" * 5000 + "}}").encode(),
     422, "refused"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": NaN}}'.encode(), 422, "NaN"),
    ("POST", f"/rulesets/{ID}/score", b'{"facts": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
     422, "nested too deeply"),
    ("POST", f"/rulesets/{ID}/score", b'{"facts": ' + b'{"a":' * 40 + b"1" + b"}" * 41,
     422, "nested too deeply"),
    ("POST", f"/rulesets/{ID}/score", b'{"facts": {"x": "' + b"a" * 300_000 + b'"}}', 413,
     "larger than"),
    # half a character (a lone surrogate escape): its error message could not be sent as
    # UTF-8 (a plain-text 500)
    ("POST", f"/rulesets/{ID}/score", b'{"facts": {"\\ud800": 1}}', 400, "lone surrogate"),
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": "\\udfff"}}'.encode(), 400,
     "'\\udfff'"),
    ("POST", f"/rulesets/{ID}/audit", b'{"facts": {}, "claimed": {"x\\ud800": 1}}', 400,
     "lone surrogate"),
    # a key given twice: json.loads kept the last value, and the unit was scored on 7
    ("POST", f"/rulesets/{ID}/score", '{"facts": {"预算数": 100, "预算数": 7}}'.encode(), 400,
     "gives the key '预算数' twice in one object"),
    ("POST", f"/rulesets/{ID}/score", b'{"facts": {}, "facts": {}}', 400, "key 'facts' twice"),
    ("POST", f"/rulesets/{ID}/audit", '{"facts": {}, "claimed": {"scores": {"预算调正率": 5}}}'
     .encode(), 422, "预算调正率"),
    ("POST", f"/rulesets/{ID}/audit", b'{"facts": {}, "claimed": {"scores": [5]}}', 422,
     "maps node ids"),
    ("POST", f"/rulesets/{ID}/audit", b'{"facts": {}, "claimed": {"total": "lots"}}', 422,
     "total"),
    ("POST", f"/rulesets/{ID}/audit", b'{"facts": {}}', 422, "needs 'claimed'"),
    ("POST", "/rulesets/no-such/score", b'{"facts": {}}', 404, "no ruleset 'no-such'"),
    ("GET", "/rulesets/..%2F..%2Fetc%2Fpasswd", b"", 404, "not found"),
    ("GET", "/rulesets/%2Fetc%2Fpasswd", b"", 404, "not found"),
    ("POST", "/rulesets/..%2F..%2Fetc%2Fpasswd/score", b'{"facts": {}}', 404, "not found"),
    ("GET", "/rulesets/%2E%2E", b"", 404, "no ruleset '..'"),
    ("POST", "/check", b"\xff", 400, "UTF-8"),
    ("GET", "/no/such/endpoint", b"", 404, "not found"),
    ("GET", f"/rulesets/{ID}/score", b"", 405, "not allowed"),
]


@pytest.mark.parametrize(("method", "path", "body", "status", "message"), MALFORMED,
                         ids=[f"{m[1].rsplit('/', 1)[-1]}-{m[3]}-{i}"
                              for i, m in enumerate(MALFORMED)])
def test_malformed_requests_are_4xx_with_a_message(client: httpx.Client, method: str, path: str,
                                                   body: bytes, status: int,
                                                   message: str) -> None:
    response = client.request(method, path, content=body or None)
    assert response.status_code == status, response.text
    error = response.json()
    assert message.lower() in error["error"].lower(), error
    assert set(error) >= {"error", "location", "fields"}


def test_path_like_ids_are_never_paths(client: httpx.Client) -> None:
    # httpx normalises a literal ../ away; whatever arrives, it is only a dict key
    for path in ("/rulesets/../../etc/passwd", "/rulesets/%2e%2e%2f%2e%2e%2fetc%2fpasswd"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "root:" not in response.text


def test_check_answers_findings_quickly(client: httpx.Client) -> None:
    start = time.monotonic()
    response = client.post("/check", content=BOMB.encode())
    assert response.status_code == 200, response.text
    assert time.monotonic() - start < 5
    body = response.json()
    assert not body["ok"] and body["counts"]["error"] >= 1
    assert all(f["where"].startswith("<request>") for f in body["findings"])
    # a path is text to /check, never a file it reads
    response = client.post("/check", content=str(SEED / "ruleset.yaml").encode())
    assert response.status_code == 200
    assert response.json()["findings"][0]["code"] == "load"
    # the seed itself: the findings of check_ruleset
    from rubric import check_ruleset

    response = client.post("/check", content=(SEED / "ruleset.yaml").read_bytes())
    expected = check_ruleset(load_ruleset(SEED / "ruleset.yaml"))
    got = response.json()["findings"]
    assert [(f["code"], f["message"]) for f in got] == [(f.code, f.message) for f in expected]


def test_healthy_after_all_that(client: httpx.Client) -> None:
    response = client.get("/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_an_internal_error_is_a_500_with_an_id(client: httpx.Client,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    import rubric.service.app as app_module

    def broken(*_args: Any, **_kwargs: Any) -> str:
        raise RuntimeError("a bug")

    monkeypatch.setattr(app_module, "render_json", broken)
    response = client.post(f"/rulesets/{ID}/score", json={"facts": {}})
    assert response.status_code == 500
    body = response.json()
    assert body["error"] == "internal error" and re.fullmatch(r"[0-9a-f]{12}", body["error_id"])
    assert "a bug" not in response.text


# -- options ---------------------------------------------------------------------------


def test_bearer_token(serve: Serve) -> None:
    secured = serve(token="s3cret")
    assert secured.get("/health").json() == {"status": "ok"}  # no details without the token
    for path in ("/rulesets", f"/rulesets/{ID}", "/openapi.json"):
        response = secured.get(path)
        assert response.status_code == 401 and "bearer" in response.json()["error"]
        assert response.headers["www-authenticate"] == "Bearer"
    assert secured.get("/rulesets", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert secured.post(f"/rulesets/{ID}/score", json={"facts": {}}).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    assert secured.get("/rulesets", headers=auth).status_code == 200
    assert secured.post(f"/rulesets/{ID}/score", json={"facts": {}}, headers=auth
                        ).status_code == 200
    assert "rulesets" in secured.get("/health", headers=auth).json()


def test_cors_is_off_unless_asked(client: httpx.Client, serve: Serve) -> None:
    origin = {"Origin": "https://finance.example"}
    assert "access-control-allow-origin" not in client.get("/rulesets", headers=origin).headers
    open_to = serve(cors=["https://finance.example"])
    headers = open_to.get("/rulesets", headers=origin).headers
    assert headers["access-control-allow-origin"] == "https://finance.example"


def test_time_limit(serve: Serve, monkeypatch: pytest.MonkeyPatch) -> None:
    import rubric.service.app as app_module

    def slow(*args: Any) -> Any:
        time.sleep(0.5)
        return evaluate(*args)

    monkeypatch.setattr(app_module, "evaluate", slow)
    hurried = serve(timeout=0.05)
    start = time.monotonic()
    response = hurried.post(f"/rulesets/{ID}/score", json={"facts": {}})
    assert response.status_code == 503 and "time limit" in response.json()["error"]
    assert time.monotonic() - start < 0.4
    assert hurried.get("/health").json()["status"] == "ok"


def _touch_later(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


def test_reload_and_a_broken_edit(serve: Serve, tmp_path: Path,
                                  seed_facts: dict[str, Any]) -> None:
    directory = _copy_seed(tmp_path)
    live = serve(directory)
    path = directory / SEED.name / "ruleset.yaml"
    original = path.read_text(encoding="utf-8")
    assert original.count('version: "1"') == 1
    path.write_text(original.replace('version: "1"', 'version: "2"'), encoding="utf-8")
    _touch_later(path)
    assert live.get("/rulesets").json()["rulesets"][0]["version"] == "2"

    path.write_text(original.replace("indicators:", "indicatorz:"), encoding="utf-8")
    _touch_later(path)
    health = live.get("/health").json()
    assert health["status"] == "degraded"
    [problem] = health["errors"]
    assert problem["path"] == f"{SEED.name}/ruleset.yaml" and problem["serving"] == "2"
    assert "indicatorz" in problem["error"]
    assert str(directory) not in json.dumps(health)  # relative paths only
    response = live.post(f"/rulesets/{ID}/score", json={"facts": seed_facts})
    assert response.status_code == 200 and response.json()["ruleset"]["version"] == "2"

    path.write_text(original, encoding="utf-8")
    _touch_later(path)
    health = live.get("/health").json()
    assert health["status"] == "ok" and health["rulesets"][0]["version"] == "1"

    extra = directory / "second" / "ruleset.yaml"
    extra.parent.mkdir()
    extra.write_text(original.replace(f"id: {ID}", "id: second"), encoding="utf-8")
    assert [r["id"] for r in live.get("/rulesets").json()["rulesets"]] == ["second", ID]
    shutil.rmtree(extra.parent)
    assert [r["id"] for r in live.get("/rulesets").json()["rulesets"]] == [ID]


def test_import_rubric_does_not_import_fastapi() -> None:
    import subprocess
    import sys

    code = "import sys, rubric, rubric.cli; print('fastapi' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert out.stdout.strip() == "False"
