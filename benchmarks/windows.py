"""Windows on parallel threads (one intra-op thread each) against one window at a time on all threads.

    python benchmarks/windows.py --data ../shared/data/ptc [--articles 60] [--threads 2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from spinlens.formats.ptc import read_articles
from spinlens.models import TECHNIQUES
from spinlens.techniques.inference import TechniqueModel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    articles = read_articles(args.data / "train-articles")
    texts = [articles[a] for a in sorted(articles)[: args.articles]]
    for parallel in (True, False):
        model = TechniqueModel.load(TECHNIQUES, threads=args.threads, parallel_windows=parallel)
        model.run(texts[:2])
        started = time.perf_counter()
        outputs = model.run(texts)
        elapsed = time.perf_counter() - started
        tokens = sum(len(o.offsets) for o in outputs)
        print(f"parallel_windows={parallel}, {args.threads} threads: {len(texts) / elapsed:.2f} articles/s, {tokens / elapsed:,.0f} tokens/s")


if __name__ == "__main__":
    main()
