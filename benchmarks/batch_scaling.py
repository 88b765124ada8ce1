"""Corpus-run throughput: local engine with 1 and 2 workers, Dask LocalCluster with 2 workers, and how
time grows with corpus size.

    python benchmarks/batch_scaling.py --ptc ../shared/data/ptc --polnear ../shared/data/polnear --sizes 100 1000 [--configs local1 local2 dask2]

Articles are PTC and PolNeAR texts taken in turn and repeated, each with a distinct first line so no
two are the same text. Each configuration runs `spinlens batch` on a JSON Lines file into a fresh
SQLite database; peak RSS is the largest total resident memory of the process tree, sampled every
0.2 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

CONFIGS = {
    "local1": ["--workers", "1"],
    "local2": ["--workers", "2"],
    "dask2": ["--engine", "dask", "--workers", "2"],
}


def corpus(ptc: Path, polnear: Path, n: int, out: Path) -> None:
    from spinlens.formats.ptc import read_articles

    texts = list(read_articles(ptc / "train-articles").values())
    texts += [p.read_text(encoding="utf-8") for p in sorted((polnear / "train" / "text").glob("*.txt"))]
    ordered = [t for pair in zip(texts[: len(texts) // 2], texts[len(texts) // 2 :]) for t in pair]
    with open(out, "w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps({"id": i, "text": f"Copy {i}.\n" + ordered[i % len(ordered)]}) + "\n")


def run(config: str, data: Path, db: Path) -> tuple[float, float, str]:
    command = [sys.executable, "-m", "spinlens", "batch", str(data), "--db", f"sqlite:///{db}", "--no-progress", *CONFIGS[config]]
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process] + process.children(recursive=True)
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.2)
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{config} failed: {err[-500:]}")
    return elapsed, peak / 2**20, out.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ptc", type=Path, required=True)
    parser.add_argument("--polnear", type=Path, required=True)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    args = parser.parse_args()
    print("| articles | configuration | wall (s) | articles/s (wall, start-up included) | peak RSS, all processes (MB) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            data = Path(tmp) / f"corpus{n}.jsonl"
            corpus(args.ptc, args.polnear, n, data)
            for config in args.configs:
                db = Path(tmp) / f"{config}-{n}.db"
                elapsed, peak, summary = run(config, data, db)
                print(f"| {n} | {config} | {elapsed:.1f} | {n / elapsed:.2f} | {peak:.0f} |", flush=True)
                print(f"<!-- {summary} -->", flush=True)


if __name__ == "__main__":
    main()
