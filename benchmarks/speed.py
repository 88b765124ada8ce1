"""Throughput, peak memory, cold start and model size of analysis (techniques, then techniques + attribution) on this machine.

    python benchmarks/speed.py --data ../shared/data/ptc [--articles 100]

Throughput: the first N PTC articles (sorted by id) analysed in batches by one Analyzer, in a fresh
process per thread count, after one warm-up article; peak RSS of that process. Cold start: wall time
of `spinlens analyze FILE --format json` in a new process on a ~7 KB article, median of 5 runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORKER = r"""
import json, resource, sys, time
from spinlens import Analyzer
from spinlens.formats.ptc import read_articles
threads, limit, folder, attribution = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4] == "1"
articles = read_articles(folder)
texts = [articles[a] for a in sorted(articles)[:limit]]
analyzer = Analyzer(threads=threads, attribution=attribution)
analyzer.analyze(texts[0])  # load the model outside the timed part
tokens = sum(len(analyzer.technique_model.encode(t).ids) for t in texts)
started = time.perf_counter()
results = list(analyzer.analyze_many(texts))
elapsed = time.perf_counter() - started
print(json.dumps({"articles": len(results), "tokens": tokens, "seconds": elapsed,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def article_near(folder: Path, size: int) -> Path:
    return min(folder.glob("*.txt"), key=lambda p: abs(p.stat().st_size - size))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=100)
    args = parser.parse_args()
    folder = args.data / "train-articles"

    print("| stages | threads | articles | articles/s | tokens/s | peak RSS (MB) |")
    print("|---|---|---|---|---|---|")
    for attribution in (0, 1):
        for threads in (1, 2):
            out = subprocess.run([sys.executable, "-c", WORKER, str(threads), str(args.articles), str(folder), str(attribution)],
                                 capture_output=True, text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            stages = "techniques + attribution" if attribution else "techniques"
            print(f"| {stages} | {threads} | {r['articles']} | {r['articles'] / r['seconds']:.2f} | {r['tokens'] / r['seconds']:,.0f} | {r['peak_rss_mb']:.0f} |")

    sample = article_near(folder, 7000)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(5):
            started = time.perf_counter()
            subprocess.run(["spinlens", "analyze", str(sample), "--format", "json", "--out", str(Path(tmp) / "a.json")], check=True)
            times.append(time.perf_counter() - started)
    print(f"\nCold start, `spinlens analyze {sample.name} --format json` ({sample.stat().st_size:,} bytes): "
          f"median {statistics.median(times):.2f} s wall over 5 runs (min {min(times):.2f}, max {max(times):.2f}).")

    import spinlens.models

    size = sum(p.stat().st_size for p in Path(spinlens.models.__file__).parent.rglob("*") if p.is_file())
    print(f"\nShipped models: {size / 1e6:.1f} MB in total (src/spinlens/models/).")


if __name__ == "__main__":
    main()
