"""The service's errors in Chinese when a request asks (``Accept-Language: zh``) or
``rubric serve --lang zh`` makes it the default; English otherwise, as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from test_error_messages import english_sentence
from test_service import Serve

pytest_plugins = ["test_service"]  # its ``serve`` fixture: a real server over the seed

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023"
ID = SEED.name


def test_errors_follow_accept_language(serve: Serve) -> None:
    client = serve()
    body = {"facts": {"预算数": "-5 万元"}}
    english = client.post(f"/rulesets/{ID}/score", json=body)
    chinese = client.post(f"/rulesets/{ID}/score", json=body,
                          headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert english.status_code == chinese.status_code == 422
    assert english.json()["error"] == ("fact '预算数': cannot use value '-5 万元'; expected a "
                                       "value in [0, +∞] in 万元 (example: '10 万元')")
    zh = chinese.json()
    assert zh["error"] == ("事实“预算数”：无法使用值 '-5 万元'；要求：[0, +∞]（单位：万元）之内的值"
                           "（示例：'10 万元'）")
    assert zh["location"] == english.json()["location"]


def test_a_client_error_and_a_missing_token_in_chinese(serve: Serve) -> None:
    client = serve(token="t")
    missing = client.post(f"/rulesets/{ID}/score", json={},
                          headers={"Accept-Language": "zh"})
    ok = client.post(f"/rulesets/{ID}/score", content=b'{"lang": "zh"}',
                     headers={"Accept-Language": "zh", "Authorization": "Bearer t"})
    assert missing.status_code == 401
    assert missing.json()["error"] == "缺少 bearer 令牌或令牌不对"
    assert ok.status_code == 422
    assert ok.json()["error"] == "请求体需要“facts”"
    assert english_sentence(ok.json()["error"]) is None


def test_serve_lang_zh_makes_chinese_the_default(serve: Serve) -> None:
    client = serve(lang="zh")
    default = client.post(f"/rulesets/{ID}/score", content=b'{"lang": "zh"}')
    english = client.post(f"/rulesets/{ID}/score", content=b'{"lang": "zh"}',
                          headers={"Accept-Language": "en-US"})
    lines = "\n".join(json.dumps(x, ensure_ascii=False) for x in (
        {"id": "A", "预算数": "-5 万元"}, {"id": "B", "预算数": 100}))
    batch = client.post(f"/rulesets/{ID}/batch", content=lines.encode())
    assert default.json()["error"] == "请求体需要“facts”"
    assert english.json()["error"] == "the request body needs 'facts'"
    first = json.loads(batch.text.splitlines()[0])
    assert first["error"].startswith("事实“预算数”：无法使用值 '-5 万元'")


def test_check_findings_follow_accept_language(serve: Serve) -> None:
    """``POST /check`` reports its findings in the request's language, as ``rubric check
    --lang zh`` does, with the English beside the Chinese for callers that match on it."""
    client = serve()
    text = (SEED / "ruleset.yaml").read_text(encoding="utf-8").replace(
        "floor: 0", "floor: 1", 1)
    english = client.post("/check", content=text.encode("utf-8"),
                          headers={"Content-Type": "application/yaml"}).json()
    chinese = client.post("/check", content=text.encode("utf-8"),
                          headers={"Content-Type": "application/yaml",
                                   "Accept-Language": "zh"}).json()
    assert english["counts"] == chinese["counts"] and english["findings"]
    for en, zh in zip(english["findings"], chinese["findings"], strict=True):
        assert (en["code"], en["line"]) == (zh["code"], zh["line"])
        assert "message_en" not in en and zh["message_en"] == en["message"]
    translated = [f for f in chinese["findings"] if f["message"] != f["message_en"]]
    assert translated, chinese["findings"]
    assert all(english_sentence(f["message"]) is None for f in translated)
