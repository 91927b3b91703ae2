"""``POST /rulesets/{id}/audit`` reads a claimed table as printed: blank cells (null),
printed values (``printed``), as ``load_claimed`` reads the claimed file."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")

from rubric.service.app import create_app  # noqa: E402

SEED = Path(__file__).resolve().parents[1] / "rulesets" / "xiangtan-kgxj-2023"


def test_blank_cells_and_printed_values_in_a_request(tmp_path: Path) -> None:
    directory = tmp_path / "rulesets"
    shutil.copytree(SEED, directory / SEED.name)
    app = create_app(directory, reload_interval=0)

    async def post(body: dict[str, Any]) -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://rubric") as client:
            return await client.post(f"/rulesets/{SEED.name}/audit", json=body)

    facts = {"预算调整数": 0, "预算数": 100, "三公经费实际支出数": "5.125", "三公经费预算安排数": 5}
    claimed = {"scores": {"预算调整率": 5, "三公经费控制率": None}, "total": None,
               "printed": {"三公经费控制率": "102%"}}  # 102.5 % printed whole: 103
    response = asyncio.run(post({"facts": facts, "claimed": claimed}))
    assert response.status_code == 200, response.text
    data = response.json()
    entries = {e["id"]: e for e in data["entries"]}
    assert entries["三公经费控制率"]["blank"] is True
    assert entries["三公经费控制率"]["classes"] == ["printed_mismatch", "not_scored"]
    assert entries["总分"]["classes"] == ["not_scored"]
    assert data["printed"][0]["printed"] == "102%" and data["printed"][0]["agrees"] is False
    words = {"printed": {"三公经费控制率": "约百分百"}}
    bad = asyncio.run(post({"facts": facts, "claimed": words}))
    assert bad.status_code == 422 and "printed" in bad.text
