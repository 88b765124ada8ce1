"""The judged flags of a blind sample by the probability the model gives them: how many are right from each
threshold on. Read after the judgments were written (the judge saw no probability).

    python benchmarks/flags_by_probability.py --data ../shared/data \
        --sample benchmarks/data/flags_blind2_sample.jsonl --judgments benchmarks/data/flags_blind2_judgments.jsonl

Each sampled text (PolNeAR train or dev) is analysed again with the shipped models from probability 0 on, and
each flag's probability is looked up by its file, offsets and technique.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from spinlens.formats.brat import read_text
from spinlens.pipeline import Analyzer
from spinlens.types import Article

THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--sample", type=Path, required=True)
    parser.add_argument("--judgments", type=Path, required=True)
    args = parser.parse_args()
    sample = [json.loads(line) for line in args.sample.open(encoding="utf-8")]
    judged = {j["id"]: j for j in map(json.loads, args.judgments.open(encoding="utf-8"))}
    paths = {}
    for name in sorted({s["file"] for s in sample}):
        found = [args.data / "polnear" / split / "text" / name for split in ("train", "dev")]
        paths[name] = next(path for path in found if path.is_file())
    analyzer = Analyzer(min_probability=0.0, attribution=False)
    probability = {}
    for name, analysis in zip(paths, analyzer.analyze_many(Article(read_text(path)) for path in paths.values())):
        for t in analysis.techniques:
            probability[(name, t.start, t.end, t.technique)] = t.probability
    rows = [(probability[(s["file"], s["start"], s["end"], s["technique"])], judged[s["id"]]) for s in sample]
    print("| from probability | flags | right technique | right and well cut | badly cut |\n|---|---|---|---|---|")
    for threshold in THRESHOLDS:
        kept = [j for p, j in rows if p is not None and p >= threshold]
        right = sum(j["verdict"] == "right" for j in kept)
        good = sum(j["verdict"] == "right" and j["cut"] == "good" for j in kept)
        bad = sum(j["cut"] == "badly_cut" for j in kept)
        print(f"| {threshold} | {len(kept)} | {_share(right, len(kept))} | {_share(good, len(kept))} | {_share(bad, len(kept))} |")


def _share(count: int, total: int) -> str:
    return f"{count} ({count / total:.0%})" if total else str(count)


if __name__ == "__main__":
    main()
