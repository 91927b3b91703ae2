"""Bounded load test of ``rubric serve`` on loopback (docs/service.md, "Performance").

Starts ``python -m rubric serve DIR`` in a subprocess on a free port, sends ``--requests``
score requests (the seed facts) from ``--clients`` concurrent httpx clients, stops by
itself, and prints requests/s, p50/p99 latency, failures (non-200 answers or transport
errors), and the server's resident memory (VmRSS from /proc/PID/status) before and after.

    python benchmarks/bench_service.py                    # 2,000 requests, 32 clients
    python benchmarks/bench_service.py --requests 20000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "rulesets" / "xiangtan-kgxj-2023"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


async def _load(base: str, body: bytes, requests: int, clients: int
                ) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    failures = 0
    remaining = requests
    url = f"{base}/rulesets/{SEED.name}/score"

    async def worker() -> None:
        nonlocal remaining, failures
        async with httpx.AsyncClient(timeout=30) as client:
            while remaining > 0:
                remaining -= 1
                start = time.perf_counter()
                try:
                    response = await client.post(url, content=body,
                                                 headers={"Content-Type": "application/json"})
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - start)
                failures += not ok

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, failures, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests in all (2000)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--directory", default=str(ROOT / "rulesets"),
                        help="the directory served (default: the repository's rulesets)")
    args = parser.parse_args()

    facts = yaml.safe_load((SEED / "facts.yaml").read_text(encoding="utf-8"))
    body = json.dumps({"facts": facts}, ensure_ascii=False, default=str).encode()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "rubric", "serve", args.directory, "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.05)
        httpx.post(f"{base}/rulesets/{SEED.name}/score", content=body)  # warm the plan
        before = _rss_kib(server.pid)
        latencies, failures, seconds = asyncio.run(
            _load(base, body, args.requests, args.clients))
        after = _rss_kib(server.pid)
    finally:
        server.terminate()
        server.wait(10)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    print(f"{len(latencies)} score requests, {args.clients} clients, {seconds:.2f} s")
    print(f"throughput: {len(latencies) / seconds:.0f} requests/s")
    print(f"latency: p50 {pct(0.50):.1f} ms, p99 {pct(0.99):.1f} ms, "
          f"max {latencies[-1] * 1000:.1f} ms")
    print(f"failures: {failures}")
    print(f"server RSS: {before} KiB before, {after} KiB after")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
