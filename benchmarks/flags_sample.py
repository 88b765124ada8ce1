"""Draw the blind sample of technique flags outside PTC (issue 16: "a blind judgment of at least 100
random flags of the default decoding on texts outside PTC").

    python benchmarks/flags_sample.py --data ../shared/data [--n 120]
    python benchmarks/flags_sample.py --data ../shared/data --seed 20261206 --out benchmarks/data/flags_blind2_sample.jsonl
    python benchmarks/flags_sample.py --data ../shared/data --seed 20261207 --splits train dev --min-probability 0.5 \
        --exclude benchmarks/data/flags_blind_sample.jsonl benchmarks/data/flags_blind2_sample.jsonl \
        --out benchmarks/data/flags_blind3_sample.jsonl

The third sample (2026-12-05) draws from the default of 0.5 before it shipped, over PolNeAR train and dev
texts that had no flag in the first two samples (`--exclude`).

Analyses every PolNeAR train text with the shipped models and the default decoding (techniques only:
the attribution stage does not change which fragments are flagged), then draws N flags with a fixed
seed, uniformly over all flags, at most 2 from one text. Writes benchmarks/data/flags_blind_sample.jsonl:
id, file, start, end (code-point offsets into the text as spinlens.formats.brat.read_text returns it),
fragment, technique, and the sentence around it with the paragraph before and after. No score or
probability is written: the judge sees the flag, not how sure the model was (see
benchmarks/data/flags_guidelines.md). The model's version and min_probability go to the first line's
`model` field.
"""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path

from spinlens.formats.brat import read_text
from spinlens.pipeline import Analyzer
from spinlens.sentences import split_sentences
from spinlens.types import Article

SEED = 20261205
PER_FILE = 2
HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=HERE / "data" / "flags_blind_sample.jsonl")
    parser.add_argument("--splits", nargs="+", choices=["train", "dev"], default=["train"], help="PolNeAR splits to draw from")
    parser.add_argument("--min-probability", type=float, default=None, help="the decoding's threshold (default: the model's)")
    parser.add_argument("--exclude", type=Path, nargs="*", default=[], help="earlier samples: their texts are left out")
    args = parser.parse_args()
    excluded = {json.loads(line)["file"] for sample_file in args.exclude for line in sample_file.open(encoding="utf-8")}
    paths = [path for split in args.splits for path in sorted((args.data / "polnear" / split / "text").glob("*.txt")) if path.name not in excluded]
    analyzer = Analyzer(attribution=False, min_probability=args.min_probability)
    flags = []
    for path, analysis in zip(paths, analyzer.analyze_many(Article(read_text(path), source=str(path)) for path in paths)):
        for t in analysis.techniques:
            flags.append((path.name, analysis.text, t))
    rng = random.Random(args.seed)
    rng.shuffle(flags)
    taken: Counter[str] = Counter()
    sample = []
    for name, text, t in flags:
        if taken[name] < PER_FILE:
            taken[name] += 1
            sample.append((name, text, t))
        if len(sample) == args.n:
            break
    model = analyzer.technique_model
    with args.out.open("w", encoding="utf-8") as out:
        for i, (name, text, t) in enumerate(sample, 1):
            sentences = split_sentences(text)
            k = max(j for j, (s, _) in enumerate(sentences) if s <= t.start)
            before = text[sentences[k - 1][0] : sentences[k - 1][1]] if k else ""
            after = text[sentences[k + 1][0] : sentences[k + 1][1]] if k + 1 < len(sentences) else ""
            record = {"id": f"flag-{i:03d}" if args.seed == SEED else f"flag-{args.seed}-{i:03d}", "file": name, "start": t.start, "end": t.end, "fragment": text[t.start : t.end],
                      "technique": t.technique, "sentence": text[sentences[k][0] : sentences[k][1]], "before": before, "after": after}
            if i == 1:
                shown_from = args.min_probability if args.min_probability is not None else model.min_probability
                record["model"] = {"version": str(model.card.version), "min_probability": shown_from}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(flags)} flags in {len(paths)} texts; {len(sample)} drawn to {args.out}")
    print(Counter(t.technique for _, _, t in sample).most_common())


if __name__ == "__main__":
    main()
