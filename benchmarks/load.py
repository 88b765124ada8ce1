"""Load test of `spinlens serve` on loopback: N clients post distinct articles for D seconds.

    python benchmarks/load.py --clients 8 --seconds 60 [--db sqlite:///load.db] [--data ../shared/data/ptc]

Starts the server in a subprocess on 127.0.0.1 with a fresh database, waits for /healthz, runs the
clients (threads with their own httpx client), then checks that every 200 response has its row.
Reports requests/s, p50/p99 latency, errors and lost writes. Traffic never leaves this machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx


def articles(data: Path | None) -> list[str]:
    if data is not None:
        from spinlens.formats.ptc import read_articles

        return list(read_articles(data / "train-articles").values())
    sentence = "The minister said on Tuesday that the corrupt and disgraceful plan would destroy the nation. "
    return [f"Report {i}. " + sentence * (5 + i % 20) for i in range(500)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--db", default=None)
    parser.add_argument("--data", type=Path, default=None, help="PTC folder: post its articles (default: generated texts)")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp()
    db = args.db or f"sqlite:///{tmp}/load.db"
    server = subprocess.Popen([sys.executable, "-m", "spinlens", "serve", "--db", db, "--port", str(args.port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline:
                raise SystemExit("server did not become ready")
            time.sleep(0.2)
        texts = articles(args.data)
        counter = iter(range(10**9))
        lock = threading.Lock()
        latencies: list[float] = []
        errors: list[str] = []
        ids: set[int] = set()
        stop = time.time() + args.seconds

        def client() -> None:
            with httpx.Client(base_url=base, timeout=60) as http:
                while time.time() < stop:
                    with lock:
                        n = next(counter)
                    # Every post is a distinct text, so each 200 must leave its own row.
                    text = f"Item {n}. " + texts[n % len(texts)]
                    started = time.perf_counter()
                    try:
                        response = http.post("/api/analyze", json={"text": text, "outlet": f"outlet{n % 5}"})
                        elapsed = time.perf_counter() - started
                        with lock:
                            if response.status_code == 200:
                                latencies.append(elapsed)
                                ids.add(response.json()["id"])
                            else:
                                errors.append(f"{response.status_code}: {response.text[:100]}")
                    except httpx.HTTPError as error:
                        with lock:
                            errors.append(type(error).__name__)

        started = time.time()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - started
        stored = httpx.get(base + "/healthz").json()["articles"]
        missing = [i for i in ids if httpx.get(f"{base}/api/articles/{i}").status_code != 200]
        latencies.sort()
        p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else float("nan")
        print("| clients | seconds | requests | requests/s | p50 (s) | p99 (s) | errors | rows stored | lost writes |")
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {args.clients} | {elapsed:.0f} | {len(latencies)} | {len(latencies) / elapsed:.2f} | {p(0.5):.3f} | {p(0.99):.3f} | "
              f"{len(errors)} | {stored} | {len(missing) + max(0, len(ids) - stored)} |")
        if errors:
            print("errors:", sorted(set(errors))[:5])
        if latencies:
            print(f"mean latency {statistics.mean(latencies):.3f} s")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
